import Foundation
import XCTest
@testable import TWLintKit

/// JUnit, Checkstyle, GitLab Code Quality and Prometheus output checked by the tools that read them.
final class ReportFormatTests: XCTestCase {
    static let input = """
        # twlint: disable=TW9999
        net.ipv4.tcp_tw_recycle = 1
        net.ipv4.tcp_tw_reuse = 1
        net.ipv4.tcp_timestamps = 0
        net.ipv4.ip_local_port_range = 40000 50000
        """

    func report(_ text: String = input, kernel: KernelVersion? = nil) -> LintReport {
        let options = LintOptions(target: Target(kernel: kernel))
        let findings = Linter(kb: TestSupport.kb).lint(text: Data(text.utf8), path: "sysctl.d/90 <net>.conf", options: options)
        return LintReport(findings: findings, target: options.target, hadUnreadableInput: false, inputsRead: 1)
    }

    /// A finding whose text carries characters XML 1.0 cannot hold.
    func hostileReport() -> LintReport {
        var r = report()
        let f = r.findings[0]
        r.findings.append(Finding(code: "TW901", slug: "not-an-assignment", severity: .error, key: nil, value: nil,
                                  location: SourceLocation(path: "bad\u{1}\u{FFFE}.conf", line: 3), message: "odd \u{0}\u{1B}[31m\u{FFFF} text & <tags>",
                                  why: f.why, fix: f.fix, references: [], title: "x"))
        return r
    }

    func render(_ format: ReportFormat, _ report: LintReport) -> String { Reporter(format: format).render(report, kb: TestSupport.kb) }

    func write(_ text: String) throws -> String {
        let path = try TestSupport.temporaryDirectory(self) + "/out"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func xmllint(_ arguments: [String]) throws -> (status: Int32, output: String) {
        guard Shell.which("xmllint") != nil else { throw XCTSkip("xmllint (libxml2-utils) is not installed; .ci/run installs it") }
        return try Shell.run(["xmllint"] + arguments)
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The sum of an attribute over the `<testsuite>` elements of a JUnit report.
    func sum(_ attribute: String, in xml: String) -> Int {
        xml.components(separatedBy: "<testsuite ").dropFirst().reduce(0) { total, suite in
            let tag = suite.prefix { $0 != ">" }
            guard let r = tag.range(of: " \(attribute)=\"") else { return total }
            return total + (Int(tag[r.upperBound...].prefix { $0 != "\"" }) ?? 0)
        }
    }

    func testJUnitValidatesAndCountsMatch() throws {
        for r in [report(), hostileReport(), report("net.core.somaxconn = 4096\n", kernel: KernelVersion(6, 1))] {
            let xml = render(.junit, r)
            let v = try xmllint(["--noout", "--schema", TestSupport.fixtures + "/junit.xsd", try write(xml)])
            XCTAssertEqual(v.status, 0, v.output + xml)
            let testcases = count("<testcase ", in: xml), failures = count("<failure ", in: xml)
            XCTAssertEqual(failures, r.findings.count)
            XCTAssertEqual(testcases, max(r.findings.count, 1))
            // The suites' counts add up to their children (one suite per file and the run's suite).
            XCTAssertEqual(sum("tests", in: xml), testcases, xml)
            XCTAssertEqual(sum("failures", in: xml), failures, xml)
            XCTAssertTrue(xml.contains("<property name=\"findings\" value=\"\(r.findings.count)\"/>"), xml)
        }
        XCTAssertTrue(render(.junit, hostileReport()).contains("\\u{FFFE}"))
    }

    func testCheckstyleIsWellFormedWithOneErrorPerFinding() throws {
        for r in [report(), hostileReport()] {
            let xml = render(.checkstyle, r)
            let v = try xmllint(["--noout", try write(xml)])
            XCTAssertEqual(v.status, 0, v.output + xml)
            XCTAssertEqual(count("<error ", in: xml), r.findings.count)
            XCTAssertTrue(xml.contains("<file name=\"sysctl.d/90 &lt;net&gt;.conf\">"), xml)
            XCTAssertTrue(xml.contains("line=\"2\" column=\"1\" severity=\"error\""), xml)
            XCTAssertTrue(xml.contains("source=\"twlint.TW101\""), xml)
        }
    }

    func testGitLabCodeQualityWithStableFingerprints() throws {
        func issues(_ text: String) throws -> [[String: Any]] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(render(.gitlab, report(text)).utf8)) as? [[String: Any]])
        }
        let first = try issues(Self.input)
        XCTAssertEqual(first.count, report().findings.count)
        for i in first {
            XCTAssertEqual(Set(i.keys), ["description", "check_name", "fingerprint", "severity", "location", "categories", "content"])
            XCTAssertTrue(["info", "minor", "major", "critical", "blocker"].contains(i["severity"] as? String ?? ""))
            let location = try XCTUnwrap(i["location"] as? [String: Any])
            XCTAssertEqual(location["path"] as? String, "sysctl.d/90 <net>.conf")
            XCTAssertNotNil((location["lines"] as? [String: Any])?["begin"] as? Int)
        }
        let fingerprints = first.compactMap { $0["fingerprint"] as? String }
        XCTAssertEqual(Set(fingerprints).count, first.count, "fingerprints are unique")
        // Lines added above move the findings but keep their fingerprints.
        let shifted = try issues("# a new comment\n\n" + Self.input)
        XCTAssertEqual(Set(shifted.compactMap { $0["fingerprint"] as? String }), Set(fingerprints))
        // Two identical findings stay apart.
        let twice = try issues("net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_tw_recycle = 1\n").compactMap { $0["fingerprint"] as? String }
        XCTAssertEqual(Set(twice).count, twice.count)
        // Streamed: one file delivered in two pieces keeps counting (distinct fingerprints); the count is dropped
        // when another file comes, so the state never outgrows one file.
        let one = report("net.ipv4.tcp_tw_recycle = 1\n").findings
        var out = ""
        let stream = ReportStream(reporter: Reporter(format: .gitlab), kb: TestSupport.kb, target: Target()) { out += $0 }
        stream.add(one)
        stream.add(one)
        stream.add(report("net.core.somaxconn = 1 # c\n").findings.map { f in
            Finding(code: f.code, slug: f.slug, severity: f.severity, key: f.key, value: f.value,
                    location: SourceLocation(path: "other.conf", line: 1), message: f.message, why: f.why, fix: f.fix,
                    references: f.references, title: f.title)
        })
        stream.add(one)
        stream.finish(inputsRead: 4)
        let streamed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]).compactMap { $0["fingerprint"] as? String }
        let n = one.count
        XCTAssertEqual(Set(streamed[0..<(2 * n)]).count, 2 * n, "one file in two deliveries: all distinct")
        XCTAssertEqual(Array(streamed.suffix(n)), Array(streamed[0..<n]), "the file again after another: the same issues")
    }

    func testPrometheusPassesPromtool() throws {
        guard Shell.which("promtool") != nil else { throw XCTSkip("promtool (Debian package prometheus) is not installed; .ci/run installs it") }
        let root = TestSupport.packageRoot + "/examples/exhausted-client"
        let live = LiveCheck(kb: TestSupport.kb).run(procRoot: root + "/proc", root: root, interval: nil, options: LintOptions())
        for r in [live, report()] {
            let text = render(.prometheus, r)
            XCTAssertTrue(text.contains("# TYPE twlint_findings gauge"))
            for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                XCTAssertEqual(parts[3] == "counter", parts[2].hasSuffix("_total"), String(line))
            }
            let path = try write(text)
            let p = try Shell.run(["sh", "-c", "promtool check metrics < '\(path)'"])
            XCTAssertEqual(p.status, 0, p.output + text)
        }
        XCTAssertTrue(render(.prometheus, live).contains("# TYPE twlint_tcp_events_total counter"))
    }

    /// "[assuming Linux …]" is said once per run, not in every finding.
    func testAssumedKernelIsSaidOnce() throws {
        let r = report()
        XCTAssertTrue(r.findings.contains(where: \.kernelAssumed))
        for format in ReportFormat.allCases {
            let text = render(format, r)
            XCTAssertFalse(text.contains("[assuming Linux"), "\(format)")
        }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(render(.json, r).utf8)) as? [String: Any])
        XCTAssertEqual((json["target"] as? [String: Any])?["kernel_assumed"] as? Bool, true)
        let sarif = render(.sarif, r)
        XCTAssertEqual(count("assuming Linux 6.18; set --kernel for another", in: sarif), 1, sarif)
        let github = render(.github, r)
        XCTAssertEqual(count("assuming Linux", in: github), 1, github)
        XCTAssertTrue(render(.text, r).contains("(assuming Linux 6.18; set --kernel for another)"))
        // With --kernel there is nothing to say.
        XCTAssertFalse(render(.github, report(kernel: KernelVersion(6, 1))).contains("assuming"))
    }

    func testLintHelpListsEveryFormat() throws {
        let help = try TestSupport.run(["lint", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
        for format in ReportFormat.allCases { XCTAssertTrue(help.contains(format.rawValue), "\(format) missing from lint --help") }
    }
}
