/// What the rules are evaluated for: the kernel, the host's role, the Kubernetes version.
public struct Target: Sendable {
    public var kernel: KernelVersion
    /// False when the kernel is the assumed newest one rather than given or read from the host.
    public var kernelExplicit: Bool
    public var profile: Profile?
    public var kubernetes: String?

    public init(kernel: KernelVersion? = nil, profile: Profile? = nil, kubernetes: String? = nil) {
        self.kernel = kernel ?? .newestKnown
        self.kernelExplicit = kernel != nil
        self.profile = profile
        self.kubernetes = kubernetes
    }
}

/// What the knowledge base says about one assigned key, looked up once per run of the rules.
public struct KeyFacts {
    public let setting: Setting
    /// The kb parameter (directly or through its interface family).
    public let parameter: Parameter?
    /// In the catalog of existing names.
    public let cataloged: Bool
    /// The module that creates the key, if it is module-gated.
    public let module: String?
}

/// Everything a condition or evaluator may look at. A class: it is handed to every rule.
public final class EvaluationContext {
    public let kb: KnowledgeBase
    public let target: Target
    /// What the kernel holds after the assignments are applied (KernelWrite.effective): the value as /proc/sys
    /// prints it, on the line that put it there. The live host's values are that already.
    public let config: EffectiveConfiguration
    /// The configuration as written, and each assignment's outcome, for the rules that judge the written text
    /// (KernelWrite.rulesOnTheWrittenText).
    public let written: EffectiveConfiguration
    public let applied: [KernelWrite.Applied]
    public let input: InputKind
    public let problems: [InputProblem]
    /// The winning literal (non-glob) assignments, which the evaluators look at; computed once.
    public let literalWinners: [Setting]
    /// `literalWinners` with their knowledge-base facts.
    public let keyFacts: [KeyFacts]
    /// The live check: sockets and counters, and the configuration the files would apply.
    public let runtime: RuntimeState?
    public let configured: EffectiveConfiguration?
    /// Manifests: the workload whose sysctls these are, and the privileged command writes.
    public let workload: Workload?
    /// Proxy/server configurations and source code: the SO_LINGER settings found (TW5xx).
    public var lingerUses: [LingerUse] = []
    /// The files were applied by an applier's model (`lint --system`, `--merge`: SystemConfiguration), whose problems
    /// already carry every write the kernel refuses (TW804, TW921) in the applier's order; `applied` then only
    /// serves the checks of accepted values.
    public var byApplication = false

    public init(kb: KnowledgeBase, target: Target, config: EffectiveConfiguration, input: InputKind, problems: [InputProblem],
                runtime: RuntimeState? = nil, configured: EffectiveConfiguration? = nil, workload: Workload? = nil,
                heldValues: Bool = true) {
        self.workload = workload
        self.runtime = runtime
        self.configured = configured
        self.kb = kb
        self.target = target
        self.written = config
        if heldValues && input != .live {
            let e = KernelWrite.effective(config, kb: kb, kernel: target.kernel, initialNamespace: input != .manifest)
            self.config = e.config
            self.applied = e.applied
        } else {
            self.config = config
            self.applied = []
        }
        self.input = input
        self.problems = problems
        let winners = self.config.winners.filter { !$0.isGlob }
        self.literalWinners = winners
        self.keyFacts = winners.map { s in
            KeyFacts(setting: s, parameter: kb.parameter(for: s.key), cataloged: kb.catalog.contains(s.key), module: kb.catalog.module(for: s.key))
        }
    }

    /// The same context with the configuration as written, for the rules that judge the written text.
    public lazy var writtenView: EvaluationContext = {
        let view = EvaluationContext(kb: kb, target: target, config: written, input: input, problems: problems, runtime: runtime,
                                     configured: configured, workload: workload, heldValues: false, applied: applied)
        view.byApplication = byApplication
        return view
    }()

    private init(kb: KnowledgeBase, target: Target, config: EffectiveConfiguration, input: InputKind, problems: [InputProblem],
                 runtime: RuntimeState?, configured: EffectiveConfiguration?, workload: Workload?, heldValues: Bool, applied: [KernelWrite.Applied]) {
        self.workload = workload
        self.runtime = runtime
        self.configured = configured
        self.kb = kb
        self.target = target
        self.written = config
        self.config = config
        self.applied = applied
        self.input = input
        self.problems = problems
        let winners = config.winners.filter { !$0.isGlob }
        self.literalWinners = winners
        self.keyFacts = winners.map { s in
            KeyFacts(setting: s, parameter: kb.parameter(for: s.key), cataloged: kb.catalog.contains(s.key), module: kb.catalog.module(for: s.key))
        }
    }

    /// The input's own setting of a key.
    public func setting(_ key: String) -> Setting? { config[key] }

    /// The effective value: the input's setting, else the kb's constant default for the target kernel.
    public func value(_ key: String) -> (value: String, fromDefault: Bool)? {
        if let s = config[key] { return (s.value, false) }
        if let d = kb.parameter(named: key)?.defaultValue(for: target.kernel) { return (d, true) }
        return nil
    }

    /// Field `index` of a multi-value (`32768 60999`), as an integer.
    public func number(_ key: String, field: Int? = nil) -> (value: Int64, fromDefault: Bool)? {
        guard let (v, d) = value(key) else { return nil }
        let fields = v.sysctlFields
        let index = field ?? 0
        guard index < fields.count, let n = String(fields[index]).sysctlInteger else { return nil }
        if field == nil && fields.count != 1 { return nil }
        return (n, d)
    }
}
