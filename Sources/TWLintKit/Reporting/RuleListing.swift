/// `twlint rules`: every rule with code, slug, severity and title.
public struct RuleListing {
    let kb: KnowledgeBase

    public init(kb: KnowledgeBase) { self.kb = kb }

    public func json() -> JSON {
        .array(kb.rules.map { r in
            .object([("code", .string(r.code)), ("slug", .string(r.slug)), ("severity", .string(r.severity.rawValue)),
                     ("category", .string(r.category)), ("title", .string(r.title)),
                     ("fix", r.autofix.map { f in
                         .object([("kind", .string(f.kind.rawValue)), ("applicability", .string(f.applicability.rawValue)),
                                  ("changes_effect", .bool(f.changesEffect)), ("summary", .string(f.summary))])
                     } ?? .null)])
        })
    }

    public func text() -> String {
        let slugWidth = kb.rules.map(\.slug.count).max() ?? 0
        return kb.rules.map { r in
            "\(r.code)  \(r.slug.padding(toLength: slugWidth, withPad: " ", startingAt: 0))  \(r.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \((r.autofix.map { "fix:" + $0.applicability.rawValue } ?? "").padding(toLength: 10, withPad: " ", startingAt: 0))  \(r.title)"
        }.joined(separator: "\n") + "\n"
    }
}
