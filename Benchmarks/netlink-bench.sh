#!/usr/bin/env bash
# Benchmark `twlint check --live` (sockets through NETLINK_SOCK_DIAG) against `ss -tan state time-wait` alone,
# in one run, inside a private network namespace this script creates (root needed; nothing outside it changes).
#
#   sudo Benchmarks/netlink-bench.sh [SOCKETS] [BINARY] [RUNS]
#
# The TIME_WAIT sockets are made on loopback: a client connects, the server accepts, the client closes first
# and keeps the TIME_WAIT. Up to 10,000 sockets per destination 127.0.X.Y:7000 (inside the namespace's widened
# port range, so no destination runs out of ports). The kernel keeps TIME_WAIT for 60 s (TCP_TIMEWAIT_LEN), so
# creation and measurement must end within that: the script prints the count before and after measuring.
# Also measures `twlint check --live --sockets proc` (the /proc/net/tcp reader) for comparison.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
sockets=${1:-30000}
binary=${2:-$here/../.build/release/twlint}
runs=${3:-7}
case $sockets in ''|*[!0-9]*) echo "SOCKETS is a number" >&2; exit 2;; esac
[ "$sockets" -le 300000 ] || { echo "at most 300000 sockets (they must be made and measured within the 60 s of TIME_WAIT)" >&2; exit 2; }
[ -x "$binary" ] || { echo "build first: swift build -c release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root for unshare -n" >&2; exit 2; }
command -v ss >/dev/null || { echo "needs ss (iproute2)" >&2; exit 2; }

exec unshare -n bash -s "$sockets" "$binary" "$runs" <<'INNER'
set -euo pipefail
sockets=$1; binary=$2; runs=$3
ip link set lo up
echo "10000 65000" > /proc/sys/net/ipv4/ip_local_port_range
echo 0 > /proc/sys/net/ipv4/tcp_tw_reuse
echo $((sockets * 2 + 1000)) > /proc/sys/net/ipv4/tcp_max_tw_buckets
python3 - "$sockets" <<'PY'
import socket, sys, time
n = int(sys.argv[1]); per = 10000
t = time.monotonic(); made = 0; d = 0
while made < n:
    d += 1
    addr = f"127.0.{d // 250}.{d % 250 + 1}"
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, 7000)); srv.listen(4096)
    for _ in range(min(per, n - made)):
        c = socket.socket(); c.connect((addr, 7000))
        s, _ = srv.accept(); c.close(); s.close(); made += 1
    srv.close()
print(f"created {made} TIME_WAIT sockets toward {d} destinations in {time.monotonic() - t:.1f} s", flush=True)
PY
python3 - "$binary" "$runs" <<'PY'
import os, subprocess, sys, time, statistics
binary, runs = sys.argv[1], int(sys.argv[2])
def tw():
    out = subprocess.run(["ss", "-Htan", "state", "time-wait"], capture_output=True, text=True).stdout
    return out.count("\n")
commands = {
    "ss -tan state time-wait": ["ss", "-tan", "state", "time-wait"],
    "twlint check --live (netlink)": [binary, "check", "--live", "--no-config", "--fail-on", "never"],
    "twlint check --live --format prometheus": [binary, "check", "--live", "--no-config", "--fail-on", "never", "--format", "prometheus"],
    "twlint check --live --sockets proc": [binary, "check", "--live", "--no-config", "--fail-on", "never", "--sockets", "proc"],
}
walls = {k: [] for k in commands}; rss = {k: 0 for k in commands}
before = tw()
for _ in range(runs):                       # interleaved, so all see the same table and the same machine load
    for name, argv in commands.items():
        # Peak RSS from GNU time (wait4 of the command itself: a fork of this Python would count its own pages).
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls[name].append(time.perf_counter() - t)
        rss[name] = max(rss[name], int(p.stderr.strip().splitlines()[-1]))
after = tw()
print(f"TIME_WAIT sockets (ss): {before} before, {after} after measuring")
print(f"{'command':42} {'wall (median)':>14} {'min':>9} {'peak RSS':>10}")
for name in commands:
    print(f"{name:42} {statistics.median(walls[name])*1000:11.1f} ms {min(walls[name])*1000:6.1f} ms {rss[name]/1024:7.1f} MiB")
ss = statistics.median(walls["ss -tan state time-wait"])
print(f"ratio twlint (netlink) / ss: {statistics.median(walls['twlint check --live (netlink)']) / ss:.2f}")
print(f"ratio twlint (proc) / ss: {statistics.median(walls['twlint check --live --sockets proc']) / ss:.2f}")
PY
INNER
