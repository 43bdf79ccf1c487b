import Foundation
import XCTest
import Yams
@testable import TWLintKit

/// README's examples run as shown, and the CI recipes in docs/ are well-formed.
final class DocsTests: XCTestCase {
    struct Block { let language: String; let lines: [String]; let line: Int }

    static func blocks(_ path: String) throws -> [Block] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var out: [Block] = []
        var current: (String, [String], Int)?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                if let c = current { out.append(Block(language: c.0, lines: c.1, line: c.2)); current = nil }
                else { current = (String(line.dropFirst(3)), [], i + 2) }
            } else if current != nil {
                current!.1.append(String(line))
            }
        }
        return out
    }

    /// A directory whose PATH has the built twlint first.
    func environment() throws -> [String: String] {
        let bin = try TestSupport.temporaryDirectory(self)
        try FileManager.default.createSymbolicLink(atPath: bin + "/twlint", withDestinationPath: Bundle.main.bundleURL.appendingPathComponent("twlint").path)
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["NO_COLOR"] = "1"
        return env
    }

    func shell(_ command: String, cwd: String, env: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        p.environment = env
        // stderr goes to a file, so neither pipe can fill up while the other is read.
        let errPath = try TestSupport.temporaryDirectory(self) + "/stderr"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle(forWritingAtPath: errPath)
        p.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        try p.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let errData = FileManager.default.contents(atPath: errPath) ?? Data()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    /// Build and install commands are not run by the test suite (it is itself the product of `swift build`, and
    /// installing would write to /usr/local), nor is `twlint serve`, which runs until it is stopped (FleetTests
    /// start and stop it), nor what installs or publishes (`sudo …`, `sha256sum -c` of a downloaded tarball,
    /// `rsync` to a web server) or needs another host (`ssh host …`); every other command is.
    static func skipped(_ command: String) -> Bool {
        command.hasPrefix("swift build") || command.hasPrefix("swift test") || command.hasPrefix("install ")
            || command.hasPrefix("twlint serve") || command.hasPrefix("ssh ") || command.hasPrefix("sudo ")
            || command.hasPrefix("sha256sum ") || command.contains("rsync ")
    }

    /// `swift run twlint` in README is the built binary.
    static func normalise(_ command: String) -> String {
        command.replacingOccurrences(of: "swift run twlint", with: "twlint")
    }

    func testEveryREADMEExampleRunsAsShown() throws {
        let env = try environment()
        let root = TestSupport.packageRoot
        var ran = 0
        for block in try Self.blocks(root + "/README.md") {
            switch block.language {
            case "console":
                // `$ command` then its output, compared line for line; a last line of `...` means "output continues".
                var i = 0
                while i < block.lines.count {
                    guard block.lines[i].hasPrefix("$ ") else { i += 1; continue }
                    let command = Self.normalise(String(block.lines[i].dropFirst(2)))
                    var expected: [String] = []
                    i += 1
                    while i < block.lines.count, !block.lines[i].hasPrefix("$ ") { expected.append(block.lines[i]); i += 1 }
                    let r = try shell(command, cwd: root, env: env)
                    XCTAssertTrue([0, 1].contains(r.status), "README.md:\(block.line): \(command) exited \(r.status): \(r.stderr)")
                    var actual = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                    if actual.last == "" { actual.removeLast() }
                    if expected.last == "..." {
                        expected.removeLast()
                        actual = Array(actual.prefix(expected.count))
                    }
                    XCTAssertEqual(actual, expected, "README.md:\(block.line): the output of `\(command)` differs from README")
                    ran += 1
                }
            case "sh":
                // Commands run in a scratch repository (it has a sysctl.d/ directory); a redirect into a system
                // directory goes to a temporary file instead.
                let scratch = try RepoFixture.make(self, git: false)
                for raw in block.lines {
                    var command = raw
                    if let hash = command.range(of: "  #") { command = String(command[..<hash.lowerBound]) }
                    command = Self.normalise(command.trimmingCharacters(in: .whitespaces))
                    guard !command.isEmpty, !Self.skipped(command) else { continue }
                    // Output into a system directory (`> /var/lib/...`, `--output /var/lib/...`) goes to the scratch
                    // directory instead: the suite never writes outside its own temporary files.
                    command = command.replacingOccurrences(of: #"(> |--output )/(?:[^ /]+/)*"#, with: "$1\(scratch)/", options: .regularExpression)
                    let cwd = command.contains("examples/") ? root : scratch
                    let r = try shell(command, cwd: cwd, env: env)
                    XCTAssertTrue([0, 1].contains(r.status), "README.md:\(block.line): `\(command)` exited \(r.status): \(r.stderr)")
                    XCTAssertEqual(r.stderr, "", "README.md:\(block.line): `\(command)`")
                    ran += 1
                }
            case "yaml":
                // The sample .twlint.yaml works as pasted.
                let dir = try TestSupport.temporaryDirectory(self)
                try TestSupport.write(block.lines.joined(separator: "\n") + "\n", to: dir + "/.twlint.yaml")
                try TestSupport.write("net.ipv4.tcp_fin_timeout = 10\n", to: dir + "/sysctl.d/90-x.conf")
                let r = try shell("twlint lint --brief .", cwd: dir, env: env)
                XCTAssertEqual(r.stderr, "", "README.md:\(block.line): the sample .twlint.yaml")
                XCTAssertEqual(r.status, 0, "README.md:\(block.line): fail-on: error, and TW108 raised only to warning: \(r.stdout)")
                XCTAssertTrue(r.stdout.contains("warning TW108") && r.stdout.contains("(Linux 6.1)"), r.stdout)
                ran += 1
            case "ini":
                // The suppression example: the directives suppress, none is unused or unknown.
                let dir = try TestSupport.temporaryDirectory(self)
                try TestSupport.write(block.lines.joined(separator: "\n") + "\n", to: dir + "/x.conf")
                let s = try shell("twlint lint --brief --no-config x.conf", cwd: dir, env: env)
                XCTAssertFalse(s.stdout.contains("TW910") || s.stdout.contains("TW911") || s.stdout.contains("TW203") || s.stdout.contains("TW204"), s.stdout)
                ran += 1
            default:
                continue
            }
        }
        XCTAssertGreaterThan(ran, 10)
    }

    func testCIRecipesInDocsAreWellFormed() throws {
        let blocks = try Self.blocks(TestSupport.packageRoot + "/docs/ci.md").filter { $0.language == "yaml" }
        XCTAssertEqual(blocks.count, 3)
        let github = try XCTUnwrap(try Yams.load(yaml: blocks[0].lines.joined(separator: "\n")) as? [String: Any])
        let steps = try XCTUnwrap(((github["jobs"] as? [String: Any])?["twlint"] as? [String: Any])?["steps"] as? [[String: Any]])
        XCTAssertTrue(steps.contains { ($0["uses"] as? String)?.hasPrefix("github/codeql-action/upload-sarif") == true })
        XCTAssertTrue(steps.contains { ($0["run"] as? String)?.contains("--format sarif > twlint.sarif") == true })
        let gitlab = try XCTUnwrap(try Yams.load(yaml: blocks[1].lines.joined(separator: "\n")) as? [String: Any])
        let job = try XCTUnwrap(gitlab["twlint"] as? [String: Any])
        XCTAssertEqual(((job["artifacts"] as? [String: Any])?["reports"] as? [String: Any])?["codequality"] as? String, "gl-code-quality-report.json")
        XCTAssertTrue((job["script"] as? [String])?.first?.contains("--format gitlab > gl-code-quality-report.json") == true)
        let precommit = try XCTUnwrap(try Yams.load(yaml: blocks[2].lines.joined(separator: "\n")) as? [String: Any])
        XCTAssertNotNil(precommit["repos"])
        // The hook id the docs use is the one the repository defines.
        let hooks = try XCTUnwrap(try Yams.load(yaml: String(contentsOfFile: TestSupport.packageRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)) as? [[String: Any]])
        XCTAssertEqual(hooks.map { $0["id"] as? String }, ["twlint"])
    }
}
