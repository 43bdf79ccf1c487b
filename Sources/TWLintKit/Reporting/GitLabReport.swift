/// `--format gitlab`: GitLab's Code Quality report (a JSON array of issues) for `artifacts:reports:codequality`.
/// Each fingerprint is stable across runs and unrelated edits: it hashes the rule, the file, the key, the object
/// path and the value, not the line number, plus an occurrence count that keeps identical findings in one file
/// apart. Streamed an issue at a time; the occurrence counts are kept only while the same file goes on, so a
/// file that comes back after another one (named twice, apart) repeats its fingerprints (the same issues).
final class GitLabReport: StreamingFormat {
    private var issues = JSONArrayWriter(indent: 0)
    private var seen: [String: Int] = [:]
    private var lastPath: String?

    func severity(_ s: Severity) -> String {
        switch s {
        case .error: return "critical"
        case .warning: return "major"
        case .info: return "info"
        }
    }

    func add(_ findings: [Finding], emit: (String) -> Void) {
        // Occurrences are counted within a delivery (one input) and carried to the next only while the same
        // file goes on, so the counts never hold more than one input's identities.
        guard let first = findings.first else { return }
        if first.reportPath != lastPath { seen.removeAll(keepingCapacity: true) }
        lastPath = findings[findings.count - 1].reportPath
        for f in findings {
            let path = f.reportPath
            let identity = [f.code, path, f.key ?? "", f.location?.object ?? "", f.value ?? ""].joined(separator: "\u{1F}")
            let occurrence = seen[identity, default: 0]
            seen[identity] = occurrence + 1
            emit(issues.element(.object([
                ("description", .string(f.message)),
                ("check_name", .string(f.code)),
                ("fingerprint", .string(GitLabReport.fingerprint(identity + "\u{1F}\(occurrence)"))),
                ("severity", .string(severity(f.severity))),
                ("location", .object([("path", .string(path)), ("lines", .object([("begin", .int(max(f.location?.line ?? 1, 1)))]))])),
                ("categories", .array([.string("Bug Risk")])),
                ("content", .object([("body", .string("\(f.why)\n\nFix: \(f.fix)"))])),
            ])))
        }
    }

    func finish(_ totals: RunTotals, emit: (String) -> Void) {
        emit(issues.close() + "\n")
    }

    /// 128 bits from two FNV-1a 64-bit hashes (different offset bases) of the UTF-8 text, as 32 hex digits.
    static func fingerprint(_ text: String) -> String {
        func fnv(_ basis: UInt64) -> UInt64 {
            var h = basis
            for b in text.utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
            return h
        }
        func hex(_ v: UInt64) -> String { let s = String(v, radix: 16); return String(repeating: "0", count: 16 - s.count) + s }
        return hex(fnv(0xcbf29ce484222325)) + hex(fnv(0x84222325cbf29ce4))
    }
}
