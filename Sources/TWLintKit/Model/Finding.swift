/// One result of a run: which rule, where, and how it explains itself.
public struct Finding: Sendable {
    public let code: String
    public let slug: String
    public var severity: Severity
    public let key: String?
    public let value: String?
    public let location: SourceLocation?
    public let related: [RelatedLocation]
    public let message: String
    public let why: String
    public let fix: String
    public let references: [Reference]
    public let title: String
    /// The conclusion depends on the kernel version and the kernel was assumed (no --kernel): reporters say so
    /// once per run (summary, run property), not in every message.
    public var kernelAssumed = false
    /// The finding rests on the Kubernetes release, and none was named (`--kubernetes`, `kubernetes:`): the newest
    /// released minor was assumed. The report says so once.
    public var kubernetesAssumed = false

    public init(code: String, slug: String, severity: Severity, key: String?, value: String?, location: SourceLocation?,
                related: [RelatedLocation] = [], message: String, why: String, fix: String, references: [Reference], title: String) {
        self.code = code
        self.slug = slug
        self.severity = severity
        self.key = key
        self.value = value
        self.location = location
        self.related = related
        self.message = message
        self.why = why
        self.fix = fix
        self.references = references
        self.title = title
    }

    /// Ordering for reports: by path, line, column, then code.
    static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        let la = a.location, lb = b.location
        return (la?.path ?? "", la?.line ?? 0, la?.column ?? 0, a.code) < (lb?.path ?? "", lb?.line ?? 0, lb?.column ?? 0, b.code)
    }
}
