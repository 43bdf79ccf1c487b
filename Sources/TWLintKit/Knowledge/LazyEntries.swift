import Foundation

/// Knowledge entries parsed when first asked for (parameters, counters, symptoms): a run that lints one small
/// file reads a handful of the several hundred entries. Keyed by name, thread-safe, shared by copies of a
/// KnowledgeBase until one of them adds entries.
/// A knowledge entry read from a file (a parameter, counter or symptom).
protocol KnowledgeFileEntry { var path: String { get } }

final class LazyEntries<Entry: KnowledgeFileEntry>: @unchecked Sendable {
    private var parsed: [String: Entry] = [:]
    private var pending: [String: (path: String, text: String)] = [:]
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

    func defer_(key: String, path: String, text: String) {
        lock.lock(); defer { lock.unlock() }
        pending[key] = (path, text)
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

    var keys: [String] {
        lock.lock(); defer { lock.unlock() }
        return Array(parsed.keys) + Array(pending.keys)
    }

    /// Shipped entries were validated by the test suite; a failure here is a build defect.
    private func parse(_ source: (path: String, text: String), key: String) -> Entry {
        do {
            return make(try KnowledgeBase.parse(text: source.text, path: source.path, validate: false), source.path, key)
        } catch {
            fatalError("the shipped knowledge base is invalid: \(error)")
        }
    }
}
