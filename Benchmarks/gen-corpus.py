#!/usr/bin/env python3
"""Generate N realistic sysctl.d files (15-45 settings each, with comments) for the lint benchmark.

Usage: gen-corpus.py OUTDIR [N] [SEED]
Deterministic for a given seed. Keys and values are drawn from what real tuning files set,
including the mistakes twlint reports, so rules and message rendering are exercised.
"""
import os
import random
import sys

KEYS = [
    ("net.ipv4.tcp_tw_reuse", ["0", "1", "2"]),
    ("net.ipv4.tcp_timestamps", ["0", "1", "1", "1"]),
    ("net.ipv4.tcp_fin_timeout", ["10", "15", "30", "60"]),
    ("net.ipv4.tcp_max_tw_buckets", ["5000", "262144", "2000000"]),
    ("net.ipv4.ip_local_port_range", ["1024 65535", "10000 65000", "32768 60999", "40000 50000"]),
    ("net.ipv4.ip_local_reserved_ports", ["8080,9200", "3306,5432,6379"]),
    ("net.ipv4.tcp_syncookies", ["0", "1"]),
    ("net.ipv4.tcp_max_syn_backlog", ["1024", "8192", "65535"]),
    ("net.core.somaxconn", ["128", "1024", "4096", "65535"]),
    ("net.core.netdev_max_backlog", ["1000", "16384", "250000"]),
    ("net.ipv4.tcp_keepalive_time", ["600", "1200", "7200"]),
    ("net.ipv4.tcp_keepalive_intvl", ["15", "30", "75"]),
    ("net.ipv4.tcp_keepalive_probes", ["3", "5", "9"]),
    ("net.ipv4.tcp_synack_retries", ["2", "3", "5"]),
    ("net.ipv4.tcp_syn_retries", ["2", "3", "6"]),
    ("net.ipv4.tcp_rfc1337", ["0", "1"]),
    ("net.ipv4.tcp_sack", ["1"]),
    ("net.ipv4.tcp_window_scaling", ["1"]),
    ("net.ipv4.tcp_abort_on_overflow", ["0", "1"]),
    ("net.ipv4.tcp_orphan_retries", ["0", "3"]),
    ("net.ipv4.tcp_max_orphans", ["65536", "262144"]),
    ("net.ipv4.tcp_retries2", ["5", "8", "15"]),
    ("net.ipv4.ip_forward", ["0", "1"]),
    ("net.ipv4.conf.all.rp_filter", ["1", "2"]),
    ("net.ipv4.conf.default.rp_filter", ["1"]),
    ("net.ipv4.conf.all.accept_redirects", ["0"]),
    ("net.ipv4.conf.eth0.accept_source_route", ["0"]),
    ("net.ipv4.icmp_echo_ignore_broadcasts", ["1"]),
    ("net.ipv6.conf.all.disable_ipv6", ["0", "1"]),
    ("net.ipv6.conf.default.accept_ra", ["0"]),
    ("net.core.rmem_max", ["16777216"]),
    ("net.core.wmem_max", ["16777216"]),
    ("net.ipv4.tcp_rmem", ["4096 87380 16777216"]),
    ("net.ipv4.tcp_wmem", ["4096 65536 16777216"]),
    ("net.ipv4.tcp_congestion_control", ["bbr", "cubic"]),
    ("net.core.default_qdisc", ["fq", "fq_codel"]),
    ("vm.swappiness", ["1", "10", "60"]),
    ("vm.max_map_count", ["262144"]),
    ("vm.overcommit_memory", ["0", "1"]),
    ("fs.file-max", ["2097152"]),
    ("kernel.pid_max", ["4194304"]),
    ("kernel.sysrq", ["0", "1"]),
    ("net.ipv4.tcp_tw_recycle", ["0", "1"]),
    ("net.ipv4.tcp_low_latency", ["1"]),
    ("net.bridge.bridge-nf-call-iptables", ["1"]),
]
COMMENTS = [
    "# Tuning for high connection rates",
    "# See OPS runbook: network",
    "# managed by configuration management; local edits are overwritten",
    "; legacy comment style",
    "",
]


def main():
    out = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        count = rng.randint(15, 45)
        lines = [f"# generated file {i}"]
        for key, values in rng.sample(KEYS, min(count, len(KEYS))):
            if rng.random() < 0.25:
                lines.append(rng.choice(COMMENTS))
            sep = rng.choice([" = ", "=", " =  "])
            lines.append(f"{key}{sep}{rng.choice(values)}")
        with open(os.path.join(out, f"{i % 100:02d}-tuning-{i:05d}.conf"), "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
