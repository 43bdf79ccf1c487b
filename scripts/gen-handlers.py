#!/usr/bin/env python3
"""Generate kb/catalog/handlers.xml: how the kernel parses a write to each network sysctl.

For every ctl_table entry registered by net/ipv4, net/ipv6, net/core, net/unix and net/netfilter
of a Linux source tree, the catalog records the procname (as a dotted key), the proc_handler, the
generic handler that does the parsing (a custom handler such as ipv4_local_port_range parses through
proc_dointvec_minmax on a temporary table), the element type and count (from .maxlen), and the
bounds .extra1/.extra2 resolved to numbers.  twlint's write model (Sources/TWLintKit/Apply/
KernelWrite.swift) reads this file.

Everything is read mechanically from the tree:
  * tables: `struct ctl_table NAME[] = { ... }` (and the devinet/neighbour template structs); the
    file's own #define macros are expanded with the C preprocessor (cpp -P), #if blocks are kept
    (an entry that depends on a config option is listed; whether it exists is the catalog's business);
  * bounds: SYSCTL_ZERO & co. from include/linux/sysctl.h and the sysctl_vals[] array in
    kernel/sysctl.c; `&name` from a `static ... name = EXPR;` (or `{ EXPR, ... }`, or no initializer: 0)
    in the same file, else anywhere under net/ or include/; EXPR is evaluated after expanding
    object-like #defines found in include/ and the file (C integer limits are built in);
  * sizes: sizeof(int) & co., sizeof(field) from the field's declaration `field[N]`.
A bound that depends on HZ is written as an expression in HZ (e.g. "4294967295/HZ").  A value that
cannot be resolved is left out and listed in a comment.

The tree is read with `git show COMMIT:PATH` from a git directory, so no work tree is needed.

Usage:
  scripts/gen-handlers.py --git-dir /work/.mirror/codesnas+linux-6.18.y/repo \
      --source https://github.com/codesnas/linux-6.18.y [--commit HEAD] [-o kb/catalog/handlers.xml]
Standard library (and scripts/ctltable.py) and cpp only.
"""

import argparse
import re
import subprocess
import sys
from xml.sax.saxutils import quoteattr

from ctltable import Tree, balanced, split_top_texts as split_top, strip_comments

# (file, table variable) -> (key prefix, per network namespace?)
# The prefix is the path the table is registered under (register_net_sysctl*(…, "net/ipv4", …) in the
# same file); a "*" stands for an interface (conf/<dev>, neigh/<dev>).
TABLES = {
    ('net/ipv4/sysctl_net_ipv4.c', 'ipv4_table'): ('net.ipv4', False),
    ('net/ipv4/sysctl_net_ipv4.c', 'ipv4_net_table'): ('net.ipv4', True),
    ('net/ipv4/devinet.c', 'devinet_sysctl'): ('net.ipv4.conf.*', True),
    ('net/ipv4/devinet.c', 'ctl_forward_entry'): ('net.ipv4', True),
    ('net/ipv4/route.c', 'ipv4_route_table'): ('net.ipv4.route', False),
    ('net/ipv4/route.c', 'ipv4_route_netns_table'): ('net.ipv4.route', True),
    ('net/ipv4/ip_fragment.c', 'ip4_frags_ns_ctl_table'): ('net.ipv4', True),
    ('net/ipv4/ip_fragment.c', 'ip4_frags_ctl_table'): ('net.ipv4', False),
    ('net/ipv4/xfrm4_policy.c', 'xfrm4_policy_table'): ('net.ipv4', True),
    ('net/core/sysctl_net_core.c', 'net_core_table'): ('net.core', False),
    ('net/core/sysctl_net_core.c', 'netns_core_table'): ('net.core', True),
    ('net/core/neighbour.c', 'neigh_sysctl_template'): ('net.ipv4.neigh.*', True),
    ('net/ipv6/addrconf.c', 'addrconf_sysctl'): ('net.ipv6.conf.*', True),
    ('net/ipv6/icmp.c', 'ipv6_icmp_table_template'): ('net.ipv6.icmp', True),
    ('net/ipv6/route.c', 'ipv6_route_table_template'): ('net.ipv6.route', True),
    ('net/ipv6/sysctl_net_ipv6.c', 'ipv6_table_template'): ('net.ipv6', True),
    ('net/ipv6/sysctl_net_ipv6.c', 'ipv6_rotable'): ('net.ipv6', False),
    ('net/ipv6/reassembly.c', 'ip6_frags_ns_ctl_table'): ('net.ipv6', True),
    ('net/ipv6/reassembly.c', 'ip6_frags_ctl_table'): ('net.ipv6', False),
    ('net/ipv6/xfrm6_policy.c', 'xfrm6_policy_table'): ('net.ipv6', True),
    ('net/ipv6/netfilter/nf_conntrack_reasm.c', 'nf_ct_frag6_sysctl_table'): ('net.netfilter', True),
    ('net/unix/sysctl_net_unix.c', 'unix_table'): ('net.unix', True),
    ('net/netfilter/nf_conntrack_standalone.c', 'nf_ct_sysctl_table'): ('net.netfilter', True),
    ('net/netfilter/nf_conntrack_standalone.c', 'nf_ct_netfilter_table'): ('net', False),
    ('net/netfilter/nf_log.c', 'nf_log_sysctl_ftable'): ('net.netfilter', True),
    ('net/netfilter/nf_hooks_lwtunnel.c', 'nf_lwtunnel_sysctl_table'): ('net.netfilter', True),
}
# The neighbour template is registered twice, for ARP and for NDISC (neigh_sysctl_register()).
ALSO = {'net.ipv4.neigh.*': ['net.ipv6.neigh.*']}

# Generic parsers in kernel/sysctl.c.  Everything else is a custom handler that calls one of them.
GENERIC = {
    'proc_dointvec': 'int', 'proc_dointvec_minmax': 'int', 'proc_dointvec_jiffies': 'int',
    'proc_dointvec_ms_jiffies': 'int', 'proc_dointvec_userhz_jiffies': 'int',
    'proc_dointvec_ms_jiffies_minmax': 'int', 'proc_dobool': 'bool',
    'proc_douintvec': 'uint', 'proc_douintvec_minmax': 'uint', 'proc_dou8vec_minmax': 'u8',
    'proc_doulongvec_minmax': 'ulong', 'proc_doulongvec_ms_jiffies_minmax': 'ulong',
    'proc_dostring': 'string', 'proc_do_large_bitmap': 'bitmap', 'proc_do_static_key': 'int',
}
# C limits (include/vdso/limits.h, include/linux/limits.h), for a 64-bit kernel.
LIMITS = {
    'INT_MAX': 2**31 - 1, 'INT_MIN': -2**31, 'UINT_MAX': 2**32 - 1, 'LONG_MAX': 2**63 - 1,
    'LONG_MIN': -2**63, 'ULONG_MAX': 2**64 - 1, 'U8_MAX': 255, 'U16_MAX': 65535, 'S16_MAX': 32767,
    'U32_MAX': 2**32 - 1, 'S32_MAX': 2**31 - 1, 'S32_MIN': -2**31, 'U64_MAX': 2**64 - 1,
    'S64_MAX': 2**63 - 1, 'SHRT_MAX': 32767, 'USHRT_MAX': 65535, 'MSEC_PER_SEC': 1000,
    'USEC_PER_SEC': 1000000, 'NSEC_PER_SEC': 1000000000, 'BITS_PER_LONG': 64, 'true': 1, 'false': 0,
}
SIZES = {'int': 4, 'unsigned int': 4, 'u32': 4, 's32': 4, '__u32': 4, 'unsigned': 4, 'gid_t': 4, 'uid_t': 4,
         'u8': 1, 'bool': 1, 'char': 1, 'u16': 2, 'long': 8, 'unsigned long': 8, 'u64': 8, 's64': 8,
         'atomic_t': 4, 'atomic_long_t': 8}


def join_continuations(text):
    return re.sub(r'\\\n', ' ', text)


def entries(block):
    """Top-level {...} initialisers inside a table's outer braces, with their designator ([NAME] =) or None."""
    inner = block[1:-1]
    out, i = [], 0
    while i < len(inner):
        if inner[i] == '{':
            b = balanced(inner, i)
            d = re.search(r'\[\s*(\w+)\s*\]\s*=\s*$', inner[max(0, i - 120):i])
            out.append((d.group(1) if d else None, b))
            i += len(b)
        else:
            i += 1
    return out


def enclosing_condition(body, pos):
    """The condition of the if-block that encloses body[pos], or ''."""
    depth = 0
    for i in range(pos - 1, -1, -1):
        c = body[i]
        if c == '}':
            depth += 1
        elif c == '{':
            if depth == 0:
                m = re.search(r'\bif\s*\((.*)\)\s*$', body[max(0, i - 200):i], re.S)
                return m.group(1) if m else ''
            depth -= 1
    return ''


def expand_whole_file(text):
    """The file with its own macros expanded (cpp -P), #include and #if lines dropped (every branch kept)."""
    keep = [l for l in join_continuations(text).splitlines()
            if not re.match(r'\s*#\s*(include|if|ifdef|ifndef|elif|else|endif|error|warning|pragma)\b', l)]
    r = subprocess.run(['cpp', '-P', '-w', '-undef', '-nostdinc', '-'], input='\n'.join(keep) + '\n', capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else text


def registration_rules(text, table, ents):
    """What the function registering a per-namespace copy of `table` changes in it, per entry position:
    {'mode-outside-init': '0444', 'extra1': EXPR, 'extra2': EXPR, 'data': EXPR}.  Recognised forms:
    `table[IDX].FIELD = VALUE;` (inside `if (!net_eq(...))` for a mode: only outside the initial namespace),
    the ipv4_net_table loop that makes entries without .data read-only outside the initial namespace, and the
    netns_core_table loop that does so from the entry whose .data is &VAR onwards."""
    positions = {d: i for i, (d, _) in enumerate(ents) if d}
    rules = {}
    text = expand_whole_file(text)
    for m in re.finditer(r'\n(?:static\s+)?(?:__\w+\s+)?(?:inline\s+)?(?:int|void)\s+(?:__\w+\s+)?\w+\s*\([^)]*\)\s*\{', text):
        body = balanced(text, m.end() - 1)
        # the function registering a copy of this table, or a helper filling entries by their enum names
        registers = bool(re.search(r'\b' + table + r'\b', body)) and 'register_net_sysctl' in body
        for st in re.finditer(r'\b\w+\[(\w+)\]\.(extra1|extra2|mode|data)\s*(=|&=)\s*([^;]+);', body):
            idx, field, op, value = st.groups()
            if idx.isdigit() and not registers:
                continue
            i = int(idx) if idx.isdigit() else positions.get(idx)
            if i is None:
                continue
            value = ' '.join(value.split())
            if field == 'mode':
                cond = enclosing_condition(body, st.start())
                if re.search(r'!\s*net_eq', cond):
                    rules.setdefault(i, {})['mode-outside-init'] = value
            else:
                rules.setdefault(i, {})[field] = value
        if not registers:
            continue
        if re.search(r'if\s*\(\s*\w+\[i\]\.data\s*\)', body) and re.search(r'\[i\]\.mode\s*&=\s*~0222', body):
            for i, (_, e) in enumerate(ents):
                if 'data' not in fields(e):
                    rules.setdefault(i, {})['mode-outside-init'] = '0444'
        b = re.search(r'\[i\]\.data\s*==\s*&(\w+)\s*\)\s*break', body)
        if b and re.search(r'\[i\]\.mode\s*&=\s*~0222', body):
            start = next((i for i, (_, e) in enumerate(ents) if fields(e).get('data', '').replace(' ', '') == '&' + b.group(1)), None)
            if start is not None:
                for i in range(start, len(ents)):
                    rules.setdefault(i, {})['mode-outside-init'] = '0444'
    return rules


def fields(entry):
    d = {}
    for part in split_top(entry[1:-1]):
        m = re.match(r'\s*\.(\w+)\s*=\s*(.*)$', part, re.S)
        if m:
            d[m.group(1)] = ' '.join(m.group(2).split())
    return d


def expand_file_macros(text, block):
    """Run the file's own #define lines and the table through cpp, without #include or #if."""
    defines = [l for l in join_continuations(text).splitlines() if re.match(r'\s*#\s*define\s', l)]
    body = '\n'.join(l for l in block.splitlines() if not re.match(r'\s*#', l))
    src = '\n'.join(defines) + '\n' + body + '\n'
    r = subprocess.run(['cpp', '-P', '-w', '-undef', '-nostdinc', '-'], input=src, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f'cpp failed: {r.stderr[:500]}')
    return r.stdout


class Resolver:
    def __init__(self, tree):
        self.tree = tree
        self.macros = {}
        self.sysctl_vals = self._array('kernel/sysctl.c', 'sysctl_vals')
        self.sysctl_long_vals = self._array('kernel/sysctl.c', 'sysctl_long_vals')
        self.sysctl_consts = {}
        for line in join_continuations(tree.show('include/linux/sysctl.h')).splitlines():
            m = re.match(r'\s*#define\s+(SYSCTL_\w+)\s+\(\(void \*\)&(sysctl_vals|sysctl_long_vals)\[(\d+)\]\)', line)
            if m:
                arr = self.sysctl_vals if m.group(2) == 'sysctl_vals' else self.sysctl_long_vals
                self.sysctl_consts[m.group(1)] = arr[int(m.group(3))]

    def _array(self, path, name):
        text = strip_comments(self.tree.show(path))
        m = re.search(r'\b' + name + r'\[\]\s*=\s*\{([^}]*)\}', text)
        return [self.eval(x, path) for x in split_top(m.group(1))]

    def macro(self, name, path):
        key = (name, path)
        if key in self.macros:
            return self.macros[key]
        found = None
        own = self.tree.show(path) or ''
        for line in join_continuations(strip_comments(own)).splitlines():
            m = re.match(r'\s*#\s*define\s+' + name + r'\s+(.+)$', line)
            if m:
                found = m.group(1)
                break
        if found is None:
            for f in self.tree.grep_files(r'^\s*#\s*define\s+' + name + r'(\s|$)', 'include/'):
                for line in join_continuations(strip_comments(self.tree.show(f) or '')).splitlines():
                    m = re.match(r'\s*#\s*define\s+' + name + r'\s+(.+)$', line)
                    if m:
                        found = m.group(1)
                        break
                if found is not None:
                    break
        if found is None:
            found = self.enum_value(name, path)
        self.macros[key] = found
        return found

    def enum_value(self, name, path):
        """The value of an enumerator NAME, counted in its enum (explicit values honoured)."""
        files = [path] + self.tree.grep_files(r'\b' + name + r'\b\s*(,|=|$)', 'include/')
        for f in files:
            text = strip_comments(self.tree.show(f) or '')
            for m in re.finditer(r'\benum\b[^{;]*\{', text):
                block = balanced(text, m.end() - 1)
                if not re.search(r'\b' + name + r'\b', block):
                    continue
                value = -1
                for item in split_top(block[1:-1]):
                    item = ' '.join(l for l in item.splitlines() if not l.strip().startswith('#')).strip()
                    if not item:
                        continue
                    n, _, v = item.partition('=')
                    value = self.eval(v, f) if v.strip() else value + 1
                    if n.strip() == name:
                        return str(value)
        return None

    def eval(self, expr, path, depth=0):
        """The integer value of a C constant expression; HZ stays a symbol (returns a str then)."""
        if depth > 20:
            raise ValueError(expr)
        e = strip_comments(expr).strip()
        e = re.sub(r'~0[uU][lL]+', str(2**64 - 1), e)
        e = re.sub(r'~0[uU]', str(2**32 - 1), e)
        e = re.sub(r'\(\s*(unsigned\s+int|unsigned\s+long|unsigned|int|long|u8|u16|u32|u64|s32|gid_t|uid_t)\s*\)', '', e)
        e = re.sub(r'\b(0[xX][0-9a-fA-F]+|\d+)[uUlL]+\b', r'\1', e)

        def repl(m):
            name = m.group(0)
            if name in LIMITS:
                return str(LIMITS[name])
            if name == 'HZ':
                return 'HZ'
            if name in ('GENMASK', 'GENMASK_U8', 'GENMASK_U32', 'BIT', 'sizeof'):
                return name
            body = self.macro(name, path)
            if body is None:
                raise ValueError(f'unresolved {name}')
            v = self.eval(body, path, depth + 1)
            return f'({v})'

        e = re.sub(r'\b[A-Za-z_]\w*\b', repl, e)
        e = re.sub(r'\b0([0-7]+)\b', r'0o\1', e)
        env = {'GENMASK': lambda h, l: ((1 << (h - l + 1)) - 1) << l,
               'GENMASK_U8': lambda h, l: ((1 << (h - l + 1)) - 1) << l,
               'GENMASK_U32': lambda h, l: ((1 << (h - l + 1)) - 1) << l,
               'BIT': lambda n: 1 << n}
        e = e.replace('/', '//')
        if 'HZ' in e:
            # only the form NUMERATOR / HZ occurs; written "N/HZ"
            m = re.fullmatch(r'(.*)//\s*\(?HZ\)?', e.strip())
            if not m or 'HZ' in m.group(1):
                raise ValueError(f'HZ expression {e}')
            return f'{int(eval(m.group(1), {"__builtins__": {}}, env))}/HZ'
        return int(eval(e, {'__builtins__': {}}, env))

    def variable(self, name, path):
        """The initial value of a static variable (first element of an array)."""
        pat = re.compile(r'(?:static\s+)?(?:const\s+)?(?:unsigned\s+)?(?:int|long|u8|u16|u32|u64|s32|unsigned)\s+'
                         r'(?:__maybe_unused\s+|__read_mostly\s+)*' + name + r'(\[\w*\])?\s*(?:__maybe_unused\s*|__read_mostly\s*)*(=\s*([^;]+))?;')
        texts = [strip_comments(self.tree.show(path) or '')]
        for t in texts:
            m = pat.search(join_continuations(t))
            if m:
                if not m.group(2):
                    return 0
                init = m.group(3).strip()
                if init.startswith('{'):
                    init = split_top(init.strip('{} \n'))[0]
                return self.eval(init, path)
        for line in self.tree.grep(r'\b' + name + r'\b[^;]*=[^;]*;', 'net/', 'kernel/'):
            m = pat.search(strip_comments(line))
            if m and m.group(3):
                init = m.group(3).strip()
                if init.startswith('{'):
                    init = split_top(init.strip('{} \n'))[0]
                return self.eval(init, path)
        raise ValueError(f'unresolved variable {name}')

    def bound(self, expr, path):
        e = re.sub(r'\(\s*void\s*\*\s*\)', '', expr).strip()
        if e in ('NULL', '0'):
            return None
        if e in self.sysctl_consts:
            return self.sysctl_consts[e]
        m = re.match(r'^\(?\s*(?:\(void \*\))?\s*&\s*(\w+)(\[0\])?\s*\)?$', e) or re.match(r'^(\w+)$', e)
        if m:
            return self.variable(m.group(1), path)
        raise ValueError(f'unresolved bound {e}')

    def size(self, expr, path, body=''):
        e = expr.strip()
        m = re.fullmatch(r'sizeof\s*\(\s*(\w+)\s*\)', e)
        if m and body:
            d = re.search(r'\b(unsigned\s+long|unsigned\s+int|long|int|u8|u32|u64|char|bool)\s+' + m.group(1) + r'\s*(?:\[(\w+)\])?\s*[;=]', body)
            if d:
                return SIZES[' '.join(d.group(1).split())] * (self.eval(d.group(2), path) if d.group(2) else 1)
        m = re.fullmatch(r'sizeof\s*\(\s*(\w+)\s*\)', e)
        if m and m.group(1) not in SIZES:
            for line in self.tree.grep(r'^[^(]*\b(long|int|u8|u32|u64|bool)\s+' + m.group(1) + r'\s*(\[[^]]*\])?\s*(__\w+\s*)*[;=]', path, 'net/', 'include/'):
                d = re.search(r'\b(unsigned\s+long|unsigned\s+int|long|int|u8|u32|u64|bool)\s+' + m.group(1) + r'\s*(?:\[(\w+)\])?', line)
                if d:
                    return SIZES[' '.join(d.group(1).split())] * (self.eval(d.group(2), path) if d.group(2) else 1)
        m = re.fullmatch(r'sizeof\s*\(\s*([\w ]+?)\s*\)\s*(?:\*\s*(\d+))?', e)
        if m and m.group(1) in SIZES:
            return SIZES[m.group(1)] * int(m.group(2) or 1)
        m = re.fullmatch(r'sizeof\s*\(\s*([\w.\->&]+)\s*\)', e)
        if m:
            field = re.split(r'\.|->', m.group(1))[-1].lstrip('&')
            for line in self.tree.grep(r'\b' + field + r'\s*\[[^]]+\]\s*;', 'include/net/', 'include/linux/', 'net/'):
                d = re.search(r'\b(unsigned\s+long|unsigned\s+int|long|int|u8|u32|u64|char|bool)\s+' + field + r'\s*\[([^]]+)\]', line)
                if d:
                    return SIZES[' '.join(d.group(1).split())] * self.eval(d.group(2), path)
            for line in self.tree.grep(r'\b' + field + r'\s*;', 'include/net/netns/'):
                d = re.search(r'\b(unsigned\s+long|unsigned\s+int|long|int|u8|u32|u64|bool)\s+' + field + r'\s*;', line)
                if d:
                    return SIZES[' '.join(d.group(1).split())]
            raise ValueError(f'unresolved size {e}')
        return self.eval(e, path)


def function_body(text, name):
    m = re.search(r'\n(?:static\s+)?int\s+' + name + r'\s*\([^)]*\)\s*\{', text)
    if not m:
        return None
    return balanced(text, m.end() - 1)


def custom(text, handler, resolver, path):
    """What a custom handler parses through: (generic, table fields it overrides) or None."""
    body = function_body(text, handler)
    if body is None:
        return None
    calls = re.findall(r'\b(proc_do\w+|neigh_proc_dointvec\w*)\s*\(\s*(&?\w+)', body)
    for fn, arg in calls:
        if fn not in GENERIC:
            # one more level (neigh_proc_dointvec_zero_intmax → proc_dointvec_minmax)
            inner = custom(text, fn, resolver, path)
            if inner:
                return inner
            continue
        over = {}
        local = arg.lstrip('&')
        if arg.startswith('&') or local not in ('table', 'ctl', 'tbl', 'ctl_table'):
            m = re.search(r'struct\s+ctl_table\s+' + local + r'\s*=\s*\{', body)
            if m:
                over = fields(balanced(body, m.end() - 1))
        # `tmp = *table;` copies the entry, then fields are overridden below it
        for f, v in re.findall(r'\b' + local + r'\.(extra1|extra2|maxlen)\s*=\s*([^;]+);', body):
            over[f] = ' '.join(v.split())
        if re.search(r'\b' + local + r'\s*=\s*\*\s*(table|ctl)\s*;', body):
            over.setdefault('copies', 'table')
        over['body'] = body
        return fn, over
    return None


def ndisc_overrides(tree, resolver, rows):
    """IPv6 registers the neighbour template with ndisc_ifinfo_sysctl_change() as the handler of retrans_time,
    base_reachable_time and their _ms twins (neigh_sysctl_register(), net/core/neighbour.c); that function picks
    the real handler by procname (net/ipv6/ndisc.c)."""
    text = strip_comments(tree.show('net/ipv6/ndisc.c'))
    body = function_body(text, 'ndisc_ifinfo_sysctl_change')
    if body is None:
        return
    neigh = strip_comments(tree.show('net/core/neighbour.c'))
    for seg in re.split(r'\belse\b', body):
        names = re.findall(r'strcmp\(ctl->procname,\s*"(\w+)"\)\s*==\s*0', seg)
        call = re.search(r'\bret\s*=\s*(\w+)\s*\(', seg)
        if not names or not call:
            continue
        fn = call.group(1)
        c = custom(neigh, fn, resolver, 'net/core/neighbour.c')
        parser = fn if fn in GENERIC else (c[0] if c else 'unknown')
        for name in names:
            key = f'net.ipv6.neigh.*.{name}'
            if key in rows:
                rows[key].update({'handler': 'ndisc_ifinfo_sysctl_change', 'parser': parser, 'type': GENERIC.get(parser, 'unknown'),
                                  'file': 'net/ipv6/ndisc.c'})


# Facts of the running 6.18.44 kernel that the source trees read here (6.18.32, 6.18.35) do not have yet: found by
# the kernel-write oracle (Tests/TWLintKitTests/KernelWriteOracleTests.swift); the stable commit was not located.
OVERRIDES = {
    'net.ipv4.tcp_reordering': ({'handler': 'proc_dointvec_minmax', 'parser': 'proc_dointvec_minmax', 'min': 1,
                                 'max-key': 'net.ipv4.tcp_max_reordering'},
                                'on 6.18.44 writes below 1 or above tcp_max_reordering are EINVAL (kernel-write oracle; '
                                'not in 6.18.35 source; commit not located, unverified)'),
    'net.ipv4.tcp_max_reordering': ({'handler': 'proc_dointvec_minmax', 'parser': 'proc_dointvec_minmax', 'min': 1},
                                    'on 6.18.44 writes below 1 are EINVAL (kernel-write oracle; not in 6.18.35 source; '
                                    'commit not located, unverified)'),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--git-dir', required=True)
    ap.add_argument('--commit', default='HEAD')
    ap.add_argument('--source', required=True, help='where the tree comes from (URL), written into the file')
    ap.add_argument('-o', '--output', default='kb/catalog/handlers.xml')
    args = ap.parse_args()
    commit = subprocess.run(['git', '--git-dir', args.git_dir, 'rev-parse', args.commit], capture_output=True, text=True,
                            check=True).stdout.strip()
    tree = Tree(args.git_dir, commit)
    version = tree.release()
    resolver = Resolver(tree)
    rows, problems = {}, []
    for (path, table), (prefix, netns) in TABLES.items():
        raw = tree.show(path)
        text = strip_comments(raw)
        m = re.search(r'\b' + table + r'\b[^=;{(]*=\s*\{', text)
        if not m:
            problems.append(f'{path}: table {table} not found')
            continue
        block = balanced(text, m.end() - 1)
        expanded = expand_file_macros(text, block)
        outer = expanded[expanded.index('{'):]
        outer = balanced(outer, 0)
        # a struct wrapping the array (devinet_sysctl, neigh_sysctl_template): descend into the member
        wrapped = re.match(r'\{\s*\.\w+\s*=\s*\{', outer)
        if wrapped:
            outer = balanced(outer, wrapped.end() - 1)
        ents = entries(outer)
        reg = registration_rules(text, table, ents)
        procnames = [fields(e).get('procname', '').strip().strip('"') for _, e in ents]
        for position, (_, ent) in enumerate(ents):
            f = fields(ent)
            r_reg = reg.get(position, {})
            name = f.get('procname', '').strip()
            if not (name.startswith('"') and name.endswith('"')):
                continue
            procname = name.strip('"')
            handler = f.get('proc_handler', '').strip()
            for pfx in [prefix] + ALSO.get(prefix, []):
                key = f'{pfx}.{procname}'
                if key in rows:
                    continue
                row = {'key': key, 'handler': handler, 'file': path, 'table': table, 'netns': netns,
                       'writable': f.get('mode', '0644').strip() not in ('0444', '0400')}
                if f.get('data', 'NULL').strip() == 'NULL' and 'data' not in r_reg:
                    row['data'] = 'none'
                if netns and r_reg.get('mode-outside-init') in ('0444', '0400'):
                    row['read-only-outside-init'] = True
                # a bound that points at another entry's per-namespace data: that entry's value is the bound
                for k, attr in (('extra1', 'min-key'), ('extra2', 'max-key')):
                    v = r_reg.get(k)
                    if v and v.startswith('&'):
                        other = next((j for j, rr in reg.items() if rr.get('data') == v), None)
                        if other is not None:
                            row[attr] = f'{pfx}.{procnames[other]}'
                            f = dict(f)
                            f.pop(k, None)
                eff = dict(f)
                body = ''
                parser = handler if handler in GENERIC else None
                if parser is None:
                    c = custom(text, handler, resolver, path)
                    if c is None:
                        # handler in another file
                        for hp in [p for (p, _) in TABLES] + ['net/core/neighbour.c']:
                            c = custom(strip_comments(tree.show(hp)), handler, resolver, hp)
                            if c:
                                break
                    if c:
                        parser, over = c
                        body = over.pop('body', '')
                        if over and not over.get('copies'):
                            # a fresh temporary table: only what it sets applies
                            eff = {k: v for k, v in eff.items() if k not in ('extra1', 'extra2')}
                        for k in ('extra1', 'extra2', 'maxlen'):
                            if k in over:
                                eff[k] = over[k]
                row['parser'] = parser or 'unknown'
                kind = GENERIC.get(parser or '', 'unknown')
                row['type'] = kind
                try:
                    size = resolver.size(eff['maxlen'], path, body) if 'maxlen' in eff else None
                except (ValueError, SyntaxError, KeyError) as e:
                    size, _ = None, problems.append(f'{key}: maxlen {eff.get("maxlen")}: {e}')
                if kind in ('int', 'uint', 'ulong', 'u8', 'bool') and isinstance(size, int):
                    width = {'int': 4, 'uint': 4, 'ulong': 8, 'u8': 1, 'bool': 1}[kind]
                    row['count'] = size // width if kind not in ('u8', 'bool', 'uint') else 1
                    if kind == 'uint' and size // 4 != 1:
                        row['count'] = size // 4
                elif kind in ('string', 'bitmap') and isinstance(size, int):
                    row['maxlen'] = size  # for a bitmap: the number of bits
                if parser in ('proc_dointvec_minmax', 'proc_douintvec_minmax', 'proc_dou8vec_minmax',
                              'proc_doulongvec_minmax', 'proc_doulongvec_ms_jiffies_minmax',
                              'proc_dointvec_ms_jiffies_minmax'):
                    for k, attr in (('extra1', 'min'), ('extra2', 'max')):
                        if k in eff:
                            try:
                                v = resolver.bound(eff[k], path)
                                if v is not None:
                                    row[attr] = v
                            except (ValueError, SyntaxError, KeyError, TypeError) as e:
                                problems.append(f'{key}: {k} {eff[k]}: {e}')
                                row[attr + '-unresolved'] = eff[k]
                rows[key] = row
    ndisc_overrides(tree, resolver, rows)
    for key, (attrs, note) in OVERRIDES.items():
        if key in rows:
            rows[key].update(attrs)
            rows[key]['note'] = note
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<!-- Generated by scripts/gen-handlers.py; do not edit by hand. -->']
    for p in problems:
        out.append('<!-- unresolved: ' + p.replace('--', '- -') + ' -->')
    out.append('<handlers xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:noNamespaceSchemaLocation="../../schema/kb.xsd"')
    out.append(f'          source={quoteattr(args.source)} commit="{commit}" kernel="{version}">')
    for key in sorted(rows):
        r = rows[key]
        attrs = [f'key={quoteattr(key)}', f'handler={quoteattr(r["handler"])}']
        if r['parser'] != r['handler']:
            attrs.append(f'parser={quoteattr(r["parser"])}')
        attrs.append(f'type="{r["type"]}"')
        if r.get('count', 1) <= 0:
            del r['count']  # the handler sizes its own temporary table
        for a in ('count', 'maxlen', 'min', 'max', 'min-key', 'max-key', 'min-unresolved', 'max-unresolved', 'data'):
            if a in r:
                attrs.append(f'{a}={quoteattr(str(r[a]))}')
        attrs.append(f'scope="{"netns" if r["netns"] else "global"}"')
        if not r['writable']:
            attrs.append('read-only="true"')
        if r.get('read-only-outside-init'):
            attrs.append('read-only-outside-init="true"')
        if r.get('note'):
            attrs.append(f'note={quoteattr(r["note"])}')
        attrs.append(f'file={quoteattr(r["file"])}')
        attrs.append(f'table={quoteattr(r["table"])}')
        out.append('  <sysctl ' + ' '.join(attrs) + '/>')
    out.append('</handlers>')
    with open(args.output, 'w') as fh:
        fh.write('\n'.join(out) + '\n')
    print(f'{len(rows)} sysctls, {len(problems)} unresolved', file=sys.stderr)


if __name__ == '__main__':
    main()
