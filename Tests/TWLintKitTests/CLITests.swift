import XCTest
@testable import TWLintKit

/// The built executable: arguments, exit statuses, stdin, config files.
final class CLITests: XCTestCase {
    func testCleanFileExitsZero() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.ipv4.tcp_syncookies = 1\n", to: dir + "/ok.conf")
        let r = try TestSupport.run(["lint", "--no-config", dir + "/ok.conf"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("No findings"), r.stdout)
    }

    func testFindingsExitOneAndFailOnControlsIt() throws {
        let r = try TestSupport.run(["lint", "--no-config", "-"], stdin: "net.ipv4.tcp_tw_recycle = 1\n")
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("<stdin>:1:1: error TW101"), r.stdout)
        let never = try TestSupport.run(["lint", "--no-config", "--fail-on", "never", "-"], stdin: "net.ipv4.tcp_tw_recycle = 1\n")
        XCTAssertEqual(never.status, 0)
        let infoOnly = try TestSupport.run(["lint", "--no-config", "-"], stdin: "net.ipv4.tcp_fin_timeout = 10\n")
        XCTAssertEqual(infoOnly.status, 0, "info findings do not fail the default --fail-on warning")
    }

    func testMissingFileExitsTwoButOtherInputsAreLinted() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.ipv4.tcp_tw_recycle = 1\n", to: dir + "/bad.conf")
        let r = try TestSupport.run(["lint", "--no-config", "--format", "json", dir + "/missing.conf", dir + "/bad.conf"])
        XCTAssertEqual(r.status, 2)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let codes = (object["findings"] as! [[String: Any]]).map { $0["code"] as! String }
        XCTAssertEqual(Set(codes), ["TW907", "TW101"])
    }

    func testDirectoryIsWalkedForConfFiles() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.ipv4.tcp_timestamps = 0\n", to: dir + "/sysctl.d/10-a.conf")
        try TestSupport.write("net.ipv4.tcp_timestamps = 0\n", to: dir + "/sysctl.d/notes.txt")
        let r = try TestSupport.run(["lint", "--no-config", "--brief", dir])
        XCTAssertEqual(r.stdout.components(separatedBy: "TW104").count - 1, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("in 1 input"), r.stdout)
    }

    func testKernelOptionChangesConclusions() throws {
        let old = try TestSupport.run(["lint", "--no-config", "--kernel", "4.9", "-"], stdin: "net.ipv4.tcp_tw_recycle = 1\n")
        XCTAssertTrue(old.stdout.contains("TW102"), old.stdout)
        XCTAssertFalse(old.stdout.contains("TW101"))
        let bad = try TestSupport.run(["lint", "--kernel", "four", "-"], stdin: "")
        XCTAssertEqual(bad.status, 2, "usage errors exit 2, as README says")
    }

    func testSystemLintOfTheExampleRoot() throws {
        let r = try TestSupport.run(["lint", "--no-config", "--system", "--root", TestSupport.packageRoot + "/examples/incident-client", "--format", "json"])
        XCTAssertEqual(r.status, 1)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let codes = Set((object["findings"] as! [[String: Any]]).map { $0["code"] as! String })
        XCTAssertTrue(codes.isSuperset(of: ["TW101", "TW103", "TW104", "TW106", "TW108", "TW203", "TW920"]), "\(codes)")
        // The applier the findings describe is in the target (docs/json.md); null for files linted one by one.
        XCTAssertEqual((object["target"] as? [String: Any])?["applier"] as? String, "procps", "the root has no systemd")
        let systemd = try TestSupport.run(["lint", "--no-config", "--system", "--applier", "systemd", "--root", TestSupport.packageRoot + "/examples/incident-client", "--format", "json"])
        let systemdObject = try JSONSerialization.jsonObject(with: Data(systemd.stdout.utf8)) as! [String: Any]
        XCTAssertEqual((systemdObject["target"] as? [String: Any])?["applier"] as? String, "systemd")
        let single = try TestSupport.run(["lint", "--no-config", "--format", "json", "-"], stdin: "net.ipv4.tcp_tw_reuse = 1\n")
        let singleObject = try JSONSerialization.jsonObject(with: Data(single.stdout.utf8)) as! [String: Any]
        XCTAssertTrue((singleObject["target"] as? [String: Any])?["applier"] is NSNull)
    }

    /// The README's live example: the exhausted client copy shipped in examples/.
    func testLiveCheckOfTheExampleHost() throws {
        let root = TestSupport.packageRoot + "/examples/exhausted-client"
        let r = try TestSupport.run(["check", "--live", "--no-config", "--proc-root", root + "/proc", "--root", root, "--format", "json"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let codes = Set((object["findings"] as! [[String: Any]]).map { $0["code"] as! String })
        XCTAssertTrue(codes.isSuperset(of: ["TW401", "TW403", "TW404", "TW409", "TW106", "TW203"]), "\(codes)")
        XCTAssertEqual((object["target"] as! [String: Any])["kernel"] as? String, "6.1.0")
        let prom = try TestSupport.run(["check", "--live", "--no-config", "--proc-root", root + "/proc", "--root", root, "--format", "prometheus", "--fail-on", "never"])
        XCTAssertEqual(prom.status, 0)
        XCTAssertTrue(prom.stdout.contains("twlint_findings{code=\"TW401\",severity=\"error\"} 1"), prom.stdout)
    }

    func testManifestExample() throws {
        let r = try TestSupport.run(["lint", "--no-config", "--format", "json", TestSupport.packageRoot + "/examples/k8s"])
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let findings = object["findings"] as! [[String: Any]]
        XCTAssertTrue(findings.contains { $0["code"] as? String == "TW307" })
        XCTAssertEqual((findings.first { $0["code"] as? String == "TW103" }?["location"] as? [String: Any])?["object"] as? String,
                       "spec.template.spec.securityContext.sysctls[0]")
    }

    func testConfigFileIsFoundUpwardAndApplied() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("""
        kernel: "4.9"
        fail-on: error
        disable: [TW108]
        severity:
          TW104: error
        """, to: dir + "/.twlint.yaml")
        try TestSupport.write("net.ipv4.tcp_timestamps = 0\nnet.ipv4.tcp_fin_timeout = 10\n", to: dir + "/sub/x.conf")
        let r = try TestSupport.run(["lint", "--format", "json", "x.conf"], cwd: dir + "/sub")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let findings = object["findings"] as! [[String: Any]]
        XCTAssertEqual(findings.map { $0["code"] as! String }, ["TW104"])
        XCTAssertEqual(findings.first?["severity"] as? String, "error")
        XCTAssertEqual((object["target"] as! [String: Any])["kernel"] as? String, "4.9")
        XCTAssertEqual(r.status, 1)
    }

    func testBadConfigIsAClearErrorNamingTheKey() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("kernal: 6.1\n", to: dir + "/.twlint.yaml")
        let r = try TestSupport.run(["lint", "-"], stdin: "", cwd: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("kernal"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean \"kernel\""), r.stderr)
    }

    func testUserRulesDirectory() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(TestSupport.houseRule(code: "HOUSE1", slug: "house-somaxconn"), to: dir + "/rules/HOUSE1-house-somaxconn.xml")
        let r = try TestSupport.run(["lint", "--no-config", "--rules", dir + "/rules", "-"], stdin: "net.core.somaxconn = 4096\n")
        XCTAssertTrue(r.stdout.contains("HOUSE1"), r.stdout)
        let explain = try TestSupport.run(["explain", "--rules", dir + "/rules", "house-somaxconn"])
        XCTAssertEqual(explain.status, 0)
        XCTAssertTrue(explain.stdout.contains("HOUSE1"))
        let checked = try TestSupport.run(["rules", "--check", "--rules", dir + "/rules"])
        XCTAssertEqual(checked.status, 0, checked.stdout)
        XCTAssertTrue(checked.stdout.hasSuffix(" passed, 0 failed\n"), checked.stdout)
        try TestSupport.write("<rule/>", to: dir + "/bad/TW991-x.xml")
        let bad = try TestSupport.run(["lint", "--no-config", "--rules", dir + "/bad", "-"], stdin: "")
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("TW991-x.xml:1"), bad.stderr)
    }

    func testExplainExitCodes() throws {
        let ok = try TestSupport.run(["explain", "tcp_tw_reuse", "rst", "so_linger"])
        XCTAssertEqual(ok.status, 0)
        XCTAssertTrue(ok.stdout.contains("net.ipv4.tcp_tw_reuse"))
        let unknown = try TestSupport.run(["explain", "tcp_tw_resue"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("Did you mean: tcp_tw_reuse"), unknown.stderr)
        let json = try TestSupport.run(["explain", "--format", "json", "/proc/sys/net/core/somaxconn"])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["key"] as? String, "net.core.somaxconn")
        let md = try TestSupport.run(["explain", "--format", "markdown", "TW101"])
        XCTAssertTrue(md.stdout.hasPrefix("# TW101"), md.stdout)
    }

    func testRulesAndParamsListings() throws {
        let rules = try TestSupport.run(["rules", "--format", "json"])
        let list = try JSONSerialization.jsonObject(with: Data(rules.stdout.utf8)) as! [[String: Any]]
        XCTAssertEqual(list.count, TestSupport.kb.rules.count)
        let params = try TestSupport.run(["params", "--kernel", "5.4"])
        XCTAssertTrue(params.stdout.contains("net.core.somaxconn"))
        XCTAssertTrue(params.stdout.contains("DEFAULT (5.4)"))
    }

    /// The binary carries its knowledge: it works from any directory.
    func testWorksFromAnyDirectory() throws {
        let r = try TestSupport.run(["explain", "time-wait"], cwd: "/")
        XCTAssertEqual(r.status, 0, r.stderr)
    }
}

final class SuppressionTests: XCTestCase {
    func testNextLineFileAndUnused() {
        let findings = TestSupport.lint("""
        # twlint: disable-file=TW204
        # twlint: disable=port-range-narrow -- batch host, few outgoing connections
        net.ipv4.ip_local_port_range = 40000 50000
        # twlint: disable=TW104
        net.ipv4.tcp_fin_timeout = 10
        net.ipv4.tcp_timestamps = 0
        """)
        XCTAssertEqual(TestSupport.codes(findings), ["TW910", "TW108", "TW104"])
        XCTAssertEqual(findings.first?.location?.line, 4, "the directive above the wrong line suppresses nothing")
    }

    func testConfigDisableAndSeverityOverride() {
        let options = LintOptions(disabled: ["tw-buckets-lowered"], severityOverrides: ["TW108": .error])
        let findings = Linter(kb: TestSupport.kb).lint(text: Data("net.ipv4.tcp_max_tw_buckets = 5000\nnet.ipv4.tcp_fin_timeout = 10\n".utf8), path: "x.conf", options: options)
        XCTAssertEqual(findings.map(\.code), ["TW108"])
        XCTAssertEqual(findings.first?.severity, .error)
    }

    func testConfigParsing() throws {
        let config = try ProjectConfig.parse("kernel: 5.15\nprofile: server\nrules: [extra]\n", path: "c.yaml")
        XCTAssertEqual(config.kernel, KernelVersion(5, 15))
        XCTAssertEqual(config.profile, .server)
        XCTAssertThrowsError(try ProjectConfig.parse("profile: laptop\n", path: "c.yaml")) { error in
            XCTAssertTrue("\(error)".contains("c.yaml:1: profile"), "\(error)")
        }
        XCTAssertThrowsError(try ProjectConfig.parse("severity: {TW101: fatal}\n", path: "c.yaml"))
        XCTAssertThrowsError(try ProjectConfig.parse("- a\n- b\n", path: "c.yaml"))
    }
}
