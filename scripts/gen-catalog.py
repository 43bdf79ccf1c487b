#!/usr/bin/env python3
"""Generate twlint's key catalog (kb/catalog/keys.xml).

The catalog lists every sysctl name known to exist, so that the unknown-key rule can
flag typos such as ``net.ipv4.tcp_tw_resue`` while accepting real keys.

Names come from two kinds of source:

  * the running kernel's /proc/sys, walked read-only with os.walk (only names are used;
    no file under /proc is opened, so unreadable and write-only entries still count);
  * kernel documentation files given as local paths on the command line:
      Documentation/networking/ip-sysctl.rst         ("name - TYPE" entries under sections)
      Documentation/admin-guide/sysctl/{kernel,vm,fs,net}.rst  (one heading per name)
      Documentation/admin-guide/LSM/Yama.rst        (kernel.yama.*)
    The document kind is recognised from the file name; write ORIGIN=PATH to force it,
    e.g. ``Documentation/admin-guide/sysctl/vm.rst=/tmp/copy.rst``.

Interface-specific keys are collapsed to one family with "*" in place of the interface
(net.ipv4.conf.*.rp_filter).  Keys that do not match the schema's SysctlKey pattern are
left out.  Standard library only.

Usage:
  scripts/gen-catalog.py [-o kb/catalog/keys.xml] [--proc-root /proc/sys] DOC [DOC ...]
"""

import argparse
import os
import re
import sys
from xml.sax.saxutils import escape, quoteattr

# schema/kb.xsd, simpleType SysctlKey
KEY_RE = re.compile(r'[a-z0-9_\-]+(\.[a-zA-Z0-9_\-*]+)+')
NAME_RE = re.compile(r'[A-Za-z0-9_][A-Za-z0-9_\-]*')

# --------------------------------------------------------------------------------------
# Curated data
# --------------------------------------------------------------------------------------

# Keys never written to the catalog although a source may still list them.
EXCLUDE = {
    # removed in 4.12 (commit 4396e46187ca "tcp: remove tcp_tw_recycle"); the kb tracks
    # removed keys separately, so the catalog must not call it a key that exists.
    'net.ipv4.tcp_tw_recycle': 'removed in Linux 4.12',
    # kernel.rst: present only when drivers/char/random.c is built with the source-level
    # #define ADD_INTERRUPT_BENCH (no Kconfig option); not in any regular build.
    'kernel.random.add_interrupt_avg_cycles': 'needs a source-level #define',
    'kernel.random.add_interrupt_avg_deviation': 'needs a source-level #define',
}

# ip-sysctl.rst places a few entries under a section whose directory is not where the
# kernel registers them.  Candidate key (from the section) -> real key.  Each target was
# checked against the kernel source and against /proc/sys of a 6.18 kernel.
IP_SYSCTL_RELOCATE = {
    # listed under "/proc/sys/net/ipv4/* Variables"; registered in ipv4_route_netns_table /
    # ipv4_route_table (net/ipv4/route.c)
    'net.ipv4.min_pmtu': 'net.ipv4.route.min_pmtu',
    'net.ipv4.mtu_expires': 'net.ipv4.route.mtu_expires',
    'net.ipv4.min_adv_mss': 'net.ipv4.route.min_adv_mss',
    # per-interface (devinet_sysctl table, net/ipv4/devinet.c), listed outside conf/*
    'net.ipv4.bc_forwarding': 'net.ipv4.conf.*.bc_forwarding',
    'net.ipv4.force_igmp_version': 'net.ipv4.conf.*.force_igmp_version',
    # neighbour-table parameters (neigh_sysctl_template, net/core/neighbour.c) described
    # inside the ipv4 conf/interface block
    'net.ipv4.conf.*.mcast_solicit': 'net.ipv4.neigh.*.mcast_solicit',
    'net.ipv4.conf.*.ucast_solicit': 'net.ipv4.neigh.*.ucast_solicit',
    'net.ipv4.conf.*.app_solicit': 'net.ipv4.neigh.*.app_solicit',
    'net.ipv4.conf.*.mcast_resolicit': 'net.ipv4.neigh.*.mcast_resolicit',
    'net.ipv4.conf.*.proxy_delay': 'net.ipv4.neigh.*.proxy_delay',
    # listed under "TCP variables"; lives in net/core/sysctl_net_core.c
    'net.ipv4.somaxconn': 'net.core.somaxconn',
    # global ipv4 keys listed after the conf/interface block
    'net.ipv4.conf.*.xfrm4_gc_thresh': 'net.ipv4.xfrm4_gc_thresh',
    'net.ipv4.conf.*.igmp_link_local_mcast_reports': 'net.ipv4.igmp_link_local_mcast_reports',
    # IPv6 section entries registered elsewhere
    'net.ipv6.skip_notify_on_dev_down': 'net.ipv6.route.skip_notify_on_dev_down',
    'net.ipv6.nexthop_compat_mode': 'net.ipv4.nexthop_compat_mode',  # ipv4_net_table
    'net.ipv6.conf.*.fwmark_reflect': 'net.ipv6.fwmark_reflect',
    'net.ipv6.conf.*.ip_nonlocal_bind': 'net.ipv6.ip_nonlocal_bind',
    'net.ipv6.icmp.xfrm6_gc_thresh': 'net.ipv6.xfrm6_gc_thresh',
}

# kernel.rst headings that name a directory; its entries are the ``name`` bullets below
KERNEL_DIR_SECTIONS = {'firmware_config', 'random', 'pty', 'seccomp'}

# net.rst numbered sections without a /proc/sys path in the title (subdirectory table
# at the top of net.rst)
NET_NUMBERED = {'appletalk': 'net.appletalk', 'tipc': 'net.tipc'}

# Document kinds: origin (as written to the catalog), parser, base prefix, rendered URL
DOC_KINDS = {
    'ip-sysctl.rst': ('Documentation/networking/ip-sysctl.rst', 'ip-sysctl', None,
                      'https://docs.kernel.org/networking/ip-sysctl.html',
                      'IP Sysctl (Documentation/networking/ip-sysctl.rst)'),
    'kernel.rst': ('Documentation/admin-guide/sysctl/kernel.rst', 'admin', 'kernel',
                   'https://docs.kernel.org/admin-guide/sysctl/kernel.html',
                   'Documentation for /proc/sys/kernel/'),
    'vm.rst': ('Documentation/admin-guide/sysctl/vm.rst', 'admin', 'vm',
               'https://docs.kernel.org/admin-guide/sysctl/vm.html',
               'Documentation for /proc/sys/vm/'),
    'fs.rst': ('Documentation/admin-guide/sysctl/fs.rst', 'admin', 'fs',
               'https://docs.kernel.org/admin-guide/sysctl/fs.html',
               'Documentation for /proc/sys/fs/'),
    'net.rst': ('Documentation/admin-guide/sysctl/net.rst', 'admin', 'net',
                'https://docs.kernel.org/admin-guide/sysctl/net.html',
                'Documentation for /proc/sys/net/'),
    'Yama.rst': ('Documentation/admin-guide/LSM/Yama.rst', 'admin', 'kernel.yama',
                 'https://docs.kernel.org/admin-guide/LSM/Yama.html',
                 'Yama (Linux Security Module)'),
}

# Key prefixes that only exist while a module is loaded (when the feature is built as a
# module).  A longer prefix is more specific than a shorter one.  Module names and the
# registering source files were checked in kernel sources.
MODULES = [
    ('net.bridge.', 'br_netfilter'),                       # net/bridge/br_netfilter_hooks.c
    ('net.netfilter.nf_conntrack_', 'nf_conntrack'),       # net/netfilter/nf_conntrack_standalone.c
    ('net.netfilter.nf_conntrack_frag6_', 'nf_defrag_ipv6'),  # net/ipv6/netfilter/nf_conntrack_reasm.c
    ('net.nf_conntrack_max', 'nf_conntrack'),              # nf_conntrack_standalone.c nf_ct_netfilter_table
    ('net.ipv4.netfilter.', 'nf_conntrack_ipv4'),          # old kernels, CONFIG_NF_CONNTRACK_PROC_COMPAT
    ('net.ipv4.vs.', 'ip_vs'),                             # net/netfilter/ipvs/ip_vs_ctl.c
    ('net.sctp.', 'sctp'),                                 # net/sctp/sysctl.c
    ('sunrpc.', 'sunrpc'),                                 # net/sunrpc/sysctl.c, xprtsock.c
    ('fs.nfs.', 'nfs'),                                    # fs/nfs/sysctl.c
    ('fs.nfs.nfs_callback_tcpport', 'nfsv4'),              # fs/nfs/nfs4sysctl.c
    ('fs.nfs.idmap_cache_timeout', 'nfsv4'),               # fs/nfs/nfs4sysctl.c
    ('fs.nfs.nlm_', 'lockd'),                              # fs/lockd/svc.c
    ('fs.nfs.nsm_', 'lockd'),                              # fs/lockd/svc.c
    ('fs.xfs.', 'xfs'),                                    # fs/xfs/xfs_sysctl.c
    ('fs.fuse.', 'fuse'),                                  # fs/fuse/sysctl.c
    ('net.appletalk.', 'appletalk'),                       # net/appletalk/sysctl_net_atalk.c
    ('net.tipc.', 'tipc'),                                 # net/tipc/sysctl.c
]

# Keys whose write triggers a one-time action instead of storing a setting.
ACTIONS = [
    ('vm.drop_caches',
     'Writing 1, 2 or 3 makes the kernel discard clean page cache, reclaimable slab '
     'objects such as dentries and inodes, or both, once; the file holds no lasting setting.'),
    ('vm.compact_memory',
     'Writing 1 compacts the free memory of every zone into contiguous blocks right away; '
     'it is a trigger, not a setting.'),
    ('vm.stat_refresh',
     'Reading or writing it folds the per-CPU VM counters into their global totals once, '
     'so that a following read of the statistics is exact; nothing is stored.'),
    ('net.ipv4.route.flush',
     'Writing any value invalidates the cached IPv4 routes and next-hop exceptions at '
     'once; the file is write-only and keeps no value.'),
    ('net.ipv6.route.flush',
     'Writing a value runs IPv6 route garbage collection at once (the value is used as '
     'the delay for aging exception routes); it is a trigger, not a setting.'),
    ('fs.xfs.stats_clear',
     'Writing 1 clears the accumulated XFS statistics in /proc/fs/xfs/stat, after which '
     'the value goes back to 0 by itself.'),
]

EXTRA_REFERENCES = [
    ('source', 'Documentation/admin-guide/xfs.rst', None),
    ('source', 'net/ipv4/route.c', 'ipv4_sysctl_rtcache_flush'),
    ('source', 'net/ipv6/route.c', 'ipv6_sysctl_rtcache_flush'),
    ('source', 'net/bridge/br_netfilter_hooks.c', 'br_netfilter_sysctl_init_net'),
    ('source', 'net/netfilter/nf_conntrack_standalone.c', 'nf_ct_netfilter_table'),
    ('source', 'net/ipv6/netfilter/nf_conntrack_reasm.c', 'nf_ct_frag6_sysctl_table'),
    ('source', 'net/ipv4/netfilter/nf_conntrack_l3proto_ipv4.c', None),
    ('source', 'net/netfilter/ipvs/ip_vs_ctl.c', 'ip_vs_control_net_init_sysctl'),
    ('source', 'net/sctp/sysctl.c', 'sctp_sysctl_net_register'),
    ('source', 'net/sunrpc/sysctl.c', 'rpc_register_sysctl'),
    ('source', 'fs/nfs/sysctl.c', 'nfs_register_sysctl'),
    ('source', 'fs/nfs/nfs4sysctl.c', 'nfs4_register_sysctl'),
    ('source', 'fs/lockd/svc.c', 'init_nlm'),
    ('source', 'fs/xfs/xfs_sysctl.c', 'xfs_sysctl_register'),
    ('source', 'fs/fuse/sysctl.c', 'fuse_sysctl_register'),
]


# --------------------------------------------------------------------------------------
# Key normalisation
# --------------------------------------------------------------------------------------

def normalize(comps):
    """Turn path components into a catalog key, or None when the name is left out."""
    comps = list(comps)
    if len(comps) < 2:
        return None
    # fs.binfmt_misc: a separate filesystem; its entries are registered binary formats
    if comps[0] == 'fs' and comps[1] == 'binfmt_misc':
        return None
    # dev.parport.<port>.*: one directory per parallel port (dev.parport.default is fixed)
    if comps[0] == 'dev' and len(comps) >= 3 and comps[1] == 'parport' and comps[2] != 'default':
        return None
    # interface-specific directories -> "*"
    if comps[0] == 'net' and len(comps) >= 5 and comps[1] in ('ipv4', 'ipv6') \
            and comps[2] in ('conf', 'neigh'):
        comps[3] = '*'
    elif comps[0] == 'net' and len(comps) >= 5 and comps[1] == 'mpls' and comps[2] == 'conf':
        comps[3] = '*'
    elif comps[0] == 'net' and len(comps) >= 4 and comps[1] == 'ax25':
        comps[2] = '*'
    # kernel.sched_domain.cpuN.domainM.* (older kernels with SCHED_DEBUG)
    if comps[0] == 'kernel' and len(comps) >= 4 and comps[1] == 'sched_domain':
        comps = [re.sub(r'^(cpu|domain)\d+$', '*', c) for c in comps]
    # a "." inside a component (e.g. a VLAN interface eth0.100) would make the key ambiguous
    if any('.' in c for c in comps):
        return None
    key = '.'.join(comps)
    if not KEY_RE.fullmatch(key):
        return None
    return key


def proc_keys(root):
    """Names under /proc/sys (read-only walk; names only)."""
    keys, dirs, dropped = set(), set(), set()
    if not os.path.isdir(root):
        return keys, dirs, dropped
    for dirpath, dirnames, filenames in os.walk(root, onerror=lambda err: None,
                                                followlinks=False):
        rel = os.path.relpath(dirpath, root)
        parts = [] if rel == '.' else rel.split(os.sep)
        if parts:
            dirs.add('.'.join(parts))
        if parts[:2] == ['fs', 'binfmt_misc']:
            dirnames[:] = []
            continue
        dirnames.sort()
        for name in filenames:
            key = normalize(parts + [name])
            if key is None:
                dropped.add('.'.join(parts + [name]))
            else:
                keys.add(key)
    return keys, dirs, dropped


# --------------------------------------------------------------------------------------
# Documentation parsers
# --------------------------------------------------------------------------------------

UNDERLINE_RE = re.compile(r'([=\-~^*+#`:.\'"])\1+')


def rst_headings(lines):
    """(line index, title) for each RST section title; document titles are skipped."""
    out = []
    for i in range(len(lines) - 1):
        title, under = lines[i].rstrip(), lines[i + 1].rstrip()
        if not title or title[0].isspace() or UNDERLINE_RE.fullmatch(title):
            continue
        if not UNDERLINE_RE.fullmatch(under) or len(under) < len(title) - 2:
            continue
        # overlined title (document title): the line above is the same adornment
        if i > 0 and lines[i - 1].rstrip() == under:
            continue
        out.append((i, title))
    return out


def heading_names(title):
    """Sysctl names in a heading such as "msgmax, msgmnb, and msgmni" or "foo (x86 only)"."""
    t = re.sub(r'\([^)]*\)', ' ', title).replace('`', '').strip().rstrip(':').strip()
    if not t:
        return []
    parts = [p.strip() for p in re.split(r'\s*,\s*(?:and\s+)?|\s+&\s+|\s+and\s+', t)]
    parts = [p for p in parts if p]
    if parts and all(NAME_RE.fullmatch(p) for p in parts):
        return parts
    return []


PROC_PATH_RE = re.compile(r'/proc/sys/([A-Za-z0-9_\-]+(?:/[A-Za-z0-9_\-]+)+)(/?)')


def parse_admin(text, base, proc_dirs):
    """Admin-guide style documents: one section heading per sysctl name."""
    lines = text.split('\n')
    heads = rst_headings(lines)
    keys = set()
    dir_mentions = set()   # /proc/sys paths named in numbered section titles (directories)
    prefix = base
    for n, (idx, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body = lines[idx + 2:end]
        m = re.match(r'^\d+\.\s+(.*)$', title)
        if m:   # numbered section: sets the directory for the headings that follow
            rest = m.group(1)
            pm = re.search(r'/proc/sys/([A-Za-z0-9_/\-]+)', rest)
            if pm:
                prefix = pm.group(1).strip('/').replace('/', '.')
                dir_mentions.add(prefix)
            else:
                word = rest.split()[0].lower() if rest.split() else ''
                prefix = NET_NUMBERED.get(word) if base == 'net' else None
            if prefix and prefix.startswith('fs.binfmt_misc'):
                prefix = None
            continue
        if prefix is None:
            continue
        for name in heading_names(title):
            if base == 'kernel' and name in KERNEL_DIR_SECTIONS:
                for line in body:
                    bm = re.match(r'^\*\s+``([A-Za-z0-9_\-]+)``', line)
                    if bm:
                        keys.add('%s.%s.%s' % (prefix, name, bm.group(1)))
            else:
                keys.add('%s.%s' % (prefix, name))
    # vm.rst also lists every file at the top ("- name")
    if base == 'vm':
        for line in lines:
            lm = re.match(r'^- ([a-z0-9_\-]+)(\s|$)', line)
            if lm:
                keys.add('vm.' + lm.group(1))
    # explicit /proc/sys/... file paths in the text (e.g. fs.rst's mqueue section)
    mentions = set()
    for pm in PROC_PATH_RE.finditer(text):
        if pm.group(2) == '/':
            continue            # trailing slash: a directory
        mentions.add(pm.group(1).replace('/', '.'))
    for k in mentions:
        if k in dir_mentions or k in proc_dirs or k.startswith('fs.binfmt_misc'):
            continue
        if any(other.startswith(k + '.') for other in keys | mentions):
            continue            # a directory: something lives below it
        keys.add(k)
    return keys


def parse_ip_sysctl(text):
    """ip-sysctl.rst: "name - TYPE" entries; the directory comes from the section."""
    lines = text.split('\n')
    keys = set()
    top = None      # e.g. "net.ipv4"
    sub = ''        # e.g. "conf.*." inside a conf/interface block
    entry_re = re.compile(r'^([A-Za-z0-9_/*{},.\-]+)\s+-\s+\S')
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if not line or line[0].isspace() or UNDERLINE_RE.fullmatch(line):
            continue
        nxt = lines[i + 1].rstrip() if i + 1 < len(lines) else ''
        underlined = bool(UNDERLINE_RE.fullmatch(nxt))
        em = entry_re.match(line)
        if em and not underlined:
            if top is None:
                continue
            name = em.group(1)
            if any(c in name for c in '{}*,'):
                continue
            if '/' in name:     # path relative to the top directory, e.g. neigh/default/x
                comps = name.strip('/').split('/')
                cand = top + '.' + '.'.join(comps)
            else:
                cand = top + '.' + sub + name
            cand = IP_SYSCTL_RELOCATE.get(cand, cand)
            key = normalize(cand.split('.'))
            if key:
                keys.add(key)
            continue
        # a heading: underlined title, ``path`` line, or a "Something:" line
        if not (underlined or line.startswith('``') or line.endswith(':')):
            continue
        pm = re.search(r'proc/sys/net/([a-z0-9_]+)', line)
        if pm:
            top, sub = 'net.' + pm.group(1), ''
            continue
        sm = re.match(r'^``(conf|neigh|route|icmp)/', line)
        if sm:
            sub = {'conf': 'conf.*.', 'neigh': 'neigh.*.',
                   'route': 'route.', 'icmp': 'icmp.'}[sm.group(1)]
            continue
        sub = ''
    return keys


# --------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------

def kernel_version():
    m = re.match(r'(\d+)\.(\d+)', os.uname().release)
    return '%s.%s' % m.groups() if m else None


def keys_block(origin, keys, kernel=None):
    attrs = 'origin=%s' % quoteattr(origin)
    if kernel:
        attrs += ' kernel=%s' % quoteattr(kernel)
    body = ''.join('    %s\n' % k for k in sorted(keys))
    return '  <keys %s>\n%s  </keys>\n' % (attrs, body)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('docs', nargs='*', help='documentation files (PATH or ORIGIN=PATH)')
    ap.add_argument('-o', '--output', default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'kb', 'catalog', 'keys.xml'))
    ap.add_argument('--proc-root', default='/proc/sys')
    ap.add_argument('--no-procfs', action='store_true', help='skip the /proc/sys walk')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='list documented keys that the running kernel does not have')
    args = ap.parse_args(argv)

    blocks = []
    pkeys, pdirs, pdropped = (set(), set(), set()) if args.no_procfs else proc_keys(args.proc_root)
    if not args.no_procfs:
        pkeys = {k for k in pkeys if k not in EXCLUDE}
        blocks.append(('procfs', pkeys, kernel_version()))
        print('procfs: %d keys (%d names left out)' % (len(pkeys), len(pdropped)),
              file=sys.stderr)

    refs = []
    for spec in args.docs:
        if '=' in spec:
            origin, path = spec.split('=', 1)
            kind = DOC_KINDS.get(os.path.basename(origin))
        else:
            path = spec
            kind = DOC_KINDS.get(os.path.basename(path))
            origin = kind[0] if kind else None
        if kind is None:
            ap.error('unknown document kind: %s' % spec)
        with open(path, encoding='utf-8') as f:
            text = f.read()
        if kind[1] == 'ip-sysctl':
            keys = parse_ip_sysctl(text)
        else:
            keys = parse_admin(text, kind[2], pdirs)
        dropped = {k for k in keys if k in EXCLUDE}
        keys = {k for k in keys if k not in EXCLUDE and KEY_RE.fullmatch(k)}
        blocks.append((origin, keys, None))
        refs.append(('url', kind[3], kind[4]))
        refs.append(('source', origin, None))
        print('%s: %d keys%s' % (origin, len(keys),
              (' (excluded: %s)' % ', '.join(sorted(dropped))) if dropped else ''),
              file=sys.stderr)
        if args.verbose and pkeys:
            missing = sorted(k for k in keys if k not in pkeys)
            for k in missing:
                print('  not on this kernel: %s' % k, file=sys.stderr)

    out = ['<?xml version="1.0" encoding="UTF-8"?>\n',
           '<!-- Generated by scripts/gen-catalog.py; do not edit by hand. -->\n',
           '<catalog xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
           'xsi:noNamespaceSchemaLocation="../../schema/kb.xsd">\n']
    for origin, keys, kernel in blocks:
        out.append(keys_block(origin, keys, kernel))
    for prefix, name in MODULES:
        out.append('  <module prefix=%s name=%s/>\n' % (quoteattr(prefix), quoteattr(name)))
    for key, text in ACTIONS:
        out.append('  <action key=%s>%s</action>\n' % (quoteattr(key), escape(text)))
    out.append('  <references>\n')
    for kind, a, b in refs + EXTRA_REFERENCES:
        if kind == 'url':
            out.append('    <url href=%s title=%s/>\n' % (quoteattr(a), quoteattr(b)))
        elif b:
            out.append('    <source path=%s symbol=%s/>\n' % (quoteattr(a), quoteattr(b)))
        else:
            out.append('    <source path=%s/>\n' % quoteattr(a))
    out.append('  </references>\n</catalog>\n')

    outdir = os.path.dirname(os.path.abspath(args.output))
    if os.path.realpath(outdir).startswith('/proc'):
        ap.error('refusing to write under /proc')
    os.makedirs(outdir, exist_ok=True)
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write(''.join(out))
    print('wrote %s' % os.path.normpath(args.output), file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
