import Foundation
import XCTest
@testable import TWLintKit

final class UserRuleTests: XCTestCase {
    func rule(code: String, slug: String, references: Bool = false) -> String {
        TestSupport.houseRule(code: code, slug: slug, references: references)
    }

    func kb(_ files: [String: String]) throws -> KnowledgeBase { try TestSupport.knowledgeBase(adding: files, self) }

    func testUserCodeSpaceWithoutReferences() throws {
        for code in ["ACME1", "OPS042", "K8S7", "AB", "ABCDEFGH"] {
            let kb = try kb(["r.xml": rule(code: code, slug: "house-\(code.lowercased())")])
            XCTAssertNotNil(kb.rules.first { $0.code == code }, code)
        }
        for code in ["TW990", "TWX1", "ab1", "A", "ABCDEFGHI", "1ABC"] {
            XCTAssertThrowsError(try kb(["r.xml": rule(code: code, slug: "house")]), code) { error in
                XCTAssertTrue("\(error)".contains("r.xml"), "\(error)")
            }
        }
        XCTAssertThrowsError(try kb(["r.xml": rule(code: "TW990", slug: "house", references: true)])) { error in
            XCTAssertTrue("\(error)".contains("codes starting with TW are twlint's own"), "\(error)")
        }
    }

    func testCollisionNamesBothFiles() throws {
        XCTAssertThrowsError(try kb(["a/one.xml": rule(code: "ACME1", slug: "house-a"), "b/two.xml": rule(code: "ACME1", slug: "house-b")])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("one.xml") && text.contains("two.xml") && text.contains("same code ACME1"), text)
        }
        XCTAssertThrowsError(try kb(["r.xml": rule(code: "ACME2", slug: "tw-buckets-lowered")])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("r.xml") && text.contains("rules/TW106-tw-buckets-lowered.xml (built into twlint)"), text)
        }
    }

    /// `explain` and `rules` read the rule directories of the nearest .twlint.yaml; `lint` too.
    func testExplainAndRulesHonourTheConfigRuleDirectories() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(rule(code: "ACME1", slug: "house-somaxconn"), to: dir + "/ci/rules/ACME1.xml")
        try TestSupport.write("rules: [ci/rules]\n", to: dir + "/.twlint.yaml")
        try TestSupport.write("x\n", to: dir + "/sub/keep")
        let explain = try TestSupport.run(["explain", "ACME1"], cwd: dir + "/sub")
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertTrue(explain.stdout.contains("house-somaxconn"), explain.stdout)
        let rules = try TestSupport.run(["rules"], cwd: dir)
        XCTAssertTrue(rules.stdout.contains("ACME1"), rules.stdout)
        let check = try TestSupport.run(["rules", "--check"], cwd: dir)
        XCTAssertEqual(check.status, 0, check.stdout)
        let lint = try TestSupport.run(["lint", "--brief", "-"], stdin: "net.core.somaxconn = 4096\n", cwd: dir)
        XCTAssertTrue(lint.stdout.contains("warning ACME1 [house-somaxconn]"), lint.stdout)
        // explain takes the config's kernel too (--kernel still wins).
        try TestSupport.write("rules: [ci/rules]\nkernel: \"4.14\"\n", to: dir + "/.twlint.yaml")
        let old = try TestSupport.run(["explain", "--format", "json", "tcp_tw_reuse"], cwd: dir)
        XCTAssertTrue(old.stdout.contains("\"kernel\": \"4.14\"") && old.stdout.contains("\"default\": \"0\""), old.stdout)
        let given = try TestSupport.run(["explain", "--format", "json", "--kernel", "6.1", "tcp_tw_reuse"], cwd: dir)
        XCTAssertTrue(given.stdout.contains("\"default\": \"2\""), given.stdout)
        // A user rule's code works in disable: and in directives.
        try TestSupport.write("rules: [ci/rules]\ndisable: [ACME1]\n", to: dir + "/.twlint.yaml")
        let quiet = try TestSupport.run(["lint", "--brief", "-"], stdin: "net.core.somaxconn = 4096\n", cwd: dir)
        XCTAssertEqual(quiet.status, 0, quiet.stdout + quiet.stderr)
    }
}
