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
        let table = kb.kubernetesReleases
        guard let newest = table.newestReleased else { return legacyKubernetesLine(p) }
        // Per-release facts from kb/kubernetes/releases.xml (read from the Kubernetes sources by tag).
        func release(_ r: KubernetesReleases.Release) -> String { r.description + (r.released ? "" : " (pre-release)") }
        var parts: [String] = []
        if let safe = table.safeSince(p.key) {
            // The table starts at its first release; the kb may know an older first release (tcp_syncookies: 1.4).
            let older = safe.version == table.first?.version ? p.kubernetes?.safeSince.flatMap(KernelVersion.init).flatMap { $0 < safe.version ? $0 : nil } : nil
            var s = "safe sysctl since Kubernetes \(older.map { "\($0.major).\($0.minor)" } ?? release(safe))"
            let gated = table.releases.filter { $0.version >= safe.version && $0.safe[p.key]?.minKernel != nil }
            if let g = gated.first, let gate = g.safe[p.key]?.minKernel {
                s += " (the kubelet requires kernel ≥ \(gate)" + (g.version > safe.version ? " from Kubernetes \(g.description))" : ")")
            }
            parts.append(s)
        } else if let ns = newest.namespace(of: p.key), p.scope != .global {
            parts.append("namespaced (\(ns.rawValue)) but not in the kubelet's safe set up to Kubernetes \(newest.description): needs --allowed-unsafe-sysctls")
        } else {
            parts.append("not settable per pod in Kubernetes \(table.first?.description ?? "")–\(newest.description) (no namespace the kubelet knows)")
        }
        if let b = table.baselineSince(p.key), let policy = b.baseline[p.key] {
            parts.append("Pod Security baseline allows it since Kubernetes \(release(b)) (policy version \(policy))")
        }
        return parts.joined(separator: "; ")
    }

    func legacyKubernetesLine(_ p: Parameter) -> String {
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
        return kb.rules(where: { codes.contains($0.code) || $0.keys.contains(p.key) })
    }

    func relatedRules(topic t: Topic) -> [Rule] {
        let codes = Set(t.related.rules)
        return kb.rules(where: { codes.contains($0.code) || $0.topics.contains(t.id) })
    }

    // MARK: text

    public func text(_ resolution: Resolution) -> String {
        switch resolution {
        case .parameter(let p): return text(p)
        case .topic(let t): return text(t)
        case .rule(let r): return text(r)
        case .counter(let c): return text(c)
        case .symptom(let s): return text(s)
        case .ambiguous(let term, let candidates):
            return "\"\(term)\" matches several parameters:\n" + candidates.map { "  \($0)" }.joined(separator: "\n") + "\n"
        case .unknown(let term, let suggestions):
            return Self.unknownMessage(term: term, suggestions: suggestions)
        }
    }

    static func unknownMessage(term: String, suggestions: [String]) -> String {
        var s = "twlint knows no parameter, topic, counter, symptom or rule called \"\(term)\"."
        if !suggestions.isEmpty { s += " Did you mean: " + suggestions.joined(separator: ", ") + "?" }
        return s + "\n(`twlint explain --list` lists everything explain knows, `twlint params` the parameters, `twlint rules` the rules.)\n"
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
        let counters = countersAbout(parameter: p.key), symptoms = symptomsAbout(parameter: p.key)
        if !p.related.parameters.isEmpty || !p.related.topics.isEmpty || !rules.isEmpty || !counters.isEmpty || !symptoms.isEmpty {
            out += heading("Related") + [relatedSection(p.related, rules: rules), listLine("symptoms:", symptoms), listLine("counters:", counters)]
                .filter { !$0.isEmpty }.joined(separator: "\n") + "\n"
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
        let symptoms = symptomsAbout(topic: t.id), counters = countersAbout(topic: t.id)
        if !t.related.parameters.isEmpty || !t.related.topics.isEmpty || !rules.isEmpty || !symptoms.isEmpty || !counters.isEmpty {
            out += heading("Related") + [relatedSection(t.related, rules: rules), listLine("symptoms:", symptoms), listLine("counters:", counters)]
                .filter { !$0.isEmpty }.joined(separator: "\n") + "\n"
        }
        out += heading("References") + references(t.references) + "\n"
        return out
    }

    /// Counter entries that name a parameter or a topic among their related items (the reverse links).
    /// From the index (EntrySummary): no counter or symptom is parsed for these lists.
    func countersAbout(parameter key: String) -> [String] {
        kb.counterNames { _, s in s.parameters.contains(key) }
    }

    func countersAbout(topic id: String) -> [String] {
        kb.counterNames { _, s in s.topics.contains(id) }
    }

    func symptomsAbout(parameter key: String) -> [String] {
        kb.symptomIDs { _, s in s.parameters.contains(key) }
    }

    func symptomsAbout(topic id: String) -> [String] {
        kb.symptomIDs { _, s in s.topics.contains(id) }
    }

    /// One labelled, wrapped line of names for a Related section ("" when there are none).
    private func listLine(_ label: String, _ names: [String]) -> String {
        guard !names.isEmpty else { return "" }
        return TextLayout.wrap(names.joined(separator: ", "), indent: "              ", firstIndent: "  " + label.padding(toLength: 12, withPad: " ", startingAt: 0))
    }

    func relatedRules(_ related: RelatedItems) -> [Rule] {
        let codes = Set(related.rules)
        return kb.rules(where: { codes.contains($0.code) })
    }

    /// Rules that watch a counter (their evaluator names it).
    func rulesWatching(_ c: Counter) -> [Rule] {
        let codes = Set(c.related.rules)
        return kb.rules(where: { codes.contains($0.code) || $0.counterNames.contains(c.name) })
    }

    public func text(_ c: Counter) -> String {
        var out = style.bold(c.name) + "\n" + style.dim("counter in \(c.procFile)") + "\n" + paragraph(c.summary) + "\n"
        var facts = [field("nstat", c.nstatName)]
        for line in c.netstat { facts.append(field("netstat -s", line)) }
        if !c.aliases.isEmpty { facts.append(field("Also", c.aliases.joined(separator: ", "))) }
        if let since = c.since { facts.append(field("Since", "Linux \(since.version): " + plainText(since.note))) }
        if let removed = c.removed { facts.append(field("Removed", "Linux \(removed.version): " + plainText(removed.note))) }
        out += heading("Facts") + facts.joined(separator: "\n") + "\n"
        out += heading("Incremented when") + blocks(c.increments) + "\n"
        out += heading("A rising value means") + blocks(c.meaning) + "\n"
        out += heading("What to do") + blocks(c.action) + "\n"
        out += relatedWithCounters(c.see, c.related, rules: rulesWatching(c))
        out += heading("References") + references(c.references) + "\n"
        return out
    }

    /// The "Related" section of a counter or symptom: other counters first, then parameters, topics and rules.
    func relatedWithCounters(_ counters: [String], _ related: RelatedItems, rules: [Rule]) -> String {
        guard !counters.isEmpty || !related.parameters.isEmpty || !related.topics.isEmpty || !rules.isEmpty else { return "" }
        var lines: [String] = []
        if !counters.isEmpty { lines.append(TextLayout.wrap(counters.joined(separator: ", "), indent: "              ", firstIndent: "  counters:   ")) }
        let rest = relatedSection(related, rules: rules)
        if !rest.isEmpty { lines.append(rest) }
        return heading("Related") + lines.joined(separator: "\n") + "\n"
    }

    public func text(_ s: Symptom) -> String {
        var out = style.bold(TextLayout.wrap(s.title)) + "\n" + style.dim("symptom \(s.id)") + "\n" + paragraph(s.summary) + "\n"
        out += heading("Seen as") + s.messages.map { TextLayout.wrap($0, indent: "    ", firstIndent: "  - ") }.joined(separator: "\n") + "\n"
        out += heading("Causes") + s.causes.map { TextLayout.wrap(plainText($0), indent: "    ", firstIndent: "  - ") }.joined(separator: "\n") + "\n"
        out += heading("Which one you have") + blocks(s.diagnose) + "\n"
        out += heading("Fix") + blocks(s.fix) + "\n"
        out += relatedWithCounters(s.counters, s.related, rules: relatedRules(s.related))
        out += heading("References") + references(s.references) + "\n"
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
        if let f = r.autofix {
            let how = f.applicability == .safe ? "twlint lint --fix (safe)" : "twlint lint --fix --unsafe-fixes (unsafe)"
            out += heading("Automatic fix") + paragraph("\(how): \(f.summary)") + "\n"
            if let ex = f.examples.first(where: { $0.before != $0.after }) { out += Self.exampleBlock(ex.before) + "\n  becomes\n" + Self.exampleBlock(ex.after) + "\n" }
        }
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
        case .counter(let c): return markdown(c)
        case .symptom(let s): return markdown(s)
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
        var related = mdRelated(p.related, rules: rules)
        let counters = countersAbout(parameter: p.key), symptoms = symptomsAbout(parameter: p.key)
        if !symptoms.isEmpty { related += (related.isEmpty ? "" : "\n") + "- Symptoms: " + symptoms.joined(separator: ", ") }
        if !counters.isEmpty { related += (related.isEmpty ? "" : "\n") + "- Counters: " + counters.map { "`\($0)`" }.joined(separator: ", ") }
        if !related.isEmpty { out += "\n## Related\n\n" + related + "\n" }
        out += "\n## References\n\n" + mdReferences(p.references) + "\n"
        return out
    }

    public func markdown(_ t: Topic) -> String {
        var out = "# \(t.title)\n\n\(t.summary)\n"
        for s in t.sections { out += "\n## \(s.title)\n\n" + md(s.blocks) + "\n" }
        var related = mdRelated(t.related, rules: relatedRules(topic: t))
        let symptoms = symptomsAbout(topic: t.id), counters = countersAbout(topic: t.id)
        if !symptoms.isEmpty { related += (related.isEmpty ? "" : "\n") + "- Symptoms: " + symptoms.joined(separator: ", ") }
        if !counters.isEmpty { related += (related.isEmpty ? "" : "\n") + "- Counters: " + counters.map { "`\($0)`" }.joined(separator: ", ") }
        if !related.isEmpty { out += "\n## Related\n\n" + related + "\n" }
        out += "\n## References\n\n" + mdReferences(t.references) + "\n"
        return out
    }

    public func markdown(_ c: Counter) -> String {
        var out = "# `\(c.name)`\n\n\(c.summary)\n\n| | |\n|---|---|\n| File | `\(c.procFile)` |\n| nstat | `\(c.nstatName)` |\n"
        for line in c.netstat { out += "| netstat -s | \(line) |\n" }
        if !c.aliases.isEmpty { out += "| Also | " + c.aliases.map { "`\($0)`" }.joined(separator: ", ") + " |\n" }
        if let since = c.since { out += "| Since | Linux \(since.version): \(md(since.note)) |\n" }
        if let removed = c.removed { out += "| Removed | Linux \(removed.version): \(md(removed.note)) |\n" }
        out += "\n## Incremented when\n\n" + md(c.increments) + "\n"
        out += "\n## A rising value means\n\n" + md(c.meaning) + "\n"
        out += "\n## What to do\n\n" + md(c.action) + "\n"
        var related = c.see.isEmpty ? "" : "- Counters: " + c.see.map { "`\($0)`" }.joined(separator: ", ")
        let rest = mdRelated(c.related, rules: rulesWatching(c))
        if !rest.isEmpty { related += (related.isEmpty ? "" : "\n") + rest }
        if !related.isEmpty { out += "\n## Related\n\n" + related + "\n" }
        out += "\n## References\n\n" + mdReferences(c.references) + "\n"
        return out
    }

    public func markdown(_ s: Symptom) -> String {
        var out = "# \(s.title)\n\n\(s.summary)\n\n## Seen as\n\n" + s.messages.map { "- `\($0)`" }.joined(separator: "\n") + "\n"
        out += "\n## Causes\n\n" + s.causes.map { "- " + md($0) }.joined(separator: "\n") + "\n"
        out += "\n## Which one you have\n\n" + md(s.diagnose) + "\n"
        out += "\n## Fix\n\n" + md(s.fix) + "\n"
        var related = s.counters.isEmpty ? "" : "- Counters: " + s.counters.map { "`\($0)`" }.joined(separator: ", ")
        let rest = mdRelated(s.related, rules: relatedRules(s.related))
        if !rest.isEmpty { related += (related.isEmpty ? "" : "\n") + rest }
        if !related.isEmpty { out += "\n## Related\n\n" + related + "\n" }
        out += "\n## References\n\n" + mdReferences(s.references) + "\n"
        return out
    }

    public func markdown(_ r: Rule) -> String {
        var out = "# \(r.code) `\(r.slug)` (\(r.severity.rawValue))\n\n\(r.title)\n\n"
        out += "## Why\n\n" + md(r.why) + "\n\n## Fix\n\n" + md(r.fix) + "\n"
        if let f = r.autofix {
            out += "\n## Automatic fix\n\n`twlint lint --fix\(f.applicability == .safe ? "` (safe)" : " --unsafe-fixes` (unsafe)"): \(f.summary)\n"
            if let ex = f.examples.first(where: { $0.before != $0.after }) { out += "\n```diff\n" + UnifiedDiff.render(path: "example.conf", old: LineText(Data(ex.before.utf8)), new: LineText(Data(ex.after.utf8))) + "```\n" }
        }
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
        case .counter(let c): return json(c)
        case .symptom(let s): return json(s)
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

    /// The kb's Kubernetes summary and, from kb/kubernetes/releases.xml, the facts of every release.
    func kubernetesJSON(_ p: Parameter) -> JSON {
        let table = kb.kubernetesReleases
        guard !table.isEmpty else {
            return p.kubernetes.map { k in
                .object([("safeSince", .str(k.safeSince)), ("minKernel", .str(k.minKernel?.description)), ("baselineSince", .str(k.baselineSince))])
            } ?? .null
        }
        let releases: [JSON] = table.releases.map { r in
            .object([("version", .string(r.description)), ("released", .bool(r.released)),
                     ("namespace", .str(r.namespace(of: p.key)?.rawValue)),
                     ("safe", .bool(r.safe[p.key] != nil)), ("minKernel", .str(r.safe[p.key]?.minKernel?.description)),
                     ("baselinePolicy", .str(r.baseline[p.key])), ("tag", .string(r.helpersTag))])
        }
        return .object([("safeSince", .str(table.safeSince(p.key)?.description)),
                        ("minKernel", .str(table.releases.compactMap { $0.safe[p.key]?.minKernel }.last?.description)),
                        ("baselineSince", .str(table.baselineSince(p.key).flatMap { $0.baseline[p.key] })),
                        ("releases", .array(releases))])
    }

    public func json(_ p: Parameter) -> JSON {
        let range: JSON = (p.min == nil && p.max == nil) ? .null
            : .object([("min", p.min.map { .int(Int($0)) } ?? .null), ("max", p.max.map { .int(Int($0)) } ?? .null), ("enforced", .bool(p.rangeEnforced))])
        let k8s: JSON = kubernetesJSON(p)
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
            ("symptoms", .array(symptomsAbout(parameter: p.key).map(JSON.string))),
            ("counters", .array(countersAbout(parameter: p.key).map(JSON.string))),
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
            ("symptoms", .array(symptomsAbout(topic: t.id).map(JSON.string))),
            ("counters", .array(countersAbout(topic: t.id).map(JSON.string))),
            ("references", Self.json(t.references)),
        ])
    }

    public func json(_ c: Counter) -> JSON {
        func note(_ n: Counter.VersionNote?) -> JSON {
            n.map { .object([("version", .string($0.version.description)), ("note", Self.json($0.note))]) } ?? .null
        }
        return .object([
            ("kind", .string("counter")),
            ("name", .string(c.name)),
            ("group", .string(c.group)),
            ("column", .string(c.column)),
            ("file", .string(c.procFile)),
            ("nstat", .string(c.nstatName)),
            ("netstat", .array(c.netstat.map(JSON.string))),
            ("aliases", .array(c.aliases.map(JSON.string))),
            ("since", note(c.since)),
            ("removed", note(c.removed)),
            ("summary", .string(c.summary)),
            ("increments", Self.json(c.increments)),
            ("meaning", Self.json(c.meaning)),
            ("action", Self.json(c.action)),
            ("counters", .array(c.see.map(JSON.string))),
            ("related", Self.json(c.related, rules: rulesWatching(c))),
            ("references", Self.json(c.references)),
        ])
    }

    public func json(_ s: Symptom) -> JSON {
        .object([
            ("kind", .string("symptom")),
            ("id", .string(s.id)),
            ("title", .string(s.title)),
            ("aliases", .array(s.aliases.map(JSON.string))),
            ("messages", .array(s.messages.map(JSON.string))),
            ("summary", .string(s.summary)),
            ("causes", .array(s.causes.map(Self.json))),
            ("diagnose", Self.json(s.diagnose)),
            ("fix", Self.json(s.fix)),
            ("counters", .array(s.counters.map(JSON.string))),
            ("related", Self.json(s.related, rules: relatedRules(s.related))),
            ("references", Self.json(s.references)),
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
            ("autofix", r.autofix.map { f in
                .object([("kind", .string(f.kind.rawValue)), ("applicability", .string(f.applicability.rawValue)), ("changes_effect", .bool(f.changesEffect)),
                         ("summary", .string(f.summary)), ("note", .str(f.note)),
                         ("examples", .array(f.examples.map { .object([("before", .string($0.before)), ("after", .string($0.after)), ("kernel", .str($0.kernel?.description))]) }))])
            } ?? .null),
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
