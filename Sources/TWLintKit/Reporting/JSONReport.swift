/// `--format json`: the contract in DESIGN.md, field for field.
struct JSONReport {
    func render(_ report: LintReport) -> JSON {
        let s = report.summary
        return .object([
            ("tool", .object([("name", .string("twlint")), ("version", .string(version))])),
            ("target", .object([
                ("kernel", .string(report.target.kernel.description)),
                ("kubernetes", .str(report.target.kubernetes)),
                ("profile", .str(report.target.profile?.rawValue)),
            ])),
            ("findings", .array(report.findings.map(finding))),
            ("summary", .object([("error", .int(s[.error] ?? 0)), ("warning", .int(s[.warning] ?? 0)), ("info", .int(s[.info] ?? 0))])),
        ])
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
