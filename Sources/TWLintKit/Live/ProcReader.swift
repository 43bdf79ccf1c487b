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

    /// Caps for a /proc-shaped tree: a socket table of a busy host is tens of MiB; the whole tree is bounded too.
    public static let maxFileBytes = 64 * 1024 * 1024
    public static let maxTotalBytes = 256 * 1024 * 1024
    /// A sysctl value fits in a page (the kernel's proc handlers read and write at most one).
    public static let maxSysctlBytes = 4096

    /// Bytes read from this tree so far, shared by copies of this reader.
    public let budget = ReadBudget(limit: ProcReader.maxTotalBytes)

    /// Why the root itself cannot be read (missing, not a directory), if so.
    public func rootProblem() -> String? {
        var info = stat()
        guard stat(root, &info) == 0 else { return errno == ENOENT ? "no such directory" : String(cString: strerror(errno)) }
        return (info.st_mode & S_IFMT) == S_IFDIR ? nil : "not a directory"
    }

    /// Reads a file under the root, confined to it (symlinks and `..` resolve inside the root; FIFOs and
    /// devices are refused); trailing newline removed.
    public func read(_ relative: String, limit: Int = ProcReader.maxFileBytes) -> ReadResult {
        switch FileReader.readInRoot(root, relative, limit: limit, budget: budget) {
        case .missing: return .missing
        case .unreadable(let reason): return .unreadable(reason)
        case .value(let data):
            var text = String(decoding: data, as: UTF8.self)
            while text.hasSuffix("\n") { text.removeLast() }
            return .value(text)
        }
    }

    /// The /proc/sys file of a dotted key, or nil when the key is not a valid sysctl name (a `..`,
    /// empty or absolute component would name a file outside /proc/sys).
    public func sysctlPath(_ key: String) -> String? {
        SysctlKey.relativePath(key).map { "sys/" + $0 }
    }

    /// The running kernel, from sys/kernel/osrelease.
    public func kernel() -> KernelVersion? {
        if case .value(let v) = read("sys/kernel/osrelease", limit: ProcReader.maxSysctlBytes) { return KernelVersion(v) }
        return nil
    }

    /// Values of `keys` that exist; what exists but cannot be read is reported.
    public func sysctls(_ keys: [String]) -> (values: [(key: String, value: String)], unreadable: [Unreadable]) {
        var values: [(String, String)] = []
        var unreadable: [Unreadable] = []
        for key in keys {
            guard let relative = sysctlPath(key) else {
                unreadable.append(Unreadable(path: key, reason: "not a valid sysctl name (an empty, \".\" or \"..\" component)",
                                             impact: "\(key) was not read: it names no file under /proc/sys"))
                continue
            }
            switch read(relative, limit: ProcReader.maxSysctlBytes) {
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
            state.rates = rates(from: state.counters, to: second, over: interval)
            state.interval = interval
            state.counters = second
        }
        switch proc.read("net/sockstat") {
        case .value(let text):
            state.sockstat = SockStat(text)
            if state.sockstat?.timeWait == nil {
                state.unreadable.append(Unreadable(path: proc.path("net/sockstat"), reason: "no \"TCP: … tw N\" line",
                    impact: "the TIME_WAIT total was not compared with tcp_max_tw_buckets"))
            }
        case .missing, .unreadable:
            state.unreadable.append(Unreadable(path: proc.path("net/sockstat"), reason: "not readable",
                impact: "the TIME_WAIT total was not compared with tcp_max_tw_buckets"))
        }
        return state
    }

    /// Per-second rates between two samples. In Double: counters from input may be any Int64s, and
    /// their difference overflows Int64 (a wrapped or forged counter gives a negative rate, not a trap).
    static func rates(from first: Counters, to second: Counters, over interval: Double) -> [String: Double] {
        var rates: [String: Double] = [:]
        guard interval > 0 else { return rates }
        for (name, v2) in second.values {
            if let v1 = first.values[name] { rates[name] = (Double(v2) - Double(v1)) / interval }
        }
        return rates
    }

    static func readCounters(_ proc: ProcReader, _ unreadable: inout [Unreadable]) -> Counters {
        var counters = Counters()
        for file in ["net/netstat", "net/snmp"] {
            switch proc.read(file) {
            case .value(let text):
                for problem in counters.add(text) {
                    unreadable.append(Unreadable(path: "\(proc.path(file)):\(problem.line)", reason: problem.reason,
                        impact: "the counters of that line were not checked"))
                }
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

    /// A counter's total since boot, exactly (findings print it; a Double would round it).
    public func total(_ name: String) -> Int64? { counters[name] }
}
