/// The configuration as the kernel ends up with it: for every key the assignment that wins
/// (the last one applied) and the ones it overrode, in apply order.
public struct EffectiveConfiguration: Sendable {
    public struct Entry: Sendable {
        public let winner: Setting
        /// Earlier assignments of the same key, oldest first.
        public let overridden: [Setting]
    }

    public private(set) var entries: [String: Entry] = [:]
    /// Keys in the order their winning assignment was applied.
    public private(set) var order: [String] = []
    public private(set) var exclusions: [Setting] = []

    public init() {}

    /// Applies settings in order; a later assignment of a key replaces the earlier one.
    public init(applying inputs: [ParsedInput]) {
        for input in inputs {
            for setting in input.settings { apply(setting) }
            exclusions += input.exclusions
        }
    }

    public mutating func apply(_ setting: Setting) {
        if let existing = entries[setting.key] {
            entries[setting.key] = Entry(winner: setting, overridden: existing.overridden + [existing.winner])
            order.removeAll { $0 == setting.key }
        } else {
            entries[setting.key] = Entry(winner: setting, overridden: [])
        }
        order.append(setting.key)
    }

    /// Replaces a key's entry in place, or removes it (KernelWrite.effective); a kept key keeps its position.
    mutating func replaceEntry(_ key: String, with entry: Entry?) {
        if let entry {
            if entries[key] == nil { order.append(key) }
            entries[key] = entry
        } else if entries.removeValue(forKey: key) != nil {
            order.removeAll { $0 == key }
        }
    }

    public subscript(key: String) -> Setting? { entries[key]?.winner }

    /// Winning settings in apply order.
    public var winners: [Setting] { order.compactMap { entries[$0]?.winner } }
}
