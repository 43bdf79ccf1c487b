/// How each applier turns a file's bytes into assignments. Nothing is normalised beyond what the program
/// itself does: a byte-order mark, a NUL, a carriage return or a vertical tab is kept or treated exactly as
/// the program treats it.
public enum LineParser {
    /// One line that assigns or excludes a key.
    public struct Line: Sendable, Equatable {
        /// The key as the applier names its /proc/sys file, relative, in slash form (`net/ipv4/tcp_fin_timeout`).
        public let path: String
        /// The key as written (after the `-` and blanks the applier removes).
        public let rawKey: String
        /// The text written to the kernel (the applier adds a newline); nil for an exclusion (`-key`).
        public let value: String?
        /// A leading `-`: write failures are not errors.
        public let ignoreFailure: Bool
        /// The line number counted in newlines (what an editor shows).
        public let line: Int

        public var isGlob: Bool { path.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") } }
        /// The dotted key, as sysctl prints it.
        public var key: String { LineParser.dotted(path) }
    }

    public struct Parsed: Sendable {
        public var lines: [Line] = []
        /// Lines the applier rejects as not an assignment: (line, text).
        public var invalid: [(line: Int, text: String)] = []
        /// systemd stops reading a file at a line longer than LONG_LINE_MAX: (line, length).
        public var truncatedAt: (line: Int, length: Int)?
    }

    /// systemd's LONG_LINE_MAX (src/basic/fileio.h): read_line() fails with ENOBUFS on a longer line and
    /// parse_file() stops reading the file there.
    public static let systemdLineLimit = 1 << 20

    public static func parse(_ bytes: [UInt8], applier: Applier) -> Parsed {
        switch applier {
        case .systemd: return systemd(bytes)
        case .procps: return procps(bytes)
        }
    }

    // MARK: systemd-sysctl (src/sysctl/sysctl.c parse_file, src/basic/fileio.c read_line_full)

    /// read_line() ends a line at "\n", "\r" or NUL ("\r\n" is one end); each line is stripped of
    /// " \t\n\r" (strstrip); "#" or ";" first makes a comment; `-` before a key with "=" ignores write
    /// failures, and without "=" makes a negative entry that cancels an earlier assignment of that key
    /// and keeps globs off it. Key and value are stripped; the key is normalised (sysctl_normalize).
    static func systemd(_ bytes: [UInt8]) -> Parsed {
        var result = Parsed()
        var lineNumber = 1
        var start = 0
        var i = 0
        func logical(_ range: Range<Int>, line: Int) {
            let body = strip(bytes, range, isBlank: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
            guard !body.isEmpty else { return }
            let first = bytes[body.lowerBound]
            if first == UInt8(ascii: "#") || first == UInt8(ascii: ";") { return }
            var keyStart = body.lowerBound
            let eq = bytes[body].firstIndex(of: UInt8(ascii: "="))
            let dash = first == UInt8(ascii: "-")
            if dash { keyStart += 1 }
            let keyEnd = eq ?? body.upperBound
            let keyRange = strip(bytes, keyStart..<max(keyStart, keyEnd), isBlank: { $0 == 0x20 || $0 == 0x09 })
            if eq == nil && !dash {
                result.invalid.append((line, String(decoding: bytes[body].prefix(80), as: UTF8.self)))
                return
            }
            let raw = String(decoding: bytes[keyRange], as: UTF8.self)
            var value: String?
            if let eq {
                value = String(decoding: bytes[strip(bytes, (eq + 1)..<body.upperBound, isBlank: { $0 == 0x20 || $0 == 0x09 })], as: UTF8.self)
            }
            result.lines.append(Line(path: systemdNormalise(raw), rawKey: raw, value: value, ignoreFailure: dash && eq != nil, line: line))
        }
        func kind(_ b: UInt8) -> Int { b == 0x0A ? 1 : b == 0x0D ? 2 : b == 0x00 ? 4 : 0 }
        while i < bytes.count {
            let first = kind(bytes[i])
            guard first != 0 else { i += 1; continue }
            if i - start >= systemdLineLimit { result.truncatedAt = (lineNumber, i - start); return result }
            logical(start..<i, line: lineNumber)
            // One line end is a run of distinct end characters ("\r\n", "\n\r"); a NUL ends the run.
            var seen = first
            if first == 1 { lineNumber += 1 }
            i += 1
            while i < bytes.count, seen & 4 == 0 {
                let k = kind(bytes[i])
                guard k != 0, seen & k == 0 else { break }
                seen |= k
                if k == 1 { lineNumber += 1 }
                i += 1
            }
            start = i
        }
        if i - start >= systemdLineLimit { result.truncatedAt = (lineNumber, i - start); return result }
        if start < bytes.count { logical(start..<bytes.count, line: lineNumber) }
        return result
    }

    /// sysctl_normalize(): if the first separator is a dot, dots and slashes swap; then path_simplify()
    /// (repeated slashes, "." components) and no leading slash.
    static func systemdNormalise(_ key: String) -> String {
        var bytes = Array(key.utf8)
        if let first = bytes.firstIndex(where: { $0 == 0x2E || $0 == 0x2F }), bytes[first] == 0x2E {
            for j in first..<bytes.count where bytes[j] == 0x2E || bytes[j] == 0x2F { bytes[j] = bytes[j] == 0x2E ? 0x2F : 0x2E }
        }
        return simplify(bytes)
    }

    // MARK: procps sysctl --system (src/sysctl.c Preload, parse_setting_line, setting_new)

    /// getline() ends a line at "\n" only; the line is a C string (a NUL ends it); lines of fewer than two
    /// bytes and keys of fewer than two characters after lstrip (isspace) are skipped; "#" or ";" first
    /// makes a comment; `-` before a key with "=" ignores write failures (the blanks after the dash stay
    /// part of the key, so `- key = 1` names no file), without "=" it keeps globs off the key. The value
    /// is stripped of isspace() at both ends; a carriage return or other byte inside it stays.
    static func procps(_ bytes: [UInt8]) -> Parsed {
        var result = Parsed()
        var start = 0
        var lineNumber = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            let rlen = (end < bytes.count ? end + 1 : end) - start
            lineNumber += 1
            let lineStart = start
            let lineEnd = end < bytes.count ? end + 1 : end    // getline keeps the "\n"
            start = lineEnd
            if rlen < 2 { continue }
            // A C string: the first NUL ends it.
            let cEnd = bytes[lineStart..<lineEnd].firstIndex(of: 0) ?? lineEnd
            var k = lineStart
            while k < cEnd && isSpace(bytes[k]) { k += 1 }
            if cEnd - k < 2 { continue }
            if bytes[k] == UInt8(ascii: "#") || bytes[k] == UInt8(ascii: ";") { continue }
            func rstrip(_ lo: Int, _ hi: Int) -> Int {
                // rstrip(): never removes the first character.
                var e = hi
                while e - 1 > lo && isSpace(bytes[e - 1]) { e -= 1 }
                return e
            }
            if let eq = bytes[k..<cEnd].firstIndex(of: UInt8(ascii: "=")) {
                var keyStart = k
                let dash = bytes[k] == UInt8(ascii: "-")
                if dash { keyStart += 1 }
                let keyEnd = keyStart < eq ? rstrip(keyStart, eq) : eq
                var v = eq + 1
                while v < cEnd && isSpace(bytes[v]) { v += 1 }
                let vEnd = v < cEnd ? rstrip(v, cEnd) : cEnd
                let raw = String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self)
                result.lines.append(Line(path: procpsPath(raw), rawKey: raw, value: String(decoding: bytes[v..<vEnd], as: UTF8.self),
                                         ignoreFailure: dash, line: lineNumber))
            } else if bytes[k] == UInt8(ascii: "-") {
                let keyStart = k + 1
                let keyEnd = keyStart < cEnd ? rstrip(keyStart, cEnd) : cEnd
                let raw = String(decoding: bytes[keyStart..<keyEnd], as: UTF8.self)
                result.lines.append(Line(path: procpsPath(raw), rawKey: raw, value: nil, ignoreFailure: false, line: lineNumber))
            } else {
                result.invalid.append((lineNumber, String(decoding: bytes[k..<cEnd].prefix(80), as: UTF8.self)))
            }
        }
        return result
    }

    /// setting_new(): a second leading "-" is dropped too; slashdot(): if the first separator is a dot,
    /// dots and slashes swap. (Repeated separators are collapsed here as the kernel's path lookup does.)
    static func procpsPath(_ key: String) -> String {
        var bytes = Array(key.utf8)
        if bytes.first == UInt8(ascii: "-") { bytes.removeFirst() }
        if let first = bytes.firstIndex(where: { $0 == 0x2E || $0 == 0x2F }), bytes[first] == 0x2E {
            for j in first..<bytes.count where bytes[j] == 0x2E || bytes[j] == 0x2F { bytes[j] = bytes[j] == 0x2E ? 0x2F : 0x2E }
        }
        return simplify(bytes)
    }

    static func simplify(_ bytes: [UInt8]) -> String {
        let parts = bytes.split(separator: 0x2F, omittingEmptySubsequences: true).filter { $0.elementsEqual([0x2E]) == false }
        return parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "/")
    }

    /// `net/ipv4/conf/eth0.100/rp_filter` → `net.ipv4.conf.eth0/100.rp_filter`.
    public static func dotted(_ path: String) -> String {
        String(String.UnicodeScalarView(path.unicodeScalars.map { $0 == "/" ? "." : ($0 == "." ? "/" : $0) }))
    }

    /// `net.ipv4.tcp_fin_timeout` (or a slash key) → `net/ipv4/tcp_fin_timeout`.
    public static func path(ofKey key: String) -> String { systemdNormalise(key) }

    static func strip(_ bytes: [UInt8], _ range: Range<Int>, isBlank: (UInt8) -> Bool) -> Range<Int> {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi && isBlank(bytes[lo]) { lo += 1 }
        while hi > lo && isBlank(bytes[hi - 1]) { hi -= 1 }
        return lo..<hi
    }
}
