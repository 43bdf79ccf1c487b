import Foundation

/// A file as lines and their terminators, so that an edit changes the lines it names and keeps every other byte:
/// line endings (LF or CRLF, line by line), a UTF-8 byte order mark, and the presence or absence of a final newline.
struct LineText: Equatable {
    static let bomBytes: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A byte order mark before line 1, kept in front of whatever line 1 becomes.
    var bom: [UInt8] = []
    /// Line contents without their terminators.
    var lines: [[UInt8]] = []
    /// Each line's terminator: `\n`, `\r\n`, or empty for a last line without one.
    var terminators: [[UInt8]] = []

    init(_ data: Data) {
        var bytes = [UInt8](data)
        if bytes.starts(with: LineText.bomBytes) {
            bom = LineText.bomBytes
            bytes.removeFirst(3)
        }
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if end < bytes.count {
                let crlf = end > start && bytes[end - 1] == 0x0D
                lines.append(Array(bytes[start..<(crlf ? end - 1 : end)]))
                terminators.append(crlf ? [0x0D, 0x0A] : [0x0A])
            } else {
                lines.append(Array(bytes[start..<end]))
                terminators.append([])
            }
            start = end + 1
        }
    }

    var data: Data {
        var out = Data(bom)
        for (line, terminator) in zip(lines, terminators) {
            out.append(contentsOf: line)
            out.append(contentsOf: terminator)
        }
        return out
    }

    var endsWithNewline: Bool { terminators.last.map { !$0.isEmpty } ?? true }

    /// The terminator most lines use, for lines a fix adds.
    var newline: [UInt8] {
        let crlf = terminators.filter { $0.count == 2 }.count
        let lf = terminators.filter { $0.count == 1 }.count
        return crlf > lf ? [0x0D, 0x0A] : [0x0A]
    }

    /// Replaces whole lines (1-based numbers; at most one edit per line). New lines take the terminator of the line
    /// they replace, or the file's usual one; deleting the last line keeps a missing final newline missing.
    func applying(_ edits: [LineEdit]) -> LineText {
        let byLine = Dictionary(edits.map { ($0.line, $0.replacement) }, uniquingKeysWith: { a, _ in a })
        var result = self
        result.lines = []
        result.terminators = []
        let usual = newline
        for (index, line) in lines.enumerated() {
            guard let replacement = byLine[index + 1] else {
                result.lines.append(line)
                result.terminators.append(terminators[index])
                continue
            }
            let own = terminators[index]
            for (k, new) in replacement.enumerated() {
                result.lines.append(new)
                result.terminators.append(k == replacement.count - 1 ? own : (own.isEmpty ? usual : own))
            }
        }
        if !endsWithNewline, !result.lines.isEmpty, !(result.terminators.last ?? []).isEmpty {
            result.terminators[result.terminators.count - 1] = []
        }
        return result
    }
}

/// One line replaced by zero or more lines.
struct LineEdit: Equatable {
    /// 1-based line number in the text the edit applies to.
    let line: Int
    let replacement: [[UInt8]]
}

/// Where the parts of an assignment line are (byte offsets into the line), as `SysctlConf` reads it.
struct AssignmentLine {
    let indent: Range<Int>
    /// The key, after a `-` prefix.
    let key: Range<Int>
    /// The value, trimmed.
    let value: Range<Int>

    init?(_ bytes: [UInt8]) {
        func blank(_ b: UInt8) -> Bool { SysctlConf.isBlank(b) }
        var lo = 0, hi = bytes.count
        while lo < hi && blank(bytes[lo]) { lo += 1 }
        while hi > lo && blank(bytes[hi - 1]) { hi -= 1 }
        guard lo < hi, bytes[lo] != UInt8(ascii: "#"), bytes[lo] != UInt8(ascii: ";") else { return nil }
        indent = 0..<lo
        var start = lo
        if bytes[start] == UInt8(ascii: "-") { start += 1 }
        guard let eq = bytes[start..<hi].firstIndex(of: UInt8(ascii: "=")) else { return nil }
        var kLo = start, kHi = eq
        while kLo < kHi && blank(bytes[kLo]) { kLo += 1 }
        while kHi > kLo && blank(bytes[kHi - 1]) { kHi -= 1 }
        guard kLo < kHi else { return nil }
        key = kLo..<kHi
        var vLo = eq + 1
        while vLo < hi && blank(bytes[vLo]) { vLo += 1 }
        value = vLo..<hi
    }

    /// Where an inline comment starts in the value: a `#` at its start or after a blank (as the parser reports TW902).
    func inlineComment(_ bytes: [UInt8]) -> Int? {
        var previous: UInt8 = 0x20
        for i in value {
            if bytes[i] == UInt8(ascii: "#") && (previous == 0x20 || previous == 0x09) { return i }
            previous = bytes[i]
        }
        return nil
    }
}
