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
            props.append("title=\(GitHubReport.property(f.code))")
            emit("::\(command) \(props.joined(separator: ","))::\(GitHubReport.data(f.message))\n")
        }
        // Once, not in every annotation.
        if let note = report.kernelNote { emit("::notice title=twlint::\(GitHubReport.data(note))\n") }
    }

    /// Escaping rules of workflow commands: data escapes %, CR, LF; properties also : and ,.
    static func data(_ s: String) -> String { escape(s, property: false) }

    static func property(_ s: String) -> String { escape(s, property: true) }

    private static func escape(_ s: String, property: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "%"): out += Array("%25".utf8)
            case 0x0D: out += Array("%0D".utf8)
            case 0x0A: out += Array("%0A".utf8)
            case UInt8(ascii: ":") where property: out += Array("%3A".utf8)
            case UInt8(ascii: ",") where property: out += Array("%2C".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

import Foundation
