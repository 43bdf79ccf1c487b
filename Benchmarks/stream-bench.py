#!/usr/bin/env python3
"""Benchmark the streaming report path (issue 10): many finding-dense files, JSON output.

Usage: Benchmarks/stream-bench.py [--files N] [--runs R] [--binary PATH]
Generates N files of 20 lines that each produce a finding (about 20 findings per file), then runs
`twlint lint --format json DIR` R times and reports the median wall time, CPU time and the peak RSS (wait4
rusage). Run `swift build -c release` first. Targets: 10,000 files in <= 1.5 s and <= 100 MB on 2 cores;
with findings streamed file by file, peak RSS must not grow with the number of files (compare --files 1000,
10000 and 30000).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Each line yields a finding: duplicates (TW906), inline comments (TW902), quoted values (TW909),
# non-assignments (TW901), removed keys (TW101).
LINES = [
    "net.ipv4.tcp_tw_recycle = 1",
    "net.core.somaxconn = 1024",
    "net.core.somaxconn = 2048",
    "net.ipv4.tcp_fin_timeout = 30 # shorter",
    "net.ipv4.tcp_keepalive_time = \"600\"",
    "this line is not an assignment",
    "net.core.somaxconn = 4096",
    "net.ipv4.tcp_max_syn_backlog = 4096 # more",
    "net.ipv4.tcp_keepalive_intvl = '30'",
    "another stray line",
]


def generate(directory, n):
    os.makedirs(directory)
    for i in range(n):
        with open(os.path.join(directory, f"{i:06d}.conf"), "w") as f:
            for j in range(20):
                f.write(LINES[(i + j) % len(LINES)] + "\n")


def measure(argv, runs):
    walls, cpus, rss = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        rss.append(usage.ru_maxrss)
    return statistics.median(walls), statistics.median(cpus), max(rss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", ".build", "release", "twlint"))
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} not found: run `swift build -c release` first")
    print(f"cores: {os.cpu_count()}")
    print(f"{'files':>7} {'findings':>9} {'output':>9} {'wall (median)':>14} {'cpu':>8} {'peak RSS':>10}")
    for n in args.files:
        with tempfile.TemporaryDirectory(prefix="twlint-stream-") as tmp:
            d = os.path.join(tmp, "d")
            generate(d, n)
            # Measured first: a child forked from a Python process holding the output would count its pages
            # in ru_maxrss. The output is then counted from a file, a chunk at a time.
            wall, cpu, rss = measure([args.binary, "lint", "--no-config", "--format", "json", d], args.runs)
            out_path = os.path.join(tmp, "out.json")
            with open(out_path, "wb") as f:
                subprocess.run([args.binary, "lint", "--no-config", "--format", "json", d], stdout=f)
            findings, size = 0, os.path.getsize(out_path)
            with open(out_path, "rb") as f:
                for line in f:
                    if line.startswith(b'      "code": '):
                        findings += 1
            print(f"{n:7d} {findings:9d} {size / 1e6:7.1f}MB {wall * 1000:11.0f} ms {cpu:7.2f}s {rss / 1024:7.1f} MB")


if __name__ == "__main__":
    main()
