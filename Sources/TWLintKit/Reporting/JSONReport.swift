/// `--format json`: the contract in DESIGN.md, field for field.
struct JSONReport {
    /// With a documentation site: each finding gets "docs_url", its rule's page.
    var docsURL: String? = nil

    /// `{"tool", "target", "findings": [...], "summary"}`, streamed a finding at a time by `ReportStream`;
    /// the bytes are those of the whole document rendered at once.
    func write(_ report: LintReport, emit: (String) -> Void) {
        Reporter(format: .json).write(report, kb: .shipped, emit: emit)
    }

    func header(_ target: Target, applier: Applier? = nil) -> String {
        let tool: JSON = .object([("name", .string("twlint")), ("version", .string(version))])
        let target: JSON = .object([
            ("kernel", .string(target.kernel.description)),
            // true when no --kernel was given: findings that depend on the kernel assume this version.
            ("kernel_assumed", .bool(!target.kernelExplicit)),
            ("kubernetes", .str(target.kubernetes)),
            ("profile", .str(target.profile?.rawValue)),
            // lint --system / --merge: the applier whose application the findings describe.
            ("applier", .str(applier?.rawValue)),
        ])
        return "{\n  \"tool\": \(tool.render(indent: 2)),\n  \"target\": \(target.render(indent: 2)),\n  \"findings\": "
    }

    func footer(_ s: [Severity: Int]) -> String {
        let summary: JSON = .object([("error", .int(s[.error] ?? 0)), ("warning", .int(s[.warning] ?? 0)), ("info", .int(s[.info] ?? 0))])
        return ",\n  \"summary\": \(summary.render(indent: 2))\n}\n"
    }

    /// The escaped bytes of a rule's why, fix and references, which every finding of the rule repeats: they
    /// are escaped once per rule instead of once per finding (most of a JSON report's bytes).
    final class Cache {
        struct Entry {
            let why: String, fix: String, references: [Reference]
            let whyBytes: [UInt8], fixBytes: [UInt8], referencesBytes: [UInt8]
        }
        var entries: [String: Entry] = [:]
    }

    /// Appends the finding as `finding(f).render(indent: 4)` would, byte for byte, without building the tree.
    func append(_ f: Finding, into out: inout [UInt8], cache: Cache) {
        @inline(__always) func key(_ name: StaticString, first: Bool = false) {
            out += first ? [0x0A] : [0x2C, 0x0A]
            out += [0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x22]
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out += [0x22, 0x3A, 0x20]
        }
        @inline(__always) func string(_ s: String?) {
            if let s { JSON.escape(s, into: &out) } else { out += [0x6E, 0x75, 0x6C, 0x6C] }
        }
        out.append(0x7B)
        key("code", first: true); string(f.code)
        key("slug"); string(f.slug)
        key("severity"); string(f.severity.rawValue)
        key("key"); string(f.key)
        key("value"); string(f.value)
        key("location")
        if let l = f.location {
            out += Array(JSON.object([("path", .string(l.path)), ("line", l.line > 0 ? .int(l.line) : .null),
                                      ("column", l.line > 0 ? .int(l.column) : .null), ("object", .str(l.object))]).render(indent: 6).utf8)
        } else {
            out += [0x6E, 0x75, 0x6C, 0x6C]
        }
        key("related")
        if f.related.isEmpty {
            out += [0x5B, 0x5D]
        } else {
            out += Array(JSON.array(f.related.map { r in
                .object([("path", .string(r.location.path)), ("line", r.location.line > 0 ? .int(r.location.line) : .null), ("note", .string(r.note))])
            }).render(indent: 6).utf8)
        }
        key("message"); string(f.message)
        let entry: Cache.Entry
        if let e = cache.entries[f.code], e.why == f.why, e.fix == f.fix, e.references == f.references {
            entry = e
        } else {
            var why: [UInt8] = [], fix: [UInt8] = []
            JSON.escape(f.why, into: &why)
            JSON.escape(f.fix, into: &fix)
            let refs = Array(JSON.array(f.references.map { .object([("title", .string($0.title)), ("url", .str($0.url))]) }).render(indent: 6).utf8)
            entry = Cache.Entry(why: f.why, fix: f.fix, references: f.references, whyBytes: why, fixBytes: fix, referencesBytes: refs)
            cache.entries[f.code] = entry
        }
        key("why"); out += entry.whyBytes
        key("fix"); out += entry.fixBytes
        key("references"); out += entry.referencesBytes
        key("kernel_assumed"); out += f.kernelAssumed ? Array("true".utf8) : Array("false".utf8)
        key("kubernetes_assumed"); out += f.kubernetesAssumed ? Array("true".utf8) : Array("false".utf8)
        if let docsURL { key("docs_url"); string(DocsLinks.ruleURL(base: docsURL, code: f.code)) }
        out += [0x0A, 0x20, 0x20, 0x20, 0x20, 0x7D]
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
            ("kernel_assumed", .bool(f.kernelAssumed)),
            ("kubernetes_assumed", .bool(f.kubernetesAssumed)),
        ]
        if let docsURL { members.append(("docs_url", .string(DocsLinks.ruleURL(base: docsURL, code: f.code)))) }
        return .object(members)
    }
}
