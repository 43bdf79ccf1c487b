import Foundation
import XCTest
@testable import TWLintKit

/// Every /proc/net/netstat and /proc/net/snmp counter name twlint mentions (in Sources/, rules/ and kb/) exists in
/// the running kernel's files, or its kb entry says which release removed it (or which added it, when newer than the
/// running kernel). Reads /proc/net/netstat and /proc/net/snmp only.
final class CounterNameTests: XCTestCase {
    /// Group.Column pairs the running kernel prints.
    static func runningKernelCounters() throws -> Set<String> {
        var names: Set<String> = []
        for file in ["/proc/net/netstat", "/proc/net/snmp"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw XCTSkip("\(file) is not readable here; the counter-name check needs the running kernel's files")
            }
            var counters = Counters()
            counters.add(text)
            names.formUnion(counters.values.keys)
        }
        return names
    }

    /// Counter names written with their group (TcpExt.X, "TcpExt: X", nstat's TcpExtX, Tcp.X), and `<code>` spans that
    /// look like a TcpExt column (TCPxxx, PAWSxxx), in every file below Sources/, rules/ and kb/.
    static func mentions(knownColumns: Set<String>) throws -> [String: Set<String>] {
        let prefixed = try NSRegularExpression(pattern: #"\b(TcpExt|IpExt|Tcp)(?:\.|: ?)?([A-Z][A-Za-z0-9]+)\b|\b(Ip)(?:\.|: )([A-Z][A-Za-z0-9]+)\b"#)
        let code = try NSRegularExpression(pattern: #"<code>((?:TCP|PAWS|Syncookies|Listen|TW)[A-Za-z0-9]*)</code>"#)
        var found: [String: Set<String>] = [:]
        for dir in ["Sources", "rules", "kb"] {
            let root = TestSupport.packageRoot + "/" + dir
            guard let walker = FileManager.default.enumerator(atPath: root) else { continue }
            for case let relative as String in walker where relative.hasSuffix(".swift") || relative.hasSuffix(".xml") {
                let path = dir + "/" + relative
                guard let text = try? String(contentsOfFile: root + "/" + relative, encoding: .utf8) else { continue }
                let range = NSRange(text.startIndex..., in: text)
                for m in prefixed.matches(in: text, range: range) {
                    let g = m.range(at: 1).location != NSNotFound ? 1 : 3
                    let group = String(text[Range(m.range(at: g), in: text)!])
                    let column = String(text[Range(m.range(at: g + 1), in: text)!])
                    // Swift identifiers and words that merely start like a group name are not counters.
                    if group == "Tcp" && ["Ext", "Extension"].contains(column) { continue }
                    // "TcpExt.Name" is how doc comments write the pattern, not a counter.
                    if column == "Name" { continue }
                    found["\(group).\(column)", default: []].insert(path)
                }
                for m in code.matches(in: text, range: range) {
                    let column = String(text[Range(m.range(at: 1), in: text)!])
                    // Option and constant names in code spans (TCP_LINGER2, TCP_PAWS_WRAP) contain an underscore; skip them.
                    if column.contains("_") || column == "TW" && !knownColumns.contains(column) { continue }
                    found["TcpExt.\(column)", default: []].insert(path)
                }
            }
        }
        return found
    }

    func testEveryMentionedCounterExistsOrIsMarkedRemoved() throws {
        let running = try Self.runningKernelCounters()
        let release = (try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)).flatMap { KernelVersion($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let kb = TestSupport.kb
        let columns = Set(running.map { String($0.drop { $0 != "." }.dropFirst()) })
        var mentioned = try Self.mentions(knownColumns: columns)
        for name in kb.counterNames { mentioned[name, default: []].insert("kb/counters/\(name).xml") }
        // A code span holding a bare column that exists in another group (Tcp: OutRsts) is that counter.
        for (name, paths) in mentioned where name.hasPrefix("TcpExt.") && !running.contains(name) && kb.counter(named: name) == nil {
            let column = String(name.dropFirst("TcpExt.".count))
            if let other = running.first(where: { $0.hasSuffix("." + column) }) {
                mentioned[name] = nil
                mentioned[other, default: []].formUnion(paths)
            }
        }
        XCTAssertGreaterThan(mentioned.count, 50, "the scan found too few counter names: \(mentioned.keys.sorted())")
        var present = 0, removed = 0, newer = 0
        var problems: [String] = []
        for (name, paths) in mentioned.sorted(by: { $0.key < $1.key }) {
            if running.contains(name) { present += 1; continue }
            if let c = kb.counter(named: name) {
                if let r = c.removed, release.map({ $0 >= r.version }) ?? true { removed += 1; continue }
                if let s = c.since, let release, release < s.version { newer += 1; continue }
            }
            problems.append("\(name) (in \(paths.sorted().prefix(3).joined(separator: ", "))) is not in this kernel's /proc/net/netstat or /proc/net/snmp and no kb entry marks it removed")
        }
        print("counter names: \(mentioned.count) mentioned; \(present) present in the running kernel \(release?.description ?? "?"), \(removed) marked removed, \(newer) newer than it")
        XCTAssertTrue(problems.isEmpty, problems.joined(separator: "\n"))
    }

    func testTheScanFindsAMisspelling() throws {
        let kb = TestSupport.kb
        let running = try Self.runningKernelCounters()
        // The check would flag a name the kernel does not print and the kb does not know.
        XCTAssertFalse(running.contains("TcpExt.TCPTimeWaitOverflows"))
        XCTAssertNil(kb.counter(named: "TcpExt.TCPTimeWaitOverflows"))
        XCTAssertTrue(running.contains("TcpExt.TCPTimeWaitOverflow"))
    }
}
