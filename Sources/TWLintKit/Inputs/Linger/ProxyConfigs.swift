import CLibXML2
import Foundation
import Yams

/// Inputs larger than this are not scanned for linger settings (they are not configuration files).
let lingerMaxLines = 200_000

/// The column (bytes, from 1) of a line's first character after its indentation.
func indentColumn(_ line: Substring) -> Int { line.utf8.prefix { $0 == 0x20 || $0 == 0x09 }.count + 1 }

// MARK: HAProxy

/// haproxy.cfg: sections (`defaults`, `frontend`, `backend`, `listen`, named defaults and `from`), and
/// `option nolinger` / `no option nolinger` / `default option nolinger` in them.
enum HAProxyConf {
    struct Section {
        let keyword: String
        let name: String
        let line: Int
        /// For proxies: the named defaults section given with `from`.
        let from: String?
        /// nil: not set here; true: `option nolinger`; false: `no option nolinger` / `default option nolinger`.
        var nolinger: Bool?
        var nolingerLine = 0
        var nolingerColumn = 1
    }

    /// The words of a line with `#` comments removed; quotes group words, backslash escapes a character.
    static func words(_ line: Substring) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character?
        var escaped = false
        var inWord = false
        for ch in line {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { escaped = true; inWord = true; continue }
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
                continue
            }
            if ch == "\"" || ch == "'" { quote = ch; inWord = true; continue }
            if ch == "#" && !inWord { break }
            if ch == " " || ch == "\t" || ch == "\r" {
                if inWord { out.append(current); current = ""; inWord = false }
                continue
            }
            current.append(ch)
            inWord = true
        }
        if inWord { out.append(current) }
        return out
    }

    static func sections(_ text: String) -> [Section] {
        var sections: [Section] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(lingerMaxLines).enumerated() {
            let w = words(raw)
            guard let first = w.first else { continue }
            let line = index + 1
            if LingerInputs.haproxySections.contains(first) {
                var name = w.count > 1 ? w[1] : ""
                var from: String?
                if let f = w.firstIndex(of: "from"), f + 1 < w.count, f >= 1 { from = w[f + 1]; if f == 1 { name = "" } }
                sections.append(Section(keyword: first, name: name, line: line, from: from))
                continue
            }
            guard !sections.isEmpty else { continue }
            var rest = w[...]
            var negated = false
            if rest.first == "no" || rest.first == "default" { negated = true; rest = rest.dropFirst() }
            if rest.count >= 2, rest[rest.startIndex] == "option", rest[rest.startIndex + 1] == "nolinger" {
                sections[sections.count - 1].nolinger = !negated
                sections[sections.count - 1].nolingerLine = line
                sections[sections.count - 1].nolingerColumn = indentColumn(raw)
            }
        }
        return sections
    }

    static func scan(_ text: String, path: String) -> LingerScanner.Result {
        let all = sections(text)
        var result = LingerScanner.Result()
        let proxies: Set<String> = ["frontend", "backend", "listen"]
        for (i, s) in all.enumerated() where s.nolinger == true {
            let location = SourceLocation(path: path, line: s.nolingerLine, column: s.nolingerColumn)
            if proxies.contains(s.keyword) {
                result.uses.append(LingerUse(kind: .abortive, format: "HAProxy", location: location, directive: "option nolinger",
                                             scope: "\(s.keyword) \(s.name)".trimmingCharacters(in: .whitespaces)))
            } else if s.keyword == "defaults" {
                // Proxies that take their defaults from this section and do not override the option.
                var inheriting: [String] = []
                var following = 0
                for p in all[(i + 1)...] {
                    if p.keyword == "defaults" && p.name.isEmpty && s.name.isEmpty { break }
                    guard proxies.contains(p.keyword) else { continue }
                    let usesThis = p.from.map { $0 == s.name && !s.name.isEmpty } ?? true
                    guard usesThis else { continue }
                    following += 1
                    if p.nolinger == nil { inheriting.append("\(p.keyword) \(p.name)".trimmingCharacters(in: .whitespaces)) }
                }
                if following > 0 && inheriting.isEmpty { continue }
                let note = inheriting.isEmpty ? "no proxy section follows it in this file"
                    : "inherited by " + inheriting.prefix(5).joined(separator: ", ") + (inheriting.count > 5 ? " and \(inheriting.count - 5) more" : "")
                result.uses.append(LingerUse(kind: .abortive, format: "HAProxy", location: location, directive: "option nolinger",
                                             scope: s.name.isEmpty ? "defaults" : "defaults \(s.name)", note: note))
            }
        }
        return result
    }
}

// MARK: nginx

/// nginx.conf: a bounded tokenizer (words, quoted strings, `;`, `{`, `}`, `#` comments) and the block tree.
enum NginxConf {
    static let maxDepth = 64

    /// Directives whose presence marks a file as nginx configuration.
    static let knownDirectives: Set<String> = [
        "worker_processes", "worker_connections", "listen", "server_name", "root", "index", "proxy_pass", "include",
        "error_log", "access_log", "sendfile", "keepalive_timeout", "client_max_body_size", "reset_timedout_connection",
        "lingering_close", "lingering_time", "lingering_timeout", "return", "rewrite", "try_files", "fastcgi_pass",
        "proxy_set_header", "add_header", "gzip", "ssl_certificate", "ssl_certificate_key", "upstream", "pid", "user",
        "worker_rlimit_nofile", "tcp_nopush", "tcp_nodelay", "client_body_timeout", "send_timeout", "default_type",
    ]

    struct Directive {
        let name: String
        let args: [String]
        let line: Int
        var column = 1
    }

    final class Block {
        let name: String
        let line: Int
        var directives: [Directive] = []
        var children: [Block] = []
        weak var parent: Block?
        init(name: String, line: Int, parent: Block?) { self.name = name; self.line = line; self.parent = parent }

        var path: String {
            var names: [String] = []
            var b: Block? = self
            while let x = b, x.parent != nil { names.append(x.name); b = x.parent }
            return names.reversed().joined(separator: " > ")
        }

        func own(_ name: String) -> Directive? { directives.last { $0.name == name } }

        /// The innermost setting of a directive, here or in an enclosing block.
        func effective(_ name: String) -> Directive? {
            var b: Block? = self
            while let x = b { if let d = x.own(name) { return d }; b = x.parent }
            return nil
        }

        /// Whether this block or a block inside it sets the directive.
        func setsBelow(_ name: String, where match: (Directive) -> Bool) -> Bool {
            children.contains { c in c.directives.contains { $0.name == name && match($0) } || c.setsBelow(name, where: match) }
        }
    }

    static func parse(_ text: String) -> Block {
        let root = Block(name: "main", line: 1, parent: nil)
        var current = root
        var depth = 0
        var words: [(text: String, line: Int, column: Int)] = []
        let b = Array(text.utf8)
        var i = 0, line = 1, lineStart = 0
        var word: [UInt8] = []
        var wordLine = 1, wordColumn = 1
        var inWord = false
        func endWord() { if inWord { words.append((String(decoding: word, as: UTF8.self), wordLine, wordColumn)); word = []; inWord = false } }
        func startWord() { inWord = true; wordLine = line; wordColumn = i - lineStart + 1 }
        while i < b.count && line <= lingerMaxLines {
            let c = b[i]
            if c == 0x0A { endWord(); line += 1; i += 1; lineStart = i; continue }
            if c == 0x20 || c == 0x09 || c == 0x0D { endWord(); i += 1; continue }
            if c == UInt8(ascii: "#") && !inWord { while i < b.count && b[i] != 0x0A { i += 1 }; continue }
            if (c == 0x22 || c == 0x27) && !inWord {
                let q = c
                startWord()
                i += 1
                while i < b.count && b[i] != q {
                    if b[i] == 0x5C && i + 1 < b.count { i += 1 }
                    if b[i] == 0x0A { line += 1; lineStart = i + 1 }
                    word.append(b[i]); i += 1
                }
                i += 1
                endWord()
                continue
            }
            if c == UInt8(ascii: ";") || c == UInt8(ascii: "{") || c == UInt8(ascii: "}") {
                endWord()
                if c == UInt8(ascii: ";"), let first = words.first {
                    current.directives.append(Directive(name: first.text, args: words.dropFirst().map(\.text), line: first.line, column: first.column))
                } else if c == UInt8(ascii: "{") {
                    let name = words.map(\.text).joined(separator: " ")
                    if depth < maxDepth {
                        let child = Block(name: name.isEmpty ? "{}" : name, line: words.first?.line ?? line, parent: current)
                        current.children.append(child)
                        current = child
                    }
                    depth += 1
                } else if c == UInt8(ascii: "}") {
                    if depth > 0 {
                        if depth <= maxDepth, let p = current.parent { current = p }
                        depth -= 1
                    }
                }
                words = []
                i += 1
                continue
            }
            if !inWord { startWord() }
            word.append(c)
            i += 1
        }
        return root
    }

    static func scan(_ text: String, path: String) -> LingerScanner.Result {
        var result = LingerScanner.Result()
        func visit(_ block: Block) {
            let scope = block.parent == nil ? "main" : block.path
            for d in block.directives {
                let location = SourceLocation(path: path, line: d.line, column: d.column)
                let value = d.args.first?.lowercased() ?? ""
                switch d.name {
                case "reset_timedout_connection" where value == "on":
                    result.uses.append(LingerUse(kind: .resetOnTimeout, format: "nginx", location: location, directive: "reset_timedout_connection on", scope: scope))
                case "lingering_close" where value == "off":
                    result.uses.append(LingerUse(kind: .lingeringCloseOff, format: "nginx", location: location, directive: "lingering_close off", scope: scope))
                case "lingering_time", "lingering_timeout":
                    // Dead when lingering_close is off here and no block inside turns it back on.
                    if let lc = block.effective("lingering_close"), lc.args.first?.lowercased() == "off",
                       !block.setsBelow("lingering_close", where: { $0.args.first?.lowercased() != "off" }) {
                        result.uses.append(LingerUse(kind: .lingeringIgnored, format: "nginx", location: location,
                                                     directive: ([d.name] + d.args).joined(separator: " "), scope: scope,
                                                     note: "lingering_close off at line \(lc.line)"))
                    }
                default:
                    break
                }
            }
            block.children.forEach(visit)
        }
        visit(parse(text))
        return result
    }
}

// MARK: Envoy and ConfigMaps (YAML/JSON)

enum YAMLConfigs {
    static let maxNodes = 1_000_000

    /// Linux SOL_SOCKET and SO_LINGER (include/uapi/asm-generic/socket.h; MIPS, SPARC, PA-RISC and Alpha differ).
    static let solSocket = 1
    static let soLinger = 13

    /// `nested`: text taken from a ConfigMap value; its own ConfigMaps are not opened again (bounded recursion).
    static func scan(_ text: String, path: String, nested: Bool = false) -> LingerScanner.Result {
        var result = LingerScanner.Result()
        // The manifest reader's own bounds: size, and flow nesting checked before the recursive parser sees it.
        guard text.utf8.count <= Manifest.maxBytes else { return result }
        if let (_, depth) = Manifest.deepestFlowNesting(text), depth > Manifest.maxNesting { return result }
        guard let documents = try? Yams.compose_all(yaml: text) else { return result }
        var budget = maxNodes
        var iterator = documents.makeIterator()
        while let document = iterator.next(), budget > 0 {
            walk(document, path: path, trail: [], budget: &budget, into: &result.uses)
            if !nested { configMap(document, text: text, path: path, into: &result) }
        }
        return result
    }

    /// Every `socket_options` list (Envoy listeners, clusters, bind configs; Istio EnvoyFilter patches).
    static func walk(_ node: Node, path: String, trail: [String], budget: inout Int, into uses: inout [LingerUse]) {
        budget -= 1
        guard budget > 0, trail.count < 128 else { return }
        switch node {
        case .mapping(let m):
            for (k, v) in m {
                let key = k.string ?? ""
                if key == "socket_options" || key == "socketOptions", let items = v.sequence {
                    for item in items { if let u = envoyOption(item, path: path, trail: trail) { uses.append(u) } }
                } else {
                    walk(v, path: path, trail: trail + [key], budget: &budget, into: &uses)
                }
            }
        case .sequence(let s):
            for (i, item) in s.enumerated() { walk(item, path: path, trail: trail + ["[\(i)]"], budget: &budget, into: &uses) }
        default:
            break
        }
    }

    static func int(_ node: Node?) -> Int? {
        guard let s = node?.string else { return nil }
        return Int(s.trimmingCharacters(in: .whitespaces))
    }

    /// Protobuf JSON bytes: standard or URL-safe base64, padded or not.
    static func base64(_ text: String) -> Data? {
        var t = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if t.count % 4 != 0 { t += String(repeating: "=", count: 4 - t.count % 4) }
        return Data(base64Encoded: t)
    }

    /// One Envoy SocketOption: {level: 1, name: 13, buf_value: base64 of struct linger} or an int_value.
    static func envoyOption(_ node: Node, path: String, trail: [String]) -> LingerUse? {
        guard let m = node.mapping, int(m["level"]) == solSocket, int(m["name"]) == soLinger else { return nil }
        let line = node.mark?.line ?? 1
        let location = SourceLocation(path: path, line: line, column: node.mark?.column ?? 1, object: trail.joined(separator: "."))
        let scope = trail.prefix(6).joined(separator: ".")
        if let intValue = m["int_value"] ?? m["intValue"] {
            return LingerUse(kind: .invalid, format: "Envoy", location: location, directive: "socket option level 1 name 13 int_value \(intValue.string ?? "")",
                             scope: scope, note: "an int_value passes 4 bytes, and the kernel refuses SO_LINGER values shorter than struct linger (8 bytes)")
        }
        guard let b64 = (m["buf_value"] ?? m["bufValue"])?.string else { return nil }
        guard let data = base64(b64) else {
            return LingerUse(kind: .invalid, format: "Envoy", location: location, directive: "socket option level 1 name 13 buf_value \(b64)", scope: scope, note: "buf_value is not valid base64")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else {
            return LingerUse(kind: .invalid, format: "Envoy", location: location, directive: "socket option level 1 name 13 buf_value \(b64)", scope: scope,
                             note: "buf_value holds \(bytes.count) bytes, and the kernel refuses SO_LINGER values shorter than struct linger (8 bytes)")
        }
        func int32(_ o: Int) -> Int { Int(Int32(bitPattern: UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24)) }
        let onoff = int32(0), secs = int32(4)
        let directive = "socket option SO_LINGER {l_onoff \(onoff), l_linger \(secs)} (buf_value \(b64))"
        if onoff == 0 { return nil }
        if secs == 0 { return LingerUse(kind: .abortive, format: "Envoy", location: location, directive: directive, scope: scope) }
        return LingerUse(kind: .blocking, format: "Envoy", location: location, directive: directive, scope: scope, seconds: secs > 0 ? secs : nil,
                         note: secs < 0 ? "a negative l_linger" : "")
    }

    /// A ConfigMap's data values: each one scanned as the file its key names (haproxy.cfg, nginx.conf, envoy.yaml),
    /// with the inline directives written inside it.
    static func configMap(_ node: Node, text: String, path: String, into result: inout LingerScanner.Result) {
        guard let m = node.mapping, m["kind"]?.string == "ConfigMap", let data = m["data"]?.mapping else { return }
        let name = m["metadata"]?.mapping?["name"]?.string ?? "unnamed"
        var lines: [Substring]?
        for (k, v) in data {
            guard let key = k.string, let value = v.scalar else { continue }
            // A block scalar's content starts on the line after its key; other styles are reported at the key.
            let keyLine = k.mark?.line ?? 1
            let block = value.style == .literal || value.style == .folded
            let offset = block ? (v.mark?.line ?? keyLine) : nil
            // Its columns move by the block's indentation: that of its first line with content.
            var indent = 0
            if let o = offset {
                if lines == nil { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }
                if let first = lines?.dropFirst(o).prefix(1024).first(where: { !$0.allSatisfy { $0 == " " || $0 == "\r" } }) {
                    indent = indentColumn(first) - 1
                }
            }
            let found = LingerScanner.scanEmbedded(key: key, text: value.string, path: path, lineOffset: offset, columnOffset: indent,
                                                   keyLine: keyLine, object: "ConfigMap/\(name) data.\(key)")
            result.uses += found.uses
            result.directives += found.directives
            result.problems += found.problems
        }
    }
}

// MARK: Tomcat and Jetty

enum ServerXML {
    /// Where a start tag, or one of its attributes, is: libxml2 numbers an element by the line its start tag ends on,
    /// so a `<Connector` written over several lines is searched backwards from there (at most 256 lines).
    static func startTag(_ lines: [Substring], path: String, element: String, endLine: Int, attribute: String? = nil) -> SourceLocation {
        var attributeAt: SourceLocation?
        var l = min(endLine, lines.count)
        while l >= 1 && endLine - l < 256 {
            let text = lines[l - 1]
            if attributeAt == nil, let a = attribute, let r = attributeRange(a, in: text) {
                attributeAt = SourceLocation(path: path, line: l, column: text[..<r.lowerBound].utf8.count + 1)
            }
            if let r = text.range(of: "<" + element) {
                return attributeAt ?? SourceLocation(path: path, line: l, column: text[..<r.lowerBound].utf8.count + 1)
            }
            l -= 1
        }
        return attributeAt ?? SourceLocation(path: path, line: endLine)
    }

    /// `name` written as an attribute: after a blank and followed (after blanks) by `=`.
    static func attributeRange(_ name: String, in text: Substring) -> Range<Substring.Index>? {
        var from = text.startIndex
        while let r = text.range(of: name, range: from..<text.endIndex) {
            let before = r.lowerBound > text.startIndex ? text[text.index(before: r.lowerBound)] : " "
            let after = text[r.upperBound...].drop { $0 == " " || $0 == "\t" }.first
            if (before == " " || before == "\t") && after == "=" { return r }
            from = r.upperBound
        }
        return nil
    }

    /// XML with any DOCTYPE blanked (Jetty's files carry one; twlint never reads DTDs), lines kept.
    static func withoutDoctype(_ text: String) -> String? {
        guard let start = text.range(of: "<!DOCTYPE") else { return text }
        guard let end = text[start.upperBound...].firstIndex(of: ">") else { return nil }
        let decl = text[start.lowerBound...end]
        if decl.contains("[") { return nil } // an internal subset: refused
        let blank = String(decl.map { $0 == "\n" ? "\n" : " " })
        return text.replacingCharacters(in: start.lowerBound...end, with: blank)
    }

    static func parse(_ text: String, path: String) -> XMLElement? {
        guard text.utf8.count <= 16 * 1024 * 1024, let clean = withoutDoctype(text) else { return nil }
        guard let (root, doc) = try? SafeXML.parse(clean, path: path) else { return nil }
        xmlFreeDoc(doc)
        return root
    }

    static func all(_ e: XMLElement, depth: Int = 0, _ body: (XMLElement) -> Void) {
        guard depth < 256 else { return }
        body(e)
        e.children.forEach { all($0, depth: depth + 1, body) }
    }

    static func seconds(_ value: String, format: String, location: SourceLocation, directive: String, scope: String) -> LingerUse? {
        guard let n = Int(value.trimmingCharacters(in: .whitespaces)) else {
            if value.contains("${") {
                return LingerUse(kind: .blocking, format: format, location: location, directive: directive, scope: scope, note: "the value is a property reference")
            }
            return nil
        }
        if n < 0 { return nil }
        if format == "Jetty" { return SourceScanner.jetty(n, format: format, location: location, directive: directive, scope: scope) }
        if n == 0 { return LingerUse(kind: .abortive, format: format, location: location, directive: directive, scope: scope) }
        return LingerUse(kind: .blocking, format: format, location: location, directive: directive, scope: scope, seconds: n)
    }

    /// server.xml: `<Connector connectionLinger="N">`; -1 (the default) leaves SO_LINGER off. Without it,
    /// `socket.soLingerOn="true"` with `socket.soLingerTime="N"` (both needed) sets the same option.
    static func scanTomcat(_ text: String, path: String) -> LingerScanner.Result {
        var result = LingerScanner.Result()
        guard let root = parse(text, path: path) else { return result }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        all(root) { e in
            guard e.name == "Connector" else { return }
            let scope = "Connector" + (e["port"].map { " port \($0)" } ?? "")
            let attribute = e["connectionLinger"] != nil ? "connectionLinger" : "socket.soLingerOn"
            let location = startTag(lines, path: path, element: "Connector", endLine: e.line, attribute: attribute)
            if let v = e["connectionLinger"] {
                if let u = seconds(v, format: "Tomcat", location: location, directive: "connectionLinger=\"\(v)\"", scope: scope) { result.uses.append(u) }
            } else if let on = e["socket.soLingerOn"], let time = e["socket.soLingerTime"] {
                // SocketProperties.setProperties() calls setSoLinger(on, time) only when both are set;
                // connectionLinger, when present, overrides both.
                let directive = "socket.soLingerOn=\"\(on)\" socket.soLingerTime=\"\(time)\""
                guard on.trimmingCharacters(in: .whitespaces).lowercased() == "true" else { return }
                if let u = seconds(time, format: "Tomcat", location: location, directive: directive, scope: scope) { result.uses.append(u) }
            }
        }
        return result
    }

    /// Jetty XML: `<Set name="soLingerTime">N</Set>` (or a `<Property … default="N"/>` inside it).
    static func scanJetty(_ text: String, path: String) -> LingerScanner.Result {
        var result = LingerScanner.Result()
        guard let root = parse(text, path: path) else { return result }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        all(root) { e in
            guard e.name == "Set", e["name"] == "soLingerTime" else { return }
            var value = e.rawText.trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty, let p = e.children.first(where: { $0.name == "Property" || $0.name == "SystemProperty" }) {
                value = p["default"] ?? p["deprecated"].map { "${\($0)}" } ?? "${\(p["name"] ?? "")}"
            }
            if let u = seconds(value, format: "Jetty", location: startTag(lines, path: path, element: "Set", endLine: e.line), directive: "<Set name=\"soLingerTime\">\(value)</Set>", scope: "") {
                result.uses.append(u)
            }
        }
        return result
    }

    /// Jetty start.ini / start.d/*.ini: `jetty.http.soLingerTime=N` (and the other connectors' properties).
    static func scanJettyProperties(_ text: String, path: String) -> LingerScanner.Result {
        var result = LingerScanner.Result()
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(lingerMaxLines).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard key.hasSuffix("soLingerTime") else { continue }
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if let u = seconds(value, format: "Jetty", location: SourceLocation(path: path, line: index + 1, column: indentColumn(raw)), directive: "\(key)=\(value)", scope: "") {
                result.uses.append(u)
            }
        }
        return result
    }
}
