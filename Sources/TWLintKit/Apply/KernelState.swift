import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the kernel does with one write to a /proc/sys file.
public enum WriteOutcome: Sendable, Equatable {
    /// The write succeeded; the file now reads `held` (as /proc prints it, without the newline).
    case accepted(held: String)
    /// The write failed with `errno`; the previous value stays.
    case rejected(errno: Int32, reason: String)
    /// The write failed with `errno` after the first elements of a vector were stored: the file reads `held`.
    case partial(held: String, errno: Int32, reason: String)
}

/// The kernel's write semantics per parameter: given the text written and the current value, the value held
/// afterwards or the error. The full model (every handler type) lives in `KernelWrite`; the application
/// model only needs this.
public protocol KernelWriter: Sendable {
    /// `written` is the text the applier writes before its newline; `lookup` gives other keys' current
    /// values (dotted key → value) for cross-checked parameters.
    func write(key: String, written: String, current: String?, lookup: @escaping @Sendable (String) -> String?) -> WriteOutcome
}

/// The kernel write model (`KernelWrite`, Linux 6.18 handlers from kb/catalog/handlers.xml) as the
/// application model uses it: the applier's text plus its newline, in one write(2).
public struct KernelWriteModel: KernelWriter {
    public let kb: KnowledgeBase
    public var hz: Int
    public var initialNamespace: Bool

    public init(kb: KnowledgeBase, hz: Int = KernelWrite.defaultHZ, initialNamespace: Bool = true) {
        self.kb = kb
        self.hz = hz
        self.initialNamespace = initialNamespace
    }

    public func write(key: String, written: String, current: String?, lookup: @escaping @Sendable (String) -> String?) -> WriteOutcome {
        let context = KernelWrite.Context(hz: hz, initialNamespace: initialNamespace, value: lookup)
        switch KernelWrite.write(key: key, written: written + "\n", current: current, kb: kb, context: context) {
        case .accepted(let held): return .accepted(held: held)
        case .partial(let held, let e, let reason): return .partial(held: held, errno: e, reason: reason)
        case .rejected(let e, let reason): return .rejected(errno: e, reason: reason)
        }
    }
}

/// The sysctls that exist and their values, and the kernel's cross-key effects of a write.
public struct KernelState: Sendable {
    /// Relative /proc/sys path (`net/ipv4/tcp_fin_timeout`) → value as /proc prints it (nil: unknown).
    public private(set) var values: [String: String?] = [:]
    public private(set) var readOnly: Set<String> = []
    /// Sorted paths, for glob expansion in glob(3)'s order.
    public private(set) var sorted: [String] = []
    /// Keys that do not exist are assumed to (with an unknown value) — for linting files against a
    /// catalog that may lack a key; globs still expand only over known keys.
    public var assumeUnknownKeysExist = false
    /// Where the values came from, for messages: "/proc", a --proc-root, "the kb for Linux 6.18".
    public var source: String
    /// devinet: per-device settings written explicitly (the kernel's cnf->state bits).
    var explicitDevconf: Set<String> = []

    public init(values: [String: String?], readOnly: Set<String> = [], source: String) {
        self.values = values
        self.readOnly = readOnly
        self.sorted = values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        self.source = source
    }

    public func exists(_ path: String) -> Bool {
        if values[path] != nil { return true }
        // Assumed only for names a /proc/sys file could have: components of printable ASCII without blanks.
        guard assumeUnknownKeysExist, !path.isEmpty, !path.hasPrefix("/"), !path.hasSuffix("/") else { return false }
        return path.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "[") }
            && !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == ".." || $0 == "." }
    }

    public func value(_ path: String) -> String? { values[path] ?? nil }

    /// glob(3) over /proc/sys: `*`, `?` and `[...]` within one component; a leading "." only explicitly.
    /// Only keys sharing the pattern's literal prefix are tried (a binary search in the sorted keys), so
    /// many glob lines stay cheap.
    public func expand(_ pattern: String) -> [String] {
        let bytes = Array(pattern.utf8)
        let literal = Array(bytes.prefix { $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "\\") })
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Array(sorted[mid].utf8).lexicographicallyPrecedes(literal) { lo = mid + 1 } else { hi = mid }
        }
        var result: [String] = []
        var i = lo
        while i < sorted.count, Array(sorted[i].utf8).starts(with: literal) {
            if fnmatch(pattern, sorted[i], FNM_PATHNAME | FNM_PERIOD) == 0 { result.append(sorted[i]) }
            i += 1
        }
        return result
    }

    public enum Result: Sendable, Equatable {
        case noSuchKey
        case readOnly
        case written(WriteOutcome)
    }

    /// One write as it reaches the kernel, with its cross-key effects: (result, keys changed on the side).
    public mutating func write(_ path: String, _ text: String, writer: KernelWriter) -> (Result, [String]) {
        guard exists(path) else { return (.noSuchKey, []) }
        if readOnly.contains(path) { return (.readOnly, []) }
        // The few values cross-checked writes consult, copied (a closure over the whole table would copy it
        // on the next write).
        var related: [String: String] = [:]
        for (key, path) in KernelState.consultedPaths { if let v = value(path) { related[key] = v } }
        let snapshot = related
        let outcome = writer.write(key: LineParser.dotted(path), written: text, current: value(path), lookup: { snapshot[$0] })
        switch outcome {
        case .accepted(let held), .partial(let held, _, _): values[path] = .some(held)
        case .rejected: break
        }
        return (.written(outcome), devinetEffects(path))
    }

    /// net/ipv4/devinet.c devinet_conf_proc(): any write to net.ipv4.conf.DEV.X (most X) marks X as set
    /// on DEV; a write to `default` copies default's X to every device that has not had X set
    /// (devinet_copy_dflt_conf). `forwarding` (devinet_sysctl_forward) and the flushing entries
    /// (ipv4_doint_and_flush) do neither.
    mutating func devinetEffects(_ path: String) -> [String] {
        guard path.hasPrefix("net/ipv4/conf/") else { return [] }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "net", parts[1] == "ipv4", parts[2] == "conf" else { return [] }
        let device = parts[3], name = parts[4]
        guard !KernelState.devinetPlain.contains(String(name)) else { return [] }
        explicitDevconf.insert(path)
        guard device == "default" else { return [] }
        var changed: [String] = []
        let value = values[path] ?? nil
        for other in expand("net/ipv4/conf/*/\(name)") {
            let dev = other.split(separator: "/")[3]
            if dev == "all" || dev == "default" || explicitDevconf.contains(other) { continue }
            if values[other] != .some(value) { changed.append(other) }
            values[other] = .some(value)
        }
        return changed
    }

    /// Keys whose values a write to another key is checked against (KernelWrite's Context.value).
    static let consulted = ["net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_port_range",
                            "net.ipv4.tcp_available_congestion_control", "net.ipv4.tcp_allowed_congestion_control"]

    static let consultedPaths = consulted.map { ($0, LineParser.path(ofKey: $0)) }

    static let devinetPlain: Set<String> = ["forwarding", "mc_forwarding", "disable_xfrm", "disable_policy", "promote_secondaries", "route_localnet"]

    // MARK: sources

    /// Every file under `<procRoot>/sys` (at most 200,000), with its value (at most 64 KiB read each).
    public static func read(procRoot: String, under prefix: String = "") -> KernelState {
        let base = procRoot.hasSuffix("/") ? procRoot + "sys" : procRoot + "/sys"
        var values: [String: String?] = [:]
        var readOnly: Set<String> = []
        var stack = [prefix]
        // Bounded: at most 200,000 files and 64 MiB of values in all (a hostile --proc-root cannot make
        // twlint hold more); values past the budget are unknown.
        var budget = 64 * 1024 * 1024
        while let rel = stack.popLast(), values.count < 200_000 {
            let dir = rel.isEmpty ? base : base + "/" + rel
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names {
                let relPath = rel.isEmpty ? name : rel + "/" + name
                let full = base + "/" + relPath
                var info = stat()
                guard lstat(full, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: stack.append(relPath)
                case S_IFREG:
                    if info.st_mode & S_IWUSR == 0 { readOnly.insert(relPath) }
                    let v = budget > 0 ? readValue(full) : nil
                    budget -= v?.utf8.count ?? 0
                    values[relPath] = .some(v)
                default: continue
                }
            }
        }
        return KernelState(values: values, readOnly: readOnly, source: procRoot)
    }

    static func readValue(_ path: String) -> String? {
        guard case .success(let bytes) = RootFS.read(host: Array(path.utf8), limit: 65536) else { return nil }
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The kb catalog for a kernel: every known key, interface families for `all`, `default` and `lo`,
    /// with the kb's default where it is a constant (else unknown).
    public static func catalog(_ kb: KnowledgeBase, kernel: KernelVersion) -> KernelState {
        var values: [String: String?] = [:]
        func add(_ key: String) {
            let p = kb.parameter(for: key)
            if let p, !p.exists(on: kernel) { return }
            let v = p?.defaultValue(for: kernel).map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: "\t") }
            values[LineParser.path(ofKey: key)] = .some(v)
        }
        for key in kb.catalog.keys { add(key) }
        for family in kb.catalog.families {
            for device in ["all", "default", "lo"] { add(family.replacingOccurrences(of: "*", with: device)) }
        }
        return KernelState(values: values, source: "the kb catalog for Linux \(kernel)")
    }
}
