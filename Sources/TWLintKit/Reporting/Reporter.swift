/// Output formats of `twlint lint` and `twlint check`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, sarif, github, junit, checkstyle, gitlab, prometheus
}

/// Renders a finished report in one format.
public struct Reporter {
    public let format: ReportFormat
    public let style: Style
    /// Show why/fix under each finding in text output.
    public let verbose: Bool

    public init(format: ReportFormat, style: Style = .plain, verbose: Bool = true) {
        self.format = format
        self.style = style
        self.verbose = verbose
    }

    /// The whole report as one string (tests, small outputs).
    public func render(_ report: LintReport, kb: KnowledgeBase) -> String {
        var out = ""
        write(report, kb: kb) { out += $0 }
        return out
    }

    /// Streams the report piece by piece, a finding at a time, to `emit`.
    public func write(_ report: LintReport, kb: KnowledgeBase, emit: (String) -> Void) {
        switch format {
        case .text: TextReport(style: style, verbose: verbose).write(report, emit: emit)
        case .json: JSONReport().write(report, emit: emit)
        case .sarif: SARIFReport(kb: kb).write(report, emit: emit)
        case .github: GitHubReport().write(report, emit: emit)
        case .junit: JUnitReport().write(report, emit: emit)
        case .checkstyle: CheckstyleReport().write(report, emit: emit)
        case .gitlab: GitLabReport().write(report, emit: emit)
        case .prometheus: PrometheusReport().write(report, emit: emit)
        }
    }
}

extension LintReport {
    /// Said once per run when findings rest on an assumed kernel: "N findings assume Linux X; set --kernel …".
    public var kernelNote: String? {
        let n = findings.filter(\.kernelAssumed).count
        guard n > 0 else { return nil }
        return "\(n) finding\(n == 1 ? "" : "s") depend\(n == 1 ? "s" : "") on the kernel version: assuming Linux \(target.kernel); set --kernel for another"
    }
}
