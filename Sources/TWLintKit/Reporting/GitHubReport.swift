/// `--format github`: workflow commands that annotate the diff in GitHub Actions.
struct GitHubReport {
    func write(_ report: LintReport, emit: (String) -> Void) {
        for f in report.findings {
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
            props.append("title=\(GitHubReport.property("\(f.code) \(f.slug)"))")
            emit("::\(command) \(props.joined(separator: ","))::\(GitHubReport.data(f.message))\n")
        }
    }

    /// Escaping rules of workflow commands: data escapes %, CR, LF; properties also : and ,.
    static func data(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }

    static func property(_ s: String) -> String {
        data(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}

import Foundation
