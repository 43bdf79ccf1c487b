/// Applies inline `# twlint: disable…` directives to findings and reports directives that suppressed nothing.
struct Suppression {
    /// Directives by the path of the input that holds them.
    let directives: [String: [Directive]]
    /// Rule codes and slugs that exist (lowercased); names outside it make a directive TW911. nil: not checked.
    let known: Set<String>?
    let knownNames: [String]

    /// `names` is only evaluated when an input has a directive (most files have none: no per-file rule table).
    init(inputs: [ParsedInput], known names: @autoclosure () -> [String]? = nil) {
        var byPath: [String: [Directive]] = [:]
        for input in inputs where !input.directives.isEmpty { byPath[input.path, default: []] += input.directives }
        directives = byPath
        let names = byPath.isEmpty ? nil : names()
        known = names.map { Set($0.map { $0.lowercased() }) }
        knownNames = names ?? []
    }

    /// The names of a directive that are no rule's code or slug (nor `all`).
    func unknownNames(_ d: Directive) -> [String] {
        guard let known else { return [] }
        return d.names.filter { $0.lowercased() != "all" && !known.contains($0.lowercased()) }
    }

    /// Findings that no directive suppresses, and the directives that suppressed nothing (as TW910 problems).
    func apply(_ findings: [Finding]) -> (kept: [Finding], unused: [InputProblem]) {
        var used = Set<SourceLocation>()
        let kept = findings.filter { finding in
            guard let location = finding.location, let candidates = directives[location.path] else { return true }
            let matching = candidates.filter { d in
                d.names(code: finding.code, slug: finding.slug)
                    && (d.scope == .file || d.targetLine == location.line)
            }
            for d in matching { used.insert(d.location) }
            return matching.isEmpty
        }
        let all = directives.values.flatMap { $0 }
        // A directive naming a rule that does not exist is an error (TW911), not merely unused.
        let unknown = all.compactMap { d -> InputProblem? in
            let names = unknownNames(d)
            guard !names.isEmpty else { return nil }
            let list = names.map { "\"\($0)\"" }.joined(separator: ", ")
            let suggestions = names.compactMap { n in Levenshtein.suggestions(for: n, in: knownNames, limit: 1).first }
            return InputProblem(code: "TW911", location: d.location,
                                detail: "this directive names \(names.count == 1 ? "a rule that does not exist" : "rules that do not exist"): \(list)"
                                    + (suggestions.isEmpty ? "" : " (did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: ", "))?)"))
        }
        let unused = unknown + all.filter { !used.contains($0.location) && unknownNames($0).isEmpty }.map { d in
            InputProblem(code: "TW910", location: d.location,
                         detail: d.targetLine == nil && d.scope == .nextSetting
                            ? "this disable=\(d.names.joined(separator: ",")) directive is followed by no setting, so it suppresses nothing"
                            : "this \(d.scope == .file ? "disable-file" : "disable")=\(d.names.joined(separator: ",")) directive suppresses nothing: no such finding \(d.scope == .file ? "in this file" : "on the next setting")")
        }
        return (kept, unused)
    }
}

extension KnowledgeBase {
    /// Every rule's code and slug (ours and the user's).
    public var ruleNames: [String] { rules.flatMap { [$0.code, $0.slug] } }

    /// The names among `names` that are no rule's code or slug (case-insensitively; `all` is not a rule here).
    public func unknownRuleNames(_ names: [String]) -> [String] {
        let known = Set(ruleNames.map { $0.lowercased() })
        return names.filter { !known.contains($0.lowercased()) }
    }
}
