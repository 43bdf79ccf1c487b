import Foundation

/// What the kernel ends up holding for each key after a file's writes, as far as twlint can tell. Fixes use it to
/// decide whether a rewrite keeps the meaning (safe) or may change it (unsafe), and the tests hold safe fixes to it.
///
/// The model (kernel/sysctl.c, `__do_proc_dointvec`/`__do_proc_doulongvec_minmax` and `proc_get_long`; checked for
/// integer keys in the conventions note: `1 # note` applies 1 on 6.18):
/// - a key the target kernel does not have: the write fails, nothing changes;
/// - integer keys (bool, int, enum, pairs and fixed-length lists): the handler reads as many blank-separated
///   integers as the key holds and ignores what follows; a first field that is not an integer, or a value outside an
///   enforced range, is rejected (EINVAL) and the previous value stays; fewer integers than the key holds is a
///   partial write twlint does not model (unknown);
/// - string keys, port lists and keys twlint does not know: the kernel takes the text as written.
/// An unknown outcome only equals the same text written again.
public enum HeldValue: Equatable, Sendable {
    case value(String)
    case unknown(raw: String)

    /// The outcome of one write.
    enum Write: Equatable {
        case absent
        case rejected
        case held(HeldValue)
    }

    static func write(_ setting: Setting, kb: KnowledgeBase, kernel: KernelVersion) -> Write {
        guard !setting.isGlob, let p = kb.parameter(for: setting.key) else { return .held(.value(setting.value)) }
        guard p.exists(on: kernel) else { return .absent }
        let expected: Int?
        switch p.type {
        case .string, .portList: return .held(.value(setting.value))
        case .bool, .int, .enum: expected = 1
        case .intPair: expected = 2
        case .intList: expected = p.count
        }
        let fields = setting.value.sysctlFields
        var numbers: [Int64] = []
        for f in fields {
            if let expected, numbers.count == expected { break }
            guard let n = String(f).sysctlInteger else { break }
            numbers.append(n)
        }
        if numbers.isEmpty { return .rejected }
        if let expected, numbers.count < expected { return .held(.unknown(raw: setting.value)) }
        if expected == nil, numbers.count < fields.count { return .held(.unknown(raw: setting.value)) }
        let normalised = numbers.map(String.init).joined(separator: " ")
        if ValueCheck.problem(with: normalised, for: p, kernel: kernel) != nil { return .rejected }
        return .held(.value(normalised))
    }

    /// Key → what the kernel holds after applying `settings` in order (keys whose writes all fail are left out).
    static func configuration(_ settings: [Setting], kb: KnowledgeBase, kernel: KernelVersion) -> [String: HeldValue] {
        var held: [String: HeldValue] = [:]
        for s in settings {
            if case .held(let v) = write(s, kb: kb, kernel: kernel) { held[s.key] = v }
        }
        return held
    }

    /// The configuration of sysctl text.
    public static func configuration(of data: Data, kb: KnowledgeBase, kernel: KernelVersion) -> [String: HeldValue] {
        configuration(SysctlConf.parse(data, path: "-").settings, kb: kb, kernel: kernel)
    }
}
