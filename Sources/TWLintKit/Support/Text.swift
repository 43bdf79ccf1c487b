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
        SuggestionIndex(candidates).suggestions(for: term, limit: limit)
    }

    /// Terms longer than this get no suggestions: no sysctl name, rule or topic comes near, and the
    /// edit distance of a long term costs time in proportion to its length.
    static let maxTermLength = 160

    /// The edit distance of two byte strings if it is at most `bound`, else nil. Only the diagonal band
    /// of width 2·bound+1 is computed, and the scan stops once a whole row exceeds the bound.
    static func distance(_ a: [UInt8], _ b: [UInt8], bound: Int) -> Int? {
        let n = a.count, m = b.count
        if abs(n - m) > bound { return nil }
        if n == 0 { return m }
        if m == 0 { return n }
        let big = bound + 1
        var previous = [Int](repeating: big, count: m + 1)
        var current = [Int](repeating: big, count: m + 1)
        for j in 0...Swift.min(m, bound) { previous[j] = j }
        for i in 1...n {
            let lo = Swift.max(1, i - bound), hi = Swift.min(m, i + bound)
            current[0] = i <= bound ? i : big
            if lo > 1 { current[lo - 1] = big }
            var rowMin = current[0]
            if lo <= hi {
                for j in lo...hi {
                    let cost = a[i - 1] == b[j - 1] ? 0 : 1
                    let v = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                    current[j] = Swift.min(v, big)
                    rowMin = Swift.min(rowMin, current[j])
                }
            }
            if hi < m { current[hi + 1] = big }
            if rowMin > bound { return nil }
            swap(&previous, &current)
        }
        return previous[m] <= bound ? previous[m] : nil
    }
}

/// Candidates bucketed by length, so a query compares only with names of a length within its distance
/// bound; each comparison is a banded, early-exit edit distance on lowercased bytes.
struct SuggestionIndex {
    private var byLength: [Int: [(name: String, bytes: [UInt8], bag: Bag)]] = [:]
    /// Each name with the words of its components (`tcp`, `timestamps`), for a match by words.
    private var words: [(name: String, words: Set<Substring>)] = []

    /// Letter counts in 32 buckets: |counts(a) − counts(b)| summed, halved and rounded up, never exceeds the
    /// edit distance (an edit changes at most two counts by one), so it rejects most candidates before the
    /// edit distance is computed.
    struct Bag {
        var counts = [Int16](repeating: 0, count: 32)
        init(_ bytes: [UInt8]) { for b in bytes { counts[Int(b & 31)] += 1 } }
        func lowerBound(_ other: Bag) -> Int {
            var sum = 0
            for i in 0..<32 { sum += abs(Int(counts[i]) - Int(other.counts[i])) }
            return (sum + 1) / 2
        }
    }

    init<S: Sequence>(_ candidates: S) where S.Element == String {
        for c in Set(candidates) {
            let bytes = Array(c.lowercased().utf8)
            byLength[bytes.count, default: []].append((c, bytes, Bag(bytes)))
            words.append((c, Set(c.split(whereSeparator: { $0 == "." || $0 == "_" }))))
        }
    }

    /// Names holding every one of `wanted` among their words, shortest first.
    func containing(words wanted: Set<Substring>, limit: Int = 3) -> [String] {
        words.filter { wanted.isSubset(of: $0.words) }.map(\.name)
            .sorted { ($0.count, $0) < ($1.count, $1) }.prefix(limit).map { $0 }
    }

    func suggestions(for term: String, limit: Int = 3) -> [String] {
        let t = Array(term.lowercased().utf8)
        guard t.count <= Levenshtein.maxTermLength else { return [] }
        let threshold = Swift.max(2, t.count / 4)
        var found: [(String, Int)] = []
        let bag = Bag(t)
        for length in Swift.max(0, t.count - threshold)...(t.count + threshold) {
            for c in byLength[length] ?? [] where bag.lowerBound(c.bag) <= threshold {
                if let d = Levenshtein.distance(t, c.bytes, bound: threshold) { found.append((c.name, d)) }
            }
        }
        return found.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(limit).map(\.0)
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

    /// `s` between double quotes for a message: escaped as `escape` does, a double quote inside as `\"`, and
    /// "…" before the closing quote when the text was cut short.
    public static func quoted(_ s: String, truncated: Bool = false) -> String {
        "\"" + escape(s).replacingOccurrences(of: "\"", with: "\\\"") + (truncated ? "…\"" : "\"")
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
