#!/usr/bin/env python3
"""Benchmark the streaming report path (issue 10): many finding-dense files, every output format.

Usage: Benchmarks/stream-bench.py [--files N ...] [--runs R] [--binary PATH] [--formats F ...]
Generates N files of 20 lines that each produce a finding (about 25 findings per file), then runs
`twlint lint --format F DIR` R times per format and reports the median wall time, CPU time, the peak RSS
(wait4 rusage) and the bytes written. Run `swift build -c release` first. Targets: 10,000 files in <= 1.5 s
and <= 100 MB on 2 cores (JSON); with findings streamed file by file, peak RSS must not grow with the number
of files in any format (compare --files 1000 and 30000).
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


def output_size(argv):
    """Bytes the command writes, read from a pipe a chunk at a time (not measured: a run of its own)."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    size = 0
    while chunk := proc.stdout.read(1 << 20):
        size += len(chunk)
    proc.wait()
    return size


def count_findings(argv):
    """Findings in the JSON report, counted from a pipe."""
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    findings = sum(1 for line in proc.stdout if line.startswith(b'      "code": '))
    proc.wait()
    return findings


FORMATS = ["json", "sarif", "junit", "checkstyle", "gitlab", "prometheus", "text", "github"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", nargs="+", default=["json"], choices=FORMATS)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", ".build", "release", "twlint"))
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} not found: run `swift build -c release` first")
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}")
    print(f"{'files':>7} {'findings':>9} {'format':>10} {'output':>10} {'wall (median)':>14} {'cpu':>8} {'peak RSS':>10}")
    for n in args.files:
        with tempfile.TemporaryDirectory(prefix="twlint-stream-") as tmp:
            d = os.path.join(tmp, "d")
            generate(d, n)
            findings = count_findings([args.binary, "lint", "--no-config", "--format", "json", d])
            for fmt in args.formats:
                argv = [args.binary, "lint", "--no-config", "--format", fmt, d]
                # Measured first and apart from the size count: a child forked from a Python process holding
                # output would count its pages in ru_maxrss.
                wall, cpu, rss = measure(argv, args.runs)
                size = output_size(argv)
                print(f"{n:7d} {findings:9d} {fmt:>10} {size / 1e6:8.1f}MB {wall * 1000:11.0f} ms {cpu:7.2f}s {rss / 1024:7.1f} MB",
                      flush=True)


if __name__ == "__main__":
    main()
