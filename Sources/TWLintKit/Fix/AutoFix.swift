/// What `twlint lint --fix` does about a rule's findings, as the rule's `<autofix>` element declares it.
public struct AutoFix: Sendable {
    public enum Kind: String, Sendable {
        case moveComment = "move-comment"
        case commentOut = "comment-out"
        case delete
        case renameKey = "rename-key"
        case replaceValue = "replace-value"
    }

    /// How a `replace-value` fix computes the new value.
    public enum Replacement: String, Sendable {
        case unquoted
        case nearestBound = "nearest-bound"
    }

    /// ruff's model: safe fixes keep the meaning and are applied by `--fix`; unsafe ones need `--unsafe-fixes`.
    public enum Applicability: String, Sendable, Comparable {
        case safe, unsafe
        public static func < (a: Self, b: Self) -> Bool { a == .safe && b == .unsafe }
    }

    public struct Example: Sendable {
        public let before: String
        public let after: String
        public let kernel: KernelVersion?
        public let line: Int
    }

    public let kind: Kind
    /// The fix edits the assignment the finding says is overridden (its related location), not the finding's line.
    public let targetsOverridden: Bool
    public let replacement: Replacement?
    public let applicability: Applicability
    /// The fix changes what the kernel is given (`effect="changes"`); otherwise the kernel ends up with the same values.
    public let changesEffect: Bool
    public let summary: String
    /// The comment left behind, a template with `{key}`, `{value}` and the fix's variables.
    public let note: String?
    public let examples: [Example]

    init?(_ e: XMLElement) {
        guard let kind = Kind(rawValue: e["kind"] ?? ""), let applicability = Applicability(rawValue: e["applicability"] ?? "") else { return nil }
        self.kind = kind
        self.applicability = applicability
        targetsOverridden = e["target"] == "overridden"
        replacement = e["with"].flatMap(Replacement.init)
        changesEffect = e["effect"] == "changes"
        summary = e.child("summary")?.text.collapsingWhitespace() ?? ""
        note = e.child("note")?.text.collapsingWhitespace()
        examples = e.children("example").map { ex in
            Example(before: Rule.dedent(ex.child("before")?.rawText ?? ""), after: Rule.dedent(ex.child("after")?.rawText ?? ""),
                    kernel: ex["kernel"].flatMap(KernelVersion.init), line: ex.line)
        }
    }
}
