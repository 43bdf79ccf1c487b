#!/usr/bin/env python3
"""Benchmark the did-you-mean of unknown keys (TW801): one sysctl file of N unknown keys, linted once.

Usage: Benchmarks/didyoumean-bench.py [--sizes 100,1000,10000] [--runs R] [--binary PATH] [--kernel X.Y]
Builds nothing: run `swift build -c release` first. Each file holds N distinct unknown keys: half near
misses of real keys (one or two letters changed, so a suggestion is found), half made-up names under
net.ipv4/net.core (no suggestion, so every candidate of a length within reach is compared). A last case is
20 keys of 4,000 characters. Reports the median wall time and CPU of R runs, and the same for a file of
the same number of valid keys (the baseline without suggestions).
"""
import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = ['net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_time',
        'net.core.somaxconn', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_max_syn_backlog',
        'net.core.netdev_max_backlog', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'net.core.rmem_max',
        'net.ipv4.tcp_timestamps', 'net.ipv4.tcp_syncookies', 'net.ipv4.conf.all.rp_filter',
        'net.ipv6.conf.all.disable_ipv6', 'net.ipv4.tcp_slow_start_after_idle', 'vm.swappiness']
LETTERS = 'abcdefghijklmnopqrstuvwxyz_'


def measure(argv, runs):
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def typo(key, rnd):
    k = list(key)
    for _ in range(rnd.choice((1, 2))):
        i = rnd.randrange(len(k))
        if k[i] == '.':
            continue
        k[i] = rnd.choice(LETTERS)
    return ''.join(k)


def unknown_keys(n, rnd):
    keys, seen = [], set()
    while len(keys) < n:
        if len(keys) % 2 == 0:
            k = typo(rnd.choice(REAL), rnd)
        else:
            k = '%s.%s_%d' % (rnd.choice(('net.ipv4', 'net.core')),
                              ''.join(rnd.choice(LETTERS[:-1]) for _ in range(rnd.randint(6, 18))), len(keys))
        if k not in seen and k not in REAL:
            seen.add(k)
            keys.append(k)
    return keys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--sizes', default='100,1000,10000')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--kernel', default='6.1')
    ap.add_argument('--binary', default=os.path.join(HERE, '..', '.build', 'release', 'twlint'))
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f'{args.binary} not found: run `swift build -c release` first')
    rnd = random.Random(16)
    print('| input | twlint lint: wall (median) | CPU | same number of valid keys: wall | CPU |')
    print('|---|---:|---:|---:|---:|')
    with tempfile.TemporaryDirectory() as tmp:
        cases = [('%d unknown keys' % n, unknown_keys(n, rnd)) for n in map(int, args.sizes.split(','))]
        cases.append(('20 unknown keys of 4,000 characters',
                      ['net.ipv4.' + ''.join(rnd.choice(LETTERS) for _ in range(3991)) for _ in range(20)]))
        for name, keys in cases:
            path = os.path.join(tmp, 'unknown.conf')
            with open(path, 'w') as f:
                f.write(''.join('%s = 1\n' % k for k in keys))
            base = os.path.join(tmp, 'valid.conf')
            with open(base, 'w') as f:
                f.write(''.join('%s = 1\n' % REAL[i % len(REAL)] for i in range(len(keys))))
            argv = [args.binary, 'lint', '--kernel', args.kernel, '--format', 'json']
            wall, cpu = measure(argv + [path], args.runs)
            bwall, bcpu = measure(argv + [base], args.runs)
            print('| %s | %.0f ms | %.2f s | %.0f ms | %.2f s |' % (name, wall * 1000, cpu, bwall * 1000, bcpu))


if __name__ == '__main__':
    main()
