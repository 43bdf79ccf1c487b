import Foundation
import XCTest
@testable import TWLintKit

/// The kernel-write oracle (issue 9, 5b): every per-network-namespace integer and string sysctl that twlint
/// knows (kb parameter or catalog key, with a handler in kb/catalog/handlers.xml) gets a set of edge texts
/// written in a fresh network and mount namespace by scripts/oracle-kernel-write.py; the outcome (errno or
/// success) and the value read back must be what KernelWrite predicts.
final class KernelWriteOracleTests: XCTestCase {
    let kb = TestSupport.kb

    /// Interfaces a fresh network namespace has for per-interface families (`conf.*`, `neigh.*`).
    static let interfaces = ["all", "default", "lo"]

    /// Texts written to every integer sysctl (bytes; most end in the newline appliers add).
    static let integerTexts: [String] = [
        "1 # c\n", "1 #c\n", "1#c\n", "1 garbage\n", "1garbage\n", "1.5\n", "+1\n", "+0\n", "0x10\n", "0X1f\n", "0x\n", "0xg\n",
        "010\n", "08\n", "0\n", "-0\n", "-1\n", "1\n", "2\n", "3\n", "7\n", "-\n", "- 1\n", "--1\n", "0x-1\n", "-0x1\n",
        "-0x-8000000000000000\n", "--9223372036854775808\n", "9223372036854775807\n", "9223372036854775808\n",
        "-9223372036854775808\n", "18446744073709551615\n", "18446744073709551616\n", "2147483647\n", "2147483648\n",
        "-2147483648\n", "-2147483649\n", "4294967295\n", "4294967296\n", "4294967297\n", "255\n", "256\n", "65535\n",
        "65536\n", "65537\n", "1280\n", "1279\n", "100000\n", "1 2\n", "1 2 3\n", "1 2 3 4\n", "1\t2\n", "1,2\n", "", "\n", "   \n", "\t\n", "\t1\t\n",
        "1\r\n", "\r1\n", "1\n2\n", "1", " 1", "1\u{0}2\n", "\u{0}", "000000000000000000001\n", "00000000000000000001\n",
        "1\u{a0}\n", "\u{a0}1\n", "1\u{0b}\n", "\u{0c}1\n", "0x7fffffff\n", "017777777777\n", "1e3\n", "١\n",
    ]

    /// Texts written to every string sysctl.
    static let stringTexts: [String] = [
        "bbr # fast\n", "reno\n", "cubic\n", "bbr\n", " reno\n", "reno \n", "reno", "", "\n", "nosuch\n", "reno\nbbr\n",
        "reno\u{0}bbr\n", String(repeating: "a", count: 40) + "\n", "\t\n", "NONE\n",
        "00000000-00000000-00000000-00000001\n", "1-2-3-4\n", "1-2-3-4,5-6-7-8\n", "1-2-3\n", "0x1-0x2-0x3-0x4 # c\n",
        " 1-2-3-4\n", "1 -2-3-4\n", "1- 2-3-4\n", "1-2-3-4,\n", "1-2-3-4,x\n", "fffffffff1-2-3-4\n", "0x-1-2-3\n", "0x\n",
        "1-2-3-4,5-6-7-8,9-10-11-12\n", "g-1-2-3\n",
    ]

    /// Keys left out, each with the reason.
    static let excluded: [String: String] = [
        // proc_allowed_congestion_control() changes flags on the global list of algorithms: a write in a
        // child namespace changes the host.
        "net.ipv4.tcp_allowed_congestion_control": "a write changes state shared with the host (tcp_cong.c)",
    ]

    func testKernelWritesAgreeWithTheModel() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to create a network and mount namespace (unshare -m -n)") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { throw XCTSkip("unshare (util-linux) is not installed") }
        guard (try? TestSupport.run(["-m", "-n", "true"], executable: "/usr/bin/unshare"))?.status == 0 else {
            throw XCTSkip("unshare -m -n is not permitted here")
        }
        let helper = TestSupport.packageRoot + "/scripts/oracle-kernel-write.py"
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile(atPath:))
            ?? Self.which("python3") else { throw XCTSkip("python3 is not installed") }

        // The cases.
        var cases: [(key: String, text: [UInt8])] = []
        var handlers: [String: KernelHandler] = [:]
        var parameters = Set<String>()
        var skipped: [String: String] = [:]
        for (family, h) in kb.handlers.byKey.sorted(by: { $0.key < $1.key }) where h.perNetworkNamespace && !h.readOnly {
            let keys = family.contains("*") ? Self.interfaces.map { family.replacingOccurrences(of: "*", with: $0) } : [family]
            for key in keys {
                guard kb.parameter(for: key) != nil || kb.catalog.contains(key) else { skipped[key] = "not in the kb or the catalog"; continue }
                if let why = Self.excluded[key] { skipped[key] = why; continue }
                if h.sharedState && !h.readOnlyOutsideInitialNamespace {
                    skipped[key] = "the handler keeps state shared with the host (no per-namespace data in \(h.file))"; continue
                }
                if let why = KernelWrite.unmodelled(h, initialNamespace: false) { skipped[key] = why; continue }
                let texts: [String]
                switch h.kind {
                case .string: texts = Self.stringTexts
                case .unknown: skipped[key] = "no handler model"; continue
                default: texts = Self.integerTexts + Self.boundTexts(h)
                }
                parameters.insert(key)
                handlers[key] = h
                for t in texts { cases.append((key, Self.latin1(t))) }
            }
        }
        let dir = try TestSupport.temporaryDirectory(self)
        // Values other sysctls' writes depend on: cross-checks and bounds that are another key's value.
        var contextKeys = Set(["net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_port_range",
                               "net.ipv4.tcp_available_congestion_control", "net.ipv4.tcp_allowed_congestion_control"])
        for c in cases { for k in [handlers[c.key]?.minKey, handlers[c.key]?.maxKey].compactMap({ $0 }) { contextKeys.insert(k) } }
        for i in Self.interfaces { contextKeys.insert("net.ipv6.conf.\(i).stable_secret") }
        // Plain text both ways (see the helper): the test process stays small, and so does every child it spawns later.
        var spec = contextKeys.sorted().map { "context\t\($0)\n" }.joined()
        for c in cases { spec += "\(c.key)\t\(Self.hex(c.text))\n" }
        try spec.write(toFile: dir + "/cases.txt", atomically: true, encoding: .utf8)
        spec = ""
        // The helper refuses to write unless its namespaces differ from these (ours, the host's).
        let own = try ["net", "mnt"].map { try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\($0)") }
        let run = try TestSupport.run(["-m", "-n", "--", python, helper, dir + "/cases.txt", dir + "/results.txt"] + own,
                                      executable: "/usr/bin/unshare")
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = try String(contentsOfFile: dir + "/results.txt", encoding: .utf8).split(separator: "\n")
        var hz = KernelWrite.defaultHZ
        var contextValues: [String: String] = [:]
        var results: [[Substring]] = []
        for line in lines {
            let f = line.split(separator: " ")
            if f.first == "hz" { hz = f.count > 1 ? Int(f[1]) ?? hz : hz; continue }
            if f.first == "context", f.count == 3 { contextValues[String(f[1])] = String(decoding: Self.unhex(f[2]), as: UTF8.self); continue }
            results.append(f)
        }
        XCTAssertEqual(results.count, cases.count)
        let values = contextValues
        let context = KernelWrite.Context(hz: hz, initialNamespace: false, value: { values[$0] })

        var compared = 0, agreed = 0, notWritten = 0, absent = Set<String>(), present = Set<String>()
        var disagreements: [String] = []
        for (c, r) in zip(cases, results) {
            if r.first == "skipped" { notWritten += 1; continue }
            guard let status = r.first, status == "ok" || status == "err", r.count >= 4 else { absent.insert(c.key); continue }
            present.insert(c.key)
            XCTAssertFalse(r.count > 4 && r[4] == "restore-failed", "\(c.key): could not restore the value after writing \(KernelInteger.show(c.text))")
            let before = String(decoding: Self.unhex(r[2]), as: UTF8.self)
            let after = String(decoding: Self.unhex(r[3]), as: UTF8.self)
            let observedErrno = status == "err" ? Int32(r[1]) : nil
            let predicted = KernelWrite.write(key: c.key, written: c.text, current: before, kb: kb, context: context)
            compared += 1
            let predictedValue = predicted.held(current: before) ?? before
            if predicted.errno == observedErrno && predictedValue == after {
                agreed += 1
            } else {
                disagreements.append("\(c.key) [\(handlers[c.key]?.handler ?? "?")] \(KernelInteger.show(c.text)) from \(KernelInteger.show(Array(before.utf8))): kernel \(observedErrno.map { "errno \($0)" } ?? "ok") → \(KernelInteger.show(Array(after.utf8))); model \(predicted)")
            }
        }
        let testedParameters = parameters.intersection(present)
        print("kernel-write oracle: \(compared) write cases on \(testedParameters.count) parameters (HZ \(hz)); \(agreed) agree, \(disagreements.count) disagree; \(absent.count) listed keys absent in a fresh namespace; \(skipped.count) keys not tested; \(notWritten) writes not made (they could load a module on the host)")
        for (key, why) in skipped.sorted(by: { $0.key < $1.key }) where why != "not in the kb or the catalog" { print("  not tested: \(key): \(why)") }
        for d in disagreements.prefix(2000) { print("  DISAGREE \(d)") }
        XCTAssertGreaterThan(compared, 1000, "too few cases ran")
        XCTAssertEqual(disagreements.count, 0, "the write model disagrees with the kernel in \(disagreements.count) of \(compared) cases")
    }

    /// Texts around the handler's bounds and the current-value shape of vectors.
    static func boundTexts(_ h: KernelHandler) -> [String] {
        var out: [String] = []
        for b in [h.min, h.max].compactMap({ $0 }) {
            let v = b.resolved(hz: KernelWrite.defaultHZ)
            out += ["\(v - 1)\n", "\(v)\n", "\(v + 1)\n", "\(v) # c\n"]
        }
        if h.count >= 2 {
            out += ["40000\n", "4096\n", "1024 65535\n", "65535 1024\n", "1023 65535\n", "40000 40000\n", "40001 40000\n", "1 65535\n", "0 9223372036854775807\n",
                    "32768 60999 garbage\n", "32768 x\n", "32768 60999 # c\n", "5 0 3\n", "4096 131072 6291456\n", "0 0 0\n",
                    "1 2 3 # c\n", "-1 5\n", "10 -1\n", "100 200 300 400\n", "0 4294967294\n", "4294967295 4294967295\n"]
        }
        return out
    }

    static func latin1(_ s: String) -> [UInt8] {
        // Every scalar below 256 is one byte (U+00A0 → 0xA0); others are written as UTF-8.
        var out: [UInt8] = []
        for u in s.unicodeScalars {
            if u.value < 256 { out.append(UInt8(u.value)) } else { out += Array(String(u).utf8) }
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.isEmpty ? "" : bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func unhex(_ text: Substring) -> [UInt8] {
        if text == "-" { return [] }
        var out: [UInt8] = []
        var i = text.startIndex
        while i < text.endIndex, let j = text.index(i, offsetBy: 2, limitedBy: text.endIndex), let b = UInt8(text[i..<j], radix: 16) {
            out.append(b)
            i = j
        }
        return out
    }

    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
}
