/// TCP counters from /proc/net/netstat ("TcpExt:") and /proc/net/snmp ("Tcp:"), keyed "TcpExt.TW", "Tcp.OutRsts".
public struct Counters: Sendable {
    public var values: [String: Int64] = [:]

    public init() {}

    public subscript(name: String) -> Int64? { values[name] }

    /// A line that could not be used: its number and why.
    public struct LineProblem: Sendable, Equatable {
        public let line: Int
        public let reason: String
    }

    /// Parses the header/value line pairs of netstat and snmp files; returns the lines that do not fit
    /// (a value line whose count differs from its header's, a value that is not an integer).
    @discardableResult
    public mutating func add(_ text: String) -> [LineProblem] {
        var problems: [LineProblem] = []
        var header: (group: String, names: [Substring], line: Int)?
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            guard let colon = line.firstIndex(of: ":") else {
                if !line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                    problems.append(LineProblem(line: n, reason: "not a \"Group: …\" line"))
                }
                continue
            }
            let group = String(line[..<colon])
            let fields = line[line.index(after: colon)...].split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            if let h = header, h.group == group {
                header = nil
                guard h.names.count == fields.count else {
                    problems.append(LineProblem(line: n, reason: "\(fields.count) values for the \(h.names.count) names of line \(h.line)"))
                    continue
                }
                for (name, value) in zip(h.names, fields) {
                    guard let v = Int64(value) else {
                        problems.append(LineProblem(line: n, reason: "\(group) \(name): \"\(value.prefix(40))\" is not an integer"))
                        continue
                    }
                    values["\(group).\(name)"] = v
                }
            } else {
                if let h = header { problems.append(LineProblem(line: h.line, reason: "\(h.group): names without a value line")) }
                header = (group, fields, n)
            }
        }
        if let h = header { problems.append(LineProblem(line: h.line, reason: "\(h.group): names without a value line")) }
        return problems
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
