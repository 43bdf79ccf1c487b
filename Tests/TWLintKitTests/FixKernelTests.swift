import Foundation
import XCTest
@testable import TWLintKit

/// Oracle for the safe fixes: the running kernel, in a private mount and network namespace, ends up with the same
/// values whether it is given the original lines or the fixed ones. Only per-namespace keys are written, so the host
/// is never touched; one namespace, a bounded number of writes, gone when the shell exits.
final class FixKernelTests: XCTestCase {
    /// Lines whose values go to per-network-namespace keys, with what the namespace starts from (a baseline).
    static let cases: [(text: String, baseline: String)] = [
        ("net.ipv4.tcp_syncookies = 0 # off for the benchmark\n", "1"),
        ("net.ipv4.tcp_syncookies = 2   #always\n", "1"),
        ("net.ipv4.tcp_fin_timeout = 15 # seconds\n", "60"),
        ("net.ipv4.ip_local_port_range = 20000 40001 # wider\n", "32768 60999"),
        ("net.ipv4.ip_local_port_range = 20000 # half\n", "32768 60999"),
        ("net.ipv4.tcp_rmem = 4096 131072 6291456 # bigger\n", "4096 131072 6291456"),
        ("net.ipv4.tcp_congestion_control = reno # classic\n", "reno"),
        ("net.ipv4.conf.all.rp_filter = 2 # loose\n", "0"),
        ("net.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_tw_reuse = 0\n", "2"),
        ("net.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_tw_reuse = 7\n", "2"),
        ("net.ipv4.tcp_fin_timeout = 20\nnet.ipv4.tcp_fin_timeout = 30 # later\n", "60"),
        ("net.core.somaxconn = 1024\nnet.core.somaxconn = 4096\n", "4096"),
        // OTHER: an allowed congestion control besides reno (a namespace may only pick allowed ones).
        ("net.ipv4.tcp_congestion_control = OTHER\nnet.ipv4.tcp_congestion_control = nosuch\n", "reno"),
        ("net.ipv4.tcp_congestion_control = OTHER # fast\n", "reno"),
        ("net.ipv4.tcp_congestion_control = reno\nnet.ipv4.tcp_congestion_control = reno\n", "reno"),
        ("net.ipv4.ip_local_port_range = 20000 40000\nnet.ipv4.ip_local_port_range = 30000\n", "32768 60999"),
        ("net.ipv4.tcp_syncookies = 1\nnet.ipv4.tcp_syncookies = yes\n", "0"),
    ]

    static func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The shell lines that reset a key to its baseline, write the values in order (failures ignored, as with the
    /// "-" prefix), and print what the kernel holds.
    static func script(_ label: String, _ settings: [Setting], key: String, baseline: String) -> String {
        let path = "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
        var lines = ["printf '%s' \(quote(baseline)) > \(path) 2>/dev/null"]
        for s in settings where s.key == key { lines.append("printf '%s' \(quote(s.value)) > \(path) 2>/dev/null") }
        lines.append("printf '\(label) %s\\n' \"$(tr '\\t' ' ' < \(path))\"")
        return lines.joined(separator: "\n")
    }

    func testSafeFixesLeaveTheKernelWithTheSameValues() throws {
        guard getuid() == 0 else { throw XCTSkip("writing sysctls in a private network namespace needs root") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { throw XCTSkip("unshare (util-linux) is not installed") }
        guard let release = try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8),
              let kernel = KernelVersion(String(release.prefix { $0.isNumber || $0 == "." })) else { throw XCTSkip("cannot read the running kernel's release") }
        let linter = Linter(kb: TestSupport.kb)
        let options = LintOptions(target: Target(kernel: kernel), failOn: nil)
        var script = ["set -u"]
        var expectations: [(index: Int, safe: Bool, text: String, fixed: String)] = []
        let allowed = ((try? String(contentsOfFile: "/proc/sys/net/ipv4/tcp_allowed_congestion_control", encoding: .utf8)) ?? "").split(separator: " ")
        let other = allowed.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.first { !$0.isEmpty && $0 != "reno" }
        let cases: [(text: String, baseline: String)] = Self.cases.compactMap { c in
            guard c.text.contains("OTHER") else { return c }
            return other.map { (c.text.replacingOccurrences(of: "OTHER", with: $0), c.baseline) }
        }
        for (i, c) in cases.enumerated() {
            let result = Fixer(linter: linter).fix(Data(c.text.utf8), path: "k.conf", options: options, unsafe: false)
            let unsafe = Fixer(linter: linter).fix(Data(c.text.utf8), path: "k.conf", options: options, unsafe: true)
            let fixedText = String(decoding: result.changed ? result.fixed : unsafe.fixed, as: UTF8.self)
            let key = SysctlConf.parse(Data(c.text.utf8), path: "k.conf").settings[0].key
            script.append(Self.script("\(i) before", SysctlConf.parse(Data(c.text.utf8), path: "k.conf").settings, key: key, baseline: c.baseline))
            script.append(Self.script("\(i) after", SysctlConf.parse(Data(fixedText.utf8), path: "k.conf").settings, key: key, baseline: c.baseline))
            expectations.append((i, result.changed, c.text, fixedText))
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["-m", "-n", "sh", "-c", script.joined(separator: "\n")]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("unshare -m -n failed here (status \(p.terminationStatus)): no namespaces") }
        var held: [String: String] = [:]
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2 else { continue }
            held["\(parts[0]) \(parts[1])"] = parts.count == 3 ? String(parts[2]) : ""
        }
        var safeCount = 0, unsafeCount = 0
        for e in expectations {
            guard let before = held["\(e.index) before"], let after = held["\(e.index) after"] else {
                XCTFail("case \(e.index): no reading from the kernel"); continue
            }
            if e.safe {
                safeCount += 1
                XCTAssertEqual(after, before, "case \(e.index): the safe fix changed what Linux \(kernel) holds:\n\(e.text)→\n\(e.fixed)")
            } else if e.text != e.fixed {
                unsafeCount += 1
            }
        }
        // The cases hold both kinds: safe fixes the kernel agrees with, and rewrites left to --unsafe-fixes.
        XCTAssertGreaterThanOrEqual(safeCount, 6)
        XCTAssertGreaterThanOrEqual(unsafeCount, 3)
        // Where the kernel disagrees between the two texts, the fix was never offered as safe.
        let differing = expectations.filter { held["\($0.index) before"] != held["\($0.index) after"] && $0.text != $0.fixed }
        XCTAssertTrue(differing.allSatisfy { !$0.safe })
        XCTAssertGreaterThanOrEqual(differing.count, 2, "the kernel tells some unsafe rewrites apart: \(held)")
    }
}
