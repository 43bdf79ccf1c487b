#!/usr/bin/env bash
# Render pages of the documentation site to PNG with headless Chromium, for a person to look at.
#
# Usage: scripts/screenshot-docs.sh [SITE_DIR] [OUT_DIR]
#   SITE_DIR  a site from `twlint docs --out` (default: generate one into a temporary folder)
#   OUT_DIR   where the PNGs go (default: docs-screenshots)
# Needs: chromium (Debian: apt-get install chromium); the twlint binary from .build/debug or $TWLINT.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${2:-docs-screenshots}
site=${1:-}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "screenshot-docs: chromium is not installed (apt-get install chromium)" >&2; exit 2; }
if [ -z "$site" ]; then
    site=$(mktemp -d)
    trap 'rm -rf "$site"' EXIT
    "${TWLINT:-.build/debug/twlint}" docs --out "$site" >/dev/null
fi
mkdir -p "$out"
shoot() {  # URL PNG [HEIGHT]
    # --no-sandbox: CI and this script run as root, where Chromium's sandbox refuses to start.
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --window-size=1200,"${3:-1400}" --screenshot="$2" "$1" >/dev/null 2>&1
    [ -s "$2" ] || { echo "screenshot-docs: no picture for $1" >&2; exit 1; }
    echo "$2"
}
abs=$(realpath "$site")
# The index with a search typed in (search.js reads ?q=), one rule page, one parameter page and one topic page.
shoot "file://$abs/index.html?q=tw_reuse" "$out/index-search.png" 900
shoot "file://$abs/rules/TW103.html" "$out/rule-TW103.png"
shoot "file://$abs/parameters/net.ipv4.tcp_tw_reuse.html" "$out/parameter-tcp_tw_reuse.png" 1800
shoot "file://$abs/topics/time-wait.html" "$out/topic-time-wait.png" 1600
