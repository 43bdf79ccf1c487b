/// Sysctls set by shell commands: `sysctl -w k=v`, `sysctl k=v`, `echo v > /proc/sys/a/b`, `echo v | tee /proc/sys/a/b`.
public enum ShellSysctl {
    public struct Assignment: Equatable, Sendable {
        public let key: String
        public let value: String
        /// Line offset inside the script (0 for the first line).
        public let lineOffset: Int
    }

    /// Finds assignments in a command line or script.
    public static func assignments(in script: String) -> [Assignment] {
        var found: [Assignment] = []
        for (offset, line) in script.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for command in commands(in: String(line)) {
                found += assignments(command: command, lineOffset: offset)
            }
        }
        return found
    }

    /// Assignments of one argv (e.g. a container's command + args).
    public static func assignments(argv: [String]) -> [Assignment] {
        guard let first = argv.first else { return [] }
        let name = first.split(separator: "/").last.map(String.init) ?? first
        // sh -c "script", bash -c, /bin/sh -ec …
        if ["sh", "bash", "ash", "dash", "zsh"].contains(name),
           let c = argv.dropFirst().firstIndex(where: { $0.hasPrefix("-") && $0.contains("c") }), c + 1 < argv.count {
            return assignments(in: argv[c + 1])
        }
        return assignments(command: argv, lineOffset: 0)
    }

    static func assignments(command argv: [String], lineOffset: Int) -> [Assignment] {
        var args = argv
        while let f = args.first, ["sudo", "exec", "command", "nsenter", "chroot"].contains(f) || f.contains("=") && !f.hasPrefix("-") && args.count > 1 && !f.contains(".") {
            args.removeFirst()
        }
        guard let first = args.first else { return [] }
        let name = first.split(separator: "/").last.map(String.init) ?? first
        var out: [Assignment] = []
        if name == "sysctl" {
            var rest = Array(args.dropFirst())
            // `sysctl -w key = value` with spaces around "=".
            var i = 0
            while i < rest.count {
                if rest[i] == "=" && i > 0 && i + 1 < rest.count {
                    rest[i - 1] = rest[i - 1] + "=" + rest[i + 1]
                    rest.removeSubrange(i...(i + 1))
                    continue
                }
                i += 1
            }
            for arg in rest where !arg.hasPrefix("-") {
                guard let eq = arg.firstIndex(of: "=") else { continue }
                let key = String(arg[..<eq]).trimmingWhitespace()
                guard !key.isEmpty else { continue }
                out.append(Assignment(key: SysctlKey.normalise(key), value: String(arg[arg.index(after: eq)...]).trimmingWhitespace(), lineOffset: lineOffset))
            }
        } else if name == "echo" || name == "printf" {
            // echo VALUE > /proc/sys/x/y, echo VALUE | tee /proc/sys/x/y
            var values: [String] = []
            var i = 1
            while i < args.count {
                let a = args[i]
                if a == ">" || a == ">>" || a == "|" { break }
                if !(name == "echo" && a.hasPrefix("-") && values.isEmpty) { values.append(a) }
                i += 1
            }
            var target: String?
            if i < args.count {
                if args[i] == ">" || args[i] == ">>" { target = i + 1 < args.count ? args[i + 1] : nil }
                if args[i] == "|", i + 1 < args.count, args[i + 1] == "tee" {
                    target = args[(i + 2)...].first { !$0.hasPrefix("-") }
                }
            }
            if let target, let key = SysctlKey.fromProcPath(target) {
                out.append(Assignment(key: key, value: values.joined(separator: " "), lineOffset: lineOffset))
            }
        }
        return out
    }

    /// Splits a line into commands at `;`, `&&`, `||` and newlines, each tokenised with shell quoting;
    /// a pipe into `tee` stays with its command so `echo v | tee /proc/sys/…` is seen whole.
    static func commands(in line: String) -> [[String]] {
        var commands: [[String]] = []
        var current: [String] = []
        var token = ""
        var hasToken = false
        var quote: Character?
        var chars = Array(line)
        var i = 0
        func endToken() {
            if hasToken { current.append(token) }
            token = ""
            hasToken = false
        }
        func endCommand() {
            endToken()
            if !current.isEmpty { commands.append(current) }
            current = []
        }
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil } else if c == "\\" && q == "\"" && i + 1 < chars.count { i += 1; token.append(chars[i]) } else { token.append(c) }
                i += 1
                continue
            }
            switch c {
            case "'", "\"":
                quote = c
                hasToken = true
            case " ", "\t":
                endToken()
            case ";":
                endCommand()
            case "&", "|":
                if i + 1 < chars.count && chars[i + 1] == c {
                    endCommand()
                    i += 1
                } else if c == "|" {
                    endToken()
                    current.append("|")
                } else {
                    endCommand()
                }
            case ">":
                endToken()
                if i + 1 < chars.count && chars[i + 1] == ">" { current.append(">>"); i += 1 } else { current.append(">") }
            case "#" where !hasToken:
                endCommand()
                chars = []
            case "\\":
                if i + 1 < chars.count { i += 1; token.append(chars[i]); hasToken = true }
            default:
                token.append(c)
                hasToken = true
            }
            i += 1
        }
        endCommand()
        return commands
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
