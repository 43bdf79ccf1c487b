import Foundation

/// Something the live check could not read, and what that means for the result.
public struct Unreadable: Sendable, Hashable {
    public let path: String
    public let reason: String
    public let impact: String
}

/// Reads a /proc-shaped tree (the real /proc, or a copy of another host's): never writes.
public struct ProcReader {
    public let root: String

    public init(root: String = "/proc") {
        self.root = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    }

    public enum ReadResult {
        case value(String)
        case missing
        case unreadable(String)
    }

    public func path(_ relative: String) -> String { root + "/" + relative }

    /// Reads a small file under the root; trailing newline removed.
    public func read(_ relative: String) -> ReadResult {
        let full = path(relative)
        let fd = open(full, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            data += chunk[0..<n]
            if data.count > 256 * 1024 * 1024 { return .unreadable("larger than 256 MiB") }
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return .value(text)
    }

    /// The /proc/sys file of a dotted key.
    public func sysctlPath(_ key: String) -> String {
        "sys/" + String(key.map { $0 == "." ? "/" : ($0 == "/" ? "." : $0) })
    }

    /// The running kernel, from sys/kernel/osrelease.
    public func kernel() -> KernelVersion? {
        if case .value(let v) = read("sys/kernel/osrelease") { return KernelVersion(v) }
        return nil
    }

    /// Values of `keys` that exist; what exists but cannot be read is reported.
    public func sysctls(_ keys: [String]) -> (values: [(key: String, value: String)], unreadable: [Unreadable]) {
        var values: [(String, String)] = []
        var unreadable: [Unreadable] = []
        for key in keys {
            let relative = sysctlPath(key)
            switch read(relative) {
            case .value(let v): values.append((key, v))
            case .missing: continue
            case .unreadable(let reason):
                unreadable.append(Unreadable(path: path(relative), reason: reason,
                                             impact: "\(key) was not checked (rules and drift that need it are skipped)"))
            }
        }
        return (values, unreadable)
    }
}

/// What the live check observed beyond sysctl values.
public struct RuntimeState: Sendable {
    /// The sockets, aggregated per destination as they were read (SocketSummary.swift).
    public var sockets = SocketSummary(ephemeral: nil, source: "")
    public var counters = Counters()
    /// Per-second rates over `interval` when two samples were taken.
    public var rates: [String: Double]?
    public var interval: Double?
    public var sockstat: SockStat?
    public var unreadable: [Unreadable] = []
    /// Where the socket table was read (for finding locations).
    public var socketSource = "/proc/net/tcp"
    /// The /proc tree the counters were read from.
    public var procRoot = "/proc"

    public init() {}

    /// Reads sockets, counters and sockstat. With `interval`, samples the counters twice.
    /// `ephemeral`: the live ip_local_port_range, to count client sockets per destination.
    public static func read(_ proc: ProcReader, interval: Double? = nil, ephemeral: ClosedRange<Int>? = nil,
                            sockets: SocketReadMethod = .auto) -> RuntimeState {
        var state = RuntimeState()
        state.procRoot = proc.root
        state.readSockets(proc, ephemeral: ephemeral, method: sockets)
        state.counters = readCounters(proc, &state.unreadable)
        if let interval, interval > 0 {
            Thread.sleep(forTimeInterval: interval)
            var ignored: [Unreadable] = []
            let second = readCounters(proc, &ignored)
            var rates: [String: Double] = [:]
            for (name, v2) in second.values {
                if let v1 = state.counters.values[name] { rates[name] = Double(v2 - v1) / interval }
            }
            state.rates = rates
            state.interval = interval
            state.counters = second
        }
        switch proc.read("net/sockstat") {
        case .value(let text): state.sockstat = SockStat(text)
        case .missing, .unreadable:
            state.unreadable.append(Unreadable(path: proc.path("net/sockstat"), reason: "not readable",
                impact: "the TIME_WAIT total was not compared with tcp_max_tw_buckets"))
        }
        return state
    }

    static func readCounters(_ proc: ProcReader, _ unreadable: inout [Unreadable]) -> Counters {
        var counters = Counters()
        for file in ["net/netstat", "net/snmp"] {
            switch proc.read(file) {
            case .value(let text): counters.add(text)
            case .missing, .unreadable:
                unreadable.append(Unreadable(path: proc.path(file), reason: "not readable",
                    impact: "TCP counters from \(file) were not checked"))
            }
        }
        return counters
    }

    /// A counter's value for findings: events per second over the interval if sampled, else the total since boot.
    public func counter(_ name: String) -> (value: Double, isRate: Bool)? {
        if let rates, let r = rates[name] { return (r, true) }
        return counters[name].map { (Double($0), false) }
    }
}
