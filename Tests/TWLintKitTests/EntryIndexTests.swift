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

/// The key catalog twlint-embed writes at build time (EmbeddedKnowledge.catalog, used by KnowledgeBase.shipped)
/// against a full libxml2 parse of kb/catalog/keys.xml and versions.xml: every answer for every name is the same.
final class KeyCatalogEmbeddedTests: XCTestCase {
    /// The catalog files parsed and added in path order, as a knowledge base without the embedded data does.
    static func parsed() throws -> KeyCatalog {
        var catalog = KeyCatalog()
        XCTAssertEqual(EmbeddedKnowledge.catalog.paths, ["kb/catalog/keys.xml", "kb/catalog/versions.xml"])
        for path in EmbeddedKnowledge.catalog.paths {
            let text = try XCTUnwrap(EmbeddedKnowledge.files.first { $0.path == path }?.text)
            catalog.add(try KnowledgeBase.parse(text: text, path: path, validate: false))
        }
        return catalog
    }

    /// Everything the catalog answers, one line per question, for every name it knows plus `extra`.
    static func answers(_ c: KeyCatalog, extra: [String] = []) -> [String] {
        var lines = ["keys \(c.keys.sorted())", "families \(c.families.sorted())", "allNames \(c.allNames.sorted())",
                     "modules \(c.modules.map { "\($0.prefix)=\($0.name)" })", "actions \(c.actions.sorted { $0.key < $1.key })",
                     "tables \(c.tables.map { "\($0.series) \($0.release) \($0.tree) \($0.commit)" })"]
        var kernels = c.tabledSeries
        for s in c.tabledSeries { kernels += [KernelVersion(s.major, s.minor + 1), KernelVersion(s.major, s.minor, 7)] }
        kernels += [KernelVersion(3, 10), KernelVersion(6, 30), KernelVersion(7, 0)]
        for k in kernels { lines.append("keys(for: \(k)) \(c.keys(for: k).sorted())") }
        // Exact names, interface keys through a family, and names no catalog has.
        var names = c.keys.union(c.families).sorted()
        names += c.families.sorted().map { $0.replacingOccurrences(of: "*", with: "eth0.1") }
        names += c.families.sorted().map { $0.replacingOccurrences(of: "*", with: "lo") + "x" }
        names += extra + ["", "net", "net.", "net.ipv4.", "net.ipv4.conf.", "net.ipv4.conf.eth0", "net.ipv4.tcp_nonexistent", "zzz", "~"]
        for name in names {
            var line = "\(name): contains \(c.contains(name)) family \(c.family(of: name) ?? "-") module \(c.module(for: name) ?? "-")"
            line += " history \(c.history(of: name) ?? "-")"
            line += " first \(c.firstTable(with: name).map { "\($0.first.release) \($0.before?.release ?? "-")" } ?? "-")"
            line += " removal \(c.removal(of: name).map { "\($0.last.release) \($0.first.release)" } ?? "-")"
            for k in kernels {
                line += " | \(k) \(c.presence(of: name, on: k)) \(c.absenceReason(of: name, on: k, since: KernelVersion(4, 15)) ?? "")"
            }
            lines.append(line)
        }
        return lines
    }

    func testEmbeddedCatalogAnswersAsAFullParse() throws {
        let full = try Self.parsed()
        let embedded = KeyCatalog.embeddedShipped()
        XCTAssertGreaterThan(full.keys.count, 900)
        XCTAssertGreaterThan(full.families.count, 50)
        XCTAssertEqual(full.tables.count, EmbeddedKnowledge.catalog.tables.count)
        XCTAssertFalse(full.actions.isEmpty)
        XCTAssertTrue(EmbeddedKnowledge.catalog.conditions.contains { $0.condition.contains("&&") }, "an entity-decoded condition")
        let want = Self.answers(full), got = Self.answers(embedded)
        XCTAssertEqual(got.count, want.count)
        for (g, w) in zip(got, want) where g != w { XCTFail("embedded: \(g)\nparsed:   \(w)") }
        // The shipped knowledge base uses it.
        XCTAssertEqual(Self.answers(KnowledgeBase.shipped.catalog).first, want.first)
    }

    /// The names are sorted for the binary search, and each one is found at its own index.
    func testEveryEmbeddedNameIsFoundByBinarySearch() {
        let data = EmbeddedKnowledge.catalog
        let names = (0..<data.count).map(data.name)
        XCTAssertEqual(names, names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        XCTAssertEqual(Set(names).count, names.count)
        for (i, name) in names.enumerated() {
            XCTAssertEqual(data.index(of: name), i, name)
            XCTAssertNil(data.index(of: name + "x"))
            XCTAssertNil(data.index(of: String(name.dropLast())).flatMap { names[$0] == name ? $0 : nil })
        }
        XCTAssertNil(data.index(of: ""))
        XCTAssertNil(data.index(of: "\u{10FFFF}"))
    }

    /// Adding a user's catalog file to the embedded catalog gives what adding it to the parsed one gives.
    func testAddingToTheEmbeddedCatalog() throws {
        let extra = """
            <catalog><keys>net.example.new_key net.ipv4.tcp_tw_reuse net.example.conf.*.flag</keys>
              <module prefix="net.example." name="example"/>
              <action key="net.example.flush">Flushes.</action>
              <kernel series="7.1" release="7.1.2"><added>net.example.new_key</added><added if="CONFIG_X">net.ipv4.tcp_tw_reuse</added></kernel>
            </catalog>
            """
        let root = try KnowledgeBase.parse(text: extra, path: "extra.xml", validate: false)
        var full = try Self.parsed(), embedded = KeyCatalog.embeddedShipped()
        _ = embedded.keys(for: KernelVersion(6, 1))   // a cached answer is forgotten by add
        full.add(root)
        embedded.add(root)
        let names = ["net.example.new_key", "net.example.conf.eth0.flag", "net.example.flush"]
        let want = Self.answers(full, extra: names), got = Self.answers(embedded, extra: names)
        XCTAssertEqual(got.count, want.count)
        for (g, w) in zip(got, want) where g != w { XCTFail("embedded: \(g)\nparsed:   \(w)") }
        XCTAssertEqual(embedded.presence(of: "net.ipv4.tcp_tw_reuse", on: KernelVersion(7, 1)), .present(condition: "CONFIG_X"))
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
