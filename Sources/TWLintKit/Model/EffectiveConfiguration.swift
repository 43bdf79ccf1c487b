/// The configuration as the kernel ends up with it: for every key the assignment that wins (the last one
/// the kernel accepted) and the ones it overrode, in apply order.
///
/// For a system (`lint --system`, `--merge`, `show`, the live check) the entries come from the application
/// model (`Application`): the winner's `value` is what the kernel holds, `written` the text the applier
/// wrote, `glob` the pattern it was expanded from, `rejected` the later writes the kernel refused.
/// Applying the same key again is O(1): 100,000 repeats of one key are linear (Benchmarks/repeated-keys.sh).
public struct EffectiveConfiguration: Sendable {
    public struct Entry: Sendable {
        /// The assignment in force; its `value` is what the kernel holds.
        public internal(set) var winner: Setting
        /// Earlier assignments of the same key, oldest first.
        public internal(set) var overridden: [Setting]
        /// The text the applier wrote for the winner (differs from `winner.value` when the kernel normalised
        /// it: `4096 # was 300` is held as `4096`).
        public internal(set) var written: String
        /// The glob the key was expanded from, if any.
        public internal(set) var glob: String?
        /// Assignments the kernel refused (the winner stayed in force), with the reason.
        public internal(set) var rejected: [(setting: Setting, reason: String)] = []
        /// Apply order of the winner.
        var sequence: Int

        public init(winner: Setting, overridden: [Setting] = [], written: String? = nil, glob: String? = nil,
                    rejected: [(setting: Setting, reason: String)] = []) {
            self.winner = winner
            self.overridden = overridden
            self.written = written ?? winner.value
            self.glob = glob
            self.rejected = rejected
            self.sequence = 0
        }
    }

    public private(set) var entries: [String: Entry] = [:]
    public private(set) var exclusions: [Setting] = []
    /// Keys set by a file but refused by the kernel every time: the value before (or the default) stays.
    public internal(set) var onlyRejected: [String: [(setting: Setting, reason: String)]] = [:]
    private var sequence = 0

    public init() {}

    /// Applies settings in order; a later assignment of a key replaces the earlier one.
    public init(applying inputs: [ParsedInput]) {
        for input in inputs {
            for setting in input.settings { apply(setting) }
            exclusions += input.exclusions
        }
    }

    public mutating func apply(_ setting: Setting) {
        sequence += 1
        if entries[setting.key] != nil {
            // In place: no copy of the overridden list.
            let previous = entries[setting.key]!.winner
            entries[setting.key]!.overridden.append(previous)
            entries[setting.key]!.winner = setting
            entries[setting.key]!.written = setting.value
            entries[setting.key]!.glob = nil
            entries[setting.key]!.sequence = sequence
        } else {
            var entry = Entry(winner: setting)
            entry.sequence = sequence
            entries[setting.key] = entry
        }
    }

    /// Sets a key's entry as the application model computed it.
    public mutating func set(_ key: String, _ entry: Entry) {
        sequence += 1
        var e = entry
        e.sequence = sequence
        entries[key] = e
    }

    /// Replaces a key's entry in place, or removes it (KernelWrite.effective); a kept key keeps its position.
    mutating func replaceEntry(_ key: String, with entry: Entry?) {
        guard var entry else { entries.removeValue(forKey: key); return }
        if let old = entries[key] {
            entry.sequence = old.sequence
        } else {
            sequence += 1
            entry.sequence = sequence
        }
        entries[key] = entry
    }

    public subscript(key: String) -> Setting? { entries[key]?.winner }

    /// Keys in the order their winning assignment was applied.
    public var order: [String] { entries.sorted { $0.value.sequence < $1.value.sequence }.map(\.key) }

    /// Winning settings in apply order.
    public var winners: [Setting] { entries.values.sorted { $0.sequence < $1.sequence }.map(\.winner) }
}
