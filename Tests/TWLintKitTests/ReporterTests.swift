import XCTest
@testable import TWLintKit

/// Golden output per format for one small input, and the SARIF output against the SARIF 2.1.0 schema.
final class ReporterTests: XCTestCase {
    static let input = """
    # twlint: disable=TW204 -- parity is deliberate here
    net.ipv4.ip_local_port_range = 40000 50000
    net.ipv4.tcp_tw_recycle = 1
    net.ipv4.tcp_fin_timeout = 10
    """

    func report() -> LintReport {
        let options = LintOptions(target: Target(kernel: KernelVersion(6, 1)))
        let findings = Linter(kb: TestSupport.kb).lint(text: Data(Self.input.utf8), path: "sysctl.d/90-net.conf", options: options)
        return LintReport(findings: findings, target: options.target, hadUnreadableInput: false, inputsRead: 1)
    }

    func golden(_ format: ReportFormat, ext: String) throws {
        let output = Reporter(format: format).render(report(), kb: TestSupport.kb)
        let path = TestSupport.packageRoot + "/Tests/TWLintKitTests/Fixtures/golden/report.\(ext)"
        if ProcessInfo.processInfo.environment["TWLINT_RECORD_GOLDEN"] == "1" {
            try output.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertEqual(output, expected, "\(format) output differs from \(path); rerun with TWLINT_RECORD_GOLDEN=1 after checking the change")
    }

    func testText() throws { try golden(.text, ext: "txt") }
    func testJSON() throws { try golden(.json, ext: "json") }
    func testSARIF() throws { try golden(.sarif, ext: "sarif") }
    func testGitHub() throws { try golden(.github, ext: "github.txt") }
    func testJUnit() throws { try golden(.junit, ext: "junit.xml") }

    func testJSONFollowsTheContract() throws {
        let text = Reporter(format: .json).render(report(), kb: TestSupport.kb)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["tool", "target", "findings", "summary"])
        let findings = try XCTUnwrap(object["findings"] as? [[String: Any]])
        XCTAssertEqual(findings.map { $0["code"] as? String }, ["TW203", "TW101", "TW108"])
        for f in findings {
            XCTAssertEqual(Set(f.keys), ["code", "slug", "severity", "key", "value", "location", "related", "message", "why", "fix", "references", "kernel_assumed", "kubernetes_assumed"])
            let location = try XCTUnwrap(f["location"] as? [String: Any])
            XCTAssertEqual(Set(location.keys), ["path", "line", "column", "object"])
            XCTAssertEqual(location["path"] as? String, "sysctl.d/90-net.conf")
        }
        XCTAssertEqual((object["summary"] as? [String: Int]) ?? [:], ["error": 1, "warning": 1, "info": 1])
        XCTAssertEqual((object["target"] as? [String: Any])?["kernel"] as? String, "6.1")
    }

    func testSARIFValidatesAgainstTheSchema() throws {
        let schema = TestSupport.fixtures + "/sarif-schema-2.1.0.json"
        guard FileManager.default.fileExists(atPath: schema) else { return XCTFail("missing \(schema)") }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import jsonschema; print(jsonschema.__version__)"]
        check.standardOutput = Pipe(); check.standardError = Pipe()
        try check.run(); check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw XCTSkip("python3 with jsonschema is needed to validate SARIF (.ci/run installs it)")
        }
        let dir = try TestSupport.temporaryDirectory(self)
        let sarif = dir + "/report.sarif"
        try Reporter(format: .sarif).render(report(), kb: TestSupport.kb).write(toFile: sarif, atomically: true, encoding: .utf8)
        let validate = Process()
        validate.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        validate.arguments = ["python3", "-c", """
        import json, sys, jsonschema
        schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
        errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=str)
        for e in errors: print(list(e.path), e.message)
        sys.exit(1 if errors else 0)
        """, schema, sarif]
        let out = Pipe()
        validate.standardOutput = out
        try validate.run()
        let message = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        validate.waitUntilExit()
        XCTAssertEqual(validate.terminationStatus, 0, message)
    }

    /// Every format is written as the findings arrive, one input's findings at a time (`ReportStream.add`), and
    /// gives the same bytes as when all findings come at once; SARIF's rule table, written after the results,
    /// holds exactly the rules the results name, at the indices they give.
    func testEveryFormatStreamsInputByInput() throws {
        let linter = Linter(kb: TestSupport.kb)
        let options = LintOptions(target: Target(kernel: KernelVersion(6, 1)))
        let inputs = (0..<5).map { i in
            linter.lint(text: Data("net.ipv4.tcp_tw_recycle = 1\nnet.core.somaxconn = \(i)\nnet.core.somaxconn = 1 # c\nstray\nnet.ipv4.tcp_tw_recycle = 1\n".utf8),
                        path: "sysctl.d/\(i).conf", options: options)
        }
        XCTAssertTrue(inputs.allSatisfy { $0.count >= 4 })
        let all = LintReport(findings: inputs.flatMap { $0 }, target: options.target, hadUnreadableInput: false, inputsRead: inputs.count)
        for format in ReportFormat.allCases {
            var streamed = ""
            let stream = ReportStream(reporter: Reporter(format: format), kb: TestSupport.kb, target: options.target) { streamed += $0 }
            for findings in inputs { stream.add(findings) }
            stream.add([])
            stream.finish(inputsRead: inputs.count)
            XCTAssertEqual(streamed, Reporter(format: format).render(all, kb: TestSupport.kb), "\(format)")
        }
        let sarif = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Reporter(format: .sarif).render(all, kb: TestSupport.kb).utf8)) as? [String: Any])
        let run = try XCTUnwrap((sarif["runs"] as? [[String: Any]])?.first)
        let rules = try XCTUnwrap(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.count, all.findings.count)
        for r in results {
            let index = try XCTUnwrap(r["ruleIndex"] as? Int)
            XCTAssertEqual(rules[index]["id"] as? String, r["ruleId"] as? String)
        }
        XCTAssertEqual(Set(rules.compactMap { $0["id"] as? String }), Set(all.findings.map(\.code)))
        XCTAssertEqual(rules.count, Set(all.findings.map(\.code)).count)
    }

    func testGitHubEscaping() {
        XCTAssertEqual(GitHubReport.property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae")
        XCTAssertEqual(GitHubReport.data("50% done\r\n"), "50%25 done%0D%0A")
    }

    func testExitStatus() {
        var r = report()
        XCTAssertEqual(r.exitStatus(failOn: .warning), 1)
        XCTAssertEqual(r.exitStatus(failOn: nil), 0)
        r.findings = r.findings.filter { $0.severity == .info }
        XCTAssertEqual(r.exitStatus(failOn: .warning), 0)
        XCTAssertEqual(r.exitStatus(failOn: .info), 1)
        r.hadUnreadableInput = true
        XCTAssertEqual(r.exitStatus(failOn: nil), 2)
    }
}
