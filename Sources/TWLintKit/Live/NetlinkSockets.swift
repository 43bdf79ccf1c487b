import CNetlinkDiag
import Foundation

/// Reads TCP sockets the way `ss` does: a NETLINK_SOCK_DIAG dump (SOCK_DIAG_BY_FAMILY with an inet_diag v2
/// request) per address family, filtered by the kernel on a state bit mask, parsed in place from one receive
/// buffer. Sees the network namespace of the calling process. Needs no privilege for TCP.
///
/// Kernel side: net/ipv4/inet_diag.c (inet_diag_dump_icsk: the state mask is applied while walking the hash
/// tables; TIME_WAIT sockets are filled by inet_twsk_diag_fill with their substate), Linux 3.3+ for
/// SOCK_DIAG_BY_FAMILY (commit d366477a52f1, "sock_diag: Initial skeleton").
public enum NetlinkSockets {
    public struct Failure: Error, CustomStringConvertible {
        public let step: String
        public let code: Int32
        public var description: String { "\(step): \(String(cString: strerror(code)))" }
        static let refused = "the kernel refused the dump"
    }

    /// TIME_WAIT is state 6: `1 << 6`.
    public static func mask(_ states: [TCPSocket.State]) -> UInt32 {
        states.reduce(0) { $0 | 1 << UInt32($1.rawValue) }
    }

    /// Listeners first, then every other state the rules need, for IPv4 and IPv6. Each dump that asks for
    /// more than LISTEN walks the whole established hash table in the kernel, so both families are asked for in
    /// one TCPDIAG_GETSOCK dump (family AF_UNSPEC); a kernel that refuses it gets one v2 dump per family.
    public static func summary(ephemeral: ClosedRange<Int>?) throws -> SocketSummary {
        var summary = SocketSummary(ephemeral: ephemeral, source: "netlink:NETLINK_SOCK_DIAG")
        let session = try Session()
        defer { session.close() }
        for family in [UInt8(AF_INET), UInt8(AF_INET6)] {
            try session.dump(family: family, states: mask([.listen])) { _, _, localPort, _, _ in
                summary.addListener(port: localPort)
            }
        }
        let visit = { (state: UInt8, local: IPAddress, localPort: Int, remote: IPAddress, remotePort: Int) in
            summary.add(state: state, local: local, localPort: localPort, remote: remote, remotePort: remotePort)
        }
        var seen = 0
        do {
            try session.dump(family: nil, states: RuntimeState.clientStates) { seen += 1; visit($0, $1, $2, $3, $4) }
        } catch let failure as Failure where seen == 0 && failure.step == Failure.refused {
            for family in [UInt8(AF_INET), UInt8(AF_INET6)] {
                try session.dump(family: family, states: RuntimeState.clientStates, visit)
            }
        }
        return summary
    }

    /// One netlink socket and one receive buffer, reused for every dump.
    public final class Session {
        let fd: Int32
        let buffer: UnsafeMutableRawPointer
        /// The kernel fills at most 32 KiB per dump message batch (netlink_dump); a larger buffer costs nothing.
        let capacity = 64 * 1024
        var sequence: UInt32 = 0x7477_0000

        public init() throws {
            fd = socket(AF_NETLINK, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), NETLINK_SOCK_DIAG)
            guard fd >= 0 else { throw Failure(step: "socket(AF_NETLINK, NETLINK_SOCK_DIAG)", code: errno) }
            // A kernel that stops answering must not hang the check.
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        }

        public func close() {
            _ = Foundation.close(fd)
            buffer.deallocate()
        }

        /// Dumps the TCP sockets of one family (nil: both, through TCPDIAG_GETSOCK) in the states of `states`,
        /// calling `visit(state, local address, local port, remote address, remote port)` for each, until NLMSG_DONE.
        public func dump(family: UInt8?, states: UInt32,
                         _ visit: (UInt8, IPAddress, Int, IPAddress, Int) -> Void) throws {
            sequence &+= 1
            if let family {
                var request = twlint_diag_request()
                request.header.nlmsg_len = UInt32(MemoryLayout<twlint_diag_request>.size)
                request.header.nlmsg_type = UInt16(SOCK_DIAG_BY_FAMILY)
                request.header.nlmsg_flags = UInt16(NLM_F_REQUEST | NLM_F_DUMP)
                request.header.nlmsg_seq = sequence
                request.request.sdiag_family = family
                request.request.sdiag_protocol = UInt8(IPPROTO_TCP)
                request.request.idiag_states = states
                try send(&request)
            } else {
                var request = twlint_diag_request_compat()
                request.header.nlmsg_len = UInt32(MemoryLayout<twlint_diag_request_compat>.size)
                request.header.nlmsg_type = UInt16(TCPDIAG_GETSOCK)
                request.header.nlmsg_flags = UInt16(NLM_F_REQUEST | NLM_F_DUMP)
                request.header.nlmsg_seq = sequence
                request.request.idiag_family = UInt8(AF_INET)   // ignored by the dump: AF_UNSPEC
                request.request.idiag_states = states
                try send(&request)
            }

            let header = Int(twlint_nlmsg_hdrlen())
            let messageSize = MemoryLayout<inet_diag_msg>.size
            while true {
                let n = recv(fd, buffer, capacity, 0)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(step: "recv", code: errno)
                }
                guard n > 0 else { throw Failure(step: "recv: the kernel closed the dump", code: EIO) }
                var offset = 0
                while offset + MemoryLayout<nlmsghdr>.size <= n {
                    let h = buffer.load(fromByteOffset: offset, as: nlmsghdr.self)
                    let length = Int(h.nlmsg_len)
                    guard length >= MemoryLayout<nlmsghdr>.size, offset + length <= n else {
                        throw Failure(step: "a truncated netlink message", code: EPROTO)
                    }
                    defer { offset += Int(twlint_nlmsg_align(UInt32(length))) }
                    guard h.nlmsg_seq == sequence else { continue }   // a stale answer
                    switch Int32(h.nlmsg_type) {
                    case NLMSG_DONE:
                        return
                    case NLMSG_ERROR:
                        let code = length >= header + 4 ? buffer.load(fromByteOffset: offset + header, as: Int32.self) : -EPROTO
                        throw Failure(step: Failure.refused, code: code < 0 ? -code : EPROTO)
                    case Int32(SOCK_DIAG_BY_FAMILY), Int32(TCPDIAG_GETSOCK):
                        guard length >= header + messageSize else { throw Failure(step: "a short inet_diag message", code: EPROTO) }
                        let p = buffer + offset + header
                        let v6 = p.load(as: UInt8.self) == UInt8(AF_INET6)
                        let state = p.load(fromByteOffset: MemoryLayout<inet_diag_msg>.offset(of: \.idiag_state)!, as: UInt8.self)
                        let idOffset = MemoryLayout<inet_diag_msg>.offset(of: \.id)!
                        let id = p.load(fromByteOffset: idOffset, as: inet_diag_sockid.self)
                        let sport = Int(UInt16(bigEndian: id.idiag_sport))
                        let dport = Int(UInt16(bigEndian: id.idiag_dport))
                        // The address words as stored (network order, read natively): what /proc/net/tcp prints.
                        let local: IPAddress = v6 ? .v6(id.idiag_src.0, id.idiag_src.1, id.idiag_src.2, id.idiag_src.3) : .v4(id.idiag_src.0)
                        let remote: IPAddress = v6 ? .v6(id.idiag_dst.0, id.idiag_dst.1, id.idiag_dst.2, id.idiag_dst.3) : .v4(id.idiag_dst.0)
                        visit(state, local, sport, remote, dport)
                    default:
                        continue
                    }
                }
            }
        }

        private func send<Request>(_ request: inout Request) throws {
            var kernel = sockaddr_nl()
            kernel.nl_family = sa_family_t(AF_NETLINK)
            let size = MemoryLayout<Request>.size
            let sent = withUnsafePointer(to: &request) { req in
                withUnsafePointer(to: &kernel) { addr in
                    addr.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, req, size, 0, $0, socklen_t(MemoryLayout<sockaddr_nl>.size))
                    }
                }
            }
            guard sent == size else { throw Failure(step: "sendto", code: sent < 0 ? errno : EIO) }
        }
    }
}
