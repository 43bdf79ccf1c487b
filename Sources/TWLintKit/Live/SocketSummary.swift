import Foundation

/// What the live check needs to know about the TCP sockets, aggregated while they are read: nothing is kept
/// per socket, so memory grows with the number of destinations and listening ports, not with the sockets.
///
/// Listening sockets must be added before the others (both readers do two passes: listeners first), because a
/// socket whose local port is a listening port belongs to an accepted connection, not to the ephemeral pool.
public struct SocketSummary: Sendable {
    /// One pool of local ports: a local address toward one remote address and port.
    public struct Destination: Hashable, Sendable {
        public let local: IPAddress
        public let remote: IPAddress
        public let port: Int

        public var remoteEndpoint: String { TCPSocket.endpoint(remote.description, port) }
    }

    public struct Load: Sendable, Equatable {
        /// Sockets holding an ephemeral port toward the destination (every state but LISTEN and CLOSE).
        public var count = 0
        /// Of those, the ones in TIME_WAIT.
        public var timeWait = 0
    }

    /// The ephemeral range the destinations were counted in (nil: not counted).
    public let ephemeral: ClosedRange<Int>?
    /// Local ports with a listening socket.
    public private(set) var listening: Set<Int> = []
    /// The same ports as a bit set: looked up for every socket without hashing.
    private var listeningBits = [UInt64](repeating: 0, count: 1024)
    /// Sockets seen, by kernel state number (1 ESTABLISHED … 6 TIME_WAIT … 10 LISTEN … 12 NEW_SYN_RECV).
    public private(set) var byState = [Int](repeating: 0, count: 16)
    /// Client-side sockets by destination: local port inside the ephemeral range and not a listening port.
    public var destinations: [Destination: Load] {
        var all = counted
        if let run { all[run.key, default: Load()].count += run.load.count; all[run.key, default: Load()].timeWait += run.load.timeWait }
        return all
    }
    /// TIME_WAIT sockets whose local port is a listening port (accepted connections), by port.
    public private(set) var serverTimeWait: [Int: Int] = [:]
    /// Where the sockets were read from: "netlink" (NETLINK_SOCK_DIAG) or the /proc/net/tcp path.
    public var source: String

    private var counted: [Destination: Load] = [:]
    /// The kernel lists sockets bucket by bucket, and runs of one destination are common: they are counted
    /// here and added to `counted` when the destination changes, one hash lookup per run.
    private var run: (key: Destination, load: Load)?

    public init(ephemeral: ClosedRange<Int>?, source: String) {
        self.ephemeral = ephemeral
        self.source = source
    }

    public var total: Int { byState.reduce(0, +) }
    public var timeWait: Int { byState[Int(TCPSocket.State.timeWait.rawValue)] }

    @inline(__always)
    public mutating func addListener(port: Int) {
        byState[Int(TCPSocket.State.listen.rawValue)] += 1
        listening.insert(port & 0xFFFF)
        listeningBits[(port & 0xFFFF) >> 6] |= 1 << UInt64(port & 63)
    }

    /// A socket in any state but LISTEN.
    @inline(__always)
    public mutating func add(state: UInt8, local: IPAddress, localPort: Int, remote: IPAddress, remotePort: Int) {
        byState[Int(state & 0x0F)] += 1
        guard state != TCPSocket.State.close.rawValue else { return }
        let port = localPort & 0xFFFF
        if listeningBits[port >> 6] & (1 << UInt64(port & 63)) != 0 {
            if state == TCPSocket.State.timeWait.rawValue { serverTimeWait[port, default: 0] += 1 }
            return
        }
        guard let range = ephemeral, range.contains(localPort) else { return }
        let timeWait = state == TCPSocket.State.timeWait.rawValue ? 1 : 0
        if let r = run, r.key.port == remotePort, r.key.remote == remote, r.key.local == local {
            run!.load.count += 1
            run!.load.timeWait += timeWait
            return
        }
        if let r = run {
            counted[r.key, default: Load()].count += r.load.count
            counted[r.key, default: Load()].timeWait += r.load.timeWait
        }
        run = (Destination(local: local, remote: remote, port: remotePort), Load(count: 1, timeWait: timeWait))
    }

    /// Destinations, busiest first (ties in a stable order).
    public func busiest() -> [(destination: Destination, load: Load)] {
        destinations.map { ($0.key, $0.value) }.sorted {
            $0.1.count != $1.1.count ? $0.1.count > $1.1.count : $0.0.remoteEndpoint + $0.0.local.description < $1.0.remoteEndpoint + $1.0.local.description
        }
    }

    /// Destinations by TIME_WAIT sockets, busiest first.
    public func busiestTimeWait() -> [(destination: Destination, load: Load)] {
        destinations.filter { $0.value.timeWait > 0 }.map { ($0.key, $0.value) }.sorted {
            $0.1.timeWait != $1.1.timeWait ? $0.1.timeWait > $1.1.timeWait : $0.0.remoteEndpoint + $0.0.local.description < $1.0.remoteEndpoint + $1.0.local.description
        }
    }
}

/// How the live check reads the socket tables.
public enum SocketReadMethod: String, Sendable, CaseIterable {
    /// NETLINK_SOCK_DIAG for the running host's /proc, the /proc/net files for any other tree or when netlink fails.
    case auto
    /// NETLINK_SOCK_DIAG only.
    case netlink
    /// /proc/net/tcp and /proc/net/tcp6 only.
    case proc
}

extension RuntimeState {
    /// The TCP states the rules need, as an inet_diag state mask: every state but CLOSE (listeners are asked for
    /// separately, first).
    static let clientStates: UInt32 = {
        var mask: UInt32 = 0
        for s in [1, 2, 3, 4, 5, 6, 8, 9, 11, 12] { mask |= 1 << UInt32(s) }
        return mask
    }()

    /// Reads the socket tables into `sockets`: through netlink when `proc` is the running host's /proc (the
    /// netlink socket sees the same network namespace as /proc/net of this process), else from the files.
    public mutating func readSockets(_ proc: ProcReader, ephemeral: ClosedRange<Int>?, method: SocketReadMethod = .auto) {
        if method == .netlink || (method == .auto && proc.root == "/proc") {
            do {
                sockets = try NetlinkSockets.summary(ephemeral: ephemeral)
                socketSource = "netlink:NETLINK_SOCK_DIAG"
                return
            } catch {
                if method == .netlink {
                    unreadable.append(Unreadable(path: "netlink:NETLINK_SOCK_DIAG", reason: "\(error)",
                        impact: "sockets were not counted: TIME_WAIT and port-exhaustion checks were skipped"))
                    return
                }
                // auto: fall back to the files below.
            }
        }
        socketSource = proc.path("net/tcp")
        sockets = ProcSocketFiles.summary(proc, ephemeral: ephemeral, unreadable: &unreadable)
    }
}

/// /proc/net/tcp and /proc/net/tcp6, streamed in chunks (never the whole table in memory), twice: listeners
/// first, then the rest.
enum ProcSocketFiles {
    static func summary(_ proc: ProcReader, ephemeral: ClosedRange<Int>?, unreadable: inout [Unreadable]) -> SocketSummary {
        var summary = SocketSummary(ephemeral: ephemeral, source: proc.path("net/tcp"))
        for pass in 0..<2 {
            for table in ["net/tcp", "net/tcp6"] {
                let result = stream(proc, table) { socket in
                    if socket.state == .listen {
                        if pass == 0 { summary.addListener(port: socket.localPort) }
                    } else if pass == 1 {
                        summary.add(state: socket.state.rawValue, local: socket.localIP, localPort: socket.localPort,
                                    remote: socket.remoteIP, remotePort: socket.remotePort)
                    }
                }
                guard pass == 0 else { continue }
                switch result {
                case .ok(let malformed, let firstMalformed):
                    if malformed > 0 {
                        unreadable.append(Unreadable(path: "\(proc.path(table)):\(firstMalformed)",
                            reason: "\(malformed) malformed line\(malformed == 1 ? "" : "s") (first at line \(firstMalformed))",
                            impact: "those sockets were not counted: TIME_WAIT and port-exhaustion figures may be low"))
                    }
                case .missing:
                    if table == "net/tcp" {
                        unreadable.append(Unreadable(path: proc.path(table), reason: "missing",
                            impact: "no socket table: TIME_WAIT and port-exhaustion checks were skipped"))
                    }
                case .failed(let reason):
                    unreadable.append(Unreadable(path: proc.path(table), reason: reason,
                        impact: "sockets were not counted: TIME_WAIT and port-exhaustion checks were skipped"))
                }
            }
        }
        return summary
    }

    /// `ok`: the lines that were not socket lines, and the (1-based) line number of the first of them.
    enum StreamResult { case ok(malformed: Int, first: Int), missing, failed(String) }

    /// Calls `visit` for every well-formed line of a socket table, reading 256 KiB at a time. The file is opened
    /// inside the proc root (never outside it, never a FIFO or device) and read up to `ProcReader.maxFileBytes`.
    static func stream(_ proc: ProcReader, _ table: String, _ visit: (TCPSocket) -> Void) -> StreamResult {
        let fd: Int32
        switch FileReader.openInRoot(proc.root, table) {
        case .success(let opened): fd = opened
        case .failure(let f): return f.missing ? .missing : .failed(f.detail)
        }
        defer { close(fd) }
        var malformed = 0, firstMalformed = 0, linesBefore = 0, total = 0
        let capacity = 256 * 1024
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0
        var first = true
        while true {
            let n = read(fd, buffer + filled, capacity - filled)
            if n < 0 {
                if errno == EINTR { continue }
                return .failed(String(cString: strerror(errno)))
            }
            let end = filled + n
            total += n
            if total > ProcReader.maxFileBytes { return .failed("larger than \(ProcReader.maxFileBytes / (1024 * 1024)) MiB; not read") }
            // Whole lines only; at end of file, the rest too.
            var cut = end
            if n > 0 {
                while cut > 0 && buffer[cut - 1] != 0x0A { cut -= 1 }
                if cut == 0 {
                    if end == capacity { return .failed("a line longer than \(capacity) bytes") }
                    filled = end
                    continue
                }
            }
            let chunk = UnsafeBufferPointer(start: buffer, count: cut)
            SocketTable.scan(bytes: chunk, skipHeader: first, malformed: { line in
                if malformed == 0 { firstMalformed = linesBefore + line }
                malformed += 1
            }, visit)
            linesBefore += chunk.reduce(0) { $1 == 0x0A ? $0 + 1 : $0 }
            first = false
            if n == 0 { return .ok(malformed: malformed, first: firstMalformed) }
            memmove(buffer, buffer + cut, end - cut)
            filled = end - cut
        }
    }
}

extension RuntimeState {
    /// A file of the /proc tree the state was read from ("net/netstat").
    public func procPath(_ relative: String) -> String { ProcReader(root: procRoot).path(relative) }
}
