import Foundation

/// Terminal styling: on only when asked (a terminal and no NO_COLOR).
public struct Style: Sendable {
    public let enabled: Bool

    public init(enabled: Bool) { self.enabled = enabled }

    /// Colour when stdout is a terminal and NO_COLOR is unset or empty.
    public static func forStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return Style(enabled: !noColor && isatty(STDOUT_FILENO) == 1)
    }

    public static let plain = Style(enabled: false)

    private func wrap(_ s: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    public func bold(_ s: String) -> String { wrap(s, "1") }
    public func dim(_ s: String) -> String { wrap(s, "2") }
    public func red(_ s: String) -> String { wrap(s, "1;31") }
    public func yellow(_ s: String) -> String { wrap(s, "1;33") }
    public func cyan(_ s: String) -> String { wrap(s, "36") }

    public func severity(_ s: Severity) -> String {
        switch s {
        case .error: return red(s.rawValue)
        case .warning: return yellow(s.rawValue)
        case .info: return cyan(s.rawValue)
        }
    }
}

enum TextLayout {
    /// Wraps `text` to `width` columns; every line starts with `indent`, the first with `firstIndent` if given.
    static func wrap(_ text: String, width: Int = 80, indent: String = "", firstIndent: String? = nil) -> String {
        // Words longer than a line (hex keys, long paths) are cut so no line exceeds the width.
        let room = max(width - indent.count, 20)
        var words: [Substring] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var rest = word
            while rest.count > room {
                words.append(rest.prefix(room))
                rest = rest.dropFirst(room)
            }
            words.append(rest)
        }
        var lines: [String] = []
        var current = firstIndent ?? indent
        var currentHasWord = false
        for word in words {
            if currentHasWord && current.count + 1 + word.count > width {
                lines.append(current)
                current = indent
                currentHasWord = false
            }
            current += (currentHasWord ? " " : "") + word
            currentHasWord = true
        }
        if currentHasWord || lines.isEmpty { lines.append(current) }
        return lines.joined(separator: "\n")
    }
}

/// Edit distance, for did-you-mean suggestions.
enum Levenshtein {
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// Candidates close to `term`, best first.
    static func suggestions(for term: String, in candidates: [String], limit: Int = 3) -> [String] {
        let t = term.lowercased()
        let threshold = Swift.max(2, t.count / 4)
        return candidates
            .map { ($0, distance(t, $0.lowercased())) }
            .filter { $0.1 <= threshold }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            .prefix(limit)
            .map(\.0)
    }
}

/// Makes text from input safe to print: every control character (C0, DEL, C1), every bidirectional
/// override or isolate (which reorders what a terminal shows) and the noncharacters U+FFFE/U+FFFF (which
/// make XML ill-formed) are replaced by a visible escape (`\e`, `\r`, `\n`, `\t`, `\x07`, `\u{202E}`).
/// Every reporter and every message to the terminal passes input-derived text through here, so a file
/// name or value can never move the cursor, change colours or rewrite what was printed before it.
public enum ControlEscape {
    @inline(__always) static func needsEscape(_ v: UInt32) -> Bool {
        v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x200E || v == 0x200F || v == 0x061C || v == 0xFFFE || v == 0xFFFF
    }

    /// Whether `s` holds a character `escape` would replace.
    public static func containsControl(_ s: String) -> Bool {
        // Fast path: ASCII without C0/DEL.
        var ascii = true
        for b in s.utf8 {
            if b < 0x20 || b == 0x7F { return true }
            if b >= 0x80 { ascii = false }
        }
        if ascii { return false }
        return s.unicodeScalars.contains { needsEscape($0.value) }
    }

    /// Like `escape`, but line feeds stay line feeds: for multi-line messages of twlint's own (a list of
    /// problems) whose lines quote input.
    public static func escapeKeepingLines(_ s: String) -> String {
        guard containsControl(s) else { return s }
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "\n")
    }

    /// `s` with each character described above replaced by a printable escape.
    public static func escape(_ s: String) -> String {
        guard containsControl(s) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            let v = scalar.value
            guard needsEscape(v) else { out.append(scalar); continue }
            let text: String
            switch v {
            case 0x1B: text = "\\e"
            case 0x0A: text = "\\n"
            case 0x0D: text = "\\r"
            case 0x09: text = "\\t"
            case 0..<0x100: text = "\\x" + (v < 0x10 ? "0" : "") + String(v, radix: 16, uppercase: true)
            default: text = "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            }
            out.append(contentsOf: text.unicodeScalars)
        }
        return String(out)
    }
}

/// Recognises text that is not in the encoding or line-end convention sysctl files use.
enum TextEncoding {
    /// "UTF-16 (little-endian)" or "UTF-16 (big-endian)" when the data starts with a UTF-16 byte-order mark,
    /// or (without one) when every other byte of its start is NUL around ASCII text; nil otherwise.
    static func utf16(_ data: Data) -> String? {
        let head = [UInt8](data.prefix(512))
        if head.count >= 2 {
            if head[0] == 0xFF && head[1] == 0xFE { return "UTF-16 (little-endian)" }
            if head[0] == 0xFE && head[1] == 0xFF { return "UTF-16 (big-endian)" }
        }
        let pairs = head.count / 2
        guard pairs >= 2 else { return nil }
        var evenZero = 0, oddZero = 0
        for i in 0..<pairs {
            if head[2 * i] == 0 && head[2 * i + 1] != 0 { evenZero += 1 }
            if head[2 * i + 1] == 0 && head[2 * i] != 0 { oddZero += 1 }
        }
        if oddZero * 10 >= pairs * 9 { return "UTF-16 (little-endian)" }
        if evenZero * 10 >= pairs * 9 { return "UTF-16 (big-endian)" }
        return nil
    }

    /// Whether lines end with CR alone: no LF anywhere and a CR before the last byte.
    static func carriageReturnOnly(_ data: Data) -> Bool {
        guard !data.isEmpty, !data.contains(0x0A), let cr = data.firstIndex(of: 0x0D) else { return false }
        return cr < data.index(before: data.endIndex)
    }
}
