/// A Linux kernel version as major.minor[.patch]; parsed leniently from `uname -r` style strings.
public struct KernelVersion: Comparable, Hashable, CustomStringConvertible, Sendable, Codable {
    public let major: Int
    public let minor: Int
    public let patch: Int?

    public init(_ major: Int, _ minor: Int, _ patch: Int? = nil) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// The largest number accepted in a version component: kernel versions are small, and a bound keeps
    /// arithmetic and comparisons on input-derived versions far from overflow.
    public static let maxComponent = 1_000_000

    /// Parses "6.18", "4.12.3", and the leading part of an osrelease such as "6.1.0-18-amd64".
    /// Returns nil for a component above `maxComponent` (`99999999999999999999.1`), never traps.
    public init?(_ text: String) {
        var numbers: [Int] = []
        var current = ""
        for ch in KernelVersion.trimmed(text) {
            if ch.isASCII, ch.isNumber {
                current.append(ch)
                if current.count > 7 { return nil }
            } else if ch == "." && !current.isEmpty && numbers.count < 2 {
                guard let n = Int.decimalDigits(current), n <= KernelVersion.maxComponent else { return nil }
                numbers.append(n)
                current = ""
            } else {
                break
            }
        }
        if !current.isEmpty {
            guard let n = Int.decimalDigits(current), n <= KernelVersion.maxComponent else { return nil }
            numbers.append(n)
        }
        guard numbers.count >= 2 else { return nil }
        self.init(numbers[0], numbers[1], numbers.count > 2 ? numbers[2] : nil)
    }

    /// `text` without leading and trailing white space and newlines: the scalars Foundation's
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` removes, without its NSString
    /// round trip, which was a visible part of start-up (every version in the catalog and rules is parsed).
    static func trimmed(_ text: String) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return Substring(scalars[first...last])
    }

    /// Foundation's `.whitespacesAndNewlines`: Unicode White_Space and U+200B ZERO WIDTH SPACE (the test suite
    /// compares every scalar).
    static func isSpace(_ s: Unicode.Scalar) -> Bool { s.properties.isWhitespace || s == "\u{200B}" }

    /// The newest kernel the shipped knowledge base describes (ip-sysctl.rst of the 6.18 series).
    public static let newestKnown = KernelVersion(6, 18)

    /// Within `[min, below)`; an absent bound does not limit.
    public func isWithin(min: KernelVersion?, below: KernelVersion?) -> Bool {
        if let min, self < min { return false }
        if let below, self >= below { return false }
        return true
    }

    public var description: String {
        patch.map { "\(major).\(minor).\($0)" } ?? "\(major).\(minor)"
    }

    public static func < (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch ?? 0) < (rhs.major, rhs.minor, rhs.patch ?? 0)
    }

    public static func == (lhs: KernelVersion, rhs: KernelVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch ?? 0) == (rhs.major, rhs.minor, rhs.patch ?? 0)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(major); hasher.combine(minor); hasher.combine(patch ?? 0)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let v = KernelVersion(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a kernel version: \(text)"))
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

import Foundation
