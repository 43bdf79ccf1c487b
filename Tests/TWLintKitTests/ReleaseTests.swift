import Foundation
import XCTest
@testable import TWLintKit

/// The release tarball that scripts/release.sh builds (.ci/run builds it once before the suite: building it here
/// would take minutes of the suite's time). Checked as a user would receive it: unpacked, its checksums, the
/// binary's dynamic dependencies, and runs with an empty environment and inside an empty root with only glibc.
final class ReleaseTests: XCTestCase {
    static let arch: String = {
        var u = utsname()
        uname(&u)
        return withUnsafeBytes(of: &u.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }()

    /// dist/ of the checkout, or TWLINT_RELEASE_DIR.
    static var distDirectory: String {
        ProcessInfo.processInfo.environment["TWLINT_RELEASE_DIR"] ?? TestSupport.packageRoot + "/dist"
    }

    static var tarballName: String { "twlint-\(version)-linux-\(arch).tar.gz" }

    /// Runs `args` through /usr/bin/env (so an `environment` without PATH still finds the tools) with the suite's
    /// one process runner, `Shell.run`.
    @discardableResult
    static func sh(_ args: [String], environment: [String: String]? = nil, cwd: String? = nil) throws -> (status: Int32, out: String) {
        let r = try Shell.run(["/usr/bin/env"] + args, cwd: cwd, environment: environment)
        return (r.status, r.output)
    }

    /// Unpacks the tarball into a temporary folder and returns the package folder inside it.
    func unpacked() throws -> String {
        let tarball = Self.distDirectory + "/" + Self.tarballName
        guard FileManager.default.fileExists(atPath: tarball) else {
            throw XCTSkip("no release tarball at \(tarball): run scripts/release.sh first (.ci/run does)")
        }
        let dir = try TestSupport.temporaryDirectory(self)
        let checksum = try Self.sh(["sha256sum", "-c", Self.tarballName + ".sha256"], cwd: Self.distDirectory)
        XCTAssertEqual(checksum.status, 0, checksum.out)
        let untar = try Self.sh(["tar", "-xzf", tarball, "-C", dir])
        XCTAssertEqual(untar.status, 0, untar.out)
        return dir + "/" + Self.tarballName.replacingOccurrences(of: ".tar.gz", with: "")
    }

    func testTarballHasBinaryManPageCompletionsReadmeAndValidChecksums() throws {
        let root = try unpacked()
        for file in ["bin/twlint", "share/man/man1/twlint.1", "share/bash-completion/completions/twlint",
                     "share/zsh/site-functions/_twlint", "share/fish/vendor_completions.d/twlint.fish",
                     "share/doc/twlint/README.md", "share/doc/twlint/SHA256SUMS"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: root + "/" + file)[.size] as? Int) ?? 0
            XCTAssertGreaterThan(size, 0, file)
        }
        let sums = try Self.sh(["sha256sum", "-c", "share/doc/twlint/SHA256SUMS"], cwd: root)
        XCTAssertEqual(sums.status, 0, sums.out)
        XCTAssertEqual(sums.out.split(separator: "\n").filter { $0.hasSuffix(": OK") }.count, 6, sums.out)
        let man = try String(contentsOfFile: root + "/share/man/man1/twlint.1", encoding: .utf8)
        XCTAssertTrue(man.contains(".Dt TWLINT 1") && man.contains(".It Em docs") && man.contains("Fl -docs-url"), "man page covers the commands")
        let bash = try String(contentsOfFile: root + "/share/bash-completion/completions/twlint", encoding: .utf8)
        XCTAssertTrue(bash.contains("complete") && bash.contains("explain"))
        let fish = try String(contentsOfFile: root + "/share/fish/vendor_completions.d/twlint.fish", encoding: .utf8)
        XCTAssertTrue(fish.contains("complete -c 'twlint'"))
    }

    func testBinaryNeedsOnlyGlibc() throws {
        let root = try unpacked()
        let elf = try Self.sh(["readelf", "-d", root + "/bin/twlint"])
        guard elf.status == 0 else { throw XCTSkip("readelf (binutils) is not installed: \(elf.out)") }
        let needed = elf.out.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap { line -> String? in
            guard let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        }
        XCTAssertFalse(needed.isEmpty)
        let glibc = ["libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so", "libutil.so", "libresolv.so", "ld-linux"]
        let foreign = needed.filter { lib in !glibc.contains { lib.hasPrefix($0) } }
        XCTAssertEqual(foreign, [], "NEEDED: \(needed)")
    }

    func testBinaryRunsWithAnEmptyEnvironment() throws {
        let root = try unpacked()
        let bin = root + "/bin/twlint"
        let explain = try Self.sh(["-i", bin, "explain", "tcp_tw_reuse"], environment: [:])
        XCTAssertEqual(explain.status, 0, explain.out)
        XCTAssertTrue(explain.out.contains("net.ipv4.tcp_tw_reuse"), explain.out)
        let versionText = try Self.sh(["-i", bin, "--version"], environment: [:])
        XCTAssertTrue(versionText.out.hasPrefix("twlint \(version) (revision "), versionText.out)
        XCTAssertTrue(versionText.out.contains("knowledge base covers Linux"), versionText.out)
        XCTAssertFalse(versionText.out.contains("revision unknown"), "release.sh builds from a git checkout")
        let conf = try TestSupport.temporaryDirectory(self) + "/a.conf"
        try TestSupport.write("net.ipv4.tcp_tw_recycle = 1\n", to: conf)
        let lint = try Self.sh(["-i", bin, "lint", "--no-config", "--format", "json", conf], environment: [:])
        XCTAssertEqual(lint.status, 1, lint.out)
        XCTAssertTrue(lint.out.contains("\"TW101\""), lint.out)
    }

    /// The binary's libxml2 has no ICU of its own (release.sh links scripts/libxml2-without-icu.c instead):
    /// rule files in other encodings are still read or refused as before, with a clear located message.
    /// twlint reads XML as UTF-8 (SafeXML.parse); libxml2 converts a declared encoding with its built-in
    /// handlers or glibc's iconv; a name only ICU knows (SCSU) is now refused like an unknown one.
    func testRuleFilesInOtherEncodingsWithoutICU() throws {
        let root = try unpacked()
        let bin = root + "/bin/twlint"
        let rule = """
            <rule code="ACME1" slug="house-acme1" severity="warning" category="listen">
              <title>Our services need a backlog of 16384 (TITLE)</title>
              <subject key="net.core.somaxconn"/>
              <when><value op="lt" value="16384"/></when>
              <message>net.core.somaxconn = {value} is below our standard of 16384</message>
              <why><p>House rule.</p></why>
              <fix><p>Set 16384.</p></fix>
              <examples>
                <example expect="trigger">net.core.somaxconn = 4096</example>
                <example expect="pass">net.core.somaxconn = 16384</example>
              </examples>
            </rule>

            """
        func document(_ encoding: String, title: String = "TITLE") -> String {
            "<?xml version=\"1.0\" encoding=\"\(encoding)\"?>\n" + rule.replacingOccurrences(of: "TITLE", with: title)
        }
        // (name, bytes, expected exit status, expected text in the output)
        let cases: [(String, Data, Int32, String)] = [
            ("utf-8", Data(document("UTF-8", title: "café").utf8), 0, "0 failed"),
            ("iso-8859-1 (ASCII text)", Data(document("ISO-8859-1").utf8), 0, "0 failed"),
            // Not built into libxml2: converted by glibc's iconv.
            ("iso-8859-15 (ASCII text)", Data(document("ISO-8859-15").utf8), 0, "0 failed"),
            ("iso-8859-1 with é", document("ISO-8859-1", title: "café").data(using: .isoLatin1)!, 2, "r.xml:0: not valid UTF-8"),
            ("utf-16 with BOM", document("UTF-16", title: "café").data(using: .utf16LittleEndian).map { Data([0xFF, 0xFE]) + $0 }!, 2, "r.xml:0: not valid UTF-8"),
            ("unknown encoding", Data(document("x-twlint-no-such-encoding").utf8), 2, "r.xml:1: Unsupported encoding x-twlint-no-such-encoding"),
            ("an encoding only ICU knows", Data(document("SCSU").utf8), 2, "r.xml:1: Unsupported encoding SCSU"),
        ]
        for (name, bytes, status, expected) in cases {
            let dir = try TestSupport.temporaryDirectory(self)
            try bytes.write(to: URL(fileURLWithPath: dir + "/r.xml"))
            let run = try Self.sh(["-i", bin, "rules", "--check", "--rules", dir], environment: [:])
            XCTAssertEqual(run.status, status, "\(name): \(run.out)")
            XCTAssertTrue(run.out.contains(expected), "\(name): \(run.out)")
        }
    }

    /// The strongest form of "nothing else installed": a root folder holding the binary and the glibc files
    /// it loads, nothing more (no /usr/share, no /etc, no ICU data, no libxml2). Needs root for chroot.
    /// /proc is bound in (in a private mount namespace), as on any running system: the Swift runtime reads the
    /// command line from /proc/self/cmdline, and without it the binary sees no arguments.
    func testBinaryRunsInAnEmptyRootWithOnlyGlibc() throws {
        guard getuid() == 0 else { throw XCTSkip("chroot needs root") }
        let root = try unpacked()
        let jail = try TestSupport.temporaryDirectory(self)
        let ldd = try Self.sh(["ldd", root + "/bin/twlint"])
        XCTAssertEqual(ldd.status, 0, ldd.out)
        // Lines are "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)".
        let paths = ldd.out.split(separator: "\n").compactMap { line -> String? in
            line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init).first { $0.hasPrefix("/") }
        }
        XCTAssertFalse(paths.isEmpty, ldd.out)
        for path in paths + [root + "/bin/twlint"] {
            let target = path.hasPrefix(root) ? jail + "/twlint" : jail + path
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path, toPath: target)
        }
        try FileManager.default.createDirectory(atPath: jail + "/proc", withIntermediateDirectories: true)
        func inJail(_ args: [String]) throws -> (status: Int32, out: String) {
            try Self.sh(["-i", "/usr/bin/unshare", "-m", "/bin/sh", "-c",
                         #"/bin/mount --bind /proc "$0/proc" && exec /usr/sbin/chroot "$0" /twlint "$@""#, jail] + args,
                        environment: [:])
        }
        let run = try inJail(["explain", "TW103"])
        if run.out.contains("unshare failed") { throw XCTSkip("no mount namespaces here: \(run.out)") }
        XCTAssertEqual(run.status, 0, run.out)
        XCTAssertTrue(run.out.hasPrefix("TW103 tw-reuse-without-timestamps"), run.out)
        let docs = try inJail(["docs", "--out", "/site"])
        XCTAssertEqual(docs.status, 0, docs.out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: jail + "/site/rules/TW103.html"))
    }
}
