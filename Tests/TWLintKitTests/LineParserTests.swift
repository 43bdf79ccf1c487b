import XCTest
@testable import TWLintKit

/// Single behaviours of each applier's line parsing, pinned without namespaces (the oracle proves them
/// against the real programs when it can run).
final class LineParserTests: XCTestCase {
    func lines(_ text: [UInt8], _ applier: Applier) -> [String] {
        LineParser.parse(text, applier: applier).lines.map { "\($0.value == nil ? "-" : "")\($0.path)=\($0.value ?? "")" }
    }
    func lines(_ text: String, _ applier: Applier) -> [String] { lines(Array(text.utf8), applier) }

    func testCarriageReturnEndsALineOnlyForSystemd() {
        let text = "net.ipv4.tcp_fin_timeout = 13\rnet.ipv4.tcp_keepalive_time = 113\r\n"
        XCTAssertEqual(lines(text, .systemd), ["net/ipv4/tcp_fin_timeout=13", "net/ipv4/tcp_keepalive_time=113"])
        XCTAssertEqual(lines(text, .procps), ["net/ipv4/tcp_fin_timeout=13\rnet.ipv4.tcp_keepalive_time = 113"])
    }

    func testNULEndsALineForSystemdAndTheStringForProcps() {
        let text = Array("net.ipv4.tcp_fin_timeout = 12".utf8) + [0] + Array("net.core.somaxconn = 5\n".utf8)
        XCTAssertEqual(lines(text, .systemd), ["net/ipv4/tcp_fin_timeout=12", "net/core/somaxconn=5"])
        XCTAssertEqual(lines(text, .procps), ["net/ipv4/tcp_fin_timeout=12"])
    }

    func testDashBlankAndExclusions() {
        let text = "- net.ipv4.tcp_fin_timeout = 14\n-net.ipv4.tcp_keepalive_time\n"
        XCTAssertEqual(lines(text, .systemd), ["net/ipv4/tcp_fin_timeout=14", "-net/ipv4/tcp_keepalive_time="])
        XCTAssertEqual(lines(text, .procps), [" net/ipv4/tcp_fin_timeout=14", "-net/ipv4/tcp_keepalive_time="],
                       "procps keeps the blank after the dash in the key: no such file")
    }

    func testByteOrderMarkIsPartOfTheFirstKey() {
        let text = [0xEF, 0xBB, 0xBF] + Array("net.core.somaxconn = 1\n".utf8)
        for applier in Applier.allCases {
            XCTAssertEqual(LineParser.parse(text, applier: applier).lines.first?.path, "\u{FEFF}net/core/somaxconn")
        }
    }

    func testVerticalTabIsStrippedByProcpsOnly() {
        let text = "net.core.somaxconn = 7\u{0B}\n"
        XCTAssertEqual(lines(text, .systemd), ["net/core/somaxconn=7\u{0B}"])
        XCTAssertEqual(lines(text, .procps), ["net/core/somaxconn=7"])
    }

    func testSystemdStopsAtALineOfOneMebibyte() {
        func file(_ length: Int) -> [UInt8] {
            let head = Array("net.core.somaxconn = 1".utf8)
            return Array("net.ipv4.tcp_fin_timeout = 5\n".utf8) + head + [UInt8](repeating: 0x20, count: length - head.count) + Array("\nnet.ipv4.tcp_sack = 1\n".utf8)
        }
        XCTAssertEqual(lines(file((1 << 20) - 1), .systemd).count, 3)
        let cut = LineParser.parse(file(1 << 20), applier: .systemd)
        XCTAssertEqual(cut.lines.map(\.path), ["net/ipv4/tcp_fin_timeout"], "the lines before stay, the rest of the file is not read")
        XCTAssertEqual(cut.truncatedAt?.line, 2)
        XCTAssertEqual(lines(file(1 << 20), .procps).count, 3)
    }

    func testSlashKeysAndDotsInInterfaceNames() {
        XCTAssertEqual(lines("net/ipv4/conf/eth0.100/rp_filter = 1\n", .systemd), ["net/ipv4/conf/eth0.100/rp_filter=1"])
        XCTAssertEqual(lines("net.ipv4.conf.eth0/100.rp_filter = 1\n", .procps), ["net/ipv4/conf/eth0.100/rp_filter=1"])
        XCTAssertEqual(LineParser.dotted("net/ipv4/conf/eth0.100/rp_filter"), "net.ipv4.conf.eth0/100.rp_filter")
    }

    /// systemd keeps one entry per key: an exclusion after an assignment cancels it; procps writes it.
    func testExclusionCancelsForSystemdOnly() throws {
        let root = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.ipv4.tcp_fin_timeout = 30\n-net.ipv4.tcp_fin_timeout\n", to: root + "/etc/sysctl.d/10-a.conf")
        let state = KernelState.catalog(TestSupport.kb, kernel: .newestKnown)
        let fs = RootFS(root: root)
        let systemd = Application(applier: .systemd, discovery: Discovery.discover(.systemd, in: fs), state: state, writer: KernelWriteModel(kb: TestSupport.kb))
        let procps = Application(applier: .procps, discovery: Discovery.discover(.procps, in: fs), state: state, writer: KernelWriteModel(kb: TestSupport.kb))
        XCTAssertEqual(systemd.state.value("net/ipv4/tcp_fin_timeout"), state.value("net/ipv4/tcp_fin_timeout"))
        XCTAssertEqual(procps.state.value("net/ipv4/tcp_fin_timeout"), "30")
    }
}
