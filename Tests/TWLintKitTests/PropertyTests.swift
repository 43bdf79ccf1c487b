import Foundation
import PropertyBased
import Testing
@testable import TWLintKit

/// Property-based invariants over generated sysctl files (issue 10). Swift Testing: `.ci/run` runs these
/// with `swift test --disable-xctest`; a failure prints the seed that reproduces it.
@Suite struct PropertyTests {
    /// Lines of every kind the parser distinguishes, hostile ones included.
    static let fixedLines: [String] = [
        "", "   ", "# comment", "; comment", "net.ipv4.tcp_tw_reuse = 1", "net.ipv4.tcp_tw_recycle=1", "-net.ipv4.conf.*.rp_filter",
        "-net.ipv4.tcp_fin_timeout = 30", "net/ipv4/conf/eth0.100/rp_filter = 1", "net.core.somaxconn = 1024 # inline",
        "net.ipv4.tcp_keepalive_time = \"600\"", "= 5", "not an assignment", "# twlint: disable=TW101 -- reason",
        "# twlint: bogus", "net.ipv4.ip_local_port_range = 60999 32768", "net.ipv4.tcp_max_tw_buckets = 5000",
        "key\u{1B}[31m = \u{7}x", "\u{202E}net.ipv4.tcp_tw_reuse = 1", "net.ipv4.tcp_tw_reuse = 1\r", "\u{FEFF}x = 1",
        String(repeating: "k", count: 5000) + " = 1", "net.ipv4.//.//.x = 1", "net.core.somaxconn = \u{85}\u{9B}",
    ]

    /// One line: a fixed one (most often), random printable/control text (no NUL, no LF: lines are joined
    /// with LF), or an assignment whose value is non-ASCII text.
    static let line = zip(Gen.int(in: 0...(fixedLines.count + 9)),
                          Gen<Character>.character(in: "\u{1}"..."\u{7E}").string(of: 0...40),
                          Gen<Character>.character(in: "\u{80}"..."\u{2070}").string(of: 0...8))
        .map { (k: Int, text: String, high: String) -> String in
            if k < fixedLines.count { return fixedLines[k] }
            return k % 2 == 0 ? text.replacingOccurrences(of: "\n", with: " ") : "net.core.somaxconn = " + high
        }

    static let file = line.array(of: 0...25).map { $0.joined(separator: "\n") + "\n" }

    static let kb = KnowledgeBase.shipped

    static func describe(_ findings: [Finding]) -> [String] {
        findings.map { "\($0.code) \($0.location?.path ?? "-"):\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)" }
    }

    @Test func aFileAloneAndInADirectoryGivesTheSameFindings() async throws {
        let linter = Linter(kb: Self.kb)
        await propertyCheck(count: 60, input: Self.file) { text in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twlint-prop-\(UUID().uuidString)").path
            // In a sysctl.d directory: a walk reads a `.conf` file as sysctl only when it is one by place, name or
            // content (SysctlConf.isSysctlFile), and a generated file need not assign a /proc/sys key.
            try? FileManager.default.createDirectory(atPath: dir + "/sysctl.d", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = dir + "/sysctl.d/10-generated.conf"
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            let alone = linter.lint(paths: [path], options: LintOptions())
            let walked = linter.lint(paths: [dir], options: LintOptions())
            #expect(Self.describe(alone.findings) == Self.describe(walked.findings))
            #expect(alone.inputsRead == walked.inputsRead)
        }
    }

    @Test func everyLineIsAccountedFor() async {
        await propertyCheck(count: 300, input: Self.file) { text in
            let parsed = SysctlConf.parse(Data(text.utf8), path: "p.conf")
            let settingLines = Set((parsed.settings + parsed.exclusions).map(\.location.line))
            let problemLines = Set(parsed.problems.map(\.location.line))
            // Split on LF bytes, as the parser does ("\r\n" is one Character in Swift).
            for (i, bytes) in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().enumerated() {
                let n = i + 1
                var line = Substring(String(decoding: bytes, as: UTF8.self))
                if n == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
                let t = line.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\u{0B}\u{0C}"))
                let accounted = t.isEmpty || t.hasPrefix("#") || t.hasPrefix(";") || settingLines.contains(n) || problemLines.contains(n)
                #expect(accounted, "line \(n) \"\(ControlEscape.escape(String(line)))\" is neither blank, a comment, a setting nor a located problem")
            }
        }
    }

    @Test func outputNeverCarriesARawControlCharacterFromInput() async {
        let linter = Linter(kb: Self.kb)
        let path = Gen<Character>.character(in: "\u{1}"..."\u{A0}").string(of: 1...12).map { $0 + ".conf" }
        await propertyCheck(count: 80, input: Self.file, path) { text, path in
            let findings = linter.lint(text: Data(text.utf8), path: path, options: LintOptions())
            let report = LintReport(findings: findings, target: Target(), hadUnreadableInput: false, inputsRead: 1)
            for format in [ReportFormat.text, .json, .github, .junit, .sarif] {
                let out = Reporter(format: format).render(report, kb: Self.kb)
                let raw = out.unicodeScalars.filter {
                    ($0.value < 0x20 && $0 != "\n") || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                        || (0x2066...0x2069).contains($0.value)
                }
                #expect(raw.isEmpty, "\(format): raw \(raw.map { String($0.value, radix: 16) })")
            }
        }
    }
}
