/// Items a kb entry or rule points to.
public struct RelatedItems: Equatable, Sendable {
    public var parameters: [String] = []
    public var topics: [String] = []
    public var rules: [String] = []

    init(_ element: XMLElement?) {
        for child in element?.children ?? [] {
            switch child.name {
            case "param": child["key"].map { parameters.append($0) }
            case "topic": child["id"].map { topics.append($0) }
            case "rule": child["code"].map { rules.append($0) }
            default: break
            }
        }
    }

    public init() {}
}

/// One sysctl parameter of the knowledge base.
public final class Parameter: @unchecked Sendable {
    public enum ValueType: String, Sendable {
        case bool, int, `enum`, intPair = "int-pair", intList = "int-list", string, portList = "port-list"
    }

    public enum Scope: String, Sendable {
        case netns, global, ipcns
    }

    public struct Value: Sendable {
        public let value: String
        let element: XMLElement
        public let since: KernelVersion?
        public var meaning: Inline { ProseReader.inline(element) }
    }

    public struct Default: Sendable {
        public let value: String
        public let since: KernelVersion?
        /// What backs `since` (schema attribute group Evidence): commit, evidence, tree.
        public var evidence: [String: String] = [:]
    }

    public struct VersionNote: Sendable {
        public let version: KernelVersion
        let element: XMLElement
        public var note: Inline { ProseReader.inline(element) }
        /// What backs the version (schema attribute group Evidence): commit, evidence, tree.
        public var evidence: [String: String] { element.attributes.filter { ["commit", "evidence", "tree"].contains($0.key) } }
    }

    public struct Kubernetes: Sendable {
        public let safeSince: String?
        public let minKernel: KernelVersion?
        public let baselineSince: String?
    }

    public let key: String
    public let aliases: [String]
    public let type: ValueType
    public let count: Int?
    public let unit: String?
    public let min: Int64?
    public let max: Int64?
    public let rangeEnforced: Bool
    public let values: [Value]
    public let defaults: [Default]
    /// How the kernel computes the default, when it is not a constant.
    public var computedDefault: Inline? { computedElement.map(ProseReader.inline) }
    private let computedElement: XMLElement?
    public let since: VersionNote?
    public let changes: [VersionNote]
    public let removed: VersionNote?
    /// The key exists but does nothing from this version on.
    public let ineffective: VersionNote?
    /// Set when no mainline kernel ever had the key (`net.ipv4.tcp_nodelay`).
    public var neverExisted: Inline? { neverElement.map(ProseReader.inline) }
    private let neverElement: XMLElement?
    public let scope: Scope
    public let scopeSince: KernelVersion?
    public let kubernetes: Kubernetes?
    public let summary: String
    // Prose is read from the XML when asked for (explain), not at start-up: linting never needs it.
    public var description: [Block] { descriptionElement.map(ProseReader.blocks) ?? [] }
    public var caveats: [Inline] { caveatElements.map(ProseReader.inline) }
    private let descriptionElement: XMLElement?
    private let caveatElements: [XMLElement]
    public let related: RelatedItems
    public let references: [Reference]
    /// Where the entry was read from.
    public let path: String

    /// The last dotted component, which people use as a short name (`tcp_tw_reuse`).
    public var shortName: String { Parameter.shortName(of: key) }
    /// The last part of a key (`tcp_tw_reuse`), without parsing its entry.
    /// (The last non-empty part, as `key.split(separator: ".").last` gives it, without building the parts.)
    static func shortName(of key: String) -> String {
        let u = key.utf8, dot = UInt8(ascii: ".")
        guard let last = u.lastIndex(where: { $0 != dot }) else { return key }
        let end = u.index(after: last)
        let start = u[..<end].lastIndex(of: dot).map { u.index(after: $0) } ?? u.startIndex
        return String(Substring(u[start..<end]))
    }

    init(_ e: XMLElement, path: String) {
        func version(_ s: String?) -> KernelVersion? { s.flatMap(KernelVersion.init) }
        func note(_ n: XMLElement?) -> VersionNote? {
            guard let n, let v = version(n["version"]) else { return nil }
            return VersionNote(version: v, element: n)
        }
        key = e["key"] ?? ""
        aliases = e.child("aliases")?.children("alias").map(\.text) ?? []
        let typeElement = e.child("type")
        type = ValueType(rawValue: typeElement?.text ?? "") ?? .string
        count = typeElement?["count"].flatMap { Int($0) }
        unit = e.child("unit")?.text
        let range = e.child("range")
        min = range?["min"].flatMap { Int64($0) }
        max = range?["max"].flatMap { Int64($0) }
        rangeEnforced = range?["enforced"].map { $0 == "true" || $0 == "1" } ?? true
        values = e.child("values")?.children("value").map {
            Value(value: $0["v"] ?? "", element: $0, since: version($0["since"]))
        } ?? []
        let defaultsElement = e.child("defaults")
        defaults = defaultsElement?.children("default").map {
            Default(value: $0["value"] ?? "", since: version($0["since"]),
                    evidence: $0.attributes.filter { ["commit", "evidence", "tree"].contains($0.key) })
        } ?? []
        computedElement = defaultsElement?.child("computed")
        let history = e.child("history")
        since = note(history?.child("since"))
        changes = history?.children("change").compactMap(note) ?? []
        removed = note(history?.child("removed"))
        ineffective = note(history?.child("ineffective"))
        neverElement = history?.child("never-existed")
        let scopeElement = e.child("scope")
        scope = Scope(rawValue: scopeElement?.text ?? "") ?? .global
        scopeSince = version(scopeElement?["since"])
        kubernetes = e.child("kubernetes").map {
            Kubernetes(safeSince: $0["safe-since"], minKernel: version($0["min-kernel"]), baselineSince: $0["baseline-since"])
        }
        summary = e.child("summary")?.text ?? ""
        descriptionElement = e.child("description")
        caveatElements = e.child("caveats")?.children("caveat") ?? []
        related = RelatedItems(e.child("related"))
        references = .read(e.child("references"))
        self.path = path
    }

    /// The constant default on `kernel`, or nil when the kernel computes it (from memory, hash sizes…)
    /// or the key does not exist there.
    public func defaultValue(for kernel: KernelVersion) -> String? {
        guard computedElement == nil, exists(on: kernel) else { return nil }
        return defaultEntry(for: kernel)?.value
    }

    /// The default for `kernel` including the typical value of a computed default.
    public func typicalDefault(for kernel: KernelVersion) -> String? {
        defaultEntry(for: kernel)?.value
    }

    private func defaultEntry(for kernel: KernelVersion) -> Default? {
        defaults.first { d in d.since.map { $0 <= kernel } ?? true }
    }

    /// Whether the key exists on `kernel` (between its first release, where known, and its removal).
    public func exists(on kernel: KernelVersion) -> Bool {
        if neverElement != nil { return false }
        if let removed, kernel >= removed.version { return false }
        if let since, kernel < since.version { return false }
        return true
    }

    /// A value as the kernel prints it in /proc/sys: the numbers of a pair or list separated by tabs.
    public func printed(_ value: String) -> String {
        guard type == .intPair || type == .intList else { return value }
        return value.sysctlFields.joined(separator: "\t")
    }

}

extension Parameter: KnowledgeFileEntry {}
