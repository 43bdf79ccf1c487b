import Foundation
import XCTest
@testable import TWLintKit

/// `lint --fix`, `--unsafe-fixes` and `--diff`: the rewrites, how they are written, and the properties that make them
/// safe to run (idempotent, nothing fixable left, the kernel ends up with the same values after safe fixes).
final class FixTests: XCTestCase {
    let linter = Linter(kb: TestSupport.kb)

    func fixed(_ text: String, kernel: KernelVersion? = nil, unsafe: Bool = false) -> String {
        let r = Fixer(linter: linter).fix(Data(text.utf8), path: "t.conf", options: LintOptions(target: Target(kernel: kernel), failOn: nil), unsafe: unsafe)
        return String(decoding: r.fixed, as: UTF8.self)
    }

    /// `--diff` and `--fix` stream (issue 10, bounded memory): each file's diff is passed on as it is made and the
    /// report's findings input by input; the result is what the collected run gives, and nothing is kept.
    func testDiffAndReportAreStreamed() throws {
        let options = LintOptions(target: Target(kernel: KernelVersion(6, 1)), failOn: .warning)
        let fixer = Fixer(linter: linter)
        for mode in [Fixer.Mode.diff, .fix] {
            let dir = try TestSupport.temporaryDirectory(self)
            for i in 0..<4 { try TestSupport.write("net.ipv4.tcp_syncookies = 1 # on \(i)\nnet.ipv4.tcp_tw_recycle = 1\nstray text \(i)\n", to: dir + "/\(i).conf") }
            let collected = fixer.run(paths: [dir], system: false, root: "/", options: options, mode: .diff, unsafe: false)
            XCTAssertFalse(collected.diff.isEmpty)
            var diffs: [Data] = [], deliveries: [[Finding]] = []
            let streamed = fixer.run(paths: [dir], system: false, root: "/", options: options, mode: mode, unsafe: false,
                                     diff: { diffs.append($0) }, deliver: { deliveries.append($0) })
            XCTAssertTrue(streamed.diff.isEmpty, "nothing collected")
            XCTAssertTrue(streamed.report.findings.isEmpty, "nothing collected")
            switch mode {
            case .diff:
                XCTAssertEqual(diffs.count, 4, "one diff per file")
                XCTAssertEqual(diffs.reduce(Data(), +), collected.diff)
                XCTAssertEqual(streamed.exitStatus(mode: .diff, failOn: .warning), 1)
            case .fix:
                let remaining = linter.lint(paths: [dir], options: options).findings
                XCTAssertEqual(deliveries.count, 4, "one delivery per file")
                XCTAssertEqual(deliveries.flatMap { $0 }.map(\.code), remaining.map(\.code))
                XCTAssertFalse(remaining.isEmpty)
                XCTAssertEqual(streamed.exitStatus(mode: .fix, failOn: .info), 1)
                XCTAssertEqual(streamed.exitStatus(mode: .fix, failOn: nil), 0)
            }
        }
    }

    // MARK: the rewrites

    func testSafeFixes() {
        XCTAssertEqual(fixed("net.ipv4.tcp_syncookies = 1 # on\n"), "# on\nnet.ipv4.tcp_syncookies = 1\n")
        XCTAssertEqual(fixed("net.ipv4.tcp_tw_recycle = 1\n", kernel: KernelVersion("5.4")),
                       "# net.ipv4.tcp_tw_recycle was removed in Linux 4.12; commented out by twlint --fix\n# net.ipv4.tcp_tw_recycle = 1\n")
        XCTAssertEqual(fixed("net.ipv4.tcp_tw_recycle = 1\n", kernel: KernelVersion("4.9")), "net.ipv4.tcp_tw_recycle = 1\n", "the key exists on 4.9")
        XCTAssertEqual(fixed("net.ipv4.ip_local_port_range = '32768 60999'\n"), "net.ipv4.ip_local_port_range = 32768 60999\n")
        XCTAssertEqual(fixed("a.b = 1\nnet.ipv4.tcp_fin_timeout = 30\nnet.ipv4.tcp_fin_timeout = 15\n").components(separatedBy: "\n")[1...2],
                       ["# overridden below (net.ipv4.tcp_fin_timeout = 15); commented out by twlint --fix", "# net.ipv4.tcp_fin_timeout = 30"])
    }

    /// The held values a fix is judged by come from KernelWrite (the oracle-backed model), with the target kernel and
    /// an unknown previous value added.
    func testHeldValuesFollowKernelWrite() {
        let kernel = KernelVersion("6.1")!
        func held(_ text: String) -> [String: HeldValue] {
            HeldValue.configuration(of: Data(text.utf8), kb: TestSupport.kb, kernel: kernel)
        }
        // The handler reads one number and ignores the rest; hexadecimal is read as kstrtoul reads it.
        XCTAssertEqual(held("net.ipv4.tcp_syncookies = 0 # off\n")["net.ipv4.tcp_syncookies"], .value("0"))
        XCTAssertEqual(held("net.core.somaxconn = 0x1000\n")["net.core.somaxconn"], .value("4096"))
        // A write the kernel refuses leaves what was there before: nothing the file decides.
        XCTAssertNil(held("net.ipv4.tcp_syncookies = yes\n")["net.ipv4.tcp_syncookies"])
        // One number to the port range keeps the upper bound in force: the result depends on it.
        guard case .dependsOnPrevious(let results)? = held("net.ipv4.ip_local_port_range = 20000\n")["net.ipv4.ip_local_port_range"] else {
            return XCTFail("a partial port range should depend on the previous value")
        }
        XCTAssertEqual(results.count, 2)
        XCTAssertTrue(results.allSatisfy { $0?.hasPrefix("20000 ") == true }, "\(results)")
        XCTAssertNotEqual(results[0], results[1])
        // A key the target kernel does not have (tcp_tw_recycle, removed in 4.12) refuses the write.
        XCTAssertNil(held("net.ipv4.tcp_tw_recycle = 1\n")["net.ipv4.tcp_tw_recycle"])
        XCTAssertEqual(HeldValue.configuration(of: Data("net.ipv4.tcp_tw_recycle = 1\n".utf8), kb: TestSupport.kb, kernel: KernelVersion("4.9")!)["net.ipv4.tcp_tw_recycle"], .value("1"))
        // A key twlint knows nothing about: the text as written, taken or refused.
        XCTAssertEqual(held("net.example.unknown = a b\n")["net.example.unknown"], .rawOrPrevious(raw: "a b", previous: nil))
    }

    func testSafeFixesThatWouldChangeTheKernelAreLeftToUnsafe() {
        // A string key takes the comment too: moving it changes what the kernel gets.
        let cc = "net.ipv4.tcp_congestion_control = bbr # fast\n"
        XCTAssertEqual(fixed(cc), cc)
        XCTAssertEqual(fixed(cc, unsafe: true), "# fast\nnet.ipv4.tcp_congestion_control = bbr\n")
        // The later value is rejected by the kernel, so the earlier one is what it holds: not commented out by --fix.
        let dup = "net.ipv4.tcp_syncookies = 1\nnet.ipv4.tcp_syncookies = yes\n"
        XCTAssertEqual(fixed(dup), dup)
        // Nothing before the comment: no intended value to keep.
        XCTAssertEqual(fixed("net.ipv4.tcp_syncookies = #1\n"), "net.ipv4.tcp_syncookies = #1\n")
    }

    func testUnsafeFixes() {
        XCTAssertEqual(fixed("net.ipv4.tcp_syncookie = 1\n"), "net.ipv4.tcp_syncookie = 1\n", "unsafe: not applied by --fix")
        XCTAssertEqual(fixed("net.ipv4.tcp_syncookie = 1\n", unsafe: true), "net.ipv4.tcp_syncookies = 1\n")
        XCTAssertEqual(fixed("net.ipv4.tcp_tw_resue = 1\n", unsafe: true), "net.ipv4.tcp_tw_reuse = 1\n")
        // Two keys within two edits (tcp_rmem, tcp_wmem): no rename.
        XCTAssertEqual(fixed("net.ipv4.tcp_rmen = 4096 87380 6291456\n", unsafe: true), "net.ipv4.tcp_rmen = 4096 87380 6291456\n")
        XCTAssertEqual(fixed("net.ipv4.tcp_max_tw_buckets = 5000\n", unsafe: true),
                       "# net.ipv4.tcp_max_tw_buckets = 5000 deleted by twlint --fix so that the kernel's default applies\n")
        XCTAssertEqual(fixed("net.ipv4.tcp_tw_reuse = -1\n", unsafe: true),
                       "# was net.ipv4.tcp_tw_reuse = -1, outside the range the kernel accepts; set to the nearest bound by twlint --fix\nnet.ipv4.tcp_tw_reuse = 0\n")
    }

    func testFixesThatMeetOnALineTakeTurns() {
        // TW101 and TW902 on one line: the line is commented out, the comment with it.
        XCTAssertEqual(fixed("net.ipv4.tcp_tw_recycle = 1 # old guide\n"),
                       "# net.ipv4.tcp_tw_recycle was removed in Linux 4.12; commented out by twlint --fix\n# net.ipv4.tcp_tw_recycle = 1 # old guide\n")
        // An overridden line with an inline comment: commented out first; the winner's comment moves.
        XCTAssertEqual(fixed("net.ipv4.tcp_syncookies = 0 # a\nnet.ipv4.tcp_syncookies = 1 # b\n"),
                       "# overridden below (net.ipv4.tcp_syncookies = 1 # b); commented out by twlint --fix\n# net.ipv4.tcp_syncookies = 0 # a\n# b\nnet.ipv4.tcp_syncookies = 1\n")
    }

    // MARK: bytes kept

    func testCRLFAndFinalNewlineAndBOMAreKept() {
        XCTAssertEqual(fixed("net.ipv4.tcp_fin_timeout = 30\r\nnet.ipv4.tcp_syncookies = 1 # on\r\n"),
                       "net.ipv4.tcp_fin_timeout = 30\r\n# on\r\nnet.ipv4.tcp_syncookies = 1\r\n")
        XCTAssertEqual(fixed("net.ipv4.tcp_fin_timeout = 30\nnet.ipv4.tcp_syncookies = 1 # on"),
                       "net.ipv4.tcp_fin_timeout = 30\n# on\nnet.ipv4.tcp_syncookies = 1")
        XCTAssertEqual(fixed("net.ipv4.tcp_fin_timeout = 30\nnet.ipv4.tcp_max_tw_buckets = 5000", unsafe: true),
                       "net.ipv4.tcp_fin_timeout = 30\n# net.ipv4.tcp_max_tw_buckets = 5000 deleted by twlint --fix so that the kernel's default applies")
        // A byte-order mark: neither applier strips it, so the first line is no setting (TW903) and nothing on it is fixed.
        XCTAssertEqual(fixed("\u{FEFF}net.ipv4.tcp_syncookies = 1 # on\n"), "\u{FEFF}net.ipv4.tcp_syncookies = 1 # on\n")
        XCTAssertEqual(fixed("\u{FEFF}# BOM\nnet.ipv4.tcp_syncookies = 1 # on\n"), "\u{FEFF}# BOM\n# on\nnet.ipv4.tcp_syncookies = 1\n")
        // Lines the parser could not read (invalid UTF-8) are kept byte for byte.
        var bytes = Data("net.ipv4.tcp_syncookies = 1 # on\n".utf8)
        bytes.append(contentsOf: [0x23, 0xFF, 0xFE, 0x0A])
        let r = Fixer(linter: linter).fix(bytes, path: "t.conf", options: LintOptions(failOn: nil), unsafe: false)
        XCTAssertEqual([UInt8](r.fixed.suffix(4)), [0x23, 0xFF, 0xFE, 0x0A])
    }

    // MARK: the command line

    func write(_ text: String, _ path: String) throws { try TestSupport.write(text, to: path) }
    func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>" }

    func testFixWritesAndExitStatusIsWhatRemains() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try write("net.ipv4.tcp_syncookies = 1 # on\n", dir + "/a.conf")
        let r = try TestSupport.run(["lint", "--fix", "--no-config", "--brief", dir + "/a.conf"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(read(dir + "/a.conf"), "# on\nnet.ipv4.tcp_syncookies = 1\n")
        XCTAssertTrue(r.stderr.contains("applied 1 fix to 1 file"), r.stderr)
        // Something unfixable remains: exit 1 and it is reported.
        try write("net.ipv4.tcp_syncookies = 1 # on\nnet.ipv4.tcp_timestamps = 0\n", dir + "/b.conf")
        let s = try TestSupport.run(["lint", "--fix", "--no-config", "--brief", dir + "/b.conf"])
        XCTAssertEqual(s.status, 1)
        XCTAssertTrue(s.stdout.contains("TW104") && !s.stdout.contains("TW902"), s.stdout)
    }

    func testDiffChangesNothingAndMatchesGNUDiff() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        var lines = (1...12).map { "net.ipv4.conf.eth\($0).rp_filter = 1" }
        lines[1] = "net.ipv4.tcp_tw_recycle = 1"
        lines[10] = "net.ipv4.tcp_syncookies = 1 # on"
        let original = lines.joined(separator: "\n")   // no final newline
        try write(original, dir + "/a.conf")
        let r = try TestSupport.run(["lint", "--diff", "--no-config", "a.conf"], cwd: dir)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(read(dir + "/a.conf"), original, "--diff writes nothing")
        XCTAssertTrue(r.stderr.contains("would apply 2 fixes to 1 file"), r.stderr)
        // The same as GNU diff between the file and its fixed text, and patch applies it.
        let fixedText = fixed(original)
        try write(fixedText, dir + "/fixed")
        let gnu = try shell("diff -u --label a.conf --label a.conf a.conf fixed", cwd: dir)
        XCTAssertEqual(r.stdout, gnu)
        _ = try shell("patch -s -p0 < /dev/stdin", cwd: dir, input: r.stdout)
        XCTAssertEqual(read(dir + "/a.conf"), fixedText)
        // Changes far apart make separate hunks; CRLF lines and a final newline: still what GNU diff prints.
        var far = (1...30).map { "net.ipv4.conf.eth\($0).rp_filter = 1" }
        far[1] = "net.ipv4.tcp_tw_recycle = 1"
        far[27] = "net.ipv4.ip_local_port_range = \"32768 60999\""
        let farText = far.map { $0 + "\r\n" }.joined()
        try write(farText, dir + "/far.conf")
        try write(fixed(farText), dir + "/far.fixed")
        let farDiff = try TestSupport.run(["lint", "--diff", "--no-config", "far.conf"], cwd: dir)
        XCTAssertEqual(farDiff.stdout, try shell("diff -u --label far.conf --label far.conf far.conf far.fixed", cwd: dir))
        XCTAssertEqual(farDiff.stdout.components(separatedBy: "@@ -").count, 3, "two hunks: \(farDiff.stdout)")
        // A line that is not UTF-8 goes into the diff byte for byte, so patch still gives the fixed file.
        var raw = Data("net.ipv4.tcp_syncookies = 1 # on\n".utf8)
        raw.append(contentsOf: [0x23, 0x20, 0xFF, 0xFE, 0x0A])
        raw.append(Data("net.ipv4.tcp_tw_recycle = 1\n".utf8))
        try raw.write(to: URL(fileURLWithPath: dir + "/bin.conf"))
        let binary = Bundle.main.bundleURL.appendingPathComponent("twlint").path
        _ = try shell("'\(binary)' lint --diff --no-config bin.conf > bin.diff 2>/dev/null; patch -s -p0 < bin.diff", cwd: dir)
        let expected = Fixer(linter: linter).fix(raw, path: "bin.conf", options: LintOptions(failOn: nil), unsafe: false).fixed
        XCTAssertNotEqual(expected, raw)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: dir + "/bin.conf")), expected)
        // Nothing to fix: no output, exit 0.
        let clean = try TestSupport.run(["lint", "--diff", "--no-config", "fixed"], cwd: dir)
        XCTAssertEqual(clean.status, 0)
        XCTAssertEqual(clean.stdout, "")
    }

    func shell(_ command: String, cwd: String, input: String? = nil) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/diff"), FileManager.default.isExecutableFile(atPath: "/usr/bin/patch") else {
            throw XCTSkip("diff and patch (diffutils, patch) are not installed")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        let out = Pipe(), inPipe = Pipe()
        p.standardOutput = out
        p.standardInput = inPipe
        try p.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    func testReadOnlyFileIsRefusedAndSaidSo() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let path = dir + "/ro.conf"
        try write("net.ipv4.tcp_syncookies = 1 # on\n", path)
        chmod(path, 0o444)
        let r = try TestSupport.run(["lint", "--fix", "--no-config", "--brief", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(path): not fixed: it is read-only (mode 444)"), r.stderr)
        XCTAssertEqual(read(path), "net.ipv4.tcp_syncookies = 1 # on\n")
        XCTAssertTrue(r.stdout.contains("TW902"), "the finding remains: \(r.stdout)")
    }

    func testSymlinkKeepsTheLinkAndRewritesTheTarget() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try write("net.ipv4.tcp_syncookies = 1 # on\n", dir + "/real/target.conf")
        try FileManager.default.createDirectory(atPath: dir + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/etc/link.conf", withDestinationPath: "../real/target.conf")
        chmod(dir + "/real/target.conf", 0o640)
        let r = try TestSupport.run(["lint", "--fix", "--no-config", dir + "/etc/link.conf"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/etc/link.conf"), "../real/target.conf")
        XCTAssertEqual(read(dir + "/real/target.conf"), "# on\nnet.ipv4.tcp_syncookies = 1\n")
        var info = stat()
        XCTAssertEqual(stat(dir + "/real/target.conf", &info), 0)
        XCTAssertEqual(info.st_mode & 0o7777, 0o640, "mode kept")
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/real"), ["target.conf"])
    }

    func testOwnerAndGroupAreKept() throws {
        guard getuid() == 0 else { throw XCTSkip("changing a file's owner needs root") }
        let dir = try TestSupport.temporaryDirectory(self)
        let path = dir + "/owned.conf"
        try write("net.ipv4.tcp_syncookies = 1 # on\n", path)
        XCTAssertEqual(chown(path, 65534, 65534), 0)
        chmod(path, 0o600)
        let r = try TestSupport.run(["lint", "--fix", "--no-config", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual([info.st_uid, info.st_gid], [65534, 65534])
        XCTAssertEqual(info.st_mode & 0o7777, 0o600)
        XCTAssertEqual(read(path), "# on\nnet.ipv4.tcp_syncookies = 1\n")
    }

    func testWriterRefusesChangedAndSpecialFiles() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let path = dir + "/a.conf"
        try write("net.ipv4.tcp_syncookies = 1\n", path)
        guard case .failure(let changed) = SafeWriter.replace(path, original: Data("something else\n".utf8), with: Data("x\n".utf8), confinedTo: nil) else {
            return XCTFail("a file that changed since it was read was overwritten")
        }
        XCTAssertEqual(changed.reason, "it changed since twlint read it")
        XCTAssertEqual(read(path), "net.ipv4.tcp_syncookies = 1\n")
        XCTAssertEqual(mkfifo(dir + "/fifo.conf", 0o644), 0)
        guard case .failure(let fifo) = SafeWriter.replace(dir + "/fifo.conf", original: Data(), with: Data("x\n".utf8), confinedTo: nil) else {
            return XCTFail("a FIFO was replaced")
        }
        XCTAssertEqual(fifo.reason, "it is not a regular file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir).sorted(), ["a.conf", "fifo.conf"])
    }

    func testWalkedSymlinkLeavingTheDirectoryIsRefused() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try write("net.ipv4.tcp_syncookies = 1 # on\n", dir + "/outside/x.conf")
        try write("net.ipv4.tcp_fin_timeout = 30\n", dir + "/tree/ok.conf")
        try FileManager.default.createSymbolicLink(atPath: dir + "/tree/link.conf", withDestinationPath: dir + "/outside/x.conf")
        let r = try TestSupport.run(["lint", "--fix", "--no-config", "--brief", dir + "/tree"])
        XCTAssertTrue(r.stderr.contains("link.conf: not fixed: it resolves to"), r.stderr)
        XCTAssertEqual(read(dir + "/outside/x.conf"), "net.ipv4.tcp_syncookies = 1 # on\n")
        // Named on the command line, the same link is followed.
        let named = try TestSupport.run(["lint", "--fix", "--no-config", "--brief", dir + "/tree/link.conf"])
        XCTAssertEqual(named.status, 0, named.stderr)
        XCTAssertEqual(read(dir + "/outside/x.conf"), "# on\nnet.ipv4.tcp_syncookies = 1\n")
    }

    func testSystemRootIsOnlyWrittenWithFix() throws {
        let root = try TestSupport.temporaryDirectory(self)
        let conf = root + "/etc/sysctl.d/90-x.conf"
        try write("net.ipv4.tcp_syncookies = 1 # on\n", conf)
        _ = try TestSupport.run(["lint", "--system", "--root", root, "--no-config"])
        let diff = try TestSupport.run(["lint", "--system", "--root", root, "--no-config", "--diff"])
        XCTAssertEqual(diff.status, 1)
        XCTAssertTrue(diff.stdout.contains("+# on"), diff.stdout)
        XCTAssertEqual(read(conf), "net.ipv4.tcp_syncookies = 1 # on\n")
        let fix = try TestSupport.run(["lint", "--system", "--root", root, "--no-config", "--fix", "--brief"])
        XCTAssertEqual(read(conf), "# on\nnet.ipv4.tcp_syncookies = 1\n", fix.stderr)
    }

    /// Debian's /etc/sysctl.d/99-sysctl.conf is an absolute symlink to /etc/sysctl.conf: under --root it means
    /// ROOT/etc/sysctl.conf, which is fixed; this machine's /etc/sysctl.conf is never read or written.
    func testSystemSymlinksResolveInsideTheRoot() throws {
        let root = try TestSupport.temporaryDirectory(self)
        try write("net.ipv4.tcp_tw_recycle = 1\n", root + "/etc/sysctl.conf")
        try FileManager.default.createDirectory(atPath: root + "/etc/sysctl.d", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/etc/sysctl.d/99-sysctl.conf", withDestinationPath: "/etc/sysctl.conf")
        let host = FileManager.default.contents(atPath: "/etc/sysctl.conf")
        let r = try TestSupport.run(["lint", "--system", "--root", root, "--no-config", "--kernel", "6.1", "--fix", "--brief"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(read(root + "/etc/sysctl.conf"),
                       "# net.ipv4.tcp_tw_recycle was removed in Linux 4.12; commented out by twlint --fix\n# net.ipv4.tcp_tw_recycle = 1\n")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/etc/sysctl.d/99-sysctl.conf"), "/etc/sysctl.conf")
        XCTAssertEqual(FileManager.default.contents(atPath: "/etc/sysctl.conf"), host, "this machine's file is untouched")
        XCTAssertTrue(r.stderr.contains("applied 1 fix to 1 file"), r.stderr)
    }

    func testStandardInputAndManifestsAreNotWritten() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    sysctls:\n    - {name: net.ipv4.tcp_tw_recycle, value: \"1\"}\n  containers: [{name: c, image: i}]\n"
        try write(manifest, dir + "/pod.yaml")
        let r = try TestSupport.run(["lint", "--fix", "--no-config", "--brief", "-", dir + "/pod.yaml"], stdin: "net.ipv4.tcp_syncookies = 1 # on\n")
        XCTAssertTrue(r.stderr.contains("standard input is linted but not fixed"), r.stderr)
        XCTAssertEqual(read(dir + "/pod.yaml"), manifest)
        XCTAssertTrue(r.stdout.contains("TW902"), r.stdout)
    }

    func testRulesSayWhichCanFixAndOptionsAreChecked() throws {
        let json = try TestSupport.run(["rules", "--format", "json"])
        let rules = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let fixes = Dictionary(uniqueKeysWithValues: rules.compactMap { r -> (String, String)? in
            guard let code = r["code"] as? String, let fix = r["fix"] as? [String: Any], let a = fix["applicability"] as? String else { return nil }
            return (code, "\(fix["kind"] ?? "")/\(a)")
        })
        XCTAssertEqual(fixes, ["TW101": "comment-out/safe", "TW803": "comment-out/safe", "TW902": "move-comment/safe", "TW906": "comment-out/safe",
                               "TW909": "replace-value/safe", "TW801": "rename-key/unsafe", "TW804": "replace-value/unsafe", "TW106": "delete/unsafe"])
        XCTAssertTrue(rules.contains { $0["code"] as? String == "TW104" && $0["fix"] is NSNull })
        let text = try TestSupport.run(["rules"])
        XCTAssertTrue(text.stdout.split(separator: "\n").contains { $0.hasPrefix("TW902") && $0.contains("fix:safe") }, text.stdout)
        // Every fix example of every rule holds (rules --check runs them too).
        let runner = ExampleRunner(kb: TestSupport.kb)
        var examples = 0
        for rule in TestSupport.kb.rules {
            for example in rule.autofix?.examples ?? [] {
                examples += 1
                XCTAssertNil(runner.fixFailure(rule, example), "\(rule.code) fix example at line \(example.line)")
            }
        }
        XCTAssertGreaterThanOrEqual(examples, 10)
        for bad in [["--fix", "--diff"], ["--unsafe-fixes"], ["--fix", "--helm"]] {
            let r = try TestSupport.run(["lint", "x.conf"] + bad)
            XCTAssertEqual(r.status, 2, "\(bad): \(r.stderr)")  // a usage error, as README says
        }
    }

    // MARK: golden files

    /// `lint --fix` (and with `--unsafe-fixes`) on every corpus sysctl file for Linux 6.1 makes the reviewed change
    /// in Fixtures/fix/NAME.safe.diff and NAME.unsafe.diff (empty: nothing to fix), which `lint --diff` prints.
    func testGoldenFixesOfTheCorpus() throws {
        guard let corpus = TestSupport.corpus ?? ProcessInfo.processInfo.environment["TWLINT_CORPUS"] else {
            throw XCTSkip("../shared/corpus is not beside this checkout (or set TWLINT_CORPUS)")
        }
        let golden = TestSupport.packageRoot + "/Tests/TWLintKitTests/Fixtures/fix"
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".conf") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 5)
        let dir = try TestSupport.temporaryDirectory(self)
        var changed = 0
        for name in names {
            let original = try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + name))
            for mode in ["safe", "unsafe"] {
                let expected = try String(contentsOfFile: "\(golden)/\(name).\(mode).diff", encoding: .utf8)
                let path = dir + "/" + name
                try? FileManager.default.removeItem(atPath: path)
                try original.write(to: URL(fileURLWithPath: path))
                let extra = mode == "unsafe" ? ["--unsafe-fixes"] : []
                let diff = try TestSupport.run(["lint", "--diff", "--no-config", "--kernel", "6.1", name] + extra, cwd: dir)
                XCTAssertEqual(diff.stdout, expected, "\(name) \(mode): lint --diff")
                XCTAssertEqual(diff.status, expected.isEmpty ? 0 : 1)
                let r = try TestSupport.run(["lint", "--fix", "--no-config", "--kernel", "6.1", "--brief", name] + extra, cwd: dir)
                XCTAssertTrue([0, 1].contains(r.status), "\(name) \(mode): \(r.stderr)")
                let fixedData = try Data(contentsOf: URL(fileURLWithPath: path))
                XCTAssertEqual(UnifiedDiff.render(path: name, old: LineText(original), new: LineText(fixedData)), expected, "\(name) \(mode): lint --fix")
                if !expected.isEmpty { changed += 1 }
                // What remains is reported: no finding the fixer would still fix.
                let again = Fixer(linter: linter).fix(fixedData, path: path, options: LintOptions(target: Target(kernel: KernelVersion("6.1")), failOn: nil),
                                                      unsafe: mode == "unsafe")
                XCTAssertTrue(again.applied.isEmpty, "\(name) \(mode): \(again.applied.map(\.finding.code))")
            }
        }
        XCTAssertGreaterThanOrEqual(changed, 7, "the corpus has fixable findings in most files")
    }

    // MARK: properties

    /// The properties every fixed text must have: idempotent, nothing fixable left, bytes kept, and (safe fixes) the
    /// kernel ends up with the same values except for the keys of fixes that declare a change.
    func checkProperties(_ data: Data, kernel: KernelVersion, label: String, file: StaticString = #filePath, line: UInt = #line) {
        let options = LintOptions(target: Target(kernel: kernel), failOn: nil)
        let fixer = Fixer(linter: linter)
        for unsafe in [false, true] {
            let once = fixer.fix(data, path: "p.conf", options: options, unsafe: unsafe)
            let twice = fixer.fix(once.fixed, path: "p.conf", options: options, unsafe: unsafe)
            XCTAssertEqual(twice.fixed, once.fixed, "\(label): fixing twice changed the text (unsafe: \(unsafe))", file: file, line: line)
            XCTAssertTrue(twice.applied.isEmpty, "\(label): fixable findings left: \(twice.applied.map(\.finding.code))", file: file, line: line)
            let before = LineText(data), after = LineText(once.fixed)
            XCTAssertEqual(after.endsWithNewline, before.endsWithNewline, "\(label): final newline", file: file, line: line)
            XCTAssertEqual(after.bom, before.bom, "\(label): byte order mark", file: file, line: line)
            if Set(before.terminators.filter { !$0.isEmpty }).count == 1 {
                XCTAssertLessThanOrEqual(Set(after.terminators.filter { !$0.isEmpty }).count, 1, "\(label): line endings mixed by the fix", file: file, line: line)
            }
            XCTAssertGreaterThanOrEqual(after.lines.count + once.applied.filter { $0.kind == .delete }.count, before.lines.count, "\(label): lines lost", file: file, line: line)
            guard !unsafe else { continue }
            XCTAssertTrue(once.applied.allSatisfy { $0.applicability == .safe }, file: file, line: line)
            let declared = Set(once.applied.filter(\.declaresChange).compactMap { $0.finding.key })
            let heldBefore = HeldValue.configuration(of: data, kb: TestSupport.kb, kernel: kernel).filter { !declared.contains($0.key) }
            let heldAfter = HeldValue.configuration(of: once.fixed, kb: TestSupport.kb, kernel: kernel).filter { !declared.contains($0.key) }
            XCTAssertEqual(heldAfter, heldBefore, "\(label): safe fixes changed what the kernel holds:\n\(String(decoding: data, as: UTF8.self))\n→\n\(String(decoding: once.fixed, as: UTF8.self))", file: file, line: line)
        }
    }

    static let kernels = ["4.9", "5.4", "6.1", "6.18"].compactMap(KernelVersion.init)

    func testPropertiesOnTheCorpus() throws {
        guard let corpus = TestSupport.corpus ?? ProcessInfo.processInfo.environment["TWLINT_CORPUS"] else {
            throw XCTSkip("../shared/corpus is not beside this checkout (or set TWLINT_CORPUS)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".conf") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 5)
        for name in names {
            let data = try Data(contentsOf: URL(fileURLWithPath: corpus + "/" + name))
            for kernel in Self.kernels { checkProperties(data, kernel: kernel, label: "\(name) on \(kernel)") }
        }
    }

    /// A seeded generator (SplitMix64) of sysctl files full of what the fixes handle, and what they must leave alone.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
        mutating func chance(_ percent: UInt64) -> Bool { next() % 100 < percent }

        static let keys = ["net.ipv4.tcp_syncookies", "net.ipv4.tcp_tw_reuse", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_rmem",
                           "net.ipv4.conf.all.rp_filter", "net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_fin_timeout", "net.core.somaxconn",
                           "net.ipv4.tcp_congestion_control", "net.core.default_qdisc", "net.ipv4.tcp_tw_recycle", "net.ipv4.tcp_nodelay",
                           "net.ipv4.tcp_low_latency", "net.ipv4.tcp_migrate_req", "vm.swappiness", "net.ipv4.conf.*.rp_filter",
                           "net/ipv4/tcp_timestamps", "net.ipv4.ip_local_reserved_ports"]
        /// Misspelt keys cost a did-you-mean search each (slow in debug builds): rarer.
        static let misspelt = ["net.ipv4.tcp_syncookie", "net.ipv4.tcp_fin_timout", "net.ipv4.tcp_tw_resue", "net.ipv4.tcp_rmen"]
        static let values = ["0", "1", "2", "3", "-1", "5000", "300000", "32768 60999", "60999 32768", "4096 87380 6291456", "4096 87380",
                             "bbr", "fq", "yes", "", "0x10", "010", "8080,9000-9100", "2147483648"]

        mutating func value() -> String {
            var v = pick(Self.values)
            if chance(12) { v = "\"\(v)\"" } else if chance(6) { v = "'\(v)'" }
            if chance(15) { v += pick([" # note", "  #comment with = sign", "\t# tab", " #", " # twlint: disable=TW104"]) }
            return v
        }

        mutating func line() -> String {
            switch next() % 10 {
            case 0: return pick(["", "   ", "# a comment", "; old style", "# twlint: disable-file=TW203", "garbage without equals", "-net.ipv4.tcp_tw_recycle"])
            default:
                let prefix = chance(10) ? "-" : ""
                let indent = chance(10) ? pick([" ", "\t", "  "]) : ""
                let eq = pick([" = ", "=", " =", "= ", "\t=\t"])
                return indent + prefix + (chance(4) ? pick(Self.misspelt) : pick(Self.keys)) + eq + value()
            }
        }

        mutating func file() -> Data {
            let count = Int(next() % 14) + 1
            var lines = (0..<count).map { _ in line() }
            // Duplicates are what TW906 is about: repeat some lines' keys.
            if chance(50), let some = lines.indices.randomElement(using: &self) { lines.append(lines[some]) }
            let crlf = chance(25)
            var text = lines.map { $0 + (crlf ? "\r\n" : "\n") }.joined()
            if chance(25) { text.removeLast(crlf ? 2 : 1) }
            var data = Data(text.utf8)
            if chance(5) { data = Data([0xEF, 0xBB, 0xBF]) + data }
            return data
        }
    }

    func testPropertiesOnGeneratedFiles() {
        var g = Generator(state: 0x7477_6c69_6e74)   // fixed seed: a failure names the case and reproduces
        for i in 0..<300 {
            let data = g.file()
            checkProperties(data, kernel: g.pick(Self.kernels), label: "generated case \(i)")
        }
    }
}

extension FixTests.Generator: RandomNumberGenerator {}
