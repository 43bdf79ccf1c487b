#!/usr/bin/env bash
# Build a portable twlint release: one binary that runs on a glibc Linux with nothing else installed,
# with its man page, shell completions, README and checksums, packed as dist/twlint-VERSION-linux-ARCH.tar.gz.
#
# Linked statically: the Swift runtime and Foundation (--static-swift-stdlib, with Foundation's own ICU), libstdc++
# (Foundation's ICU is C++) with libgcc's unwinder (-static-libgcc: the static libstdc++ would otherwise pull in
# libgcc_s.so.1), and libxml2 with the libraries it was built against (zlib, lzma: Debian's libxml2-dev and its
# dependencies ship the .a files). What stays dynamic is glibc only; the script checks that and fails otherwise.
# libxml2's own ICU (a second ICU, 31 MB of data) is replaced by scripts/libxml2-without-icu.c: libxml2 then
# converts encodings with its built-in handlers and glibc's iconv, as a libxml2 built without ICU does.
#
# Usage: scripts/release.sh [--skip-build]   (--skip-build: package the binary already in .build-release)
# Environment: SCRATCH (build folder, default .build-release), DIST (output folder, default dist).
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${SCRATCH:-.build-release}
DIST=${DIST:-dist}
skip_build=false
[ "${1:-}" = "--skip-build" ] && skip_build=true

version=$(sed -n 's/^public let version = "\(.*\)"$/\1/p' Sources/TWLintKit/Version.swift)
[ -n "$version" ] || { echo "release: cannot read the version from Sources/TWLintKit/Version.swift" >&2; exit 1; }
arch=$(uname -m)
name="twlint-$version-linux-$arch"

# 1. libxml2 statically. SwiftPM links what the package's pkg-config file says (-lxml2, shared); a private
#    .pc file in front of PKG_CONFIG_PATH names a folder that holds only the static archives, so -l finds
#    those first, and lists libxml2's private dependencies (pkg-config --static) after it.
libdir=$(pkg-config --variable=libdir libxml-2.0)
staging="$PWD/$SCRATCH/static-libs"
rm -rf "$staging" && mkdir -p "$staging"
libs=()
# The ICU functions libxml2.a calls (encoding.c only): every undefined symbol with ICU's version suffix (ucnv_open_72).
undefined=$(nm -u "$libdir/libxml2.a" 2>/dev/null | awk '$1 == "U" { print $2 }' | sort -u || true)
icu_suffix=$(printf '%s\n' "$undefined" | sed -n 's/^ucnv_open\(_[0-9][0-9]*\)$/\1/p')
icu_used=$([ -n "$icu_suffix" ] && printf '%s\n' "$undefined" | grep -E -- "${icu_suffix}\$" || true)
icu_stub=false
for flag in $(pkg-config --static --libs-only-l libxml-2.0); do
    lib=${flag#-l}
    case "$lib" in m|c|dl|pthread|rt) libs+=("$flag"); continue ;; esac   # glibc's own
    case "$lib" in icu*)
        # Not linked: the stub below answers libxml2's converter look-ups instead.
        [ -n "$icu_suffix" ] || { echo "release: libxml2 names $flag but nm finds no ucnv_open_NN in libxml2.a (install binutils)" >&2; exit 1; }
        if ! $icu_stub; then libs+=("-ltwlint-libxml2-without-icu"); icu_stub=true; fi
        continue ;;
    esac
    archive="$libdir/lib$lib.a"
    [ -f "$archive" ] || { echo "release: $archive is missing (install the -dev package that ships it)" >&2; exit 1; }
    ln -s "$archive" "$staging/lib$lib.a"
    libs+=("$flag")
done
if $icu_stub; then
    known="ucnv_open ucnv_close ucnv_setToUCallBack ucnv_setFromUCallBack ucnv_convertEx UCNV_TO_U_CALLBACK_STOP UCNV_FROM_U_CALLBACK_STOP"
    for sym in $icu_used; do
        case " $known " in *" ${sym%"$icu_suffix"} "*) ;; *)
            echo "release: libxml2.a calls $sym, which scripts/libxml2-without-icu.c does not cover (a new libxml2?)" >&2; exit 1 ;;
        esac
    done
    "${CC:-cc}" -O2 -Wall -Werror -fPIC -DICU_SUFFIX="$icu_suffix" -c scripts/libxml2-without-icu.c -o "$staging/libxml2-without-icu.o"
    ar rcs "$staging/libtwlint-libxml2-without-icu.a" "$staging/libxml2-without-icu.o"
fi
# libstdc++ (Foundation's ICU is C++, and the Swift runtime's link line names -lstdc++ itself): the archive from the C++
# compiler's own library folder, found first in the staging folder, so no libstdc++.so.6 is needed at run time.
cxx=""
for cc in gcc g++ clang; do
    command -v "$cc" >/dev/null || continue
    cxx=$("$cc" -print-file-name=libstdc++.a)
    [ -f "$cxx" ] && break
done
[ -f "$cxx" ] || { echo "release: libstdc++.a not found (install libstdc++-12-dev or the one matching your gcc)" >&2; exit 1; }
ln -s "$cxx" "$staging/libstdc++.a"
cat > "$staging/libxml-2.0.pc" <<EOF
Name: libXML
Description: libxml2 linked statically for a portable twlint
Version: $(pkg-config --modversion libxml-2.0)
Libs: -L$staging ${libs[*]}
Cflags: $(pkg-config --cflags libxml-2.0)
EOF

bin="$SCRATCH/release/twlint"
if ! $skip_build; then
    echo "release: building twlint $version (this takes a few minutes)"
    PKG_CONFIG_PATH="$staging${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
        swift build -c release --product twlint --scratch-path "$SCRATCH" \
        --static-swift-stdlib -Xswiftc -Xclang-linker -Xswiftc -static-libgcc
fi
[ -x "$bin" ] || { echo "release: $bin was not built" >&2; exit 1; }

# 2. Only glibc may remain dynamic.
allowed='^(libc|libm|libpthread|libdl|librt|libutil|libresolv|ld-linux-x86-64|ld-linux-aarch64|ld-linux)\.so'
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
bad=$(printf '%s\n' "$needed" | grep -Ev "$allowed" || true)
if [ -n "$bad" ]; then
    echo "release: the binary needs libraries outside glibc:" >&2
    printf '  %s\n' $bad >&2
    exit 1
fi

# One ICU data table only (Foundation's): libxml2's was left out above.
icu_data=$(nm "$bin" 2>/dev/null | grep -cE ' icudt[0-9]+_dat$' || true)
if [ "${icu_data:-0}" -gt 1 ]; then
    echo "release: the binary holds $icu_data ICU data tables; libxml2's ICU was linked after all" >&2
    exit 1
fi

# 3. The package: binary, man page, completions, README, checksums.
out="$DIST/$name"
rm -rf "$out" && mkdir -p "$out/bin" "$out/share/man/man1" "$out/share/doc/twlint" \
    "$out/share/bash-completion/completions" "$out/share/zsh/site-functions" "$out/share/fish/vendor_completions.d"
cp "$bin" "$out/bin/twlint"
strip "$out/bin/twlint"
"$out/bin/twlint" --generate-completion-script bash > "$out/share/bash-completion/completions/twlint"
"$out/bin/twlint" --generate-completion-script zsh > "$out/share/zsh/site-functions/_twlint"
"$out/bin/twlint" --generate-completion-script fish > "$out/share/fish/vendor_completions.d/twlint.fish"
scripts/generate-manual.sh "$out/bin/twlint" "$out/share/man/man1"
cp README.md "$out/share/doc/twlint/README.md"
(cd "$out" && find . -type f ! -name SHA256SUMS | sort | sed 's|^\./||' | xargs sha256sum > share/doc/twlint/SHA256SUMS)

# Reproducible archive: fixed owner, order and times (the commit's time).
stamp=$(git log -1 --format=%ct 2>/dev/null || date +%s)
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -C "$DIST" -czf "$DIST/$name.tar.gz" "$name"
(cd "$DIST" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "release: $DIST/$name.tar.gz ($(du -h "$DIST/$name.tar.gz" | cut -f1)), binary $(du -h "$out/bin/twlint" | cut -f1)"
echo "release: NEEDED $(printf '%s ' $needed)"
echo "release: $("$out/bin/twlint" --version)"
