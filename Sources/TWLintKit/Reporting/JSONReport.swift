/// `--format json`: the contract in DESIGN.md, field for field.
struct JSONReport {
    /// `{"tool", "target", "findings": [...], "summary"}`, streamed a finding at a time by `ReportStream`;
    /// the bytes are those of the whole document rendered at once.
    func write(_ report: LintReport, emit: (String) -> Void) {
        Reporter(format: .json).write(report, kb: .shipped, emit: emit)
    }

    func header(_ target: Target) -> String {
        let tool: JSON = .object([("name", .string("twlint")), ("version", .string(version))])
        let target: JSON = .object([
            ("kernel", .string(target.kernel.description)),
            ("kubernetes", .str(target.kubernetes)),
            ("profile", .str(target.profile?.rawValue)),
        ])
        return "{\n  \"tool\": \(tool.render(indent: 2)),\n  \"target\": \(target.render(indent: 2)),\n  \"findings\": "
    }

    func footer(_ s: [Severity: Int]) -> String {
        let summary: JSON = .object([("error", .int(s[.error] ?? 0)), ("warning", .int(s[.warning] ?? 0)), ("info", .int(s[.info] ?? 0))])
        return ",\n  \"summary\": \(summary.render(indent: 2))\n}\n"
    }

    func finding(_ f: Finding) -> JSON {
        .object([
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
        ])
    }
}
