#!/bin/bash
# Applies sysctl.d trees with the real appliers and dumps /proc/sys/net afterwards.
#
#   applier-oracle.sh TREES OUT
#
# TREES/<n>/ holds etc/sysctl.d, run/sysctl.d, usr/local/lib/sysctl.d, usr/lib/sysctl.d and optionally
# etc/sysctl.conf. For every tree and every applier (systemd = /lib/systemd/systemd-sysctl, procps =
# sysctl --system) the tree is copied over the system's sysctl directories and the applier runs in a
# fresh network namespace; OUT/<n>.<applier> is `grep -r` of /proc/sys/net afterwards. OUT/baseline
# is the same for a fresh namespace where nothing was applied.
#
# Run it ONLY as `unshare -m -n applier-oracle.sh ...`: it refuses to run unless its mount and network
# namespaces differ from PID 1's, so the host's directories and sysctls are never touched.
set -u
trees=$1 out=$2
for ns in mnt net; do
    if [ "$(readlink /proc/self/ns/$ns)" = "$(readlink /proc/1/ns/$ns)" ]; then
        echo "applier-oracle: refusing to run: not in a private $ns namespace" >&2
        exit 3
    fi
done
# The mount points must exist: this script never creates anything on the host's file system.
for path in /etc/sysctl.d /usr/lib/sysctl.d /run /usr/local/lib /etc/sysctl.conf; do
    if [ ! -e "$path" ]; then echo "applier-oracle: $path does not exist on this host; not creating it" >&2; exit 5; fi
done
mount --make-rprivate / || exit 4
# Cover every directory either applier reads, and /etc/sysctl.conf, with this namespace's own copies.
mount -t tmpfs tmpfs /etc/sysctl.d || exit 4
mount -t tmpfs tmpfs /usr/lib/sysctl.d || exit 4
mount -t tmpfs tmpfs /run || exit 4
mount -t tmpfs tmpfs /usr/local/lib || exit 4
if [ ! -L /lib ] && [ -d /lib/sysctl.d ]; then mount -t tmpfs tmpfs /lib/sysctl.d || exit 4; fi
stage=$(mktemp -d)
mount -t tmpfs tmpfs "$stage" || exit 4
: > "$stage/sysctl.conf"
mount --bind "$stage/sysctl.conf" /etc/sysctl.conf || exit 4
mkdir -p /run/sysctl.d /usr/local/lib/sysctl.d

dump() { grep -r -H '' /proc/sys/net 2>/dev/null | LC_ALL=C sort; }
unshare -n bash -c "$(declare -f dump); dump" > "$out/baseline"
unshare -n find /proc/sys/net -type f -perm -u=w | LC_ALL=C sort > "$out/writable"

for tree in "$trees"/*/; do
    n=$(basename "$tree")
    for d in etc/sysctl.d run/sysctl.d usr/local/lib/sysctl.d usr/lib/sysctl.d; do
        find "/$d" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
        [ -d "$tree$d" ] && cp -a "$tree$d/." "/$d/"
    done
    if [ -f "$tree/etc/sysctl.conf" ]; then cat "$tree/etc/sysctl.conf" > /etc/sysctl.conf; else : > /etc/sysctl.conf; fi
    unshare -n bash -c "$(declare -f dump); /lib/systemd/systemd-sysctl >/dev/null 2>&1; dump" > "$out/$n.systemd"
    unshare -n bash -c "$(declare -f dump); /usr/sbin/sysctl --system >/dev/null 2>&1; dump" > "$out/$n.procps"
done
umount /etc/sysctl.conf; umount "$stage"; rmdir "$stage"
