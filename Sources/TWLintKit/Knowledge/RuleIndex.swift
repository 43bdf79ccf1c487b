import Foundation

/// What the rule look-ups need of a rule without parsing it: its code and slug (`explain TW101`, duplicate
/// checks), the keys it reads and the topics and counters it names (explain's "rules" lists), and the key it
/// leaves to no other rule when it is bound to kernel versions (`versionBoundSubjects`). For the shipped rules
/// twlint-embed reads them at build time (EmbeddedKnowledge.ruleSummaries); the test suite checks every one
/// against the parsed rule.
public struct RuleSummary: Equatable, Sendable {
    public var code: String
    public var slug: String
    /// Every key the rule reads (Rule.keys), sorted.
    public var keys: [String]
    /// Topic ids of its `<related>` element.
    public var topics: [String]
    /// The counters its evaluator watches.
    public var counterNames: [String]
    /// The subject of a rule bound to kernel versions (`<kernel min/below>`), else nil.
    public var versionBoundSubject: String?
}

extension Rule {
    /// The summary of the parsed rule.
    public var indexed: RuleSummary {
        RuleSummary(code: code, slug: slug, keys: keys.sorted(), topics: related.topics, counterNames: counterNames,
                    versionBoundSubject: kernelMin != nil || kernelBelow != nil ? subject : nil)
    }
}

/// The rules of a KnowledgeBase: the shipped ones parsed when first asked for (all of them for a lint, the few
/// explain prints otherwise), the added ones parsed already. Thread-safe; shared by copies of a KnowledgeBase
/// until one of them adds rules.
final class LazyRules: @unchecked Sendable {
    /// Every rule's path and summary, sorted by code.
    private(set) var summaries: [(path: String, summary: RuleSummary)] = []
    /// The subjects of the rules bound to kernel versions.
    private(set) var versionBoundSubjects: Set<String> = []
    private var parsed: [String: Rule] = [:]
    /// Shipped rule files not parsed yet, by code.
    private var pending: [String: (path: String, text: String)] = [:]
    private var sortedAll: [Rule]?
    private let lock = NSLock()

    func copy() -> LazyRules {
        lock.lock(); defer { lock.unlock() }
        let c = LazyRules()
        c.summaries = summaries
        c.parsed = parsed
        c.pending = pending
        c.sortedAll = sortedAll
        c.versionBoundSubjects = versionBoundSubjects
        return c
    }

    /// A shipped rule file with the summary the build read from it, parsed on first use.
    func defer_(path: String, text: String, summary: RuleSummary) {
        lock.lock(); defer { lock.unlock() }
        pending[summary.code] = (path, text)
        file(path: path, summary: summary)
    }

    /// A parsed rule.
    func add(_ rule: Rule) {
        lock.lock(); defer { lock.unlock() }
        parsed[rule.code] = rule
        file(path: rule.path, summary: rule.indexed)
    }

    private func file(path: String, summary: RuleSummary) {
        summaries.append((path, summary))
        summaries.sort { $0.summary.code < $1.summary.code }
        if let subject = summary.versionBoundSubject { versionBoundSubjects.insert(subject) }
        sortedAll = nil
    }

    /// Every rule, sorted by code (parses those not read yet, on all cores).
    func all() -> [Rule] {
        lock.lock(); defer { lock.unlock() }
        if let sortedAll { return sortedAll }
        let sources = Array(pending)
        var rules = [Rule?](repeating: nil, count: sources.count)
        let resultLock = NSLock()
        DispatchQueue.concurrentPerform(iterations: sources.count) { i in
            let rule = LazyRules.parse(sources[i].value)
            resultLock.lock()
            rules[i] = rule
            resultLock.unlock()
        }
        for (i, rule) in rules.enumerated() {
            precondition(rule!.code == sources[i].key, "\(rule!.path) defines \(rule!.code), not \(sources[i].key)")
            parsed[rule!.code] = rule!
        }
        pending.removeAll()
        let all = summaries.map { parsed[$0.summary.code]! }
        sortedAll = all
        return all
    }

    /// The rules whose summary satisfies `match`, sorted by code; parses only those. `match` runs under the
    /// store's lock: it must not ask the knowledge base for anything.
    func rules(where match: (RuleSummary) -> Bool) -> [Rule] {
        lock.lock(); defer { lock.unlock() }
        return summaries.filter { match($0.summary) }.map { get($0.summary.code) }
    }

    /// How many rules are parsed (tests: a look-up parses only what it returns).
    var parsedCount: Int {
        lock.lock(); defer { lock.unlock() }
        return parsed.count
    }

    /// Under the lock.
    private func get(_ code: String) -> Rule {
        if let r = parsed[code] { return r }
        let r = LazyRules.parse(pending.removeValue(forKey: code)!)
        precondition(r.code == code, "\(r.path) defines \(r.code), not \(code)")
        parsed[code] = r
        return r
    }

    /// Shipped rules were validated by the test suite; a failure here is a build defect.
    private static func parse(_ source: (path: String, text: String)) -> Rule {
        do {
            return try Rule(KnowledgeBase.parse(text: source.text, path: source.path, validate: false), path: source.path)
        } catch {
            fatalError("the shipped rule \(source.path) is invalid: \(error)")
        }
    }
}
