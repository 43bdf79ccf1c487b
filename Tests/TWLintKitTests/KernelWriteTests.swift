import XCTest
@testable import TWLintKit

/// The write model on fixed cases taken from kernel/sysctl.c (6.18); KernelWriteOracleTests checks the same
/// model against the running kernel.
final class KernelWriteTests: XCTestCase {
    let kb = TestSupport.kb
    let ctx = KernelWrite.Context(hz: 250)

    func w(_ key: String, _ text: String, _ current: String? = nil) -> KernelWrite.Outcome {
        KernelWrite.write(key: key, written: text, current: current, kb: kb, context: ctx)
    }

    func testHandlersAreLoadedFromTheCatalog() throws {
        let h = try XCTUnwrap(kb.handlers.handler(for: "net.ipv4.tcp_rmem"))
        XCTAssertEqual(h.parser, "proc_dointvec_minmax")
        XCTAssertEqual(h.count, 3)
        XCTAssertEqual(h.min, .value(1))
        XCTAssertEqual(kb.handlers.handler(for: "net.ipv4.conf.eth0.rp_filter")?.parser, "proc_dointvec")
        XCTAssertEqual(kb.handlers.handler(for: "net.ipv4.tcp_tw_reuse")?.kind, .u8)
        XCTAssertEqual(kb.handlers.source?.kernel.hasPrefix("6.18"), true)
    }

    func testIntegerTextAsTheKernelReadsIt() {
        XCTAssertEqual(w("net.ipv4.tcp_max_tw_buckets", "5000 # x\n"), .accepted(held: "5000"))
        XCTAssertEqual(w("net.ipv4.tcp_max_tw_buckets", "0x10\n"), .accepted(held: "16"))
        XCTAssertEqual(w("net.ipv4.tcp_max_tw_buckets", "010\n"), .accepted(held: "8"))
        XCTAssertEqual(w("net.ipv4.tcp_max_tw_buckets", "  \t7\n"), .accepted(held: "7"))
        for bad in ["+7200\n", "--1\n", "0x-1\n", "1#c\n", "1\r\n", "08\n", "9223372036854775808\n", "18446744073709551616\n", "\n", "   \n", "abc\n", "-\n"] {
            XCTAssertEqual(w("net.ipv4.tcp_max_tw_buckets", bad, "4096").errno, KernelWrite.EINVAL, bad)
            XCTAssertEqual(w("net.ipv4.tcp_max_tw_buckets", bad, "4096").held(current: "4096"), "4096", bad)
        }
        XCTAssertEqual(w("net.ipv4.tcp_max_tw_buckets", "-2147483648\n"), .accepted(held: "-2147483648"))
        XCTAssertEqual(w("net.ipv4.tcp_max_tw_buckets", "", "4096"), .accepted(held: "4096"))
    }

    func testMinmaxU8AndVectors() {
        XCTAssertEqual(w("net.ipv4.tcp_tw_reuse", "3\n", "2").errno, KernelWrite.EINVAL)
        XCTAssertEqual(w("net.ipv4.tcp_tw_reuse", "-0\n", "2").errno, KernelWrite.EINVAL)
        XCTAssertEqual(w("net.ipv4.tcp_tw_reuse", "1 # c\n", "2"), .accepted(held: "1"))
        XCTAssertEqual(w("net.ipv4.tcp_rmem", "4096 131072\n", "4096\t131072\t6291456"), .accepted(held: "4096\t131072\t6291456"))
        XCTAssertEqual(w("net.ipv4.tcp_rmem", "1 2 3 4\n", "4096\t131072\t6291456"), .accepted(held: "1\t2\t3"))
        XCTAssertEqual(w("net.ipv4.tcp_rmem", "5 0 3\n", "4096\t131072\t6291456").held(current: nil), "5\t131072\t6291456")
    }

    func testPortRangeCrossChecks() {
        let cur = "32768\t60999"
        XCTAssertEqual(w("net.ipv4.ip_local_port_range", "1024 65535\n", cur), .accepted(held: "1024\t65535"))
        XCTAssertEqual(w("net.ipv4.ip_local_port_range", "60999 32768\n", cur).errno, KernelWrite.EINVAL)
        XCTAssertEqual(w("net.ipv4.ip_local_port_range", "1000 2000\n", cur).errno, KernelWrite.EINVAL)
        XCTAssertEqual(w("net.ipv4.ip_local_port_range", "0 9223372036854775807\n", cur).errno, KernelWrite.EINVAL)
        XCTAssertEqual(w("net.ipv4.ip_local_port_range", "40000 70000\n", cur).held(current: cur), cur)
    }

    func testStrings() {
        let cc = KernelWrite.Context(hz: 250, value: { $0 == "net.ipv4.tcp_available_congestion_control" ? "reno bbr cubic" : nil })
        XCTAssertEqual(KernelWrite.write(key: "net.ipv4.tcp_congestion_control", written: "bbr # fast\n", current: "cubic", kb: kb, context: cc).errno, KernelWrite.ENOENT)
        XCTAssertEqual(KernelWrite.write(key: "net.ipv4.tcp_congestion_control", written: "cubic\n", current: "bbr", kb: kb, context: cc), .accepted(held: "cubic"))
    }

    /// net.core.default_qdisc: a name mainline's net/sched has is taken (cut to 15 bytes as proc_dostring does into
    /// IFNAMSIZ), another is refused with ENOENT (qdisc_set_default, net/sched/sch_api.c) and the default stays.
    func testDefaultQdiscTakesOnlyAQdiscTheKernelHas() throws {
        XCTAssertEqual(w("net.core.default_qdisc", "fq\n", "pfifo_fast"), .accepted(held: "fq"))
        XCTAssertEqual(w("net.core.default_qdisc", "fq_codel\n", "fq"), .accepted(held: "fq_codel"))
        for bad in ["fq # fair\n", "FQ\n", "bbr\n", "fq_codel_but_longer_than_ifnamsiz\n"] {
            let outcome = w("net.core.default_qdisc", bad, "fq_codel")
            XCTAssertEqual(outcome.errno, KernelWrite.ENOENT, bad)
            if case .rejected(_, let reason) = outcome { XCTAssertTrue(reason.contains("unless the kernel has a qdisc of that name"), reason) }
        }
        let f = TestSupport.lint("net.core.default_qdisc = fq_pie2\n")
        let refused = try XCTUnwrap(f.first { $0.code == "TW804" })
        XCTAssertTrue(refused.message.contains("no qdisc named \"fq_pie2\""), refused.message)
        XCTAssertTrue(TestSupport.lint("net.core.default_qdisc = fq\n").filter { $0.code == "TW804" }.isEmpty)
    }

    func testKernelIntegerNeverTraps() {
        XCTAssertNil(KernelInteger.int64("--9223372036854775808"))
        XCTAssertNil(KernelInteger.int64("-0x-8000000000000000"))
        XCTAssertEqual(KernelInteger.int64("-9223372036854775808"), Int64.min)
        XCTAssertNil(KernelInteger.int64("9223372036854775808"))
        XCTAssertEqual(KernelInteger.int64("-0x8000000000000000"), Int64.min)
        XCTAssertNil(KernelInteger.int64("+7200"))
        XCTAssertEqual(KernelInteger.int64(" 0x1f "), 31)
    }
}

/// The rules see what the kernel holds (issue 9, item 2).
final class KernelWriteLintTests: XCTestCase {
    func findings(_ text: String) -> [Finding] { TestSupport.lint(text) }

    func testANumberWithAnInlineCommentIsAWarningAndStillLinted() throws {
        let f = findings("net.ipv4.tcp_max_tw_buckets = 5000 # x\n")
        let comment = try XCTUnwrap(f.first { $0.code == "TW902" })
        XCTAssertEqual(comment.severity, .warning)
        XCTAssertTrue(comment.message.contains("sets 5000"), comment.message)
        XCTAssertNil(f.first { $0.code == "TW804" }, "one finding for one cause")
        let lowered = try XCTUnwrap(f.first { $0.code == "TW106" }, "the value the kernel takes is linted")
        XCTAssertEqual(lowered.value, "5000")
        XCTAssertEqual(lowered.location?.line, 1)
    }

    func testAStringWithAnInlineCommentIsAnError() throws {
        let f = findings("net.ipv4.tcp_congestion_control = bbr # fast\n")
        let comment = try XCTUnwrap(f.first { $0.code == "TW902" })
        XCTAssertEqual(comment.severity, .error)
        XCTAssertTrue(comment.message.contains("ENOENT"), comment.message)
        XCTAssertNil(f.first { $0.code == "TW804" })
    }

    func testARefusedWriteNamesTheValueLeftInForceAndThatValueIsLinted() throws {
        let f = findings("net.ipv4.tcp_timestamps = 0\nnet.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_tw_reuse = 3\n")
        let invalid = try XCTUnwrap(f.first { $0.code == "TW804" })
        XCTAssertEqual(invalid.location?.line, 3)
        XCTAssertTrue(invalid.message.contains("keeps 1, set at test.conf:2"), invalid.message)
        // tcp_tw_reuse = 1 without timestamps: judged on the line that set the value the kernel keeps.
        let reuse = try XCTUnwrap(f.first { $0.code == "TW103" })
        XCTAssertEqual(reuse.location?.line, 2)
    }

    func testARefusedWriteWithoutEarlierAssignmentKeepsTheDefault() throws {
        let f = findings("net.ipv4.tcp_keepalive_time = +7200\n")
        let invalid = try XCTUnwrap(f.first { $0.code == "TW804" })
        XCTAssertTrue(invalid.message.contains("no + sign"), invalid.message)
        XCTAssertTrue(invalid.message.contains("keeps 7200 (the default)"), invalid.message)
    }

    func testHostileIntegersNeitherTrapNorPass() {
        for text in ["--9223372036854775808", "-0x-8000000000000000", "--1", "0x-1", "+7200", "99999999999999999999999"] {
            let f = findings("net.core.somaxconn = \(text)\n")
            XCTAssertTrue(f.contains { $0.code == "TW804" }, text)
        }
        // The width of a range is only computed for ports the kernel holds; this one it refuses.
        let f = findings("net.ipv4.ip_local_port_range = 0 9223372036854775807\n")
        XCTAssertFalse(f.contains { $0.code == "TW203" })
        XCTAssertTrue(f.contains { $0.code == "TW804" || $0.code == "TW202" })
    }

    func testHexAndOctalAreTheNumbersTheKernelStores() throws {
        let f = findings("net.ipv4.tcp_max_tw_buckets = 0x1388\n")
        XCTAssertEqual(f.first { $0.code == "TW106" }?.value, "5000")
        XCTAssertNil(f.first { $0.code == "TW804" })
    }
}
