/// `--format json`: the contract in DESIGN.md, field for field.
struct JSONReport {
    /// With a documentation site: each finding gets "docs_url", its rule's page.
    var docsURL: String? = nil

    /// Streams `{"tool", "target", "findings": [...], "summary"}` a finding at a time; the bytes are those of
    /// the whole document rendered at once.
    func write(_ report: LintReport, emit: (String) -> Void) {
        let s = report.summary
        let tool: JSON = .object([("name", .string("twlint")), ("version", .string(version))])
        let target: JSON = .object([
            ("kernel", .string(report.target.kernel.description)),
            ("kubernetes", .str(report.target.kubernetes)),
            ("profile", .str(report.target.profile?.rawValue)),
        ])
        let summary: JSON = .object([("error", .int(s[.error] ?? 0)), ("warning", .int(s[.warning] ?? 0)), ("info", .int(s[.info] ?? 0))])
        emit("{\n  \"tool\": \(tool.render(indent: 2)),\n  \"target\": \(target.render(indent: 2)),\n  \"findings\": ")
        JSON.streamArray(report.findings, indent: 2, emit: emit, element: finding)
        emit(",\n  \"summary\": \(summary.render(indent: 2))\n}\n")
    }

    func finding(_ f: Finding) -> JSON {
        var members: [(String, JSON)] = [
            ("code", .string(f.code)),
            ("slug", .string(f.slug)),
            ("severity", .string(f.severity.rawValue)),
            ("key", .str(f.key)),
            ("value", .str(f.value)),
            ("location", f.location.map { l in
                .object([("path", .string(l.path)), ("line", l.line > 0 ? .int(l.line) : .null),
                         ("column", l.line > 0 ? .int(l.column) : .null), ("object", .str(l.object))])
            } ?? .null),
            ("related", .array(f.related.map { r in
                .object([("path", .string(r.location.path)), ("line", r.location.line > 0 ? .int(r.location.line) : .null), ("note", .string(r.note))])
            })),
            ("message", .string(f.message)),
            ("why", .string(f.why)),
            ("fix", .string(f.fix)),
            ("references", .array(f.references.map { .object([("title", .string($0.title)), ("url", .str($0.url))]) })),
        ]
        if let docsURL { members.append(("docs_url", .string(DocsLinks.ruleURL(base: docsURL, code: f.code)))) }
        return .object(members)
    }
}
