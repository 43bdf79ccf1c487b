#!/bin/sh
# Download Debian 12's Linux 6.1 cloud kernel (linux-image-6.1.*-cloud-amd64-unsigned) into a cache
# directory for the booted-kernel test; nothing is installed.  Idempotent: an image already there is kept.
#   scripts/fetch-test-kernel.sh [DIR]      (default .build-kernel)
set -eu
dir=${1:-.build-kernel}
mkdir -p "$dir"
if ls "$dir"/vmlinuz-6.1.* >/dev/null 2>&1 && [ -s "$dir/version" ]; then exit 0; fi
find_pkg() {
    apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' 2>/dev/null | awk '{print $1}' | sort -V | tail -1
}
pkg=$(find_pkg)
if [ -z "$pkg" ]; then
    apt-get update -qq >/dev/null 2>&1 || true
    pkg=$(find_pkg)
fi
[ -n "$pkg" ] || { echo "fetch-test-kernel: no linux-image-6.1.*-cloud-amd64-unsigned package in the apt sources (Debian 12)" >&2; exit 3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
(cd "$tmp" && apt-get download "$pkg" >/dev/null 2>&1) || { echo "fetch-test-kernel: apt-get download $pkg failed" >&2; exit 3; }
deb=$(ls "$tmp"/*.deb)
dpkg-deb -x "$deb" "$tmp/x"
cp "$tmp"/x/boot/vmlinuz-* "$tmp"/x/boot/config-* "$dir"/
dpkg-deb -f "$deb" Version > "$dir/version"
echo "$pkg" > "$dir/package"
echo "fetch-test-kernel: $pkg $(cat "$dir/version") in $dir"
