/// `--format junit`: one test case per input file, one failure per finding, for CI test-report views.
struct JUnitReport {
    func write(_ report: LintReport, emit: (String) -> Void) {
        var byPath: [String: [Finding]] = [:]
        var order: [String] = []
        for f in report.findings {
            let path = f.location?.path ?? "twlint"
            if byPath[path] == nil { order.append(path) }
            byPath[path, default: []].append(f)
        }
        let failures = report.findings.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"twlint\" tests=\"\(max(order.count, 1))\" failures=\"\(failures)\">\n"
        out += "  <testsuite name=\"twlint\" tests=\"\(max(order.count, 1))\" failures=\"\(failures)\" errors=\"0\">\n"
        if order.isEmpty {
            out += "    <testcase classname=\"twlint\" name=\"no findings\"/>\n"
        }
        for path in order {
            out += "    <testcase classname=\"twlint\" name=\"\(escape(path))\">\n"
            for f in byPath[path]! {
                let at = f.location.map { $0.line > 0 ? "\($0.path):\($0.line):\($0.column)" : $0.path } ?? ""
                out += "      <failure type=\"\(f.severity.rawValue)\" message=\"\(escape("\(f.code) \(f.message)"))\">"
                out += escape("\(at): \(f.severity.rawValue) \(f.code) [\(f.slug)] \(f.message)\n\nWhy: \(f.why)\n\nFix: \(f.fix)")
                out += "</failure>\n"
            }
            out += "    </testcase>\n"
            emit(out)
            out = ""
        }
        emit(out + "  </testsuite>\n</testsuites>\n")
    }

    func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n": out += "&#10;"
            case "\t": out += "&#9;"
            // Control characters and U+FFFE/U+FFFF are not allowed in XML 1.0: shown as visible escapes.
            case let c where ControlEscape.needsEscape(c.value) && c != "\t": out += ControlEscape.escape(String(c))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
