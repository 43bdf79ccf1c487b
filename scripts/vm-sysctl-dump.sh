#!/bin/sh
# Boot a kernel image under QEMU (TCG; no KVM needed) from a busybox initramfs that prints every
# /proc/sys entry (name and value), /proc/net/netstat and /proc/net/snmp to the serial console, then
# powers off.  Used by the booted-kernel test (Tests/TWLintKitTests/BootedKernelTests.swift).
#
#   scripts/vm-sysctl-dump.sh VMLINUZ OUTPUT [TIMEOUT-SECONDS]
#
# Needs qemu-system-x86_64, a static busybox (/bin/busybox from busybox-static) and cpio.
# Output lines: "S <path under /proc/sys> <value, newlines as \n>" ("W <path>" when the entry cannot
# be read), then the netstat and snmp files between "=== netstat" / "=== snmp" / "=== end" markers, and
# under "=== qdisc" writes to net.core.default_qdisc: "Q <written>|<exit status>|<read back>|<error>".
set -eu
kernel=$1
out=$2
timeout=${3:-300}
busybox=${BUSYBOX:-/bin/busybox}

for tool in qemu-system-x86_64 cpio; do
    command -v "$tool" >/dev/null 2>&1 || { echo "vm-sysctl-dump: $tool is missing" >&2; exit 3; }
done
file "$busybox" 2>/dev/null | grep -q 'statically linked' || [ -x "$busybox" ] || { echo "vm-sysctl-dump: no static busybox at $busybox" >&2; exit 3; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/root/bin" "$work/root/proc" "$work/root/sys" "$work/root/dev"
cp "$busybox" "$work/root/bin/busybox"
cat > "$work/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
ip link set lo up 2>/dev/null
echo "=== sysctl"
cd /proc/sys
find . -type f | sort | while read -r f; do
    p=${f#./}
    if v=$(cat "$f" 2>/dev/null); then
        printf 'S %s %s\n' "$p" "$(printf '%s' "$v" | awk 'BEGIN{ORS=""} NR>1{print "\\n"} {print}')"
    else
        printf 'W %s\n' "$p"
    fi
done
echo "=== netstat"
cat /proc/net/netstat
echo "=== snmp"
cat /proc/net/snmp
echo "=== qdisc"
# Writes to net.core.default_qdisc (global, so only here in the VM, never on a host): per name the exit
# status of the write, the value read back afterwards and the error text (blanks as _).  No modules are in
# this initramfs, so only qdiscs built into the kernel can be found.
mkdir -p /tmp
for v in pfifo_fast fq_codel fq nosuchqdisc 'fq_codel # c' pfifo_fast; do
    (echo "$v" > /proc/sys/net/core/default_qdisc) 2>/tmp/qerr
    rc=$?
    printf 'Q %s|%s|%s|%s\n' "$v" "$rc" "$(cat /proc/sys/net/core/default_qdisc)" "$(tr ' \n' '__' < /tmp/qerr)"
done
echo "=== uname"
uname -r
echo "=== end"
poweroff -f
EOF
chmod 755 "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip -1 > "$work/initrd.gz")

# TCG: nested KVM is not available on the CI machines.  The console is the only output channel.
# QEMU runs detached (double fork, reaped by init), so its memory does not count in the rusage of the
# process that runs this script (a test measuring its children's peak RSS would otherwise see QEMU's).
( setsid sh -c 'timeout "$0" qemu-system-x86_64 -accel tcg,tb-size=64 -cpu max -m 256 -smp 1 -nographic -no-reboot \
    -kernel "$1" -initrd "$2/initrd.gz" -append "console=ttyS0 panic=-1 quiet loglevel=1" \
    -nic none -serial stdio -monitor none -display none </dev/null > "$2/console" 2>&1; echo $? > "$2/done"' \
    "$timeout" "$kernel" "$work" </dev/null >/dev/null 2>&1 & )
waited=0
while [ ! -f "$work/done" ] && [ "$waited" -le "$((timeout + 10))" ]; do
    sleep 1
    waited=$((waited + 1))
done
tr -d '\r' < "$work/console" > "$out"
grep -q '^=== end' "$out" || { echo "vm-sysctl-dump: the VM did not finish (see $out)" >&2; exit 4; }
