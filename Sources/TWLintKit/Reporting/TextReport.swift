/// Human output: `path:line:col: severity CODE [slug] message`, then why, fix and where to read more.
/// Every string that can come from input passes through `ControlEscape`.
struct TextReport {
    let style: Style
    let verbose: Bool
    /// Why and fix are printed the first time a code appears; later findings of the code point back.
    private var explained = Set<String>()

    /// Base URL of the documentation site: the "see:" line points at the rule's page there.
    let docsURL: String?

    init(style: Style, verbose: Bool, docsURL: String? = nil) {
        self.style = style
        self.verbose = verbose
        self.docsURL = docsURL
    }

    mutating func finding(_ f: Finding) -> String {
        let e = ControlEscape.escape
        var out = ""
        let location = f.location.map { $0.line > 0 ? "\(e($0.path)):\($0.line):\($0.column)" : e($0.path) } ?? "-"
        out += style.bold(location) + ": " + style.severity(f.severity) + " " + style.bold(e(f.code)) + style.dim(" [\(e(f.slug))]") + " " + e(f.message) + "\n"
        if let object = f.location?.object { out += "    object: \(e(object))\n" }
        for r in f.related {
            out += "    " + style.dim("related: \(r.location.line > 0 ? "\(e(r.location.path)):\(r.location.line)" : e(r.location.path)): \(e(r.note))") + "\n"
        }
        if verbose && explained.insert(f.code).inserted {
            if let why = f.why.split(separator: "\n").first.map(String.init), !why.isEmpty {
                out += TextLayout.wrap(e(why), width: 100, indent: "         ", firstIndent: "    why: ") + "\n"
            }
            if let fix = f.fix.split(separator: "\n").first.map(String.init), !fix.isEmpty {
                out += TextLayout.wrap(e(fix), width: 100, indent: "         ", firstIndent: "    fix: ") + "\n"
            }
            out += "    " + style.dim("see: " + (docsURL.map { DocsLinks.ruleURL(base: $0, code: f.code) } ?? "twlint explain \(e(f.code))")) + "\n"
        }
        return out
    }

    func summary(_ s: [Severity: Int], inputsRead: Int, target: Target, kubernetesAssumed: Bool, applier: Applier? = nil) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let total = s.values.reduce(0, +)
        var summary = "\(plural(s[.error] ?? 0, "error")), \(plural(s[.warning] ?? 0, "warning")), \(s[.info] ?? 0) info"
        summary += " in \(plural(inputsRead, "input"))"
        summary += target.kernelExplicit ? " (Linux \(target.kernel))" : " (assuming Linux \(target.kernel); set --kernel for another)"
        if let applier { summary += "; applied as \(applier.displayName) does" }
        if let k8s = target.kubernetes {
            summary += " (Kubernetes \(k8s))"
        } else if kubernetesAssumed, let newest = KnowledgeBase.shipped.kubernetesReleases.newestReleased {
            summary += " (assuming Kubernetes \(newest.description), the newest release; set --kubernetes for another)"
        }
        if total == 0 { summary = "No findings. " + summary }
        return (total == 0 ? "" : "\n") + summary + "\n"
    }

    mutating func write(_ report: LintReport, emit: (String) -> Void) {
        for f in report.findings { emit(finding(f)) }
        emit(summary(report.summary, inputsRead: report.inputsRead, target: report.target,
                     kubernetesAssumed: report.findings.contains(where: \.kubernetesAssumed), applier: report.applier))
    }
}
