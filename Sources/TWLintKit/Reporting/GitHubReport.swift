/// `--format github`: workflow commands that annotate the diff in GitHub Actions.
struct GitHubReport {
    func write(_ report: LintReport, emit: (String) -> Void) {
        for f in report.findings { emit(GitHubReport.line(f)) }
        // Once, not in every annotation.
        if let note = report.kernelNote { emit(GitHubReport.notice(note)) }
        if let note = report.kubernetesNote { emit(GitHubReport.notice(note)) }
    }

    /// A run-level notice (not tied to a file).
    static func notice(_ text: String) -> String { "::notice title=twlint::\(GitHubReport.data(text))\n" }

    /// One workflow command for a finding.
    static func line(_ f: Finding) -> String {
        let command: String
        switch f.severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .info: command = "notice"
        }
        var props: [String] = []
        if let l = f.location {
            props.append("file=\(GitHubReport.property(l.path))")
            if l.line > 0 {
                props.append("line=\(l.line)")
                props.append("col=\(l.column)")
            }
        }
        props.append("title=\(GitHubReport.property(f.code))")
        return "::\(command) \(props.joined(separator: ","))::\(GitHubReport.data(f.message))\n"
    }

    /// Escaping rules of workflow commands: data escapes %, CR, LF; properties also : and ,.
    static func data(_ s: String) -> String { escape(s, property: false) }

    static func property(_ s: String) -> String { escape(s, property: true) }

    private static func escape(_ s: String, property: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case ":" where property: out += "%3A"
            case "," where property: out += "%2C"
            // Every other control character is made visible, never passed to the runner's log raw.
            case _ where ControlEscape.needsEscape(scalar.value): out += ControlEscape.escape(String(scalar))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

import Foundation
