// The kernel's sock_diag/inet_diag UAPI structures (what `ss` uses), exposed to Swift.
// linux/netlink.h: struct nlmsghdr, NLMSG_* message types; linux/sock_diag.h: SOCK_DIAG_BY_FAMILY;
// linux/inet_diag.h: struct inet_diag_req_v2, struct inet_diag_msg.
#ifndef CNETLINKDIAG_H
#define CNETLINKDIAG_H

#include <stdint.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>

/// One dump request: a netlink header followed by the inet_diag v2 request, as the kernel expects them.
struct twlint_diag_request {
    struct nlmsghdr header;
    struct inet_diag_req_v2 request;
};

/// The older request (TCPDIAG_GETSOCK, struct inet_diag_req): the kernel dumps it with family AF_UNSPEC, so
/// IPv4 and IPv6 sockets come in one walk of the hash tables (net/ipv4/inet_diag.c, inet_diag_dump_compat).
struct twlint_diag_request_compat {
    struct nlmsghdr header;
    struct inet_diag_req request;
};

/// NLMSG_ALIGN, which Swift cannot import (a function-like macro).
static inline uint32_t twlint_nlmsg_align(uint32_t length) { return NLMSG_ALIGN(length); }

/// NLMSG_HDRLEN: where a message's payload starts.
static inline uint32_t twlint_nlmsg_hdrlen(void) { return NLMSG_HDRLEN; }

#endif
