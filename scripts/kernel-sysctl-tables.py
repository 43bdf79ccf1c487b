#!/usr/bin/env python3
"""Derive the sysctl names a kernel source tree defines, one table per kernel series.

For each tree (a git repository, read with ``git grep``/``git cat-file``; nothing is built
or checked out) the script finds every ``struct ctl_table`` array, the ``.procname`` of
each entry (directly, or as the first string argument of an entry macro such as
``DEVINET_SYSCTL_RW_ENTRY(FORWARDING, "forwarding")``), the ``.child`` links of
old-style nested tables, and the call that registers the table under a /proc/sys path:

  register_net_sysctl[_sz](net, "net/ipv4", table)       register_sysctl[_init|_sz]("kernel", table)
  register_sysctl_paths(ctl_path_array, table)           register_sysctl_table(root_with_children)
  register_sysctl_base(kernel) + DECLARE_SYSCTL_BASE(kernel, kern_table)

A table passed through a local copy (``tbl = kmemdup(ipv4_net_table, ...)``) is followed
back to the array in the same file; a path built with ``snprintf(path, ..., "net/ipv4/conf/%s", ...)``
becomes a family with ``*`` for the interface.  A handful of registrations that go through
helpers are listed in REGISTRATION_OVERRIDES with the source that shows them.

Each entry also records the preprocessor conditions around it (``#ifdef CONFIG_...``), so a
table can be compared with a kernel built from a known .config.

Output: kb/catalog/versions.xml, one <kernel> element per series (oldest first) with the tree,
commit, exact release (from the Makefile), and the keys added and removed since the series
before; a key carries the CONFIG_ condition of its entry when there is one.  Keys are normalised as scripts/gen-catalog.py does (interface -> "*").

Usage:
  scripts/kernel-sysctl-tables.py SERIES=GITDIR[:SUBDIR][#COMMIT][@TREE-NAME] ... [-o kb/catalog/versions.xml]
  e.g. 6.1=/work/.mirror/unifreq+linux-6.1.y/repo@unifreq/linux-6.1.y
Standard library only (and scripts/ctltable.py, which reads the trees).
"""

import argparse
import os
import re
import subprocess
import sys
from xml.sax.saxutils import quoteattr

from ctltable import Tree, git, match_brace, split_top, strip_comments

# Directories searched for ctl_table definitions (most drivers left out: their keys are hardware-specific
# and outside what twlint checks).  arch/ is read whole: later kernels moved architecture keys such as
# kernel.spin_retry (s390) from kernel/sysctl.c into arch/.
SEARCH_PATHS = ['net', 'kernel', 'io_uring', 'mm', 'fs', 'ipc', 'init', 'security', 'crypto', 'lib', 'block',
                'drivers/char', 'drivers/tty', 'drivers/cdrom', 'drivers/md', 'drivers/scsi',
                'drivers/parport', 'drivers/base', 'drivers/perf', 'drivers/hv', 'drivers/macintosh',
                'arch']

# Registrations whose path the generic reading cannot see; (file, table) -> list of paths.
# neighbour.c registers neigh_sysctl_template for "net/ipv4/neigh/<dev>" and "net/ipv6/neigh/<dev>"
# (neigh_sysctl_register: snprintf "net/%s/neigh/%s" with the protocol's name).
REGISTRATION_OVERRIDES = {
    ('net/core/neighbour.c', 'neigh_vars'): ['net/ipv4/neigh/*', 'net/ipv6/neigh/*'],
    ('net/core/neighbour.c', 'neigh_sysctl_template'): ['net/ipv4/neigh/*', 'net/ipv6/neigh/*'],
    # kernel/sysctl.c before the register_sysctl_base() era: sysctl_base_table has "kernel",
    # "vm", "fs", "debug", "dev" children and is registered by sysctl_init()
    ('kernel/sysctl.c', 'sysctl_base_table'): [''],
    # net/ipv6/sysctl_net_ipv6.c registers copies made by ipv6_route_sysctl_init() (route.c) and
    # ipv6_icmp_sysctl_init() (icmp.c) under "net/ipv6/route" and "net/ipv6/icmp"
    ('net/ipv6/route.c', 'ipv6_route_table_template'): ['net/ipv6/route'],
    ('net/ipv6/icmp.c', 'ipv6_icmp_table_template'): ['net/ipv6/icmp'],
    # DECnet registers per device "net/decnet/conf/<dev>" (dn_dev.c); left out (removed in 6.1)
}

# The trees the committed kb/catalog/versions.xml was read from: series, GitHub repository (a stored
# snapshot, fetched to MIRROR/<owner>+<name>/repo), commit, and the directory of the kernel inside it.
# A stable tree's table describes its newest release, backports included (6.1.166 has
# net.core.mem_pcpu_rsv, which mainline added in 6.9).
# Mainline-history mirrors are too large to fetch here; these are stable-series trees (the newest
# release each snapshot holds).  Vendor trees carry board patches (arch/, drivers/), and a few carry
# network patches: keys only such patches add are listed in VENDOR_KEYS and left out.
TREES = [
    ('4.9', 'eugene-rom/linux-4.9.337-sbc2440v4', 'd03679499b4cd0366d26eaf57785a18f4ee4ccd8', ''),
    ('4.14', 'linuxzjs/linux-4.14', '7b102d5dac53c2ed11c61fbe33b99686997c1fa9', 'linux-4.14.177'),
    ('4.19', 'maxiangpan/linux-4.19', 'c46e277ca0cf5593d05ab29abf55eed425c41de5', 'kernel'),
    ('5.4', 'unifreq/linux-5.4.y', '101662a61a6071d22c519ed4e87e9fd9071f8206', ''),
    ('5.10', 'unifreq/linux-5.10.y', 'dd73f55c9408f0919576ee786ffef7ce05e166fd', ''),
    ('5.15', 'unifreq/linux-5.15.y', '5c88653f6cce7b3613a006a946327069025ae844', ''),
    ('6.1', 'unifreq/linux-6.1.y', '525d1212a677aa9e9a030d9478ca66e87a828527', ''),
    ('6.6', 'unifreq/linux-6.6.y', '3c7c31e62162ab532313e24a3bfef881c9698796', ''),
    ('6.12', 'unifreq/linux-6.12.y', 'b7b5852e82a47c2de1ca02add189cd61b70213e5', ''),
    # 6.18.35 trees seen (leftymods/linux-6.18.y, RBCSFQ/linux-6.18.y) carry 6.19 TCP backports
    # (tcp_rcvbuf_low_rtt, tcp_comp_sack_rtt_percent, net.core.bypass_prot_mem ...); this 6.18.2 tree's
    # net/ agrees key for key with a booted 6.18.44 kernel (net.ipv4/ipv6/core/unix); it carries the
    # MuQSS scheduler patch, so its kernel.sched_* keys are not mainline's.
    ('6.18', 'gfunkmonk/linux-6.18.2', '062668f4d006', ''),
    # releases between the LTS series, where a stored snapshot exists: they pin the release that
    # added or removed a key to one release instead of a range of LTS series
    ('6.2', 'daniellucs2002/linux-6.2.1-customized', '9a50c8f9bea1aa262e69325d0e36eb429eea0c77', ''),
    ('6.3', 'SToPire/linux-6.3.8', '1ab8cd40ddb5954e6b6f08a0ebab25fff666a109', ''),
    ('6.4', 'lewisevans2007/linux-6.4', '9862bdef2c0d4346b05f4f9b46a09e854b94d113', ''),
    # (sndrzt/linux-6.5 was tried and left out: its snapshot lacks net/netfilter/ipvs and the xfrm tables)
    ('6.8', 'vivo50kff/linux-6.8', 'bc4fae0d3fa35153a7509231d7ef715e86135279', ''),
    ('6.9', 'ec-jt/linux-6.9.0', 'b1202024224738c7135d199f95d34c215ad45ca3', ''),
    ('6.11', 'segzix/linux-6.11.11', '323e1467a22aaea3ee700cb626c7b401abb18981', ''),
    ('6.13', 'vivo50kff/linux-6.13.2', '9994c1effb65cfa16a3984c80c2bdcc95066982c', ''),
    ('6.14', 'perishh/linux-6.14', '347b100ec1660714730b2ca3d7a35924461651a3', ''),
    ('6.17', 'busysteve/linux-6.17.0-rust-ported-c', '1e9822c103f8b1cbe44c614eb54c6db9b86558f2', 'linux'),
]

# Keys that only out-of-tree patches in the trees above add (OpenWrt/Armbian network patches).
VENDOR_KEYS = {
    'net.core.backlog_threaded': 'OpenWrt "net: add support for threaded NAPI backlog" patch',
    'net.netfilter.nf_conntrack_tcp_no_window_check': 'OpenWrt "netfilter: optional tcp window check" patch',
}

# Tables that never show under /proc/sys as such (templates copied elsewhere, mount points).
IGNORE_TABLES = {'sysctl_mount_point'}

TABLE_RE = re.compile(r'struct\s+ctl_table\s+(\w+)\s*\[[^\]]*\]\s*(?:__\w+(?:\([^)]*\))?\s*)*=\s*\{')
FIELD_DECL_RE = re.compile(r'struct\s+ctl_table\s+(\w+)\s*\[[^\]]*\]\s*;')
PATH_RE = re.compile(r'struct\s+ctl_path\s+(\w+)\s*\[[^\]]*\]\s*(?:__\w+\s*)*=\s*\{')
REG_RE = re.compile(r'\b(register_net_sysctl(?:_sz)?|register_sysctl(?:_init|_sz)?|__register_sysctl_table|'
                    r'register_sysctl_paths|register_sysctl_table|register_sysctl_base|__register_sysctl_init)\s*\(')
KEY_RE = re.compile(r'[a-z0-9_\-]+(\.[a-zA-Z0-9_\-*]+)+')


def line_conditions(text):
    """For each line, the preprocessor conditions in force (innermost last), as strings."""
    conds, stack = [], []
    lines = text.split('\n')
    for i, line in enumerate(lines):
        s = line.strip()
        j = i
        while s.endswith('\\') and j + 1 < len(lines):
            j += 1
            s = s[:-1] + ' ' + lines[j].strip()
        m = re.match(r'#\s*(ifdef|ifndef|if|elif|else|endif)\b(.*)', s)
        conds.append(list(stack))
        if not m:
            continue
        kind, rest = m.group(1), m.group(2).strip()
        rest = re.sub(r'\s+', ' ', rest)
        if kind == 'ifdef':
            stack.append(rest)
        elif kind == 'ifndef':
            stack.append('!' + rest)
        elif kind == 'if':
            stack.append(rest)
        elif kind == 'elif':
            if stack:
                stack[-1] = '!(%s) && (%s)' % (stack[-1], rest)
        elif kind == 'else':
            if stack:
                top = stack[-1]
                stack[-1] = top[1:] if top.startswith('!') and ' ' not in top else '!(%s)' % top
        elif kind == 'endif':
            if stack:
                stack.pop()
        conds[-1] = list(stack) if kind != 'endif' else conds[-1]
    return conds


def simplify(conds):
    """Keep CONFIG_ conditions (IS_ENABLED()/defined() unwrapped); drop include guards and others."""
    out = []
    for c in conds:
        c2 = re.sub(r'IS_ENABLED\((\w+)\)|IS_BUILTIN\((\w+)\)|defined\s*\(?\s*(\w+)\s*\)?',
                    lambda m: m.group(1) or m.group(2) or m.group(3), c)
        if 'CONFIG_' not in c2:
            continue
        if c2.strip() not in out:
            out.append(c2.strip())
    return ' && '.join(('(%s)' % c) if (' ' in c and not c.startswith('!(')) else c for c in out)


class FileInfo:
    def __init__(self, path, raw):
        self.path = path
        self.text = strip_comments(raw)
        self.lines = line_conditions(self.text)
        self.line_starts = [0]
        for m in re.finditer('\n', self.text):
            self.line_starts.append(m.end())
        self.tables = {}    # name -> list of (procname or None, child or None, condition)
        self.paths = {}     # ctl_path array name -> "a/b"
        self.regs = []      # (call, args, offset)
        self.defines = {}   # macro name -> string literal
        self.parse()

    def line_of(self, off):
        lo, hi = 0, len(self.line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.line_starts[mid] <= off:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def cond_at(self, off):
        return simplify(self.lines[self.line_of(off)])

    def parse_table(self, name, brace):
        end = match_brace(self.text, brace)
        body = self.text[brace + 1:end - 1]
        entries = []
        for start, item in split_top(body):
            off = brace + 1 + start + (len(item) - len(item.lstrip()))
            pm = re.search(r'\.procname\s*=\s*"([^"]*)"', item)
            proc = pm.group(1) if pm else None
            if proc is None:
                mm = re.match(r'\s*([A-Z_][A-Z0-9_]*)\s*\((.*)\)\s*$', item, re.S)
                if mm:
                    sm = re.search(r'"([^"]+)"', mm.group(2))
                    if sm:
                        proc = sm.group(1)
                    else:
                        # stringified name: MACRO(foo) with "#name" in the macro body
                        md = re.search(r'#define\s+%s\s*\(([^)]*)\)(.*?)(?<!\\)\n' % mm.group(1), self.text, re.S)
                        if md and '#' in md.group(2):
                            params = [p.strip() for p in md.group(1).split(',')]
                            args = [a.strip() for a in mm.group(2).split(',')]
                            sp = re.search(r'\.procname\s*=\s*#\s*(\w+)', md.group(2))
                            if sp and sp.group(1) in params and params.index(sp.group(1)) < len(args):
                                proc = args[params.index(sp.group(1))]
            if proc is None:
                pm2 = re.search(r'\.procname\s*=\s*(\w+)\b', item)
                if pm2 and pm2.group(1) in self.defines:
                    proc = self.defines[pm2.group(1)]
            cm = re.search(r'\.child\s*=\s*&?(\w+)', item)
            if proc is None and cm is None:
                continue
            if cm is None and re.search(r'\.mode\s*=\s*0555', item):
                continue   # a directory whose entries are added elsewhere
            entries.append((proc, cm.group(1) if cm else None, self.cond_at(off)))
        self.tables.setdefault(name, []).extend(entries)

    def parse(self):
        t = self.text
        for m in re.finditer(r'#define\s+(\w+)\s+"([^"]*)"', t):
            self.defines[m.group(1)] = m.group(2)
        for m in re.finditer(r'const\s+char\s+(\w+)\s*\[\s*\]\s*=\s*"([^"]*)"', t):
            self.defines[m.group(1)] = m.group(2)
        for m in TABLE_RE.finditer(t):
            self.parse_table(m.group(1), m.end() - 1)
        # ctl_table arrays inside a struct initialiser: struct x { struct ctl_table f[N]; } v = { .f = { ... } }
        for m in FIELD_DECL_RE.finditer(t):
            field = m.group(1)
            for im in re.finditer(r'\.%s\s*=\s*\{' % re.escape(field), t):
                self.parse_table(field, im.end() - 1)
        for m in PATH_RE.finditer(t):
            end = match_brace(t, m.end() - 1)
            names = re.findall(r'\.procname\s*=\s*"([^"]*)"', t[m.end():end])
            self.paths[m.group(1)] = '/'.join(names)
        for m in REG_RE.finditer(t):
            if t[max(0, m.start() - 12):m.start()].rstrip().endswith(('int', '*')) and \
                    re.search(r'\)\s*\{', t[m.end():m.end() + 400]) and ';' not in t[m.end():match_brace(t, m.end() - 1)]:
                continue  # a definition, not a call
            end = match_brace(t, m.end() - 1)
            args = [a.strip() for _, a in split_top(t[m.end():end - 1])]
            self.regs.append((m.group(1), args, m.start()))

    def function_start(self, off):
        """Offset of the start of the function containing off (the last line starting with '{' or a
        top-level definition before it); good enough to limit a backwards search."""
        idx = self.text.rfind('\n}', 0, off)
        return 0 if idx < 0 else idx

    def resolve_table(self, expr, off):
        """The table name an argument expression refers to."""
        expr = expr.strip().lstrip('&')
        if '->' in expr or '.' in expr:
            field = re.split(r'->|\.', expr)[-1].strip()
            if field in self.tables:
                return field
        if expr in self.tables:
            return expr
        # local variable: the nearest assignment before the call within the function
        start = self.function_start(off)
        seg = self.text[start:off]
        best = None
        for am in re.finditer(r'\b%s\s*=\s*(?:kmemdup\s*\(\s*)?&?(\w+)' % re.escape(expr.split('->')[-1]), seg):
            if am.group(1) in self.tables:
                best = am.group(1)
        if best:
            return best
        # the only non-static-registered table of the file
        return None

    def resolve_path(self, expr, off):
        expr = expr.strip()
        lm = re.fullmatch(r'"([^"]*)"', expr)
        if lm:
            return [lm.group(1)]
        # adjacent string literals / macros: "net/" "ipv4"
        if expr in self.defines:
            return [self.defines[expr]]
        start = self.function_start(off)
        seg = self.text[start:off]
        sm = None
        for m in re.finditer(r'snprintf\s*\(\s*%s\s*,[^,]+,\s*"([^"]*)"' % re.escape(expr), seg):
            sm = m
        if sm:
            return [re.sub(r'%s', '*', sm.group(1))]
        return None


def collect(tree):
    try:
        out = git(tree.git_dir, 'grep', '-l', '-E', r'struct ctl_table|ctl_table\b', tree.commit, '--',
                  *(tree.prefix + p for p in SEARCH_PATHS))
    except subprocess.CalledProcessError:
        out = b''
    files = [line.split(':', 1)[1][len(tree.prefix):] for line in out.decode().splitlines()]
    texts = tree.read_many([p for p in files if p.endswith(('.c', '.h'))])
    return {p: FileInfo(p, t) for p, t in texts.items()}


def normalize(comps):
    comps = [c for c in comps if c]
    if len(comps) < 2:
        return None
    if comps[0] == 'net' and len(comps) >= 5 and comps[1] in ('ipv4', 'ipv6') and comps[2] in ('conf', 'neigh'):
        comps[3] = '*'
    elif comps[0] == 'net' and len(comps) >= 5 and comps[1] == 'mpls' and comps[2] == 'conf':
        comps[3] = '*'
    elif comps[0] == 'net' and len(comps) >= 4 and comps[1] == 'ax25':
        comps[2] = '*'
    key = '.'.join(comps)
    return key if KEY_RE.fullmatch(key) else None


def build(infos):
    """key -> condition ('' when unconditional within its file)."""
    all_tables = {}
    for path, fi in infos.items():
        for name in fi.tables:
            all_tables.setdefault(name, []).append(fi)
    keys = {}
    unresolved = []

    def emit(fi, table, base, cond, seen):
        if (fi.path, table, base) in seen:
            return
        seen.add((fi.path, table, base))
        for proc, child, c in fi.tables.get(table, []):
            parts = []
            for x in (cond + ' && ' + c).split(' && '):
                x = x.strip()
                if x and x not in parts:
                    parts.append(x)
            cc = ' && '.join(parts) if '(' not in cond + c else ' && '.join(x for x in (cond, c) if x and (x != cond or x != c))
            if child:
                owners = [f for f in all_tables.get(child, [])]
                owner = fi if fi in owners else (owners[0] if len(owners) == 1 else None)
                if owner is None:
                    # several files define the same child name: take every one
                    for o in owners:
                        emit(o, child, base + '/' + (proc or ''), cc, seen)
                else:
                    emit(owner, child, base + '/' + (proc or ''), cc, seen)
                continue
            if proc is None:
                continue
            k = normalize((base + '/' + proc).split('/'))
            if k is None:
                continue
            # a key that exists unconditionally anywhere is unconditional
            if k not in keys or (keys[k] and not cc):
                keys[k] = cc
            elif keys[k] and cc and cc != keys[k] and ' || ' not in keys[k]:
                keys[k] = '(%s) || (%s)' % (keys[k], cc)

    seen = set()
    for path, fi in sorted(infos.items()):
        for (call, args, off) in fi.regs:
            table = path_list = None
            if call in ('register_net_sysctl', 'register_net_sysctl_sz'):
                if len(args) < 3:
                    continue
                path_list, table = fi.resolve_path(args[1], off), fi.resolve_table(args[2], off)
            elif call in ('register_sysctl', 'register_sysctl_init', 'register_sysctl_sz', '__register_sysctl_init'):
                if len(args) < 2:
                    continue
                path_list, table = fi.resolve_path(args[0], off), fi.resolve_table(args[1], off)
            elif call == '__register_sysctl_table':
                if len(args) < 3:
                    continue
                path_list, table = fi.resolve_path(args[1], off), fi.resolve_table(args[2], off)
            elif call == 'register_sysctl_paths':
                if len(args) < 2:
                    continue
                p = fi.paths.get(args[0].lstrip('&'))
                path_list, table = ([p] if p is not None else None), fi.resolve_table(args[1], off)
            elif call == 'register_sysctl_table':
                if not args:
                    continue
                path_list, table = [''], fi.resolve_table(args[0], off)
            elif call == 'register_sysctl_base':
                if not args:
                    continue
                dm = re.search(r'DECLARE_SYSCTL_BASE\s*\(\s*%s\s*,\s*(\w+)\s*\)' % re.escape(args[0]), fi.text)
                if dm:
                    path_list, table = [args[0]], dm.group(1)
            ov = [v for (f, t), v in REGISTRATION_OVERRIDES.items() if f == path and table in (t, None)]
            if table and (path, table) in REGISTRATION_OVERRIDES:
                path_list = REGISTRATION_OVERRIDES[(path, table)]
            if table is None or path_list is None:
                unresolved.append('%s: %s(%s)' % (path, call, ', '.join(args)))
                continue
            for p in path_list:
                emit(fi, table, p.strip('/'), fi.cond_at(off), seen)
    # overrides for tables whose registration call the reader cannot see at all
    for (path, table), plist in REGISTRATION_OVERRIDES.items():
        fi = infos.get(path)
        if fi and table in fi.tables:
            for p in plist:
                emit(fi, table, p.strip('/'), '', seen)
    return keys, unresolved


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('trees', nargs='*', help='SERIES=GITDIR[:SUBDIR][#COMMIT][@TREE-NAME]')
    ap.add_argument('--mirror', help='read the TREES list from MIRROR/<owner>+<name>/repo')
    ap.add_argument('-o', '--output', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'kb', 'catalog', 'versions.xml'))
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args(argv)

    specs = list(args.trees)
    if args.mirror:
        for series, repo, commit, subdir in TREES:
            gitdir = os.path.join(args.mirror, repo.replace('/', '+'), 'repo')
            specs.append('%s=%s%s#%s@%s' % (series, gitdir, (':' + subdir) if subdir else '', commit, repo))
    if not specs:
        ap.error('name trees or --mirror')
    blocks = []
    for spec in specs:
        series, rest = spec.split('=', 1)
        rest, _, tree = rest.partition('@')
        rest, _, rev = rest.partition('#')
        gitdir, _, subdir = rest.partition(':')
        commit = git(gitdir, 'rev-parse', (rev or 'HEAD') + '^{commit}').decode().strip()
        source = Tree(gitdir, commit, subdir)
        release = source.release()
        infos = collect(source)
        keys, unresolved = build(infos)
        for k in VENDOR_KEYS:
            keys.pop(k, None)
        print('%s (%s, %s@%s): %d keys from %d files, %d registrations unresolved' % (
            series, release, tree, commit[:12], len(keys), len(infos), len(unresolved)), file=sys.stderr)
        if args.verbose:
            for u in unresolved:
                print('  unresolved: ' + re.sub(r'\s+', ' ', u), file=sys.stderr)
        blocks.append((series, release, tree or gitdir, commit, subdir, keys))

    def vkey(s):
        return tuple(int(x) for x in s.split('.'))

    blocks.sort(key=lambda b: vkey(b[0]))
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           '<!-- Generated by scripts/kernel-sysctl-tables.py from the ctl_table definitions of the trees named\n'
           '     below; do not edit by hand.  One <kernel> per series, oldest first: the first lists every key its source\n'
           '     defines, each later one the keys added (or whose condition changed) and removed since the one before.\n'
           '     An <added if="..."> key exists only when that kernel configuration holds (the #if around its entry). -->\n',
           '<catalog xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:noNamespaceSchemaLocation="../../schema/kb.xsd">\n']
    previous = {}
    for series, release, tree, commit, subdir, keys in blocks:
        attrs = 'series=%s release=%s tree=%s commit=%s' % (quoteattr(series), quoteattr(release),
                                                           quoteattr(tree), quoteattr(commit))
        if subdir:
            attrs += ' subdir=%s' % quoteattr(subdir)
        out.append('  <kernel %s count="%d">\n' % (attrs, len(keys)))
        # keys new in this table (or whose configuration condition changed), grouped by condition
        groups = {}
        for k, c in keys.items():
            if k not in previous or previous[k] != c:
                groups.setdefault(c or '', []).append(k)
        for c in sorted(groups):
            out.append('    <added%s>\n' % ((' if=%s' % quoteattr(c)) if c else '') +
                       ''.join('      %s\n' % k for k in sorted(groups[c])) + '    </added>\n')
        gone = sorted(k for k in previous if k not in keys)
        if gone:
            out.append('    <removed>\n' + ''.join('      %s\n' % k for k in gone) + '    </removed>\n')
        out.append('  </kernel>\n')
        previous = keys
    out.append('  <references>\n')
    for series, release, tree, commit, subdir, keys in blocks:
        if '/' in tree and not tree.startswith('/'):
            out.append('    <url href=%s title=%s/>\n' % (
                quoteattr('https://github.com/%s/tree/%s' % (tree, commit)),
                quoteattr('Linux %s source (%s at %s)' % (release, tree, commit[:12]))))
    out.append('    <source path="scripts/kernel-sysctl-tables.py"/>\n')
    out.append('  </references>\n</catalog>\n')
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write(''.join(out))
    print('wrote %s' % os.path.normpath(args.output), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
