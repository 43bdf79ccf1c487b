/// Where something was read: a file position, a manifest object, or a /proc path.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let column: Int
    /// For manifests: the object path, e.g. `spec.template.spec.securityContext.sysctls[1]`.
    public let object: String?

    public init(path: String, line: Int, column: Int = 1, object: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.object = object
    }

    public var description: String { line > 0 ? "\(path):\(line):\(column)" : path }
}

/// One assignment read from an input: the normalised key, the raw value, where it came from.
public struct Setting: Sendable {
    public let key: String
    /// The key as written (before separator normalisation).
    public let rawKey: String
    public let value: String
    public let location: SourceLocation
    /// The `-` prefix: failures to write are ignored.
    public let ignoreFailure: Bool
    public let input: InputKind
    /// A glob key (`net.ipv4.conf.*.rp_filter`) writes every matching key.
    public let isGlob: Bool
    /// For manifests: the workload that sets it (`Deployment/api`, `compose service web`).
    public let workload: String?

    public init(key: String, rawKey: String? = nil, value: String, location: SourceLocation, ignoreFailure: Bool = false, input: InputKind = .sysctl,
                workload: String? = nil) {
        self.key = key
        self.rawKey = rawKey ?? key
        self.value = value
        self.location = location
        self.ignoreFailure = ignoreFailure
        self.input = input
        self.workload = workload
        self.isGlob = key.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    /// The value split into its whitespace-separated fields (`32768 60999` → two fields).
    public var fields: [Substring] { value.sysctlFields }
}

/// A problem in an input that the parser located: it becomes a finding of the rule with `code`.
public struct InputProblem: Error, Sendable {
    public let code: String
    public let location: SourceLocation
    public let detail: String
    public let key: String?
    public let value: String?
    public let related: [RelatedLocation]
    /// The input could not be read at all (exit status 2).
    public let unreadable: Bool

    public init(code: String, location: SourceLocation, detail: String, key: String? = nil, value: String? = nil,
                related: [RelatedLocation] = [], unreadable: Bool = false) {
        self.code = code
        self.location = location
        self.detail = detail
        self.key = key
        self.value = value
        self.related = related
        self.unreadable = unreadable
    }
}

/// Another place a finding points at: an overridden assignment, the first of two duplicates.
public struct RelatedLocation: Hashable, Sendable {
    public let location: SourceLocation
    public let note: String

    public init(location: SourceLocation, note: String) {
        self.location = location
        self.note = note
    }
}

extension String {
    /// The numbers of a multi-value sysctl (`32768 60999`, /proc's `32768\t60999`), split at blanks.
    var sysctlFields: [Substring] { split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) }

    /// An integer as the kernel's sysctl handlers read it (KernelInteger: decimal, 0x hexadecimal, leading-0 octal,
    /// one `-`, no `+`), when it fits in 64 bits signed; nil for anything the kernel refuses.
    var sysctlInteger: Int64? { KernelInteger.int64(self) }

    /// The value with its fields separated by single spaces, for comparing file and /proc spellings.
    var normalisedSysctlValue: String { sysctlFields.joined(separator: " ") }
}
