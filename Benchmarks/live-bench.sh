#!/usr/bin/env bash
# Benchmark `twlint check --live` with many TIME_WAIT sockets, against `ss -tan state time-wait` plus
# `sysctl -a` in the same run. Creates the sockets on loopback inside a private network namespace
# (root needed); nothing outside the namespace changes.
#
# Usage: sudo Benchmarks/live-bench.sh [SOCKETS] [BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sockets=${1:-30000}
binary=${2:-$here/../.build/release/twlint}
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root for unshare -n" >&2; exit 2; }

exec unshare -n bash -s "$sockets" "$binary" <<'INNER'
set -euo pipefail
sockets=$1; binary=$2
ip link set lo up
echo "10000 65000" > /proc/sys/net/ipv4/ip_local_port_range
echo 0 > /proc/sys/net/ipv4/tcp_tw_reuse
python3 - "$sockets" <<'PY'
import socket, sys
n = int(sys.argv[1]); per = 20000
servers = []
made = 0
port = 7000
while made < n:
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port)); srv.listen(1024); servers.append(srv)
    for _ in range(min(per, n - made)):
        c = socket.socket(); c.connect(("127.0.0.1", port))
        s, _ = srv.accept(); c.close(); s.close(); made += 1
    port += 1
print(f"created {made} TIME_WAIT sockets on {len(servers)} destinations")
PY
grep TCP: /proc/net/sockstat
python3 - "$binary" <<'PY'
import os, subprocess, sys, time, statistics
binary = sys.argv[1]
def measure(argv, runs=5):
    walls, rss = [], []
    for _ in range(runs):
        t = time.perf_counter()
        p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(p.pid, 0)
        walls.append(time.perf_counter() - t); rss.append(usage.ru_maxrss)
    return statistics.median(walls), max(rss)
ss, ss_rss = measure(["ss", "-tan", "state", "time-wait"])
sa, sa_rss = measure(["sysctl", "-a"])
tw, tw_rss = measure([binary, "check", "--live", "--no-config", "--fail-on", "never"])
js, js_rss = measure([binary, "check", "--live", "--no-config", "--fail-on", "never", "--format", "json"])
print(f"{'command':45} {'wall (median)':>14} {'peak RSS':>10}")
for name, (w, r) in [("ss -tan state time-wait", (ss, ss_rss)), ("sysctl -a", (sa, sa_rss)),
                     ("twlint check --live", (tw, tw_rss)), ("twlint check --live --format json", (js, js_rss))]:
    print(f"{name:45} {w*1000:11.1f} ms {r/1024:7.1f} MB")
print(f"ratio twlint / (ss + sysctl -a): {tw / (ss + sa):.2f}")
PY
INNER
