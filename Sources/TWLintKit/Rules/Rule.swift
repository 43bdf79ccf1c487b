/// A declarative condition over the effective configuration and the target.
public indirect enum Condition: Sendable {
    public enum Op: String, Sendable { case eq, ne, lt, le, gt, ge }

    case all([Condition])
    case any([Condition])
    case not(Condition)
    case set(key: String?)
    case ignoreFailure
    case value(key: String?, field: Int?, op: Op, literal: String?, other: String?, otherField: Int?)
    case kernel(min: KernelVersion?, below: KernelVersion?)
    case profile(Profile)
    case input([InputKind])

    init?(_ e: XMLElement) {
        switch e.name {
        case "all": self = .all(e.children.compactMap(Condition.init))
        case "any": self = .any(e.children.compactMap(Condition.init))
        case "not":
            guard let inner = e.children.first.flatMap(Condition.init) else { return nil }
            self = .not(inner)
        case "set": self = .set(key: e["key"])
        case "ignore-failure": self = .ignoreFailure
        case "value":
            guard let op = Op(rawValue: e["op"] ?? "") else { return nil }
            self = .value(key: e["key"], field: e["field"].flatMap { Int($0) }, op: op,
                          literal: e["value"], other: e["other"], otherField: e["other-field"].flatMap { Int($0) })
        case "kernel": self = .kernel(min: e["min"].flatMap(KernelVersion.init), below: e["below"].flatMap(KernelVersion.init))
        case "profile":
            guard let p = Profile(rawValue: e["is"] ?? "") else { return nil }
            self = .profile(p)
        case "input": self = .input((e["is"] ?? "").split(separator: " ").compactMap { InputKind(rawValue: String($0)) })
        default: return nil
        }
    }

    /// Every key the condition reads.
    var keys: [String] {
        switch self {
        case .all(let cs), .any(let cs): return cs.flatMap(\.keys)
        case .not(let c): return c.keys
        case .set(let k): return k.map { [$0] } ?? []
        case .value(let k, _, _, _, let o, _): return [k, o].compactMap { $0 }
        default: return []
        }
    }
}

/// One rule: a stable code, what it checks, how it explains itself, and its examples.
public final class Rule: @unchecked Sendable {
    public struct Example: Sendable {
        let raw: String
        /// The example as written, its common indentation removed.
        public var text: String { Rule.dedent(raw) }
        public let expectTrigger: Bool
        public let kernel: KernelVersion?
        /// The target Kubernetes release of a manifest example.
        public var kubernetes: String? = nil
        public let profile: Profile?
        /// sysctl text, a manifest, or (`system`) a directory tree description.
        public let input: String
        public let escapes: Bool
        public let severity: Severity?
        public let line: Int
        /// `input="file"`: the file name the example is linted as.
        public var name: String? = nil

        /// The example's bytes, with escapes decoded where the example uses them.
        public var bytes: [UInt8] { escapes ? Rule.decodeEscapes(text) : Array(text.utf8) }
    }

    public let code: String
    public let slug: String
    public let severity: Severity
    public let category: String
    public let title: String
    public let appliesTo: [InputKind]
    public let kernelMin: KernelVersion?
    public let kernelBelow: KernelVersion?
    /// The key the finding is reported on (declarative rules) or the key an evaluator is about.
    public let subject: String?
    public let condition: Condition?
    public let evaluator: String?
    /// For counter rules: the counters watched, as "TcpExt.Name" / "Tcp.Name".
    public let counterNames: [String]
    /// The evaluator's code, looked up once.
    let evaluate: RuleEvaluators.Evaluator?
    public let severityWhen: [(severity: Severity, condition: Condition, message: String?)]
    public let message: String
    /// The why and fix prose, read on first use: explain of a parameter, which prints a rule's code and slug
    /// only, and a lint without findings of the rule never need it.
    public var why: [Block] { prose.value.why }
    public var fix: [Block] { prose.value.fix }
    /// `why` and `fix` as plain text (code in backticks), rendered once for every finding to share.
    public var whyText: String { prose.value.whyText }
    public var fixText: String { prose.value.fixText }
    private let prose: Rule.Prose
    public let related: RelatedItems
    public let references: [Reference]
    /// What `lint --fix` does about a finding, when the rule can fix (`<autofix>`).
    public let autofix: AutoFix?
    /// Examples are read when asked for (tests, explain), not at start-up.
    public var examples: [Example] {
        exampleElements.map { ex in
            Example(raw: ex.rawText, expectTrigger: ex["expect"] == "trigger",
                    kernel: ex["kernel"].flatMap(KernelVersion.init), kubernetes: ex["kubernetes"], profile: ex["profile"].flatMap(Profile.init),
                    input: ex["input"] ?? "sysctl", escapes: ex["escapes"] == "true" || ex["escapes"] == "1",
                    severity: ex["severity"].flatMap(Severity.init), line: ex.line, name: ex["name"])
        }
    }
    private let exampleElements: [XMLElement]
    public let path: String

    init(_ e: XMLElement, path: String) throws {
        try Rule.checkKernelVersions(e, path: path)
        func version(_ s: String?) -> KernelVersion? { s.flatMap(KernelVersion.init) }
        code = e["code"] ?? ""
        slug = e["slug"] ?? ""
        severity = Severity(rawValue: e["severity"] ?? "") ?? .warning
        category = e["category"] ?? ""
        title = e.child("title")?.text ?? ""
        appliesTo = e.child("applies-to").map { $0.text.split(separator: " ").compactMap { InputKind(rawValue: String($0)) } }
            ?? InputKind.allCases
        kernelMin = version(e.child("kernel")?["min"])
        kernelBelow = version(e.child("kernel")?["below"])
        let evaluatorElement = e.child("evaluator")
        evaluator = evaluatorElement?["name"]
        counterNames = (evaluatorElement?["counters"] ?? "").split(separator: " ").map(String.init)
        subject = e.child("subject")?["key"] ?? evaluatorElement?["key"]
        condition = e.child("when")?.children.first.flatMap(Condition.init)
        severityWhen = e.children("severity-when").compactMap { sw in
            guard let s = Severity(rawValue: sw["severity"] ?? ""), let c = sw.children.first.flatMap(Condition.init) else { return nil }
            return (s, c, sw["message"].map { $0.collapsingWhitespace() })
        }
        message = e.child("message")?.text ?? ""
        prose = Prose(why: e.child("why"), fix: e.child("fix"))
        related = RelatedItems(e.child("related"))
        references = .read(e.child("references"))
        autofix = e.child("autofix").flatMap(AutoFix.init)
        exampleElements = e.child("examples")?.children("example") ?? []
        self.path = path
        evaluate = evaluator.flatMap { RuleEvaluators.named[$0] }
        if let evaluator, evaluate == nil {
            throw XMLProblems([XMLProblem(path: path, line: e.line,
                message: "unknown evaluator \"\(evaluator)\"; known: \(RuleEvaluators.named.keys.sorted().joined(separator: ", "))")])
        }
    }

    /// A kernel version in a rule (`<kernel min/below>`, a condition, an example's `kernel=`) that the schema
    /// accepts but twlint cannot hold (`99999999999999999999.1`) is a located error, not a silently absent bound.
    static func checkKernelVersions(_ root: XMLElement, path: String) throws {
        var problems: [XMLProblem] = []
        func walk(_ x: XMLElement) {
            let names = x.name == "kernel" ? ["min", "below"] : ["kernel"]
            for name in names {
                if let v = x[name], KernelVersion(v) == nil {
                    problems.append(XMLProblem(path: path, line: x.line,
                        message: "kernel version \"\(v.prefix(40))\" is out of range: each component is at most \(KernelVersion.maxComponent)"))
                }
            }
            x.children.forEach(walk)
        }
        walk(root)
        if !problems.isEmpty { throw XMLProblems(problems) }
    }

    /// A rule's why and fix, read from their elements once, on first use, by whichever thread asks first.
    final class Prose: @unchecked Sendable {
        struct Value { let why: [Block], fix: [Block], whyText: String, fixText: String }
        private var elements: (why: XMLElement?, fix: XMLElement?)
        private var read: Value?
        private let lock = NSLock()

        init(why: XMLElement?, fix: XMLElement?) { elements = (why, fix) }

        var value: Value {
            lock.lock(); defer { lock.unlock() }
            if let read { return read }
            let why = elements.why.map(ProseReader.blocks) ?? [], fix = elements.fix.map(ProseReader.blocks) ?? []
            let v = Value(why: why, fix: fix, whyText: RuleEngine.plain(why), fixText: RuleEngine.plain(fix))
            read = v
            elements = (nil, nil)
            return v
        }
    }

    /// Every key the rule reads.
    public var keys: Set<String> {
        var all = Set(condition?.keys ?? [])
        if let subject { all.insert(subject) }
        for sw in severityWhen { all.formUnion(sw.condition.keys) }
        return all
    }

    /// Decodes `\\xHH` (a byte), `\\\\` (a backslash), `\\rep(N,TEXT)` (TEXT N times) and `\\seq(N,START,TEXT)`
    /// (TEXT N times, `{hex}` replaced by START, START+1, … as four hex digits).
    /// The largest example input the escapes may expand to (a MiB: examples show overlong lines and large
    /// files, not real inputs), so an example cannot make twlint allocate or loop without bound.
    public static let maxExampleBytes = 1024 * 1024

    static func decodeEscapes(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        let room = { maxExampleBytes - out.count }
        let chars = Array(text.utf8)
        var i = 0
        while i < chars.count {
            if chars[i] == UInt8(ascii: "\\"), i + 1 < chars.count {
                let next = chars[i + 1]
                if next == UInt8(ascii: "x"), i + 3 < chars.count, let b = UInt8(String(decoding: chars[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                    out.append(b); i += 4; continue
                }
                if next == UInt8(ascii: "\\") { out.append(next); i += 2; continue }
                let rest = String(decoding: chars[i...], as: UTF8.self)
                if rest.hasPrefix("\\seq("), let close = rest.firstIndex(of: ")") {
                    let inner = rest[rest.index(rest.startIndex, offsetBy: 5)..<close]
                    let parts = inner.split(separator: ",", maxSplits: 2)
                    // Counts and starts from a rule file are bounded: the expansion stops at `maxExampleBytes`,
                    // and START + k is computed without overflow.
                    if parts.count == 3, !parts[2].isEmpty, let n = Int(parts[0]), n >= 0, let start = Int(parts[1], radix: 16), start >= 0, start <= 0xFFFF_FFFF {
                        for k in 0..<n {
                            let piece = Array(parts[2].replacingOccurrences(of: "{hex}", with: String(format: "%04X", start + k)).utf8)
                            guard piece.count <= room() else { break }
                            out += piece
                        }
                        i += rest[...close].utf8.count
                        continue
                    }
                }
                if rest.hasPrefix("\\rep("), let close = rest.firstIndex(of: ")") {
                    let inner = rest[rest.index(rest.startIndex, offsetBy: 5)..<close]
                    let parts = inner.split(separator: ",", maxSplits: 1)
                    if parts.count == 2, let n = Int(parts[0]), n >= 0 {
                        let piece = Array(parts[1].utf8)
                        let times = piece.isEmpty ? 0 : Swift.min(n, room() / piece.count)
                        for _ in 0..<times { out += piece }
                        i += rest[...close].utf8.count
                        continue
                    }
                }
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    /// Removes the common indentation of an example's lines and the blank first/last lines.
    static func dedent(_ text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        let indent = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { $0.prefix(while: { $0 == " " || $0 == "\t" }).count }.min() ?? 0
        return lines.map { String($0.dropFirst(Swift.min(indent, $0.count))) }.joined(separator: "\n") + "\n"
    }
}

import Foundation
