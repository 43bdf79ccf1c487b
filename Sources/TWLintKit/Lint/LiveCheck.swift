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

    public func run(procRoot: String = "/proc", root: String = "/", interval: Double? = nil, sockets: SocketReadMethod = .auto,
                    options: LintOptions) -> LintReport {
        let started = DispatchTime.now()
        let proc = ProcReader(root: procRoot)
        var unreadable: [Unreadable] = []
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
        let loaded = SysctlSystem(root: root).load()
        let configured = loaded.configuration

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
            live.apply(Setting(key: key, value: value, location: SourceLocation(path: proc.path(proc.sysctlPath(key)), line: 0), input: .live))
        }

        let ephemeral = live[RuleEvaluators.portRangeKey].flatMap { RuleEvaluators.portRange($0.value) }.map { $0.low...$0.high }
        var runtime = RuntimeState.read(proc, interval: interval, ephemeral: ephemeral, sockets: sockets)
        runtime.unreadable = unreadable + runtime.unreadable
        let context = EvaluationContext(kb: kb, target: target, config: live, input: .live, problems: loaded.problems,
                                        runtime: runtime, configured: configured)
        var report = LintReport(findings: [], target: target, hadUnreadableInput: false, inputsRead: loaded.inputs.count + 1)
        report.findings = Linter(kb: kb).finalize(engine.evaluate(context), options: options).sorted(by: Finding.reportOrder)
        report.metrics = LiveMetrics.metrics(runtime, context: context, findings: report.findings,
                                             seconds: Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        return report
    }
}
