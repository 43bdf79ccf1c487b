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

    /// Appends the finding as `finding(f).render(indent: 4)` would, byte for byte, without building the tree or
    /// any temporary array (the hot loop of a large JSON report).
    func append(_ f: Finding, into out: inout [UInt8], cache: Cache) {
        @inline(__always) func raw(_ text: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        /// A member `"name": ` on its own line at `indent` spaces, after a comma unless it is the first.
        @inline(__always) func key(_ name: StaticString, indent: Int, first: Bool = false) {
            if !first { out.append(0x2C) }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: indent))
            out.append(0x22)
            raw(name)
            raw("\": ")
        }
        @inline(__always) func string(_ s: String?) {
            if let s { JSON.escape(s, into: &out) } else { raw("null") }
        }
        @inline(__always) func int(_ v: Int) { JSONReport.appendDecimal(v, into: &out) }
        @inline(__always) func close(indent: Int, _ bracket: UInt8) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: indent))
            out.append(bracket)
        }
        out.append(0x7B)
        key("code", indent: 6, first: true); string(f.code)
        key("slug", indent: 6); string(f.slug)
        key("severity", indent: 6); string(f.severity.rawValue)
        key("key", indent: 6); string(f.key)
        key("value", indent: 6); string(f.value)
        key("location", indent: 6)
        if let l = f.location {
            out.append(0x7B)
            key("path", indent: 8, first: true); string(l.path)
            key("line", indent: 8); if l.line > 0 { int(l.line) } else { raw("null") }
            key("column", indent: 8); if l.line > 0 { int(l.column) } else { raw("null") }
            key("object", indent: 8); string(l.object)
            close(indent: 6, 0x7D)
        } else {
            raw("null")
        }
        key("related", indent: 6)
        if f.related.isEmpty {
            raw("[]")
        } else {
            out.append(0x5B)
            for (i, r) in f.related.enumerated() {
                if i > 0 { out.append(0x2C) }
                out.append(0x0A)
                out.append(contentsOf: repeatElement(0x20, count: 8))
                out.append(0x7B)
                key("path", indent: 10, first: true); string(r.location.path)
                key("line", indent: 10); if r.location.line > 0 { int(r.location.line) } else { raw("null") }
                key("note", indent: 10); string(r.note)
                close(indent: 8, 0x7D)
            }
            close(indent: 6, 0x5D)
        }
        key("message", indent: 6); string(f.message)
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
        key("why", indent: 6); out += entry.whyBytes
        key("fix", indent: 6); out += entry.fixBytes
        key("references", indent: 6); out += entry.referencesBytes
        key("kernel_assumed", indent: 6); if f.kernelAssumed { raw("true") } else { raw("false") }
        key("kubernetes_assumed", indent: 6); if f.kubernetesAssumed { raw("true") } else { raw("false") }
        if let docsURL { key("docs_url", indent: 6); string(DocsLinks.ruleURL(base: docsURL, code: f.code)) }
        close(indent: 4, 0x7D)
    }

    /// `String(v)` as UTF-8 bytes, without the String.
    static func appendDecimal(_ v: Int, into out: inout [UInt8]) {
        if v < 0 { out.append(0x2D) }
        var m = v.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - n] = 0x30 + UInt8(m % 10)
                m /= 10
                n += 1
            } while m > 0
            out.append(contentsOf: d[(20 - n)...])
        }
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
