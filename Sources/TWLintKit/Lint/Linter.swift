import Foundation

/// How a run is configured: the target, what fails it, and what the user turned off or re-rated.
public struct LintOptions: Sendable {
    public var target: Target
    public var failOn: Severity?
    public var disabled: Set<String>
    public var severityOverrides: [String: Severity]
    /// What a directory walk skips and adds (excludes, includes, .gitignore).
    public var walk = WalkOptions()

    public init(target: Target = Target(), failOn: Severity? = .warning, disabled: Set<String> = [], severityOverrides: [String: Severity] = [:]) {
        self.target = target
        self.failOn = failOn
        self.disabled = disabled
        self.severityOverrides = severityOverrides
    }
}

/// The result of a run, ready for a reporter.
public struct LintReport: Sendable {
    public var findings: [Finding]
    public var target: Target
    /// Some input could not be read at all: the exit status is 2.
    public var hadUnreadableInput: Bool
    public var inputsRead: Int
    /// Gauges of the live check (TIME_WAIT sockets, port use, counters) for the Prometheus reporter.
    public var metrics: [Metric] = []
    /// For a system's configuration: the applier whose application was linted.
    public var applier: Applier?

    public var summary: [Severity: Int] {
        var counts: [Severity: Int] = [.error: 0, .warning: 0, .info: 0]
        for f in findings { counts[f.severity, default: 0] += 1 }
        return counts
    }

    /// 0 clean, 1 findings at or above `failOn`, 2 an input could not be read.
    public func exitStatus(failOn: Severity?) -> Int32 {
        if hadUnreadableInput { return 2 }
        guard let failOn else { return 0 }
        return findings.contains { $0.severity >= failOn } ? 1 : 0
    }
}

/// A gauge the live check exports: name, help text, labels, value.
public struct Metric: Sendable {
    public let name: String
    public let help: String
    public let labels: [(String, String)]
    public let value: Double

    public init(name: String, help: String, labels: [(String, String)] = [], value: Double) {
        self.name = name
        self.help = help
        self.labels = labels
        self.value = value
    }
}

/// inputs → settings → effective configuration → rules → findings → suppressions.
public struct Linter {
    public let kb: KnowledgeBase
    let engine: RuleEngine

    public init(kb: KnowledgeBase) {
        self.kb = kb
        self.engine = RuleEngine(kb: kb)
    }

    /// `twlint lint`: the system's effective configuration (when `system`) and then each path on its own.
    public func lint(paths: [String], system: Bool, root: String, options: LintOptions, applier: Applier? = nil) -> LintReport {
        var report = system ? lintSystem(root: root, options: options, applier: applier)
            : LintReport(findings: [], target: options.target, hadUnreadableInput: false, inputsRead: 0)
        if !paths.isEmpty {
            let more = lint(paths: paths, options: options)
            report.findings += more.findings
            report.inputsRead += more.inputsRead
            report.hadUnreadableInput = report.hadUnreadableInput || more.hadUnreadableInput
        }
        return report
    }

    /// Lints files, directories (their `*.conf` files) and `-` (standard input), each file on its own.
    /// Files are linted in parallel; findings come out in the order of the arguments and, within a
    /// directory, of the file names.
    public func lint(paths: [String], options: LintOptions,
                     readStandardInput: () -> Result<Data, InputProblem> = { FileReader.readStandardInput() }) -> LintReport {
        var report = LintReport(findings: [], target: options.target, hadUnreadableInput: false, inputsRead: 0)
        let outcome = lint(paths: paths, options: options, readStandardInput: readStandardInput) { report.findings += $0 }
        report.inputsRead = outcome.inputsRead
        report.hadUnreadableInput = outcome.hadUnreadableInput
        return report
    }

    /// Files linted at once between two deliveries: memory holds at most this many files' data and findings.
    static let batchSize = 64

    /// The streaming form: `deliver` receives each input's findings (a file's, or a problem's) as soon as
    /// they are known and in report order, so nothing accumulates across files. Every read is charged to
    /// `budget` (`FileReader.maxRunBytes` for a run).
    public func lint(paths: [String], options: LintOptions, budget: ReadBudget = ReadBudget(limit: FileReader.maxRunBytes),
                     readStandardInput: () -> Result<Data, InputProblem> = { FileReader.readStandardInput() },
                     deliver: ([Finding]) -> Void) -> (inputsRead: Int, hadUnreadableInput: Bool) {
        var inputsRead = 0
        var unreadable = false
        func fail(_ problem: InputProblem) {
            unreadable = unreadable || problem.unreadable
            deliver(finalize([engine.finding(for: problem, context: emptyContext(options))], options: options))
        }
        for path in paths {
            if path == "-" {
                switch readStandardInput() {
                case .success(let data):
                    // `helm template … | twlint lint -`: findings go to the templates helm names.
                    if let text = String(data: data, encoding: .utf8), Helm.isRendered(text) {
                        deliver(lintHelm(chart: nil, rendered: text, options: options).findings)
                    } else {
                        deliver(lintData(data, path: "<stdin>", options: options, explicit: true) ?? [])
                    }
                    inputsRead += 1
                case .failure(let problem):
                    fail(problem)
                }
                continue
            }
            switch InputWalker.files(at: path, options: options.walk) {
            case .success(let walk):
                // A file named on the command line is always linted; in a walked directory, YAML/JSON that is
                // neither a Kubernetes manifest nor a compose file is passed over.
                let explicit: Set<String> = walk.files == [path] && !options.walk.forceExclude ? [path] : []
                var start = 0
                while start < walk.files.count {
                    let batch = Array(walk.files[start..<Swift.min(start + Linter.batchSize, walk.files.count)])
                    start += batch.count
                    for result in lintFiles(batch, options: options, explicit: explicit, included: walk.included, budget: budget) {
                        switch result {
                        case .success(let findings?):
                            deliver(findings)
                            inputsRead += 1
                        case .success(nil):
                            continue
                        case .failure(let problem):
                            fail(problem)
                        }
                    }
                }
                // Subdirectories that could not be listed: located, and the run's exit status says so.
                walk.problems.forEach(fail)
            case .failure(let problem):
                fail(problem)
            }
        }
        return (inputsRead, unreadable)
    }

    /// Reads and lints files on all cores; results in the order of `files`.
    /// `explicit`: files named on the command line; `included`: walked files an include glob matched, read as named
    /// ones but never opened when they are FIFOs.
    func lintFiles(_ files: [String], options: LintOptions, explicit: Set<String> = [], included: Set<String> = [],
                   budget: ReadBudget? = nil) -> [Result<[Finding]?, InputProblem>] {
        var results = [Result<[Finding]?, InputProblem>?](repeating: nil, count: files.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            // A FIFO is read only when named on the command line (`twlint lint <(cmd)`), never in a walked directory.
            let result = FileReader.read(files[i], budget: budget, allowPipe: explicit.contains(files[i]))
                .map { lintData($0, path: files[i], options: options, explicit: explicit.contains(files[i]) || included.contains(files[i])) }
            lock.lock()
            results[i] = result
            lock.unlock()
        }
        return results.map { $0 ?? .success(nil) }
    }

    private func add(_ findings: [Finding], to report: inout LintReport) {
        report.findings += findings
        report.inputsRead += 1
    }

    static let manifestExtensions: Set<String> = ["yaml", "yml", "json"]

    /// Lints one input by kind: manifests by extension or (for standard input) by content, else sysctl syntax.
    /// Returns nil for a walked YAML/JSON file that is not a manifest twlint understands, and for a walked `.conf`
    /// file that is no sysctl file (`SysctlConf.isSysctlFile`).
    func lintData(_ data: Data, path: String, options: LintOptions, explicit: Bool) -> [Finding]? {
        // Proxy/server configurations and source code that set SO_LINGER (Inputs/Linger, TW5xx).
        switch lintLingerInput(data, path: path, options: options, explicit: explicit) {
        case .findings(let findings): return findings
        case .skip: return nil
        case .notMine: break
        }
        let ext = (path as NSString).pathExtension.lowercased()
        let isManifest = Linter.manifestExtensions.contains(ext)
            || (path == "<stdin>" && Manifest.looksLikeManifest(String(decoding: data.prefix(65536), as: UTF8.self)))
        guard isManifest else {
            if !explicit && ext == "conf" && !SysctlConf.isSysctlFile(path: path, data: data) { return nil }
            return lintFragment(SysctlConf.parse(data, path: path), options: options)
        }
        let parsed = Manifest.parse(data, path: path)
        let linger = lingerInManifest(data, path: path, options: options)
        if !parsed.recognised && !explicit && linger.findings.isEmpty { return nil }
        return lintManifest(parsed, path: path, options: options, walked: !explicit, linger: linger)
    }

    /// A manifest: each workload is its own configuration (a pod's namespaces start fresh), linted once for
    /// the sysctls it asks for and once for what its containers' commands write.
    /// `linger`: SO_LINGER findings from ConfigMap values and Envoy configuration in the same file, and the directives
    /// written inside ConfigMap values; suppressed together with the manifest's own findings.
    func lintManifest(_ parsed: Manifest.Parsed, path: String, options: LintOptions, walked: Bool = false,
                      linger: (findings: [Finding], directives: [Directive]) = ([], [])) -> [Finding] {
        var findings: [Finding] = []
        let problems = EvaluationContext(kb: kb, target: options.target, config: EffectiveConfiguration(), input: .manifest, problems: parsed.problems)
        // A chart template met in a walk is expected there: a warning at most (the user's severity still applies).
        findings += engine.evaluate(problems).map { f in
            var f = f
            if walked && f.code == "TW309" && f.severity > .warning { f.severity = .warning }
            return f
        }
        for w in parsed.workloads {
            var pod = EffectiveConfiguration()
            w.sysctls.forEach { pod.apply($0) }
            var commands = EffectiveConfiguration()
            w.commandSysctls.forEach { commands.apply($0.setting) }
            var mine = engine.evaluate(EvaluationContext(kb: kb, target: options.target, config: pod, input: .manifest, problems: [], workload: w))
            mine += engine.evaluate(EvaluationContext(kb: kb, target: options.target, config: commands, input: .command, problems: [], workload: w))
            // The workload's `twlint.io/ignore` annotation.
            findings += mine.filter { f in !w.ignored.contains(f.code) && !w.ignored.contains(f.slug) }
        }
        // A `#` directive inside a ConfigMap value is also a YAML comment line: the manifest reader has it already.
        findings += linger.findings.filter { f in f.code != "TW911" || !findings.contains { $0.code == "TW911" && $0.location?.line == f.location?.line } }
        var input = ParsedInput(path: path)
        input.directives = parsed.directives + linger.directives.filter { d in !parsed.directives.contains { $0.location.line == d.location.line } }
        let (kept, unused) = Suppression(inputs: [input], known: kb.ruleNames).apply(findings)
        let unusedFindings = unused.map { engine.finding(for: $0, context: problems) }
        return finalize(kept + unusedFindings, options: options).sorted(by: Finding.reportOrder)
    }

    /// Lints text as one sysctl file (used for rule examples and tests).
    public func lint(text: Data, path: String, options: LintOptions) -> [Finding] {
        lintFragment(SysctlConf.parse(text, path: path), options: options)
    }

    /// One input on its own: its settings are the whole configuration the rules see. Findings in line order.
    func lintFragment(_ input: ParsedInput, options: LintOptions) -> [Finding] {
        Linter.sortedForReport(run(inputs: [input], config: EffectiveConfiguration(applying: [input]), problems: input.problems, kind: .sysctl, options: options))
    }

    /// Sorts by `Finding.reportOrder`, moving indices instead of findings (a finding is a dozen strings) and
    /// comparing keys taken once per finding (a comparison of findings copied both); already sorted stays as is.
    static func sortedForReport(_ findings: [Finding]) -> [Finding] {
        let keys = findings.map { f in (path: f.location?.path ?? "", line: f.location?.line ?? 0, column: f.location?.column ?? 0, code: f.code) }
        let order = keys.withUnsafeBufferPointer { k in
            k.indices.sorted { (k[$0].path, k[$0].line, k[$0].column, k[$0].code) < (k[$1].path, k[$1].line, k[$1].column, k[$1].code) }
        }
        return order.elementsEqual(findings.indices) ? findings : order.map { findings[$0] }
    }

    /// `lint --system`: the effective configuration of every file the system applies, under `root`, as
    /// `applier` applies it (default: systemd-sysctl where the root has it, else procps).
    public func lintSystem(root: String, options: LintOptions, applier: Applier? = nil) -> LintReport {
        let state = SystemConfiguration.state(root: root, procRoot: nil, kb: kb, kernel: options.target.kernel, lenient: true)
        let system = SystemConfiguration.load(root: root, applier: applier, state: state, kb: kb)
        var problems = system.problems
        if system.chosen.discovery.files.isEmpty && system.other.discovery.files.isEmpty && system.chosen.unreadable.isEmpty {
            problems.append(InputProblem(code: "TW907", location: SourceLocation(path: RootFS(root: root).hostPath("/etc/sysctl.d"), line: 0),
                detail: "no sysctl.d directory and no /etc/sysctl.conf under \(root): nothing is applied", unreadable: false))
        }
        var findings = run(inputs: system.inputs, config: system.effective, problems: problems, kind: .sysctl, options: options, byApplication: true)
        findings.sort(by: Finding.reportOrder)
        var report = LintReport(findings: findings, target: options.target, hadUnreadableInput: system.unreadable, inputsRead: system.inputs.count)
        report.applier = system.applier
        return report
    }

    /// `lint --merge`: the given files as one sysctl.d configuration (sorted by file name, later wins).
    public func lintMerged(paths: [String], options: LintOptions, applier: Applier = .systemd) -> LintReport {
        var state = KernelState.catalog(kb, kernel: options.target.kernel)
        state.assumeUnknownKeysExist = true
        let (system, _) = SystemConfiguration.merge(paths: paths, applier: applier, state: state, kb: kb)
        var findings = run(inputs: system.inputs, config: system.effective, problems: system.problems, kind: .sysctl, options: options, byApplication: true)
        findings.sort(by: Finding.reportOrder)
        var report = LintReport(findings: findings, target: options.target,
                                hadUnreadableInput: system.problems.contains { $0.unreadable }, inputsRead: system.inputs.count)
        report.applier = applier
        return report
    }

    func run(inputs: [ParsedInput], config: EffectiveConfiguration, problems: [InputProblem], kind: InputKind, options: LintOptions,
             byApplication: Bool = false) -> [Finding] {
        let context = EvaluationContext(kb: kb, target: options.target, config: config, input: kind, problems: problems)
        context.byApplication = byApplication
        let findings = engine.evaluate(context)
        let suppression = Suppression(inputs: inputs, known: kb.ruleNames)
        let (kept, unused) = suppression.apply(findings)
        let unusedFindings = unused.map { engine.finding(for: $0, context: context) }
        return finalize(kept + unusedFindings, options: options)
    }

    func emptyContext(_ options: LintOptions) -> EvaluationContext {
        EvaluationContext(kb: kb, target: options.target, config: EffectiveConfiguration(), input: .sysctl, problems: [])
    }

    /// Applies the user's disabled codes and severity overrides (by code or slug).
    func finalize(_ findings: [Finding], options: LintOptions) -> [Finding] {
        findings.compactMap { f in
            if options.disabled.contains(f.code) || options.disabled.contains(f.slug) { return nil }
            var f = f
            if let s = options.severityOverrides[f.code] ?? options.severityOverrides[f.slug] { f.severity = s }
            return f
        }
    }
}
