import Foundation

/// What a sysctl.conf / sysctl.d file holds, as systemd-sysctl and procps `sysctl` read it.
public struct ParsedInput: Sendable {
    public let path: String
    public var settings: [Setting] = []
    /// `-key` lines without `=`: the key is excluded from glob expansion.
    public var exclusions: [Setting] = []
    public var directives: [Directive] = []
    public var problems: [InputProblem] = []

    public init(path: String) { self.path = path }
}

/// The sysctl.conf line parser.
///
/// Semantics (systemd `sysctl.d(5)` and procps `sysctl.conf(5)`): a line whose first non-blank character
/// is `#` or `;` is a comment; there are no inline comments and no quoting, so everything after the first
/// `=` (trimmed) is written to the kernel; a leading `-` ignores write failures; `-key` without `=`
/// excludes a key from glob matches; `/` or `.` separate key components (the first one decides).
public enum SysctlConf {
    /// The kernel accepts at most a page per write; procps documents 4096 characters for a value.
    public static let maxLineBytes = 4096

    public static func parse(_ data: Data, path: String, input: InputKind = .sysctl) -> ParsedInput {
        var result = ParsedInput(path: path)
        if data.prefix(8192).contains(0) {
            result.problems.append(InputProblem(code: "TW904", location: SourceLocation(path: path, line: 1),
                                                detail: "the file contains NUL bytes: it is binary, not a sysctl configuration"))
            return result
        }
        var pendingDirectives: [Int] = []
        var seen: [String: Int] = [:]   // key → index in settings
        var lineNumber = 0
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                var slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
                start = end + 1
                if lineNumber == 1, slice.count >= 3, slice[0] == 0xEF, slice[1] == 0xBB, slice[2] == 0xBF {
                    slice = UnsafeBufferPointer(rebasing: slice[3...])
                }
                if let last = slice.last, last == 0x0D { slice = UnsafeBufferPointer(rebasing: slice[..<(slice.count - 1)]) }
                let location = SourceLocation(path: path, line: lineNumber)
                if slice.count > maxLineBytes {
                    result.problems.append(InputProblem(code: "TW905", location: location,
                        detail: "the line is \(slice.count) bytes long; the kernel takes at most \(maxLineBytes) per write, so it was not read"))
                    continue
                }
                guard let line = String(validating: slice, as: UTF8.self) else {
                    let column = firstInvalidUTF8(slice) + 1
                    result.problems.append(InputProblem(code: "TW903", location: SourceLocation(path: path, line: lineNumber, column: column),
                        detail: "the line is not valid UTF-8 (first bad byte at column \(column)); it was not read"))
                    continue
                }
                parseLine(line, location: location, into: &result, pendingDirectives: &pendingDirectives, seen: &seen, input: input)
            }
        }
        return result
    }

    /// The byte offset of the first byte that breaks UTF-8 decoding.
    private static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return i
            }
            if i + length > bytes.count { return i }
            for j in 1..<length where bytes[i + j] & 0xC0 != 0x80 { return i }
            if String(validating: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]), as: UTF8.self) == nil { return i }
            i += length
        }
        return i
    }

    static func parseLine(_ line: String, location: SourceLocation, into result: inout ParsedInput,
                          pendingDirectives: inout [Int], seen: inout [String: Int], input: InputKind) {
        let leading = line.prefix(while: { $0 == " " || $0 == "\t" }).count
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return }
        let path = location.path
        if trimmed.first == "#" || trimmed.first == ";" {
            let at = SourceLocation(path: path, line: location.line, column: leading + 1)
            switch Directive.parse(comment: String(trimmed.dropFirst()), location: at) {
            case .success(let d)?:
                result.directives.append(d)
                if d.scope == .nextSetting { pendingDirectives.append(result.directives.count - 1) }
            case .failure(let error)?:
                result.problems.append(InputProblem(code: "TW911", location: error.location, detail: error.message))
            case nil:
                break
            }
            return
        }
        var body = Substring(trimmed)
        var ignoreFailure = false
        var column = leading + 1
        if body.first == "-" {
            ignoreFailure = true
            body = body.dropFirst()
            column += 1
        }
        guard let eq = body.firstIndex(of: "=") else {
            let key = body.trimmingCharacters(in: .whitespaces)
            if ignoreFailure && !key.isEmpty {
                let setting = Setting(key: SysctlKey.normalise(key), rawKey: key, value: "",
                                      location: SourceLocation(path: path, line: location.line, column: column), ignoreFailure: true, input: input)
                result.exclusions.append(setting)
                return
            }
            result.problems.append(InputProblem(code: "TW901", location: SourceLocation(path: path, line: location.line, column: leading + 1),
                detail: "\"\(trimmed.prefix(60))\" is not an assignment (no \"=\"); systemd-sysctl logs an error and fails, procps says \"invalid syntax\""))
            return
        }
        let rawKey = body[..<eq].trimmingCharacters(in: .whitespaces)
        let value = body[body.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        let keyLocation = SourceLocation(path: path, line: location.line, column: column + (body[..<eq].prefix(while: { $0 == " " || $0 == "\t" }).count))
        guard !rawKey.isEmpty else {
            result.problems.append(InputProblem(code: "TW901", location: keyLocation, detail: "the assignment has no key before \"=\""))
            return
        }
        let key = SysctlKey.normalise(rawKey)
        let setting = Setting(key: key, rawKey: rawKey, value: value, location: keyLocation, ignoreFailure: ignoreFailure, input: input)
        if let hash = inlineCommentStart(value) {
            result.problems.append(InputProblem(code: "TW902", location: keyLocation,
                detail: "the value \"\(value)\" carries an inline comment: sysctl files have none, so \"\(value)\" is written to the kernel; the intended value is probably \"\(value[..<hash].trimmingCharacters(in: .whitespaces))\"",
                key: key, value: value))
        } else if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
            result.problems.append(InputProblem(code: "TW909", location: keyLocation,
                detail: "the value \(value) is quoted: sysctl files have no quoting, so the quotes are written to the kernel too",
                key: key, value: value))
        }
        if let earlier = seen[key] {
            let first = result.settings[earlier]
            result.problems.append(InputProblem(code: "TW906", location: keyLocation,
                detail: "\(key) is set again (first at line \(first.location.line) to \"\(first.value)\"); the later value \"\(value)\" on line \(location.line) wins",
                key: key, value: value,
                related: [RelatedLocation(location: first.location, note: "first set here, overridden")]))
        }
        seen[key] = result.settings.count
        result.settings.append(setting)
        for index in pendingDirectives { result.directives[index].targetLine = location.line }
        pendingDirectives.removeAll()
    }

    /// Where an inline `# comment` starts in a value (a `#` preceded by whitespace), if anywhere.
    static func inlineCommentStart(_ value: String) -> String.Index? {
        var previous: Character = " "
        for index in value.indices {
            if value[index] == "#" && (previous == " " || previous == "\t") { return index }
            previous = value[index]
        }
        return nil
    }
}
