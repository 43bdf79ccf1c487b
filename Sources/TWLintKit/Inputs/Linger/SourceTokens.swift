import Foundation

/// The languages whose SO_LINGER calls twlint recognises.
public enum SourceLanguage: String, Sendable {
    case c, go, java, kotlin, python, rust, javascript, csharp

    var displayName: String {
        switch self {
        case .c: return "C/C++"
        case .go: return "Go"
        case .java: return "Java"
        case .kotlin: return "Kotlin"
        case .python: return "Python"
        case .rust: return "Rust"
        case .javascript: return "Node.js"
        case .csharp: return ".NET"
        }
    }
}

/// A token of source code. Comments are dropped; string literals are kept as one token with their text.
struct SourceToken: Equatable {
    enum Kind: Equatable { case identifier, number, string, punctuation }
    let kind: Kind
    let text: String
    let line: Int
    let column: Int

    func isPunct(_ p: String) -> Bool { kind == .punctuation && text == p }
    func isIdent(_ i: String) -> Bool { kind == .identifier && text == i }
}

/// A small lexer that knows each language's comments and string literals, so that code inside them is
/// never matched. Bounded: at most `maxTokens` tokens per file.
struct SourceLexer {
    static let maxTokens = 2_000_000

    let language: SourceLanguage

    func tokens(_ text: String) -> [SourceToken] {
        let b = Array(text.utf8)
        var out: [SourceToken] = []
        out.reserveCapacity(b.count / 4)
        var i = 0, line = 1, lineStart = 0
        let n = b.count

        func at(_ k: Int) -> UInt8 { k >= 0 && k < n ? b[k] : 0 }
        func emit(_ kind: SourceToken.Kind, _ start: Int, _ end: Int, line l: Int, col: Int, text t: String? = nil) {
            out.append(SourceToken(kind: kind, text: t ?? String(decoding: b[start..<end], as: UTF8.self), line: l, column: col))
        }
        /// Advances over `count` bytes, counting newlines.
        func skipTo(_ end: Int) {
            while i < end && i < n {
                if b[i] == 0x0A { line += 1; lineStart = i + 1 }
                i += 1
            }
        }
        /// A quoted literal ending at `close` (a byte sequence), with backslash escapes unless `raw`.
        func quoted(open: Int, close: [UInt8], raw: Bool, doubledQuoteEscapes: Bool = false) {
            let startLine = line, col = open - lineStart + 1
            var k = i
            var body: [UInt8] = []
            while k < n {
                if !raw && b[k] == 0x5C { // backslash
                    if k + 1 < n { body.append(b[k]); body.append(b[k + 1]) }
                    k += 2
                    continue
                }
                if b[k] == close[0] && k + close.count <= n && Array(b[k..<(k + close.count)]) == close {
                    if doubledQuoteEscapes && close.count == 1 && at(k + 1) == close[0] { body.append(close[0]); k += 2; continue }
                    k += close.count
                    break
                }
                // A single-line literal stops at the end of the line (unterminated: do not swallow the file).
                if close.count == 1 && !raw && b[k] == 0x0A && close[0] != 0x60 { break }
                body.append(b[k])
                k += 1
            }
            let bodyText = String(decoding: body, as: UTF8.self)
            skipTo(k)
            out.append(SourceToken(kind: .string, text: bodyText, line: startLine, column: col))
        }

        while i < n && out.count < SourceLexer.maxTokens {
            let c = b[i]
            if c == 0x0A { line += 1; lineStart = i + 1; i += 1; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0C { i += 1; continue }
            // Comments.
            if language == .python {
                if c == UInt8(ascii: "#") { while i < n && b[i] != 0x0A { i += 1 }; continue }
            } else if c == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "/") {
                while i < n && b[i] != 0x0A { i += 1 }
                continue
            } else if c == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
                // Rust and Kotlin nest block comments; the others do not.
                let nests = language == .rust || language == .kotlin
                var depth = 1
                var k = i + 2
                while k < n && depth > 0 {
                    if b[k] == UInt8(ascii: "*") && at(k + 1) == UInt8(ascii: "/") { depth -= 1; k += 2; continue }
                    if nests && b[k] == UInt8(ascii: "/") && at(k + 1) == UInt8(ascii: "*") { depth += 1; k += 2; continue }
                    k += 1
                }
                skipTo(k)
                continue
            }
            if language == .c && c == UInt8(ascii: "#") && (i == lineStart || b[lineStart..<i].allSatisfy { $0 == 0x20 || $0 == 0x09 }) {
                // A preprocessor line: keep its tokens (macros may hold the call) but treat `#include <…>` as a string.
                emit(.punctuation, i, i + 1, line: line, col: i - lineStart + 1)
                i += 1
                continue
            }
            // String literals.
            let col = i - lineStart + 1
            switch language {
            case .python:
                // Prefixes r, b, f, u (up to two of them), then ' " ''' """.
                var k = i
                func isPrefix(_ x: UInt8) -> Bool { [UInt8(ascii: "r"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "u")].contains(x | 0x20) }
                if !isIdentByte(at(i - 1)) {
                    while k < n && k - i < 2 && isPrefix(b[k]) { k += 1 }
                }
                if k < n && (b[k] == 0x27 || b[k] == 0x22) && (k == i || !isIdentByte(at(i - 1))) {
                    let q = b[k]
                    let triple = at(k + 1) == q && at(k + 2) == q
                    i = k + (triple ? 3 : 1)
                    quoted(open: k, close: triple ? [q, q, q] : [q], raw: false)
                    continue
                }
            case .rust:
                if c == UInt8(ascii: "r") && (at(i + 1) == UInt8(ascii: "#") || at(i + 1) == 0x22) && !isIdentByte(at(i - 1)) {
                    var k = i + 1, hashes = 0
                    while at(k) == UInt8(ascii: "#") { hashes += 1; k += 1 }
                    if at(k) == 0x22 {
                        i = k + 1
                        quoted(open: k, close: [0x22] + Array(repeating: UInt8(ascii: "#"), count: hashes), raw: true)
                        continue
                    }
                }
                if c == UInt8(ascii: "b") && at(i + 1) == 0x22 && !isIdentByte(at(i - 1)) { i += 2; quoted(open: i - 2, close: [0x22], raw: false); continue }
                if c == 0x27 {
                    // A char literal 'x' / '\n' / '\u{..}', or a lifetime 'a (no closing quote right after).
                    if at(i + 1) == 0x5C || at(i + 2) == 0x27 {
                        i += 1
                        quoted(open: i - 1, close: [0x27], raw: false)
                        continue
                    }
                    emit(.punctuation, i, i + 1, line: line, col: col)
                    i += 1
                    continue
                }
            case .csharp:
                if c == UInt8(ascii: "@") && at(i + 1) == 0x22 { i += 2; quoted(open: i - 2, close: [0x22], raw: true, doubledQuoteEscapes: true); continue }
                if c == UInt8(ascii: "$") && (at(i + 1) == 0x22 || at(i + 1) == UInt8(ascii: "@")) { i += 1; continue }
                if c == 0x22 && at(i + 1) == 0x22 && at(i + 2) == 0x22 { i += 3; quoted(open: i - 3, close: [0x22, 0x22, 0x22], raw: true); continue }
            case .java, .kotlin:
                if c == 0x22 && at(i + 1) == 0x22 && at(i + 2) == 0x22 { i += 3; quoted(open: i - 3, close: [0x22, 0x22, 0x22], raw: language == .kotlin); continue }
            case .go:
                if c == 0x60 { i += 1; quoted(open: i - 1, close: [0x60], raw: true); continue }
            case .javascript:
                if c == 0x60 { i += 1; quoted(open: i - 1, close: [0x60], raw: false); continue }
            case .c:
                if c == UInt8(ascii: "R") && at(i + 1) == 0x22 && !isIdentByte(at(i - 1)) {
                    // C++ raw string R"delim( … )delim".
                    var k = i + 2
                    var delim: [UInt8] = []
                    while k < n && b[k] != UInt8(ascii: "(") && delim.count < 16 { delim.append(b[k]); k += 1 }
                    i = k + 1
                    quoted(open: i, close: [UInt8(ascii: ")")] + delim + [0x22], raw: true)
                    continue
                }
            }
            if c == 0x22 || (c == 0x27 && language != .rust) {
                i += 1
                quoted(open: i - 1, close: [c], raw: false)
                continue
            }
            if isIdentStart(c) {
                let s = i
                while i < n && isIdentByte(b[i]) { i += 1 }
                emit(.identifier, s, i, line: line, col: col)
                continue
            }
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                let s = i
                while i < n && (isIdentByte(b[i]) || (b[i] == UInt8(ascii: ".") && isDigit(at(i + 1)))) { i += 1 }
                emit(.number, s, i, line: line, col: col)
                continue
            }
            // Two-character operators that matter: `->`, `::`, `:=`, `=>`, `==`.
            if (c == UInt8(ascii: "-") && at(i + 1) == UInt8(ascii: ">")) || (c == UInt8(ascii: ":") && at(i + 1) == UInt8(ascii: ":"))
                || (c == UInt8(ascii: ":") && at(i + 1) == UInt8(ascii: "=")) || (c == UInt8(ascii: "=") && (at(i + 1) == UInt8(ascii: ">") || at(i + 1) == UInt8(ascii: "="))) {
                emit(.punctuation, i, i + 2, line: line, col: col)
                i += 2
                continue
            }
            emit(.punctuation, i, i + 1, line: line, col: col)
            i += 1
        }
        return out
    }

    func isIdentStart(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "_")
            || (c == UInt8(ascii: "$") && language == .javascript) || c >= 0x80
    }

    func isIdentByte(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
    func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}

/// Helpers over a token array: balanced argument lists and literal values.
struct TokenStream {
    let t: [SourceToken]
    /// Longest argument list read, in tokens.
    static let maxArgumentTokens = 512

    /// The arguments of the call whose `(` is at `open`, split at top-level commas, and the index of the `)`.
    func arguments(at open: Int) -> (args: [ArraySlice<SourceToken>], close: Int)? {
        guard open < t.count, t[open].isPunct("(") else { return nil }
        var depth = 0
        var args: [ArraySlice<SourceToken>] = []
        var start = open + 1
        var k = open
        while k < t.count && k - open < TokenStream.maxArgumentTokens {
            let tok = t[k]
            if tok.kind == .punctuation {
                switch tok.text {
                case "(", "[", "{": depth += 1
                case ")", "]", "}":
                    depth -= 1
                    if depth == 0 {
                        if k > start || !args.isEmpty { args.append(t[start..<k]) }
                        return (args, k)
                    }
                case ",":
                    if depth == 1 { args.append(t[start..<k]); start = k + 1 }
                default: break
                }
            }
            k += 1
        }
        return nil
    }

    /// The index of `token` (tokens are in source order: a binary search on line and column).
    func index(of token: SourceToken) -> Int? {
        var low = 0, high = t.count - 1
        while low <= high {
            let mid = (low + high) / 2
            let m = t[mid]
            if m.line == token.line && m.column == token.column { return mid }
            if (m.line, m.column) < (token.line, token.column) { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }

    /// The index of the bracket matching the opening one at `open`, bounded.
    func matching(_ open: Int, limit: Int = 1_000_000) -> Int? {
        var depth = 0
        var k = open
        while k < t.count && k - open < limit {
            if t[k].kind == .punctuation {
                if ["(", "[", "{"].contains(t[k].text) { depth += 1 }
                if [")", "]", "}"].contains(t[k].text) { depth -= 1; if depth == 0 { return k } }
            }
            k += 1
        }
        return nil
    }
}

/// A literal value read from tokens.
enum Literal: Equatable {
    case int(Int)
    case bool(Bool)

    var intValue: Int? {
        switch self {
        case .int(let v): return v
        case .bool(let b): return b ? 1 : 0
        }
    }

    /// An integer (decimal, hex, octal, with C/Java/Rust/C# suffixes) or a boolean, optionally negative or in
    /// parentheses or behind a C/Go cast like `(int)0` / `int32(0)`; nil for anything else.
    static func read(_ tokens: ArraySlice<SourceToken>) -> Literal? {
        var toks = Array(tokens)
        // Named argument (`enable: true`, `seconds = 0` in Kotlin/C#/Python): drop the name.
        if toks.count >= 3, toks[0].kind == .identifier, toks[1].isPunct(":") || toks[1].isPunct("=") { toks.removeFirst(2) }
        // Strip wrapping parentheses and casts.
        while toks.count >= 3, toks.first!.isPunct("("), toks.last!.isPunct(")") { toks = Array(toks.dropFirst().dropLast()) }
        if toks.count >= 4, toks[0].isPunct("("), let close = toks.firstIndex(where: { $0.isPunct(")") }), close < toks.count - 1,
           toks[1..<close].allSatisfy({ $0.kind == .identifier || $0.isPunct("*") }) {
            toks = Array(toks[(close + 1)...])
        }
        if toks.count == 4, toks[0].kind == .identifier, toks[1].isPunct("("), toks[3].isPunct(")"),
           ["int", "int32", "int64", "uint", "uint32", "C.int", "i32", "u32", "cint", "c_int", "Int", "Int32"].contains(toks[0].text) {
            toks = [toks[2]]
        }
        var negative = false
        if toks.count == 2, toks[0].isPunct("-") { negative = true; toks.removeFirst() }
        if toks.count == 2, toks[0].isPunct("+") { toks.removeFirst() }
        guard toks.count == 1 else { return nil }
        let tok = toks[0]
        if tok.kind == .identifier {
            switch tok.text {
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: return nil
            }
        }
        guard tok.kind == .number else { return nil }
        var text = tok.text.lowercased().replacingOccurrences(of: "_", with: "")
        // Type suffixes: 0L, 0u, 0ul, 0i32, 0usize.
        for suffix in ["usize", "isize", "u64", "i64", "u32", "i32", "u16", "i16", "u8", "i8", "ull", "ul", "ll", "lu", "l", "u", "m"] where text.hasSuffix(suffix) && !text.hasPrefix("0x") {
            text = String(text.dropLast(suffix.count))
            break
        }
        let value: Int?
        if text.hasPrefix("0x") { value = Int(text.dropFirst(2), radix: 16) }
        else if text.hasPrefix("0o") { value = Int(text.dropFirst(2), radix: 8) }
        else if text.hasPrefix("0b") { value = Int(text.dropFirst(2), radix: 2) }
        else if text.count > 1 && text.hasPrefix("0") && text.allSatisfy({ $0.isNumber }) { value = Int(text.dropFirst(), radix: 8) }
        else { value = Int(text) }
        guard let v = value else { return nil }
        return .int(negative ? -v : v)
    }
}

extension ArraySlice where Element == SourceToken {
    /// The tokens as compact text (`struct.pack("ii", 1, 0)`), for messages; strings re-quoted, bounded.
    var compactText: String {
        var s = ""
        var previous: SourceToken?
        for tok in self {
            let piece = tok.kind == .string ? "\"\(tok.text)\"" : tok.text
            if let p = previous, (p.kind == .identifier || p.kind == .number) && (tok.kind == .identifier || tok.kind == .number) { s += " " }
            else if let p = previous, p.isPunct(",") { s += " " }
            s += piece
            previous = tok
            if s.count > 120 { return String(s.prefix(117)) + "…" }
        }
        return s
    }

    func containsIdentifier(_ name: String) -> Bool { contains { $0.kind == .identifier && $0.text == name } }
    var lastIdentifier: String? { last { $0.kind == .identifier }?.text }
}
