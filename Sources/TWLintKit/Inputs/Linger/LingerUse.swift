import Foundation

/// One place where a configuration or a program decides how its TCP connections close: an SO_LINGER setting
/// or a server directive built on it. The scanners produce these; the TW5xx evaluators turn them into findings.
public struct LingerUse: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// SO_LINGER {on, 0}: every close() aborts the connection with a RST.
        case abortive
        /// SO_LINGER {on, N > 0} or values twlint cannot read: close() may block up to N seconds.
        case blocking
        /// nginx `reset_timedout_connection on`: zero linger only on timed-out connections (and code 444).
        case resetOnTimeout
        /// nginx `lingering_close off`: close() with unread client data in the receive queue sends a RST.
        case lingeringCloseOff
        /// nginx `lingering_time`/`lingering_timeout` under `lingering_close off`: they only bound body discarding then.
        case lingeringIgnored
        /// A SO_LINGER setting the kernel refuses (an int-sized value): the option is never applied.
        case invalid
    }

    public let kind: Kind
    /// "HAProxy", "nginx", "Envoy", "Tomcat", "Jetty", "C/C++", "Go", "Java", "Kotlin", "Python", "Rust", "Node.js", ".NET".
    public let format: String
    public let location: SourceLocation
    /// The directive or call as it reads, shortened: `option nolinger`, `setSoLinger(true, 0)`.
    public let directive: String
    /// Where it applies: `backend api`, `http`, `Connector port 8080`, a function name; empty when unknown.
    public let scope: String
    /// The linger seconds when known (blocking linger), else nil.
    public let seconds: Int?
    /// Extra words for the message: why the value is unknown, which sections inherit it.
    public let note: String

    public init(kind: Kind, format: String, location: SourceLocation, directive: String, scope: String = "", seconds: Int? = nil, note: String = "") {
        self.kind = kind
        self.format = format
        self.location = location
        self.directive = directive
        self.scope = scope
        self.seconds = seconds
        self.note = note
    }
}

/// The input kinds that set SO_LINGER: proxy and server configurations and source code.
public enum LingerInputs {
    public enum Format: Equatable, Sendable {
        case haproxy, nginx, envoy, tomcat, jetty, jettyProperties
        case source(SourceLanguage)
        /// A YAML/JSON document stream that may hold ConfigMaps (configuration as data values) or Envoy configuration.
        case manifest
    }

    /// Source extensions twlint scans for SO_LINGER.
    static let sourceExtensions: [String: SourceLanguage] = [
        "c": .c, "h": .c, "cc": .c, "cpp": .c, "cxx": .c, "hpp": .c, "hh": .c, "hxx": .c,
        "go": .go, "java": .java, "kt": .kotlin, "kts": .kotlin, "py": .python, "rs": .rust,
        "js": .javascript, "mjs": .javascript, "cjs": .javascript, "ts": .javascript, "mts": .javascript, "cts": .javascript,
        "cs": .csharp,
    ]

    /// Extensions that only these inputs bring into a directory walk (besides `*.conf` and YAML/JSON).
    static let walkedExtensions: Set<String> = Set(sourceExtensions.keys).union(["cfg", "xml", "ini", "properties"])

    /// Whether a walked directory entry is a candidate (the walker's hook): a regular file (not a directory such as
    /// `popper.js/`) with one of the extensions. Content decides later.
    public static func walks(_ relativePath: String, in root: String) -> Bool {
        guard walkedExtensions.contains((relativePath as NSString).pathExtension.lowercased()) else { return false }
        var isDirectory: ObjCBool = false
        let full = (root as NSString).appendingPathComponent(relativePath)
        return FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Words at least one of which every linger-related source file contains; files without any are skipped cheaply.
    static let sourceMarkers = ["inger", "INGER", "resetAndDestroy"]

    /// What `path` is, from its name and (the first 64 KiB of) its content; nil when it is none of these inputs.
    public static func classify(path: String, text: String) -> Format? {
        let name = (path as NSString).lastPathComponent.lowercased()
        let ext = (name as NSString).pathExtension
        if let language = sourceExtensions[ext] { return .source(language) }
        let head = String(text.prefix(65536))
        switch ext {
        case "xml":
            if head.contains("<Connector") && (head.contains("<Server") || head.contains("<Service")) { return .tomcat }
            if head.contains("<Configure") && (head.contains("org.eclipse.jetty") || head.contains("org.mortbay")) { return .jetty }
            return nil
        case "ini", "properties", "mod":
            return head.contains("soLingerTime") ? .jettyProperties : nil
        case "yaml", "yml", "json":
            return (head.contains("socket_options") || head.contains("ConfigMap")) ? .manifest : nil
        case "cfg", "conf", "":
            // Most `.conf` files in a walk are sysctl files: one byte pass rules both formats out before the three
            // checks below read the text again (nginx needs a `;`, `{` or `}`; HAProxy a section header line).
            if !name.contains("nginx") && !head.utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}") })
                && !hasHAProxySectionLine(head) { return nil }
            if name.contains("haproxy") && looksLikeHAProxy(head, strict: false) { return .haproxy }
            if looksLikeHAProxy(head, strict: true) { return .haproxy }
            if looksLikeNginx(head) || (name.contains("nginx") && ext == "conf" && !hasSysctlAssignment(head)) { return .nginx }
            return nil
        default:
            return nil
        }
    }

    static let haproxySections: Set<String> = ["global", "defaults", "frontend", "backend", "listen", "peers", "resolvers",
                                               "userlist", "mailers", "program", "http-errors", "ring", "cache", "fcgi-app",
                                               "crt-store", "traces", "log-forward"]
    static let haproxyProxyKeywords: Set<String> = ["option", "bind", "server", "mode", "balance", "timeout", "default_backend",
                                                    "use_backend", "maxconn", "log", "acl", "http-request", "tcp-request", "stats"]

    /// A section header line and, in strict mode, at least one proxy keyword line and no `key = value` line.
    static func looksLikeHAProxy(_ text: String, strict: Bool) -> Bool {
        var header = false, keyword = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(5000) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            // nginx and other brace formats end their lines with `;`, `{` or `}`; HAProxy never does.
            if line.hasSuffix(";") || line.hasSuffix("{") || line.hasSuffix("}") { return false }
            let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            if haproxySections.contains(first) { header = true; continue }
            if haproxyProxyKeywords.contains(first) { keyword = true }
            if strict && SysctlKey.assigned(in: line[...]) != nil { return false }
        }
        return header && (keyword || !strict)
    }

    /// Whether a line's first word (after blanks) names a HAProxy section: a cheap, conservative pre-check for
    /// `looksLikeHAProxy`, which needs such a header in both modes.
    static func hasHAProxySectionLine(_ text: String) -> Bool {
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).prefix(5000) {
            let word = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                .prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\r") }
            guard word.count >= 4, word.count <= 11, let first = word.first, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { continue }
            if haproxySections.contains(String(decoding: word, as: UTF8.self)) { return true }
        }
        return false
    }

    /// A sysctl assignment outside any `{ … }` block (sysctl files have no braces; Lua or JSON inside an nginx block
    /// such as `ngx.header["Server"] = "x"` is not one).
    static func hasSysctlAssignment(_ text: String) -> Bool {
        var depth = 0
        for raw in text.split(separator: "\n").prefix(5000) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if depth == 0 && SysctlKey.assigned(in: line[...]) != nil { return true }
            depth = max(0, depth + line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count)
        }
        return false
    }

    /// A block (`http {`, `server {`, `location … {`) or a known `directive value;` line, or only `…;` statement
    /// lines (an included file such as fastcgi.conf: `fastcgi_param NAME $var;`), and no sysctl assignment.
    static func looksLikeNginx(_ text: String) -> Bool {
        var signal = false
        var statements = 0, others = 0, depth = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(5000) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if depth == 0 && SysctlKey.assigned(in: line[...]) != nil { return false }
            depth = max(0, depth + line.filter { $0 == "{" }.count - line.filter { $0 == "}" }.count)
            // sysctl.conf also takes `;` comment lines; nginx has none.
            if line.hasPrefix(";") { others += 1; continue }
            if line.hasSuffix(";") || line.hasSuffix("{") || line.hasSuffix("}") { statements += 1 } else { others += 1 }
            let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "{" }).first.map(String.init) ?? ""
            if ["http", "events", "server", "stream", "upstream", "location", "mail", "map", "types"].contains(first) && line.hasSuffix("{") { signal = true }
            if line.hasSuffix(";") && NginxConf.knownDirectives.contains(first) { signal = true }
        }
        return signal || (statements > 0 && others == 0)
    }
}

/// Turns one input into linger uses and problems, whatever its format.
public enum LingerScanner {
    public struct Result: Sendable {
        public var uses: [LingerUse] = []
        public var problems: [InputProblem] = []
        /// Inline `twlint:` directives found inside configuration embedded in another input (ConfigMap values),
        /// at the lines of the outer file.
        public var directives: [Directive] = []
    }

    public static func scan(_ format: LingerInputs.Format, text: String, path: String) -> Result {
        switch format {
        case .haproxy: return HAProxyConf.scan(text, path: path)
        case .nginx: return NginxConf.scan(text, path: path)
        case .envoy, .manifest: return YAMLConfigs.scan(text, path: path)
        case .tomcat: return ServerXML.scanTomcat(text, path: path)
        case .jetty: return ServerXML.scanJetty(text, path: path)
        case .jettyProperties: return ServerXML.scanJettyProperties(text, path: path)
        case .source(let language):
            guard LingerInputs.sourceMarkers.contains(where: { text.contains($0) }) else { return Result() }
            return Result(uses: SourceScanner(language: language).scan(text, path: path))
        }
    }

    /// Scans configuration text found inside another input (a ConfigMap value), by its key and content: its uses
    /// and its inline directives (any comment style the embedded format has), both moved to the outer file's lines.
    /// `lineOffset` nil: the value is a quoted or plain scalar, whose findings and directives all sit on `keyLine`.
    static func scanEmbedded(key: String, text: String, path: String, lineOffset: Int?, columnOffset: Int = 0, keyLine: Int, object: String) -> Result {
        let pseudo = key.contains(".") ? key : key + ".conf"
        guard let format = LingerInputs.classify(path: pseudo, text: text) else { return Result() }
        var inner: Result
        switch format {
        case .manifest, .envoy: inner = YAMLConfigs.scan(text, path: path, nested: true)
        case .source: return Result()
        default: inner = scan(format, text: text, path: path)
        }
        func line(_ l: Int) -> Int { lineOffset.map { l + $0 } ?? keyLine }
        var out = Result()
        out.uses = inner.uses.map { u in
            LingerUse(kind: u.kind, format: u.format,
                      location: SourceLocation(path: path, line: line(u.location.line), column: lineOffset == nil ? 1 : u.location.column + columnOffset, object: object),
                      directive: u.directive, scope: u.scope.isEmpty ? "ConfigMap \(object)" : "\(u.scope) in \(object)", seconds: u.seconds, note: u.note)
        }
        var problems: [InputProblem] = []
        out.directives = LingerDirectives.parse(text, path: path, problems: &problems).map { d in
            var moved = Directive(scope: d.scope, names: d.names, reason: d.reason,
                                  location: SourceLocation(path: path, line: line(d.location.line), column: lineOffset == nil ? 1 : d.location.column + columnOffset))
            moved.targetLine = d.targetLine.map(line)
            return moved
        }
        out.problems = problems.map { p in
            InputProblem(code: p.code, location: SourceLocation(path: path, line: line(p.location.line)), detail: p.detail)
        }
        return out
    }
}
