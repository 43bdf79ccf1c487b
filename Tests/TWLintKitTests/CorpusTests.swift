import XCTest
@testable import TWLintKit

/// Real public files that set sysctls (../shared/corpus, see its INDEX.md), with the findings a careful
/// reader expects from them. Each test names the file's origin: repository, path, commit.
final class CorpusTests: XCTestCase {
    func findings(_ name: String) throws -> [(code: String, line: Int)] {
        guard let corpus = TestSupport.corpus else {
            throw XCTSkip("../shared/corpus is not beside this checkout")
        }
        let report = Linter(kb: TestSupport.kb).lint(paths: [corpus + "/" + name], options: LintOptions())
        XCTAssertFalse(report.hadUnreadableInput)
        return report.findings.map { ($0.code, $0.location?.line ?? 0) }
    }

    func assertContains(_ found: [(code: String, line: Int)], _ expected: [(String, Int)], file: StaticString = #filePath, line: UInt = #line) {
        for (code, l) in expected {
            XCTAssertTrue(found.contains { $0.code == code && $0.line == l }, "expected \(code) at line \(l); found \(found)", file: file, line: line)
        }
    }

    /// clay-wangzhi/ansible-role-sysinit, files/sysctl.conf @ d9768dca5612c583a0a234c2eeeef9dcbcd086ef
    func testAnsibleSysinit() throws {
        let f = try findings("clay-wangzhi__ansible-role-sysinit__files_sysctl.conf")
        assertContains(f, [
            ("TW106", 11),  // tcp_max_tw_buckets = 6000
            ("TW104", 21),  // tcp_timestamps = 0
            ("TW101", 24),  // tcp_tw_recycle = 1 on a current kernel
            ("TW103", 25),  // tcp_tw_reuse = 1 without timestamps
            ("TW906", 31),  // ip_local_port_range assigned twice (29 and 31)
        ])
        XCTAssertFalse(f.contains { $0.code == "TW801" }, "every key in this file exists: \(f)")
    }

    /// Gandi/gandi-vm-config, sysctl.conf @ fe5824f2016fec836c385797b321e579c29edd98
    func testGandiInlineComment() throws {
        let f = try findings("Gandi__gandi-vm-config__sysctl.conf")
        assertContains(f, [("TW902", 21)])
        XCTAssertEqual(f.filter { $0.code == "TW902" }.count, 1)
    }

    /// Alexitru/sysctl.conf, sysctl.conf @ 114ee283d7b45cca23ca23955c4cab64c2d2935b
    func testAlexitruObsoleteKeys() throws {
        let f = try findings("Alexitru__sysctl.conf__sysctl.conf")
        assertContains(f, [
            ("TW906", 11),  // tcp_syncookies again
            ("TW803", 29),  // tcp_nodelay never existed
            ("TW906", 56),  // conf.all.rp_filter again
        ])
        XCTAssertTrue(f.contains { $0.code == "TW806" }, "tcp_low_latency has no effect: \(f)")
    }

    /// IkezoeMakoto/isucon4-201707, sysctl.conf @ 0be5a026d6d4d8f1177295f13cd3606b100cea94
    func testIsuconTuning() throws {
        let f = try findings("IkezoeMakoto__isucon4-201707__sysctl.conf")
        XCTAssertEqual(f.filter { $0.code == "TW802" }.count, 3, "three net.bridge keys need br_netfilter: \(f)")
        assertContains(f, [("TW107", 46), ("TW204", 47), ("TW108", 51)])
        XCTAssertFalse(f.contains { $0.code == "TW103" || $0.code == "TW105" }, "tcp_tw_reuse = 1 with timestamps on a client is fine")
    }

    /// daixijun/ansible-role-sysctl, files/sysctl.conf @ 0114a8a1f6dd76ac66ad4c126e13fff0897fa59a
    func testDaixijunActionKeys() throws {
        let f = try findings("daixijun__ansible-role-sysctl__files_sysctl.conf")
        assertContains(f, [("TW106", 30), ("TW108", 31), ("TW204", 38), ("TW805", 43)])
        XCTAssertFalse(f.contains { $0.code == "TW101" }, "the commented-out tcp_tw_recycle line is not a setting")
    }
}
