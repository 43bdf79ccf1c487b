import Foundation
import XCTest
@testable import TWLintKit

/// The version facts against real kernels: Debian 12's Linux 6.1 cloud kernel booted under QEMU (TCG)
/// from a busybox initramfs that dumps /proc/sys and the counter files (scripts/vm-sysctl-dump.sh), and
/// the running host. Existence of every key the per-version tables and the kb give for the version, every
/// constant kb default, and the counter names twlint reads are compared with what the kernel shows.
final class BootedKernelTests: XCTestCase {
    /// What a kernel showed: /proc/sys names (dotted) with values (nil: not readable), counter names.
    struct Observed {
        var values: [String: String?] = [:]
        var counters: Set<String> = []
        /// Writes to net.core.default_qdisc, in order: the text, the shell's exit status, what the file read
        /// afterwards, the error the shell printed (blanks as "_").
        var qdiscWrites: [(written: String, status: Int, after: String, error: String)] = []
    }

    /// Keys whose presence depends on what the kernel ran rather than on its version, with the reason.
    /// Per-interface keys are compared through their family; module-gated prefixes are left out.
    static let runtimeOnly: [String: String] = [:]

    /// Counters twlint reads only on kernels that still have them, with the release that removed them.
    static let removedCounters: [String: String] = [
        "TcpExt.PAWSPassive": "removed in 4.12 with tcp_tw_recycle (commit 4396e46187ca); TW405 reads it for older kernels",
    ]

    static var kernelDirectory: String { TestSupport.packageRoot + "/.build-kernel" }

    // MARK: parsing

    static func parseDump(_ text: String) -> Observed {
        var o = Observed()
        var section = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // The console may put escape sequences before a marker.
            if let marker = line.range(of: "=== ") { section = String(line[marker.upperBound...]); continue }
            switch section {
            case "sysctl":
                if line.hasPrefix("S ") {
                    let rest = line.dropFirst(2)
                    let space = rest.firstIndex(of: " ") ?? rest.endIndex
                    let path = String(rest[..<space])
                    let value = space < rest.endIndex ? String(rest[rest.index(after: space)...]) : ""
                    o.values[path.replacingOccurrences(of: "/", with: ".")] = value
                } else if line.hasPrefix("W ") {
                    o.values[String(line.dropFirst(2)).replacingOccurrences(of: "/", with: ".")] = .some(nil)
                }
            case "netstat", "snmp":
                o.counters.formUnion(counterNames(String(line)))
            case "qdisc":
                let fields = line.dropFirst(2).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                if line.hasPrefix("Q "), fields.count == 4, let status = Int(fields[1]) {
                    o.qdiscWrites.append((fields[0], status, fields[2], fields[3]))
                }
            default: break
            }
        }
        return o
    }

    /// "TcpExt: SyncookiesSent ..." header lines → "TcpExt.SyncookiesSent"; value lines give nothing.
    static func counterNames(_ line: String) -> [String] {
        let parts = line.split(separator: " ")
        guard let first = parts.first, first.hasSuffix(":"), parts.count > 1, parts[1].first?.isLetter == true else { return [] }
        let group = first.dropLast()
        return parts.dropFirst().map { "\(group).\($0)" }
    }

    /// The kernel configuration (`CONFIG_X=y` lines) of the booted image.
    static func parseConfig(_ text: String) -> [String: String] {
        var c: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("CONFIG_") {
            let kv = line.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { c[String(kv[0])] = String(kv[1]) }
        }
        return c
    }

    /// Evaluates a table condition (`CONFIG_A && !(CONFIG_B || CONFIG_C)`) for a built-in configuration;
    /// nil when it holds anything else (a comparison, a macro), so the key is not judged.
    static func holds(_ condition: String, _ config: [String: String]) -> Bool? {
        var tokens: [String] = []
        var i = condition.startIndex
        while i < condition.endIndex {
            let c = condition[i]
            if c == " " { i = condition.index(after: i); continue }
            if "()!".contains(c) { tokens.append(String(c)); i = condition.index(after: i); continue }
            if c == "&" || c == "|" {
                let j = condition.index(after: i)
                guard j < condition.endIndex, condition[j] == c else { return nil }
                tokens.append(String([c, c])); i = condition.index(after: j); continue
            }
            var j = i
            while j < condition.endIndex, condition[j].isLetter || condition[j].isNumber || condition[j] == "_" { j = condition.index(after: j) }
            guard j > i else { return nil }
            tokens.append(String(condition[i..<j])); i = j
        }
        var pos = 0
        func primary() -> Bool? {
            guard pos < tokens.count else { return nil }
            let t = tokens[pos]; pos += 1
            if t == "!" { return primary().map { !$0 } }
            if t == "(" {
                let v = or()
                guard pos < tokens.count, tokens[pos] == ")" else { return nil }
                pos += 1
                return v
            }
            guard t.hasPrefix("CONFIG_") else { return nil }
            return config[t] == "y"
        }
        func and() -> Bool? {
            guard var v = primary() else { return nil }
            while pos < tokens.count, tokens[pos] == "&&" { pos += 1; guard let w = primary() else { return nil }; v = v && w }
            return v
        }
        func or() -> Bool? {
            guard var v = and() else { return nil }
            while pos < tokens.count, tokens[pos] == "||" { pos += 1; guard let w = and() else { return nil }; v = v || w }
            return v
        }
        let v = or()
        return pos == tokens.count ? v : nil
    }

    /// A /proc/sys name as the catalog writes it (interface → `*`).
    static func catalogName(_ key: String, _ kb: KnowledgeBase) -> String {
        kb.catalog.family(of: key) ?? key
    }

    // MARK: comparisons

    struct Report {
        var existenceCompared = 0, existenceAgreed = 0
        var defaultsCompared = 0, defaultsAgreed = 0
        var problems: [String] = []
    }

    /// Existence of every tabled key (net.ipv4/ipv6/core/unix) and every kb parameter, and every constant
    /// kb default, on `kernel`, against what the kernel showed.
    static func compare(_ o: Observed, kernel: KernelVersion, config: [String: String]?, defaults: Bool) -> Report {
        let kb = TestSupport.kb
        var r = Report()
        // Names the kernel showed, as catalog names (families for per-interface keys).
        var shown: [String: String] = [:]   // catalog name → one concrete key
        for key in o.values.keys {
            let name = catalogName(key, kb)
            if shown[name] == nil || key.contains(".default.") { shown[name] = key }
        }
        func judged(_ name: String) -> Bool { kb.catalog.module(for: name) == nil && runtimeOnly[name] == nil }
        // 1. Every key of the tabled namespaces that the tables or the kernel name.
        var universe = Set(kb.catalog.keys(for: kernel).filter { name in KeyCatalog.tabledPrefixes.contains { name.hasPrefix($0) } })
        universe.formUnion(shown.keys.filter { name in KeyCatalog.tabledPrefixes.contains { name.hasPrefix($0) } })
        for name in universe.sorted() where judged(name) {
            var expected: Bool
            switch kb.catalog.presence(of: name, on: kernel) {
            case .present(let condition):
                expected = true
                if let condition, let config {
                    guard let h = holds(condition, config) else { continue }
                    expected = h
                }
            case .absent: expected = false
            case .unknown: continue
            }
            r.existenceCompared += 1
            let actual = shown[name] != nil
            if expected == actual { r.existenceAgreed += 1; continue }
            r.problems.append("\(name): tables say \(expected ? "present" : "absent") on \(kernel), the kernel \(actual ? "has" : "lacks") it")
        }
        // 2. Every kb parameter (outside module-gated prefixes): twlint's answer for `kernel`.
        for p in kb.sortedParameters where judged(p.key) && !universe.contains(p.key) {
            if case .present(let condition?) = kb.catalog.presence(of: p.key, on: kernel), let config, holds(condition, config) != true { continue }
            r.existenceCompared += 1
            let expected = kb.keyExists(p.key, on: kernel), actual = shown[p.key] != nil
            if expected == actual { r.existenceAgreed += 1; continue }
            r.problems.append("\(p.key): twlint says \(expected ? "present" : "absent") on \(kernel), the kernel \(actual ? "has" : "lacks") it")
        }
        guard defaults else { return r }
        // 3. Constant defaults.
        for p in kb.sortedParameters where judged(p.key) {
            guard let expected = p.defaultValue(for: kernel), kb.keyExists(p.key, on: kernel),
                  let key = shown[p.key], let observed = o.values[key] ?? nil else { continue }
            r.defaultsCompared += 1
            let a = observed.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let b = expected.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if a == b { r.defaultsAgreed += 1; continue }
            r.problems.append("\(p.key): kb default \"\(b)\" for \(kernel), the kernel shows \"\(a)\" (\(key))")
        }
        return r
    }

    /// Counter names twlint reads (the "TcpExt.X" / "Tcp.X" / "IpExt.X" names in its sources and rules).
    static func countersTwlintUses() throws -> Set<String> {
        var names: Set<String> = []
        let pattern = try NSRegularExpression(pattern: #"\b(TcpExt|Tcp|IpExt)\.([A-Z][A-Za-z0-9]+)\b"#)
        for dir in ["Sources/TWLintKit", "rules"] {
            let root = TestSupport.packageRoot + "/" + dir
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let rel as String in walker where rel.hasSuffix(".swift") || rel.hasSuffix(".xml") {
                guard let text = try? String(contentsOfFile: root + "/" + rel, encoding: .utf8) else { continue }
                for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    if let r = Range(m.range, in: text) { names.insert(String(text[r])) }
                }
            }
        }
        return names.filter { !$0.hasSuffix(".Name") }
    }

    // MARK: tests

    func testConditionEvaluator() {
        let config = ["CONFIG_A": "y", "CONFIG_B": "m"]
        XCTAssertEqual(Self.holds("CONFIG_A", config), true)
        XCTAssertEqual(Self.holds("CONFIG_B", config), false)
        XCTAssertEqual(Self.holds("CONFIG_A && !(CONFIG_B || CONFIG_C)", config), true)
        XCTAssertEqual(Self.holds("!(CONFIG_A) && (CONFIG_C)", config), false)
        XCTAssertNil(Self.holds("HZ > 100", config))
        XCTAssertEqual(Self.counterNames("TcpExt: SyncookiesSent TW"), ["TcpExt.SyncookiesSent", "TcpExt.TW"])
        XCTAssertEqual(Self.counterNames("TcpExt: 0 1"), [])
    }

    /// Debian's 6.1 kernel, booted: existence and defaults agree 100% with `--kernel 6.1` (its exact release).
    func testBootedDebian61() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/qemu-system-x86_64") else {
            throw XCTSkip("qemu-system-x86_64 is missing (Debian package qemu-system-x86; .ci/run installs it)")
        }
        let dir = Self.kernelDirectory
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        guard let image = files.first(where: { $0.hasPrefix("vmlinuz-6.1.") }),
              let versionText = try? String(contentsOfFile: dir + "/version", encoding: .utf8),
              let release = KernelVersion(versionText) else {
            throw XCTSkip("no Debian 6.1 kernel in .build-kernel/ (scripts/fetch-test-kernel.sh downloads linux-image-6.1.*-cloud-amd64-unsigned; it could not here)")
        }
        let config = files.first { $0.hasPrefix("config-6.1.") }.flatMap { try? String(contentsOfFile: dir + "/" + $0, encoding: .utf8) }.map(Self.parseConfig)
        let out = try TestSupport.temporaryDirectory(self) + "/console.txt"
        let start = Date()
        let r = try TestSupport.run([dir + "/" + image, out, "900"], executable: TestSupport.packageRoot + "/scripts/vm-sysctl-dump.sh")
        let seconds = Date().timeIntervalSince(start)
        guard r.status == 0, let text = try? String(contentsOfFile: out, encoding: .utf8) else {
            if r.status == 3 { throw XCTSkip("the VM cannot run here: \(r.stderr)") }
            return XCTFail("the VM did not finish: \(r.stderr)")
        }
        let observed = Self.parseDump(text)
        XCTAssertGreaterThan(observed.values.count, 500, "the dump holds too few /proc/sys entries")
        let report = Self.compare(observed, kernel: release, config: config, defaults: true)
        print("booted Linux \(release) (\(files.first { $0.hasPrefix("vmlinuz") } ?? "")) in \(String(format: "%.1f", seconds)) s under QEMU/TCG: \(observed.values.count) /proc/sys entries")
        print("booted \(release): existence \(report.existenceAgreed) of \(report.existenceCompared) agree; constant defaults \(report.defaultsAgreed) of \(report.defaultsCompared) agree")
        XCTAssertGreaterThan(report.existenceCompared, 350)
        XCTAssertGreaterThan(report.defaultsCompared, 150)
        XCTAssertTrue(report.problems.isEmpty, "booted \(release) disagrees with twlint:\n" + report.problems.joined(separator: "\n"))
        // net.core.default_qdisc (global: written only here, in the VM): the write model against the kernel.
        // The initramfs has no modules, so a qdisc the kernel has only as a module is refused here (ENOENT)
        // though the model, which assumes the module can be loaded, takes it; compared are the built-in
        // ones (=y in the kernel's config) and names no kernel has.
        XCTAssertEqual(observed.qdiscWrites.count, 6, "the VM wrote net.core.default_qdisc 6 times")
        var before = observed.values["net.core.default_qdisc"].flatMap { $0 } ?? ""
        for w in observed.qdiscWrites {
            let model = KernelWrite.write(key: "net.core.default_qdisc", written: w.written + "\n", current: before, kb: TestSupport.kb)
            let builtIn = w.written == "pfifo_fast" || (w.written == "fq_codel" && config?["CONFIG_NET_SCH_FQ_CODEL"] == "y")
            if case .accepted(let held) = model, builtIn {
                XCTAssertEqual(w.status, 0, "\(w.written): the kernel refused it (\(w.error)), the model takes it")
                XCTAssertEqual(w.after, held, w.written)
            } else if case .rejected(let errno, _) = model {
                XCTAssertEqual(errno, KernelWrite.ENOENT, w.written)
                XCTAssertNotEqual(w.status, 0, "\(w.written): the kernel took it, the model refuses it")
                XCTAssertTrue(w.error.contains("No_such_file_or_directory"), "\(w.written): \(w.error) is not ENOENT")
                XCTAssertEqual(w.after, before, "\(w.written): a refused write leaves the default")
            } else {
                // Taken by the model, refused here: only a mainline qdisc built as a module (CONFIG_NET_SCH_*=m).
                XCTAssertFalse(builtIn, "\(w.written): \(model)")
                XCTAssertTrue(KernelWrite.mainlineQdiscs.contains(w.written), "the model takes \(w.written), which mainline does not have")
                XCTAssertNotEqual(w.status, 0, "\(w.written) is not built in, yet the kernel took it without modules")
            }
            before = w.after
        }
        print("booted \(release): \(observed.qdiscWrites.map { "\($0.written) → \($0.status == 0 ? "ok" : $0.error)" }.joined(separator: "; "))")
        // Counter names twlint reads exist on this kernel.
        let used = try Self.countersTwlintUses()
        let missing = used.subtracting(observed.counters).filter { Self.removedCounters[$0] == nil }.sorted()
        let gone = used.subtracting(observed.counters).count - missing.count
        print("booted \(release): \(used.count - gone - missing.count) of \(used.count - gone) counter names twlint uses are present (\(gone) known removed)")
        XCTAssertGreaterThan(observed.counters.count, 100)
        XCTAssertTrue(missing.isEmpty, "counters twlint uses that \(release) lacks: \(missing)")
    }

    /// The running host, for its own version: existence of every tabled key and kb parameter (names only,
    /// read-only walk of /proc/sys), and the counter names. Defaults per namespace are compared by
    /// CoverageTests.testDefaultsMatchAFreshNetworkNamespace.
    func testRunningHost() throws {
        guard let kernel = ProcReader().kernel() else { throw XCTSkip("cannot read the running kernel's version") }
        guard TestSupport.kb.catalog.table(for: kernel) != nil else {
            throw XCTSkip("no version table for the running kernel's series (\(kernel)); tables: \(TestSupport.kb.catalog.tabledSeries)")
        }
        var observed = Observed()
        let root = "/proc/sys"
        if let walker = FileManager.default.enumerator(atPath: root) {
            for case let rel as String in walker {
                if rel.hasPrefix("fs/binfmt_misc") { continue }
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: root + "/" + rel, isDirectory: &isDir), !isDir.boolValue else { continue }
                observed.values[rel.replacingOccurrences(of: "/", with: ".")] = .some(nil)
            }
        }
        for file in ["/proc/net/netstat", "/proc/net/snmp"] {
            for line in ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n") {
                observed.counters.formUnion(Self.counterNames(String(line)))
            }
        }
        XCTAssertGreaterThan(observed.values.count, 500)
        let report = Self.compare(observed, kernel: kernel, config: nil, defaults: false)
        print("host Linux \(kernel): existence \(report.existenceAgreed) of \(report.existenceCompared) agree")
        XCTAssertGreaterThan(report.existenceCompared, 350)
        XCTAssertTrue(report.problems.isEmpty, "the running kernel disagrees with twlint:\n" + report.problems.joined(separator: "\n"))
        let used = try Self.countersTwlintUses()
        let missing = used.subtracting(observed.counters).filter { Self.removedCounters[$0] == nil }.sorted()
        let gone = used.subtracting(observed.counters).count - missing.count
        print("host Linux \(kernel): \(used.count - gone - missing.count) of \(used.count - gone) counter names twlint uses are present (\(gone) known removed)")
        XCTAssertTrue(missing.isEmpty, "counters twlint uses that the running kernel lacks: \(missing)")
    }
}
