import Foundation

/// Knowledge entries parsed when first asked for (parameters, counters, symptoms): a run that lints one small
/// file reads a handful of the several hundred entries. Keyed by name, thread-safe, shared by copies of a
/// KnowledgeBase until one of them adds entries.
/// A knowledge entry read from a file (a parameter, counter or symptom).
protocol KnowledgeFileEntry { var path: String { get } }

final class LazyEntries<Entry: IndexedEntry>: @unchecked Sendable {
    private var parsed: [String: Entry] = [:]
    /// Entries not parsed yet, with their summary when the build embedded one.
    private var pending: [String: (path: String, text: String, summary: EntrySummary?)] = [:]
    /// Builds an entry from its root element, its path and the key it was filed under.
    private let make: (XMLElement, _ path: String, _ key: String) -> Entry
    private let lock = NSLock()

    init(_ make: @escaping (XMLElement, _ path: String, _ key: String) -> Entry) { self.make = make }

    func copy() -> LazyEntries<Entry> {
        lock.lock(); defer { lock.unlock() }
        let c = LazyEntries(make)
        c.parsed = parsed
        c.pending = pending
        return c
    }

    func contains(_ key: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return parsed[key] != nil || pending[key] != nil
    }

    /// Adds an entry read from `path`; a key already filed (shipped or added) is an error naming both files.
    func add(_ entry: Entry, key: String, kind: String, line: Int) throws {
        if contains(key) {
            let other = get(key)?.path ?? "the shipped knowledge base"
            throw XMLProblems([XMLProblem(path: entry.path, line: line, message: "\(kind) \(key) is already defined in \(other)")])
        }
        insert(entry, key: key)
    }

    func insert(_ entry: Entry, key: String) {
        lock.lock(); defer { lock.unlock() }
        parsed[key] = entry
        pending[key] = nil
    }

    func defer_(key: String, path: String, text: String, summary: EntrySummary? = nil) {
        lock.lock(); defer { lock.unlock() }
        pending[key] = (path, text, summary)
    }

    func get(_ key: String) -> Entry? {
        lock.lock(); defer { lock.unlock() }
        if let e = parsed[key] { return e }
        guard let source = pending.removeValue(forKey: key) else { return nil }
        let e = parse(source, key: key)
        parsed[key] = e
        return e
    }

    func all() -> [String: Entry] {
        lock.lock(); defer { lock.unlock() }
        for (key, source) in pending { parsed[key] = parse(source, key: key) }
        pending.removeAll()
        return parsed
    }

    /// Every key with its summary, sorted by key; parses only the pending entries that have no summary.
    func summaries() -> [(key: String, summary: EntrySummary)] {
        lock.lock(); defer { lock.unlock() }
        parseUnsummarised()
        let all = parsed.map { ($0.key, $0.value.indexed) } + pending.map { ($0.key, $0.value.summary!) }
        return all.sorted { $0.0 < $1.0 }
    }

    /// The keys whose key and summary satisfy `match`, sorted. `match` runs under the store's lock: it must not
    /// ask the knowledge base for anything.
    func keys(where match: (String, EntrySummary) -> Bool) -> [String] {
        lock.lock(); defer { lock.unlock() }
        parseUnsummarised()
        var found: [String] = []
        for (key, entry) in parsed where match(key, entry.indexed) { found.append(key) }
        for (key, source) in pending where match(key, source.summary!) { found.append(key) }
        return found.sorted()
    }

    /// Parses the pending entries the build gave no summary for (files not shipped). Called under the lock.
    private func parseUnsummarised() {
        for (key, source) in pending where source.summary == nil {
            parsed[key] = parse(source, key: key)
            pending[key] = nil
        }
    }

    /// How many entries are parsed (tests: a lookup parses only what it returns).
    var parsedCount: Int {
        lock.lock(); defer { lock.unlock() }
        return parsed.count
    }

    var keys: [String] {
        lock.lock(); defer { lock.unlock() }
        return Array(parsed.keys) + Array(pending.keys)
    }

    /// Shipped entries were validated by the test suite; a failure here is a build defect.
    private func parse(_ source: (path: String, text: String, summary: EntrySummary?), key: String) -> Entry {
        do {
            return make(try KnowledgeBase.parse(text: source.text, path: source.path, validate: false), source.path, key)
        } catch {
            fatalError("the shipped knowledge base is invalid: \(error)")
        }
    }
}

/// A value built from whole knowledge files (kb/catalog/handlers.xml → KernelHandlers), parsed when first asked
/// for: lint's kernel-write checks need it, `explain` does not. Files keep their order (shipped first, then
/// added ones). Shared by copies of a KnowledgeBase until one of them adds to it.
final class LazyParsed<Value>: @unchecked Sendable {
    private var value: Value
    private var pending: [(path: String, text: String)] = []
    private let add: (inout Value, XMLElement) -> Void
    private let lock = NSLock()

    init(_ empty: Value, add: @escaping (inout Value, XMLElement) -> Void) {
        value = empty
        self.add = add
    }

    func copy() -> LazyParsed<Value> {
        lock.lock(); defer { lock.unlock() }
        let c = LazyParsed(value, add: add)
        c.pending = pending
        return c
    }

    /// A shipped file, parsed on first use (validated by the test suite, so a failure is a build defect).
    func defer_(path: String, text: String) {
        lock.lock(); defer { lock.unlock() }
        pending.append((path, text))
    }

    /// A parsed file, added after every deferred one.
    func add(_ root: XMLElement) {
        lock.lock(); defer { lock.unlock() }
        parsePending()
        add(&value, root)
    }

    var current: Value {
        lock.lock(); defer { lock.unlock() }
        parsePending()
        return value
    }

    private func parsePending() {
        for source in pending {
            do {
                add(&value, try KnowledgeBase.parse(text: source.text, path: source.path, validate: false))
            } catch {
                fatalError("the shipped knowledge base is invalid: \(error)")
            }
        }
        pending.removeAll()
    }
}
