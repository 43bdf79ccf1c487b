import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import TWLintKit

/// The one walk inside a root (`RootFS.walk`) as both callers see it: `RootFS.resolve` (`--root`) and
/// `FileReader.readInRoot` (`--proc-root`) must agree on every tree, since they are the same code.
final class RootWalkTests: XCTestCase {
    var root = ""
    var outside = ""

    override func setUpWithError() throws {
        let base = try TestSupport.temporaryDirectory(self)
        root = base + "/root"
        outside = base + "/outside"
        try TestSupport.write("secret\n", to: outside + "/secret")
        try TestSupport.write("inside\n", to: root + "/etc/secret")
        try TestSupport.write("1 2 3\n", to: root + "/proc/4242/net/snmp")
    }

    func link(_ path: String, _ target: String) throws {
        try FileManager.default.createDirectory(atPath: ((root + path) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + path, withDestinationPath: target)
    }

    func text(_ relative: String) -> String? {
        if case .value(let d) = FileReader.readInRoot(root, relative, limit: 1 << 20) { return String(decoding: d, as: UTF8.self) }
        return nil
    }

    func testRelativeSymlinksLikeProcSelfResolveInsideTheRoot() throws {
        try link("/proc/self", "4242")
        try link("/proc/net", "self/net")
        XCTAssertEqual(text("proc/net/snmp"), "1 2 3\n")
        XCTAssertEqual(RootFS(root: root).resolve("/proc/net/snmp"),
                       .file(host: Array((root + "/proc/4242/net/snmp").utf8), system: Array("/proc/4242/net/snmp".utf8)))
    }

    func testAbsoluteSymlinksAndDotDotStayInsideTheRoot() throws {
        try link("/etc/abs", outside + "/secret")          // an absolute host path: resolved inside the root, missing there
        try link("/etc/up", "../../../../../etc/secret")    // .. stops at the root
        XCTAssertNil(text("etc/abs"))
        if case .missing = FileReader.readInRoot(root, "etc/abs", limit: 1 << 20) {} else { XCTFail("expected missing") }
        XCTAssertEqual(RootFS(root: root).resolve("/etc/abs"), .missing)
        XCTAssertEqual(text("etc/up"), "inside\n")
        XCTAssertEqual(RootFS(root: root).resolve("/etc/up"),
                       .file(host: Array((root + "/etc/secret").utf8), system: Array("/etc/secret".utf8)))
        XCTAssertEqual(RootFS(root: root).resolve("/../.."), .directory(host: Array((root + "/").utf8), system: Array("/".utf8)))
    }

    func testLoopsFifosAndNonDirectoriesInTheMiddle() throws {
        try link("/a", "b")
        try link("/b", "a")
        XCTAssertEqual(RootFS(root: root).resolve("/a"), .loop)
        guard case .unreadable(let loop) = FileReader.readInRoot(root, "a", limit: 1 << 20) else { return XCTFail("expected unreadable") }
        XCTAssertTrue(loop.contains("symlink loop"), loop)

        XCTAssertEqual(mkfifo(root + "/fifo", 0o600), 0)
        XCTAssertEqual(RootFS(root: root).resolve("/fifo"), .special(system: Array("/fifo".utf8)))
        guard case .unreadable(let fifo) = FileReader.readInRoot(root, "fifo", limit: 1 << 20) else { return XCTFail("expected unreadable") }
        XCTAssertTrue(fifo.contains("FIFO"), fifo)

        XCTAssertEqual(RootFS(root: root).resolve("/etc/secret/x"), .missing)
        if case .missing = FileReader.readInRoot(root, "etc/secret/x", limit: 1 << 20) {} else { XCTFail("expected missing") }
        guard case .unreadable(let dir) = FileReader.readInRoot(root, "etc", limit: 1 << 20) else { return XCTFail("expected unreadable") }
        XCTAssertEqual(dir, "is a directory, expected a file")
    }

    func testDevNullOnlyForTheSystemRoot() throws {
        try link("/etc/masked.conf", "/dev/null")
        XCTAssertEqual(RootFS(root: root).resolve("/etc/masked.conf"), .devNull)
        // Under --proc-root there is no /dev/null in the tree: the link dangles.
        if case .missing = FileReader.readInRoot(root, "etc/masked.conf", limit: 1 << 20) {} else { XCTFail("expected missing") }
    }

    func testTheRealProcNetResolvesUnderProcRoot() throws {
        guard FileManager.default.fileExists(atPath: "/proc/self/net/snmp") else { throw XCTSkip("no /proc/self/net/snmp on this host") }
        guard case .value(let d) = FileReader.readInRoot("/proc", "net/snmp", limit: 1 << 20) else { return XCTFail("net/snmp not read") }
        XCTAssertTrue(String(decoding: d, as: UTF8.self).hasPrefix("Ip:"))
    }
}
