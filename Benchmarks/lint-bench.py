#!/usr/bin/env python3
"""Benchmark `twlint lint` on generated sysctl files, against `cat` of the same files in the same run.

Usage: Benchmarks/lint-bench.py [--files N] [--runs R] [--binary PATH]
Builds nothing: run `swift build -c release` first. Reports the median wall time of R runs, user CPU,
and peak RSS (from wait4's rusage), for: cat of every file, twlint with text and JSON output, and
one small file per process.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(argv, runs):
    walls, users, rss = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        users.append(usage.ru_utime + usage.ru_stime)
        rss.append(usage.ru_maxrss)  # KiB on Linux
    return statistics.median(walls), statistics.median(users), max(rss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", ".build", "release", "twlint"))
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} not found: run `swift build -c release` first")
    with tempfile.TemporaryDirectory(prefix="twlint-bench-") as tmp:
        files = os.path.join(tmp, "sysctl.d")
        subprocess.run([sys.executable, os.path.join(HERE, "gen-corpus.py"), files, str(args.files)], check=True)
        names = sorted(os.path.join(files, n) for n in os.listdir(files))
        size = sum(os.path.getsize(n) for n in names)
        print(f"corpus: {len(names)} files, {size / 1e6:.1f} MB, cores: {os.cpu_count()}")
        rows = []
        cat = measure(["sh", "-c", f'cat "{files}"/* > /dev/null'], args.runs)
        rows.append(("cat of the same files", cat))
        text = measure([args.binary, "lint", "--no-config", files], args.runs)
        rows.append(("twlint lint DIR (text)", text))
        js = measure([args.binary, "lint", "--no-config", "--format", "json", files], args.runs)
        rows.append(("twlint lint DIR --format json", js))
        one = measure([args.binary, "lint", "--no-config", names[0]], max(args.runs, 20))
        rows.append(("twlint lint ONE-FILE (per process)", one))
        print(f"{'command':40} {'wall (median)':>14} {'cpu':>8} {'peak RSS':>10}")
        for name, (wall, cpu, rss) in rows:
            print(f"{name:40} {wall * 1000:11.0f} ms {cpu:7.2f}s {rss / 1024:7.1f} MB")
        print(f"ratio text/cat: {text[0] / cat[0]:.1f}x   json/cat: {js[0] / cat[0]:.1f}x")


if __name__ == "__main__":
    main()
