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

/// Everything a condition or evaluator may look at.
public struct EvaluationContext {
    public let kb: KnowledgeBase
    public let target: Target
    public let config: EffectiveConfiguration
    public let input: InputKind
    public let problems: [InputProblem]

    /// The input's own setting of a key.
    public func setting(_ key: String) -> Setting? { config[key] }

    /// The effective value: the input's setting, else the kb's constant default for the target kernel.
    public func value(_ key: String) -> (value: String, fromDefault: Bool)? {
        if let s = config[key] { return (s.value, false) }
        if let d = kb.parameters[key]?.defaultValue(for: target.kernel) { return (d, true) }
        return nil
    }

    /// Field `index` of a multi-value (`32768 60999`), as an integer.
    public func number(_ key: String, field: Int? = nil) -> (value: Int64, fromDefault: Bool)? {
        guard let (v, d) = value(key) else { return nil }
        let fields = v.split(whereSeparator: { $0 == " " || $0 == "\t" })
        let index = field ?? 0
        guard index < fields.count, let n = Int64(fields[index]) else { return nil }
        if field == nil && fields.count != 1 { return nil }
        return (n, d)
    }
}
