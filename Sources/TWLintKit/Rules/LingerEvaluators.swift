import Foundation

/// Evaluators for SO_LINGER settings found in proxy/server configurations and source code (TW5xx).
enum LingerEvaluators {
    static let named: [String: RuleEvaluators.Evaluator] = [
        "linger-abortive": { _, ctx in hits(ctx, .abortive) },
        "linger-blocking": { _, ctx in hits(ctx, .blocking) },
        "linger-reset-on-timeout": { _, ctx in hits(ctx, .resetOnTimeout) },
        "linger-lingering-close-off": { _, ctx in hits(ctx, .lingeringCloseOff) },
        "linger-lingering-ignored": { _, ctx in hits(ctx, .lingeringIgnored) },
        "linger-invalid": { _, ctx in hits(ctx, .invalid) },
    ]

    static func hits(_ ctx: EvaluationContext, _ kind: LingerUse.Kind) -> [Hit] {
        ctx.lingerUses.filter { $0.kind == kind }.map { u in
            var hit = Hit(setting: nil, vars: [
                "format": u.format,
                "directive": u.directive,
                "scope": u.scope.isEmpty ? "" : " (\(u.scope))",
                "seconds": u.seconds.map { "\($0) s" } ?? "an unknown time",
                "note": u.note.isEmpty ? "" : "; \(u.note)",
                "key": u.directive,
            ])
            hit.location = u.location
            hit.key = nil
            hit.value = nil
            // A linger whose values twlint could not read is only a hint.
            if kind == .blocking && u.seconds == nil { hit.severity = .info }
            return hit
        }
    }
}

extension Linter {
    /// What the SO_LINGER hook made of an input: not one of its kinds, nothing to say in a walk, or findings.
    enum LingerOutcome {
        case notMine
        case skip
        case findings([Finding])
    }

    /// The detection hook for proxy/server configurations and source code: by file name and content.
    /// Files only these inputs bring into a walk (source, *.cfg, *.xml, *.ini) are never read as sysctl files.
    func lintLingerInput(_ data: Data, path: String, options: LintOptions, explicit: Bool) -> LingerOutcome {
        let ext = (path as NSString).pathExtension.lowercased()
        let claimedByWalk = LingerInputs.walkedExtensions.contains(ext)
        if Linter.manifestExtensions.contains(ext) { return .notMine }   // manifests: see lingerFindingsInManifest
        guard let text = String(data: data, encoding: .utf8) else {
            return claimedByWalk && !explicit ? .skip : .notMine
        }
        guard let format = LingerInputs.classify(path: path, text: text) else {
            return claimedByWalk && !explicit ? .skip : .notMine
        }
        let scanned = LingerScanner.scan(format, text: text, path: path)
        if case .source = format, !explicit, scanned.uses.isEmpty { return .skip }
        return .findings(lingerFindings(scanned, kind: { if case .source = format { return .source } else { return .config } }(), options: options,
                                        text: text, path: path))
    }

    /// ConfigMaps and Envoy configuration inside a YAML/JSON input: the findings before suppression, and the inline
    /// directives written inside ConfigMap values (at the manifest's lines). The manifest lint applies them together
    /// with its own directives, so one directive list decides what is suppressed and what is unused (TW910).
    func lingerInManifest(_ data: Data, path: String, options: LintOptions) -> (findings: [Finding], directives: [Directive]) {
        guard data.count <= Manifest.maxBytes, let text = String(data: data, encoding: .utf8),
              ["socket_options", "socketOptions", "ConfigMap"].contains(where: { text.contains($0) }) else { return ([], []) }
        let scanned = LingerScanner.scan(.manifest, text: text, path: path)
        let context = lingerContext(scanned, kind: .config, options: options)
        var findings = engine.evaluate(context)
        // Malformed directives inside ConfigMap values (TW911) are reported whatever kinds their rule lists.
        findings += scanned.problems.filter { $0.code == "TW911" }.map { engine.finding(for: $0, context: context) }
        return (findings, scanned.directives)
    }

    func lingerContext(_ scanned: LingerScanner.Result, kind: InputKind, options: LintOptions, problems: [InputProblem]? = nil) -> EvaluationContext {
        let context = EvaluationContext(kb: kb, target: options.target, config: EffectiveConfiguration(), input: kind, problems: problems ?? scanned.problems)
        context.lingerUses = scanned.uses
        return context
    }

    func lingerFindings(_ scanned: LingerScanner.Result, kind: InputKind, options: LintOptions, text: String? = nil, path: String? = nil) -> [Finding] {
        var problems = scanned.problems
        var input = ParsedInput(path: path ?? "")
        if let text, let path { input.directives = LingerDirectives.parse(text, path: path, problems: &problems) }
        let context = lingerContext(scanned, kind: kind, options: options, problems: problems)
        var findings = engine.evaluate(context)
        // Directive problems (TW911) are reported whatever kinds their rule lists.
        findings += problems.filter { p in p.code == "TW911" && !findings.contains { $0.code == p.code && $0.location == p.location } }
            .map { engine.finding(for: $0, context: context) }
        let (kept, unused) = Suppression(inputs: [input]).apply(findings)
        return finalize(kept + unused.map { engine.finding(for: $0, context: context) }, options: options).sorted(by: Finding.reportOrder)
    }
}

/// `twlint: disable=TW501 -- reason` in any comment style (`#`, `//`, `/*`, `<!--`): on its own line it applies
/// to the next line with code, after code it applies to its own line; `disable-file=` to the whole file.
enum LingerDirectives {
    static let markers = ["#", "//", "/*", "<!--", ";"]

    static func parse(_ text: String, path: String, problems: inout [InputProblem]) -> [Directive] {
        guard text.contains("twlint:") else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(lingerMaxLines).map(String.init)
        var directives: [Directive] = []
        for (index, line) in lines.enumerated() {
            guard let at = line.range(of: "twlint:") else { continue }
            let before = line[..<at.lowerBound]
            guard let marker = markers.compactMap({ m in before.range(of: m, options: .backwards).map { (m, $0) } }).max(by: { $0.1.lowerBound < $1.1.lowerBound }),
                  before[marker.1.upperBound...].trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            var body = String(line[at.lowerBound...])
            for end in ["*/", "-->"] { if let r = body.range(of: end) { body = String(body[..<r.lowerBound]) } }
            let location = SourceLocation(path: path, line: index + 1)
            switch Directive.parse(comment: body, location: location) {
            case .success(var d)?:
                let code = line[..<marker.1.lowerBound].trimmingCharacters(in: .whitespaces)
                if !code.isEmpty {
                    d.targetLine = index + 1
                } else if let next = lines[(index + 1)...].firstIndex(where: { l in
                    let t = l.trimmingCharacters(in: .whitespaces)
                    return !t.isEmpty && !markers.contains { t.hasPrefix($0) } && !t.hasPrefix("*")
                }) {
                    d.targetLine = next + 1
                }
                directives.append(d)
            case .failure(let e)?:
                problems.append(InputProblem(code: "TW911", location: e.location, detail: e.message))
            case nil:
                break
            }
        }
        return directives
    }
}
