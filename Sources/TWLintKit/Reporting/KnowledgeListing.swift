/// `twlint explain --list`: every name `twlint explain` accepts, by kind, with a one-line summary.
public struct KnowledgeListing {
    public enum Kind: String, CaseIterable, Sendable { case topic, symptom, counter, parameter, rule }

    let kb: KnowledgeBase
    let kinds: [Kind]

    public init(kb: KnowledgeBase, kinds: [Kind] = Kind.allCases) {
        self.kb = kb
        self.kinds = kinds.isEmpty ? Kind.allCases : kinds
    }

    /// (name, summary) rows of one kind, sorted by name.
    func rows(_ kind: Kind) -> [(name: String, summary: String)] {
        switch kind {
        case .topic: return kb.sortedTopics.map { ($0.id, $0.title) }
        case .symptom: return kb.sortedSymptoms.map { ($0.id, $0.title) }
        case .counter: return kb.sortedCounters.map { ($0.name, $0.summary) }
        case .parameter: return kb.sortedParameters.map { ($0.key, $0.summary) }
        case .rule: return kb.rules.map { ("\($0.code) \($0.slug)", $0.title) }
        }
    }

    static func heading(_ kind: Kind) -> String {
        switch kind {
        case .topic: return "Topics"
        case .symptom: return "Symptoms (errors and log lines)"
        case .counter: return "Counters (/proc/net/netstat, /proc/net/snmp)"
        case .parameter: return "Parameters"
        case .rule: return "Rules"
        }
    }

    public func text() -> String {
        kinds.map { kind -> String in
            let rows = rows(kind)
            let width = min(rows.map(\.name.count).max() ?? 0, 34)
            let lines = rows.map { row -> String in
                let lead = "  " + row.name.padding(toLength: max(width, row.name.count), withPad: " ", startingAt: 0) + "  "
                let room = max(80 - lead.count, 20)
                let summary = row.summary.count > room ? String(row.summary.prefix(room - 1)) + "…" : row.summary
                return lead + summary
            }
            return "\(Self.heading(kind)) (\(rows.count))\n" + lines.joined(separator: "\n") + "\n"
        }.joined(separator: "\n")
    }

    public func json() -> JSON {
        .object(kinds.map { kind in
            (kind.rawValue + "s", .array(rows(kind).map { .object([("name", .string($0.name)), ("summary", .string($0.summary))]) }))
        })
    }
}
