#!/usr/bin/env python3
"""Writes kb/counters/*.xml from the table below (run once; the XML files are the source of truth after review).
Text is ours; every entry names the kernel function that increments the counter (Linux 6.18 source)."""
import html, os, re, sys

NT = "https://github.com/ecki/net-tools/blob/master/statistics.c"

def x(s):
    s = html.escape(s, quote=False)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", s)

def paras(v):
    if isinstance(v, str): v = [v]
    return "\n".join(f"    <p>{x(p)}</p>" for p in v)

C = []
def c(name, summary, inc, meaning, action, src, mib=None, netstat=None, see=(), params=(), topics=(), rules=(), removed=None, extra_refs=()):
    C.append(dict(name=name, summary=summary, inc=inc, meaning=meaning, action=action, src=src, mib=mib,
                  netstat=netstat, see=see, params=params, topics=topics, rules=rules, removed=removed, extra_refs=extra_refs,
                  since=SINCE.get(name)))

# First releases that carry a counter, where one was checked: (version, note, commit id, commit title).
SINCE = {
    "TcpExt.PAWSOldAck": ("6.14", "Added by commit d16b34479064; its branch is listed in the \"Networking for 6.14\" pull request.",
                          "d16b34479064fcb8dbb66a72308b5034be819161", "tcp: add LINUX_MIB_PAWS_OLD_ACK SNMP counter"),
    "TcpExt.TSEcrRejected": ("6.15", "Added by commit 3ba075278c11, posted to net-next in February 2025 (so first in 6.15; not checked against the 6.15 pull request) and backported to the 6.14 stable series in May 2025.",
                             "3ba075278c11cdb19e2dbb80362042f1b0c08f74", "tcp: be less liberal in TSEcr received while in SYN_RECV state"),
    "TcpExt.PAWSTimewait": ("6.16", "Added by commit c449d5f3a3d7, listed in the \"Networking for v6.16\" pull request.",
                            "c449d5f3a3d70b6223af8df2cadca3ca6eacb613", "tcp: add LINUX_MIB_PAWS_TW_REJECTED counter"),
    "TcpExt.BeyondWindow": ("6.17", "Added by commit 6c758062c64d, listed in the \"Networking for 6.17\" pull request.",
                            "6c758062c64dfbd61862801fbde4e0702f4f3a23", "tcp: add LINUX_MIB_BEYOND_WINDOW"),
}

# ---------------- TIME_WAIT ----------------
c("TcpExt.TW", "Timewait minisockets started with a timeout above 4 s: TIME_WAIT and long FIN_WAIT2 waits.",
  "`__inet_twsk_schedule()` counts each timewait minisocket when its timer is first armed with a timeout above 4 seconds: real TIME_WAIT (60 s) and orphaned FIN_WAIT2 connections parked for `tcp_fin_timeout` seconds. Despite the `netstat -s` wording it is counted when the wait starts, not when it ends.",
  "The rate at which connections enter TIME_WAIT (and long FIN_WAIT2 waits) on this host. It follows the rate of connections this host closes first; by itself it is no problem.",
  "Compare with `TCPTimeWaitOverflow` (entries refused) and with the `tw` figure of `/proc/net/sockstat` (entries held now). A client with a high rate toward one destination should look at ephemeral-port use (`twlint check --live`, TW401).",
  [("net/ipv4/inet_timewait_sock.c", "__inet_twsk_schedule")], "LINUX_MIB_TIMEWAITED",
  "TCP sockets finished time wait in fast timer", see=("TcpExt.TWKilled", "TcpExt.TCPTimeWaitOverflow", "TcpExt.TWRecycled"),
  params=("net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_fin_timeout"), topics=("time-wait",), rules=("TW403", "TW404"))
c("TcpExt.TWKilled", "Timewait minisockets armed with a timeout of 4 s or less.",
  "`__inet_twsk_schedule()` counts a timewait minisocket here instead of in `TW` when its timeout is at most 4 seconds. TIME_WAIT proper always lasts 60 s, so on current kernels this is an orphaned FIN_WAIT2 connection whose remaining `tcp_fin_timeout` (or `TCP_LINGER2`) wait was that short.",
  "Connections closed while the peer had not sent its FIN, with a very short FIN_WAIT2 timeout. On kernels with `tcp_tw_recycle` it also counted recycled TIME_WAIT sockets.",
  "Usually nothing. A large count points at a lowered `tcp_fin_timeout` or a small `TCP_LINGER2`; that shortens FIN_WAIT2, not TIME_WAIT.",
  [("net/ipv4/inet_timewait_sock.c", "__inet_twsk_schedule")], "LINUX_MIB_TIMEWAITKILLED",
  "TCP sockets finished time wait in slow timer", see=("TcpExt.TW",), params=("net.ipv4.tcp_fin_timeout",), topics=("time-wait",))
c("TcpExt.TWRecycled", "Outgoing connections that took over a TIME_WAIT socket's 4-tuple.",
  "`__inet_check_established()` counts it when `connect()` picks a port whose 4-tuple is held by a TIME_WAIT socket and `tcp_twsk_unique()` allows the takeover: `tcp_tw_reuse` permits it (or the socket was bound to its port before `connect()`), the old connection saw peer timestamps, and the reuse delay has passed.",
  "`tcp_tw_reuse` (or an explicit `bind()`) is doing its job: the client reuses ports still in TIME_WAIT toward the same destination. A high rate means the host opens many short connections to few destinations.",
  "Nothing to fix by itself. If it is high and ports are still scarce, reuse connections (keep-alive, pools) or spread them over more destination ports or source addresses.",
  [("net/ipv4/inet_hashtables.c", "__inet_check_established"), ("net/ipv4/tcp_ipv4.c", "tcp_twsk_unique")], "LINUX_MIB_TIMEWAITRECYCLED",
  "time wait sockets recycled by time stamp", see=("TcpExt.TW",), params=("net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_timestamps", "net.ipv4.tcp_tw_reuse_delay"), topics=("ephemeral-ports", "time-wait"))
c("TcpExt.TCPTimeWaitOverflow", "Connections closed without TIME_WAIT because the namespace held tcp_max_tw_buckets timewait sockets.",
  "`tcp_time_wait()` counts it when `inet_twsk_alloc()` returns no timewait socket, which happens when the namespace already holds `tcp_max_tw_buckets` of them (or memory allocation fails). The connection is then destroyed at once, skipping TIME_WAIT or the FIN_WAIT2 wait. Nothing is logged.",
  "Connections are losing TIME_WAIT's protection: a retransmitted FIN from the peer gets a RST, and a delayed segment could land in a new connection on the same 4-tuple. Almost always `tcp_max_tw_buckets` was lowered, or the host churns connections faster than the limit allows.",
  "Remove any lowered `net.ipv4.tcp_max_tw_buckets` (the default is half the established hash), and reduce connection churn. twlint reports it as TW404.",
  [("net/ipv4/tcp_minisocks.c", "tcp_time_wait"), ("net/ipv4/inet_timewait_sock.c", "inet_twsk_alloc")], "LINUX_MIB_TCPTIMEWAITOVERFLOW",
  None, see=("TcpExt.TW",), params=("net.ipv4.tcp_max_tw_buckets",), topics=("time-wait",), rules=("TW403", "TW404", "TW106"))

# ---------------- PAWS and timestamps ----------------
c("TcpExt.PAWSPassive", "SYNs dropped by tcp_tw_recycle's per-host timestamp check (old kernels only).",
  "On kernels with `tcp_tw_recycle` (before 4.12), `tcp_v4_conn_request()` (later `tcp_conn_request()`) counted a SYN it dropped because `tcp_peer_is_proven()` found a newer timestamp cached for the sender's address within the last 60 s. The counter only moved while `tcp_tw_recycle` was on.",
  "Clients behind one NAT address, whose clocks differ, were being refused silently: their SYNs got no answer and their connects timed out.",
  "Set `net.ipv4.tcp_tw_recycle = 0` on such a kernel and remove the line; current kernels have neither the key nor the counter.",
  [("net/ipv4/tcp_input.c", "tcp_conn_request")], "LINUX_MIB_PAWSPASSIVEREJECTED",
  "passive connections rejected because of time stamp", params=("net.ipv4.tcp_tw_recycle",), topics=("paws-nat",), rules=("TW405", "TW102"),
  removed=("6.18", "Absent from the 6.18 source (`net/ipv4/proc.c`) and from a running 6.18 kernel's `/proc/net/netstat`; it was already gone in net-next patches of early 2025. The commit and first release that removed the column are not verified; its only user went away with `tcp_tw_recycle` in 4.12 (commit 4396e46187ca)."))
c("TcpExt.PAWSActive", "SYN-ACKs to this host's own connect() dropped by the timestamp check.",
  "`tcp_rcv_synsent_state_process()` counts a SYN-ACK arriving for an outgoing connection attempt (SYN_SENT) when it carries a timestamp echo or value that fails the PAWS check against what the attempt has already seen. The SYN-ACK is dropped and the attempt goes on.",
  "This host, as a client, received SYN-ACKs that look stale: a middlebox or NAT in front of the server mixed up flows, or the 4-tuple was reused while an old connection's segments were in flight. It says nothing about clients being refused by this host.",
  "Occasional counts need nothing. A steady rise on a client points at the path to its servers (NAT, load balancer) or at very fast reuse of the same 4-tuple.",
  [("net/ipv4/tcp_input.c", "tcp_rcv_synsent_state_process")], "LINUX_MIB_PAWSACTIVEREJECTED",
  "active connections rejected because of time stamp", see=("TcpExt.PAWSEstab",), params=("net.ipv4.tcp_timestamps",), topics=("paws-nat",))
c("TcpExt.PAWSEstab", "Segments of existing connections dropped because their timestamp was older than the last one accepted.",
  "`tcp_validate_incoming()` counts a segment on an established (or later) connection that fails `tcp_paws_discard()`; `tcp_check_req()` counts the same for the ACK that completes a handshake (SYN_RECV). The segment is dropped and answered with a duplicate ACK (rate-limited, see `TCPACKSkippedPAWS`).",
  "Sporadic counts are normal (reordering, old duplicates). A steady rise points at a middlebox that merges flows or rewrites timestamps, or at a peer whose timestamp clock jumps backwards.",
  "Look at which peers are affected (`ss -ti` shows timestamps per connection) and at NAT or load balancers on the path. Do not turn timestamps off: that removes PAWS rather than the cause.",
  [("net/ipv4/tcp_input.c", "tcp_validate_incoming"), ("net/ipv4/tcp_minisocks.c", "tcp_check_req")], "LINUX_MIB_PAWSESTABREJECTED",
  "packetes rejected in established connections because of timestamp", see=("TcpExt.PAWSActive", "TcpExt.PAWSTimewait", "TcpExt.PAWSOldAck", "TcpExt.TCPACKSkippedPAWS"), params=("net.ipv4.tcp_timestamps",), topics=("paws-nat",))
c("TcpExt.PAWSTimewait", "Segments for a TIME_WAIT socket rejected by its timestamp check.",
  "`tcp_timewait_state_process()` counts a segment for a TIME_WAIT 4-tuple whose timestamp is older than the old connection's last one. A SYN that fails this check is not taken over as a new connection; the TIME_WAIT socket answers with an ACK of the old connection instead.",
  "A new connection attempt on a 4-tuple still in TIME_WAIT carried an older timestamp: typically two clients behind one NAT that reused the same public port. Such clients see a one-second connect delay, since their retransmitted SYN succeeds after the RST exchange.",
  "Nothing on this host, usually; the NAT's port allocation causes it. Keep `tcp_timestamps = 1`.",
  [("net/ipv4/tcp_minisocks.c", "tcp_timewait_state_process")], "LINUX_MIB_PAWS_TW_REJECTED",
  None, see=("TcpExt.PAWSEstab",), params=("net.ipv4.tcp_timestamps", "net.ipv4.tcp_rfc1337"), topics=("paws-nat", "time-wait"))
c("TcpExt.PAWSOldAck", "Old pure ACKs dropped by PAWS, counted apart from PAWSEstab.",
  "`tcp_validate_incoming()` counts a PAWS-rejected segment here instead of in `PAWSEstab` when `tcp_disordered_ack_check()` classifies it as an old pure ACK; it is dropped without the duplicate ACK other PAWS drops get, since such ACKs are common and harmless.",
  "Reordering of ACKs on the path; no loss of data.",
  "Nothing, unless it grows together with `PAWSEstab`.",
  [("net/ipv4/tcp_input.c", "tcp_validate_incoming")], "LINUX_MIB_PAWS_OLD_ACK",
  None, see=("TcpExt.PAWSEstab",), topics=("paws-nat",))
c("TcpExt.TSEcrRejected", "Handshake-completing ACKs dropped because their timestamp echo matched no SYN-ACK sent.",
  "`tcp_check_req()` counts an ACK for a pending request (SYN_RECV) whose echoed timestamp is not one this host sent in its SYN-ACKs; the ACK is dropped.",
  "A peer or middlebox echoes wrong timestamps, or forged ACKs arrive.",
  "Watch together with `PAWSEstab`; investigate the path if it keeps growing.",
  [("net/ipv4/tcp_minisocks.c", "tcp_check_req")], "LINUX_MIB_TSECRREJECTED",
  None, see=("TcpExt.PAWSEstab",), topics=("paws-nat",))
c("TcpExt.BeyondWindow", "Segments dropped because they lie beyond the receive window.",
  "`tcp_validate_incoming()` counts a segment (not RST, not SYN) whose sequence range lies wholly after the window this host advertised; it is dropped and answered with a rate-limited duplicate ACK.",
  "The peer sends more than the window allows (a broken stack or middlebox), or stray segments of another connection arrive.",
  "Investigate the sending peer if it grows steadily.",
  [("net/ipv4/tcp_input.c", "tcp_validate_incoming")], "LINUX_MIB_BEYOND_WINDOW",
  None, see=("TcpExt.TCPACKSkippedSeq",))

# ---------------- listen / SYN ----------------
c("TcpExt.ListenOverflows", "Connections dropped because a listener's accept queue was full.",
  ["`tcp_conn_request()` counts an incoming SYN dropped because the accept queue (`listen()` backlog, capped by `net.core.somaxconn`) is full; `tcp_v4_syn_recv_sock()` and `tcp_v6_syn_recv_sock()` count a completed handshake whose child socket cannot be queued for the same reason; `tcp_get_syncookie_mss()` counts it for BPF-generated cookies.",
   "Each of these also counts in `ListenDrops`."],
  "The application does not call `accept()` fast enough for its connection rate, or its backlog is too small. Clients see connect delays of a second or more (SYN retransmission), or a RST with `tcp_abort_on_overflow = 1`.",
  "Find the listener: `ss -ltn` shows Recv-Q (queued) against Send-Q (backlog). Make the application accept faster and raise its backlog together with `net.core.somaxconn`.",
  [("net/ipv4/tcp_input.c", "tcp_conn_request"), ("net/ipv4/tcp_ipv4.c", "tcp_v4_syn_recv_sock")], "LINUX_MIB_LISTENOVERFLOWS",
  "times the listen queue of a socket overflowed", see=("TcpExt.ListenDrops", "TcpExt.TCPReqQFullDrop", "TcpExt.TCPReqQFullDoCookies"),
  params=("net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog", "net.ipv4.tcp_abort_on_overflow"), topics=("listen-queues",), rules=("TW406", "TW212"))
c("TcpExt.ListenDrops", "Every segment a listening socket dropped, whatever the reason.",
  "`tcp_listendrop()` is called on every drop path of a listening socket: each drop in `tcp_conn_request()` (SYN queue full without cookies, accept queue full, the `tcp_max_syn_backlog` last-quarter check, failed allocation or route), a failure to create the child socket in `tcp_v4_syn_recv_sock()` (accept queue full, memory, route), SYNs to broadcast or multicast addresses (`tcp_v4_conn_request()`), and pending requests removed by an ICMP error (`tcp_req_err()`).",
  "Drops at listeners. `ListenDrops` minus `ListenOverflows` is what is not an accept-queue overflow: SYN queue full without cookies, memory or routing failures, broadcast SYNs, ICMP-aborted requests.",
  "Read it with `ListenOverflows`, `TCPReqQFullDrop` and the SYN-cookie counters to see which queue drops.",
  [("include/net/tcp.h", "tcp_listendrop"), ("net/ipv4/tcp_input.c", "tcp_conn_request"), ("net/ipv4/tcp_ipv4.c", "tcp_v4_syn_recv_sock")], "LINUX_MIB_LISTENDROPS",
  "SYNs to LISTEN sockets dropped", see=("TcpExt.ListenOverflows", "TcpExt.TCPReqQFullDrop"),
  params=("net.core.somaxconn", "net.ipv4.tcp_max_syn_backlog"), topics=("listen-queues",), rules=("TW406",))
c("TcpExt.TCPReqQFullDrop", "SYNs dropped because the SYN queue was full and SYN cookies were off.",
  "`tcp_syn_flood_action()` counts a SYN it drops because the listener's request queue is full and `tcp_syncookies` does not allow a cookie; the first time per listener it also logs \"Possible SYN flooding on port ... Dropping request.\"",
  "A SYN flood, or a legitimate burst larger than the SYN queue, is losing connection attempts.",
  "Keep `net.ipv4.tcp_syncookies = 1` (the default); raise the backlog and `tcp_max_syn_backlog` if the burst is legitimate.",
  [("net/ipv4/tcp_input.c", "tcp_syn_flood_action")], "LINUX_MIB_TCPREQQFULLDROP",
  None, see=("TcpExt.TCPReqQFullDoCookies", "TcpExt.ListenDrops"), params=("net.ipv4.tcp_syncookies", "net.ipv4.tcp_max_syn_backlog"), topics=("listen-queues",), rules=("TW211",))
c("TcpExt.TCPReqQFullDoCookies", "SYNs answered with a SYN cookie because the SYN queue was full.",
  "`tcp_syn_flood_action()` counts a SYN that gets a cookie instead of a queue entry because the request queue is full and `tcp_syncookies` is 1 (with 2 every SYN gets a cookie and this counter moves too); the first time per listener it logs \"Possible SYN flooding on port ... Sending cookies.\" (not when `tcp_syncookies` is 2).",
  "The SYN queue overflowed; connections still complete through cookies, but without timestamps the cookie cannot carry window scaling or SACK.",
  "Check whether it is an attack (many half-open requests from spoofed sources) or a legitimate burst; for the latter raise the listener's backlog and `tcp_max_syn_backlog`.",
  [("net/ipv4/tcp_input.c", "tcp_syn_flood_action")], "LINUX_MIB_TCPREQQFULLDOCOOKIES",
  None, see=("TcpExt.SyncookiesSent", "TcpExt.TCPReqQFullDrop"), params=("net.ipv4.tcp_syncookies", "net.ipv4.tcp_max_syn_backlog"), topics=("listen-queues",))
c("TcpExt.SyncookiesSent", "SYN-ACKs sent with a SYN cookie.",
  "`cookie_init_sequence()` counts each SYN-ACK whose sequence number is a cookie instead of a queued request.",
  "The SYN queue was full (or `tcp_syncookies = 2`); see `TCPReqQFullDoCookies`.",
  "As for `TCPReqQFullDoCookies`.",
  [("include/net/tcp.h", "cookie_init_sequence")], "LINUX_MIB_SYNCOOKIESSENT",
  "SYN cookies sent", see=("TcpExt.SyncookiesRecv", "TcpExt.SyncookiesFailed", "TcpExt.TCPReqQFullDoCookies"), params=("net.ipv4.tcp_syncookies",), topics=("listen-queues",))
c("TcpExt.SyncookiesRecv", "Valid SYN cookies received back in a handshake-completing ACK.",
  "`cookie_tcp_check()` counts an ACK whose cookie checks out; a connection is then created from it.",
  "Connections really completed through cookies: the peers were real.",
  "Nothing to do beyond what `SyncookiesSent` asks.",
  [("net/ipv4/syncookies.c", "cookie_tcp_check")], "LINUX_MIB_SYNCOOKIESRECV",
  "SYN cookies received", see=("TcpExt.SyncookiesSent", "TcpExt.SyncookiesFailed"), params=("net.ipv4.tcp_syncookies",), topics=("listen-queues",))
c("TcpExt.SyncookiesFailed", "ACKs that looked like a SYN-cookie reply but whose cookie did not check out.",
  "`cookie_tcp_check()` checks ACKs arriving at a listener only while its SYN queue overflowed recently (`tcp_synq_no_recent_overflow()`, about two minutes), and counts one whose cookie is invalid or expired.",
  "Stray or forged ACKs, or ACKs arriving after the cookie expired (about two minutes).",
  "Occasional counts are harmless; a large rate alongside an attack is expected.",
  [("net/ipv4/syncookies.c", "cookie_tcp_check")], "LINUX_MIB_SYNCOOKIESFAILED",
  "invalid SYN cookies received", see=("TcpExt.SyncookiesRecv",), params=("net.ipv4.tcp_syncookies",), topics=("listen-queues",))
c("TcpExt.EmbryonicRsts", "Pending connection requests (SYN_RECV) ended by a RST or SYN, or reset for a full accept queue.",
  "`tcp_check_req()` counts a request it removes at its `embryonic_reset` label: a segment for the pending request carried RST (the client gave up; nothing is sent back) or an in-window SYN (a RST is sent), or, with `tcp_abort_on_overflow = 1`, the handshake completed while the accept queue was full (a RST is sent).",
  "Clients aborting half-open connections, or, with `tcp_abort_on_overflow`, connections refused for a full accept queue.",
  "If `tcp_abort_on_overflow = 1`, compare with `ListenOverflows` and fix the accept rate; otherwise the clients' side explains it.",
  [("net/ipv4/tcp_minisocks.c", "tcp_check_req")], "LINUX_MIB_EMBRYONICRSTS",
  "resets received for embryonic SYN_RECV sockets", see=("TcpExt.ListenOverflows", "Tcp.AttemptFails"), params=("net.ipv4.tcp_abort_on_overflow",), topics=("rst-conditions", "listen-queues"), rules=("TW210",))
c("TcpExt.TCPDeferAcceptDrop", "Bare handshake ACKs ignored because the listener uses TCP_DEFER_ACCEPT.",
  "`tcp_check_req()` counts a final handshake ACK without data that it drops while the request is still within the listener's `TCP_DEFER_ACCEPT` period.",
  "Clients that connect and wait for the server to speak first while the server defers accept until data arrives.",
  "Expected with `TCP_DEFER_ACCEPT`; do not use that option for protocols where the server speaks first.",
  [("net/ipv4/tcp_minisocks.c", "tcp_check_req")], "LINUX_MIB_TCPDEFERACCEPTDROP",
  None, topics=("listen-queues",))
c("TcpExt.TCPMigrateReqSuccess", "Requests and connections moved to another SO_REUSEPORT listener when theirs closed.",
  "`inet_csk_listen_stop()`, `inet_csk_complete_hashdance()` and `reqsk_timer_handler()` count a request or child socket migrated from a closing listener to another listener of the same `SO_REUSEPORT` group (with `tcp_migrate_req` or a BPF program).",
  "Listeners are being restarted and `tcp_migrate_req` saves their pending connections.",
  "Nothing.",
  [("net/ipv4/inet_connection_sock.c", "inet_csk_listen_stop")], "LINUX_MIB_TCPMIGRATEREQSUCCESS",
  None, see=("TcpExt.TCPMigrateReqFailure",), params=("net.ipv4.tcp_migrate_req",), topics=("listen-queues",))
c("TcpExt.TCPMigrateReqFailure", "Requests that could not be moved to another SO_REUSEPORT listener.",
  "The same functions as `TCPMigrateReqSuccess`, plus `tcp_check_req()` and `inet_reqsk_clone()`, count a migration that failed: no other listener, its queue full, or no memory.",
  "Connections lost while a listener closed, despite `tcp_migrate_req`.",
  "Check the other listeners' accept queues.",
  [("net/ipv4/inet_connection_sock.c", "inet_csk_listen_stop"), ("net/ipv4/tcp_minisocks.c", "tcp_check_req")], "LINUX_MIB_TCPMIGRATEREQFAILURE",
  None, see=("TcpExt.TCPMigrateReqSuccess",), params=("net.ipv4.tcp_migrate_req",), topics=("listen-queues",))

# ---------------- aborts / resets ----------------
c("TcpExt.TCPAbortOnData", "Connections reset because data arrived after close() or shutdown(), or closed with SO_LINGER 0.",
  ["`tcp_rcv_state_process()` counts it when new data arrives on a socket in FIN_WAIT1 or FIN_WAIT2 whose application has closed it or shut down reading; RFC 1122 requires the reset, which `tcp_reset()` then performs. The same function counts it when an orphan's FIN is acknowledged while `TCP_LINGER2` is negative, and when an out-of-order FIN arrives after `close()`; in these two cases the ACK or FIN is answered with a RST.",
   "`__tcp_close()` counts it when the application closes with `SO_LINGER` on and a zero timeout (and no unread data): the connection is aborted with a RST instead of a FIN."],
  "Mostly servers that close connections while the client is still sending (an unread request body, pipelined requests, a timeout), or applications that abort with `SO_LINGER` 0. The peer sees \"Connection reset by peer\".",
  "Find which case it is: packet captures or `ss -tino state fin-wait-1` show servers closing with data in flight. For servers, read or drain the request before closing, or use `shutdown(SHUT_WR)` first. For `SO_LINGER` 0, see the so-linger topic.",
  [("net/ipv4/tcp_input.c", "tcp_rcv_state_process"), ("net/ipv4/tcp.c", "__tcp_close")], "LINUX_MIB_TCPABORTONDATA",
  "connections reset due to unexpected data", see=("TcpExt.TCPAbortOnClose", "Tcp.OutRsts", "Tcp.EstabResets"), topics=("rst-conditions", "so-linger"), rules=("TW407",))
c("TcpExt.TCPAbortOnClose", "Connections reset because the application closed them with unread data.",
  "`__tcp_close()` counts it when the receive queue still holds data the application never read: the data is discarded and a RST is sent instead of a FIN (RFC 2525 §2.17), so the peer learns that data was lost.",
  "An application closes connections before reading all that the peer sent: a server that answers before reading the whole request, or a client that drops a response.",
  "Fix the application to read (or drain) before closing. The peer sees \"Connection reset by peer\".",
  [("net/ipv4/tcp.c", "__tcp_close")], "LINUX_MIB_TCPABORTONCLOSE",
  "connections reset due to early user close", see=("TcpExt.TCPAbortOnData", "Tcp.OutRsts"), topics=("rst-conditions", "so-linger"), rules=("TW407",))
c("TcpExt.TCPAbortOnLinger", "Sockets already in FIN_WAIT2 at close(), reset because TCP_LINGER2 was negative.",
  "`__tcp_close()` counts it when the application closes a socket that is already in FIN_WAIT2 (our FIN acknowledged) and its `TCP_LINGER2` is negative: it sends a RST instead of waiting for the peer's FIN. A negative `TCP_LINGER2` on a socket closed from ESTABLISHED is counted as `TCPAbortOnData` when the FIN's ACK arrives, and the keepalive-timer path resets without a counter.",
  "An application uses a negative `TCP_LINGER2` and closes after `shutdown(SHUT_WR)` has completed.",
  "Expected with that option; remove it if the resets are unwanted.",
  [("net/ipv4/tcp.c", "__tcp_close")], "LINUX_MIB_TCPABORTONLINGER",
  "connections aborted after user close in linger timeout", see=("TcpExt.TCPAbortOnData",), params=("net.ipv4.tcp_fin_timeout",), topics=("so-linger", "rst-conditions"), rules=("TW407",))
c("TcpExt.TCPAbortOnMemory", "Orphaned connections reset for too many orphans or TCP memory pressure.",
  "`tcp_out_of_resources()` (from the retransmit and probe timers) and `__tcp_close()` count an orphaned connection they reset because `tcp_check_oom()` finds more orphans than `tcp_max_orphans` or TCP memory above the `tcp_mem` limit; the kernel also logs \"too many orphaned sockets\" or \"out of memory\" (rate-limited).",
  "The host holds too many closed-but-unfinished connections or too much TCP buffer memory.",
  "Check `/proc/net/sockstat` (orphan, mem) against `tcp_max_orphans` and `tcp_mem`; look for peers that stop reading.",
  [("net/ipv4/tcp_timer.c", "tcp_out_of_resources"), ("net/ipv4/tcp.c", "tcp_check_oom")], "LINUX_MIB_TCPABORTONMEMORY",
  "connections aborted due to memory pressure", see=("TcpExt.TCPMemoryPressures",), params=("net.ipv4.tcp_max_orphans", "net.ipv4.tcp_mem"), topics=("rst-conditions",), rules=("TW407",))
c("TcpExt.TCPAbortOnTimeout", "Connections given up after retransmission, SYN or keepalive timeouts.",
  "`tcp_write_err()` counts every connection the timers give up on: retransmissions exhausted (`tcp_retries2`, `TCP_USER_TIMEOUT`), SYN or SYN-ACK retries exhausted, orphan retries (`tcp_orphan_retries`), or unanswered keepalive probes. Only the keepalive case sends a RST first (`tcp_keepalive_timer()`).",
  "Peers or paths stop answering: the application sees ETIMEDOUT.",
  "Look at which peers time out (`ss -ti` shows retransmissions) and at the network path; tune `tcp_retries2` or keepalive only after that.",
  [("net/ipv4/tcp_timer.c", "tcp_write_err"), ("net/ipv4/tcp_timer.c", "tcp_keepalive_timer")], "LINUX_MIB_TCPABORTONTIMEOUT",
  "connections aborted due to timeout", see=("TcpExt.TCPTimeouts", "TcpExt.TCPSynRetrans"), params=("net.ipv4.tcp_retries2", "net.ipv4.tcp_syn_retries", "net.ipv4.tcp_keepalive_time"), topics=("rst-conditions",), rules=("TW407",))
c("TcpExt.TCPAbortFailed", "Resets the kernel wanted to send but could not.",
  "`tcp_send_active_reset()` counts it when it cannot allocate the RST segment or sending it fails.",
  "Memory shortage at the moment of an abort; the peer is not told and may keep the connection until its own timeout.",
  "Look at memory pressure (`TCPMemoryPressures`, `/proc/net/sockstat`).",
  [("net/ipv4/tcp_output.c", "tcp_send_active_reset")], "LINUX_MIB_TCPABORTFAILED",
  "times unable to send RST due to no memory", see=("TcpExt.TCPAbortOnMemory",), topics=("rst-conditions",))
c("TcpExt.TCPChallengeACK", "Challenge ACKs sent in answer to suspicious RST or SYN segments (RFC 5961).",
  "`tcp_send_challenge_ack()` counts an ACK it sends instead of accepting an in-window but not exact RST, or a SYN on an established connection, so that a blind attacker cannot reset it; a real peer answers with an exact RST.",
  "Resets or SYNs that do not exactly match: a peer that lost its state (rebooted, NAT timeout) or spoofing attempts.",
  "Usually nothing; a flood suggests an attack or a middlebox that dropped state.",
  [("net/ipv4/tcp_input.c", "tcp_send_challenge_ack")], "LINUX_MIB_TCPCHALLENGEACK",
  None, see=("TcpExt.TCPSYNChallenge", "TcpExt.TCPACKSkippedChallenge"), params=("net.ipv4.tcp_challenge_ack_limit",), topics=("rst-conditions",))
c("TcpExt.TCPSYNChallenge", "SYNs received on established connections and answered with a challenge ACK.",
  "`tcp_validate_incoming()` counts a SYN arriving on a synchronised connection; it is answered with a challenge ACK (RFC 5961 §4).",
  "A peer that restarted and reconnects from the same port, or SYN spoofing.",
  "Usually nothing.",
  [("net/ipv4/tcp_input.c", "tcp_validate_incoming")], "LINUX_MIB_TCPSYNCHALLENGE",
  None, see=("TcpExt.TCPChallengeACK",), topics=("rst-conditions",))
c("TcpExt.TCPACKSkippedChallenge", "Challenge ACKs not sent because of the rate limit.",
  "`tcp_send_challenge_ack()` counts a challenge ACK it suppresses because the per-connection out-of-window rate limit (`tcp_invalid_ratelimit`) or the host-wide `tcp_challenge_ack_limit` was reached.",
  "Many suspicious RSTs or SYNs in a short time.",
  "Nothing unless under attack.",
  [("net/ipv4/tcp_input.c", "tcp_send_challenge_ack")], "LINUX_MIB_TCPACKSKIPPEDCHALLENGE",
  None, see=("TcpExt.TCPChallengeACK",), params=("net.ipv4.tcp_challenge_ack_limit", "net.ipv4.tcp_invalid_ratelimit"))
for col, fn, file, what in [
    ("TCPACKSkippedSynRecv", "tcp_check_req", "net/ipv4/tcp_minisocks.c", "a pending request (SYN_RECV)"),
    ("TCPACKSkippedPAWS", "tcp_validate_incoming", "net/ipv4/tcp_input.c", "a segment dropped by PAWS"),
    ("TCPACKSkippedSeq", "tcp_validate_incoming", "net/ipv4/tcp_input.c", "an out-of-window segment"),
    ("TCPACKSkippedFinWait2", "tcp_timewait_state_process", "net/ipv4/tcp_minisocks.c", "an orphan parked in FIN_WAIT2"),
    ("TCPACKSkippedTimeWait", "tcp_timewait_state_process", "net/ipv4/tcp_minisocks.c", "a TIME_WAIT socket")]:
    c("TcpExt." + col, f"Duplicate ACKs not sent for {what} because of the rate limit.",
      f"`{fn}()` counts a duplicate ACK it would send in answer to {what} but suppresses because `tcp_oow_rate_limited()` finds the last one was sent less than `tcp_invalid_ratelimit` ago.",
      "Bursts of invalid segments; the rate limit protects against ACK loops and floods.",
      "Nothing, usually; read it with the counter of the drop itself.",
      [(file, fn), ("net/ipv4/tcp_input.c", "tcp_oow_rate_limited")], "LINUX_MIB_" + col.upper(),
      None, params=("net.ipv4.tcp_invalid_ratelimit",))

# ---------------- timeouts, retransmission ----------------
c("TcpExt.TCPTimeouts", "Retransmission timer expiries (RTO), including SYN and SYN-ACK timeouts.",
  "`tcp_retransmit_timer()` counts each RTO expiry on a connection, and `tcp_syn_ack_timeout()` each SYN-ACK retransmission timeout of a pending request.",
  "Loss severe enough that fast retransmit could not recover, or peers that do not answer (SYNs to dead hosts).",
  "Compare with `Tcp.RetransSegs` and `TCPSynRetrans`; look at the path's loss with `ss -ti`.",
  [("net/ipv4/tcp_timer.c", "tcp_retransmit_timer"), ("net/ipv4/tcp_timer.c", "tcp_syn_ack_timeout")], "LINUX_MIB_TCPTIMEOUTS",
  "other TCP timeouts", see=("TcpExt.TCPSynRetrans", "Tcp.RetransSegs", "TcpExt.TCPAbortOnTimeout"), params=("net.ipv4.tcp_retries2", "net.ipv4.tcp_synack_retries"))
c("TcpExt.TCPSynRetrans", "SYN and SYN-ACK retransmissions.",
  "`__tcp_retransmit_skb()` counts a retransmitted SYN (an outgoing `connect()` not answered yet) and `tcp_rtx_synack()` a retransmitted SYN-ACK.",
  "Outgoing connects that get no answer (server down, filtered, its SYN queue dropping) or handshakes whose last ACK is lost. Each retransmission adds a second or more to connect time.",
  "Find the destinations with `ss -tn state syn-sent`; on servers, check `ListenOverflows`.",
  [("net/ipv4/tcp_output.c", "__tcp_retransmit_skb"), ("net/ipv4/tcp_output.c", "tcp_rtx_synack")], "LINUX_MIB_TCPSYNRETRANS",
  None, see=("TcpExt.TCPTimeouts", "TcpExt.ListenOverflows"), params=("net.ipv4.tcp_syn_retries", "net.ipv4.tcp_synack_retries"), topics=("listen-queues",))
c("TcpExt.TCPKeepAlive", "Keepalive probes sent.",
  "`tcp_keepalive_timer()` counts each keepalive probe it sends through `tcp_write_wakeup()` on an idle connection with `SO_KEEPALIVE`.",
  "Idle connections being probed; a high rate relative to connections means short keepalive settings.",
  "Nothing by itself; unanswered probes end in `TCPAbortOnTimeout`.",
  [("net/ipv4/tcp_timer.c", "tcp_keepalive_timer")], "LINUX_MIB_TCPKEEPALIVE",
  None, see=("TcpExt.TCPAbortOnTimeout",), params=("net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"))
c("TcpExt.TCPLossProbes", "Tail loss probes sent.",
  "`tcp_send_loss_probe()` counts each tail loss probe: a retransmission or new segment sent shortly before an RTO would fire, so that loss at the end of a burst is found by fast recovery instead of a timeout.",
  "Tail losses or delayed ACKs at the end of bursts; normal in moderation.",
  "Nothing, usually.",
  [("net/ipv4/tcp_output.c", "tcp_send_loss_probe")], "LINUX_MIB_TCPLOSSPROBES",
  None, see=("TcpExt.TCPTimeouts",), params=("net.ipv4.tcp_early_retrans",))
c("TcpExt.TCPSpuriousRTOs", "Retransmission timeouts found to be unnecessary (F-RTO).",
  "`tcp_try_undo_loss()` counts an RTO that the F-RTO algorithm later proves spurious: ACKs for original segments arrived, so the window reduction is undone.",
  "Delay spikes on the path (not loss) that fire the RTO.",
  "Nothing, usually; many of them point at a path with large delay variation.",
  [("net/ipv4/tcp_input.c", "tcp_try_undo_loss")], "LINUX_MIB_TCPSPURIOUSRTOS",
  None, see=("TcpExt.TCPTimeouts",), params=("net.ipv4.tcp_frto",))
c("TcpExt.TCPRetransFail", "Retransmissions that could not be sent.",
  "`__tcp_retransmit_skb()` counts a retransmission that failed in the local stack (no memory, queue full, qdisc drop).",
  "Local congestion or memory shortage, not network loss.",
  "Look at qdisc drops (`tc -s qdisc`) and memory.",
  [("net/ipv4/tcp_output.c", "__tcp_retransmit_skb")], "LINUX_MIB_TCPRETRANSFAIL",
  None, see=("Tcp.RetransSegs",))
c("TcpExt.TCPSackRecovery", "Fast recoveries entered using SACK.",
  "`tcp_enter_recovery()` counts entry into fast recovery on a connection that negotiated SACK.",
  "Packet loss recovered without a timeout.",
  "Nothing; compare with `TCPTimeouts` for losses that needed the RTO.",
  [("net/ipv4/tcp_input.c", "tcp_enter_recovery")], "LINUX_MIB_TCPSACKRECOVERY",
  "times recovered from packet loss by selective acknowledgements", see=("TcpExt.TCPRenoRecovery",), params=("net.ipv4.tcp_sack",))
c("TcpExt.TCPRenoRecovery", "Fast recoveries entered without SACK (classic Reno).",
  "`tcp_enter_recovery()` counts entry into fast recovery on a connection without SACK.",
  "Loss on connections whose peer or configuration disables SACK.",
  "If high, check why SACK is off (`net.ipv4.tcp_sack`, middleboxes stripping options).",
  [("net/ipv4/tcp_input.c", "tcp_enter_recovery")], "LINUX_MIB_TCPRENORECOVERY",
  "times recovered from packet loss due to fast retransmit", see=("TcpExt.TCPSackRecovery",), params=("net.ipv4.tcp_sack",))
c("TcpExt.TCPPLBRehash", "Flow-label rehashes done by Protective Load Balancing.",
  "`tcp_plb_check_rehash()` counts a change of the connection's flow hash after PLB saw sustained congestion (ECN marks) for `tcp_plb_rehash_rounds` rounds.",
  "PLB moving congested flows to other paths; only with `tcp_plb_enabled` and DCTCP-style ECN.",
  "Nothing unless PLB was not meant to be on.",
  [("net/ipv4/tcp_plb.c", "tcp_plb_check_rehash")], "LINUX_MIB_TCPPLBREHASH",
  None, params=("net.ipv4.tcp_plb_enabled",))

# ---------------- memory and queues ----------------
c("TcpExt.TCPMemoryPressures", "Times TCP entered memory pressure.",
  "`tcp_enter_memory_pressure()` counts each entry into the pressure state, when TCP memory passes the middle value of `tcp_mem`; buffers are then trimmed and grow no further.",
  "TCP buffer memory on this host is short; throughput suffers and orphans may be reset (`TCPAbortOnMemory`).",
  "Check `/proc/net/sockstat` (mem, in pages) against `tcp_mem`; find sockets with large queues (`ss -tm`).",
  [("net/ipv4/tcp.c", "tcp_enter_memory_pressure")], "LINUX_MIB_TCPMEMORYPRESSURES",
  "TCP ran low on memory", see=("TcpExt.TCPAbortOnMemory", "TcpExt.PruneCalled"), params=("net.ipv4.tcp_mem",))
c("TcpExt.PruneCalled", "Times a receive queue had to be pruned because the socket ran out of receive buffer.",
  "`tcp_prune_queue()` counts each call, made when incoming data does not fit the socket's receive buffer; it collapses queued segments to save memory.",
  "Applications read too slowly for the data rate, or receive buffers are too small.",
  "Check the application's reading and `tcp_rmem`; watch `RcvPruned` and `OfoPruned` for actual drops.",
  [("net/ipv4/tcp_input.c", "tcp_prune_queue")], "LINUX_MIB_PRUNECALLED",
  "packets pruned from receive queue because of socket buffer overrun", see=("TcpExt.RcvPruned", "TcpExt.OfoPruned", "TcpExt.TCPRcvQDrop"), params=("net.ipv4.tcp_rmem",))
c("TcpExt.RcvPruned", "Times pruning could not free enough room and incoming data was dropped.",
  "`tcp_prune_queue()` counts it when collapsing and pruning the out-of-order queue still leave the receive buffer over its limit; the incoming segment is dropped.",
  "Data loss caused by this host's receive buffers; the sender must retransmit.",
  "Make the application read faster; raise `tcp_rmem` if buffers are the limit.",
  [("net/ipv4/tcp_input.c", "tcp_prune_queue")], "LINUX_MIB_RCVPRUNED",
  "packets pruned from receive queue", see=("TcpExt.PruneCalled",), params=("net.ipv4.tcp_rmem",))
c("TcpExt.OfoPruned", "Times out-of-order data was thrown away to save receive memory.",
  "`tcp_prune_ofo_queue()` counts each pruning of the out-of-order queue when the receive buffer is full.",
  "Loss plus a receive buffer too small to hold data while a hole is filled.",
  "As for `PruneCalled`.",
  [("net/ipv4/tcp_input.c", "tcp_prune_ofo_queue")], "LINUX_MIB_OFOPRUNED",
  "packets dropped from out-of-order queue because of socket buffer overrun", see=("TcpExt.PruneCalled",), params=("net.ipv4.tcp_rmem",))
c("TcpExt.TCPRcvQDrop", "Incoming segments dropped because the socket's receive memory was exhausted.",
  "`tcp_data_queue()` (and `tcp_send_rcvq()` for repair) counts a segment it drops because `tcp_try_rmem_schedule()` cannot find room even after pruning.",
  "The receiving application is too slow or its buffer too small; data is lost and retransmitted.",
  "As for `RcvPruned`.",
  [("net/ipv4/tcp_input.c", "tcp_data_queue")], "LINUX_MIB_TCPRCVQDROP",
  None, see=("TcpExt.PruneCalled", "TcpExt.RcvPruned"), params=("net.ipv4.tcp_rmem",))
c("TcpExt.TCPBacklogDrop", "Segments dropped because a socket's backlog was full while its owner held the lock.",
  "`tcp_add_backlog()` counts a segment it cannot queue to a socket that the application is busy with, because the backlog reached the receive plus send buffer limit.",
  "A very busy socket whose application holds it for long stretches; the segments are lost.",
  "Look for applications that process large reads or writes while holding the socket; raise buffers if needed.",
  [("net/ipv4/tcp_ipv4.c", "tcp_add_backlog")], "LINUX_MIB_TCPBACKLOGDROP",
  None, see=("TcpExt.TCPRcvQDrop",), params=("net.ipv4.tcp_rmem",))
c("TcpExt.TCPOFODrop", "Out-of-order segments dropped for lack of receive memory.",
  "`tcp_data_queue_ofo()` counts an out-of-order segment it drops because there is no room for it.",
  "Loss on the path combined with a full receive buffer.",
  "As for `PruneCalled`.",
  [("net/ipv4/tcp_input.c", "tcp_data_queue_ofo")], "LINUX_MIB_TCPOFODROP",
  None, see=("TcpExt.OfoPruned",), params=("net.ipv4.tcp_rmem",))
c("TcpExt.TCPZeroWindowDrop", "Segments dropped because this host advertised a zero window.",
  "`tcp_data_queue()` counts a segment carrying data it cannot accept because the receive window is zero (the application is not reading).",
  "A receiver that stopped reading; the sender is probing or ignoring the window.",
  "Check the application's reading; see `TCPToZeroWindowAdv`.",
  [("net/ipv4/tcp_input.c", "tcp_data_queue")], "LINUX_MIB_TCPZEROWINDOWDROP",
  None, see=("TcpExt.TCPRcvQDrop",))
c("TcpExt.TCPAutoCorking", "Times a small send was held back to be merged with following data.",
  "`tcp_push()` counts a send it defers because earlier data is still in the device queue (`tcp_autocorking`).",
  "Applications writing in small pieces; the kernel batches them.",
  "Nothing; it saves packets.",
  [("net/ipv4/tcp.c", "tcp_push")], "LINUX_MIB_TCPAUTOCORKING",
  None, params=("net.ipv4.tcp_autocorking",))
c("TcpExt.TCPAckCompressed", "ACKs merged by ACK compression for SACK-heavy flows.",
  "`tcp_event_ack_sent()` (net/ipv4/tcp_output.c) and `tcp_sack_compress_send_ack()` add the number of ACKs that were not sent separately because SACK compression (`tcp_comp_sack_nr`) merged them into one.",
  "Receivers seeing reordering or loss send fewer ACKs.",
  "Nothing.",
  [("net/ipv4/tcp_output.c", "tcp_event_ack_sent"), ("net/ipv4/tcp_input.c", "tcp_sack_compress_send_ack")], "LINUX_MIB_TCPACKCOMPRESSED",
  None, params=("net.ipv4.tcp_comp_sack_nr",))

# ---------------- MTU probing, fast open ----------------
c("TcpExt.TCPMTUPSuccess", "Packetization-layer path MTU probes that succeeded.",
  "`tcp_mtup_probe_success()` counts a probe whose larger segment was acknowledged; the connection's MSS grows.",
  "MTU probing (`tcp_mtu_probing`) finds larger MSS values.",
  "Nothing.",
  [("net/ipv4/tcp_input.c", "tcp_mtup_probe_success")], "LINUX_MIB_TCPMTUPSUCCESS",
  None, see=("TcpExt.TCPMTUPFail",), params=("net.ipv4.tcp_mtu_probing",))
c("TcpExt.TCPMTUPFail", "Packetization-layer path MTU probes that failed.",
  "`tcp_mtup_probe_failed()` counts a probe segment that was lost; the search range shrinks.",
  "Paths with a smaller MTU than assumed, often with ICMP blocked (black holes).",
  "Keep `tcp_mtu_probing` on for such paths; fix ICMP filtering if possible.",
  [("net/ipv4/tcp_input.c", "tcp_mtup_probe_failed")], "LINUX_MIB_TCPMTUPFAIL",
  None, see=("TcpExt.TCPMTUPSuccess",), params=("net.ipv4.tcp_mtu_probing",))
for col, fn, file, summary, meaning in [
    ("TCPFastOpenActive", "tcp_rcv_fastopen_synack", "net/ipv4/tcp_input.c", "Outgoing connections that sent data in the SYN (TCP Fast Open).", "The client side of Fast Open is used."),
    ("TCPFastOpenPassive", "tcp_try_fastopen", "net/ipv4/tcp_fastopen.c", "Incoming Fast Open SYNs whose data was accepted.", "The server side of Fast Open is used."),
    ("TCPFastOpenPassiveFail", "tcp_try_fastopen", "net/ipv4/tcp_fastopen.c", "Incoming Fast Open SYNs whose cookie was invalid; the data waits for the handshake.", "Clients with stale or forged cookies."),
    ("TCPFastOpenListenOverflow", "tcp_fastopen_queue_check", "net/ipv4/tcp_fastopen.c", "Fast Open requests refused because the listener's Fast Open queue was full.", "More Fast Open SYNs than the listener's `TCP_FASTOPEN` queue allows; they fall back to a normal handshake."),
    ("TCPFastOpenCookieReqd", "tcp_try_fastopen", "net/ipv4/tcp_fastopen.c", "Fast Open SYNs that asked for a cookie.", "Clients starting to use Fast Open."),
    ("TCPFastOpenBlackhole", "tcp_fastopen_active_disable", "net/ipv4/tcp_fastopen.c", "Times active Fast Open was switched off after suspected middlebox black holes.", "Paths that drop SYNs with data; the kernel backs off (`tcp_fastopen_blackhole_timeout_sec`).")]:
    c("TcpExt." + col, summary,
      f"Counted in `{fn}()` ({file}) on the Fast Open path described by the summary.",
      meaning, "Nothing unless Fast Open is not meant to be used; see `net.ipv4.tcp_fastopen`.",
      [(file, fn)], "LINUX_MIB_" + col.upper(), None, params=("net.ipv4.tcp_fastopen",))

# ---------------- ICMP, misc ----------------
c("TcpExt.OutOfWindowIcmps", "ICMP errors for TCP ignored because they quoted a sequence outside the send window.",
  "`tcp_v4_err()`, `tcp_v6_err()` and `tcp_req_err()` count an ICMP error whose quoted TCP sequence number is not within the unacknowledged data, so it cannot belong to this connection.",
  "Stale or forged ICMP errors.",
  "Nothing, usually.",
  [("net/ipv4/tcp_ipv4.c", "tcp_v4_err")], "LINUX_MIB_OUTOFWINDOWICMPS",
  "ICMP packets dropped because they were out-of-window")
c("TcpExt.LockDroppedIcmps", "ICMP errors for TCP dropped because the socket was locked by its owner.",
  "`tcp_v4_err()` and `tcp_v6_err()` count an ICMP error (other than fragmentation needed) that arrives while the application holds the socket lock.",
  "Busy sockets receiving ICMP errors; harmless in small numbers.",
  "Nothing.",
  [("net/ipv4/tcp_ipv4.c", "tcp_v4_err")], "LINUX_MIB_LOCKDROPPEDICMPS",
  "ICMP packets dropped because socket was locked")
c("TcpExt.ArpFilter", "ARP requests not answered because of arp_filter.",
  "`arp_filter()` (net/ipv4/arp.c) counts an ARP request it ignores because `arp_filter` is set and the route back to the sender would not leave through the receiving interface.",
  "Multi-homed hosts with `arp_filter` on, receiving ARP on the \"wrong\" interface.",
  "Expected with `arp_filter`; check routing if resolution fails.",
  [("net/ipv4/arp.c", "arp_filter")], "LINUX_MIB_ARPFILTER",
  None, params=("net.ipv4.conf.*.arp_filter",))
c("TcpExt.DelayedACKLost", "Times quick-ACK mode was entered because the peer resent data we had already received.",
  "`tcp_send_dupack()` and `tcp_data_queue()` count a segment that is wholly old (already received): the peer evidently missed our ACK, probably because we delayed it, so the kernel switches to quick ACKs.",
  "Our delayed ACKs, or ACKs lost on the path, cause spurious retransmissions by the peer.",
  "Nothing, usually.",
  [("net/ipv4/tcp_input.c", "tcp_send_dupack")], "LINUX_MIB_DELAYEDACKLOST",
  "Quick ack mode was activated", see=("TcpExt.TCPDSACKOldSent",))
c("TcpExt.TCPDSACKOldSent", "DSACKs sent for data received twice.",
  "`tcp_dsack_set()` counts a duplicate SACK this host sends to tell the peer that a segment arrived that it already had.",
  "The peer retransmits needlessly (spurious retransmissions).",
  "Nothing on this host.",
  [("net/ipv4/tcp_input.c", "tcp_dsack_set")], "LINUX_MIB_TCPDSACKOLDSENT",
  "DSACKs sent for old packets", see=("TcpExt.DelayedACKLost",), params=("net.ipv4.tcp_dsack",))
c("TcpExt.TCPMinTTLDrop", "Segments dropped because their TTL was below the socket's IP_MINTTL.",
  "`tcp_v4_rcv()` and `tcp_v4_err()` (and their IPv6 twins) count a segment or ICMP error dropped because its TTL (hop limit) is below the socket's `IP_MINTTL` (`IPV6_MINHOPCOUNT`), the GTSM protection of RFC 5082.",
  "Packets from farther away than a protected session (BGP) allows: spoofing or a routing change.",
  "Check the peer's path if it is a legitimate session.",
  [("net/ipv4/tcp_ipv4.c", "tcp_v4_rcv")], "LINUX_MIB_TCPMINTTLDROP", None)

# ---------------- Tcp: (RFC 4022 MIB, /proc/net/snmp) ----------------
c("Tcp.ActiveOpens", "Connections this host opened with connect() (SYN sent).",
  "`tcp_connect()` (net/ipv4/tcp_output.c) counts each SYN of a new outgoing connection (RFC 4022 tcpActiveOpens: transitions from CLOSED to SYN_SENT).",
  "The rate of outgoing connections; with many short ones toward one destination, ephemeral ports run short.",
  "Compare with `AttemptFails`; for port pressure see TW401.",
  [("net/ipv4/tcp_output.c", "tcp_connect")], "TCP_MIB_ACTIVEOPENS",
  "active connection openings", see=("Tcp.AttemptFails", "Tcp.PassiveOpens"), topics=("ephemeral-ports",), rules=("TW401",))
c("Tcp.PassiveOpens", "Connections accepted from a listener (handshake completed).",
  "`tcp_create_openreq_child()` (net/ipv4/tcp_minisocks.c) counts each child socket created when a handshake completes at a listener (RFC 4022 tcpPassiveOpens).",
  "The rate of incoming connections.",
  "Nothing by itself.",
  [("net/ipv4/tcp_minisocks.c", "tcp_create_openreq_child")], "TCP_MIB_PASSIVEOPENS",
  "passive connection openings", see=("Tcp.ActiveOpens",), topics=("listen-queues",))
c("Tcp.AttemptFails", "Connection attempts that failed before being established.",
  "`tcp_done()` counts a connection that ends while still in SYN_SENT or SYN_RECV (the attempt was refused with a RST or timed out), and `tcp_check_req()` counts a pending request killed by an incoming RST or SYN (RFC 4022 tcpAttemptFails).",
  "Outgoing connects refused (\"Connection refused\") or timing out, or half-open incoming requests aborted by clients.",
  "Find failing destinations with `ss -tn state syn-sent`; refused connects mean nothing listens there.",
  [("net/ipv4/tcp.c", "tcp_done"), ("net/ipv4/tcp_minisocks.c", "tcp_check_req")], "TCP_MIB_ATTEMPTFAILS",
  "failed connection attempts", see=("Tcp.ActiveOpens", "TcpExt.EmbryonicRsts", "TcpExt.TCPSynRetrans"), topics=("rst-conditions",), rules=("TW407",))
c("Tcp.EstabResets", "Established connections that ended abortively, in either direction.",
  "`tcp_set_state()` counts a move to CLOSE from ESTABLISHED or CLOSE_WAIT: a RST received or sent, or a timeout (RFC 4022 tcpEstabResets). Despite the `netstat -s` wording it is not only resets received.",
  "Connections ending without the normal FIN exchange: peer resets, local aborts (`TCPAbortOn*`) or timeouts.",
  "Split it with the `TCPAbortOn*` counters (local aborts) and `TCPAbortOnTimeout`; what remains are resets received.",
  [("net/ipv4/tcp.c", "tcp_set_state")], "TCP_MIB_ESTABRESETS",
  "connection resets received", see=("Tcp.OutRsts", "TcpExt.TCPAbortOnData", "TcpExt.TCPAbortOnClose"), topics=("rst-conditions",), rules=("TW407",))
c("Tcp.OutRsts", "RST segments sent.",
  "`tcp_v4_send_reset()` and `tcp_v6_send_reset()` (net/ipv6/tcp_ipv6.c) count resets sent in reply to a segment (no listener on the port, no such connection, a refused segment), and `tcp_send_active_reset()` counts resets of aborts (`TCPAbortOn*`).",
  "This host refuses connections to closed ports, answers segments for connections it no longer knows, or aborts connections.",
  "Compare with `AttemptFails` on clients and the `TCPAbortOn*` counters; capture RSTs (`tcpdump 'tcp[tcpflags] & tcp-rst != 0'`) to see which peers get them.",
  [("net/ipv4/tcp_ipv4.c", "tcp_v4_send_reset"), ("net/ipv4/tcp_output.c", "tcp_send_active_reset")], "TCP_MIB_OUTRSTS",
  "resets sent", see=("Tcp.EstabResets", "TcpExt.TCPAbortOnData", "TcpExt.TCPAbortOnClose"), topics=("rst-conditions",), rules=("TW407",))
c("Tcp.CurrEstab", "Connections now in ESTABLISHED or CLOSE_WAIT (a gauge, not a counter).",
  "`tcp_set_state()` increments it on entering ESTABLISHED and decrements it on leaving ESTABLISHED or CLOSE_WAIT (RFC 4022 tcpCurrEstab).",
  "The number of open connections. A large CLOSE_WAIT share (`ss -tn state close-wait`) means applications do not close sockets the peer has closed.",
  "Nothing by itself.",
  [("net/ipv4/tcp.c", "tcp_set_state")], "TCP_MIB_CURRESTAB",
  "connections established", see=("Tcp.ActiveOpens", "Tcp.PassiveOpens"))
c("Tcp.InSegs", "TCP segments received, including those in error.",
  "`tcp_v4_rcv()` and `tcp_v6_rcv()` count each TCP segment handed to TCP (RFC 4022 tcpInSegs).",
  "Traffic volume; the base for error ratios.",
  "Nothing by itself.",
  [("net/ipv4/tcp_ipv4.c", "tcp_v4_rcv")], "TCP_MIB_INSEGS",
  "segments received", see=("Tcp.OutSegs", "Tcp.InErrs"))
c("Tcp.OutSegs", "TCP segments sent, excluding retransmissions.",
  "`__tcp_transmit_skb()` counts each segment that carries new data (advances `snd_nxt`) or no data at all, so retransmissions are left out as RFC 4022 tcpOutSegs asks; `tcp_v4_send_reset()` and `tcp_v4_send_ack()` add their replies.",
  "Traffic volume; the base for the retransmission ratio.",
  "Nothing by itself.",
  [("net/ipv4/tcp_output.c", "__tcp_transmit_skb")], "TCP_MIB_OUTSEGS",
  "segments sent out", see=("Tcp.RetransSegs",))
c("Tcp.RetransSegs", "TCP segments retransmitted.",
  "`__tcp_retransmit_skb()` counts each retransmitted segment, and `tcp_rtx_synack()` each retransmitted SYN-ACK (RFC 4022 tcpRetransSegs).",
  "Loss or timeouts on the paths this host sends over; RetransSegs / OutSegs is the retransmission ratio.",
  "A ratio above a few per cent deserves a look at the paths (`ss -ti` per connection).",
  [("net/ipv4/tcp_output.c", "__tcp_retransmit_skb")], "TCP_MIB_RETRANSSEGS",
  "segments retransmitted", see=("Tcp.OutSegs", "TcpExt.TCPTimeouts"))
c("Tcp.InErrs", "TCP segments received with errors (bad checksum, bad header, or dropped by TCP).",
  "`tcp_v4_rcv()` and `tcp_v6_rcv()` count segments that fail header or checksum checks (checksum failures also in `InCsumErrors`), `tcp_v4_do_rcv()` counts segments whose processing failed, and `tcp_validate_incoming()` and `tcp_rcv_established()` count segments dropped as invalid (RFC 4022 tcpInErrs).",
  "Corrupted packets (NIC, cabling, offload bugs) or malformed traffic.",
  "Check `InCsumErrors` and the interface error counters (`ip -s link`).",
  [("net/ipv4/tcp_ipv4.c", "tcp_v4_rcv")], "TCP_MIB_INERRS",
  "bad segments received", see=("Tcp.InCsumErrors", "Tcp.InSegs"))
c("Tcp.InCsumErrors", "TCP segments received with a bad checksum.",
  "`tcp_v4_rcv()` and `tcp_v6_rcv()` count a segment whose checksum fails; it is also counted in `InErrs`.",
  "Corruption on the link or in the NIC or its offloads.",
  "Check the interface (`ip -s link`, `ethtool -S`).",
  [("net/ipv4/tcp_ipv4.c", "tcp_v4_rcv")], "TCP_MIB_CSUMERRORS",
  None, see=("Tcp.InErrs",))

# ---------------- everyday counters an operator meets in nstat / netstat -s ----------------
c("TcpExt.DelayedACKs", "Delayed ACKs sent when the delayed-ACK timer fired.",
  "`tcp_delack_timer_handler()` counts an ACK it sends because the delayed-ACK timer expired with an ACK still pending.",
  "Normal: receivers delay ACKs hoping to piggy-back them on data. A high share of all ACKs points at request/response traffic with small replies.",
  "Nothing, usually.",
  [("net/ipv4/tcp_timer.c", "tcp_delack_timer_handler")], "LINUX_MIB_DELAYEDACKS",
  "delayed acks sent", see=("TcpExt.DelayedACKLocked", "TcpExt.DelayedACKLost"))
c("TcpExt.DelayedACKLocked", "Delayed-ACK timer expiries postponed because the application held the socket.",
  "`tcp_delack_timer()` counts a timer expiry that finds the socket owned by the application; the ACK is sent later from `tcp_release_cb()`.",
  "Busy sockets; the ACK goes out a little later.",
  "Nothing.",
  [("net/ipv4/tcp_timer.c", "tcp_delack_timer")], "LINUX_MIB_DELAYEDACKLOCKED",
  "delayed acks further delayed because of locked socket", see=("TcpExt.DelayedACKs",))
c("TcpExt.TCPHPHits", "Incoming data segments handled by the header-prediction fast path.",
  "`tcp_rcv_established()` counts a segment carrying data that matched the predicted header (in-order, expected flags and window) and was queued on the fast path.",
  "A measure of in-order bulk receive; no problem by itself.",
  "Nothing.",
  [("net/ipv4/tcp_input.c", "tcp_rcv_established")], "LINUX_MIB_TCPHPHITS",
  "packet headers predicted", see=("TcpExt.TCPHPAcks", "TcpExt.TCPPureAcks"))
c("TcpExt.TCPHPAcks", "Incoming ACKs handled on the fast path of tcp_ack() (pure forward advance).",
  "`tcp_ack()` counts an ACK that only moves the acknowledged edge forward with an unchanged window, needing no further checks.",
  "Normal sending traffic.",
  "Nothing.",
  [("net/ipv4/tcp_input.c", "tcp_ack")], "LINUX_MIB_TCPHPACKS",
  "predicted acknowledgments", see=("TcpExt.TCPPureAcks",))
c("TcpExt.TCPPureAcks", "Incoming ACKs without data that took the slow path of tcp_ack().",
  "`tcp_ack()` counts an ACK segment carrying no data when it is processed on the slow path (window update, SACK, or anything the fast path cannot take).",
  "Normal traffic; very high values relative to data point at small-segment exchanges or SACK-heavy recovery.",
  "Nothing.",
  [("net/ipv4/tcp_input.c", "tcp_ack")], "LINUX_MIB_TCPPUREACKS",
  "acknowledgments not containing data payload received", see=("TcpExt.TCPHPAcks",))
c("TcpExt.TCPFastRetrans", "Segments retransmitted by fast retransmit or fast recovery (not after a timeout).",
  "`tcp_xmit_retransmit_queue()` counts a retransmission of a segment marked lost while the connection is not in the Loss state (that is, recovery triggered by duplicate ACKs, SACK or RACK).",
  "Loss repaired without a timeout: the efficient case.",
  "Compare with `TCPSlowStartRetrans` and `TCPTimeouts`; the ratio to `Tcp.OutSegs` shows the loss rate.",
  [("net/ipv4/tcp_output.c", "tcp_xmit_retransmit_queue")], "LINUX_MIB_TCPFASTRETRANS",
  "fast retransmits", see=("TcpExt.TCPSlowStartRetrans", "Tcp.RetransSegs", "TcpExt.TCPTimeouts"))
c("TcpExt.TCPSlowStartRetrans", "Segments retransmitted after a retransmission timeout (Loss state).",
  "`tcp_xmit_retransmit_queue()` counts a retransmission made while the connection is in the Loss state, after an RTO.",
  "Loss that needed the timer: more costly than fast retransmit.",
  "Look at the paths with many timeouts (`ss -ti`).",
  [("net/ipv4/tcp_output.c", "tcp_xmit_retransmit_queue")], "LINUX_MIB_TCPSLOWSTARTRETRANS",
  "retransmits in slow start", see=("TcpExt.TCPFastRetrans", "TcpExt.TCPTimeouts"))
c("TcpExt.TCPLostRetransmit", "Retransmissions that were themselves lost.",
  "`tcp_mark_skb_lost()` counts a segment marked lost again although it had already been retransmitted.",
  "Heavy or bursty loss on the path.",
  "Investigate the path; it is a stronger signal than `RetransSegs` alone.",
  [("net/ipv4/tcp_input.c", "tcp_mark_skb_lost")], "LINUX_MIB_TCPLOSTRETRANSMIT",
  None, see=("Tcp.RetransSegs",))
c("TcpExt.TCPOFOQueue", "Segments received out of order and queued until the gap is filled.",
  "`tcp_data_queue_ofo()` counts each segment it adds to the out-of-order queue.",
  "Loss or reordering on the path toward this host.",
  "Nothing by itself; drops show in `TCPOFODrop` and `OfoPruned`.",
  [("net/ipv4/tcp_input.c", "tcp_data_queue_ofo")], "LINUX_MIB_TCPOFOQUEUE",
  None, see=("TcpExt.TCPOFODrop", "TcpExt.OfoPruned"))
c("TcpExt.TCPRcvCoalesce", "Incoming segments merged into the previous buffer of the receive queue.",
  "`tcp_try_coalesce()` counts a segment whose data it appends to the last queued buffer instead of queuing a new one, saving memory.",
  "Normal receive traffic.",
  "Nothing.",
  [("net/ipv4/tcp_input.c", "tcp_try_coalesce")], "LINUX_MIB_TCPRCVCOALESCE", None)
c("TcpExt.TCPRcvCollapsed", "Segments collapsed into fewer buffers to save receive memory.",
  "`tcp_collapse_one()` counts each buffer it frees while `tcp_collapse()` copies queued data into compact buffers, which happens when the receive buffer is short (`tcp_prune_queue()`).",
  "The receiver is short of buffer space; each collapse costs CPU copies.",
  "As for `PruneCalled`.",
  [("net/ipv4/tcp_input.c", "tcp_collapse_one")], "LINUX_MIB_TCPRCVCOLLAPSED",
  "packets collapsed in receive queue due to low socket buffer", see=("TcpExt.PruneCalled",), params=("net.ipv4.tcp_rmem",))
c("TcpExt.TCPOrigDataSent", "Segments of new data sent (retransmissions excluded).",
  "`tcp_event_new_data_sent()` adds the segments of each newly sent buffer, and `tcp_send_syn_data()` counts data sent in a Fast Open SYN.",
  "Outgoing data volume in segments; with `Tcp.RetransSegs` it gives the retransmission ratio without pure ACKs in the base.",
  "Nothing by itself.",
  [("net/ipv4/tcp_output.c", "tcp_event_new_data_sent")], "LINUX_MIB_TCPORIGDATASENT",
  None, see=("Tcp.RetransSegs", "Tcp.OutSegs"))
c("TcpExt.TCPDelivered", "Data segments the peer acknowledged, as counted for delivery-rate estimation.",
  "`tcp_newly_delivered()` adds the number of segments newly delivered (acknowledged or SACKed) by each ACK.",
  "Goodput in segments.",
  "Nothing.",
  [("net/ipv4/tcp_input.c", "tcp_newly_delivered")], "LINUX_MIB_TCPDELIVERED",
  None, see=("TcpExt.TCPOrigDataSent",))
c("TcpExt.TCPDSACKRecv", "DSACKs received: the peer got a segment twice.",
  "`tcp_check_dsack()` counts a duplicate SACK block that covers data below the cumulative ACK, which tells this sender that a retransmission was unnecessary.",
  "Spurious retransmissions by this host (reordering, too short RTO); Linux uses it to undo needless window reductions.",
  "Nothing, usually; many of them point at reordering on the path.",
  [("net/ipv4/tcp_input.c", "tcp_check_dsack")], "LINUX_MIB_TCPDSACKRECV",
  "DSACKs received", see=("TcpExt.TCPDSACKOldSent", "TcpExt.TCPSpuriousRTOs"), params=("net.ipv4.tcp_dsack",))
c("TcpExt.TCPWantZeroWindowAdv", "Times the receive window computed to zero but could not be advertised as zero.",
  "`tcp_select_window()` counts it when the new window would be zero but the kernel must not shrink the window it offered (`tcp_shrink_window` off, or no window scaling), so it keeps advertising the old one.",
  "A receiver whose application is not reading; the sender may soon overrun it.",
  "Look at the receiving application (`ss -tm` shows receive-queue memory).",
  [("net/ipv4/tcp_output.c", "tcp_select_window")], "LINUX_MIB_TCPWANTZEROWINDOWADV",
  None, see=("TcpExt.TCPToZeroWindowAdv",), params=("net.ipv4.tcp_shrink_window",))
c("TcpExt.TCPToZeroWindowAdv", "Times this host started advertising a zero receive window.",
  "`tcp_select_window()` counts a change from a non-zero to a zero advertised window.",
  "Receiving applications stop reading (or read too slowly) and their buffers fill.",
  "Find the application whose receive queue stays full (`ss -tn` Recv-Q).",
  [("net/ipv4/tcp_output.c", "tcp_select_window")], "LINUX_MIB_TCPTOZEROWINDOWADV",
  None, see=("TcpExt.TCPFromZeroWindowAdv", "TcpExt.TCPZeroWindowDrop"))
c("TcpExt.TCPFromZeroWindowAdv", "Times this host reopened a zero receive window.",
  "`tcp_select_window()` counts a change from a zero to a non-zero advertised window.",
  "The receiving application caught up.",
  "Read with `TCPToZeroWindowAdv`.",
  [("net/ipv4/tcp_output.c", "tcp_select_window")], "LINUX_MIB_TCPFROMZEROWINDOWADV",
  None, see=("TcpExt.TCPToZeroWindowAdv",))
c("TcpExt.TCPWinProbe", "Zero-window probes sent.",
  "`tcp_send_probe0()` counts a probe sent to a peer that advertised a zero window, and `tcp_send_window_probe()` one sent on request (repair mode).",
  "Peers whose applications stopped reading; this host keeps probing until they reopen or `tcp_retries2` expires.",
  "Look at the peer; see `TCPToZeroWindowAdv` there.",
  [("net/ipv4/tcp_output.c", "tcp_send_probe0")], "LINUX_MIB_TCPWINPROBE",
  None, params=("net.ipv4.tcp_retries2",))
c("TcpExt.TcpTimeoutRehash", "Retransmission timeouts after which the connection picked a new flow hash.",
  "`tcp_write_timeout()` counts an RTO after which `sk_rethink_txhash()` chose a new hash, so that the next packets may take another path (ECMP, or an IPv6 flow label).",
  "Timeouts on hosts that move flows off a failing path.",
  "Compare with `TCPTimeouts`.",
  [("net/ipv4/tcp_timer.c", "tcp_write_timeout")], "LINUX_MIB_TCPTIMEOUTREHASH",
  None, see=("TcpExt.TCPTimeouts",), params=("net.core.txrehash",))
c("IpExt.InOctets", "Bytes received in IP packets (all protocols).",
  "`ip_rcv_core()` adds the length of each IPv4 packet addressed to this host as it enters the IP layer (`__IP_UPD_PO_STATS(net, IPSTATS_MIB_IN, ...)` counts the packet in `Ip: InReceives` and the bytes here).",
  "Traffic volume.",
  "Nothing.",
  [("net/ipv4/ip_input.c", "ip_rcv_core")], "IPSTATS_MIB_INOCTETS", None, see=("IpExt.OutOctets",))
c("IpExt.OutOctets", "Bytes sent in IP packets (all protocols).",
  "`ip_finish_output2()` adds the length of each IPv4 packet it hands to the neighbour layer (`IP_UPD_PO_STATS(net, IPSTATS_MIB_OUT, ...)`).",
  "Traffic volume.",
  "Nothing.",
  [("net/ipv4/ip_output.c", "ip_finish_output2")], "IPSTATS_MIB_OUTOCTETS", None, see=("IpExt.InOctets",))
c("IpExt.InCEPkts", "Received IPv4 packets with the ECN Congestion Experienced mark.",
  "`ip_rcv_core()` adds each received packet to the counter of its ECN codepoint (`IPSTATS_MIB_NOECTPKTS + (iph->tos & INET_ECN_MASK)`); this is the CE one.",
  "Routers on the path signal congestion with ECN instead of dropping; TCP reacts as to loss.",
  "Nothing on this host; it shows ECN at work.",
  [("net/ipv4/ip_input.c", "ip_rcv_core")], "IPSTATS_MIB_CEPKTS", None, params=("net.ipv4.tcp_ecn",))

REFS_EXTRA = [('<source path="Documentation/networking/snmp_counter.rst"/>')]

def write(entry):
    name = entry["name"]
    group, col = name.split(".", 1)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<counter xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
             '         xsi:noNamespaceSchemaLocation="../../schema/kb.xsd"',
             f'         name="{name}">']
    if entry["mib"]:
        lines += ["  <aliases>", f"    <alias>{entry['mib']}</alias>", "  </aliases>"]
    if entry["netstat"]:
        lines.append(f"  <netstat>{x(entry['netstat'])}</netstat>")
    else:
        lines.append(f"  <netstat>{col}: (net-tools has no wording for it and prints the name)</netstat>" if False else "")
    if entry["since"]:
        v, note, _, _ = entry["since"]
        lines.append(f'  <since version="{v}">{x(note)}</since>')
    if entry["removed"]:
        v, note = entry["removed"]
        lines.append(f'  <removed version="{v}">{x(note)}</removed>')
    lines.append(f"  <summary>{x(entry['summary'])}</summary>")
    lines += ["  <increments>", paras(entry["inc"]), "  </increments>",
              "  <meaning>", paras(entry["meaning"]), "  </meaning>",
              "  <action>", paras(entry["action"]), "  </action>"]
    if entry["see"]:
        lines += ["  <see>"] + [f'    <counter name="{s}"/>' for s in entry["see"]] + ["  </see>"]
    rel = [f'    <param key="{p}"/>' for p in entry["params"]] + [f'    <topic id="{t}"/>' for t in entry["topics"]] + [f'    <rule code="{r}"/>' for r in entry["rules"]]
    if rel:
        lines += ["  <related>"] + rel + ["  </related>"]
    lines.append("  <references>")
    for path, sym in entry["src"]:
        lines.append(f'    <source path="{path}" symbol="{sym}"/>')
    if entry["since"]:
        v, _, cid, title = entry["since"]
        lines.append(f'    <commit id="{cid}" title="{x(title)}" version="{v}"/>')
    table = {"TcpExt": "snmp4_net_list", "Tcp": "snmp4_tcp_list", "IpExt": "snmp4_ipextstats_list"}[group]
    lines.append(f'    <source path="net/ipv4/proc.c" symbol="{table}"/>')
    lines.append('    <source path="Documentation/networking/snmp_counter.rst"/>')
    if entry["netstat"]:
        lines.append(f'    <url href="{NT}" title="net-tools statistics.c: the wording netstat -s prints"/>')
    if group == "Tcp":
        lines.append('    <rfc number="4022" title="Management Information Base for the Transmission Control Protocol (TCP)"/>')
    lines.append("  </references>")
    lines.append("</counter>")
    text = "\n".join(l for l in lines if l != "") + "\n"
    os.makedirs("kb/counters", exist_ok=True)
    with open(f"kb/counters/{name}.xml", "w") as f:
        f.write(text)

if __name__ == "__main__":
    names = [e["name"] for e in C]
    assert len(names) == len(set(names)), "duplicate"
    for e in C: write(e)
    print(len(C), "counters")
