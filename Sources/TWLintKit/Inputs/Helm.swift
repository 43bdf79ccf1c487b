import Foundation

/// `twlint lint CHART --helm`: the chart rendered by `helm template`, linted as manifests, with every finding
/// mapped back to the template file helm names in its `# Source: CHART/templates/FILE` comments.
public enum Helm {
    public struct RenderError: Error, CustomStringConvertible {
        public let description: String
    }

    /// One rendered document and the template it came from (`CHART/templates/x.yaml` as helm writes it).
    public struct Document: Equatable {
        public let source: String?
        public let text: String
    }

    /// Runs `helm template CHART` (helm found on PATH) and returns what it printed.
    public static func render(chart: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<String, RenderError> {
        let searchPath = environment["PATH"] ?? "/usr/bin:/bin"
        guard let helm = searchPath.split(separator: ":").map({ $0 + "/helm" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return .failure(RenderError(description: "--helm needs helm on PATH, and it is not installed; install helm, or render the chart yourself: helm template RELEASE \(chart) | twlint lint -"))
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helm)
        process.arguments = ["template", chart]
        process.environment = environment
        let out = Pipe()
        // helm's messages go to a temporary file, so a chatty helm cannot block on a full pipe.
        let errPath = FileManager.default.temporaryDirectory.appendingPathComponent("twlint-helm-\(UUID().uuidString).err").path
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: errPath)
        do { try process.run() } catch { return .failure(RenderError(description: "cannot run \(helm): \(error)")) }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        guard process.terminationStatus == 0 else {
            return .failure(RenderError(description: "helm template \(chart) failed (exit \(process.terminationStatus)): \(String(decoding: errData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))"))
        }
        return .success(String(decoding: data, as: UTF8.self))
    }

    /// Whether text is `helm template` output: a document led by a `# Source:` comment.
    public static func isRendered(_ text: String) -> Bool {
        text.hasPrefix("# Source: ") || text.contains("\n# Source: ")
    }

    /// Splits helm's output into documents at `---` lines, each with the template its `# Source:` comment names.
    public static func split(_ rendered: String) -> [Document] {
        var documents: [Document] = []
        var source: String?
        var lines: [Substring] = []
        func flush() {
            let text = lines.joined(separator: "\n")
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { documents.append(Document(source: source, text: text + "\n")) }
            lines = []
            source = nil
        }
        for line in rendered.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "---" || line.hasPrefix("--- ") { flush(); continue }
            if source == nil, line.hasPrefix("# Source: ") { source = String(line.dropFirst("# Source: ".count)).trimmingCharacters(in: .whitespaces) }
            lines.append(line)
        }
        flush()
        return documents
    }

    /// `CHART-NAME/templates/x.yaml` (as helm names it) → the file under the chart directory given.
    public static func templatePath(source: String, chart: String) -> String {
        let parts = source.split(separator: "/")
        guard parts.count > 1 else { return (chart as NSString).appendingPathComponent(source) }
        return (chart as NSString).appendingPathComponent(parts.dropFirst().joined(separator: "/"))
    }

    /// The template line a rendered line came from: the first template line with the same text, else the first
    /// that names `key`; 0 (the whole file) when neither is found, e.g. when the text came from values.
    public static func templateLine(rendered: String, key: String?, template: String) -> Int {
        let wanted = rendered.trimmingCharacters(in: .whitespaces)
        let lines = template.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if !wanted.isEmpty, let i = lines.firstIndex(of: wanted) { return i + 1 }
        if let key, !key.isEmpty, let i = lines.firstIndex(where: { $0.contains(key) }) { return i + 1 }
        return 0
    }
}

extension Linter {
    /// Renders and lints each chart; the first chart helm cannot render ends the run with its error.
    public func lintHelm(charts: [String], options: LintOptions,
                         render: (String) -> Result<String, Helm.RenderError> = { Helm.render(chart: $0) }) -> Result<LintReport, Helm.RenderError> {
        var report = LintReport(findings: [], target: options.target, hadUnreadableInput: false, inputsRead: 0)
        for chart in charts {
            switch render(chart) {
            case .success(let rendered):
                let one = lintHelm(chart: Optional(chart), rendered: rendered, options: options)
                report.findings += one.findings
                report.inputsRead += one.inputsRead
            case .failure(let e): return .failure(e)
            }
        }
        return .success(report)
    }

    /// Lints `helm template` output for a chart: each document as a manifest, findings on the template files.
    /// With no chart (the output came on standard input), a template is looked up as helm names it and, failing
    /// that, below the working directory as if it were the chart (`helm template . | twlint lint -`).
    public func lintHelm(chart: String?, rendered: String, options: LintOptions) -> LintReport {
        var report = LintReport(findings: [], target: options.target, hadUnreadableInput: false, inputsRead: 0)
        for document in Helm.split(rendered) {
            let renderedName = document.source.map { "\(chart ?? "<stdin>") (rendered \($0))" } ?? (chart.map { "\($0) (rendered)" } ?? "<stdin>")
            let parsed = Manifest.parse(Data(document.text.utf8), path: renderedName)
            guard parsed.recognised else { continue }
            report.inputsRead += 1
            let renderedLines = document.text.split(separator: "\n", omittingEmptySubsequences: false)
            let templateFile = document.source.map { source in
                chart.map { Helm.templatePath(source: source, chart: $0) }
                    ?? [source, source.split(separator: "/").dropFirst().joined(separator: "/")].first { FileManager.default.fileExists(atPath: $0) } ?? source
            }
            let templateText = templateFile.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            for f in lintManifest(parsed, path: renderedName, options: options) {
                guard let file = templateFile, let location = f.location else { report.findings.append(f); continue }
                let rendered = location.line > 0 && location.line <= renderedLines.count ? String(renderedLines[location.line - 1]) : ""
                let line = templateText.map { Helm.templateLine(rendered: rendered, key: f.key, template: $0) } ?? 0
                report.findings.append(Finding(code: f.code, slug: f.slug, severity: f.severity, key: f.key, value: f.value,
                    location: SourceLocation(path: file, line: line, column: line > 0 ? location.column : 1, object: location.object),
                    related: f.related, message: f.message, why: f.why, fix: f.fix, references: f.references, title: f.title))
            }
        }
        report.findings.sort(by: Finding.reportOrder)
        return report
    }
}
