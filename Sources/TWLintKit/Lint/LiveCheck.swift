import Foundation

/// `twlint check --live`: the host's live sysctl values, its sockets and counters, and drift from the
/// configuration its files would apply. Reads only.
public struct LiveCheck {
    public let kb: KnowledgeBase
    let engine: RuleEngine

    public init(kb: KnowledgeBase) {
        self.kb = kb
        self.engine = RuleEngine(kb: kb)
    }

    public func run(procRoot: String = "/proc", root: String = "/", interval: Double? = nil, applier: Applier? = nil,
                    sockets: SocketReadMethod = .auto, options: LintOptions) -> LintReport {
        let started = DispatchTime.now()
        let proc = ProcReader(root: procRoot)
        var unreadable: [Unreadable] = []
        // A missing or non-directory root is an unreadable input (exit 2), reported once, not as a silent pass.
        if let why = proc.rootProblem() {
            var runtime = RuntimeState()
            runtime.unreadable = [Unreadable(path: procRoot, reason: why, impact: "nothing of the live state was read: no value, socket or counter was checked")]
            let context = EvaluationContext(kb: kb, target: options.target, config: EffectiveConfiguration(), input: .live, problems: [], runtime: runtime)
            var report = LintReport(findings: [], target: options.target, hadUnreadableInput: true, inputsRead: 0)
            report.findings = Linter(kb: kb).finalize(engine.evaluate(context), options: options)
            return report
        }
        var target = options.target
        if !target.kernelExplicit {
            if let running = proc.kernel() {
                target = Target(kernel: running, profile: target.profile, kubernetes: target.kubernetes)
            } else {
                unreadable.append(Unreadable(path: proc.path("sys/kernel/osrelease"), reason: "not readable",
                                             impact: "the running kernel is unknown; Linux \(KernelVersion.newestKnown) was assumed"))
            }
        }

        // The configuration the system's files would apply, for drift.
        // The same application model as `lint --system` and `show`, applied to the live values: values the
        // kernel normalises, glob assignments and masked files give no false drift.
        var state = KernelState.read(procRoot: procRoot)
        state.assumeUnknownKeysExist = true
        let system = SystemConfiguration.load(root: root, applier: applier, state: state, kb: kb)
        let configured = system.effective

        // Live values of every kb key and every configured key.
        // The kb's keys without parsing their entries (a key that never existed is simply missing from /proc/sys).
        var keys = kb.parameterKeys.filter { !$0.contains("*") }.sorted()
        let known = Set(keys)
        keys += configured.winners.filter { !$0.isGlob && !known.contains($0.key) }.map(\.key)
        let (values, unreadableKeys) = proc.sysctls(keys)
        unreadable += unreadableKeys
        var live = EffectiveConfiguration()
        for (key, raw) in values {
            // /proc separates the numbers of multi-value keys with tabs; findings show them as files write them.
            let value = raw.normalisedSysctlValue
            live.apply(Setting(key: key, value: value, location: SourceLocation(path: proc.path(proc.sysctlPath(key) ?? key), line: 0), input: .live))
        }

        let ephemeral = live[RuleEvaluators.portRangeKey].flatMap { RuleEvaluators.portRange($0.value) }.map { $0.low...$0.high }
        var runtime = RuntimeState.read(proc, interval: interval, ephemeral: ephemeral, sockets: sockets)
        runtime.unreadable = unreadable + runtime.unreadable
        let context = EvaluationContext(kb: kb, target: target, config: live, input: .live, problems: system.problems,
                                        runtime: runtime, configured: configured)
        var report = LintReport(findings: [], target: target, hadUnreadableInput: false, inputsRead: system.inputs.count + 1)
        report.applier = system.applier
        report.findings = Linter(kb: kb).finalize(engine.evaluate(context), options: options).sorted(by: Finding.reportOrder)
        report.metrics = LiveMetrics.metrics(runtime, context: context, findings: report.findings,
                                             seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        return report
    }
}
