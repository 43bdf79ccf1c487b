/// Human output: `path:line:col: severity CODE [slug] message`, then why, fix and where to read more.
struct TextReport {
    let style: Style
    let verbose: Bool
    var docsURL: String? = nil

    func write(_ report: LintReport, emit: (String) -> Void) {
        var explained = Set<String>()
        for f in report.findings {
            var out = ""
            let location = f.location.map { $0.line > 0 ? "\($0.path):\($0.line):\($0.column)" : $0.path } ?? "-"
            out += style.bold(location) + ": " + style.severity(f.severity) + " " + style.bold(f.code) + style.dim(" [\(f.slug)]") + " " + f.message + "\n"
            if let object = f.location?.object { out += "    object: \(object)\n" }
            for r in f.related {
                out += "    " + style.dim("related: \(r.location.line > 0 ? "\(r.location.path):\(r.location.line)" : r.location.path): \(r.note)") + "\n"
            }
            // Why and fix are printed the first time a code appears; later findings of the code point back.
            if verbose && explained.insert(f.code).inserted {
                if let why = f.why.split(separator: "\n").first.map(String.init), !why.isEmpty {
                    out += TextLayout.wrap(why, width: 100, indent: "         ", firstIndent: "    why: ") + "\n"
                }
                if let fix = f.fix.split(separator: "\n").first.map(String.init), !fix.isEmpty {
                    out += TextLayout.wrap(fix, width: 100, indent: "         ", firstIndent: "    fix: ") + "\n"
                }
                out += "    " + style.dim("see: " + (docsURL.map { DocsLinks.ruleURL(base: $0, code: f.code) } ?? "twlint explain \(f.code)")) + "\n"
            }
            emit(out)
        }
        let s = report.summary
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var summary = "\(plural(s[.error] ?? 0, "error")), \(plural(s[.warning] ?? 0, "warning")), \(s[.info] ?? 0) info"
        summary += " in \(plural(report.inputsRead, "input"))"
        summary += report.target.kernelExplicit ? " (Linux \(report.target.kernel))" : " (assuming Linux \(report.target.kernel); set --kernel for another)"
        if let k8s = report.target.kubernetes {
            summary += " (Kubernetes \(k8s))"
        } else if report.findings.contains(where: { $0.code.hasPrefix("TW30") }), let newest = KnowledgeBase.shipped.kubernetesReleases.newestReleased {
            summary += " (assuming Kubernetes \(newest.description), the newest release; set --kubernetes for another)"
        }
        if report.findings.isEmpty { summary = "No findings. " + summary }
        emit((report.findings.isEmpty ? "" : "\n") + summary + "\n")
    }
}
