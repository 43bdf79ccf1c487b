#!/usr/bin/env bash
# Start-up of the release binary (issue 13; BENCHMARKS.md "Portable release binary"): wall time with hyperfine
# and CPU time with perf stat (the steadier figure on a shared machine), for --version, a one-line lint and
# explain by full key and by short name. The short name goes through the name index (EntrySummary).
#
# Usage: Benchmarks/startup-bench.sh [BINARY]   (default: the binary of the tarball scripts/release.sh built)
# Needs hyperfine; perf (linux-perf) for the CPU column, skipped when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(ls -d dist/twlint-*-linux-*/bin/twlint 2>/dev/null | head -1)}
[ -x "$bin" ] || { echo "startup-bench: no binary (run scripts/release.sh or pass one)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "startup-bench: hyperfine is not installed (apt-get install hyperfine)" >&2; exit 2; }
conf=$(mktemp --suffix=.conf)
trap 'rm -f "$conf"' EXIT
echo "net.ipv4.tcp_tw_reuse = 1" > "$conf"
echo "binary: $bin ($(stat -c %s "$bin") bytes); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
cmds=("$bin --version" "$bin lint --no-config $conf" "$bin explain net.ipv4.tcp_tw_reuse" "$bin explain tcp_tw_reuse")
# lint exits 1 when it finds something; -i keeps hyperfine going.
hyperfine -N -i --warmup 5 --runs 50 "${cmds[@]}"
if command -v perf >/dev/null; then
    for c in "${cmds[@]}"; do
        # shellcheck disable=SC2086
        cpu=$(perf stat -r 30 -x, -e task-clock $c 2>&1 >/dev/null | awk -F, '/task-clock/ { print $1 }' || true)
        printf 'CPU (perf stat task-clock, mean of 30): %8s ms  %s\n' "${cpu:-?}" "${c#"$bin "}"
    done
fi
