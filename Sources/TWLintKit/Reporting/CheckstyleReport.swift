/// `--format checkstyle`: Checkstyle's XML report, read by Jenkins' warnings-ng, reviewdog, SonarQube and others:
/// one `<file>` per input in report order, one `<error>` per finding, `source` the rule (`twlint.TW101`).
struct CheckstyleReport {
    func write(_ report: LintReport, emit: (String) -> Void) {
        emit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n")
        var byPath: [String: [Finding]] = [:]
        var order: [String] = []
        for f in report.findings {
            let path = f.location?.path ?? "twlint"
            if byPath[path] == nil { order.append(path) }
            byPath[path, default: []].append(f)
        }
        for path in order {
            var out = "  <file name=\"\(XMLText.escape(path))\">\n"
            for f in byPath[path]! {
                var attributes = ""
                if let l = f.location, l.line > 0 { attributes += " line=\"\(l.line)\" column=\"\(max(l.column, 1))\"" }
                out += "    <error\(attributes) severity=\"\(f.severity.rawValue)\" message=\"\(XMLText.escape(f.message))\" source=\"twlint.\(XMLText.escape(f.code))\"/>\n"
            }
            emit(out + "  </file>\n")
        }
        emit("</checkstyle>\n")
    }
}
