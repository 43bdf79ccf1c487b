import Foundation
import XCTest
@testable import TWLintKit

final class ResultBox<T>: @unchecked Sendable { var value: T? }

/// Issue 10: hostile and odd input. One test (or a few) per class: no escape, no trap, no hang, bounded
/// memory, no silent loss.
final class HostileInputTests: XCTestCase {
    let kb = TestSupport.kb
    let runner = ExampleRunner(kb: TestSupport.kb)

    /// Runs `body` on another thread and fails (instead of hanging the suite) if it takes longer than `seconds`.
    func withinTime<T>(_ seconds: Double = 10, _ body: @escaping () -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Thread.detachNewThread {
            box.value = body()
            done.signal()
        }
        if done.wait(timeout: .now() + seconds) == .timedOut {
            XCTFail("did not finish within \(seconds) s: it blocks")
            return nil
        }
        return box.value
    }

    func makeFIFO(_ path: String) throws {
        guard mkfifo(path, 0o644) == 0 else { throw XCTSkip("mkfifo failed: \(String(cString: strerror(errno)))") }
    }

    // MARK: escapes

    func testKeysThatAreNoSysctlNameNeverBecomePaths() {
        XCTAssertEqual(SysctlKey.relativePath("net.ipv4.tcp_tw_reuse"), "net/ipv4/tcp_tw_reuse")
        XCTAssertEqual(SysctlKey.relativePath("net.ipv4.conf.eth0/100.rp_filter"), "net/ipv4/conf/eth0.100/rp_filter")
        for bad in ["", ".", "..", "net..ipv4", ".net.ipv4", "net.ipv4.", "net.//.//.etc", "net./.x", "net.ipv4.\u{0}x",
                    String(repeating: "a.", count: 600) + "a"] {
            XCTAssertNil(SysctlKey.relativePath(bad), bad)
        }
        let proc = ProcReader(root: "/nonexistent")
        XCTAssertNil(proc.sysctlPath("net.//.//.//.//.etc.passwd"))
    }

    /// A configured key with `..` components, and symlinks in the /proc copy that point outside it, read nothing
    /// outside the --proc-root tree.
    func testLiveCheckReadsNothingOutsideTheProcRoot() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("TOPSECRET-OUTSIDE\n", to: dir + "/outside/secret")
        try TestSupport.write("TOPSECRET-OUTSIDE\n", to: dir + "/host/proc/sys/net/secret")
        let root = dir + "/host"
        try TestSupport.write("6.1.0\n", to: root + "/proc/sys/kernel/osrelease")
        // `..` in a key: relative to /proc/sys, net.//.//.//.//.outside.secret is ../../../../outside/secret.
        try TestSupport.write("net.//.//.//.//.outside.secret = 1\nnet.ipv4.//.secret = 2\n", to: root + "/etc/sysctl.d/90-evil.conf")
        // An absolute symlink resolves inside the root (as in a chroot), a relative one cannot climb out of it.
        try FileManager.default.createDirectory(atPath: root + "/proc/sys/net/ipv4", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/proc/sys/net/ipv4/tcp_tw_reuse", withDestinationPath: dir + "/outside/secret")
        try FileManager.default.createSymbolicLink(atPath: root + "/proc/sys/net/ipv4/tcp_timestamps",
                                                   withDestinationPath: "../../../../../../../../outside/secret")
        let report = LiveCheck(kb: kb).run(procRoot: root + "/proc", root: root, options: LintOptions())
        let text = Reporter(format: .json).render(report, kb: kb)
        XCTAssertFalse(text.contains("TOPSECRET"), text)
        // The symlinked file inside the tree is still readable through a symlink that stays inside.
        let proc = ProcReader(root: root + "/proc")
        try FileManager.default.createSymbolicLink(atPath: root + "/proc/sys/net/ipv4/inside", withDestinationPath: "/sys/kernel/osrelease")
        guard case .value(let v) = proc.read("sys/net/ipv4/inside") else { return XCTFail("an absolute link inside the root resolves in it") }
        XCTAssertEqual(v, "6.1.0")
        guard case .missing = proc.read("sys/net/ipv4/tcp_tw_reuse") else { return XCTFail("the absolute link is taken inside the root") }
    }

    /// A rule example's directory tree (`== /path`) cannot write outside its temporary root.
    func testExampleTreesStayInsideTheirRoot() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("twlint-escape-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outside) }
        let name = (outside as NSString).lastPathComponent
        let seen = runner.withTree("== /../\(name)\nescaped\n== /../\(name)-link -> /etc/passwd\n== /etc/sysctl.conf\nx = 1\n") { root in
            FileManager.default.fileExists(atPath: root + "/etc/sysctl.conf")
        }
        XCTAssertTrue(seen, "paths inside the root are created")
        XCTAssertFalse(FileManager.default.fileExists(atPath: outside))
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: outside + "-link"))
    }

    func testSysctlValuesAreReadOnlyUpToAPage() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(String(repeating: "x", count: 10_000), to: dir + "/sys/net/core/somaxconn")
        let (values, unreadable) = ProcReader(root: dir).sysctls(["net.core.somaxconn"])
        XCTAssertTrue(values.isEmpty)
        XCTAssertEqual(unreadable.count, 1)
        XCTAssertFalse(unreadable[0].reason.contains("xxxx"))
    }

    // MARK: crashes

    func testKernelVersionsNeverOverflow() throws {
        XCTAssertNil(KernelVersion("99999999999999999999.1"))
        XCTAssertNil(KernelVersion("1.99999999999999999999"))
        XCTAssertNil(KernelVersion("6.1.99999999999999999999"))
        XCTAssertEqual(KernelVersion("6.1.0-18-amd64"), KernelVersion(6, 1, 0))
        let cli = try TestSupport.run(["lint", "--no-config", "--kernel", "99999999999999999999.1", "-"], stdin: "")
        XCTAssertEqual(cli.status, 2, cli.stderr)
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("kernel: \"99999999999999999999.1\"\n", to: dir + "/.twlint.yaml")
        let viaConfig = try TestSupport.run(["lint", "-"], stdin: "", cwd: dir)
        XCTAssertEqual(viaConfig.status, 2, viaConfig.stderr)
        XCTAssertTrue(viaConfig.stderr.contains("kernel"), viaConfig.stderr)
        // osrelease under --proc-root: the version is unknown, said so (TW410), no trap.
        let report = runner.withTree("== /proc/sys/kernel/osrelease\n99999999999999999999.1\n") { root in
            LiveCheck(kb: kb).run(procRoot: root + "/proc", root: root, options: LintOptions())
        }
        XCTAssertTrue(report.findings.contains { $0.code == "TW410" && $0.message.contains("osrelease") })
    }

    func testUserRuleWithOverflowingKernelVersionsIsALocatedError() throws {
        let shipped = try String(contentsOfFile: TestSupport.packageRoot + "/rules/TW101-tcp-tw-recycle-removed.xml", encoding: .utf8)
        let renamed = shipped.replacingOccurrences(of: "code=\"TW101\" slug=\"tcp-tw-recycle-removed\"", with: "code=\"TW990\" slug=\"hostile\"")
        for (what, hostile) in [("kernel min", renamed.replacingOccurrences(of: "<kernel min=\"4.12\"/>", with: "<kernel min=\"99999999999999999999.1\"/>")),
                                ("example kernel", renamed.replacingOccurrences(of: "kernel=\"5.15\"", with: "kernel=\"5.99999999999999999999\""))] {
            XCTAssertNotEqual(hostile, renamed, what)
            let dir = try TestSupport.temporaryDirectory(self)
            try TestSupport.write(hostile, to: dir + "/TW990-hostile.xml")
            let result = try TestSupport.run(["rules", "--check", "--rules", dir])
            XCTAssertEqual(result.status, 2, "\(what): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("TW990-hostile.xml:") && result.stderr.contains("out of range"), "\(what): \(result.stderr)")
        }
    }

    func testRuleExampleEscapesAreBounded() {
        XCTAssertLessThanOrEqual(Rule.decodeEscapes("\\rep(9223372036854775807,abc)").count, Rule.maxExampleBytes)
        XCTAssertLessThanOrEqual(Rule.decodeEscapes("\\seq(9223372036854775807,0,k{hex})").count, Rule.maxExampleBytes)
        XCTAssertEqual(Rule.decodeEscapes("\\seq(3,7FFFFFFFFFFFFFFF,{hex})"), Array("\\seq(3,7FFFFFFFFFFFFFFF,{hex})".utf8))
        XCTAssertEqual(Rule.decodeEscapes("\\seq(2,FFFE,{hex};)"), Array("FFFE;FFFF;".utf8))
        XCTAssertTrue(Rule.decodeEscapes("\\seq(9223372036854775807,0,)").count < 100)
    }

    func testSockstatRatiosAndCounterTotalsFromInputNeverTrap() throws {
        let tree = LiveCheckTests.host(sysctls: ["net/ipv4/tcp_max_tw_buckets": "1"],
                                       netstat: "TcpExt: TW TCPTimeWaitOverflow\nTcpExt: 0 9223372036854775807",
                                       sockstat: "TCP: inuse 3 orphan 0 tw 9223372036854775807 alloc 4 mem 1")
        let report = runner.withTree(tree) { root in LiveCheck(kb: kb).run(procRoot: root + "/proc", root: root, options: LintOptions()) }
        let tw = try XCTUnwrap(report.findings.first { $0.code == "TW403" })
        XCTAssertTrue(tw.message.contains("9223372036854775807"), tw.message)
        let overflow = try XCTUnwrap(report.findings.first { $0.code == "TW404" })
        XCTAssertTrue(overflow.message.contains("9223372036854775807 since boot"), overflow.message)
    }

    func testCounterRatesOfExtremeSamplesAreFinite() {
        var a = Counters(), b = Counters()
        a.values["TcpExt.TW"] = Int64.max
        b.values["TcpExt.TW"] = Int64.min
        a.values["Tcp.OutRsts"] = Int64.min
        b.values["Tcp.OutRsts"] = Int64.max
        let rates = RuntimeState.rates(from: a, to: b, over: 0.5)
        XCTAssertLessThan(rates["TcpExt.TW"] ?? 0, 0)
        XCTAssertGreaterThan(rates["Tcp.OutRsts"] ?? 0, 0)
        XCTAssertTrue(rates.values.allSatisfy(\.isFinite))
        XCTAssertEqual(Int(saturating: 1e300), Int.max)
        XCTAssertEqual(Int64(saturating: -.infinity), Int64.min)
        XCTAssertEqual(Int(saturating: .nan), 0)
    }

    func testClosedOrDirectoryStandardInputIsAFinding() throws {
        let closed = FileReader.readStandardInput(fd: 987)
        guard case .failure(let p) = closed else { return XCTFail("a closed descriptor is a problem") }
        XCTAssertEqual(p.code, "TW907")
        let fd = open("/tmp", O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        guard case .failure(let d) = FileReader.readStandardInput(fd: fd) else { return XCTFail("a directory is a problem") }
        XCTAssertTrue(d.detail.contains("directory"), d.detail)
    }

    // MARK: hangs

    func testSpecialFilesAreRefusedWithoutBlocking() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try makeFIFO(dir + "/fifo.conf")
        try TestSupport.write("net.ipv4.tcp_tw_recycle = 1\n", to: dir + "/other.conf")
        // As a PATH.
        let alone = withinTime { FileReader.read(dir + "/fifo.conf") }
        guard case .failure(let p)? = alone else { return XCTFail("a FIFO is refused") }
        XCTAssertTrue(p.detail.contains("FIFO"), p.detail)
        guard case .failure(let dev) = FileReader.read("/dev/zero") else { return XCTFail("a device is refused") }
        XCTAssertTrue(dev.detail.contains("character device"), dev.detail)
        guard case .success(let empty) = FileReader.read("/dev/null") else { return XCTFail("/dev/null reads as empty") }
        XCTAssertTrue(empty.isEmpty)
        // Inside a walked directory: the other files' findings are kept.
        let report = withinTime { Linter(kb: TestSupport.kb).lint(paths: [dir], options: LintOptions()) }
        XCTAssertEqual(report?.hadUnreadableInput, true)
        XCTAssertTrue(report?.findings.contains { $0.code == "TW101" } ?? false)
        XCTAssertTrue(report?.findings.contains { $0.code == "TW907" && $0.location?.path.hasSuffix("fifo.conf") == true } ?? false)
        // Under --proc-root.
        try makeFIFO(dir + "/tcp")
        let proc = withinTime { ProcReader(root: dir).read("tcp") }
        guard case .unreadable(let reason)? = proc else { return XCTFail("a FIFO under the proc root is unreadable") }
        XCTAssertTrue(reason.contains("FIFO"), reason)
        // In sysctl.d.
        let root = dir + "/root"
        try FileManager.default.createDirectory(atPath: root + "/etc/sysctl.d", withIntermediateDirectories: true)
        try makeFIFO(root + "/etc/sysctl.d/50-fifo.conf")
        let system = withinTime { Linter(kb: TestSupport.kb).lintSystem(root: root, options: LintOptions()) }
        XCTAssertEqual(system?.hadUnreadableInput, true)
        XCTAssertTrue(system?.findings.contains { $0.code == "TW907" } ?? false)
    }

    /// A pipe named on the command line (`twlint lint <(cmd)`) is read; one nobody writes to is given up after
    /// a bounded wait, never waited for forever.
    func testPipesNamedOnTheCommandLineAreReadWithABoundedWait() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try makeFIFO(dir + "/in.conf")
        Thread.detachNewThread {
            let fd = open(dir + "/in.conf", O_WRONLY)
            _ = "net.ipv4.tcp_tw_recycle = 1\n".withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        let report = withinTime { Linter(kb: TestSupport.kb).lint(paths: [dir + "/in.conf"], options: LintOptions()) }
        XCTAssertEqual(report?.findings.map(\.code), ["TW101"])
        try makeFIFO(dir + "/silent.conf")
        let silent = withinTime { FileReader.read(dir + "/silent.conf", allowPipe: true, pipeTimeout: 1) }
        guard case .failure(let p)? = silent else { return XCTFail("a silent FIFO is given up") }
        XCTAssertTrue(p.detail.contains("nothing was written"), p.detail)
    }

    func testYAMLNodeBudgetIsPerStream() {
        // Each document stays under the budget (400 aliases of a 1000-item list), three of them do not.
        let items = "[" + Array(repeating: "1", count: 1000).joined(separator: ",") + "]"
        let document = "a: &a \(items)\nb: [" + Array(repeating: "*a", count: 400).joined(separator: ", ") + "]\n"
        let one = Manifest.parse(Data(document.utf8), path: "one.yaml")
        XCTAssertFalse(one.problems.contains { $0.code == "TW311" }, "one document is within the budget")
        let stream = Manifest.parse(Data(([document, document, document]).joined(separator: "---\n").utf8), path: "stream.yaml")
        XCTAssertTrue(stream.problems.contains { $0.code == "TW311" && $0.detail.contains("stream") }, stream.problems.map(\.detail).joined())
    }

    // MARK: memory

    func testStandardInputIsCapped() throws {
        let fd = open("/dev/zero", O_RDONLY)
        defer { close(fd) }
        guard case .failure(let p) = FileReader.readStandardInput(fd: fd) else { return XCTFail("an endless stdin is refused") }
        XCTAssertTrue(p.detail.contains("larger than 16 MiB"), p.detail)
    }

    func testRunBudgetIsSharedByAllFiles() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        for i in 0..<3 { try TestSupport.write("net.core.somaxconn = 4096\n", to: dir + "/\(i).conf") }
        var problems: [Finding] = []
        let outcome = Linter(kb: kb).lint(paths: [dir], options: LintOptions(), budget: ReadBudget(limit: 60)) { problems += $0 }
        XCTAssertTrue(outcome.hadUnreadableInput)
        XCTAssertEqual(outcome.inputsRead, 2, "two files fit in 60 bytes, the third is refused")
        XCTAssertTrue(problems.contains { $0.code == "TW907" && $0.message.contains("already read") })
    }

    func testRuleDirectoriesAreBounded() throws {
        let start = Date()
        XCTAssertThrowsError(try KnowledgeBase.readXMLFiles(below: "/")) { error in
            XCTAssertTrue("\(error)".contains("entries"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("<rule>" + String(repeating: " ", count: KnowledgeBase.maxRuleFileBytes) + "</rule>", to: dir + "/big.xml")
        XCTAssertThrowsError(try KnowledgeBase.readXMLFiles(below: dir)) { error in
            XCTAssertTrue("\(error)".contains("larger than"), "\(error)")
        }
    }

    func testFindingsAreDeliveredFileByFileInReportOrder() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        for i in 0..<150 { try TestSupport.write("net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_tw_recycle = \(i % 2)\n", to: dir + String(format: "/%03d.conf", i)) }
        var deliveries: [[Finding]] = []
        let linter = Linter(kb: kb)
        _ = linter.lint(paths: [dir], options: LintOptions()) { deliveries.append($0) }
        XCTAssertEqual(deliveries.count, 150, "one delivery per file")
        let describe = { (f: Finding) in "\(f.code) \(f.location?.description ?? "-") \(f.message)" }
        XCTAssertEqual(deliveries.flatMap { $0 }.map(describe), linter.lint(paths: [dir], options: LintOptions()).findings.map(describe))
        XCTAssertEqual(deliveries.map { $0.first?.location?.path ?? "" }, deliveries.map { $0.first?.location?.path ?? "" }.sorted())
    }

    /// The streamed JSON (bytes written directly, why/fix escaped once per rule, batches rendered in parallel)
    /// is byte for byte the document the JSON tree renders.
    func testStreamedJSONEqualsTheRenderedTree() throws {
        var findings: [Finding] = []
        // More findings than one parallel batch (four or more per file), so batch edges are covered.
        var i = 0
        while findings.count < ReportStream.jsonBatch + 300 {
            defer { i += 1 }
            let text = "net.ipv4.tcp_tw_recycle = 1\nnet.core.somaxconn = \(i)\u{1B}\u{202E}\"\\\nnet.core.somaxconn = 1 # c\nstray \u{85}\u{7F} line\n"
            findings += Linter(kb: kb).lint(text: Data(text.utf8), path: "f\(i % 7)\u{9B}.conf", options: LintOptions())
        }
        findings.append(Finding(code: "TW999", slug: "x", severity: .info, key: nil, value: nil, location: nil, message: "m\u{FFFF}",
                                why: "w\u{2066}", fix: "", references: [], title: "t"))
        // An object path, a location without a line, related locations with and without one, a negative column.
        findings.append(Finding(code: "TW998", slug: "y", severity: .error, key: "k", value: "v",
                                location: SourceLocation(path: "m.yaml", line: 12, column: 1234567, object: "spec.sysctls[0]\u{1B}"),
                                related: [RelatedLocation(location: SourceLocation(path: "a\u{7}", line: 0), note: "n1"),
                                          RelatedLocation(location: SourceLocation(path: "b", line: 9_223_372_036_854_775_807), note: "n2\"")],
                                message: "m", why: "w", fix: "f", references: findings[0].references, title: "t"))
        findings.append(Finding(code: "TW997", slug: "z", severity: .warning, key: nil, value: nil,
                                location: SourceLocation(path: "/abs", line: 0, column: -3), message: "m", why: "w", fix: "f",
                                references: [], title: "t"))
        let report = LintReport(findings: findings, target: Target(kernel: KernelVersion(6, 1)), hadUnreadableInput: false, inputsRead: 1)
        let streamed = Reporter(format: .json).render(report, kb: kb)
        let tree = JSONReport()
        var expected = tree.header(report.target) + "[" + findings.map { "\n    " + tree.finding($0).render(indent: 4) }.joined(separator: ",") + "\n  ]"
        expected += tree.footer(report.summary)
        XCTAssertEqual(streamed, expected)
        // Delivered in pieces of 0 to 6 findings (batches and chunks then cut across deliveries): the same bytes.
        var pieces = ""
        let stream = ReportStream(reporter: Reporter(format: .json), kb: kb, target: report.target) { pieces += $0 }
        var rest = findings[...], size = 0
        while !rest.isEmpty {
            stream.add(Array(rest.prefix(size)))
            rest = rest.dropFirst(size)
            size = (size + 1) % 7
        }
        stream.finish(inputsRead: 1)
        XCTAssertEqual(pieces, expected)
        let object = try JSONSerialization.jsonObject(with: Data(streamed.utf8)) as? [String: Any]
        XCTAssertEqual((object?["findings"] as? [Any])?.count, findings.count)
        XCTAssertTrue(streamed.contains("\\u001b\\u202e\\\"\\\\"), "escapes are JSON escapes")
    }

    // MARK: silent loss

    func testWalkErrorsAreLocated() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.ipv4.tcp_tw_recycle = 1\n", to: dir + "/a.conf")
        var deep = dir + "/deep"
        for _ in 0...(InputWalker.maxDepth + 1) { deep += "/d" }
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        var long = dir + "/long"
        while long.utf8.count < Int(PATH_MAX) - 200 { long += "/" + String(repeating: "l", count: 200) }
        try FileManager.default.createDirectory(atPath: long, withIntermediateDirectories: true)
        let report = Linter(kb: kb).lint(paths: [dir], options: LintOptions())
        XCTAssertTrue(report.hadUnreadableInput)
        XCTAssertTrue(report.findings.contains { $0.code == "TW101" }, "the readable file is still linted")
        let walkProblems = report.findings.filter { $0.code == "TW907" }
        XCTAssertTrue(walkProblems.contains { $0.message.contains("levels") }, walkProblems.map(\.message).joined(separator: "\n"))
        XCTAssertTrue(walkProblems.contains { $0.message.contains("PATH_MAX") }, walkProblems.map(\.message).joined(separator: "\n"))
    }

    /// An unreadable subdirectory and an unlistable directory argument are located TW907 findings, exit 2. As root
    /// (CI), the CLI runs as nobody through setpriv, since root lists every directory.
    func testUnlistableDirectoriesAreLocated() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("twlint-perm-\(UUID().uuidString)").path
        try TestSupport.write("net.ipv4.tcp_tw_recycle = 1\n", to: base + "/d/a.conf")
        try TestSupport.write("x = 1\n", to: base + "/d/closed/b.conf")
        defer { chmod(base + "/d/closed", 0o755); try? FileManager.default.removeItem(atPath: base) }
        for path in [base, base + "/d", base + "/d/a.conf"] { chmod(path, path.hasSuffix(".conf") ? 0o644 : 0o755) }
        chmod(base + "/d/closed", 0)
        let binary = Bundle.main.bundleURL.appendingPathComponent("twlint").path
        func lint(_ path: String) throws -> (status: Int32, stdout: String, stderr: String) {
            if getuid() != 0 { return try TestSupport.run(["lint", "--no-config", "--brief", path]) }
            guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                throw XCTSkip("running as root without setpriv: cannot drop the privilege that lists every directory")
            }
            let r = try TestSupport.run(["--reuid=65534", "--regid=65534", "--clear-groups", binary, "lint", "--no-config", "--brief", path],
                                        executable: "/usr/bin/setpriv")
            if r.stderr.contains("Permission denied") && r.stdout.isEmpty { throw XCTSkip("nobody cannot run \(binary): \(r.stderr)") }
            return r
        }
        let sub = try lint(base + "/d")
        XCTAssertEqual(sub.status, 2, sub.stdout + sub.stderr)
        XCTAssertTrue(sub.stdout.contains("TW101"), "the readable file is still linted: \(sub.stdout)")
        XCTAssertTrue(sub.stdout.contains("closed: error TW907") && sub.stdout.contains("cannot list the directory"), sub.stdout)
        let arg = try lint(base + "/d/closed")
        XCTAssertEqual(arg.status, 2, arg.stdout + arg.stderr)
        XCTAssertTrue(arg.stdout.contains("TW907"), "an unlistable argument is not \"No findings\": \(arg.stdout)")
    }

    func testSymlinkLoopAsPathIsTW908() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop.conf", withDestinationPath: dir + "/loop.conf")
        let report = Linter(kb: kb).lint(paths: [dir + "/loop.conf"], options: LintOptions())
        XCTAssertEqual(report.findings.map(\.code), ["TW908"])
        XCTAssertTrue(report.hadUnreadableInput)
    }

    func testCorruptProcFilesAreFindings() throws {
        let tree = LiveCheckTests.host(tcp: ["   0: 0100007F:ZZZZ garbage", "   1: 0100007F:9C40 0A00000A:1F90 06 00000000:00000000 03:00000000 00000000     0        0 0 1 0"],
                                       netstat: "TcpExt: TW TCPTimeWaitOverflow ListenOverflows\nTcpExt: 1 2")
        let report = runner.withTree(tree) { root in LiveCheck(kb: kb).run(procRoot: root + "/proc", root: root, options: LintOptions()) }
        let unreadable = report.findings.filter { $0.code == "TW410" }
        XCTAssertTrue(unreadable.contains { $0.location?.path.hasSuffix("net/tcp:2") == true && $0.message.contains("malformed") },
                      unreadable.map(\.message).joined(separator: "\n"))
        XCTAssertTrue(unreadable.contains { $0.location?.path.hasSuffix("net/netstat:2") == true && $0.message.contains("2 values for the 3 names") },
                      unreadable.map(\.message).joined(separator: "\n"))
        let missing = LiveCheck(kb: kb).run(procRoot: "/nonexistent-proc-root", root: "/nonexistent", options: LintOptions())
        XCTAssertTrue(missing.hadUnreadableInput)
        XCTAssertEqual(missing.findings.map(\.code), ["TW410"])
        XCTAssertEqual(missing.exitStatus(failOn: .warning), 2)
    }

    func testWrongSysctlsTypesInManifestsAreTW310() {
        let cases = [
            "kind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls: 5\n  containers: []\n",
            "kind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls: {net.core.somaxconn: 5}\n  containers: []\n",
            "kind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls: [1, null]\n  containers: []\n",
            "services:\n  web:\n    sysctls: \"net.core.somaxconn=5\"\n",
            "services:\n  web:\n    sysctls: [1, null]\n",
            "services:\n  web:\n    sysctls: 5\n",
        ]
        for text in cases {
            let findings = Linter(kb: kb).lintData(Data(text.utf8), path: "m.yaml", options: LintOptions(), explicit: true) ?? []
            XCTAssertTrue(findings.contains { $0.code == "TW310" }, "\(text): \(findings.map(\.code))")
        }
    }

    func testControlCharactersFromInputAreEscapedInEveryFormat() throws {
        let path = "evil\u{1B}[2J\r\n\u{7}\u{202E}.conf"
        let text = "net.ipv4.tcp_tw_reuse = 1\u{1B}]0;pwned\u{7}\n\u{1B}[31mkey\u{9B}x = \u{FFFE}1\n"
        let findings = Linter(kb: kb).lint(text: Data(text.utf8), path: path, options: LintOptions())
        XCTAssertFalse(findings.isEmpty)
        let report = LintReport(findings: findings, target: Target(), hadUnreadableInput: false, inputsRead: 1)
        for format in [ReportFormat.text, .json, .github, .junit, .sarif] {
            let out = Reporter(format: format).render(report, kb: kb)
            let raw = out.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || $0.value == 0xFFFE || $0 == "\u{202E}" }
            XCTAssertTrue(raw.isEmpty, "\(format): \(raw.map { String($0.value, radix: 16) })")
        }
        XCTAssertEqual(ControlEscape.escape("a\u{1B}b\u{7}c\rd"), "a\\eb\\x07c\\rd")
        // Values quoted in kernel-write messages go through the same escaping.
        XCTAssertEqual(ControlEscape.quoted("1\u{1B}\"2\u{202E}"), "\"1\\e\\\"2\\u{202E}\"")
        XCTAssertEqual(KernelInteger.show(Array(String(repeating: "9", count: 41).utf8)), "\"" + String(repeating: "9", count: 40) + "…\"")
    }

    func testUTF16AndCarriageReturnOnlyFilesAreNamed() {
        let utf16 = Data([0xFF, 0xFE] + Array("net.core.somaxconn = 5\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let findings = Linter(kb: kb).lint(text: utf16, path: "u.conf", options: LintOptions())
        XCTAssertEqual(findings.map(\.code), ["TW903"])
        XCTAssertTrue(findings[0].message.contains("UTF-16"))
        let noBOM = Data(Array("net.core.somaxconn = 5\n".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        XCTAssertTrue(Linter(kb: kb).lint(text: noBOM, path: "u.conf", options: LintOptions()).first?.message.contains("big-endian") ?? false)
        let cr = Linter(kb: kb).lint(text: Data("net.core.somaxconn = 5\rnet.ipv4.tcp_tw_reuse = 1\r".utf8), path: "cr.conf", options: LintOptions())
        XCTAssertTrue(cr.contains { $0.code == "TW901" && $0.message.contains("CR only") }, cr.map(\.message).joined(separator: "\n"))
    }

    // MARK: the command line

    /// Runs twlint with standard output on `output` (a path such as /dev/full), standard input from `input`.
    func runCLI(_ arguments: [String], output: String? = nil, closeOutput: Bool = false) throws -> (status: Int32, signalled: Bool, stderr: String) {
        let process = Process()
        process.executableURL = Bundle.main.bundleURL.appendingPathComponent("twlint")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let pipe = Pipe()
        if let output {
            process.standardOutput = FileHandle(forWritingAtPath: output)
        } else {
            process.standardOutput = pipe
        }
        try process.run()
        if closeOutput { try pipe.fileHandleForReading.close() }
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, process.terminationReason == .uncaughtSignal, String(decoding: stderr, as: UTF8.self))
    }

    func testWriteErrorsExitNonZero() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full on this system") }
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("net.core.somaxconn = 4096\n", to: dir + "/clean.conf")
        for arguments in [["lint", "--no-config", dir + "/clean.conf"], ["explain", "tcp_tw_reuse"], ["params"], ["rules"],
                          ["check", "--live", "--no-config", "--format", "prometheus", "--proc-root", TestSupport.packageRoot + "/examples/exhausted-client/proc",
                           "--root", TestSupport.packageRoot + "/examples/exhausted-client"]] {
            let result = try runCLI(arguments, output: "/dev/full")
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("cannot write the output"), result.stderr)
        }
    }

    func testClosedPipeDoesNotKillTheProcess() throws {
        let result = try runCLI(["params"], closeOutput: true)
        XCTAssertFalse(result.signalled, "SIGPIPE is ignored")
        XCTAssertTrue([0, 1].contains(result.status), "a closed pipe is a quiet end: \(result.status) \(result.stderr)")
        XCTAssertFalse(result.stderr.contains("cannot write"), result.stderr)
    }

    func testUsageErrorsAndBadRootsExitTwo() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("x = 1\n", to: dir + "/file")
        for arguments in [["lint", "--no-such-option", "x"], ["lint"], ["lint", "--system", "--root", ""], ["check", "--live", "--root", ""],
                          ["lint", "--system", "--root", dir + "/missing"], ["lint", "--system", "--root", dir + "/file"],
                          ["check", "--live", "--root", dir + "/missing"], ["lint", "--kernel", "\u{1B}[31m", "-"]] {
            let result = try TestSupport.run(arguments + ["--no-config"], stdin: "")
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertFalse(result.stderr.unicodeScalars.contains("\u{1B}"), "messages echo arguments escaped")
        }
        let missing = try TestSupport.run(["lint", "--no-config", "--system", "--root", dir + "/missing"])
        XCTAssertTrue(missing.stderr.contains("no such directory"), missing.stderr)
        let file = try TestSupport.run(["lint", "--no-config", "--system", "--root", dir + "/file"])
        XCTAssertTrue(file.stderr.contains("not a directory"), file.stderr)
    }

    func testClosedStandardInputIsAFindingNotATrap() throws {
        // `lint - <&-`: the child starts with descriptor 0 closed.
        let result = try TestSupport.run(["-c", "exec \"$0\" lint --no-config - <&-", Bundle.main.bundleURL.appendingPathComponent("twlint").path],
                                         executable: "/bin/sh")
        XCTAssertEqual(result.status, 2, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("standard input is closed"), result.stdout)
        let dir = try TestSupport.run(["-c", "exec \"$0\" lint --no-config - < /tmp", Bundle.main.bundleURL.appendingPathComponent("twlint").path],
                                      executable: "/bin/sh")
        XCTAssertEqual(dir.status, 2, dir.stdout + dir.stderr)
        XCTAssertTrue(dir.stdout.contains("directory"), dir.stdout)
    }
}
