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
