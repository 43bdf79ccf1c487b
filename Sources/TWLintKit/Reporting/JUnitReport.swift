/// `--format junit`: one test case per finding (a failure) in one test suite per file, written when the file's
/// findings are complete, so that only one file's findings are ever held. The suites' `tests`, `failures`,
/// `errors` and `skipped` count their children exactly; `testsuites` carries no counts (they are optional, and
/// CI readers add up the suites). A last suite named "twlint" describes the run (kernel, notes, the number of
/// findings); in a clean run it holds the one passing test case.
final class JUnitReport: StreamingFormat {
    private var started = false
    /// The file whose suite is open, and its test cases so far.
    private var open: String?
    private var cases: [String] = []

    func add(_ findings: [Finding], emit: (String) -> Void) {
        if !started {
            started = true
            emit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"twlint\">\n")
        }
        for group in groupedByPath(findings) {
            if group.path != open { close(emit: emit) }
            open = group.path
            cases += group.findings.map(testcase)
        }
    }

    private func close(emit: (String) -> Void) {
        guard let path = open else { return }
        emit("  <testsuite name=\"\(XMLText.escape(path))\" \(JUnitReport.counts(tests: cases.count, failures: cases.count))>\n")
        for c in cases { emit(c) }
        emit("  </testsuite>\n")
        open = nil
        cases.removeAll(keepingCapacity: true)
    }

    func finish(_ totals: RunTotals, emit: (String) -> Void) {
        add([], emit: emit)
        close(emit: emit)
        let clean = totals.findings == 0
        var out = "  <testsuite name=\"twlint\" \(JUnitReport.counts(tests: clean ? 1 : 0, failures: 0))>\n"
        out += "    <properties>\n"
        out += "      <property name=\"kernel\" value=\"\(XMLText.escape(totals.target.kernel.description))\"/>\n"
        out += "      <property name=\"kernel-assumed\" value=\"\(!totals.target.kernelExplicit)\"/>\n"
        out += "      <property name=\"findings\" value=\"\(totals.findings)\"/>\n"
        if let note = totals.kernelNote { out += "      <property name=\"kernel-note\" value=\"\(XMLText.escape(note))\"/>\n" }
        if let note = totals.kubernetesNote { out += "      <property name=\"kubernetes-note\" value=\"\(XMLText.escape(note))\"/>\n" }
        out += "    </properties>\n"
        if clean { out += "    <testcase classname=\"twlint\" name=\"no findings\"/>\n" }
        emit(out + "  </testsuite>\n</testsuites>\n")
    }

    static func counts(tests: Int, failures: Int) -> String {
        "tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\""
    }

    /// A rule's why and fix, escaped once: most of a failure's text, repeated in every finding of the rule.
    private var escapedRuleText: [String: (why: String, fix: String, escaped: String)] = [:]

    func testcase(_ f: Finding) -> String {
        let at = f.location.map { $0.line > 0 ? "\($0.path):\($0.line):\($0.column)" : $0.path } ?? "twlint"
        let name = "\(f.code) \(f.slug)" + (f.location.map { $0.line > 0 ? " line \($0.line)" : "" } ?? "") + (f.key.map { " \($0)" } ?? "")
        var text = "\(at): \(f.severity.rawValue) \(f.code) [\(f.slug)] \(f.message)"
        if let object = f.location?.object { text += "\nobject: \(object)" }
        for r in f.related { text += "\nrelated: \(r.location.path)\(r.location.line > 0 ? ":\(r.location.line)" : ""): \(r.note)" }
        // Escaping works a character at a time, so the escaped parts joined are the escaped whole.
        let ruleText: String
        if let cached = escapedRuleText[f.code], cached.why == f.why, cached.fix == f.fix {
            ruleText = cached.escaped
        } else {
            ruleText = XMLText.escape("\n\nWhy: \(f.why)\n\nFix: \(f.fix)")
            escapedRuleText[f.code] = (f.why, f.fix, ruleText)
        }
        return "    <testcase classname=\"\(XMLText.escape(f.reportPath))\" name=\"\(XMLText.escape(name))\">\n"
            + "      <failure type=\"\(f.severity.rawValue)\" message=\"\(XMLText.escape("\(f.code) \(f.message)"))\">\(XMLText.escape(text))\(ruleText)</failure>\n"
            + "    </testcase>\n"
    }
}
