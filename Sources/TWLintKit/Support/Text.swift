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
