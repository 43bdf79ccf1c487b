import XCTest
@testable import TWLintKit

/// Discovery, masking and ordering per applier, and `lint --system` on the application model.
/// (What the real appliers do is proven by ApplierOracleTests; these pin single behaviours.)
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
    func systemPaths(_ applier: Applier) -> [String] {
        Discovery.discover(applier, in: RootFS(root: root)).files.map { String(decoding: $0.system, as: UTF8.self) }
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
        let common = ["/usr/lib/sysctl.d/10-a.conf", "/etc/sysctl.d/50-default.conf", "/run/sysctl.d/60-run.conf",
                      "/usr/local/lib/sysctl.d/70-local.conf", "/etc/sysctl.d/80-vendor.conf"]
        XCTAssertEqual(systemPaths(.systemd), common)
        XCTAssertEqual(systemPaths(.procps), common + ["/etc/sysctl.conf"], "procps reads /etc/sysctl.conf last")
        let d = Discovery.discover(.systemd, in: RootFS(root: root))
        XCTAssertEqual(Set(d.masked.map(\.path)), [root + "/usr/lib/sysctl.d/50-default.conf", root + "/usr/lib/sysctl.d/80-vendor.conf"])
        XCTAssertEqual(d.files.last?.node, .devNull)
    }

    func testNamesAreBytes() throws {
        try file("/etc/sysctl.d/caf\u{E9}.conf", "net.core.somaxconn = 1\n")            // NFC
        try file("/usr/lib/sysctl.d/cafe\u{301}.conf", "net.core.somaxconn = 2\n")      // NFD: another name
        try file("/etc/sysctl.d/Z.conf", "net.core.somaxconn = 3\n")
        try file("/etc/sysctl.d/a.conf", "net.core.somaxconn = 4\n")
        let invalid = Array((root + "/etc/sysctl.d/").utf8) + [0xFF] + Array(".conf".utf8)
        try TreeGenerator.write(invalid, Array("net.core.somaxconn = 5\n".utf8))
        let names = Discovery.discover(.systemd, in: RootFS(root: root)).files.map(\.name)
        XCTAssertEqual(names, [Array("Z.conf".utf8), Array("a.conf".utf8), Array("cafe\u{301}.conf".utf8), Array("caf\u{E9}.conf".utf8),
                               [0xFF] + Array(".conf".utf8)], "strcmp order, NFC and NFD distinct, the non-UTF-8 name read")
        let app = Application(applier: .systemd, discovery: Discovery.discover(.systemd, in: RootFS(root: root)),
                              state: KernelState.catalog(TestSupport.kb, kernel: .newestKnown), writer: KernelWriteModel(kb: TestSupport.kb))
        XCTAssertEqual(app.state.value("net/core/somaxconn"), "5")
    }

    func testHiddenFilesAndDanglingLinksPerApplier() throws {
        try file("/etc/sysctl.d/.hidden.conf", "net.core.somaxconn = 1\n")
        try link("/etc/sysctl.d/20-gone.conf", "/nowhere.conf")
        try file("/usr/lib/sysctl.d/20-gone.conf", "net.core.somaxconn = 2\n")
        XCTAssertEqual(systemPaths(.systemd), ["/etc/sysctl.d/20-gone.conf"], "systemd skips hidden files; the dangling link masks the vendor file")
        XCTAssertEqual(systemPaths(.procps), ["/etc/sysctl.d/.hidden.conf", "/etc/sysctl.d/20-gone.conf"])
        let report = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions(), applier: .systemd)
        XCTAssertFalse(report.findings.contains { $0.location?.path == root + "/usr/lib/sysctl.d/20-gone.conf" }, "a masked file is not linted")
        XCTAssertTrue(report.findings.contains { $0.code == "TW920" && $0.message.contains("somaxconn") }, "procps applies the hidden file")
    }

    func testSysctlConfLinkedFromSysctlD() throws {
        try file("/etc/sysctl.conf", "net.core.somaxconn = 1024\n")
        try link("/etc/sysctl.d/99-sysctl.conf", "../sysctl.conf")
        XCTAssertEqual(systemPaths(.procps), ["/etc/sysctl.d/99-sysctl.conf", "/etc/sysctl.conf"])
        let report = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions(), applier: .systemd)
        XCTAssertFalse(report.findings.contains { $0.code == "TW920" })
    }

    func testAbsoluteSymlinksResolveInsideTheRoot() throws {
        try file("/usr/share/tuning/net.conf", "net.core.somaxconn = 4096\n")
        try link("/etc/sysctl.d/30-net.conf", "/usr/share/tuning/net.conf")
        let files = Discovery.discover(.systemd, in: RootFS(root: root)).files
        XCTAssertEqual(files.first?.node, .file(host: Array((root + "/usr/share/tuning/net.conf").utf8), system: Array("/usr/share/tuning/net.conf".utf8)))
    }

    /// Issue 10 "Escapes": symlinked directories and files cannot leave the root, and nothing of a host
    /// file is echoed.
    func testSymlinksCannotLeaveTheRoot() throws {
        try FileManager.default.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        try link("/etc/sysctl.d", "/etc")                                   // the host's /etc, if followed
        try link("/usr/lib/sysctl.d/10-passwd.conf", "/etc/passwd")        // the host's password file, if followed
        try link("/usr/local/lib/sysctl.d", "../../../../../../../../etc")  // climbs above the root
        try link("/run/sysctl.d/20-up.conf", "../../../../../../../../etc/passwd")
        for applier in Applier.allCases {
            let d = Discovery.discover(applier, in: RootFS(root: root))
            for f in d.files {
                if case .file(let host, _) = f.node {
                    XCTAssertTrue(String(decoding: host, as: UTF8.self).hasPrefix(root + "/"), "\(applier): \(f.displayPath) resolved outside the root")
                }
            }
        }
        let report = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions())
        let text = report.findings.map { $0.message + $0.related.map(\.note).joined() }.joined(separator: "\n")
        XCTAssertFalse(text.contains("root:"), "a host file's content reached the output:\n\(text)")
        XCTAssertEqual(RootFS(root: root).resolve("/etc/sysctl.d/passwd"), .missing)
    }

    func testNotAnAssignmentEchoIsCapped() throws {
        let long = String(repeating: "x", count: 500)
        let findings = TestSupport.lint(long + "\n")
        let f = try XCTUnwrap(findings.first { $0.code == "TW901" })
        XCTAssertLessThan(f.message.count, 300, f.message)
        XCTAssertFalse(f.message.contains(String(repeating: "x", count: 100)))
    }

    func testLoopsAndDanglingLinksAreLocated() throws {
        try link("/etc/sysctl.d/10-a.conf", "10-b.conf")
        try link("/etc/sysctl.d/10-b.conf", "10-a.conf")
        try link("/etc/sysctl.d/20-gone.conf", "/nowhere.conf")
        let report = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions())
        XCTAssertEqual(report.findings.map(\.code).sorted(), ["TW907", "TW908", "TW908"])
        XCTAssertTrue(report.findings.allSatisfy { $0.location?.path.hasPrefix(root + "/etc/sysctl.d/") == true })
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

    /// A refused write of a line naming its key is TW804, as in a single file, with the same words and the value in
    /// force at that point of the application; a refused value a glob writes is TW921, one finding per key reached.
    func testRefusedWritesAreTW804AndGlobWritesTW921() throws {
        try file("/etc/sysctl.d/05-a.conf", "net.ipv4.tcp_tw_reuse = 1\n")
        try file("/etc/sysctl.d/10-b.conf", "net.ipv4.tcp_tw_reuse = 5\nnet.ipv6.conf.*.hop_limit = 300\n")
        let report = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions(), applier: .procps)
        let refused = report.findings.filter { $0.code == "TW804" }
        XCTAssertEqual(refused.map(\.message), ["net.ipv4.tcp_tw_reuse = 5: 5 is above the maximum 2; the kernel refuses the write (EINVAL) and net.ipv4.tcp_tw_reuse keeps 1, set at \(root)/etc/sysctl.d/05-a.conf:1:1"])
        let single = TestSupport.lint("net.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_tw_reuse = 5\n").filter { $0.code == "TW804" }
        XCTAssertEqual(single.map(\.message), ["net.ipv4.tcp_tw_reuse = 5: 5 is above the maximum 2; the kernel refuses the write (EINVAL) and net.ipv4.tcp_tw_reuse keeps 1, set at test.conf:1:1"])
        let glob = report.findings.filter { $0.code == "TW921" }
        XCTAssertFalse(glob.isEmpty)
        XCTAssertTrue(glob.allSatisfy { $0.location?.line == 2 && $0.message.hasPrefix("net.ipv6.conf.*.hop_limit = 300 reaches net.ipv6.conf.") }, "\(glob.map(\.message))")
        XCTAssertTrue(glob.contains { $0.key == "net.ipv6.conf.default.hop_limit" })
        // A refused line overridden later in the same file: reported alone (procps writes it), and with --system only
        // when the applier writes it (procps every line, systemd each key once).
        let overridden = TestSupport.lint("net.ipv4.tcp_tw_reuse = 5\nnet.ipv4.tcp_tw_reuse = 1\n").filter { $0.code == "TW804" }
        XCTAssertEqual(overridden.map { $0.location?.line }, [1])
        XCTAssertEqual(overridden.first?.message.contains("keeps 2 (the default); procps sysctl writes every line in order and fails here"), true)
        try file("/etc/sysctl.d/20-c.conf", "net.ipv4.tcp_ecn = 9\nnet.ipv4.tcp_ecn = 1\n")
        let procpsOverridden = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions(), applier: .procps)
        XCTAssertEqual(procpsOverridden.findings.filter { $0.code == "TW804" }.compactMap { $0.location?.path.hasSuffix("20-c.conf") == true ? $0.location?.line : nil }, [1])
        let systemdOverridden = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions(), applier: .systemd)
        XCTAssertFalse(systemdOverridden.findings.contains { $0.code == "TW804" && $0.location?.path.hasSuffix("20-c.conf") == true })
        try FileManager.default.removeItem(atPath: root + "/etc/sysctl.d/20-c.conf")
        // systemd writes each key once: the earlier file's 1 was never written, so the value before the files stays.
        let systemd = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions(), applier: .systemd)
        XCTAssertEqual(systemd.findings.first { $0.code == "TW804" }?.message.hasSuffix("keeps 2 (its value before the files: the kb catalog for Linux 6.18)"), true)
    }

    /// Globs are applied: the concrete keys they reach are linted; a plain assignment beats a glob.
    func testGlobsReachTheRules() throws {
        try file("/etc/sysctl.d/10-a.conf", "net.ipv4.conf.*.rp_filter = 2\nnet.ipv4.conf.lo.rp_filter = 0\n")
        let system = SystemConfiguration.load(root: root, applier: .systemd, state: KernelState.catalog(TestSupport.kb, kernel: .newestKnown), kb: TestSupport.kb)
        XCTAssertEqual(system.effective["net.ipv4.conf.all.rp_filter"]?.value, "2")
        XCTAssertEqual(system.effective.entries["net.ipv4.conf.all.rp_filter"]?.glob, "net.ipv4.conf.*.rp_filter")
        XCTAssertEqual(system.effective["net.ipv4.conf.lo.rp_filter"]?.value, "0")
        XCTAssertNil(system.effective.entries["net.ipv4.conf.lo.rp_filter"]?.glob)
    }

    /// A value the kernel rejects leaves the previous one in force: procps wrote the earlier assignment,
    /// systemd-sysctl (one write per key) only the rejected one, so the default stays.
    func testRejectedValueLeavesTheEarlierOne() throws {
        try file("/usr/lib/sysctl.d/10-a.conf", "net.ipv4.tcp_tw_reuse = 1\n")
        try file("/etc/sysctl.d/20-b.conf", "net.ipv4.tcp_tw_reuse = 5\n")
        let state = KernelState.catalog(TestSupport.kb, kernel: .newestKnown)
        let systemd = SystemConfiguration.load(root: root, applier: .systemd, state: state, kb: TestSupport.kb)
        XCTAssertNil(systemd.effective.entries["net.ipv4.tcp_tw_reuse"])
        XCTAssertEqual(systemd.effective.onlyRejected["net.ipv4.tcp_tw_reuse"]?.map(\.setting.value), ["5"])
        XCTAssertEqual(systemd.chosen.state.value("net/ipv4/tcp_tw_reuse"), state.value("net/ipv4/tcp_tw_reuse"))
        let system = SystemConfiguration.load(root: root, applier: .procps, state: state, kb: TestSupport.kb)
        let entry = try XCTUnwrap(system.effective.entries["net.ipv4.tcp_tw_reuse"])
        XCTAssertEqual(entry.winner.value, "1")
        XCTAssertEqual(entry.winner.location.path, root + "/usr/lib/sysctl.d/10-a.conf")
        XCTAssertEqual(entry.rejected.map(\.setting.value), ["5"])
    }

    func testRepeatsAreKeptInOrder() {
        var config = EffectiveConfiguration()
        for i in 0..<1000 { config.apply(Setting(key: "k", value: String(i), location: SourceLocation(path: "f", line: i + 1))) }
        XCTAssertEqual(config["k"]?.value, "999")
        XCTAssertEqual(config.entries["k"]?.overridden.map(\.value), (0..<999).map(String.init))
        XCTAssertEqual(config.order, ["k"])
    }

    func testEmptyRootSaysNothingIsApplied() throws {
        let report = Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions())
        XCTAssertEqual(report.findings.map(\.code), ["TW907"])
        XCTAssertFalse(report.hadUnreadableInput)
    }
}
