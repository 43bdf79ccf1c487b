import Foundation

/// How the lint uses the write model: every rule but those that judge the written text sees the value the kernel
/// holds after the assignments are applied, located on the line that put it there.
extension KernelWrite {
    /// Rules that judge the text as written, not the value it leaves: a write the kernel refuses (TW201, TW202,
    /// TW804; in a system's files TW804 and TW921 come from the application, `SystemConfiguration`) and what the text carries (an inline comment TW902, quotes TW909). They see the configuration as
    /// written; every other rule sees what the kernel holds.
    public static let rulesOnTheWrittenText: Set<String> = ["TW201", "TW202", "TW804", "TW902", "TW909"]

    /// One assignment applied through the model.
    public struct Applied: Sendable {
        /// The assignment as written.
        public let setting: Setting
        public let outcome: Outcome
        /// The value in force before it (nil when twlint knows none: no earlier assignment, no kb default).
        public let before: String?
        /// The assignment that put `before` in force; nil when it is the default.
        public let beforeSource: Setting?

        /// The value in force afterwards.
        public var after: String? { outcome.held(current: before) }
    }

    /// What TW804 and TW921 say about a write the kernel refuses (`partlyHeld` nil) or stores in part (the first
    /// numbers of a vector, then the error): the reason, the errno, and what `key` holds afterwards (`keeps`,
    /// e.g. "2 (the default)" or "1, set at a.conf:3:1"; for a partial write, `partlyHeld`).
    public static func refusal(reason: String, errno: Int32, key: String, keeps: String, partlyHeld: String? = nil) -> String {
        if let partlyHeld {
            return "\(reason); the kernel stores the numbers before that and fails the write (\(errnoName(errno))), so \(key) holds \(partlyHeld.normalisedSysctlValue)"
        }
        return "\(reason); the kernel refuses the write (\(errnoName(errno))) and \(key) keeps \(keeps)"
    }

    /// The text an applier writes for an assignment: the value and a newline (procps `sysctl` prints "%s\n" to the
    /// file, systemd-sysctl's write_string_file() appends the newline). The kernel treats the newline as the end of
    /// a string and as white space after a number.
    public static func writtenText(_ s: Setting) -> String { s.value + "\n" }

    /// The outcome of applying `setting` when `current` is in force (nil: the kb default, when it has one).
    public static func heldValue(for setting: Setting, current: String?, kb: KnowledgeBase, context: Context = Context()) -> Outcome {
        write(key: setting.key, written: writtenText(setting), current: current, kb: kb, context: context)
    }

    /// Whether the model has anything to say about a key: a handler from the kernel tables, or a kb entry.
    public static func models(_ key: String, kb: KnowledgeBase) -> Bool {
        kb.handlers.handler(for: key) != nil || kb.parameter(for: key) != nil
    }

    /// Applies the literal assignments of `config` through the write model. The result holds, for every key, the
    /// last assignment the kernel accepts with its value as /proc/sys prints it (`5000 # x` → `5000`, `0x10` → `16`);
    /// a key whose every assignment is refused is left out, so its default applies. Glob assignments and keys the
    /// model does not know pass through unchanged. Keys are applied key by key in the order of their winning
    /// assignment: a cross-check against another key (the port range against ip_unprivileged_port_start) sees
    /// that key's value as applied so far, else its default.
    public static func effective(_ config: EffectiveConfiguration, kb: KnowledgeBase, kernel: KernelVersion,
                                 initialNamespace: Bool = true) -> (config: EffectiveConfiguration, applied: [Applied]) {
        /// Values applied so far, read by the cross-checks of later keys (a reference: no copy per key).
        final class Held: @unchecked Sendable { var values: [String: String] = [:] }
        let held = Held()
        var result = config
        var applied: [Applied] = []
        for key in config.order {
            guard let entry = config.entries[key], !entry.winner.isGlob, models(key, kb: kb) else { continue }
            let context = Context(initialNamespace: initialNamespace, value: { k in
                held.values[k] ?? kb.parameter(for: k)?.defaultValue(for: kernel)
            })
            var current = kb.parameter(for: key)?.defaultValue(for: kernel)
            var source: Setting?
            var accepted: [Setting] = []
            var changed = false
            for s in entry.overridden + [entry.winner] {
                let outcome = heldValue(for: s, current: current, kb: kb, context: context)
                applied.append(Applied(setting: s, outcome: outcome, before: current, beforeSource: source))
                guard !outcome.isRejected, let value = outcome.held(current: current) else { changed = true; continue }
                let holding = s.holding(value)
                if holding.value != s.value { changed = true }
                accepted.append(holding)
                current = value
                source = holding
            }
            if let current { held.values[key] = current }
            if changed {
                result.replaceEntry(key, with: accepted.last.map { EffectiveConfiguration.Entry(winner: $0, overridden: Array(accepted.dropLast())) })
            }
        }
        return (result, applied)
    }
}

extension KernelWrite.Outcome {
    var isRejected: Bool { if case .rejected = self { return true } else { return false } }
}

extension Setting {
    /// The same assignment holding what the kernel keeps of it. The value is spelled with single spaces between
    /// numbers (/proc/sys prints tabs); an assignment whose text already says that value is returned unchanged.
    public func holding(_ held: String) -> Setting {
        let value = held.normalisedSysctlValue
        if self.value.normalisedSysctlValue == value { return self }
        return Setting(key: key, rawKey: rawKey, value: value, location: location, ignoreFailure: ignoreFailure, input: input, workload: workload)
    }
}
