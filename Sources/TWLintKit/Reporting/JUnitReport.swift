/// `--format junit`: one test case per finding (a failure), grouped by file through `classname`; a clean run is one
/// passing test case. `tests`, `failures`, `errors` and `skipped` count the children exactly.
struct JUnitReport {
    func write(_ report: LintReport, emit: (String) -> Void) {
        let failures = report.findings.count
        let tests = max(failures, 1)
        let counts = "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\""
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"twlint\" \(counts)>\n"
        out += "  <testsuite name=\"twlint\" \(counts)>\n"
        out += "    <properties>\n"
        out += "      <property name=\"kernel\" value=\"\(XMLText.escape(report.target.kernel.description))\"/>\n"
        out += "      <property name=\"kernel-assumed\" value=\"\(!report.target.kernelExplicit)\"/>\n"
        if let note = report.kernelNote { out += "      <property name=\"kernel-note\" value=\"\(XMLText.escape(note))\"/>\n" }
        if let note = report.kubernetesNote { out += "      <property name=\"kubernetes-note\" value=\"\(XMLText.escape(note))\"/>\n" }
        out += "    </properties>\n"
        if report.findings.isEmpty {
            out += "    <testcase classname=\"twlint\" name=\"no findings\"/>\n"
        }
        emit(out)
        for f in report.findings {
            let path = f.location?.path ?? "twlint"
            let at = f.location.map { $0.line > 0 ? "\($0.path):\($0.line):\($0.column)" : $0.path } ?? "twlint"
            let name = "\(f.code) \(f.slug)" + (f.location.map { $0.line > 0 ? " line \($0.line)" : "" } ?? "") + (f.key.map { " \($0)" } ?? "")
            var text = "\(at): \(f.severity.rawValue) \(f.code) [\(f.slug)] \(f.message)"
            if let object = f.location?.object { text += "\nobject: \(object)" }
            for r in f.related { text += "\nrelated: \(r.location.path)\(r.location.line > 0 ? ":\(r.location.line)" : ""): \(r.note)" }
            text += "\n\nWhy: \(f.why)\n\nFix: \(f.fix)"
            emit("    <testcase classname=\"\(XMLText.escape(path))\" name=\"\(XMLText.escape(name))\">\n"
                + "      <failure type=\"\(f.severity.rawValue)\" message=\"\(XMLText.escape("\(f.code) \(f.message)"))\">\(XMLText.escape(text))</failure>\n"
                + "    </testcase>\n")
        }
        emit("  </testsuite>\n</testsuites>\n")
    }
}
