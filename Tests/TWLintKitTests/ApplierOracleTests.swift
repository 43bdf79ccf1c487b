import Foundation
import XCTest
@testable import TWLintKit

/// The differential oracle of the application model: randomized sysctl.d trees applied by the real
/// systemd-sysctl and the real `sysctl --system` in private mount and network namespaces
/// (scripts/applier-oracle.sh), /proc/sys/net read back, and every value compared with what the model
/// predicts for the same tree and applier.
final class ApplierOracleTests: XCTestCase {
    static let treeCount = 240
    static let seed: UInt64 = 0x7477_6c69_6e74_0009

    func testModelPredictsWhatBothAppliersLeaveInTheKernel() throws {
        try requireNamespaces()
        let work = try TestSupport.temporaryDirectory(self)
        let trees = work + "/trees", out = work + "/out"
        try FileManager.default.createDirectory(atPath: trees, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var generator = TreeGenerator(seed: Self.seed)
        var descriptions: [String: String] = [:]
        for n in 0..<Self.treeCount {
            let name = String(format: "%04d", n)
            descriptions[name] = try generator.makeTree(at: trees + "/" + name)
        }
        let script = TestSupport.packageRoot + "/scripts/applier-oracle.sh"
        let run = try Self.shell(["unshare", "-m", "-n", "bash", script, trees, out])
        if run.status == 5 { throw XCTSkip("skipped: \(run.stderr.trimmingCharacters(in: .whitespacesAndNewlines))") }
        guard run.status == 0 else { return XCTFail("applier-oracle.sh failed (\(run.status)): \(run.stderr)") }

        let baseline = try Self.readDump(out + "/baseline")
        let writable = Set(try String(contentsOfFile: out + "/writable", encoding: .utf8).split(separator: "\n").map { String($0.dropFirst("/proc/sys/".count)) })
        let readOnly = Set(baseline.keys).subtracting(writable)
        let state = KernelState(values: baseline.mapValues { Optional($0) }, readOnly: readOnly, source: "a fresh network namespace")
        // The namespaces are not the initial one; CONFIG_HZ matters for jiffies values (none here is near the limits).
        let writer = KernelWriteModel(kb: TestSupport.kb, initialNamespace: false)

        var compared: [Applier: Int] = [:], changed: [Applier: Int] = [:], failures: [String] = []
        var differing = 0
        var changedKeys = Set<String>()
        for n in 0..<Self.treeCount {
            let name = String(format: "%04d", n)
            if try Self.readDump(out + "/\(name).systemd") != Self.readDump(out + "/\(name).procps") { differing += 1 }
            for applier in Applier.allCases {
                let actual = try Self.readDump(out + "/\(name).\(applier.rawValue)")
                let fs = RootFS(root: trees + "/" + name)
                let model = Application(applier: applier, discovery: Discovery.discover(applier, in: fs), state: state, writer: writer)
                for (path, real) in actual.sorted(by: { $0.key < $1.key }) {
                    guard baseline[path] != nil else { continue }
                    compared[applier, default: 0] += 1
                    if real != baseline[path] { changed[applier, default: 0] += 1; changedKeys.insert(path) }
                    let predicted = model.state.value(path)
                    if predicted != real {
                        failures.append("tree \(name) \(applier.rawValue): \(LineParser.dotted(path)) is \(real.debugDescription) in the kernel, the model says \(predicted.debugDescription)\n\(descriptions[name] ?? "")")
                    }
                }
            }
        }
        print("applier oracle: \(Self.treeCount) trees; values compared: systemd \(compared[.systemd] ?? 0) (\(changed[.systemd] ?? 0) changed by the files), procps \(compared[.procps] ?? 0) (\(changed[.procps] ?? 0) changed); trees the appliers leave different: \(differing); keys changed: \(changedKeys.count); mismatches \(failures.count)")
        XCTAssertGreaterThan(changed[.systemd] ?? 0, Self.treeCount, "the trees change too few values to test anything")
        XCTAssertGreaterThan(changed[.procps] ?? 0, Self.treeCount)
        XCTAssertGreaterThan(differing, Self.treeCount / 10, "too few trees tell the appliers apart")
        for key in ["net/ipv4/ip_local_port_range", "net/ipv4/tcp_rmem", "net/ipv4/tcp_congestion_control", "net/ipv4/conf/lo/rp_filter"] {
            XCTAssertTrue(changedKeys.contains(key), "no tree changed \(key)")
        }
        for f in failures.prefix(15) { XCTFail(f) }
    }

    /// TW804 on an overridden line of a file linted alone says procps `sysctl` fails there and systemd-sysctl never
    /// writes it: both appliers run on the same file in a private network namespace; exit status, error and value.
    func testOverriddenRefusedWriteFailsOnlyUnderProcps() throws {
        try requireNamespaces()
        let dir = try TestSupport.temporaryDirectory(self)
        let file = dir + "/99-overridden.conf"
        let text = "net.ipv4.tcp_tw_reuse = 5\nnet.ipv4.tcp_tw_reuse = 1\n"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let key = "/proc/sys/net/ipv4/tcp_tw_reuse"
        let script = "echo 2 > \(key); /usr/sbin/sysctl -p \(file) >/dev/null; echo \"procps $? $(cat \(key))\"; "
            + "echo 2 > \(key); /lib/systemd/systemd-sysctl \(file); echo \"systemd $? $(cat \(key))\""
        let run = try Self.shell(["unshare", "-m", "-n", "bash", "-c", script])
        XCTAssertEqual(run.stdout.split(separator: "\n").map(String.init), ["procps 1 1", "systemd 0 1"])
        XCTAssertTrue(run.stderr.contains("net.ipv4.tcp_tw_reuse") && run.stderr.contains("Invalid argument"), run.stderr)
        XCTAssertEqual(run.stderr.components(separatedBy: "tcp_tw_reuse").count - 1, 1, "only procps reports the refused line: \(run.stderr)")
        // What twlint says of the same file: the refused line, and that only procps writes it.
        let findings = TestSupport.lint(text).filter { $0.code == "TW804" }
        XCTAssertEqual(findings.map { $0.location?.line }, [1])
        XCTAssertTrue(findings.first?.message.hasSuffix("procps sysctl writes every line in order and fails here, while systemd-sysctl writes only a key's last assignment and never writes this one") == true)
    }

    func requireNamespaces() throws {
        guard getuid() == 0 else { throw XCTSkip("the applier oracle needs root (to make private mount and network namespaces); skipped") }
        guard FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd-sysctl") else { throw XCTSkip("systemd-sysctl is not installed (.ci/run installs systemd); skipped") }
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/sysctl") else { throw XCTSkip("procps sysctl is not installed (.ci/run installs procps); skipped") }
        let probe = try Self.shell(["unshare", "-m", "-n", "true"])
        guard probe.status == 0 else { throw XCTSkip("cannot create private mount and network namespaces (unshare -m -n: \(probe.stderr.trimmingCharacters(in: .whitespacesAndNewlines))); skipped") }
    }

    /// `grep -r -H ''` output: path → value (lines joined with "\n").
    static func readDump(_ path: String) throws -> [String: String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var result: [String: String] = [:]
        for line in data.split(separator: 0x0A) {
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            let file = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
            guard file.hasPrefix("/proc/sys/") else { continue }
            let key = String(file.dropFirst("/proc/sys/".count))
            let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
            result[key] = result[key].map { $0 + "\n" + value } ?? value
        }
        return result
    }

    static func shell(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

/// Random sysctl.d trees over per-network-namespace integer keys: globs, exclusions, `-` prefixes, masking,
/// dangling and /dev/null symlinks, hidden files, BOM/CR/NUL/long lines, NFC/NFD and non-UTF-8 names,
/// inline comments, values the kernel rejects.
struct TreeGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
    mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// key → the range of ordinary values.
    static let keys: [(String, ClosedRange<Int>)] = [
        ("net.ipv4.tcp_fin_timeout", 1...120), ("net.ipv4.tcp_keepalive_time", 1...7200), ("net.ipv4.tcp_keepalive_intvl", 1...120),
        ("net.ipv4.tcp_keepalive_probes", 0...127), ("net.ipv4.tcp_syn_retries", 0...130), ("net.ipv4.tcp_synack_retries", 0...127),
        ("net.ipv4.tcp_tw_reuse", 0...3), ("net.ipv4.tcp_max_tw_buckets", 0...300000), ("net.ipv4.tcp_max_syn_backlog", 1...5000),
        ("net.core.somaxconn", 0...65535), ("net.ipv4.tcp_timestamps", 0...2),
        ("net.ipv4.conf.all.rp_filter", 0...2), ("net.ipv4.conf.default.rp_filter", 0...2), ("net.ipv4.conf.lo.rp_filter", 0...2),
        ("net.ipv4.conf.all.accept_redirects", 0...1), ("net.ipv4.conf.default.accept_redirects", 0...1), ("net.ipv4.conf.lo.accept_redirects", 0...1),
        ("net.ipv4.conf.default.log_martians", 0...1), ("net.ipv4.conf.lo.log_martians", 0...1),
        ("net.ipv4.conf.all.arp_ignore", 0...2), ("net.ipv4.conf.lo.arp_ignore", 0...2), ("net.ipv4.conf.default.send_redirects", 0...1),
        ("net.ipv4.ip_local_port_range", 0...0), ("net.ipv4.tcp_rmem", 0...0), ("net.ipv4.tcp_wmem", 0...0),
        ("net.ipv4.tcp_congestion_control", 0...0), ("net.ipv6.conf.lo.hop_limit", 0...300), ("net.ipv4.tcp_ecn", 0...3),
    ]
    static let globs: [(String, ClosedRange<Int>)] = [
        ("net.ipv4.conf.*.rp_filter", 0...2), ("net.ipv4.conf.*.accept_redirects", 0...1), ("net.ipv4.conf.*.log_martians", 0...1),
        ("net.ipv4.tcp_keepalive_*", 1...300), ("net.ipv4.tcp_fin_timeou?", 1...120), ("net.ipv4.tcp_syn*_retries", 1...130),
        ("net/ipv4/conf/*/send_redirects", 0...1), ("net.ipv4.conf.[ad]*.arp_ignore", 0...2),
    ]

    /// Values for the vectors, the port range and the congestion control (only built-in reno and cubic: a
    /// name the kernel does not know would make it ask the host's modprobe for a module).
    mutating func value(for key: String, _ range: ClosedRange<Int>) -> String {
        switch key {
        case "net.ipv4.ip_local_port_range":
            return pick(["1024 65000", "40000 30000", "32768 60999 # default", "20000", "50000\t60000", "1023 2000", "0x8000 0xea60", "100 100"])
        case "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem":
            return pick(["4096 131072 6291456", "4096 87380", "8192 x", "1 2 3 4", "0 1 2", "-1 2 3", "4096\t16384\t4194304 # tuned"])
        case "net.ipv4.tcp_congestion_control":
            return pick(["reno", "cubic", " reno ", "reno\t", "cubic\u{0B}"])
        default:
            if key.hasPrefix("net.ipv4.conf."), chance(10) { return "-\(int(1...3))" }
            return value(range)
        }
    }

    mutating func value(_ range: ClosedRange<Int>) -> String {
        let n = int(range)
        switch int(0...29) {
        case 0: return "\(n) # was \(int(0...9999))"
        case 1: return "\(n)\t; comment"
        case 2: return String(format: "0x%x", n)
        case 3: return n == 0 ? "0" : "0" + String(n, radix: 8)
        case 4: return pick(["abc", "", "1x", "08", "+5", "99999999999", "1,5", "0x", " "])
        case 5: return "\(range.upperBound + int(1...1000))"
        case 6: return "\(n) \(int(0...9))"
        case 7: return "\(n)\u{0B}"
        default: return "\(n)"
        }
    }

    mutating func keyText(_ key: String) -> String {
        guard chance(10), !key.contains("/") else { return key }
        // The slash form names the same file.
        return String(key.map { $0 == "." ? "/" : $0 })
    }

    mutating func line() -> String {
        let roll = int(0...99)
        if roll < 55 {
            let (k, r) = pick(Self.keys)
            return assignment(keyText(k), value(for: k, r))
        } else if roll < 70 {
            let (g, r) = pick(Self.globs)
            return assignment(g, value(r))
        } else if roll < 78 {
            let (k, _) = pick(chance(80) ? Self.keys : Self.globs)
            return pick(["-", "-", "- "]) + k
        } else if roll < 84 {
            return pick(["# comment", "; comment", "  # indented = 1", "", "   ", "not an assignment"])
        } else if roll < 90 {
            let (k, r) = pick(Self.keys)
            return pick(["-", "- "]) + k + " = " + value(for: k, r)
        } else {
            let (k, r) = pick(Self.keys)
            return k + "=" + value(for: k, r)
        }
    }

    mutating func assignment(_ key: String, _ value: String) -> String {
        switch int(0...4) {
        case 0: return "\(key)=\(value)"
        case 1: return "  \(key)\t=  \(value)  "
        default: return "\(key) = \(value)"
        }
    }

    /// A file's bytes, with the odd bytes real files have.
    mutating func content() -> [UInt8] {
        var bytes: [UInt8] = []
        if chance(8) { bytes += [0xEF, 0xBB, 0xBF] }
        for _ in 0..<int(1...8) {
            bytes += Array(line().utf8)
            switch int(0...19) {
            case 0: bytes += [0x0D, 0x0A]
            case 1: bytes += [0x0D]
            case 2: bytes += [0x00]; bytes += Array(line().utf8); bytes += [0x0A]
            case 3: bytes += [UInt8](repeating: 0x20, count: int(3000...6000)); bytes += [0x0A]
            default: bytes += [0x0A]
            }
        }
        if chance(4) {
            // Around systemd's LONG_LINE_MAX (1 MiB): systemd stops reading the file there.
            // Right at the limit: 1,048,575 bytes are read, 1,048,576 are not.
            let head = Array("net.ipv4.tcp_fin_timeout = 33".utf8)
            bytes += head + [UInt8](repeating: 0x20, count: (1 << 20) - head.count + int(-2...1)) + [0x0A]
            bytes += Array(line().utf8) + [0x0A]
        }
        if chance(10), bytes.last == 0x0A { bytes.removeLast() }
        return bytes
    }

    static let names: [[UInt8]] = [
        Array("10-a.conf".utf8), Array("20-b.conf".utf8), Array("50-x.conf".utf8), Array("99-z.conf".utf8), Array("a.conf".utf8),
        Array("Z.conf".utf8), Array("caf\u{E9}.conf".utf8), Array("cafe\u{301}.conf".utf8), [0xFF, 0x2E] + Array("conf".utf8),
        Array(".hidden.conf".utf8), Array(".conf".utf8), Array("x.conf.bak".utf8), Array("notes.txt".utf8), Array("5*.conf".utf8),
    ]
    static let directories = ["etc/sysctl.d", "run/sysctl.d", "usr/local/lib/sysctl.d", "usr/lib/sysctl.d"]

    /// Writes one tree; returns a description for failure messages.
    mutating func makeTree(at root: String) throws -> String {
        var description = ""
        for d in Self.directories { try FileManager.default.createDirectory(atPath: root + "/" + d, withIntermediateDirectories: true) }
        try FileManager.default.createSymbolicLink(atPath: root + "/lib", withDestinationPath: "usr/lib")
        for _ in 0..<int(1...6) {
            let dir = pick(Self.directories)
            let name = pick(Self.names)
            let path = Array((root + "/" + dir + "/").utf8) + name
            if Self.exists(path) { continue }
            let kind = int(0...19)
            if kind == 0 {
                try Self.symlink(path, "/dev/null"); description += "  \(dir)/\(name.displayText) -> /dev/null\n"
            } else if kind == 1 {
                try Self.symlink(path, "/nonexistent/x.conf"); description += "  \(dir)/\(name.displayText) -> (dangling)\n"
            } else if kind == 2 {
                let target = "/" + pick(Self.directories) + "/" + pick(Self.names).displayText
                try Self.symlink(path, target); description += "  \(dir)/\(name.displayText) -> \(target)\n"
            } else if kind == 4 {
                // Relative, climbing to the root (sometimes past it: "/.." is "/").
                let up = String(repeating: "../", count: dir.split(separator: "/").count + (chance(30) ? 2 : 0))
                let target = up + pick(Self.directories) + "/" + pick(Self.names).displayText
                try Self.symlink(path, target); description += "  \(dir)/\(name.displayText) -> \(target)\n"
            } else if kind == 3 {
                _ = (path + [0]).withUnsafeBufferPointer { mkdir(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), 0o755) }
                description += "  \(dir)/\(name.displayText)/ (a directory)\n"
            } else {
                let bytes = content()
                try Self.write(path, bytes)
                description += "  \(dir)/\(name.displayText):\n" + String(decoding: bytes.prefix(600), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map { "    | " + $0.prefix(120) }.joined(separator: "\n") + "\n"
            }
        }
        if chance(25) {
            let bytes = content()
            try Self.write(Array((root + "/etc/sysctl.conf").utf8), bytes)
            description += "  etc/sysctl.conf:\n" + String(decoding: bytes.prefix(400), as: UTF8.self) + "\n"
        }
        return description
    }

    static func exists(_ path: [UInt8]) -> Bool {
        var info = stat()
        return (path + [0]).withUnsafeBufferPointer { lstat(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), &info) } == 0
    }

    static func symlink(_ path: [UInt8], _ target: String) throws {
        let rc = (path + [0]).withUnsafeBufferPointer { Glibc.symlink(target, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self)) }
        if rc != 0 { throw Errno(errno) }
    }

    static func write(_ path: [UInt8], _ bytes: [UInt8]) throws {
        let fd = (path + [0]).withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard fd >= 0 else { throw Errno(errno) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Errno(errno) }
            offset += n
        }
    }
}
