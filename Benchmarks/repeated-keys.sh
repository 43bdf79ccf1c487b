#!/usr/bin/env bash
# Repeated keys must cost linear time: one key assigned N times (N = 1,000, 10,000, 100,000), linted as a
# file, as a system (`lint --system --root`, the application model for both appliers) and shown (`show
# --system`). Prints the median wall time of 3 runs and the peak RSS of each.
#
# Usage: Benchmarks/repeated-keys.sh [BINARY]     (default .build/release/twlint; build with swift build -c release)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binary=${1:-$here/../.build/release/twlint}
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$binary" "$work" <<'PY'
import os, resource, statistics, subprocess, sys, time
binary, work = sys.argv[1], sys.argv[2]
def measure(argv, runs=3):
    walls, rss = [], 0
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        walls.append(time.perf_counter() - t)
        rss = max(rss, usage.ru_maxrss)
    return statistics.median(walls), rss / 1024
print("| repeats | `lint FILE` | `lint --system --root` | `show --system` | peak RSS (lint --system) |")
print("|---:|---:|---:|---:|---:|")
for n in (1000, 10000, 100000):
    root = os.path.join(work, str(n))
    d = os.path.join(root, "etc/sysctl.d")
    os.makedirs(d)
    path = os.path.join(d, "10-repeat.conf")
    with open(path, "w") as f:
        for i in range(n):
            f.write("net.ipv4.tcp_fin_timeout = %d\n" % (30 + i % 7))
    a, _ = measure([binary, "lint", "--format", "json", path])
    b, rss = measure([binary, "lint", "--system", "--root", root, "--format", "json"])
    c, _ = measure([binary, "show", "--system", "--root", root, "--format", "json"])
    print(f"| {n:,} | {a*1000:.0f} ms | {b*1000:.0f} ms | {c*1000:.0f} ms | {rss:.1f} MB |")
PY
