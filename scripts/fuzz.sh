#!/usr/bin/env bash
# Coverage-guided fuzzing of twlint's input parsers with libFuzzer (see FUZZING.md).
#
#   scripts/fuzz.sh TARGET SECONDS     run one target (sysctl, manifest, shell, tcp, netstat, sockstat, xml,
#                                      config, directive, lint) for SECONDS
#   scripts/fuzz.sh all SECONDS        run every target, the whole-pipeline lint target included, for SECONDS each
#
# Builds TWLintKit instrumented (ASan + SanitizerCoverage) in its own scratch path, .build-fuzz (override
# with TWLINT_FUZZ_SCRATCH), links Fuzz/Harness.swift against it with libFuzzer, and runs the target on the
# seeds in Fuzz/Corpus/TARGET; new inputs go to the scratch path, never into the repository. A crash leaves
# its input in $SCRATCH/artifacts/TARGET/ and the script exits 1: add it as a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

# `lint` (the whole pipeline, every reporter) runs about 150 inputs a second, slower than the parsers but
# the only target that reaches the rules and reporters; CI runs it with the others.
ALL="sysctl manifest shell tcp netstat sockstat xml config directive lint"
TARGETS="$ALL"
target="${1:-}"
seconds="${2:-}"
if [[ -z "$target" || -z "$seconds" ]]; then
    echo "usage: scripts/fuzz.sh TARGET|all SECONDS (targets: $TARGETS)" >&2
    exit 2
fi
if [[ "$target" != all && " $TARGETS " != *" $target "* ]]; then
    echo "fuzz: unknown target $target (targets: $TARGETS)" >&2
    exit 2
fi

SCRATCH="${TWLINT_FUZZ_SCRATCH:-.build-fuzz}"
FLAGS=(-Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)
# SwiftPM does not rebuild when only -Xswiftc flags change: start over if they did.
mkdir -p "$SCRATCH"
if [[ "$(cat "$SCRATCH/fuzz-flags" 2>/dev/null)" != "${FLAGS[*]}" ]]; then
    rm -rf "$SCRATCH/debug" "$SCRATCH"/*-unknown-linux-gnu
    echo "${FLAGS[*]}" > "$SCRATCH/fuzz-flags"
fi
echo "fuzz: building the instrumented library"
swift build -c debug --scratch-path "$SCRATCH" --product TWLintKitFuzz "${FLAGS[@]}" 2>&1 | grep -E "error|warning: unre|Build" || true
LIB="$SCRATCH/debug/libTWLintKitFuzz.a"
[[ -f "$LIB" ]] || { echo "fuzz: $LIB was not built" >&2; exit 1; }
BIN="$SCRATCH/fuzz-twlint"
CYAML=$(dirname "$(find "$SCRATCH/checkouts" -path '*Sources/CYaml/include/module.modulemap' | head -1)")
# C targets of the package: module maps SwiftPM generated (CNetlinkDiag) or that the package ships (CLibXML2).
NETLINK_MAP="$SCRATCH/debug/CNetlinkDiag.build/module.modulemap"
swiftc -sanitize=fuzzer,address -parse-as-library \
    -I "$SCRATCH/debug/Modules" -I Sources/CLibXML2 -I "$CYAML" -Xcc -I/usr/include/libxml2 \
    -Xcc -fmodule-map-file="$NETLINK_MAP" -I Sources/CNetlinkDiag/include \
    Fuzz/Harness.swift "$LIB" -lxml2 -o "$BIN" 2>&1 | grep -v -e "ld.gold: warning" -e "^warning" || true
[[ -x "$BIN" ]] || { echo "fuzz: linking the harness failed" >&2; exit 1; }

status=0
run() {
    local t="$1"
    mkdir -p "$SCRATCH/corpus/$t" "$SCRATCH/artifacts/$t"
    local log="$SCRATCH/fuzz-$t.log"
    echo "fuzz: $t for ${seconds}s"
    if TWLINT_FUZZ_TARGET="$t" ASAN_OPTIONS=detect_leaks=0 "$BIN" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$SCRATCH/artifacts/$t/" \
        "$SCRATCH/corpus/$t" "Fuzz/Corpus/$t" > "$log" 2>&1; then
        local runs cov ft
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
        cov=$(grep -oE '(DONE|pulse|NEW|REDUCE|INITED) +cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+' || echo "cov: ?")
        echo "fuzz: $t ok: $runs executions, $cov"
    else
        echo "fuzz: $t FAILED; log $log, input in $SCRATCH/artifacts/$t/" >&2
        grep -E "ERROR|Fatal error|SUMMARY|#0 |#1 |#2 |#3 " "$log" | head -20 >&2 || true
        status=1
    fi
}

if [[ "$target" == all ]]; then
    for t in $ALL; do run "$t"; done
else
    run "$target"
fi
exit $status
