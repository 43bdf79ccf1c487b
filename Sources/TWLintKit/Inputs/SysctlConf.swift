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

/// The sysctl.conf line parser for diagnostics: the findings about a file's lines (syntax, quoting, inline
/// comments, duplicates, directives). What each applier really reads and writes is modelled byte for byte in
/// `Apply/LineParser.swift`; `lint --system`, `--merge`, `show` and the live check take their values from
/// there, and a single file linted on its own is read here.
///
/// Semantics (systemd `sysctl.d(5)` and procps `sysctl.conf(5)`): a line whose first non-blank character
/// is `#` or `;` is a comment; there are no inline comments and no quoting, so everything after the first
/// `=` (trimmed) is written to the kernel; a leading `-` ignores write failures; `-key` without `=`
/// excludes a key from glob matches; `/` or `.` separate key components (the first one decides).
public enum SysctlConf {
    /// The kernel accepts at most a page per write; procps documents 4096 characters for a value.
    public static let maxLineBytes = 4096

    /// The top-level directories of /proc/sys (kernel/sysctl.c `sysctl_init_bases`, net/sysctl_net.c, fs/, the
    /// crypto and sunrpc registrations, 6.18): the first component of every key a sysctl file can name.
    static let topLevelDirectories: Set<Substring> = ["abi", "crypto", "debug", "dev", "fs", "kernel", "net", "sunrpc", "user", "vm"]

    /// Whether a `*.conf` file met in a directory walk is a sysctl file: it is named as one (`sysctl` in its name,
    /// or it sits in a `sysctl.d` directory), or one of its first 5,000 lines assigns a key under a /proc/sys
    /// top-level directory (`net.ipv4.x = 1`, `-kernel/y=2`). Other `.conf` files (JAAS logins, CNI JSON, nginx
    /// includes, INI files) are not read: a repository's own configuration must not fail CI as bad sysctl syntax.
    /// A file named on the command line is always read as sysctl.
    public static func isSysctlFile(path: String, data: Data) -> Bool {
        let components = path.split(separator: "/")
        if components.last?.lowercased().contains("sysctl") == true || components.dropLast().contains("sysctl.d") { return true }
        var lines = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            lines += 1
            if lines > 5000 { break }
            guard raw.contains(UInt8(ascii: "=")), let key = SysctlKey.assigned(in: Substring(decoding: raw, as: UTF8.self)),
                  let first = key.split(whereSeparator: { $0 == "." || $0 == "/" }).first,
                  topLevelDirectories.contains(first) else { continue }
            return true
        }
        return false
    }

    public static func parse(_ data: Data, path: String, input: InputKind = .sysctl) -> ParsedInput {
        var result = ParsedInput(path: path)
        let hasNUL = data.withUnsafeBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return false }
            return memchr(base, 0, min(raw.count, 8192)) != nil
        }
        if hasNUL {
            if let utf16 = TextEncoding.utf16(data) {
                result.problems.append(InputProblem(code: "TW903", location: SourceLocation(path: path, line: 1),
                    detail: "the file is \(utf16), not UTF-8: sysctl reads bytes, so none of its lines would apply; convert it with `iconv -f UTF-16 -t UTF-8`"))
            } else {
                result.problems.append(InputProblem(code: "TW904", location: SourceLocation(path: path, line: 1),
                                                    detail: "the file contains NUL bytes: it is binary, not a sysctl configuration"))
            }
            return result
        }
        if TextEncoding.carriageReturnOnly(data) {
            result.problems.append(InputProblem(code: "TW901", location: SourceLocation(path: path, line: 1),
                detail: "the lines end with CR only (no LF): twlint and procps `sysctl` read the whole file as one line; convert the line ends with `tr '\\r' '\\n'`"))
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
                    // Neither applier strips a byte-order mark (proven by ApplierOracleTests): it is part of
                    // the first key, which then names no sysctl.
                    result.problems.append(InputProblem(code: "TW903", location: SourceLocation(path: path, line: 1),
                        detail: "the file starts with a UTF-8 byte-order mark: neither systemd-sysctl nor sysctl --system strips it, so it becomes part of the first key and line 1 sets nothing; save the file without it"))
                    continue
                }
                if let last = slice.last, last == 0x0D { slice = UnsafeBufferPointer(rebasing: slice[..<(slice.count - 1)]) }
                if slice.count > maxLineBytes {
                    result.problems.append(InputProblem(code: "TW905", location: SourceLocation(path: path, line: lineNumber),
                        detail: "the line is \(slice.count) bytes long; the kernel takes at most \(maxLineBytes) per write, so it was not read"))
                    continue
                }
                // ASCII lines (nearly all) need no further validation.
                var ascii = true
                for b in slice where b >= 0x80 { ascii = false; break }
                if !ascii && String(validating: slice, as: UTF8.self) == nil {
                    let column = firstInvalidUTF8(slice) + 1
                    result.problems.append(InputProblem(code: "TW903", location: SourceLocation(path: path, line: lineNumber, column: column),
                        detail: "the line is not valid UTF-8 (first bad byte at column \(column)); it was not read"))
                    continue
                }
                parseLine(slice, line: lineNumber, path: path, into: &result, pendingDirectives: &pendingDirectives, seen: &seen, input: input)
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

    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0B || b == 0x0C }

    /// Trims blanks from both ends of `bytes[range]`.
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi && isBlank(bytes[lo]) { lo += 1 }
        while hi > lo && isBlank(bytes[hi - 1]) { hi -= 1 }
        return lo..<hi
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// One line, already checked for length and encoding, as bytes.
    static func parseLine(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, path: String, into result: inout ParsedInput,
                          pendingDirectives: inout [Int], seen: inout [String: Int], input: InputKind) {
        let body = trimmed(bytes, 0..<bytes.count)
        if body.isEmpty { return }
        let leading = body.lowerBound
        let first = bytes[body.lowerBound]
        if first == UInt8(ascii: "#") || first == UInt8(ascii: ";") {
            // Only comments that look like twlint directives are turned into strings.
            let text = trimmed(bytes, (body.lowerBound + 1)..<body.upperBound)
            guard text.count >= 7 else { return }
            let prefix = string(bytes, text.lowerBound..<(text.lowerBound + 7)).lowercased()
            guard prefix == "twlint:" else { return }
            let at = SourceLocation(path: path, line: line, column: leading + 1)
            switch Directive.parse(comment: string(bytes, text), location: at) {
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
        var start = body.lowerBound
        var ignoreFailure = false
        if first == UInt8(ascii: "-") {
            ignoreFailure = true
            start += 1
        }
        var eq = start
        while eq < body.upperBound && bytes[eq] != UInt8(ascii: "=") { eq += 1 }
        guard eq < body.upperBound else {
            let key = string(bytes, trimmed(bytes, start..<body.upperBound))
            if ignoreFailure && !key.isEmpty {
                let setting = Setting(key: SysctlKey.normalise(key), rawKey: key, value: "",
                                      location: SourceLocation(path: path, line: line, column: start + 1), ignoreFailure: true, input: input)
                result.exclusions.append(setting)
                return
            }
            let text = string(bytes, body)
            result.problems.append(InputProblem(code: "TW901", location: SourceLocation(path: path, line: line, column: leading + 1),
                detail: "\"\(text.prefix(60))\" is not an assignment (no \"=\"); systemd-sysctl logs an error and fails, procps says \"invalid syntax\""))
            return
        }
        let keyRange = trimmed(bytes, start..<eq)
        let valueRange = trimmed(bytes, (eq + 1)..<body.upperBound)
        let keyLocation = SourceLocation(path: path, line: line, column: (keyRange.isEmpty ? start : keyRange.lowerBound) + 1)
        guard !keyRange.isEmpty else {
            result.problems.append(InputProblem(code: "TW901", location: keyLocation, detail: "the assignment has no key before \"=\""))
            return
        }
        let rawKey = string(bytes, keyRange)
        let value = string(bytes, valueRange)
        let key = SysctlKey.normalise(rawKey)
        let setting = Setting(key: key, rawKey: rawKey, value: value, location: keyLocation, ignoreFailure: ignoreFailure, input: input)
        if let hash = inlineCommentStart(bytes, valueRange) {
            let intended = string(bytes, trimmed(bytes, valueRange.lowerBound..<hash))
            result.problems.append(InputProblem(code: "TW902", location: keyLocation,
                detail: "the value \"\(value)\" carries an inline comment: sysctl files have none, so \"\(value)\" is written to the kernel; the intended value is probably \"\(intended)\"",
                key: key, value: value))
        } else if valueRange.count >= 2, bytes[valueRange.lowerBound] == bytes[valueRange.upperBound - 1],
                  bytes[valueRange.lowerBound] == UInt8(ascii: "\"") || bytes[valueRange.lowerBound] == UInt8(ascii: "'") {
            result.problems.append(InputProblem(code: "TW909", location: keyLocation,
                detail: "the value \(value) is quoted: sysctl files have no quoting, so the quotes are written to the kernel too",
                key: key, value: value))
        }
        if let earlier = seen[key] {
            let firstSetting = result.settings[earlier]
            result.problems.append(InputProblem(code: "TW906", location: keyLocation,
                detail: "\(key) is set again (first at line \(firstSetting.location.line) to \"\(firstSetting.value)\"); the later value \"\(value)\" on line \(line) wins",
                key: key, value: value,
                related: [RelatedLocation(location: firstSetting.location, note: "first set here, overridden")]))
        }
        seen[key] = result.settings.count
        result.settings.append(setting)
        for index in pendingDirectives { result.directives[index].targetLine = line }
        pendingDirectives.removeAll()
    }

    /// Where an inline `# comment` starts in a value: a `#` at its start or after a blank.
    static func inlineCommentStart(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var previous: UInt8 = 0x20
        for i in range {
            if bytes[i] == UInt8(ascii: "#") && (previous == 0x20 || previous == 0x09) { return i }
            previous = bytes[i]
        }
        return nil
    }
}
