#!/usr/bin/env python3
"""Rank the sysctl keys real configurations set most, for the version-evidence goal (issue 11).

Sources: every file of the shared corpus (../shared/corpus: sysctl.conf files, compose and Kubernetes
manifests), the key list of Benchmarks/gen-corpus.py (drawn from real tuning files), the keys set
by the tuning guides listed in GUIDES, and the keys set by the public sysctl.conf files in PUBLIC_FILES
(key names only, each list produced by `--keys-of FILE` on that file at the named commit).  A key
scores one point per source that sets it; interface instances count for their family
(net.ipv4.conf.all.rp_filter -> net.ipv4.conf.*.rp_filter).  Ties are broken by name.  Writes
kb/catalog/top-keys.txt (at most 100 keys, with the sources).

The corpus, the benchmark list and the guides together name 87 distinct keys, fewer than the 100 the
version-evidence goal asks for.  PUBLIC_FILES widens the base with the first four Linux sysctl.conf
files at a repository root in the code index's alphabetical listing of that path (2026-12-02;
011010010110111101110100/os-setups, the first entry, is a FreeBSD file and was skipped).

Usage: scripts/top-keys.py [--corpus DIR] [-o kb/catalog/top-keys.txt]
       scripts/top-keys.py --keys-of FILE     (print the key families FILE sets, as PUBLIC_FILES records them)
"""
import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KEY = re.compile(r'(?<![\w.])((?:net|vm|kernel|fs)\.[A-Za-z0-9_.\-]+)\s*[=:]\s*\S')

# Tuning guides (found with the project's page search, 2026-12-02): the keys each sets.
GUIDES = {
    'https://gist.github.com/magnetikonline (Collection of sysctl networking notes, fork tianchaijz/0e4249ba)': [
        'net.core.rmem_max', 'net.core.wmem_max', 'net.core.somaxconn'],
    'https://forum.hhf.technology/t/linux-network-performance-tuning-the-ultimate-guide-to-sysctl-configuration/405': [
        'net.core.rmem_max', 'net.core.wmem_max', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
        'net.ipv4.ip_local_port_range', 'net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_tw_reuse'],
    'http://wiki.hpcmate.com/index.php/Linux_kernel_parameter': [
        'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_sack', 'net.ipv4.tcp_timestamps',
        'net.core.somaxconn', 'vm.vfs_cache_pressure', 'vm.swappiness'],
    'IBM Redpaper REDP-4285 Linux Performance and Tuning Guidelines, 4.7 (manualsdump.com copy)': [
        'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_max_syn_backlog',
        'net.ipv4.tcp_syncookies', 'net.ipv4.tcp_sack', 'net.ipv4.tcp_dsack'],
    'http://www.greenplumdba.com/socket-tuning-in-linux': [
        'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_tw_recycle', 'net.ipv4.tcp_tw_reuse', 'net.core.rmem_max',
        'net.core.wmem_max', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_syncookies', 'net.core.somaxconn'],
    'https://brain-donnyaw-cf-pages-wp-performance.pages.dev/server-optimization/tcp-tweaks': [
        'net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_fastopen', 'net.core.somaxconn', 'net.ipv4.tcp_max_syn_backlog'],
}

# Public sysctl.conf files (see the module docstring for how they were chosen): the keys each sets.
PUBLIC_FILES = {
    'github.com/0x3333/unite sysctl.conf@b7b3ac31d263': [
        'net.core.bpf_jit_enable', 'net.ipv4.conf.*.accept_redirects', 'net.ipv4.conf.*.accept_source_route',
        'net.ipv4.conf.*.log_martians', 'net.ipv4.conf.*.rp_filter', 'net.ipv4.icmp_echo_ignore_all',
        'net.ipv4.icmp_echo_ignore_broadcasts', 'net.ipv4.icmp_ignore_bogus_error_responses', 'net.ipv4.ip_forward',
        'net.ipv4.tcp_sack', 'net.ipv4.tcp_syncookies', 'net.ipv6.conf.*.disable_ipv6',],
    'github.com/0x484c/sysctl sysctl.conf@882a29278d12': [
        'fs.file-max', 'kernel.core_uses_pid', 'kernel.exec-shield', 'kernel.msgmax', 'kernel.msgmnb',
        'kernel.panic', 'kernel.panic_on_oops', 'kernel.pid_max', 'kernel.randomize_va_space', 'kernel.shmall',
        'kernel.shmmax', 'kernel.sysrq', 'net.core.dev_weight', 'net.core.netdev_max_backlog',
        'net.core.optmem_max', 'net.core.rmem_default', 'net.core.rmem_max', 'net.core.somaxconn',
        'net.core.wmem_default', 'net.core.wmem_max', 'net.ipv4.conf.*.accept_redirects',
        'net.ipv4.conf.*.accept_source_route', 'net.ipv4.conf.*.bootp_relay', 'net.ipv4.conf.*.forwarding',
        'net.ipv4.conf.*.log_martians', 'net.ipv4.conf.*.proxy_arp', 'net.ipv4.conf.*.rp_filter',
        'net.ipv4.conf.*.send_redirects', 'net.ipv4.icmp_echo_ignore_all', 'net.ipv4.icmp_echo_ignore_broadcasts',
        'net.ipv4.icmp_ignore_bogus_error_responses', 'net.ipv4.ip_forward', 'net.ipv4.ip_local_port_range',
        'net.ipv4.ip_nonlocal_bind', 'net.ipv4.ipfrag_high_thresh', 'net.ipv4.ipfrag_low_thresh',
        'net.ipv4.neigh.*.gc_interval', 'net.ipv4.neigh.*.gc_thresh1', 'net.ipv4.neigh.*.gc_thresh2',
        'net.ipv4.neigh.*.gc_thresh3', 'net.ipv4.neigh.*.proxy_qlen', 'net.ipv4.neigh.*.unres_qlen',
        'net.ipv4.route.flush', 'net.ipv4.tcp_congestion_control', 'net.ipv4.tcp_dsack', 'net.ipv4.tcp_ecn',
        'net.ipv4.tcp_fack', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl',
        'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_max_orphans',
        'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_max_tw_buckets', 'net.ipv4.tcp_mem',
        'net.ipv4.tcp_moderate_rcvbuf', 'net.ipv4.tcp_no_metrics_save', 'net.ipv4.tcp_orphan_retries',
        'net.ipv4.tcp_reordering', 'net.ipv4.tcp_retries1', 'net.ipv4.tcp_retries2', 'net.ipv4.tcp_rfc1337',
        'net.ipv4.tcp_rmem', 'net.ipv4.tcp_sack', 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_syn_retries',
        'net.ipv4.tcp_synack_retries', 'net.ipv4.tcp_syncookies', 'net.ipv4.tcp_timestamps',
        'net.ipv4.tcp_tw_recycle', 'net.ipv4.tcp_tw_reuse', 'net.ipv4.tcp_window_scaling', 'net.ipv4.tcp_wmem',
        'net.ipv4.udp_mem', 'net.ipv4.udp_rmem_min', 'net.ipv4.udp_wmem_min', 'net.ipv6.conf.*.accept_redirects',
        'net.ipv6.conf.*.accept_source_route', 'net.ipv6.conf.*.forwarding', 'net.ipv6.route.flush',
        'net.netfilter.nf_conntrack_max', 'net.nf_conntrack_max', 'net.unix.max_dgram_qlen',
        'vm.dirty_background_ratio', 'vm.dirty_ratio', 'vm.min_free_kbytes', 'vm.mmap_min_addr',
        'vm.overcommit_memory', 'vm.overcommit_ratio', 'vm.swappiness',],
    'github.com/0x59656e/conf-and-dot-files sysctl.conf@864bb395c6a4': [
        'fs.file-max', 'fs.suid_dumpable', 'kernel.core_uses_pid', 'kernel.exec-shield', 'kernel.kptr_restrict',
        'kernel.maps_protect', 'kernel.msgmax', 'kernel.msgmnb', 'kernel.pid_max', 'kernel.randomize_va_space',
        'kernel.shmall', 'kernel.shmmax', 'kernel.sysrq', 'net.core.default_qdisc', 'net.core.dev_weight',
        'net.core.netdev_max_backlog', 'net.core.optmem_max', 'net.core.rmem_default', 'net.core.rmem_max',
        'net.core.somaxconn', 'net.core.wmem_default', 'net.core.wmem_max', 'net.ipv4.conf.*.accept_redirects',
        'net.ipv4.conf.*.accept_source_route', 'net.ipv4.conf.*.bootp_relay', 'net.ipv4.conf.*.forwarding',
        'net.ipv4.conf.*.proxy_arp', 'net.ipv4.conf.*.secure_redirects', 'net.ipv4.conf.*.send_redirects',
        'net.ipv4.icmp_echo_ignore_all', 'net.ipv4.icmp_echo_ignore_broadcasts',
        'net.ipv4.icmp_ignore_bogus_error_responses', 'net.ipv4.ip_forward', 'net.ipv4.ip_local_port_range',
        'net.ipv4.ipfrag_high_thresh', 'net.ipv4.ipfrag_low_thresh', 'net.ipv4.neigh.*.gc_interval',
        'net.ipv4.neigh.*.gc_thresh1', 'net.ipv4.neigh.*.gc_thresh2', 'net.ipv4.neigh.*.gc_thresh3',
        'net.ipv4.neigh.*.proxy_qlen', 'net.ipv4.neigh.*.unres_qlen', 'net.ipv4.route.flush',
        'net.ipv4.tcp_congestion_control', 'net.ipv4.tcp_ecn', 'net.ipv4.tcp_fastopen',
        'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_keepalive_time',
        'net.ipv4.tcp_max_orphans', 'net.ipv4.tcp_max_syn_backlog', 'net.ipv4.tcp_max_tw_buckets',
        'net.ipv4.tcp_moderate_rcvbuf', 'net.ipv4.tcp_no_metrics_save', 'net.ipv4.tcp_notsent_lowat',
        'net.ipv4.tcp_orphan_retries', 'net.ipv4.tcp_reordering', 'net.ipv4.tcp_retries1', 'net.ipv4.tcp_retries2',
        'net.ipv4.tcp_rfc1337', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_slow_start_after_idle',
        'net.ipv4.tcp_syn_retries', 'net.ipv4.tcp_synack_retries', 'net.ipv4.tcp_syncookies',
        'net.ipv4.tcp_timestamps', 'net.ipv4.tcp_tw_recycle', 'net.ipv4.tcp_tw_reuse',
        'net.ipv4.tcp_window_scaling', 'net.ipv4.tcp_wmem', 'net.ipv4.udp_rmem_min', 'net.ipv4.udp_wmem_min',
        'net.ipv6.conf.*.accept_ra', 'net.ipv6.conf.*.accept_redirects', 'net.ipv6.conf.*.accept_source_route',
        'net.ipv6.conf.*.autoconf', 'net.ipv6.conf.*.disable_ipv6', 'net.ipv6.conf.*.forwarding',
        'net.ipv6.ip6frag_high_thresh', 'net.ipv6.ip6frag_low_thresh', 'net.ipv6.route.flush',
        'net.unix.max_dgram_qlen', 'vm.dirty_background_ratio', 'vm.dirty_ratio', 'vm.min_free_kbytes',
        'vm.mmap_min_addr', 'vm.overcommit_memory', 'vm.overcommit_ratio', 'vm.swappiness',],
    'github.com/0x733/linuxconf sysctl.conf@43cf48e00583': [
        'fs.protected_fifos', 'fs.protected_hardlinks', 'fs.protected_regular', 'fs.protected_symlinks',
        'kernel.dmesg_restrict', 'kernel.kexec_load_disabled', 'kernel.kptr_restrict', 'kernel.perf_event_paranoid',
        'kernel.printk', 'kernel.sysrq', 'kernel.unprivileged_bpf_disabled', 'kernel.yama.ptrace_scope',
        'net.core.bpf_jit_harden', 'net.ipv4.conf.*.accept_redirects', 'net.ipv4.conf.*.accept_source_route',
        'net.ipv4.conf.*.rp_filter', 'net.ipv4.conf.*.secure_redirects', 'net.ipv4.conf.*.send_redirects',
        'net.ipv4.icmp_echo_ignore_all', 'net.ipv4.tcp_dsack', 'net.ipv4.tcp_fack', 'net.ipv4.tcp_rfc1337',
        'net.ipv4.tcp_sack', 'net.ipv4.tcp_syncookies', 'net.ipv6.conf.*.accept_ra',
        'net.ipv6.conf.*.accept_redirects', 'net.ipv6.conf.*.accept_source_route', 'net.ipv6.conf.*.use_tempaddr',
        'vm.mmap_rnd_bits', 'vm.mmap_rnd_compat_bits', 'vm.unprivileged_userfaultfd',],
}


def keys_in(lines):
    """The key families a sysctl.conf-like text sets (comments skipped; YAML list items and quotes allowed)."""
    keys = set()
    for line in lines:
        s = line.strip().lstrip('-').strip().strip('"\'')
        if s.startswith('#'):
            continue
        m = KEY.search(s)
        if m:
            keys.add(family(m.group(1).rstrip('.')))
    return keys


def family(key):
    parts = key.split('.')
    if len(parts) >= 5 and parts[0] == 'net' and parts[1] in ('ipv4', 'ipv6') and parts[2] in ('conf', 'neigh'):
        parts[3] = '*'
    return '.'.join(parts)


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', default=os.path.join(HERE, '..', '..', 'shared', 'corpus'))
    ap.add_argument('-o', '--output', default=os.path.join(HERE, '..', 'kb', 'catalog', 'top-keys.txt'))
    ap.add_argument('--keys-of', metavar='FILE')
    args = ap.parse_args(argv)
    if args.keys_of:
        with open(args.keys_of, encoding='utf-8', errors='replace') as f:
            print(sorted(keys_in(f)))
        return
    sources = {}
    if not os.path.isdir(args.corpus):
        sys.exit('top-keys: no corpus at %s (pass --corpus DIR): a list without it would rank other keys' % args.corpus)
    for name in sorted(os.listdir(args.corpus)):
        if name.endswith('.md'):
            continue
        with open(os.path.join(args.corpus, name), encoding='utf-8', errors='replace') as f:
            sources['corpus/' + name] = keys_in(f)
    gen = open(os.path.join(HERE, '..', 'Benchmarks', 'gen-corpus.py'), encoding='utf-8').read()
    sources['Benchmarks/gen-corpus.py KEYS'] = {family(k) for k in re.findall(r'\("((?:net|vm|kernel|fs)\.[^"]+)",', gen)}
    for url, keys in list(GUIDES.items()) + list(PUBLIC_FILES.items()):
        sources[url] = {family(k) for k in keys}
    score = {}
    for keys in sources.values():
        for k in keys:
            score[k] = score.get(k, 0) + 1
    ranked = sorted(score, key=lambda k: (-score[k], k))[:100]
    out = ['# The keys real configurations set most (generated by scripts/top-keys.py; do not edit by hand).\n',
           '# Score: the number of sources setting the key.  Sources:\n']
    out += ['#   %s (%d keys)\n' % (s, len(k)) for s, k in sources.items()]
    out += ['%s %d\n' % (k, score[k]) for k in ranked]
    with open(args.output, 'w', encoding='utf-8') as f:
        f.write(''.join(out))
    print('%d sources, %d distinct keys, wrote %d' % (len(sources), len(score), len(ranked)), file=sys.stderr)


if __name__ == '__main__':
    main(sys.argv[1:])
