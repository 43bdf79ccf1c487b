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
