#!/usr/bin/env python3
"""Kernel-write oracle helper: performs sysctl writes in a private network and mount namespace.

Run by Tests/TWLintKitTests/KernelWriteOracleTests.swift as
    unshare -m -n -- python3 scripts/oracle-kernel-write.py CASES.json RESULTS.json net:[…] mnt:[…]
CASES: one line per case, "KEY<TAB>HEX" (HEX: the bytes to write, hex-encoded), after any number of lines
"context<TAB>KEY" naming sysctls whose values the caller needs.
For every case: read the value, write the bytes with one write(2) at offset 0, record the errno or the count
returned, read the value again, and write the old value back when it changed.  RESULTS: "hz N" (CONFIG_HZ from
/proc/config.gz, or "hz ?"), "context KEY HEX" per readable context key, then one line per case in order:
"absent", "unreadable", "skipped" (a write that could load a module on the host), or "ok COUNT BEFORE AFTER" / "err ERRNO BEFORE AFTER" (values hex-encoded, final newline
removed) followed by " restore-failed" when the old value could not be written back.  Plain text keeps the
caller's memory small.

It refuses to write anything unless this process is in a network namespace and a mount namespace other than
its caller's (given as arguments) and PID 1's (when /proc/1 can be inspected), so the host is never changed.  Standard library only.
"""

import errno
import gzip
import os
import re
import sys


def ns(pid, kind):
    return os.readlink(f'/proc/{pid}/ns/{kind}')


def path_of(key):
    # /proc/sys path of a dotted key; a "/" in an interface name stands for a "."
    return '/proc/sys/' + '/'.join(part.replace('/', '.') for part in key.split('.'))


def read(path):
    with open(path, 'rb') as f:
        return f.read().decode('latin-1')


def write(path, data):
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        return None, e.errno  # opening for writing is refused (mode 0444 in this namespace)
    try:
        return os.write(fd, data), None
    except OSError as e:
        return None, e.errno
    finally:
        os.close(fd)


def config_hz():
    try:
        with gzip.open('/proc/config.gz', 'rt') as f:
            m = re.search(r'^CONFIG_HZ=(\d+)$', f.read(), re.M)
            return int(m.group(1)) if m else None
    except OSError:
        return None


def main():
    cases_path, results_path = sys.argv[1], sys.argv[2]
    # argv[3:]: the caller's own namespaces (net:[…] mnt:[…]), read before it ran unshare
    parent = set(sys.argv[3:])
    for kind in ('net', 'mnt'):
        own = ns('self', kind)
        if own in parent:
            sys.exit(f'refusing to write: this process shares the {kind} namespace of its caller ({own})')
        try:
            if own == ns(1, kind):
                sys.exit(f'refusing to write: this process shares the {kind} namespace of PID 1')
        except PermissionError:
            pass  # PID 1 not inspectable here; the caller's namespaces were checked
    def hexed(text):
        return text.rstrip('\n').encode('latin-1').hex() or '-'

    # A congestion control name that is not registered makes the kernel run modprobe tcp_NAME on the host
    # (tcp_ca_find_autoload(), net/ipv4/tcp_cong.c) when it has modules: such a name is not written ("skipped").
    modules = os.path.exists('/proc/modules')
    try:
        available = set(read(path_of('net.ipv4.tcp_available_congestion_control')).split())
    except OSError:
        available = set()

    def loads_a_module(key, data):
        if not modules or key != 'net.ipv4.tcp_congestion_control':
            return False
        name = data.split(b'\n')[0].split(b'\0')[0][:15].decode('latin-1')
        return name not in available and re.fullmatch(r'[A-Za-z0-9_.-]+', name) is not None

    with open(cases_path) as cases, open(results_path, 'w') as out:
        hz = config_hz()
        out.write(f'hz {hz if hz else "?"}\n')
        for line in cases:
            key, _, arg = line.rstrip('\n').partition('\t')
            if key == 'context':
                try:
                    out.write(f'context {arg} {hexed(read(path_of(arg)))}\n')
                except OSError:
                    pass
                continue
            path = path_of(key)
            data = bytes.fromhex(arg)
            if loads_a_module(key, data):
                out.write('skipped\n')
                continue
            try:
                before = read(path)
            except OSError as e:
                out.write('absent\n' if e.errno == errno.ENOENT else 'unreadable\n')
                continue
            count, err = write(path, data)
            after = read(path)
            status = f'err {err}' if err is not None else f'ok {count}'
            restore = ''
            if after != before:
                write(path, before.encode('latin-1'))
                if read(path) != before:
                    restore = ' restore-failed'
            out.write(f'{status} {hexed(before)} {hexed(after)}{restore}\n')


if __name__ == '__main__':
    main()
