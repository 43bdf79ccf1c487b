import XCTest
@testable import TWLintKit

/// The build-time summaries of the rule files (EmbeddedKnowledge.ruleSummaries, written by twlint-embed) against
/// the parsed rules, and the rule look-ups through them against the look-ups over parsed rules.
final class RuleIndexTests: XCTestCase {
    /// The shipped rules parsed at load time (no summaries).
    static var fullyParsed: KnowledgeBase { EntryIndexTests.fullyParsed }

    func indexed() throws -> KnowledgeBase {
        try KnowledgeBase(files: EmbeddedKnowledge.files.filter { !$0.path.hasPrefix("schema/") }, validate: false,
                          summaries: EmbeddedKnowledge.summaries, ruleSummaries: EmbeddedKnowledge.ruleSummaries)
    }

    func testEveryRuleSummaryEqualsTheParsedRule() throws {
        let rules = Self.fullyParsed.rules
        XCTAssertGreaterThan(rules.count, 50)
        XCTAssertEqual(Set(EmbeddedKnowledge.ruleSummaries.keys), Set(rules.map(\.path)), "a summary for every shipped rule file")
        for r in rules { XCTAssertEqual(EmbeddedKnowledge.ruleSummaries[r.path], r.indexed, r.path) }
        // The summaries hold what they are for: keys from conditions (including `other`), topics, counters, kernel bounds.
        let all = rules.map(\.indexed)
        XCTAssertTrue(all.contains { $0.keys.count > 1 })
        XCTAssertTrue(all.contains { !$0.topics.isEmpty })
        XCTAssertTrue(all.contains { !$0.counterNames.isEmpty })
        XCTAssertTrue(all.contains { $0.versionBoundSubject != nil })
        XCTAssertTrue(all.contains { $0.versionBoundSubject == nil && !$0.keys.isEmpty })
    }

    /// The same rules, in the same order, with the same version-bound subjects; every look-up by code and slug agrees.
    func testLookupsAgreeWithAFullParse() throws {
        let full = Self.fullyParsed
        let kb = try indexed()
        XCTAssertEqual(kb.ruleStore.parsedCount, 0, "no rule is parsed at load time")
        XCTAssertEqual(kb.versionBoundSubjects, full.versionBoundSubjects)
        XCTAssertFalse(kb.versionBoundSubjects.isEmpty)
        for r in full.rules {
            for name in [r.code, r.code.lowercased(), r.slug, r.slug.uppercased()] {
                XCTAssertEqual(EntryIndexTests.describe(kb.resolve(name)), EntryIndexTests.describe(full.resolve(name)), name)
            }
        }
        XCTAssertEqual(kb.rules.map(\.code), full.rules.map(\.code))
        XCTAssertEqual(kb.rules.map(\.path), full.rules.map(\.path))
        XCTAssertEqual(kb.ruleStore.parsedCount, full.rules.count)
    }

    /// Explain's rule lists from the summaries equal the filters over parsed rules, for every parameter, topic and
    /// counter, and explaining a parameter parses only the rules it lists.
    func testExplainRuleListsEqualAFullParse() throws {
        let full = Self.fullyParsed
        let renderer = ExplainRenderer(kb: try indexed())
        var nonEmpty = 0
        for p in full.sortedParameters {
            let codes = Set(p.related.rules)
            let expected = full.rules.filter { codes.contains($0.code) || $0.keys.contains(p.key) }.map(\.code)
            XCTAssertEqual(renderer.relatedRules(parameter: p).map(\.code), expected, p.key)
            if !expected.isEmpty { nonEmpty += 1 }
        }
        XCTAssertGreaterThan(nonEmpty, 10)
        for t in full.sortedTopics {
            let codes = Set(t.related.rules)
            XCTAssertEqual(renderer.relatedRules(topic: t).map(\.code),
                           full.rules.filter { codes.contains($0.code) || $0.related.topics.contains(t.id) }.map(\.code), t.id)
        }
        for c in full.sortedCounters {
            let codes = Set(c.related.rules)
            XCTAssertEqual(renderer.rulesWatching(c).map(\.code),
                           full.rules.filter { codes.contains($0.code) || $0.counterNames.contains(c.name) }.map(\.code), c.name)
        }

        let kb = try indexed()
        guard case .parameter(let p) = kb.resolve("tcp_tw_reuse") else { return XCTFail("tcp_tw_reuse does not resolve") }
        let text = ExplainRenderer(kb: kb).text(p)
        XCTAssertEqual(text, ExplainRenderer(kb: full).text(full.parameter(named: p.key)!))
        let listed = ExplainRenderer(kb: kb).relatedRules(parameter: p)
        XCTAssertFalse(listed.isEmpty)
        XCTAssertEqual(kb.ruleStore.parsedCount, listed.count, "only the rules explain lists are parsed")
    }

    /// A user rule added to a copy joins that copy's rules in code order and leaves the original's alone (the
    /// rule store is shared between copies until one adds to it).
    func testAUserRuleJoinsTheCopyOnly() throws {
        let original = try indexed()
        var kb = original
        let shipped = Self.fullyParsed.rules[0]
        try kb.addDirectory(try userCopy(of: shipped, slug: "acme-own-rule"))
        XCTAssertEqual(kb.rules.map(\.code), (Self.fullyParsed.rules.map(\.code) + ["ACME1"]).sorted())
        XCTAssertEqual(EntryIndexTests.describe(kb.resolve("acme-own-rule")), "rule ACME1")
        XCTAssertEqual(original.rules.map(\.code), Self.fullyParsed.rules.map(\.code))
        XCTAssertNil(original.rule(code: "ACME1"))
    }

    /// A user rule that reuses a shipped rule's code or slug is refused with both files named, without the shipped
    /// rules being parsed.
    func testDuplicateOfAShippedRuleIsRefusedFromTheSummaries() throws {
        var kb = try indexed()
        let shipped = Self.fullyParsed.rules[0]
        let dir = try userCopy(of: shipped, slug: nil)
        XCTAssertThrowsError(try kb.addDirectory(dir)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("has the same slug \(shipped.slug) as rule \(shipped.code)"), message)
            XCTAssertTrue(message.contains(shipped.path), message)
        }
    }

    /// A directory holding a user rule copied from a shipped one under code ACME1 (and `slug`, or the shipped slug).
    func userCopy(of shipped: Rule, slug: String?) throws -> String {
        var text = try XCTUnwrap(EmbeddedKnowledge.files.first { $0.path == shipped.path }?.text)
            .replacingOccurrences(of: "code=\"\(shipped.code)\"", with: "code=\"ACME1\"")
        if let slug { text = text.replacingOccurrences(of: "slug=\"\(shipped.slug)\"", with: "slug=\"\(slug)\"") }
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(text, to: dir + "/acme.xml")
        return dir
    }
}
