/// `--format checkstyle`: Checkstyle's XML report, read by Jenkins' warnings-ng, reviewdog, SonarQube and others:
/// one `<file>` per input in report order, one `<error>` per finding, `source` the rule (`twlint.TW101`).
/// Written as the findings arrive: a file's element stays open while its findings keep coming, so nothing
/// is held; a file that comes back later in the run (named twice) gets a second element.
final class CheckstyleReport: StreamingFormat {
    private var started = false
    private var open: String?

    func add(_ findings: [Finding], emit: (String) -> Void) {
        if !started {
            started = true
            emit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n")
        }
        for group in groupedByPath(findings) {
            var out = ""
            if group.path != open {
                if open != nil { out += "  </file>\n" }
                out += "  <file name=\"\(XMLText.escape(group.path))\">\n"
                open = group.path
            }
            for f in group.findings {
                var attributes = ""
                if let l = f.location, l.line > 0 { attributes += " line=\"\(l.line)\" column=\"\(max(l.column, 1))\"" }
                out += "    <error\(attributes) severity=\"\(f.severity.rawValue)\" message=\"\(XMLText.escape(f.message))\" source=\"twlint.\(XMLText.escape(f.code))\"/>\n"
            }
            emit(out)
        }
    }

    func finish(_ totals: RunTotals, emit: (String) -> Void) {
        add([], emit: emit)
        emit((open != nil ? "  </file>\n" : "") + "</checkstyle>\n")
        open = nil
    }
}
