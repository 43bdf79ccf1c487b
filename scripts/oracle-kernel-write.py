#!/usr/bin/env python3
"""Kernel-write oracle helper: performs sysctl writes in a private network and mount namespace.

Run by Tests/TWLintKitTests/KernelWriteOracleTests.swift as
    unshare -m -n -- python3 scripts/oracle-kernel-write.py CASES.json RESULTS.json net:[…] mnt:[…]
CASES.json: {"cases": [{"key": "net.ipv4.tcp_rmem", "text": "<latin-1 string of the bytes to write>"}, ...],
             "context": ["net.ipv4.ip_unprivileged_port_start", ...]}
For every case: read the value, write the bytes with one write(2) at offset 0, record the errno or the count
returned, read the value again, and write the old value back when it changed.  RESULTS.json holds one entry
per case, plus the namespace's values of the "context" keys and CONFIG_HZ (from /proc/config.gz when present).

It refuses to write anything unless this process is in a network namespace and a mount namespace other than
its caller's (given as arguments) and PID 1's (when /proc/1 can be inspected), so the host is never changed.  Standard library only.
"""

import errno
import gzip
import json
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
    with open(cases_path) as f:
        spec = json.load(f)
    context = {}
    for key in spec.get('context', []):
        try:
            context[key] = read(path_of(key)).rstrip('\n')
        except OSError:
            pass
    results = []
    for case in spec['cases']:
        path = path_of(case['key'])
        data = case['text'].encode('latin-1')
        r = {}
        try:
            before = read(path)
        except OSError as e:
            r['absent' if e.errno == errno.ENOENT else 'unreadable'] = e.errno
            results.append(r)
            continue
        count, err = write(path, data)
        if err is not None:
            r['errno'] = err
        else:
            r['count'] = count
        after = read(path)
        r['before'] = before.rstrip('\n')
        r['after'] = after.rstrip('\n')
        if after != before:
            _, err = write(path, before.encode('latin-1'))
            if read(path) != before:
                r['restore_failed'] = err or -1
        results.append(r)
    with open(results_path, 'w') as f:
        json.dump({'hz': config_hz(), 'context': context, 'results': results}, f)


if __name__ == '__main__':
    main()
