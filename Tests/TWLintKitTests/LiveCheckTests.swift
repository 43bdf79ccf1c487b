import XCTest
@testable import TWLintKit

/// The live check on /proc-shaped fixtures, as an unprivileged user, and for real in a network namespace.
final class LiveCheckTests: XCTestCase {
    let runner = ExampleRunner(kb: TestSupport.kb)

    static let tcpHeader = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"

    /// A complete, healthy /proc copy; fixtures below change parts of it.
    static func host(kernel: String = "6.1.0-18-amd64", sysctls: [String: String] = [:], tcp: [String] = [],
                     netstat: String = "TcpExt: TW TCPTimeWaitOverflow ListenOverflows ListenDrops PAWSPassive TCPAbortOnData\nTcpExt: 120 0 0 0 0 0",
                     sockstat: String = "TCP: inuse 3 orphan 0 tw 2 alloc 4 mem 1", extra: String = "") -> String {
        var defaults = ["net/ipv4/ip_local_port_range": "32768\t60999", "net/ipv4/tcp_max_tw_buckets": "131072",
                        "net/ipv4/tcp_ehash_entries": "262144", "net/ipv4/tcp_tw_reuse": "2", "net/ipv4/tcp_timestamps": "1",
                        "net/core/somaxconn": "4096"]
        for (k, v) in sysctls { defaults[k] = v }
        var tree = "== /proc/sys/kernel/osrelease\n\(kernel)\n"
        for (k, v) in defaults.sorted(by: { $0.key < $1.key }) { tree += "== /proc/sys/\(k)\n\(v)\n" }
        tree += "== /proc/net/tcp\n\(tcpHeader)\n" + tcp.joined(separator: "\n") + "\n"
        tree += "== /proc/net/tcp6\n\(tcpHeader)\n"
        tree += "== /proc/net/netstat\n\(netstat)\n== /proc/net/snmp\nTcp: ActiveOpens OutRsts EstabResets AttemptFails\nTcp: 10 0 0 0\n"
        tree += "== /proc/net/sockstat\n\(sockstat)\n" + extra
        return tree
    }

    static func timeWait(_ n: Int, localPortStart: Int, remote: String = "0A00000A:1F90") -> [String] {
        (0..<n).map { i in String(format: "%4d: 0100007F:%04X %@ 06 00000000:00000000 03:00000000 00000000     0        0 0 1 0000000000000000", i, localPortStart + i, remote) }
    }

    func check(_ tree: String, options: LintOptions = LintOptions()) -> LintReport {
        runner.withTree(tree) { root in LiveCheck(kb: TestSupport.kb).run(procRoot: root + "/proc", root: root, options: options) }
    }

    func testHealthyHostIsClean() {
        let report = check(Self.host(tcp: Self.timeWait(40, localPortStart: 40000)))
        XCTAssertEqual(report.findings.map(\.code), [], report.findings.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(report.target.kernel, KernelVersion(6, 1, 0))
        XCTAssertTrue(report.target.kernelExplicit)
    }

    func testExhaustedClientNamesTheDestination() throws {
        // 100 usable ports, 95 held in TIME_WAIT toward 10.0.0.10:8080.
        let report = check(Self.host(sysctls: ["net/ipv4/ip_local_port_range": "40000\t40099"], tcp: Self.timeWait(95, localPortStart: 40000)))
        let f = try XCTUnwrap(report.findings.first { $0.code == "TW401" })
        XCTAssertEqual(f.severity, .error)
        XCTAssertTrue(f.message.contains("10.0.0.10:8080"), f.message)
        XCTAssertTrue(f.message.contains("95 of the 100"), f.message)
        XCTAssertTrue(f.fix.contains("tcp_tw_reuse"))
        let worst = report.metrics.first { $0.name == "twlint_ephemeral_ports_worst_destination_ratio" }
        XCTAssertEqual(worst?.value ?? 0, 0.95, accuracy: 0.001)
    }

    func testReservedPortsShrinkTheUsablePool() throws {
        let report = check(Self.host(sysctls: ["net/ipv4/ip_local_port_range": "40000\t40099", "net/ipv4/ip_local_reserved_ports": "40050-40099"],
                                     tcp: Self.timeWait(30, localPortStart: 40000)))
        let f = try XCTUnwrap(report.findings.first { $0.code == "TW401" })
        XCTAssertEqual(f.severity, .warning, "30 of 50 usable ports is 60%")
    }

    func testOverflowingHost() {
        let report = check(Self.host(sysctls: ["net/ipv4/tcp_max_tw_buckets": "5000"],
                                     netstat: "TcpExt: TW TCPTimeWaitOverflow\nTcpExt: 90000 4321", sockstat: "TCP: inuse 3 orphan 0 tw 4990 alloc 4 mem 1"))
        let codes = Set(report.findings.map(\.code))
        XCTAssertTrue(codes.isSuperset(of: ["TW106", "TW403", "TW404"]), "\(codes)")
        XCTAssertTrue(report.findings.first { $0.code == "TW106" }?.message.contains("131072 on this host") ?? false,
                      "the live hash size gives the exact default")
    }

    func testNATDroppingHost() {
        let report = check(Self.host(kernel: "4.9.0-8-amd64", sysctls: ["net/ipv4/tcp_tw_recycle": "1"],
                                     netstat: "TcpExt: PAWSPassive PAWSActive\nTcpExt: 812 0"))
        let codes = report.findings.map(\.code)
        XCTAssertTrue(codes.contains("TW405"), "\(codes)")
        XCTAssertTrue(codes.contains("TW102"), "the sysctl rules run on live values with the running kernel: \(codes)")
    }

    func testDriftingHost() throws {
        let report = check(Self.host(sysctls: ["net/core/somaxconn": "128"], extra: "== /etc/sysctl.d/90-net.conf\n# tuned\nnet.core.somaxconn = 8192\nnet.ipv4.ip_local_port_range = 32768   60999\n"))
        let drift = report.findings.filter { $0.code == "TW409" }
        XCTAssertEqual(drift.count, 1, "whitespace in multi-value keys is normalised: \(drift.map(\.message))")
        let f = try XCTUnwrap(drift.first)
        XCTAssertEqual(f.location?.line, 2)
        XCTAssertTrue(f.location?.path.hasSuffix("/etc/sysctl.d/90-net.conf") ?? false)
        XCTAssertTrue(f.related.first?.location.path.hasSuffix("/proc/sys/net/core/somaxconn") ?? false)
    }

    func testIntervalReportsRates() {
        let report = runner.withTree(Self.host(netstat: "TcpExt: TCPAbortOnData\nTcpExt: 50")) { root in
            LiveCheck(kb: TestSupport.kb).run(procRoot: root + "/proc", root: root, interval: 0.05, options: LintOptions())
        }
        let f = report.findings.first { $0.code == "TW407" }
        XCTAssertNil(f, "an unchanged counter has a zero rate: \(report.findings.map(\.message))")
    }

    func testPrometheusOutput() {
        let report = check(Self.host(sysctls: ["net/ipv4/ip_local_port_range": "40000\t40099"], tcp: Self.timeWait(95, localPortStart: 40000)))
        let text = Reporter(format: .prometheus).render(report, kb: TestSupport.kb)
        XCTAssertTrue(text.contains("twlint_findings{code=\"TW401\",severity=\"error\"} 1"), text)
        XCTAssertTrue(text.contains("twlint_tcp_time_wait_sockets 95"), text)
        XCTAssertTrue(text.contains("twlint_ephemeral_ports_worst_destination_ratio 0.95"), text)
        XCTAssertTrue(text.contains("twlint_ephemeral_ports_destination_ratio{destination=\"10.0.0.10:8080\",local=\"127.0.0.1\"} 0.95"), text)
        XCTAssertTrue(text.contains("twlint_tcp_time_wait_destination_sockets{destination=\"10.0.0.10:8080\",local=\"127.0.0.1\"} 95"), text)
        XCTAssertTrue(text.contains("# TYPE twlint_tcp_events_total counter"), text)
    }

    func testSocketTableParsing() {
        let text = Self.tcpHeader + "\n   0: 0100007F:1F90 0200000A:D431 01 00000000:00000000 00:00000000 00000000  1000        0 1 1 0\n garbage\n"
        let (sockets, malformed) = SocketTable.parse(text)
        XCTAssertEqual(sockets.first?.local, "127.0.0.1:8080")
        XCTAssertEqual(sockets.first?.remote, "10.0.0.2:54321")
        XCTAssertEqual(malformed, [3])
        let v6 = SocketTable.parse(Self.tcpHeader + "\n   0: 00000000000000000000000001000000:1F90 0000000000000000FFFF00000100007F:0050 06 0 0 0 0\n").sockets
        XCTAssertEqual(v6.first?.local, "[::1]:8080")
        XCTAssertEqual(v6.first?.remote, "[::ffff:127.0.0.1]:80")
    }

    /// As a normal user the check still runs and lists what it could not read.
    func testUnprivilegedRunReportsWhatItCouldNotRead() throws {
        guard getuid() == 0 else {
            let r = try TestSupport.run(["check", "--live", "--no-config", "--format", "json"])
            XCTAssertNotEqual(r.status, 2, r.stderr)
            return
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") || FileManager.default.isExecutableFile(atPath: "/sbin/runuser") else {
            throw XCTSkip("runuser is needed to drop privileges")
        }
        let binary = Bundle.main.bundleURL.appendingPathComponent("twlint").path
        let r = try TestSupport.run(["-u", "nobody", "--", binary, "check", "--live", "--no-config", "--format", "json", "--fail-on", "never"],
                                    cwd: "/", executable: "/usr/sbin/runuser")
        XCTAssertEqual(r.status, 0, r.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let unreadable = (object["findings"] as! [[String: Any]]).filter { $0["code"] as? String == "TW410" }
        XCTAssertFalse(unreadable.isEmpty, "root-only files such as tcp_fastopen_key are listed")
        XCTAssertTrue(unreadable.allSatisfy { ($0["message"] as? String ?? "").contains("could not be read") })
    }

    /// The incident for real: in a network namespace of its own, narrow the port range to 100 ports, turn
    /// tcp_tw_reuse off, open and close loopback connections until connect() fails with EADDRNOTAVAIL, then
    /// run `twlint check --live` there; lower tcp_max_tw_buckets and check the overflow is seen. Nothing outside
    /// the namespace changes; the namespace ends with the shell.
    func testPortExhaustionInANetworkNamespace() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to create a network namespace (unshare -n)") }
        guard (try? TestSupport.run(["-n", "true"], executable: "/usr/bin/unshare"))?.status == 0 else {
            throw XCTSkip("unshare -n is not permitted here")
        }
        let dir = try TestSupport.temporaryDirectory(self)
        let binary = Bundle.main.bundleURL.appendingPathComponent("twlint").path
        let churn = """
        import socket, errno, sys
        port = int(sys.argv[1]); limit = int(sys.argv[2])
        srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", port)); srv.listen(512)
        made = 0
        for i in range(limit):
            c = socket.socket()
            try:
                c.connect(("127.0.0.1", port))
            except OSError as e:
                c.close()
                if e.errno == errno.EADDRNOTAVAIL:
                    print("EADDRNOTAVAIL after", made); break
                raise
            s, _ = srv.accept()
            c.close(); s.close(); made += 1
        else:
            print("no EADDRNOTAVAIL after", made)
        """
        try churn.write(toFile: dir + "/churn.py", atomically: true, encoding: .utf8)
        let script = """
        set -e
        ip link set lo up 2>/dev/null || true
        echo "40000 40099" > /proc/sys/net/ipv4/ip_local_port_range
        echo 0 > /proc/sys/net/ipv4/tcp_tw_reuse
        timeout 60 python3 \(dir)/churn.py 8080 400 > \(dir)/churn1.txt
        \(binary) check --live --no-config --root \(dir) --format json --fail-on never > \(dir)/exhausted.json
        echo 10 > /proc/sys/net/ipv4/tcp_max_tw_buckets
        timeout 60 python3 \(dir)/churn.py 8081 30 > \(dir)/churn2.txt
        \(binary) check --live --no-config --root \(dir) --format json --fail-on never > \(dir)/overflow.json
        """
        let r = try TestSupport.run(["-n", "sh", "-c", script], executable: "/usr/bin/unshare")
        XCTAssertEqual(r.status, 0, r.stderr)
        let churned = try String(contentsOfFile: dir + "/churn1.txt", encoding: .utf8)
        XCTAssertTrue(churned.hasPrefix("EADDRNOTAVAIL"), churned)

        func findings(_ file: String) throws -> [[String: Any]] {
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            return (try JSONSerialization.jsonObject(with: data) as! [String: Any])["findings"] as! [[String: Any]]
        }
        let exhausted = try findings("exhausted.json")
        let tw401 = try XCTUnwrap(exhausted.first { $0["code"] as? String == "TW401" }, "\(exhausted.map { $0["code"]! })")
        XCTAssertEqual(tw401["severity"] as? String, "error")
        XCTAssertTrue((tw401["message"] as? String ?? "").contains("127.0.0.1:8080"), "\(tw401["message"] ?? "")")
        let overflow = try findings("overflow.json")
        XCTAssertTrue(overflow.contains { $0["code"] as? String == "TW404" }, "\(overflow.map { $0["code"]! })")
        XCTAssertTrue(overflow.contains { $0["code"] as? String == "TW403" }, "\(overflow.map { $0["code"]! })")
        // The host namespace was not touched.
        XCTAssertNotEqual(try String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8), "40000\t40099\n")
    }
}
