import XCTest
@testable import TWLintKit

/// The build-time index of names and related items (EmbeddedKnowledge.summaries, written by twlint-embed)
/// against a full parse of every entry.
final class EntryIndexTests: XCTestCase {
    /// The shipped files loaded without the build's summaries: every lookup parses the entries it looks at.
    static let fullyParsed: KnowledgeBase = {
        try! KnowledgeBase(files: EmbeddedKnowledge.files.filter { !$0.path.hasPrefix("schema/") }, validate: false)
    }()

    /// A fresh copy of the shipped knowledge (KnowledgeBase.shipped is shared by the other tests, which parse entries).
    func indexed() throws -> KnowledgeBase {
        try KnowledgeBase(files: EmbeddedKnowledge.files.filter { !$0.path.hasPrefix("schema/") }, validate: false,
                          summaries: EmbeddedKnowledge.summaries)
    }

    func testEverySummaryEqualsTheParsedEntry() throws {
        let kb = Self.fullyParsed
        var expected: [String: EntrySummary] = [:]
        for p in kb.parameters.values { expected[p.path] = p.indexed }
        for c in kb.counters.values { expected[c.path] = c.indexed }
        for s in kb.symptoms.values { expected[s.path] = s.indexed }
        for t in kb.topics.values { expected[t.path] = t.indexed }
        XCTAssertGreaterThan(expected.count, 400)
        XCTAssertGreaterThan(kb.topics.count, 5)
        XCTAssertEqual(Set(EmbeddedKnowledge.summaries.keys), Set(expected.keys), "a summary for every lazily parsed file, and only those")
        for (path, summary) in expected.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(EmbeddedKnowledge.summaries[path], summary, path)
        }
        // The index is not empty where the kb is not.
        XCTAssertTrue(expected.values.contains { !$0.aliases.isEmpty && !$0.texts.isEmpty && !$0.parameters.isEmpty && !$0.topics.isEmpty })
    }

    /// Every name explain accepts resolves to the same entry with the index as with a full parse, and as the
    /// lookups did before the index (filters over the parsed entries, written out here).
    func testEveryNameResolvesAsWithAFullParse() throws {
        let full = Self.fullyParsed
        let kb = try indexed()
        var terms: [String] = []
        for p in full.parameters.values {
            terms += [p.key, p.shortName, String(p.key.drop { $0 != "." }.dropFirst())] + p.aliases
        }
        for c in full.counters.values { terms += [c.name, c.nstatName, c.column] + c.aliases + c.netstat.map { "  1234 " + $0 } }
        for s in full.symptoms.values { terms += [s.id] + s.aliases + s.messages.map { "connect: " + $0 } }
        for t in full.topics.values { terms += [t.id] + t.aliases }
        for r in full.rules { terms += [r.code, r.slug] }
        // Case: a few upper-cased short names (an unknown term computes suggestions, which is slow in a debug build).
        terms += full.parameterKeys.sorted().prefix(8).map { Parameter.shortName(of: $0).uppercased() }
        terms += ["tcp_tw_reuze", "no-such-thing", "ipv4.tcp_tw_reuse", "conf.all.rp_filter", "rmem_max", ""]
        XCTAssertGreaterThan(terms.count, 1000)
        for term in Set(terms).sorted() {
            XCTAssertEqual(Self.describe(kb.resolve(term)), Self.describe(full.resolve(term)), term)
        }
        // The lookup before the index, over parsed entries, wherever resolution reaches it (a short name that is
        // no key, rule, topic, counter or symptom).
        var checked = 0
        for p in full.parameters.values where full.parameter(for: p.shortName) == nil {
            let name = p.shortName
            let got = Self.describe(kb.resolve(name))
            guard got.hasPrefix("parameter ") || got.hasPrefix("ambiguous ") else { continue }
            let byName = full.parameters.values.filter { $0.shortName == name || $0.aliases.contains { $0.caseInsensitiveCompare(name) == .orderedSame } }
            XCTAssertEqual(got, byName.count == 1 ? "parameter \(byName[0].key)" : "ambiguous \(name) \(byName.map(\.key).sorted())", name)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 300)
        for c in full.counters.values {
            for alias in c.aliases {
                let before = full.counters.values.filter { $0.aliases.contains { KnowledgeBase.fold($0) == KnowledgeBase.fold(alias) } }
                XCTAssertEqual(before.count, 1, alias)
                XCTAssertEqual(kb.counter(matching: alias)?.name, before.first?.name, alias)
            }
        }
    }

    /// The reverse lists of explain (counters and symptoms about a parameter or topic) from the index equal
    /// the lists over parsed entries.
    func testRelatedListsEqualAFullParse() throws {
        let full = Self.fullyParsed
        let renderer = ExplainRenderer(kb: try indexed())
        var nonEmpty = 0
        for key in full.parameterKeys.sorted() {
            let counters = full.sortedCounters.filter { $0.related.parameters.contains(key) }.map(\.name)
            let symptoms = full.sortedSymptoms.filter { $0.related.parameters.contains(key) }.map(\.id)
            XCTAssertEqual(renderer.countersAbout(parameter: key), counters, key)
            XCTAssertEqual(renderer.symptomsAbout(parameter: key), symptoms, key)
            if !counters.isEmpty && !symptoms.isEmpty { nonEmpty += 1 }
        }
        for id in full.topics.keys.sorted() {
            XCTAssertEqual(renderer.countersAbout(topic: id), full.sortedCounters.filter { $0.related.topics.contains(id) }.map(\.name), id)
            XCTAssertEqual(renderer.symptomsAbout(topic: id), full.sortedSymptoms.filter { $0.related.topics.contains(id) }.map(\.id), id)
        }
        XCTAssertGreaterThan(nonEmpty, 0)
    }

    /// The point of the index: explaining a short name parses the one parameter it prints, no counter and no symptom.
    func testExplainingAShortNameParsesOnlyThatEntry() throws {
        let kb = try indexed()
        guard case .parameter(let p) = kb.resolve("tcp_tw_reuse") else { return XCTFail("tcp_tw_reuse does not resolve") }
        let text = ExplainRenderer(kb: kb).text(p)
        XCTAssertTrue(text.contains("net.ipv4.tcp_tw_reuse"))
        XCTAssertEqual(text, ExplainRenderer(kb: Self.fullyParsed).text(Self.fullyParsed.parameter(named: "net.ipv4.tcp_tw_reuse")!))
        XCTAssertEqual(kb.store.parsedCount, 1)
        XCTAssertEqual(kb.counterStore.parsedCount, 0)
        XCTAssertEqual(kb.symptomStore.parsedCount, 0)
        XCTAssertEqual(kb.topicStore.parsedCount, 0, "no topic is parsed to resolve or print a parameter")
    }

    /// A topic found by id or alias through the index is the topic a full parse finds, and only it is parsed.
    func testTopicLookupParsesOnlyThatTopic() throws {
        let full = Self.fullyParsed
        var found = 0
        for t in full.sortedTopics {
            for name in [t.id, t.id.uppercased()] + t.aliases {
                let kb = try indexed()
                let got = Self.describe(kb.resolve(name))
                XCTAssertEqual(got, Self.describe(full.resolve(name)), name)
                // A name a rule or parameter claims first (a topic alias that is also a rule slug) parses no topic.
                XCTAssertEqual(kb.topicStore.parsedCount, got == "topic \(t.id)" ? 1 : 0, name)
                if got == "topic \(t.id)" { found += 1 }
            }
        }
        XCTAssertGreaterThan(found, full.topics.count)
    }

    static func describe(_ r: Resolution) -> String {
        switch r {
        case .parameter(let p): return "parameter \(p.key)"
        case .topic(let t): return "topic \(t.id)"
        case .rule(let r): return "rule \(r.code)"
        case .counter(let c): return "counter \(c.name)"
        case .symptom(let s): return "symptom \(s.id)"
        case .ambiguous(let term, let candidates): return "ambiguous \(term) \(candidates)"
        case .unknown(let term, let suggestions): return "unknown \(term) \(suggestions)"
        }
    }
}

/// KeyCatalog reads the version tables as segments (a key present over a run of tables with one condition);
/// this replays kb/catalog/versions.xml table by table, as the generator means it, and compares every key.
final class KeyCatalogTableTests: XCTestCase {
    func testPresenceEqualsATableByTableReplay() throws {
        let text = try XCTUnwrap(EmbeddedKnowledge.files.first { $0.path == "kb/catalog/versions.xml" }?.text)
        let root = try KnowledgeBase.parse(text: text, path: "kb/catalog/versions.xml", validate: false)
        var catalog = KeyCatalog()
        catalog.add(root)
        var current: [String: String] = [:]
        var expected: [String: [Int: String]] = [:]   // key → table index → condition ("" for none)
        var index = 0
        for k in root.children("kernel") {
            for group in k.children("added") {
                for name in group.rawText.split(whereSeparator: { $0.isWhitespace }) { current[String(name)] = group["if"] ?? "" }
            }
            for group in k.children("removed") {
                for name in group.rawText.split(whereSeparator: { $0.isWhitespace }) { current[String(name)] = nil }
            }
            for (name, condition) in current { expected[name, default: [:]][index] = condition }
            index += 1
        }
        XCTAssertEqual(catalog.tables.count, index)
        XCTAssertGreaterThan(expected.count, 1000)
        XCTAssertTrue(expected.values.contains { $0.values.contains { !$0.isEmpty } }, "some key has a condition")
        XCTAssertTrue(expected.values.contains { $0.count < index && $0.keys.max() == index - 1 }, "some key was added later")
        XCTAssertTrue(expected.values.contains { ($0.keys.max() ?? index) < index - 1 }, "some key was removed")
        for (name, tables) in expected.sorted(by: { $0.key < $1.key }) {
            for (i, table) in catalog.tables.enumerated() {
                let want: KeyCatalog.Presence = tables[i].map { .present(condition: $0.isEmpty ? nil : $0) } ?? .absent
                XCTAssertEqual(catalog.presence(of: name, on: table.series), want, "\(name) on \(table.series)")
            }
            XCTAssertTrue(name.contains("*") ? catalog.families.contains(name) : catalog.keys.contains(name), name)
        }
    }
}

final class ShortNameTests: XCTestCase {
    func testShortNameIsTheLastNonEmptyPart() {
        for key in ["net.ipv4.tcp_tw_reuse", "tcp_tw_reuse", "", ".", "..", "net.", "net..x", ".x", "a.b.", "net.ipv4.conf.*.rp_filter", "é.ü"] {
            XCTAssertEqual(Parameter.shortName(of: key), String(key.split(separator: ".").last ?? Substring(key)), key)
        }
    }
}

/// kb/catalog/handlers.xml is parsed when first asked for; the result equals a direct parse of the file, and
/// a copy that adds a user directory keeps it.
final class LazyHandlersTests: XCTestCase {
    func testHandlersParsedOnFirstUseEqualADirectParse() throws {
        let text = try XCTUnwrap(EmbeddedKnowledge.files.first { $0.path == "kb/catalog/handlers.xml" }?.text)
        var direct = KernelHandlers()
        direct.add(try KnowledgeBase.parse(text: text, path: "kb/catalog/handlers.xml", validate: false))
        let kb = try KnowledgeBase(files: EmbeddedKnowledge.files.filter { !$0.path.hasPrefix("schema/") }, validate: false,
                                   summaries: EmbeddedKnowledge.summaries)
        XCTAssertGreaterThan(direct.byKey.count, 100)
        XCTAssertEqual(Set(kb.handlers.byKey.keys), Set(direct.byKey.keys))
        XCTAssertEqual(kb.handlers.handler(for: "net.ipv4.conf.eth0.rp_filter")?.key, direct.handler(for: "net.ipv4.conf.eth0.rp_filter")?.key)
        XCTAssertNotNil(kb.handlers.handler(for: "net.ipv4.tcp_tw_reuse"))
        var copy = kb
        try copy.addDirectory(try TestSupport.temporaryDirectory(self))
        XCTAssertEqual(Set(copy.handlers.byKey.keys), Set(direct.byKey.keys))
    }
}
