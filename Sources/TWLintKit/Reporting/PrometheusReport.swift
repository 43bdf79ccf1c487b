/// `--format prometheus`: text exposition for node_exporter's textfile collector.
/// Only counters are kept while the run goes on: one per rule and severity, however many findings there are.
final class PrometheusReport: StreamingFormat {
    private var byCode: [String: (severity: Severity, count: Int)] = [:]

    func add(_ findings: [Finding], emit: (String) -> Void) {
        for f in findings { byCode[f.code, default: (f.severity, 0)].count += 1 }
    }

    func finish(_ totals: RunTotals, emit: (String) -> Void) {
        emit("# HELP twlint_findings Findings of the last twlint run by rule and severity.\n# TYPE twlint_findings gauge\n")
        for code in byCode.keys.sorted() {
            let e = byCode[code]!
            emit("twlint_findings{code=\"\(code)\",severity=\"\(e.severity.rawValue)\"} \(e.count)\n")
        }
        emit("# HELP twlint_findings_by_severity Findings of the last run by severity.\n# TYPE twlint_findings_by_severity gauge\n")
        for sev in [Severity.error, .warning, .info] {
            emit("twlint_findings_by_severity{severity=\"\(sev.rawValue)\"} \(totals.counts[sev] ?? 0)\n")
        }
        var described = Set<String>()
        for m in totals.metrics {
            if described.insert(m.name).inserted {
                // A `_total` series is a counter; everything else twlint exposes is a gauge.
                emit("# HELP \(m.name) \(m.help)\n# TYPE \(m.name) \(m.name.hasSuffix("_total") ? "counter" : "gauge")\n")
            }
            let labels = m.labels.isEmpty ? "" : "{" + m.labels.map { "\($0.0)=\"\(PrometheusReport.escape($0.1))\"" }.joined(separator: ",") + "}"
            emit("\(m.name)\(labels) \(PrometheusReport.number(m.value))\n")
        }
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            // Other control characters from input (a label value read from /proc) are made visible.
            default: out += ControlEscape.escape(String(ch))
            }
        }
        return out
    }
}
