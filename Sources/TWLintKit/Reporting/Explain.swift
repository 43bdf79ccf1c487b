import Foundation

/// Renders kb entries and rules for `twlint explain`: text (80 columns), Markdown, JSON.
public struct ExplainRenderer {
    public enum Format: String, CaseIterable, Sendable { case text, json, markdown }

    let kb: KnowledgeBase
    let kernel: KernelVersion
    let style: Style

    public init(kb: KnowledgeBase, kernel: KernelVersion = .newestKnown, style: Style = .plain) {
        self.kb = kb
        self.kernel = kernel
        self.style = style
    }

    // MARK: shared facts

    func typeLine(_ p: Parameter) -> String {
        var s = p.type.rawValue
        if let count = p.count { s += " of \(count)" }
        if p.min != nil || p.max != nil {
            let range = "\(p.min.map(String.init) ?? "…")..\(p.max.map(String.init) ?? "…")"
            s += p.rangeEnforced ? ", \(range)" : ", documented \(range) (not enforced by the kernel)"
        }
        if let unit = p.unit { s += ", in \(unit)" }
        return s
    }

    func defaultLine(_ p: Parameter) -> String {
        var parts: [String] = []
        if let computed = p.computedDefault {
            parts.append("computed: " + computed.plain)
            if let typical = p.typicalDefault(for: kernel) { parts.append("typically \(typical)") }
        } else {
            for (i, d) in p.defaults.enumerated() {
                let since = d.since.map { " since \($0)" } ?? (i > 0 ? " before" : "")
                parts.append("\(d.value)\(since)")
            }
        }
        return parts.isEmpty ? "unknown" : parts.joined(separator: "; ")
    }

    func scopeLine(_ p: Parameter) -> String {
        let base: String
        switch p.scope {
        case .netns: base = "per network namespace"
        case .ipcns: base = "per IPC namespace"
        case .global: base = "global (one value for the whole host)"
        }
        return base + (p.scopeSince.map { " since \($0)" } ?? "")
    }

    func kubernetesLine(_ p: Parameter) -> String {
        guard let k = p.kubernetes else {
            return p.scope == .global
                ? "not settable per pod (not isolated by a namespace)"
                : "namespaced but not in the kubelet's safe set: needs --allowed-unsafe-sysctls"
        }
        var parts: [String] = []
        if let s = k.safeSince { parts.append("safe sysctl since Kubernetes \(s)" + (k.minKernel.map { " (kubelet requires kernel ≥ \($0))" } ?? "")) }
        if let b = k.baselineSince { parts.append("Pod Security baseline allows it since \(b)") }
        return parts.isEmpty ? "no Kubernetes allow-list entry" : parts.joined(separator: "; ")
    }

    func versionsLine(_ p: Parameter) -> String? {
        var parts: [String] = []
        if let s = p.since { parts.append("since \(s.version)") }
        for c in p.changes { parts.append("changed in \(c.version)") }
        if let i = p.ineffective { parts.append("no effect since \(i.version)") }
        if let r = p.removed { parts.append("removed in \(r.version)") }
        if p.neverExisted != nil { parts.append("never existed in mainline Linux") }
        // The per-version tables (kb/catalog/versions.xml): what kernel sources define the key.
        if p.neverExisted == nil, let tables = kb.catalog.history(of: p.key) {
            parts.append("kernel sources: " + tables + "; \(kb.keyExists(p.key, on: kernel) ? "present" : "absent") on \(kernel)")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    func relatedRules(parameter p: Parameter) -> [Rule] {
        let codes = Set(p.related.rules)
        return kb.rules.filter { codes.contains($0.code) || $0.keys.contains(p.key) }
    }

    func relatedRules(topic t: Topic) -> [Rule] {
        let codes = Set(t.related.rules)
        return kb.rules.filter { codes.contains($0.code) || $0.related.topics.contains(t.id) }
    }

    // MARK: text

    public func text(_ resolution: Resolution) -> String {
        switch resolution {
        case .parameter(let p): return text(p)
        case .topic(let t): return text(t)
        case .rule(let r): return text(r)
        case .ambiguous(let term, let candidates):
            return "\"\(term)\" matches several parameters:\n" + candidates.map { "  \($0)" }.joined(separator: "\n") + "\n"
        case .unknown(let term, let suggestions):
            return Self.unknownMessage(term: term, suggestions: suggestions)
        }
    }

    static func unknownMessage(term: String, suggestions: [String]) -> String {
        var s = "twlint knows no parameter, topic or rule called \"\(term)\"."
        if !suggestions.isEmpty { s += " Did you mean: " + suggestions.joined(separator: ", ") + "?" }
        return s + "\n(`twlint params` lists parameters, `twlint rules` lists rules.)\n"
    }

    private func heading(_ s: String) -> String { "\n" + style.bold(s) + "\n" }

    private func field(_ name: String, _ value: String) -> String {
        let label = "  " + name.padding(toLength: 11, withPad: " ", startingAt: 0)
        let wrapped = TextLayout.wrap(value, indent: String(repeating: " ", count: label.count), firstIndent: label)
        return style.enabled ? style.bold(label) + wrapped.dropFirst(label.count) : wrapped
    }

    private func paragraph(_ s: String, indent: String = "  ") -> String {
        TextLayout.wrap(s, indent: indent)
    }

    private func blocks(_ blocks: [Block]) -> String {
        blocks.map { block -> String in
            switch block {
            case .paragraph(let inline): return paragraph(plainText(inline))
            case .list(let items): return items.map { TextLayout.wrap(plainText($0), indent: "    ", firstIndent: "  - ") }.joined(separator: "\n")
            }
        }.joined(separator: "\n\n")
    }

    private func plainText(_ inline: Inline) -> String {
        inline.map { span -> String in
            switch span {
            case .text(let t), .emphasis(let t): return t
            case .code(let c): return style.enabled ? style.cyan(c) : c
            }
        }.joined()
    }

    private func references(_ refs: [Reference]) -> String {
        refs.enumerated().map { i, r in
            let first = TextLayout.wrap(r.title, indent: "      ", firstIndent: String(format: "  [%d] ", i + 1))
            return first + (r.url.map { "\n      " + $0 } ?? "")
        }.joined(separator: "\n")
    }

    private func relatedSection(_ related: RelatedItems, rules: [Rule]) -> String {
        var lines: [String] = []
        if !related.parameters.isEmpty { lines.append(TextLayout.wrap(related.parameters.joined(separator: ", "), indent: "              ", firstIndent: "  parameters: ")) }
        if !related.topics.isEmpty { lines.append(TextLayout.wrap(related.topics.joined(separator: ", "), indent: "              ", firstIndent: "  topics:     ")) }
        if !rules.isEmpty { lines.append(TextLayout.wrap(rules.map { "\($0.code) \($0.slug)" }.joined(separator: ", "), indent: "              ", firstIndent: "  rules:      ")) }
        return lines.joined(separator: "\n")
    }

    public func text(_ p: Parameter) -> String {
        var out = style.bold(p.key) + "\n" + paragraph(p.summary) + "\n"
        out += heading("Facts")
        var facts = [field("Type", typeLine(p)), field("Default", defaultLine(p)), field("Scope", scopeLine(p)),
                     field("Kubernetes", kubernetesLine(p))]
        if let v = versionsLine(p) { facts.append(field("Versions", v)) }
        if !p.exists(on: kernel) { facts.append(field("On \(kernel)", "this key does not exist")) }
        facts.append(field("Path", SysctlKey.procPath(p.key)))
        out += facts.joined(separator: "\n") + "\n"
        if !p.values.isEmpty {
            out += heading("Values")
            let width = p.values.map(\.value.count).max() ?? 1
            out += p.values.map { v in
                let since = v.since.map { " (since \($0))" } ?? ""
                let lead = "  " + v.value.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                return TextLayout.wrap(plainText(v.meaning) + since, indent: String(repeating: " ", count: lead.count), firstIndent: lead)
            }.joined(separator: "\n") + "\n"
        }
        let history = [p.since].compactMap { $0 } + p.changes + [p.ineffective, p.removed].compactMap { $0 }
        if let never = p.neverExisted {
            out += heading("History") + paragraph(plainText(never)) + "\n"
        } else if !history.isEmpty {
            out += heading("History")
            out += history.map { TextLayout.wrap(plainText($0.note), indent: "          ", firstIndent: "  " + "\($0.version)".padding(toLength: 8, withPad: " ", startingAt: 0)) }.joined(separator: "\n") + "\n"
        }
        out += heading("Description") + blocks(p.description) + "\n"
        if !p.caveats.isEmpty {
            out += heading("Caveats") + p.caveats.map { TextLayout.wrap(plainText($0), indent: "    ", firstIndent: "  - ") }.joined(separator: "\n") + "\n"
        }
        let rules = relatedRules(parameter: p)
        if !p.related.parameters.isEmpty || !p.related.topics.isEmpty || !rules.isEmpty {
            out += heading("Related") + relatedSection(p.related, rules: rules) + "\n"
        }
        out += heading("References") + references(p.references) + "\n"
        return out
    }

    public func text(_ t: Topic) -> String {
        var out = style.bold(TextLayout.wrap(t.title)) + "\n" + style.dim("topic \(t.id)") + "\n" + paragraph(t.summary) + "\n"
        for section in t.sections {
            out += heading(section.title) + blocks(section.blocks) + "\n"
        }
        let rules = relatedRules(topic: t)
        if !t.related.parameters.isEmpty || !t.related.topics.isEmpty || !rules.isEmpty {
            out += heading("Related") + relatedSection(t.related, rules: rules) + "\n"
        }
        out += heading("References") + references(t.references) + "\n"
        return out
    }

    public func text(_ r: Rule) -> String {
        var out = style.bold("\(r.code) \(r.slug)") + "  " + style.severity(r.severity) + style.dim("  (\(r.category))") + "\n"
        out += paragraph(r.title) + "\n"
        var facts = [field("Applies to", r.appliesTo.map(\.rawValue).joined(separator: ", "))]
        if r.kernelMin != nil || r.kernelBelow != nil {
            facts.append(field("Kernels", [r.kernelMin.map { "≥ \($0)" }, r.kernelBelow.map { "< \($0)" }].compactMap { $0 }.joined(separator: " and ")))
        }
        if let s = r.subject { facts.append(field("Key", s)) }
        out += heading("Rule") + facts.joined(separator: "\n") + "\n"
        out += heading("Why") + blocks(r.why) + "\n"
        out += heading("Fix") + blocks(r.fix) + "\n"
        // Examples of sysctl lines read well at a terminal; /proc trees and escaped bytes do not.
        let shown = r.examples.filter { $0.input == "sysctl" && !$0.escapes }
        if let ex = shown.first(where: \.expectTrigger) { out += heading("Triggers on") + Self.exampleBlock(ex.text) + "\n" }
        if let ex = shown.first(where: { !$0.expectTrigger }) { out += heading("Does not trigger on") + Self.exampleBlock(ex.text) + "\n" }
        if !r.related.parameters.isEmpty || !r.related.topics.isEmpty {
            out += heading("Related") + relatedSection(r.related, rules: []) + "\n"
        }
        out += heading("References") + references(r.references) + "\n"
        out += "\n" + style.dim("Suppress one line with `# twlint: disable=\(r.code) -- reason` above it.") + "\n"
        return out
    }

    /// Example lines indented by four, cut at 80 columns.
    static func exampleBlock(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let l = "    " + line
            return l.count > 80 ? String(l.prefix(79)) + "…" : l
        }.joined(separator: "\n").trimmingTrailingWhitespace()
    }

    // MARK: markdown

    public func markdown(_ resolution: Resolution) -> String {
        switch resolution {
        case .parameter(let p): return markdown(p)
        case .topic(let t): return markdown(t)
        case .rule(let r): return markdown(r)
        case .ambiguous, .unknown: return text(resolution)
        }
    }

    private func md(_ inline: Inline) -> String {
        inline.map { span -> String in
            switch span {
            case .text(let t): return t
            case .code(let c): return "`\(c)`"
            case .emphasis(let e): return "*\(e)*"
            }
        }.joined()
    }

    private func md(_ blocks: [Block]) -> String {
        blocks.map { block -> String in
            switch block {
            case .paragraph(let inline): return md(inline)
            case .list(let items): return items.map { "- " + md($0) }.joined(separator: "\n")
            }
        }.joined(separator: "\n\n")
    }

    private func mdReferences(_ refs: [Reference]) -> String {
        refs.enumerated().map { i, r in
            "\(i + 1). " + (r.url.map { "[\(r.title)](\($0))" } ?? r.title)
        }.joined(separator: "\n")
    }

    private func mdRelated(_ related: RelatedItems, rules: [Rule]) -> String {
        var lines: [String] = []
        if !related.parameters.isEmpty { lines.append("- Parameters: " + related.parameters.map { "`\($0)`" }.joined(separator: ", ")) }
        if !related.topics.isEmpty { lines.append("- Topics: " + related.topics.joined(separator: ", ")) }
        if !rules.isEmpty { lines.append("- Rules: " + rules.map { "\($0.code) (\($0.slug))" }.joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    public func markdown(_ p: Parameter) -> String {
        var out = "# `\(p.key)`\n\n\(p.summary)\n\n"
        out += "| | |\n|---|---|\n"
        out += "| Type | \(typeLine(p)) |\n| Default | \(defaultLine(p)) |\n| Scope | \(scopeLine(p)) |\n| Kubernetes | \(kubernetesLine(p)) |\n"
        if let v = versionsLine(p) { out += "| Versions | \(v) |\n" }
        out += "| Path | `\(SysctlKey.procPath(p.key))` |\n"
        if !p.values.isEmpty {
            out += "\n## Values\n\n| Value | Meaning |\n|---|---|\n"
            out += p.values.map { "| `\($0.value)` | \(md($0.meaning))\($0.since.map { " (since \($0))" } ?? "") |" }.joined(separator: "\n") + "\n"
        }
        out += "\n## Description\n\n" + md(p.description) + "\n"
        if !p.caveats.isEmpty { out += "\n## Caveats\n\n" + p.caveats.map { "- " + md($0) }.joined(separator: "\n") + "\n" }
        let rules = relatedRules(parameter: p)
        let related = mdRelated(p.related, rules: rules)
        if !related.isEmpty { out += "\n## Related\n\n" + related + "\n" }
        out += "\n## References\n\n" + mdReferences(p.references) + "\n"
        return out
    }

    public func markdown(_ t: Topic) -> String {
        var out = "# \(t.title)\n\n\(t.summary)\n"
        for s in t.sections { out += "\n## \(s.title)\n\n" + md(s.blocks) + "\n" }
        let related = mdRelated(t.related, rules: relatedRules(topic: t))
        if !related.isEmpty { out += "\n## Related\n\n" + related + "\n" }
        out += "\n## References\n\n" + mdReferences(t.references) + "\n"
        return out
    }

    public func markdown(_ r: Rule) -> String {
        var out = "# \(r.code) `\(r.slug)` (\(r.severity.rawValue))\n\n\(r.title)\n\n"
        out += "## Why\n\n" + md(r.why) + "\n\n## Fix\n\n" + md(r.fix) + "\n"
        if let ex = r.examples.first(where: \.expectTrigger) { out += "\n## Triggers on\n\n```\n\(ex.text)```\n" }
        if let ex = r.examples.first(where: { !$0.expectTrigger }) { out += "\n## Does not trigger on\n\n```\n\(ex.text)```\n" }
        out += "\n## References\n\n" + mdReferences(r.references) + "\n"
        return out
    }

    // MARK: JSON

    public func json(_ resolution: Resolution) -> JSON {
        switch resolution {
        case .parameter(let p): return json(p)
        case .topic(let t): return json(t)
        case .rule(let r): return json(r)
        case .ambiguous(let term, let candidates):
            return .object([("error", .string("ambiguous")), ("term", .string(term)), ("candidates", .array(candidates.map(JSON.string)))])
        case .unknown(let term, let suggestions):
            return .object([("error", .string("unknown")), ("term", .string(term)), ("suggestions", .array(suggestions.map(JSON.string)))])
        }
    }

    static func json(_ inline: Inline) -> JSON { .string(inline.plain) }

    static func json(_ blocks: [Block]) -> JSON {
        .array(blocks.map { block in
            switch block {
            case .paragraph(let i): return .string(i.plain)
            case .list(let items): return .array(items.map { .string($0.plain) })
            }
        })
    }

    static func json(_ refs: [Reference]) -> JSON {
        .array(refs.map { .object([("kind", .string($0.kind.rawValue)), ("title", .string($0.title)), ("url", .str($0.url))]) })
    }

    static func json(_ related: RelatedItems, rules: [Rule]) -> JSON {
        .object([("parameters", .array(related.parameters.map(JSON.string))),
                 ("topics", .array(related.topics.map(JSON.string))),
                 ("rules", .array(rules.map { .string($0.code) }))])
    }

    public func json(_ p: Parameter) -> JSON {
        let range: JSON = (p.min == nil && p.max == nil) ? .null
            : .object([("min", p.min.map { .int(Int($0)) } ?? .null), ("max", p.max.map { .int(Int($0)) } ?? .null), ("enforced", .bool(p.rangeEnforced))])
        let k8s: JSON = p.kubernetes.map { k in
            .object([("safeSince", .str(k.safeSince)), ("minKernel", .str(k.minKernel?.description)), ("baselineSince", .str(k.baselineSince))])
        } ?? .null
        return .object([
            ("kind", .string("parameter")),
            ("key", .string(p.key)),
            ("aliases", .array(([p.shortName] + p.aliases).map(JSON.string))),
            ("path", .string(SysctlKey.procPath(p.key))),
            ("type", .string(p.type.rawValue)),
            ("count", p.count.map(JSON.int) ?? .null),
            ("unit", .str(p.unit)),
            ("range", range),
            ("kernel", .string(kernel.description)),
            ("default", .str(p.defaultValue(for: kernel))),
            ("defaults", .array(p.defaults.map { .object([("value", .string($0.value)), ("since", .str($0.since?.description))]) })),
            ("computedDefault", p.computedDefault.map(Self.json) ?? .null),
            ("values", .array(p.values.map { .object([("value", .string($0.value)), ("meaning", Self.json($0.meaning)), ("since", .str($0.since?.description))]) })),
            ("since", .str(p.since?.version.description)),
            ("exists", .bool(kb.keyExists(p.key, on: kernel))),
            ("versionTables", .str(kb.catalog.history(of: p.key))),
            ("removed", .str(p.removed?.version.description)),
            ("history", .array(([p.since].compactMap { $0 } + p.changes + [p.removed].compactMap { $0 }).map {
                .object([("version", .string($0.version.description)), ("note", Self.json($0.note))]) })),
            ("scope", .string(p.scope.rawValue)),
            ("kubernetes", k8s),
            ("summary", .string(p.summary)),
            ("description", Self.json(p.description)),
            ("caveats", .array(p.caveats.map(Self.json))),
            ("related", Self.json(p.related, rules: relatedRules(parameter: p))),
            ("references", Self.json(p.references)),
        ])
    }

    public func json(_ t: Topic) -> JSON {
        .object([
            ("kind", .string("topic")),
            ("id", .string(t.id)),
            ("title", .string(t.title)),
            ("aliases", .array(t.aliases.map(JSON.string))),
            ("summary", .string(t.summary)),
            ("sections", .array(t.sections.map { .object([("title", .string($0.title)), ("body", Self.json($0.blocks))]) })),
            ("related", Self.json(t.related, rules: relatedRules(topic: t))),
            ("references", Self.json(t.references)),
        ])
    }

    public func json(_ r: Rule) -> JSON {
        .object([
            ("kind", .string("rule")),
            ("code", .string(r.code)),
            ("slug", .string(r.slug)),
            ("severity", .string(r.severity.rawValue)),
            ("category", .string(r.category)),
            ("title", .string(r.title)),
            ("appliesTo", .array(r.appliesTo.map { .string($0.rawValue) })),
            ("kernel", .object([("min", .str(r.kernelMin?.description)), ("below", .str(r.kernelBelow?.description))])),
            ("key", .str(r.subject)),
            ("why", Self.json(r.why)),
            ("fix", Self.json(r.fix)),
            ("examples", .array(r.examples.map { .object([("expect", .string($0.expectTrigger ? "trigger" : "pass")), ("kernel", .str($0.kernel?.description)), ("text", .string($0.text))]) })),
            ("related", Self.json(r.related, rules: [])),
            ("references", Self.json(r.references)),
        ])
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        String(reversed().drop(while: { $0.isWhitespace }).reversed())
    }
}
