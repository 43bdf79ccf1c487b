import Foundation

/// What the kernel ends up holding for each key after a file's writes. Fixes use it to decide whether a rewrite keeps
/// the meaning (safe) or may change it (unsafe), and the tests hold safe fixes to it.
///
/// This is glue only: how the kernel parses a write is KernelWrite's (Apply/KernelWrite.swift, proven against the
/// running kernel by KernelWriteOracleTests). What this file adds:
/// - the target kernel: a key the target kernel does not have refuses the write (ENOENT), nothing changes;
/// - the value before the file: unknown to a fix, so each key's writes are replayed from two different starting
///   values (the kb default for the target kernel, and a value differing from it in every element). A result that
///   is the same from both is decided by the writes alone (`.value`); one that differs (a rejected write, a partial
///   write to a vector) depends on what was there before (`.dependsOnPrevious`);
/// - glob assignments, and keys KernelWrite does not model (no handler and no kb entry, a handler it reports as unmodelled, a string
///   handler with checks of its own such as set_default_qdisc): the kernel is given the text as written and may
///   take it or refuse it, so the result is that text or what was there before (`.rawOrPrevious`).
public indirect enum HeldValue: Equatable, Sendable {
    case value(String)
    /// What the kernel holds when the writes start from each probed previous value, in probe order.
    case dependsOnPrevious([String?])
    /// `raw` if the kernel takes it; otherwise what `previous` says (nil: the kernel's own value).
    case rawOrPrevious(raw: String, previous: HeldValue?)

    /// Whether KernelWrite describes writes to `key`.
    static func modelled(_ key: String, kb: KnowledgeBase) -> Bool {
        guard KernelWrite.models(key, kb: kb) else { return false }
        guard let h = kb.handlers.handler(for: key)?.instantiated(key: key) else { return true }
        if KernelWrite.unmodelled(h) != nil { return false }
        if h.kind == .string && h.handler != h.parser && h.handler != "proc_tcp_congestion_control" { return false }
        return true
    }

    /// The two previous values a key's writes are replayed from.
    static func probes(_ key: String, kb: KnowledgeBase, kernel: KernelVersion) -> [String?] {
        let first = kb.parameter(for: key)?.defaultValue(for: kernel)
        let fields = (first ?? "0").sysctlFields.map(String.init)
        let second = fields.map { f -> String in
            guard let n = KernelInteger.int64(f) else { return f + "x" }
            return n == Int64.max ? "0" : String(n + 1)
        }.joined(separator: "\t")
        return [first, second]
    }

    /// What the kernel holds for `key` after `settings` (all assignments of that key, in apply order); nil when no
    /// write changes anything (the kernel's own value stays).
    static func held(_ key: String, _ settings: [Setting], kb: KnowledgeBase, kernel: KernelVersion) -> HeldValue? {
        if let p = kb.parameter(for: key), !p.exists(on: kernel) { return nil }
        let writes = settings
        guard !writes.isEmpty else { return nil }
        // A glob assignment is expanded by the applier against the keys present: twlint gives the text as written.
        guard !writes.contains(where: \.isGlob), modelled(key, kb: kb) else {
            var held: HeldValue?
            for s in writes {
                // The same text written again changes nothing: taken or refused as before.
                if case .rawOrPrevious(s.value, _)? = held { continue }
                held = .rawOrPrevious(raw: s.value, previous: held)
            }
            return held
        }
        let context = KernelWrite.Context(value: { k in kb.parameter(for: k)?.defaultValue(for: kernel) })
        let probes = probes(key, kb: kb, kernel: kernel)
        var results: [String?] = []
        var changed = false
        for start in probes {
            var current = start
            for s in writes {
                current = KernelWrite.heldValue(for: s, current: current, kb: kb, context: context).held(current: current)
            }
            if current?.normalisedSysctlValue != start?.normalisedSysctlValue { changed = true }
            results.append(current?.normalisedSysctlValue)
        }
        guard changed else { return nil }
        if let first = results.first, results.allSatisfy({ $0 == first }), let first { return .value(first) }
        return .dependsOnPrevious(results)
    }

    /// Key → what the kernel holds after applying `settings` in order (keys whose writes change nothing are left out).
    static func configuration(_ settings: [Setting], kb: KnowledgeBase, kernel: KernelVersion) -> [String: HeldValue] {
        var byKey: [String: [Setting]] = [:]
        for s in settings { byKey[s.key, default: []].append(s) }
        var held: [String: HeldValue] = [:]
        for (key, writes) in byKey {
            if let v = self.held(key, writes, kb: kb, kernel: kernel) { held[key] = v }
        }
        return held
    }

    /// The configuration of sysctl text: its effective configuration (each key's assignments in apply order, the
    /// winner last) replayed as the kernel takes the writes.
    public static func configuration(of data: Data, kb: KnowledgeBase, kernel: KernelVersion) -> [String: HeldValue] {
        let effective = EffectiveConfiguration(applying: [SysctlConf.parse(data, path: "-")])
        var held: [String: HeldValue] = [:]
        for (key, entry) in effective.entries {
            if let v = self.held(key, entry.overridden + [entry.winner], kb: kb, kernel: kernel) { held[key] = v }
        }
        return held
    }
}
