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

    public func run(procRoot: String = "/proc", root: String = "/", interval: Double? = nil, applier: Applier? = nil, options: LintOptions) -> LintReport {
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
        var keys = kb.sortedParameters.filter { !$0.key.contains("*") && $0.neverExisted == nil }.map(\.key)
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

        var runtime = RuntimeState.read(proc, interval: interval)
        runtime.unreadable = unreadable + runtime.unreadable
        let context = EvaluationContext(kb: kb, target: target, config: live, input: .live, problems: system.problems,
                                        runtime: runtime, configured: configured)
        var report = LintReport(findings: [], target: target, hadUnreadableInput: false, inputsRead: system.inputs.count + 1)
        report.applier = system.applier
        report.findings = Linter(kb: kb).finalize(engine.evaluate(context), options: options).sorted(by: Finding.reportOrder)
        report.metrics = metrics(runtime, live: live, context: context)
        return report
    }

    /// Gauges for monitoring: TIME_WAIT sockets, the worst destination's share of the ephemeral ports, counters.
    func metrics(_ runtime: RuntimeState, live: EffectiveConfiguration, context: EvaluationContext) -> [Metric] {
        var out: [Metric] = []
        let tw = runtime.sockets.filter { $0.state == .timeWait }.count
        out.append(Metric(name: "twlint_tcp_time_wait_sockets", help: "TCP sockets in TIME_WAIT in the socket tables.", value: Double(tw)))
        if let s = runtime.sockstat?.timeWait {
            out.append(Metric(name: "twlint_tcp_sockstat_tw", help: "TIME_WAIT count from /proc/net/sockstat (includes FIN_WAIT2 minisockets).", value: Double(s)))
        }
        if let p = RuntimeEvaluators.ports(context) {
            out.append(Metric(name: "twlint_ephemeral_ports_usable", help: "Ports in ip_local_port_range minus reserved ones.", value: Double(p.usable)))
            let worst = RuntimeEvaluators.destinationLoads(runtime, p).first
            out.append(Metric(name: "twlint_ephemeral_ports_worst_destination_ratio",
                              help: "Share of usable ephemeral ports held toward the busiest destination (0-1).",
                              labels: worst.map { [("destination", $0.socket.remote)] } ?? [],
                              value: p.usable > 0 ? Double(worst?.count ?? 0) / Double(p.usable) : 0))
        }
        for name in RuntimeEvaluators.counterMeaning.keys.sorted() {
            guard let v = runtime.counters[name] else { continue }
            let parts = name.split(separator: ".")
            out.append(Metric(name: "twlint_tcp_events_total", help: "TCP MIB counters twlint checks (/proc/net/snmp and netstat), since boot.",
                              labels: [("group", String(parts[0])), ("counter", String(parts[1]))], value: Double(v)))
        }
        return out
    }
}
