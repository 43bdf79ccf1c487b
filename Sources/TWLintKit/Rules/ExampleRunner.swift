import Foundation

/// Runs a rule's examples through the real parsers and the whole lint pipeline.
public struct ExampleRunner {
    public struct Outcome {
        public let passed: Bool
        public let findings: [Finding]
        public let explanation: String
    }

    let linter: Linter

    public init(kb: KnowledgeBase) { linter = Linter(kb: kb) }

    /// Every example of every rule that does not behave as it says, as "path:line: CODE …" lines.
    public func failures() -> [String] {
        linter.kb.rules.flatMap { rule in
            rule.examples.compactMap { example in
                let outcome = run(rule, example)
                return outcome.passed ? nil : "\(rule.path):\(example.line): \(rule.code) \(example.expectTrigger ? "trigger" : "pass") example: \(outcome.explanation)"
            } + (rule.autofix?.examples ?? []).compactMap { example in
                fixFailure(rule, example).map { "\(rule.path):\(example.line): \(rule.code) fix example: \($0)" }
            }
        }
    }

    /// A fix example: `lint --fix` (with `--unsafe-fixes` for an unsafe fix) turns `before` into `after` exactly.
    public func fixFailure(_ rule: Rule, _ example: AutoFix.Example) -> String? {
        let options = LintOptions(target: Target(kernel: example.kernel), failOn: nil)
        let result = Fixer(linter: linter).fix(Data(example.before.utf8), path: "\(rule.code)-fix-example.conf", options: options,
                                              unsafe: rule.autofix?.applicability == .unsafe)
        let got = String(decoding: result.fixed, as: UTF8.self)
        return got == example.after ? nil : "expected\n\(example.after)got\n\(got)"
    }

    public func run(_ rule: Rule, _ example: Rule.Example) -> Outcome {
        let options = LintOptions(target: Target(kernel: example.kernel, profile: example.profile, kubernetes: example.kubernetes), failOn: nil)
        let findings: [Finding]
        switch example.input {
        case "system":
            findings = withTree(example.text) { root in linter.lintSystem(root: root, options: options).findings }
        case "live":
            // The tree holds a /proc copy under /proc and configuration files under their system paths.
            findings = withTree(String(decoding: example.bytes, as: UTF8.self)) { root in
                LiveCheck(kb: linter.kb).run(procRoot: root + "/proc", root: root, options: options).findings
            }
        case "file":
            // Proxy/server configurations and source code, detected by the name and content as in a real run.
            findings = linter.lintData(Data(example.bytes), path: example.name ?? "\(rule.code)-example", options: options, explicit: true) ?? []
        case "manifest":
            findings = linter.lintData(Data(example.bytes), path: "\(rule.code)-example.yaml", options: options, explicit: true) ?? []
        default:
            findings = linter.lint(text: Data(example.bytes), path: "\(rule.code)-example.conf", options: options)
        }
        let mine = findings.filter { $0.code == rule.code }
        var passed = example.expectTrigger ? !mine.isEmpty : mine.isEmpty
        var explanation = example.expectTrigger
            ? (mine.isEmpty ? "expected \(rule.code) to trigger; got \(findings.map(\.code))" : "triggered")
            : (mine.isEmpty ? "did not trigger" : "expected no \(rule.code); got: \(mine.map(\.message))")
        if passed, let severity = example.severity, !mine.contains(where: { $0.severity == severity }) {
            passed = false
            explanation = "expected severity \(severity.rawValue); got \(mine.map(\.severity.rawValue))"
        }
        return Outcome(passed: passed, findings: findings, explanation: explanation)
    }

    /// Builds a directory tree from "== /path" (file, content follows) and "== /path -> target" (symlink)
    /// lines in a temporary root, runs `body` on it, and removes it.
    public func withTree<T>(_ description: String, _ body: (String) -> T) -> T {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("twlint-example-\(UUID().uuidString)").path
        defer { try? fm.removeItem(atPath: root) }
        var current: (path: String, lines: [String])?
        // A path in a (possibly user-written) example stays inside the temporary root: no `..`, no `.`.
        func inside(_ path: String) -> String? {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            guard !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
            return root + "/" + parts.joined(separator: "/")
        }
        func flush() {
            guard let c = current, let full = inside(c.path) else { current = nil; return }
            try? fm.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = fm.createFile(atPath: full, contents: Data((c.lines.joined(separator: "\n") + "\n").utf8))
            current = nil
        }
        for line in description.components(separatedBy: "\n") {
            if line.hasPrefix("== ") {
                flush()
                let spec = line.dropFirst(3)
                if let arrow = spec.range(of: " -> ") {
                    guard let link = inside(spec[..<arrow.lowerBound].trimmingCharacters(in: .whitespaces)) else { continue }
                    let target = spec[arrow.upperBound...].trimmingCharacters(in: .whitespaces)
                    try? fm.createDirectory(atPath: (link as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try? fm.createSymbolicLink(atPath: link, withDestinationPath: target)
                } else {
                    current = (String(spec).trimmingCharacters(in: .whitespaces), [])
                }
            } else if current != nil {
                current!.lines.append(line)
            }
        }
        flush()
        return body(root)
    }
}
