/// Output formats of `twlint lint` and `twlint check`.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, sarif, github, junit
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

    public func render(_ report: LintReport, kb: KnowledgeBase) -> String {
        switch format {
        case .text: return TextReport(style: style, verbose: verbose).render(report)
        case .json: return JSONReport().render(report).render() + "\n"
        case .sarif: return SARIFReport(kb: kb).render(report).render() + "\n"
        case .github: return GitHubReport().render(report)
        case .junit: return JUnitReport().render(report)
        }
    }
}
