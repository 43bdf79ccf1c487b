import Dispatch

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
        withoutActuallyEscaping(emit) { emit in
            let stream = ReportStream(reporter: self, kb: kb, target: report.target, emit: emit)
            stream.applier = report.applier
            stream.add(report.findings)
            stream.finish(inputsRead: report.inputsRead, metrics: report.metrics)
        }
    }
}

/// A report written while the run goes on: findings are passed in file by file and written at once, so memory
/// does not grow with the number of findings in any format. What a format says about the whole run (SARIF's
/// rule table, JUnit's run properties, Prometheus' totals) is kept as counters bounded by the number of rules and
/// written by `finish`; JUnit and Checkstyle hold at most the findings of the file being written.
public final class ReportStream {
    let reporter: Reporter
    let kb: KnowledgeBase
    let emit: (String) -> Void
    public let target: Target
    private var text: TextReport
    private var started = false
    private var written = 0
    /// SARIF, JUnit, Checkstyle, GitLab and Prometheus.
    private let writer: StreamingFormat?
    /// JSON findings not yet rendered: rendered in parallel a batch at a time, then written in order.
    /// Kept as the deliveries themselves (no copy of each finding into one array).
    private var pendingJSON: [[Finding]] = []
    private var pendingJSONCount = 0
    static let jsonBatch = 2048

    /// One output buffer per parallel chunk, kept between batches (fresh large buffers would be page-faulted in
    /// again on every batch).
    private var jsonBuffers: [[UInt8]] = []

    private func renderPendingJSON() {
        guard pendingJSONCount > 0 else { return }
        let chunk = 256
        let chunks = (pendingJSONCount + chunk - 1) / chunk
        while jsonBuffers.count < chunks {
            jsonBuffers.append([])
            jsonCaches.append(JSONReport.Cache())
        }
        // Where each delivery starts in the run of pending findings: a chunk finds its first finding by search.
        var starts: [Int] = []
        starts.reserveCapacity(pendingJSON.count)
        var total = 0
        for d in pendingJSON {
            starts.append(total)
            total += d.count
        }
        let first = written == 0
        let json = JSONReport(docsURL: reporter.docsURL)
        let caches = jsonCaches, deliveries = pendingJSON
        jsonBuffers.withUnsafeMutableBufferPointer { out in
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let cache = caches[c]
                out[c].removeAll(keepingCapacity: true)
                let lower = c * chunk, upper = Swift.min(lower + chunk, total)
                // The last delivery that starts at or before `lower`.
                var d = 0, hi = starts.count - 1
                while d < hi {
                    let mid = (d + hi + 1) / 2
                    if starts[mid] <= lower { d = mid } else { hi = mid - 1 }
                }
                var i = lower
                while i < upper {
                    let delivery = deliveries[d]
                    let offset = i - starts[d]
                    if offset >= delivery.count { d += 1; continue }
                    out[c].append(first && i == 0 ? 0x5B : 0x2C)
                    out[c].append(0x0A)
                    out[c].append(contentsOf: repeatElement(0x20, count: 4))
                    json.append(delivery[offset], into: &out[c], cache: cache)
                    i += 1
                }
            }
        }
        written += pendingJSONCount
        pendingJSON.removeAll(keepingCapacity: true)
        pendingJSONCount = 0
        for c in 0..<chunks { emitBytes(jsonBuffers[c]) }
    }
    /// Escaped rule texts, one cache per chunk slot (parallel chunks never share one), kept for the run.
    private var jsonCaches: [JSONReport.Cache] = []
    /// Writes bytes already encoded as UTF-8 (JSON), when the sink takes them.
    private let bytesSink: (([UInt8]) -> Void)?

    private func emitBytes(_ bytes: [UInt8]) {
        if let bytesSink { bytesSink(bytes) } else { emit(String(decoding: bytes, as: UTF8.self)) }
    }
    /// Findings per severity (error, warning, info): plain counters, no hashing per finding.
    private var tally = (error: 0, warning: 0, info: 0)
    public var counts: [Severity: Int] { [.error: tally.error, .warning: tally.warning, .info: tally.info] }
    /// Findings that rest on the assumed kernel version (said once, not in each finding).
    private var kernelAssumed = 0
    /// Findings that rest on the assumed Kubernetes release (the summary then names it once).
    private var kubernetesAssumed = 0
    /// The applier whose application the report describes (`lint --system`, `--merge`), named in the summary.
    public var applier: Applier?

    public convenience init(reporter: Reporter, kb: KnowledgeBase, target: Target, emit: @escaping (String) -> Void) {
        self.init(reporter: reporter, kb: kb, target: target, emit: emit, bytes: nil)
    }

    /// Writes to `output` directly (JSON skips a round trip through String).
    public convenience init(reporter: Reporter, kb: KnowledgeBase, target: Target, output: OutputBuffer) {
        self.init(reporter: reporter, kb: kb, target: target, emit: output.write, bytes: output.write(bytes:))
    }

    private init(reporter: Reporter, kb: KnowledgeBase, target: Target, emit: @escaping (String) -> Void, bytes: (([UInt8]) -> Void)?) {
        self.reporter = reporter
        self.kb = kb
        self.target = target
        self.emit = emit
        self.bytesSink = bytes
        self.text = TextReport(style: reporter.style, verbose: reporter.verbose, docsURL: reporter.docsURL)
        switch reporter.format {
        case .text, .json, .github: writer = nil
        case .sarif: writer = SARIFReport(kb: kb, docsURL: reporter.docsURL)
        case .junit: writer = JUnitReport()
        case .checkstyle: writer = CheckstyleReport()
        case .gitlab: writer = GitLabReport()
        case .prometheus: writer = PrometheusReport()
        }
    }

    /// Findings so far.
    public var findingCount: Int { tally.error + tally.warning + tally.info }

    /// Whether a finding at or above `severity` was added.
    public func hasFinding(atOrAbove severity: Severity) -> Bool {
        counts.contains { $0.key >= severity && $0.value > 0 }
    }

    public func add(_ findings: [Finding]) {
        for f in findings {
            switch f.severity {
            case .error: tally.error += 1
            case .warning: tally.warning += 1
            case .info: tally.info += 1
            }
            if f.kernelAssumed { kernelAssumed += 1 }
            if f.kubernetesAssumed { kubernetesAssumed += 1 }
        }
        switch reporter.format {
        case .text:
            for f in findings { emit(text.finding(f)) }
        case .json:
            if !started {
                started = true
                emit(JSONReport().header(target, applier: applier))
            }
            if !findings.isEmpty {
                pendingJSON.append(findings)
                pendingJSONCount += findings.count
            }
            if pendingJSONCount >= ReportStream.jsonBatch { renderPendingJSON() }
        case .github:
            for f in findings { emit(GitHubReport.line(f)) }
        case .sarif, .junit, .checkstyle, .gitlab, .prometheus:
            writer?.add(findings, emit: emit)
        }
    }

    public func finish(inputsRead: Int, metrics: [Metric] = []) {
        switch reporter.format {
        case .text:
            emit(text.summary(counts, inputsRead: inputsRead, target: target, kubernetesAssumed: kubernetesAssumed > 0, applier: applier))
        case .json:
            if !started { emit(JSONReport().header(target, applier: applier)) }
            renderPendingJSON()
            emit(written > 0 ? "\n  ]" : "[]")
            emit(JSONReport().footer(counts))
        case .github:
            // Once, not in every annotation.
            if let note = LintReport.kernelNote(assumed: kernelAssumed, target: target) { emit(GitHubReport.notice(note)) }
            if let note = LintReport.kubernetesNote(assumed: kubernetesAssumed) { emit(GitHubReport.notice(note)) }
        case .sarif, .junit, .checkstyle, .gitlab, .prometheus:
            writer?.finish(RunTotals(target: target, counts: counts, kernelAssumed: kernelAssumed, kubernetesAssumed: kubernetesAssumed,
                                     metrics: metrics), emit: emit)
        }
    }
}

/// What a streamed format may say about the whole run once its findings are written: counts, not findings.
struct RunTotals {
    let target: Target
    let counts: [Severity: Int]
    let kernelAssumed: Int
    let kubernetesAssumed: Int
    let metrics: [Metric]

    var findings: Int { counts.values.reduce(0, +) }
    var kernelNote: String? { LintReport.kernelNote(assumed: kernelAssumed, target: target) }
    var kubernetesNote: String? { LintReport.kubernetesNote(assumed: kubernetesAssumed) }
}

/// A report format written a delivery (one input's findings) at a time. It keeps only what is bounded by the
/// rules or by one file, never the run's findings.
protocol StreamingFormat: AnyObject {
    func add(_ findings: [Finding], emit: (String) -> Void)
    func finish(_ totals: RunTotals, emit: (String) -> Void)
}

extension Finding {
    /// The file a finding is grouped under in per-file formats (JUnit, Checkstyle, GitLab); "twlint" for a
    /// finding about the run itself.
    var reportPath: String { location?.path ?? "twlint" }
}

/// A delivery's findings grouped by file, files in order of first appearance (a delivery is one input, so
/// this holds at most one input's findings).
func groupedByPath(_ findings: [Finding]) -> [(path: String, findings: [Finding])] {
    var groups: [(path: String, findings: [Finding])] = []
    var index: [String: Int] = [:]
    for f in findings {
        let path = f.reportPath
        if let i = index[path] {
            groups[i].findings.append(f)
        } else {
            index[path] = groups.count
            groups.append((path, [f]))
        }
    }
    return groups
}

/// A pretty-printed JSON array written an element at a time: the bytes of `JSON.array(items).render(indent:)`
/// for an array whose `[` stands at column `indent`, without holding the items.
struct JSONArrayWriter {
    let indent: Int
    private(set) var count = 0

    init(indent: Int) { self.indent = indent }

    mutating func element(_ value: JSON) -> String {
        defer { count += 1 }
        return (count == 0 ? "[\n" : ",\n") + String(repeating: " ", count: indent + 2) + value.render(indent: indent + 2)
    }

    func close() -> String { count == 0 ? "[]" : "\n" + String(repeating: " ", count: indent) + "]" }
}

extension LintReport {
    /// Said once per run when findings rest on an assumed kernel: "N findings assume Linux X; set --kernel …".
    public var kernelNote: String? { LintReport.kernelNote(assumed: findings.filter(\.kernelAssumed).count, target: target) }

    static func kernelNote(assumed n: Int, target: Target) -> String? {
        guard n > 0 else { return nil }
        return "\(n) finding\(n == 1 ? "" : "s") depend\(n == 1 ? "s" : "") on the kernel version: assuming Linux \(target.kernel); set --kernel for another"
    }

    /// Said once per run when findings rest on an assumed Kubernetes release (the newest released minor).
    public var kubernetesNote: String? {
        LintReport.kubernetesNote(assumed: findings.filter(\.kubernetesAssumed).count)
    }

    static func kubernetesNote(assumed n: Int) -> String? {
        guard n > 0, let newest = KnowledgeBase.shipped.kubernetesReleases.newestReleased else { return nil }
        return "\(n) finding\(n == 1 ? "" : "s") depend\(n == 1 ? "s" : "") on the Kubernetes release: assuming Kubernetes \(newest.description), the newest release; set --kubernetes for another"
    }
}
