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
        return .findings(lingerFindings(scanned, kind: { if case .source = format { return .source } else { return .config } }(), options: options))
    }

    /// ConfigMaps and Envoy configuration inside a YAML/JSON input, beside its manifest findings.
    func lingerFindingsInManifest(_ data: Data, path: String, options: LintOptions) -> [Finding] {
        guard let text = String(data: data.prefix(Manifest.maxBytes + 1), encoding: .utf8),
              LingerInputs.classify(path: path, text: text) == .manifest else { return [] }
        let scanned = LingerScanner.scan(.manifest, text: text, path: path)
        return scanned.uses.isEmpty ? [] : lingerFindings(scanned, kind: .config, options: options)
    }

    func lingerFindings(_ scanned: LingerScanner.Result, kind: InputKind, options: LintOptions) -> [Finding] {
        let context = EvaluationContext(kb: kb, target: options.target, config: EffectiveConfiguration(), input: kind, problems: scanned.problems)
        context.lingerUses = scanned.uses
        return finalize(engine.evaluate(context), options: options).sorted(by: Finding.reportOrder)
    }
}
