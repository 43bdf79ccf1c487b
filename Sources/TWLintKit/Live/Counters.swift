/// TCP counters from /proc/net/netstat ("TcpExt:") and /proc/net/snmp ("Tcp:"), keyed "TcpExt.TW", "Tcp.OutRsts".
public struct Counters: Sendable {
    public var values: [String: Int64] = [:]

    public init() {}

    public subscript(name: String) -> Int64? { values[name] }

    /// Parses the header/value line pairs of netstat and snmp files.
    public mutating func add(_ text: String) {
        var header: (String, [Substring])?
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let group = String(line[..<colon])
            let fields = line[line.index(after: colon)...].split(separator: " ")
            if let (g, names) = header, g == group {
                for (name, value) in zip(names, fields) { values["\(group).\(name)"] = Int64(value) }
                header = nil
            } else {
                header = (group, fields)
            }
        }
    }
}

/// The TCP line of /proc/net/sockstat: `TCP: inuse N orphan N tw N alloc N mem N`.
public struct SockStat: Sendable {
    public var fields: [String: Int64] = [:]

    public init(_ text: String) {
        for line in text.split(separator: "\n") where line.hasPrefix("TCP:") {
            let parts = line.dropFirst(4).split(separator: " ")
            var i = 0
            while i + 1 < parts.count {
                fields[String(parts[i])] = Int64(parts[i + 1])
                i += 2
            }
        }
    }

    public var timeWait: Int64? { fields["tw"] }
}
