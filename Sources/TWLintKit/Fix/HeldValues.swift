import Foundation

/// What the kernel ends up holding for each key after a file's writes, as far as twlint can tell. Fixes use it to
/// decide whether a rewrite keeps the meaning (safe) or may change it (unsafe), and the tests hold safe fixes to it.
///
/// The model (kernel/sysctl.c, `__do_proc_dointvec`/`__do_proc_doulongvec_minmax` and `proc_get_long`), checked
/// against the running kernel in a network namespace by FixKernelTests:
/// - a key the target kernel does not have: the write fails, nothing changes;
/// - integer keys (bool, int, enum, pairs and fixed-length lists): the handler reads as many blank-separated
///   integers as the key holds and ignores what follows (`1 # note` applies 1); a first field that is not an integer,
///   or a value outside an enforced range, is rejected (EINVAL) and the previous value stays; fewer integers than
///   the key holds may be a partial write (`20000` to ip_local_port_range keeps the upper bound), so the result
///   depends on what was there before;
/// - string keys, port lists and keys twlint does not know: the kernel is given the text as written and may take it
///   or reject it (an unknown congestion control), so the result is that text or what was there before.
public indirect enum HeldValue: Equatable, Sendable {
    case value(String)
    /// `raw` if the kernel takes it; otherwise (rejected, or a partial write) something that depends on `previous`
    /// (nil: the kernel's own value).
    case rawOrPrevious(raw: String, previous: HeldValue?)

    /// The outcome of one write.
    enum Write: Equatable {
        case absent
        case rejected
        case held(String)
        case uncertain(String)
    }

    static func write(_ setting: Setting, kb: KnowledgeBase, kernel: KernelVersion) -> Write {
        guard !setting.isGlob, let p = kb.parameter(for: setting.key) else { return .uncertain(setting.value) }
        guard p.exists(on: kernel) else { return .absent }
        let expected: Int?
        switch p.type {
        case .string, .portList: return .uncertain(setting.value)
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
        if let expected, numbers.count < expected { return .uncertain(setting.value) }
        if expected == nil, numbers.count < fields.count { return .uncertain(setting.value) }
        let normalised = numbers.map(String.init).joined(separator: " ")
        if ValueCheck.problem(with: normalised, for: p, kernel: kernel) != nil { return .rejected }
        return .held(normalised)
    }

    /// Key → what the kernel holds after applying `settings` in order (keys whose writes all fail are left out).
    static func configuration(_ settings: [Setting], kb: KnowledgeBase, kernel: KernelVersion) -> [String: HeldValue] {
        var held: [String: HeldValue] = [:]
        for s in settings {
            switch write(s, kb: kb, kernel: kernel) {
            case .absent, .rejected:
                continue
            case .held(let v):
                held[s.key] = .value(v)
            case .uncertain(let raw):
                // The same text written again changes nothing: taken or refused as before.
                if case .rawOrPrevious(raw, _)? = held[s.key] { continue }
                held[s.key] = .rawOrPrevious(raw: raw, previous: held[s.key])
            }
        }
        return held
    }

    /// The configuration of sysctl text: its effective configuration (each key's assignments in apply order, the
    /// winner last) replayed as the kernel takes the writes.
    public static func configuration(of data: Data, kb: KnowledgeBase, kernel: KernelVersion) -> [String: HeldValue] {
        let effective = EffectiveConfiguration(applying: [SysctlConf.parse(data, path: "-")])
        var held: [String: HeldValue] = [:]
        for (key, entry) in effective.entries {
            if let v = configuration(entry.overridden + [entry.winner], kb: kb, kernel: kernel)[key] { held[key] = v }
        }
        return held
    }
}
