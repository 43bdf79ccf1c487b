import Foundation

/// How the kernel parses a write to one sysctl: its proc_handler, the generic parser it goes through,
/// the element type and count, and the bounds. Read from kb/catalog/handlers.xml, which
/// scripts/gen-handlers.py generates from the ctl_table definitions of a Linux source tree.
public struct KernelHandler: Sendable, Equatable {
    /// The element type, from the generic parser in kernel/sysctl.c.
    public enum Kind: String, Sendable {
        /// proc_dointvec* (int, signed): a vector of `count` ints.
        case int
        /// proc_douintvec(_minmax): one unsigned int.
        case uint
        /// proc_dou8vec_minmax: one u8, bounds default to 0…255.
        case u8
        /// proc_doulongvec_minmax (and _ms_jiffies_minmax): a vector of unsigned longs.
        case ulong
        /// proc_dobool: parsed as an int, stored as a bool (any non-zero reads back as 1).
        case bool
        /// proc_dostring: text up to maxlen − 1 bytes.
        case string
        /// proc_do_large_bitmap: comma-separated numbers and ranges.
        case bitmap
        /// A handler the generator could not trace to a generic parser.
        case unknown
    }

    /// A bound from .extra1/.extra2: a number, or a number divided by HZ (`UINT_MAX / HZ`).
    public enum Bound: Sendable, Equatable {
        case value(Int128)
        case perHZ(Int128)

        func resolved(hz: Int) -> Int128 {
            switch self {
            case .value(let v): return v
            case .perHZ(let n): return n / Int128(Swift.max(hz, 1))
            }
        }

        public init?(_ text: String?) {
            guard let text else { return nil }
            if text.hasSuffix("/HZ"), let n = Int128(text.dropLast(3)) { self = .perHZ(n); return }
            guard let v = Int128(text) else { return nil }
            self = .value(v)
        }
    }

    /// The dotted key; an interface family has `*` for the interface.
    public let key: String
    /// The table's .proc_handler (`ipv4_local_port_range`, `proc_dointvec_minmax`).
    public let handler: String
    /// The generic parser the handler goes through (the handler itself when it is generic).
    public let parser: String
    public let kind: Kind
    /// Elements in a vector (`tcp_rmem`: 3).
    public let count: Int
    /// For strings: the buffer size, so at most maxlen − 1 bytes are kept.
    public let maxlen: Int?
    public let min: Bound?
    public let max: Bound?
    /// A bound that is the current value of another sysctl of the namespace (`ipfrag_high_thresh` ≥ `ipfrag_low_thresh`).
    public let minKey: String?
    public let maxKey: String?
    /// A bound the generator found in the table but could not evaluate (it depends on structure sizes).
    public let unresolvedBound: String?
    /// Registered with mode 0444 in every namespace but the initial one (nf_conntrack_max, wmem_max, …).
    public let readOnlyOutsideInitialNamespace: Bool
    /// The entry has no per-namespace data: its handler keeps state shared by all namespaces.
    public let sharedState: Bool
    /// Where a fact does not come from the source tree (a stable update seen by the oracle).
    public let note: String?
    /// Registered per network namespace.
    public let perNetworkNamespace: Bool
    public let readOnly: Bool
    /// Where the table is: `net/ipv4/sysctl_net_ipv4.c`, `ipv4_net_table`.
    public let file: String
    public let table: String

    public init(key: String, handler: String, parser: String? = nil, kind: Kind, count: Int = 1, maxlen: Int? = nil,
                min: Bound? = nil, max: Bound? = nil, minKey: String? = nil, maxKey: String? = nil, unresolvedBound: String? = nil,
                perNetworkNamespace: Bool = true, readOnly: Bool = false, readOnlyOutsideInitialNamespace: Bool = false,
                sharedState: Bool = false, note: String? = nil, file: String = "", table: String = "") {
        self.key = key
        self.handler = handler
        self.parser = parser ?? handler
        self.kind = kind
        self.count = count
        self.maxlen = maxlen
        self.min = min
        self.max = max
        self.minKey = minKey
        self.maxKey = maxKey
        self.unresolvedBound = unresolvedBound
        self.perNetworkNamespace = perNetworkNamespace
        self.readOnly = readOnly
        self.readOnlyOutsideInitialNamespace = readOnlyOutsideInitialNamespace
        self.sharedState = sharedState
        self.note = note
        self.file = file
        self.table = table
    }

    /// The same handler for a concrete key of its family (`net.ipv6.conf.lo.addr_gen_mode`).
    public func instantiated(key: String) -> KernelHandler {
        KernelHandler(key: key, handler: handler, parser: parser, kind: kind, count: count, maxlen: maxlen, min: min, max: max,
                      minKey: minKey, maxKey: maxKey, unresolvedBound: unresolvedBound, perNetworkNamespace: perNetworkNamespace,
                      readOnly: readOnly, readOnlyOutsideInitialNamespace: readOnlyOutsideInitialNamespace, sharedState: sharedState,
                      note: note, file: file, table: table)
    }

    init?(_ e: XMLElement) {
        guard let key = e["key"], let handler = e["handler"] else { return nil }
        self.init(key: key, handler: handler, parser: e["parser"], kind: Kind(rawValue: e["type"] ?? "") ?? .unknown,
                  count: e["count"].flatMap { Int($0) } ?? 1, maxlen: e["maxlen"].flatMap { Int($0) },
                  min: Bound(e["min"]), max: Bound(e["max"]), minKey: e["min-key"], maxKey: e["max-key"],
                  unresolvedBound: e["min-unresolved"] ?? e["max-unresolved"],
                  perNetworkNamespace: e["scope"] == "netns", readOnly: e["read-only"] == "true",
                  readOnlyOutsideInitialNamespace: e["read-only-outside-init"] == "true", sharedState: e["data"] == "none",
                  note: e["note"], file: e["file"] ?? "", table: e["table"] ?? "")
    }
}

/// Every sysctl whose write handler twlint knows, by key and by interface family.
public struct KernelHandlers: Sendable {
    public private(set) var byKey: [String: KernelHandler] = [:]
    /// Where the data was generated from: source URL, commit, kernel version.
    public private(set) var source: (url: String, commit: String, kernel: String)?
    private var familyPrefixes: [String] = []

    public init() {}

    mutating func add(_ e: XMLElement) {
        if let url = e["source"], let commit = e["commit"], let kernel = e["kernel"] { source = (url, commit, kernel) }
        for s in e.children("sysctl") {
            guard let h = KernelHandler(s) else { continue }
            byKey[h.key] = h
            if let star = h.key.firstIndex(of: "*") {
                let prefix = String(h.key[..<star])
                if !familyPrefixes.contains(prefix) { familyPrefixes.append(prefix) }
            }
        }
    }

    /// The handler of a concrete key (`net.ipv4.conf.eth0.rp_filter` through `net.ipv4.conf.*.rp_filter`).
    public func handler(for key: String) -> KernelHandler? {
        if let h = byKey[key] { return h }
        for prefix in familyPrefixes where key.hasPrefix(prefix) {
            let rest = key.utf8.dropFirst(prefix.utf8.count)
            guard let dot = rest.firstIndex(of: UInt8(ascii: ".")), dot != rest.startIndex else { continue }
            if let h = byKey[prefix + "*" + String(Substring(key.utf8[dot...]))] { return h }
        }
        return nil
    }

    public var isEmpty: Bool { byKey.isEmpty }
}
