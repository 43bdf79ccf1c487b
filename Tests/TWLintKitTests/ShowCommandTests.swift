import XCTest
@testable import TWLintKit

/// `twlint show`, `lint --merge`, `--applier`, and the live check on the application model.
final class ShowCommandTests: XCTestCase {
    let runner = ExampleRunner(kb: TestSupport.kb)

    func testShowSystemJSON() throws {
        let root = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.ipv4.conf.*.rp_filter = 2\nnet.ipv4.tcp_fin_timeout = 30 # was 60\n", to: root + "/etc/sysctl.d/10-a.conf")
        try TestSupport.write("net.ipv4.tcp_fin_timeout = 45\n", to: root + "/usr/lib/sysctl.d/05-vendor.conf")
        try TestSupport.write("net.core.somaxconn = 1024\n", to: root + "/etc/sysctl.conf")
        let run = try TestSupport.run(["show", "--system", "--root", root, "--applier", "systemd", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["applier"] as? String, "systemd")
        let settings = try XCTUnwrap(json["settings"] as? [[String: Any]])
        func entry(_ key: String) -> [String: Any]? { settings.first { $0["key"] as? String == key } }
        let fin = try XCTUnwrap(entry("net.ipv4.tcp_fin_timeout"))
        XCTAssertEqual(fin["value"] as? String, "30", "the kernel stops at the blank")
        XCTAssertEqual(fin["written"] as? String, "30 # was 60")
        XCTAssertEqual((fin["location"] as? [String: Any])?["line"] as? Int, 2)
        XCTAssertEqual((fin["overridden"] as? [[String: Any]])?.first?["written"] as? String, "45")
        let lo = try XCTUnwrap(entry("net.ipv4.conf.lo.rp_filter"))
        XCTAssertEqual(lo["glob"] as? String, "net.ipv4.conf.*.rp_filter")
        XCTAssertEqual(lo["value"] as? String, "2")
        // sysctl.conf: systemd leaves the default, procps 1024; the entry says so.
        let somaxconn = try XCTUnwrap(entry("net.core.somaxconn"))
        XCTAssertEqual((somaxconn["appliers"] as? [String: Any])?["procps"] as? String, "1024")
        XCTAssertTrue(somaxconn["location"] is NSNull)

        let text = try TestSupport.run(["show", "--system", "--root", root, "--applier", "procps"])
        XCTAssertTrue(text.stdout.contains("net.core.somaxconn = 1024\t# \(root)/etc/sysctl.conf:1"), text.stdout)
        XCTAssertTrue(text.stdout.hasPrefix("# applied as sysctl --system (procps) does"), text.stdout)
    }

    func testShowLiveSaysWhereEachValueCameFrom() throws {
        let root = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.ipv4.tcp_fin_timeout = 30 # was 60\nnet.core.somaxconn = 8192\n", to: root + "/etc/sysctl.d/10-a.conf")
        try TestSupport.write("30\n", to: root + "/proc/sys/net/ipv4/tcp_fin_timeout")
        try TestSupport.write("4096\n", to: root + "/proc/sys/net/core/somaxconn")
        let run = try TestSupport.run(["show", "--live", "--root", root, "--proc-root", root + "/proc", "--applier", "procps"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("net.ipv4.tcp_fin_timeout = 30\t# \(root)/etc/sysctl.d/10-a.conf:1"), run.stdout)
        XCTAssertTrue(run.stdout.contains("net.core.somaxconn = 4096\t# not from any file; the files would set \"8192\""), run.stdout)
    }

    func testMergeLintsFilesAsOneConfiguration() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.ipv4.tcp_tw_reuse = 1\n", to: dir + "/10-reuse.conf")
        try TestSupport.write("net.ipv4.tcp_timestamps = 0\n", to: dir + "/20-ts.conf")
        let alone = try TestSupport.run(["lint", "--brief", dir + "/10-reuse.conf", dir + "/20-ts.conf"])
        XCTAssertFalse(alone.stdout.contains("TW103"), "each file alone: no cross-file finding")
        let merged = try TestSupport.run(["lint", "--brief", "--merge", dir + "/20-ts.conf", dir + "/10-reuse.conf"])
        XCTAssertTrue(merged.stdout.contains("TW103"), merged.stdout)
        // A later file overrides an earlier one; the finding names the overridden assignment.
        try TestSupport.write("net.ipv4.tcp_timestamps = 1\n", to: dir + "/90-ts.conf")
        let fixed = try TestSupport.run(["lint", "--brief", "--merge", dir + "/10-reuse.conf", dir + "/20-ts.conf", dir + "/90-ts.conf"])
        XCTAssertFalse(fixed.stdout.contains("TW103"), fixed.stdout)
    }

    /// No false drift for a value the kernel normalised, a glob assignment, or a masked file.
    func testLiveCheckUsesTheApplicationModel() throws {
        let tree = LiveCheckTests.host(sysctls: ["net/ipv4/conf/all/rp_filter": "2", "net/ipv4/conf/lo/rp_filter": "2", "net/ipv4/conf/default/rp_filter": "2",
                                                 "net/ipv4/tcp_max_syn_backlog": "4096"],
            extra: """
            == /etc/sysctl.d/10-net.conf
            net.ipv4.tcp_max_syn_backlog = 4096 # was 300
            net.ipv4.conf.*.rp_filter = 2
            == /etc/sysctl.d/20-old.conf -> /dev/null
            == /usr/lib/sysctl.d/20-old.conf
            net.core.somaxconn = 128

            """)
        let report = runner.withTree(tree) { root in LiveCheck(kb: TestSupport.kb).run(procRoot: root + "/proc", root: root, options: LintOptions()) }
        XCTAssertEqual(report.findings.filter { $0.code == "TW409" }.map(\.message), [])
        let drifted = LiveCheckTests.host(sysctls: ["net/ipv4/conf/all/rp_filter": "2", "net/ipv4/conf/lo/rp_filter": "0", "net/ipv4/conf/default/rp_filter": "2"],
                                          extra: "== /etc/sysctl.d/10-net.conf\nnet.ipv4.conf.*.rp_filter = 2\n")
        let again = runner.withTree(drifted) { root in LiveCheck(kb: TestSupport.kb).run(procRoot: root + "/proc", root: root, options: LintOptions()) }
        XCTAssertEqual(again.findings.filter { $0.code == "TW409" }.compactMap(\.key), ["net.ipv4.conf.lo.rp_filter"], "a glob assignment drifts too")
    }
}
