/// Output formats of `twlint lint` and `twlint check`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, sarif, github, junit, prometheus
}

/// Renders a finished report in one format.
public struct Reporter {
    public let format: ReportFormat
    public let style: Style
    /// Show why/fix under each finding in text output.
    public let verbose: Bool
    /// Base URL of the published documentation site: findings link to their rule's page there.
    public var docsURL: String?

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
        case .text: TextReport(style: style, verbose: verbose, docsURL: docsURL).write(report, emit: emit)
        case .json: JSONReport(docsURL: docsURL).write(report, emit: emit)
        case .sarif: SARIFReport(kb: kb, docsURL: docsURL).write(report, emit: emit)
        case .github: GitHubReport().write(report, emit: emit)
        case .junit: JUnitReport().write(report, emit: emit)
        case .prometheus: PrometheusReport().write(report, emit: emit)
        }
    }
}
