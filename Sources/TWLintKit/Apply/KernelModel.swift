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
}

/// The kernel's write semantics per parameter: given the text written and the current value, the value held
/// afterwards or the error. The full model (every handler type) lives in `KernelWrite`; the application
/// model only needs this.
public protocol KernelWriter: Sendable {
    func write(key: String, written: String, current: String?) -> WriteOutcome
}

/// A small stand-in for the kernel's integer handlers (proc_dointvec and friends, kernel/sysctl.c
/// proc_get_long and do_proc_dointvec_conv, Linux 6.x): leading blanks skipped, an optional "-", a number
/// in base 0 (0x hex, leading-0 octal), which must end at a blank or the end, one int, the kb's enforced
/// range; the rest of the text is ignored. Other types are taken as written.
public struct IntegerKernelWriter: KernelWriter {
    public let kb: KnowledgeBase

    public init(kb: KnowledgeBase) { self.kb = kb }

    public func write(key: String, written: String, current: String?) -> WriteOutcome {
        guard let p = kb.parameter(for: key), [.int, .bool, .enum].contains(p.type), (p.count ?? 1) == 1 else {
            return .accepted(held: written.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: "\t"))
        }
        switch IntegerKernelWriter.parseInt(Array((written + "\n").utf8)) {
        case .failure(let f): return .rejected(errno: EINVAL, reason: f.reason)
        case .success(let v):
            if p.rangeEnforced, let lo = p.min, v < lo { return .rejected(errno: EINVAL, reason: "below the minimum \(lo)") }
            if p.rangeEnforced, let hi = p.max, v > hi { return .rejected(errno: EINVAL, reason: "above the maximum \(hi)") }
            return .accepted(held: String(v))
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

    /// proc_skip_spaces + proc_get_long + the int conversion, for the first number of a write.
    static func parseInt(_ bytes: [UInt8]) -> Result<Int64, ParseFailure> {
        var i = 0
        while i < bytes.count && isSpace(bytes[i]) { i += 1 }
        guard i < bytes.count else { return .failure(ParseFailure(reason: "nothing but blanks")) }
        // proc_get_long copies at most 21 bytes.
        let window = Array(bytes[i..<min(bytes.count, i + 21)])
        let left = bytes.count - i
        var j = 0
        var negative = false
        if window[0] == UInt8(ascii: "-") && left > 1 { negative = true; j = 1 }
        guard j < window.count, window[j] >= 0x30 && window[j] <= 0x39 else { return .failure(ParseFailure(reason: "not a number")) }
        var base: UInt64 = 10
        if window[j] == 0x30 {
            if j + 2 < window.count, window[j + 1] | 0x20 == UInt8(ascii: "x"), isHex(window[j + 2]) { base = 16; j += 2 } else { base = 8 }
        }
        var value: UInt64 = 0
        var overflow = false
        while j < window.count, let d = digit(window[j]), d < base {
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (s, o2) = m.addingReportingOverflow(d)
            overflow = overflow || o1 || o2
            value = s
            j += 1
        }
        if overflow { return .failure(ParseFailure(reason: "out of range")) }
        if j == 21 { return .failure(ParseFailure(reason: "too long")) }
        if j < left, j < window.count, ![0x20, 0x09, 0x0A].contains(window[j]) { return .failure(ParseFailure(reason: "trailing characters")) }
        if negative {
            guard value <= UInt64(Int32.max) + 1 else { return .failure(ParseFailure(reason: "out of range")) }
            return .success(-Int64(value))
        }
        guard value <= UInt64(Int32.max) else { return .failure(ParseFailure(reason: "out of range")) }
        return .success(Int64(value))
    }

    public struct ParseFailure: Error { public let reason: String }

    static func isHex(_ b: UInt8) -> Bool { digit(b).map { $0 < 16 } ?? false }

    static func digit(_ b: UInt8) -> UInt64? {
        switch b {
        case 0x30...0x39: return UInt64(b - 0x30)
        case 0x61...0x66: return UInt64(b - 0x61 + 10)
        case 0x41...0x46: return UInt64(b - 0x41 + 10)
        default: return nil
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
    public func expand(_ pattern: String) -> [String] {
        sorted.filter { fnmatch(pattern, $0, FNM_PATHNAME | FNM_PERIOD) == 0 }
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
        let outcome = writer.write(key: LineParser.dotted(path), written: text, current: value(path))
        if case .accepted(let held) = outcome { values[path] = .some(held) }
        return (.written(outcome), devinetEffects(path))
    }

    /// net/ipv4/devinet.c devinet_conf_proc(): any write to net.ipv4.conf.DEV.X (most X) marks X as set
    /// on DEV; a write to `default` copies default's X to every device that has not had X set
    /// (devinet_copy_dflt_conf). `forwarding` (devinet_sysctl_forward) and the flushing entries
    /// (ipv4_doint_and_flush) do neither.
    mutating func devinetEffects(_ path: String) -> [String] {
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

    static let devinetPlain: Set<String> = ["forwarding", "mc_forwarding", "disable_xfrm", "disable_policy", "promote_secondaries", "route_localnet"]

    // MARK: sources

    /// Every file under `<procRoot>/sys` (at most 200,000), with its value (at most 64 KiB read each).
    public static func read(procRoot: String, under prefix: String = "") -> KernelState {
        let base = procRoot.hasSuffix("/") ? procRoot + "sys" : procRoot + "/sys"
        var values: [String: String?] = [:]
        var readOnly: Set<String> = []
        var stack = [prefix]
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
                    values[relPath] = .some(readValue(full))
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
