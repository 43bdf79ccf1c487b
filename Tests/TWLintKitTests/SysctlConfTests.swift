import XCTest
@testable import TWLintKit

final class SysctlConfTests: XCTestCase {
    func parse(_ text: String) -> ParsedInput { SysctlConf.parse(Data(text.utf8), path: "t.conf") }

    func testAssignmentsCommentsAndSpacing() {
        let p = parse("""
        # comment
        ; also a comment
          # indented comment
        net.ipv4.tcp_syncookies=1
        net.ipv4.tcp_fin_timeout   =   30   \u{20}
        \tnet.core.somaxconn = 4096
        kernel.domainname =
        """)
        XCTAssertEqual(p.settings.map(\.key), ["net.ipv4.tcp_syncookies", "net.ipv4.tcp_fin_timeout", "net.core.somaxconn", "kernel.domainname"])
        XCTAssertEqual(p.settings.map(\.value), ["1", "30", "4096", ""])
        XCTAssertEqual(p.settings.map(\.location.line), [4, 5, 6, 7])
        XCTAssertEqual(p.settings[2].location.column, 2)
        XCTAssertTrue(p.problems.isEmpty)
    }

    func testValueKeepsInnerWhitespaceAndTabs() {
        let p = parse("net.ipv4.tcp_rmem = 4096\t131072  6291456\n")
        XCTAssertEqual(p.settings.first?.value, "4096\t131072  6291456")
        XCTAssertEqual(p.settings.first?.fields.count, 3)
    }

    func testIgnoreFailurePrefixAndExclusions() {
        let p = parse("-net.ipv4.tcp_tw_recycle = 0\n-net.ipv4.conf.all.rp_filter\nnet.ipv4.conf.*.rp_filter = 2\n")
        XCTAssertEqual(p.settings.count, 2)
        XCTAssertTrue(p.settings[0].ignoreFailure)
        XCTAssertEqual(p.settings[0].location.column, 2)
        XCTAssertEqual(p.exclusions.map(\.key), ["net.ipv4.conf.all.rp_filter"])
        XCTAssertTrue(p.settings[1].isGlob)
    }

    /// The one sysctl-assignment shape input detection uses (walked `.conf` files, nginx and HAProxy detection).
    func testAssignmentShape() {
        XCTAssertEqual(SysctlKey.assigned(in: "net.ipv4.tcp_tw_reuse = 1"), "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(SysctlKey.assigned(in: "  -kernel/yama/ptrace_scope=2"), "kernel/yama/ptrace_scope")
        XCTAssertEqual(SysctlKey.assigned(in: "net.ipv4.conf.*.rp_filter = 1"), "net.ipv4.conf.*.rp_filter")
        XCTAssertEqual(SysctlKey.assigned(in: "net.ipv4.conf.ppp+.forwarding=0"), "net.ipv4.conf.ppp+.forwarding")
        for notOne in ["user = nginx", "ngx.header[\"Server\"] = \"x\"", "a b.c = 1", "\"x.y\" = 1", "net.ipv4.tcp_syncookies", "= 1", "- = 1"] {
            XCTAssertNil(SysctlKey.assigned(in: notOne[...]), notOne)
        }
        XCTAssertTrue(SysctlConf.isSysctlFile(path: "repo/tuning.conf", data: Data("# x\nnet.core.somaxconn = 4096\n".utf8)))
        XCTAssertFalse(SysctlConf.isSysctlFile(path: "repo/jaas.conf", data: Data("Client {\n  a.b.C required debug=true;\n};\n".utf8)))
        XCTAssertFalse(SysctlConf.isSysctlFile(path: "repo/app.conf", data: Data("app.name = x\n".utf8)), "app is no /proc/sys directory")
        XCTAssertTrue(SysctlConf.isSysctlFile(path: "etc/sysctl.d/x.conf", data: Data("garbage\n".utf8)))
    }

    func testSeparatorNormalisation() {
        XCTAssertEqual(SysctlKey.normalise("net/ipv4/tcp_tw_reuse"), "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(SysctlKey.normalise("net.ipv4.conf.enp3s0/200.forwarding"), "net.ipv4.conf.enp3s0/200.forwarding")
        XCTAssertEqual(SysctlKey.normalise("net/ipv4/conf/enp3s0.200/forwarding"), "net.ipv4.conf.enp3s0/200.forwarding")
        XCTAssertEqual(SysctlKey.procPath("net.ipv4.conf.enp3s0/200.forwarding"), "/proc/sys/net/ipv4/conf/enp3s0.200/forwarding")
        XCTAssertEqual(SysctlKey.fromProcPath("/proc/sys/net/core/somaxconn"), "net.core.somaxconn")
    }

    /// CRLF works with both appliers; a byte-order mark is not stripped by either (the first line then sets
    /// nothing), so it is reported and the line is not read.
    func testCRLFAndBOM() {
        let p = SysctlConf.parse(Data([0xEF, 0xBB, 0xBF] + Array("net.core.somaxconn = 1024\r\nnet.ipv4.tcp_syncookies = 1\r\n".utf8)), path: "w.conf")
        XCTAssertEqual(p.settings.map(\.key), ["net.ipv4.tcp_syncookies"])
        XCTAssertEqual(p.settings.map(\.value), ["1"])
        XCTAssertEqual(p.problems.map(\.code), ["TW903"])
        XCTAssertEqual(p.problems.first?.location.line, 1)
        let crlf = SysctlConf.parse(Data("net.core.somaxconn = 1024\r\n".utf8), path: "w.conf")
        XCTAssertEqual(crlf.settings.map(\.value), ["1024"])
        XCTAssertTrue(crlf.problems.isEmpty)
    }

    func testLocatedProblems() {
        let p = parse("""
        net.ipv4.tcp_syncookies 1
        net.ipv4.conf.all.rp_filter = 2 # Required with systemd
        net.ipv4.ip_local_port_range = "1024 65000"
        net.core.somaxconn = 1024
        net.core.somaxconn = 2048
        """)
        XCTAssertEqual(p.problems.map(\.code), ["TW901", "TW902", "TW909", "TW906"])
        XCTAssertEqual(p.problems.map(\.location.line), [1, 2, 3, 5])
        XCTAssertTrue(p.problems[1].detail.contains("\"2\""), p.problems[1].detail)
        XCTAssertTrue(p.problems[3].detail.contains("line 5 wins"), p.problems[3].detail)
        XCTAssertEqual(p.problems[3].related.first?.location.line, 4)
        // The malformed line is reported, the rest is still read.
        XCTAssertEqual(p.settings.count, 4)
    }

    func testInvalidUTF8IsLocatedAndTheRestRead() {
        let data = Data(Array("net.core.somaxconn = 1024\nnet.ipv4.tcp_syncookies = 1".utf8) + [0xC3, 0x28] + Array("\nnet.ipv4.tcp_sack = 1\n".utf8))
        let p = SysctlConf.parse(data, path: "latin1.conf")
        XCTAssertEqual(p.problems.map(\.code), ["TW903"])
        XCTAssertEqual(p.problems[0].location.line, 2)
        XCTAssertEqual(p.problems[0].location.column, 28)
        XCTAssertEqual(p.settings.map(\.key), ["net.core.somaxconn", "net.ipv4.tcp_sack"])
    }

    func testBinaryFileStopsReading() {
        let p = SysctlConf.parse(Data([0x7F, 0x45, 0x4C, 0x46, 0, 0, 1]), path: "a.out")
        XCTAssertEqual(p.problems.map(\.code), ["TW904"])
        XCTAssertTrue(p.settings.isEmpty)
    }

    func testOverlongLine() {
        let long = "net.ipv4.ip_local_reserved_ports = " + String(repeating: "1,", count: 3000) + "1\nnet.core.somaxconn = 1\n"
        let p = parse(long)
        XCTAssertEqual(p.problems.map(\.code), ["TW905"])
        XCTAssertEqual(p.settings.map(\.key), ["net.core.somaxconn"])
    }

    func testHugeInputStaysLinear() {
        // 200k lines parse without trouble; a guard against quadratic behaviour, not a timing test.
        let text = String(repeating: "net.core.somaxconn = 4096\n", count: 200_000)
        let p = parse(text)
        XCTAssertEqual(p.settings.count, 200_000)
        XCTAssertEqual(p.problems.count, 199_999)
    }

    func testKernelIntegerSyntax() {
        XCTAssertEqual(ValueCheck.kernelInteger("0x37"), 55)
        XCTAssertEqual(ValueCheck.kernelInteger("010"), 8)
        XCTAssertEqual(ValueCheck.kernelInteger("-1"), -1)
        XCTAssertNil(ValueCheck.kernelInteger("yes"))
        XCTAssertNil(ValueCheck.kernelInteger("09"))
        XCTAssertTrue(TestSupport.lint("net.ipv4.fib_multipath_hash_fields = 0x37\n").filter { $0.code == "TW804" }.isEmpty)
        // Rule conditions read values the same way as the kernel and the value check.
        XCTAssertTrue(TestSupport.codes(TestSupport.lint("net.ipv4.tcp_timestamps = 0x0\n")).contains("TW104"))
        XCTAssertTrue(TestSupport.codes(TestSupport.lint("net.ipv4.tcp_max_tw_buckets = 010000\n")).contains("TW106"))
    }

    func testDirectives() {
        let p = parse("""
        # twlint: disable-file=TW204
        # twlint: disable=TW203,port-range-parity -- few outgoing connections

        net.ipv4.ip_local_port_range = 40000 50000
        # twlint: nonsense
        """)
        XCTAssertEqual(p.directives.count, 2)
        XCTAssertEqual(p.directives[0].scope, .file)
        XCTAssertEqual(p.directives[1].names, ["TW203", "port-range-parity"])
        XCTAssertEqual(p.directives[1].reason, "few outgoing connections")
        XCTAssertEqual(p.directives[1].targetLine, 4)
        XCTAssertEqual(p.problems.map(\.code), ["TW911"])
    }
}
