/// Applies inline `# twlint: disable…` directives to findings and reports directives that suppressed nothing.
struct Suppression {
    /// Directives by the path of the input that holds them.
    let directives: [String: [Directive]]

    init(inputs: [ParsedInput]) {
        var byPath: [String: [Directive]] = [:]
        for input in inputs { byPath[input.path, default: []] += input.directives }
        directives = byPath
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
        let unused = directives.values.flatMap { $0 }.filter { !used.contains($0.location) }.map { d in
            InputProblem(code: "TW910", location: d.location,
                         detail: d.targetLine == nil && d.scope == .nextSetting
                            ? "this disable=\(d.names.joined(separator: ",")) directive is followed by no setting, so it suppresses nothing"
                            : "this \(d.scope == .file ? "disable-file" : "disable")=\(d.names.joined(separator: ",")) directive suppresses nothing: no such finding \(d.scope == .file ? "in this file" : "on the next setting")")
        }
        return (kept, unused)
    }
}
