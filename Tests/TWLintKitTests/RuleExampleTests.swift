import XCTest
@testable import TWLintKit

/// Every example of every rule, through the real parser and pipeline.
final class RuleExampleTests: XCTestCase {
    let kb = KnowledgeBase.shipped

    func testEveryRuleHasTriggeringAndPassingExamples() {
        XCTAssertFalse(kb.rules.isEmpty)
        for rule in kb.rules {
            XCTAssertTrue(rule.examples.contains { $0.expectTrigger }, "\(rule.code) has no triggering example")
            XCTAssertTrue(rule.examples.contains { !$0.expectTrigger }, "\(rule.code) has no passing example")
        }
    }

    func testEveryExample() {
        let count = kb.rules.map { $0.examples.count }.reduce(0, +)
        XCTAssertGreaterThanOrEqual(count, 2 * kb.rules.count)
        let failures = ExampleRunner(kb: kb).failures()
        XCTAssertTrue(failures.isEmpty, failures.joined(separator: "\n"))
    }

    func testCodesAndSlugsAreUniqueAndWellFormed() {
        let codes = kb.rules.map(\.code)
        XCTAssertEqual(Set(codes).count, codes.count)
        let slugs = kb.rules.map(\.slug)
        XCTAssertEqual(Set(slugs).count, slugs.count)
        for rule in kb.rules {
            XCTAssertTrue(rule.path.hasSuffix("\(rule.code)-\(rule.slug).xml"), "\(rule.path) should be named \(rule.code)-\(rule.slug).xml")
            XCTAssertFalse(rule.why.isEmpty, rule.code)
            XCTAssertFalse(rule.fix.isEmpty, rule.code)
            XCTAssertFalse(rule.references.isEmpty, rule.code)
        }
    }

    func testEveryKeyARuleNamesIsInTheKnowledgeBase() {
        for rule in kb.rules {
            for key in rule.keys.union(rule.related.parameters) {
                XCTAssertNotNil(kb.parameters[key], "\(rule.code) names \(key), which has no kb entry")
            }
            for topic in rule.related.topics {
                XCTAssertNotNil(kb.topics[topic], "\(rule.code) names topic \(topic), which does not exist")
            }
        }
    }

    func testEveryInputProblemCodeHasARule() {
        for code in ["TW901", "TW903", "TW904", "TW905", "TW906", "TW907", "TW908", "TW909", "TW910", "TW911", "TW920"] {
            XCTAssertEqual(kb.rule(code: code)?.evaluator, "input-problem", code)
        }
        // TW902 reads the parser's inline-comment problems and judges them with the kernel-write model.
        XCTAssertEqual(kb.rule(code: "TW902")?.evaluator, "inline-comment")
    }
}
