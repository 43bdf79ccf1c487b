#!/usr/bin/env bash
# Write twlint's man page (twlint.1) with swift-argument-parser's generate-manual tool, the tool behind the
# package's `swift package generate-manual` plugin. Running the tool directly on a given binary avoids the
# plugin's own full release build of the package.
#
# Usage: scripts/generate-manual.sh TWLINT_BINARY OUTPUT_DIR
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 TWLINT_BINARY OUTPUT_DIR" >&2; exit 2; }
binary=$(realpath "$1")
mkdir -p "$2"
out=$(realpath "$2")
cd "$(dirname "$0")/.."
swift build --product generate-manual --scratch-path "${TOOLS_SCRATCH:-.build}" >/dev/null
tool="$(swift build --product generate-manual --scratch-path "${TOOLS_SCRATCH:-.build}" --show-bin-path)/generate-manual"
# A fixed date keeps the page identical between builds of the same commit.
date=$(git log -1 --format=%cs 2>/dev/null || date +%F)
"$tool" "$binary" --date "$date" --section 1 --authors "the twlint developers" --output-directory "$out"
[ -s "$out/twlint.1" ] || { echo "generate-manual: no twlint.1 written" >&2; exit 1; }
