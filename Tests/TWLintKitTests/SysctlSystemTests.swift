import XCTest
@testable import TWLintKit

final class SysctlSystemTests: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        root = try TestSupport.temporaryDirectory(self)
    }

    func file(_ path: String, _ text: String) throws { try TestSupport.write(text, to: root + path) }
    func link(_ path: String, _ target: String) throws {
        try FileManager.default.createDirectory(atPath: ((root + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + path, withDestinationPath: target)
    }

    func testOrderMaskingAndDevNull() throws {
        try file("/usr/lib/sysctl.d/50-default.conf", "net.core.somaxconn = 1024\n")
        try file("/etc/sysctl.d/50-default.conf", "net.core.somaxconn = 8192\n")       // masks the vendor file
        try file("/usr/lib/sysctl.d/10-a.conf", "net.ipv4.tcp_syncookies = 1\n")
        try file("/run/sysctl.d/60-run.conf", "net.ipv4.tcp_fin_timeout = 30\n")
        try file("/usr/local/lib/sysctl.d/70-local.conf", "net.ipv4.tcp_fin_timeout = 40\n")
        try file("/usr/lib/sysctl.d/80-vendor.conf", "net.ipv4.tcp_tw_reuse = 1\n")
        try link("/etc/sysctl.d/80-vendor.conf", "/dev/null")                          // disabled
        try file("/etc/sysctl.d/README", "not a conf file\n")
        try file("/etc/sysctl.conf", "net.ipv4.tcp_fin_timeout = 50\n")
        let plan = SysctlSystem(root: root).plan()
        XCTAssertEqual(plan.files.map(\.systemPath), ["/usr/lib/sysctl.d/10-a.conf", "/etc/sysctl.d/50-default.conf",
                                                      "/run/sysctl.d/60-run.conf", "/usr/local/lib/sysctl.d/70-local.conf", "/etc/sysctl.conf"])
        XCTAssertEqual(Set(plan.masked.map(\.path)), [root + "/usr/lib/sysctl.d/50-default.conf", root + "/usr/lib/sysctl.d/80-vendor.conf"])
        XCTAssertEqual(plan.sysctlConfOnlyProcps, root + "/etc/sysctl.conf")
        XCTAssertTrue(plan.problems.isEmpty)
    }

    func testSysctlConfLinkedFromSysctlD() throws {
        try file("/etc/sysctl.conf", "net.core.somaxconn = 4096\n")
        try link("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf")
        let plan = SysctlSystem(root: root).plan()
        XCTAssertNil(plan.sysctlConfOnlyProcps)
        XCTAssertEqual(plan.files.map(\.systemPath), ["/etc/sysctl.d/99-sysctl.conf", "/etc/sysctl.conf"])
    }

    func testAbsoluteSymlinksResolveInsideTheRoot() throws {
        try file("/usr/share/tuning/net.conf", "net.core.somaxconn = 4096\n")
        try link("/etc/sysctl.d/30-net.conf", "/usr/share/tuning/net.conf")
        let plan = SysctlSystem(root: root).plan()
        XCTAssertEqual(plan.files.first?.resolvedPath, root + "/usr/share/tuning/net.conf")
    }

    func testLoopsAndDanglingLinksAreLocated() throws {
        try link("/etc/sysctl.d/10-a.conf", "10-b.conf")
        try link("/etc/sysctl.d/10-b.conf", "10-a.conf")
        try link("/etc/sysctl.d/20-gone.conf", "/nowhere.conf")
        let plan = SysctlSystem(root: root).plan()
        XCTAssertEqual(plan.problems.map(\.code).sorted(), ["TW907", "TW908", "TW908"])
        XCTAssertTrue(plan.problems.allSatisfy { $0.location.path.hasPrefix(root + "/etc/sysctl.d/") })
    }

    func testUnreadableDirectoryIsReported() throws {
        guard getuid() != 0 else { throw XCTSkip("root reads every directory; run as a normal user to test permissions") }
        try file("/etc/sysctl.d/10-a.conf", "net.core.somaxconn = 4096\n")
        chmod(root + "/etc/sysctl.d", 0)
        defer { chmod(root + "/etc/sysctl.d", 0o755) }
        let plan = SysctlSystem(root: root).plan()
        XCTAssertEqual(plan.problems.map(\.code), ["TW907"])
    }

    /// A bad vendor default that an admin file overrides is not a finding; the winner carries the chain.
    func testEffectiveValuesAreLintedWithProvenance() throws {
        try file("/usr/lib/sysctl.d/50-vendor.conf", "net.ipv4.tcp_timestamps = 0\nnet.ipv4.ip_local_port_range = 32768 60999\n")
        try file("/etc/sysctl.d/90-admin.conf", "net.ipv4.tcp_timestamps = 1\nnet.ipv4.ip_local_port_range = 40000 50001\n")
        let report = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions())
        XCTAssertFalse(report.findings.contains { $0.code == "TW104" }, "the overridden timestamps = 0 must not be reported")
        let narrow = try XCTUnwrap(report.findings.first { $0.code == "TW203" })
        XCTAssertEqual(narrow.location?.path, root + "/etc/sysctl.d/90-admin.conf")
        XCTAssertEqual(narrow.location?.line, 2)
        XCTAssertEqual(narrow.related.map(\.location.path), [root + "/usr/lib/sysctl.d/50-vendor.conf"])
        XCTAssertEqual(report.inputsRead, 2)
    }

    func testEmptyRootSaysNothingIsApplied() throws {
        let report = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions())
        XCTAssertEqual(report.findings.map(\.code), ["TW907"])
        XCTAssertFalse(report.hadUnreadableInput)
    }
}
