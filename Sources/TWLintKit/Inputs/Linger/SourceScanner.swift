import Foundation

/// Finds the calls that set SO_LINGER in source code, on tokens (comments and strings never match),
/// and decides what each one does from its literal arguments.
struct SourceScanner {
    let language: SourceLanguage

    /// What a linger setting does, from the values twlint could read.
    enum Verdict: Equatable {
        case off
        case abortive
        case blocking(Int)
        /// On (or maybe on) with a timeout twlint cannot read: why, for the message.
        case unknown(String)
        /// A zero linger that needs a word of explanation (a truncated duration, a library's mapping).
        case abortiveBecause(String)
        /// Jetty 9's ServerConnector passes soLingerTime / 1000 to setSoLinger (milliseconds).
        case jettyMilliseconds(Int)
    }

    /// SO_LINGER semantics shared by all the APIs: on/off and seconds, each literal or not.
    static func verdict(onoff: Literal?, seconds: Literal?, negativeMeansOff: Bool) -> Verdict {
        guard let onoff else {
            if let s = seconds?.intValue, s < 0, negativeMeansOff { return .off }
            return .unknown("whether linger is enabled is not a literal")
        }
        if onoff.intValue == 0 { return .off }
        guard let s = seconds?.intValue else { return .unknown("the timeout is not a literal") }
        if s == 0 { return .abortive }
        if s < 0 { return negativeMeansOff ? .off : .unknown("the timeout is negative") }
        return .blocking(s)
    }

    func scan(_ text: String, path: String) -> [LingerUse] {
        let tokens = SourceLexer(language: language).tokens(text)
        let stream = TokenStream(t: tokens)
        var uses: [LingerUse] = []
        func add(_ verdict: Verdict, at tok: SourceToken, _ directive: String) {
            let location = SourceLocation(path: path, line: tok.line, column: tok.column)
            switch verdict {
            case .off: return
            case .abortive:
                uses.append(LingerUse(kind: .abortive, format: language.displayName, location: location, directive: directive))
            case .blocking(let s):
                uses.append(LingerUse(kind: .blocking, format: language.displayName, location: location, directive: directive, seconds: s))
            case .unknown(let why):
                uses.append(LingerUse(kind: .blocking, format: language.displayName, location: location, directive: directive, note: why))
            case .abortiveBecause(let why):
                uses.append(LingerUse(kind: .abortive, format: language.displayName, location: location, directive: directive, note: why))
            case .jettyMilliseconds(let ms):
                uses.append(SourceScanner.jetty(ms, format: language.displayName, location: location, directive: directive, scope: ""))
            }
        }
        switch language {
        case .c: scanC(stream, add)
        case .go: scanGo(stream, add)
        case .java, .kotlin: scanJava(stream, add)
        case .python: scanPython(stream, add)
        case .rust: scanRust(stream, add)
        case .javascript: scanNode(stream, add)
        case .csharp: scanDotNet(stream, add)
        }
        return uses
    }

    typealias Add = (Verdict, SourceToken, String) -> Void

    static let maxCallsPerName = 1000

    /// Words that may stand right before a call (so the call is not a declaration).
    static let keywordsBeforeCalls: Set<String> = ["return", "await", "throw", "else", "yield", "case", "in", "do", "not", "and", "or", "go", "defer", "try"]

    /// Indices of `name (` calls; with `method`, only `.name(` (a method call).
    func calls(_ s: TokenStream, _ name: String, method: Bool = false) -> [Int] {
        let t = s.t
        var found: [Int] = []
        var i = 0
        // At most this many candidate calls per name and file: a real file has a handful.
        while i + 1 < t.count && found.count < SourceScanner.maxCallsPerName {
            if t[i].kind == .identifier && t[i].text == name && t[i + 1].isPunct("(") {
                let previous = i > 0 ? t[i - 1] : nil
                // `void setSoLinger(boolean on, int s)`, `def setsockopt(…)`, `fun …`: a declaration, not a call.
                let declaration = previous.map { $0.kind == .identifier && !SourceScanner.keywordsBeforeCalls.contains($0.text) } ?? false
                if declaration { i += 1; continue }
                if !method || (previous.map { $0.isPunct(".") || $0.isPunct("?") } ?? false) { found.append(i) }
            }
            i += 1
        }
        return found
    }

    // MARK: C and C++

    /// `setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg)` with the struct's fields assigned in the same function.
    func scanC(_ s: TokenStream, _ add: Add) {
        let t = s.t
        // The function body that encloses each token: the innermost `{` that follows a parameter list `)`
        // (with qualifiers such as const/noexcept/override in between); else the outermost block.
        var bodyStart = [Int](repeating: -1, count: t.count)
        // Each open block with the innermost function body that encloses it (O(1) per token).
        var stack: [(index: Int, function: Int)] = []
        var overflow = 0
        for (k, tok) in t.enumerated() {
            if tok.isPunct("{") {
                var p = k - 1
                while p >= 0 && k - p <= 4 && t[p].kind == .identifier && ["const", "noexcept", "override", "final", "volatile", "mutable", "throw"].contains(t[p].text) { p -= 1 }
                let isFunction = p >= 0 && t[p].isPunct(")")
                if stack.count < 4096 { stack.append((k, isFunction ? k : (stack.last?.function ?? -1))) } else { overflow += 1 }
            }
            if tok.isPunct("}") { if overflow > 0 { overflow -= 1 } else if !stack.isEmpty { stack.removeLast() } }
            if let top = stack.last { bodyStart[k] = top.function >= 0 ? top.function : stack[0].index }
        }
        for i in calls(s, "setsockopt") {
            guard let (args, close) = s.arguments(at: i + 1), args.count >= 4,
                  args[1].containsIdentifier("SOL_SOCKET"), args[2].containsIdentifier("SO_LINGER") else { continue }
            let value = args[3]
            let directive = "setsockopt(" + args.prefix(4).map(\.compactText).joined(separator: ", ") + (args.count > 4 ? ", …)" : ")")
            var onoff: Literal?, seconds: Literal?
            var onoffSeen = false
            if let brace = value.firstIndex(where: { $0.isPunct("{") }) {
                // A compound literal: &(struct linger){1, 0}.
                let fields = braceFields(s, brace)
                onoff = fields.onoff; seconds = fields.linger; onoffSeen = fields.onoffSeen
            } else if let variable = value.lastIdentifier, !["sizeof", "linger"].contains(variable) {
                // Bounded look-back: a function body, at most 2000 tokens before the call.
                let start = max(bodyStart[i], i - 2000, 0)
                (onoff, seconds, onoffSeen) = cStructValues(s, variable: variable, from: start, to: i)
            }
            _ = close
            // Without any sight of l_onoff the struct comes from elsewhere: say nothing rather than guess.
            guard onoffSeen else { continue }
            add(SourceScanner.verdict(onoff: onoff, seconds: seconds, negativeMeansOff: false), t[i], directive)
        }
    }

    /// The last values written to `variable.l_onoff` / `.l_linger` between `from` and `to`: assignments,
    /// initialisers (`struct linger v = {1, 0}`, designated or positional) and memset/bzero.
    func cStructValues(_ s: TokenStream, variable: String, from: Int, to: Int) -> (Literal?, Literal?, Bool) {
        let t = s.t
        var onoff: Literal?, linger: Literal?, seen = false
        var k = from
        while k < to {
            let tok = t[k]
            // v.l_onoff = …;  v->l_linger = …;
            if tok.isIdent(variable), k + 4 < to, t[k + 1].isPunct(".") || t[k + 1].isPunct("->"),
               t[k + 2].kind == .identifier, t[k + 3].isPunct("=") {
                let field = t[k + 2].text
                var e = k + 4
                while e < to && !t[e].isPunct(";") && e - k < 64 { e += 1 }
                let value = Literal.read(t[(k + 4)..<e])
                if field == "l_onoff" { onoff = value; seen = true }
                if field == "l_linger" { linger = value }
                k = e
                continue
            }
            // struct linger v = { … };  linger v{ … };
            if tok.isIdent(variable), k + 1 < to, k >= 1, t[k - 1].kind == .identifier {
                var b = k + 1
                if b < to && t[b].isPunct("=") { b += 1 }
                if b < to && t[b].isPunct("{") {
                    let fields = braceFields(s, b)
                    if fields.onoffSeen { onoff = fields.onoff; linger = fields.linger; seen = true }
                    k = b + 1
                    continue
                }
            }
            // memset(&v, 0, …) / bzero(&v, …): both fields 0 (linger off).
            if (tok.isIdent("memset") || tok.isIdent("bzero")), k + 1 < to, let (args, _) = s.arguments(at: k + 1), let first = args.first,
               first.lastIdentifier == variable {
                if tok.text == "bzero" || (args.count > 1 && Literal.read(args[1])?.intValue == 0) {
                    onoff = .int(0); linger = .int(0); seen = true
                }
            }
            k += 1
        }
        return (onoff, linger, seen)
    }

    /// `{1, 0}` or `{.l_onoff = 1, .l_linger = 0}` at `open`.
    func braceFields(_ s: TokenStream, _ open: Int) -> (onoff: Literal?, linger: Literal?, onoffSeen: Bool) {
        guard let close = s.matching(open, limit: 256) else { return (nil, nil, false) }
        var parts: [ArraySlice<SourceToken>] = []
        var start = open + 1, depth = 0
        for k in (open + 1)..<close {
            let tok = s.t[k]
            if ["(", "[", "{"].contains(tok.text) && tok.kind == .punctuation { depth += 1 }
            if [")", "]", "}"].contains(tok.text) && tok.kind == .punctuation { depth -= 1 }
            if tok.isPunct(",") && depth == 0 { parts.append(s.t[start..<k]); start = k + 1 }
        }
        if start < close { parts.append(s.t[start..<close]) }
        var onoff: Literal?, linger: Literal?, seen = false
        for (index, part) in parts.enumerated() {
            let toks = Array(part)
            if toks.count >= 3, toks[0].isPunct("."), toks[1].kind == .identifier, toks[2].isPunct("=") {
                let v = Literal.read(part.dropFirst(3))
                if toks[1].text == "l_onoff" { onoff = v; seen = true }
                if toks[1].text == "l_linger" { linger = v }
            } else if toks.count >= 2, toks[0].kind == .identifier, toks[1].isPunct(":") {
                // Go/Rust-style keyed fields: Onoff: 1, l_linger: 0.
                let v = Literal.read(part.dropFirst(2))
                if ["l_onoff", "Onoff", "onoff"].contains(toks[0].text) { onoff = v; seen = true }
                if ["l_linger", "Linger", "linger"].contains(toks[0].text) { linger = v }
            } else if index == 0 { onoff = Literal.read(part); seen = true }
            else if index == 1 { linger = Literal.read(part) }
        }
        return (onoff, linger, seen)
    }

    // MARK: Go

    func scanGo(_ s: TokenStream, _ add: Add) {
        let t = s.t
        let imports = t.filter { $0.kind == .string }.map(\.text)
        let importsNet = imports.contains("net")
        // ZeroMQ/nanomsg sockets have their own SetLinger(time.Duration): never a TCP SO_LINGER.
        let messaging = imports.contains { $0.contains("zmq") || $0.contains("zeromq") || $0.contains("nanomsg") || $0.contains("mangos") }
        if importsNet && !messaging {
            for i in calls(s, "SetLinger", method: true) {
                guard let (args, _) = s.arguments(at: i + 1), args.count == 1 else { continue }
                // net.TCPConn.SetLinger(sec): sec < 0 is the default, 0 discards, > 0 lingers.
                add(SourceScanner.secondsOrOff(Literal.read(args[0])), t[i], "SetLinger(\(args[0].compactText))")
            }
        }
        // syscall/unix.SetsockoptLinger(fd, SOL_SOCKET, SO_LINGER, &syscall.Linger{Onoff: 1, Linger: 0})
        for i in calls(s, "SetsockoptLinger") {
            guard let (args, _) = s.arguments(at: i + 1), args.count == 4, args[2].containsIdentifier("SO_LINGER") else { continue }
            var fields: (onoff: Literal?, linger: Literal?, onoffSeen: Bool)?
            if let brace = args[3].firstIndex(where: { $0.isPunct("{") }) {
                fields = goLinger(s, brace)
            } else if let variable = args[3].lastIdentifier {
                // l := syscall.Linger{…} (or var l = …) earlier in the file.
                var k = i - 1
                while k > 2 && i - k < 2000 {
                    if t[k].isPunct("{"), t[k - 1].isIdent("Linger") {
                        var d = k - 2
                        while d > 0 && (t[d].isPunct(".") || t[d].kind == .identifier || t[d].isPunct("&")) && !t[d].isIdent(variable) && k - d < 6 { d -= 1 }
                        if d >= 1, t[d].isPunct(":=") || t[d].isPunct("="), t[d - 1].isIdent(variable) { fields = goLinger(s, k); break }
                    }
                    k -= 1
                }
            }
            guard let f = fields else { continue }
            add(SourceScanner.verdict(onoff: f.onoff, seconds: f.linger, negativeMeansOff: false), t[i], "SetsockoptLinger(…, SO_LINGER, \(args[3].compactText))")
        }
    }

    /// A Go composite literal `Linger{…}`: omitted fields are zero.
    func goLinger(_ s: TokenStream, _ open: Int) -> (onoff: Literal?, linger: Literal?, onoffSeen: Bool) {
        let f = braceFields(s, open)
        let keyed = s.t[(open + 1)..<min(open + 4, s.t.count)].contains { $0.isPunct(":") }
        if keyed {
            let hasOnoff = (open..<min(open + 64, s.t.count)).contains { s.t[$0].isIdent("Onoff") }
            let hasLinger = (open..<min(open + 64, s.t.count)).contains { s.t[$0].isIdent("Linger") && s.t[$0 + 1].isPunct(":") }
            return (hasOnoff ? f.onoff : .int(0), hasLinger ? f.linger : .int(0), true)
        }
        if s.t[open + 1].isPunct("}") { return (.int(0), .int(0), true) }
        return f
    }

    // MARK: Java and Kotlin

    func scanJava(_ s: TokenStream, _ report: @escaping Add) {
        let t = s.t
        // A value twlint cannot read inside the implementation of a linger setter, taken from that setter's own
        // parameters (`super.setSoLinger(on, linger)` in an override, `javaSocket.setSoLinger(true, soLinger)` in a
        // channel config, `setSoLinger((Integer) value)` in a setOption dispatch) is the API, not a setting: the
        // callers decide. A literal value there is still reported, and so is a helper with another name.
        var current: [ArraySlice<SourceToken>] = []
        let add: Add = { verdict, tok, directive in
            if case .unknown = verdict, let i = s.index(of: tok), insideLingerSetter(s, current, at: i) { return }
            report(verdict, tok, directive)
        }
        // Socket.setSoLinger(boolean on, int linger): false turns it off (the value is ignored).
        for i in calls(s, "setSoLinger") {
            guard let (args, _) = s.arguments(at: i + 1) else { continue }
            if args.count == 2 {
                current = args
                let on = Literal.read(args[0]), secs = Literal.read(args[1])
                add(SourceScanner.verdict(onoff: on, seconds: secs, negativeMeansOff: false), t[i], "setSoLinger(\(args[0].compactText), \(args[1].compactText))")
            } else if args.count == 1 {
                current = args
                add(SourceScanner.oneArgumentSoLinger(Literal.read(args[0])), t[i], "setSoLinger(\(args[0].compactText))")
            }
        }
        // Tomcat: AbstractProtocol/AbstractEndpoint.setConnectionLinger(n) sets soLingerOn = n >= 0 and soLingerTime = n
        // (the API behind server.xml's connectionLinger, used from Spring Boot connector customizers).
        for i in calls(s, "setConnectionLinger") {
            guard let (args, _) = s.arguments(at: i + 1), args.count == 1 else { continue }
            current = args
            add(SourceScanner.secondsOrOff(Literal.read(args[0])), t[i], "setConnectionLinger(\(args[0].compactText))")
        }
        // Kotlin property syntax for the one-argument setters: `config.soLinger = 0` (Netty's ChannelConfig,
        // netty-socketio's SocketConfig, Vert.x options), `protocol.connectionLinger = 0` (Tomcat),
        // `connector.soLingerTime = 0` (Jetty 9). Only after a `.`: a declaration `var soLinger = 0` sets nothing.
        // Ktor's socket builders (`aSocket(selector).tcp().connect(host, port) { lingerSeconds = 0 }`) set
        // TCPClientSocketOptions.lingerSeconds, which ktor-network's JavaSocketOptions hands to SO_LINGER when it is
        // ≥ 0 (the default, -1, leaves it alone): read there bare too (the lambda's receiver is the options), but only
        // in files that import io.ktor.network, where the name is Ktor's.
        if language == .kotlin {
            let ktor = (1..<max(1, t.count - 4)).contains { j in
                t[j - 1].isIdent("import") && t[j].isIdent("io") && t[j + 2].isIdent("ktor") && t[j + 4].isIdent("network")
            }
            var k = 1
            while k + 2 < t.count {
                let bareKtor = ktor && t[k].isIdent("lingerSeconds") && !t[k - 1].isIdent("val") && !t[k - 1].isIdent("var")
                    && (t[k - 1].isPunct("{") || t[k - 1].isPunct(";") || t[k - 1].line < t[k].line)
                if t[k - 1].isPunct(".") || bareKtor, t[k].kind == .identifier, t[k + 1].isPunct("="),
                   ["soLinger", "connectionLinger", "soLingerTime"].contains(t[k].text) || (ktor && t[k].text == "lingerSeconds") {
                    var e = k + 2
                    while e < t.count && t[e].line == t[k + 1].line && !t[e].isPunct(";") && !t[e].isPunct("}") && e - k < 32 { e += 1 }
                    let value = t[(k + 2)..<e]
                    let literal = Literal.read(value)
                    let directive = "\(t[k].text) = \(value.compactText)"
                    current = [value]
                    switch t[k].text {
                    case "soLinger": add(SourceScanner.oneArgumentSoLinger(literal), t[k], directive)
                    case "connectionLinger", "lingerSeconds": add(SourceScanner.secondsOrOff(literal), t[k], directive)
                    default: add(SourceScanner.jettyOrOff(literal), t[k], directive)
                    }
                }
                k += 1
            }
        }
        // NIO setOption(StandardSocketOptions.SO_LINGER, n) and Netty option/childOption(ChannelOption.SO_LINGER, n):
        // a negative value disables linger.
        for name in ["setOption", "option", "childOption"] {
            for i in calls(s, name) {
                guard let (args, _) = s.arguments(at: i + 1), args.count == 2, args[0].lastIdentifier == "SO_LINGER" else { continue }
                current = [args[1]]
                add(SourceScanner.secondsOrOff(Literal.read(args[1])), t[i], "\(name)(\(args[0].compactText), \(args[1].compactText))")
            }
        }
        // Jetty 9 connectors: setSoLingerTime(n), -1 (the default) disables it. Tomcat's SocketProperties has a
        // method of the same name that only stores the seconds (setSoLingerOn decides): not read as Jetty's.
        let tomcat = t.contains { $0.kind == .identifier && $0.text == "tomcat" }
        for i in calls(s, "setSoLingerTime") {
            guard let (args, _) = s.arguments(at: i + 1), args.count == 1 else { continue }
            let receiver = t[max(0, i - 6)..<i].map(\.text).joined()
            if tomcat || receiver.contains("ocketProperties") { continue }
            current = args
            add(SourceScanner.jettyOrOff(Literal.read(args[0])), t[i], "setSoLingerTime(\(args[0].compactText))")
        }
    }

    /// A timeout in seconds where a negative value leaves SO_LINGER off (NIO, Netty, Tomcat, Go).
    static func secondsOrOff(_ value: Literal?) -> Verdict {
        value.map { v in
            let n = v.intValue ?? 0
            return n < 0 ? .off : n == 0 ? .abortive : .blocking(n)
        } ?? .unknown("the timeout is not a literal")
    }

    /// Jetty 9's soLingerTime in milliseconds; a negative value (the default, -1) leaves SO_LINGER off.
    static func jettyOrOff(_ value: Literal?) -> Verdict {
        value.map { v in (v.intValue ?? 0) < 0 ? .off : .jettyMilliseconds(v.intValue ?? 0) } ?? .unknown("the timeout is not a literal")
    }

    /// A one-argument setSoLinger(seconds) of an options object (Vert.x, Netty's ChannelConfig, netty-socketio,
    /// Apache HttpClient 4 SocketConfig): a negative value (their default, -1) leaves SO_LINGER off.
    static func oneArgumentSoLinger(_ value: Literal?) -> Verdict {
        if case .abortive = secondsOrOff(value) {
            return .abortiveBecause("a one-argument setSoLinger(0): Netty's channel config (and Vert.x and netty-socketio, which hand it to Netty) and Apache HttpClient 4.3+ turn it into Socket.setSoLinger(true, 0)")
        }
        return secondsOrOff(value)
    }

    /// Whether token `call` sits in the body of a linger setter (the nearest enclosing `name(…) {` declaration within
    /// 400 tokens is named like `setSoLinger`, `setLinger`, `setConnectionLinger`, or is a `setOption` dispatch) and
    /// one of `args` mentions one of that declaration's parameters.
    func insideLingerSetter(_ s: TokenStream, _ args: [ArraySlice<SourceToken>], at call: Int) -> Bool {
        let t = s.t
        var depth = 0, enclosing = 0
        var k = call - 1
        // At most 400 tokens back and 16 enclosing blocks (if/else/try/lambda) between the call and its method.
        while k > 0 && call - k < 400 && enclosing < 16 {
            if t[k].isPunct("}") { depth += 1 }
            if t[k].isPunct("{") {
                if depth == 0 { enclosing += 1 }
                if depth == 0, let header = declaration(s, bodyOpen: k) {
                    guard header.name.lowercased().contains("linger") || header.name == "setOption" else { return false }
                    let parameters = Set(header.parameters.filter { $0.kind == .identifier }.map(\.text))
                    return args.contains { a in a.contains { $0.kind == .identifier && parameters.contains($0.text) } }
                }
                depth = max(0, depth - 1)
            }
            k -= 1
        }
        return false
    }

    /// The name and parameter tokens of a declaration whose body opens at `bodyOpen`: `fun f(a: Int) {`, `void f(int a) … {`.
    func declaration(_ s: TokenStream, bodyOpen: Int) -> (name: String, parameters: ArraySlice<SourceToken>)? {
        let t = s.t
        var p = bodyOpen - 1
        // Skip a Java throws clause or a Kotlin return type: `) throws IOException {`, `): Unit {`.
        while p > 0 && bodyOpen - p < 16 && !t[p].isPunct(")") { p -= 1 }
        guard p > 0, t[p].isPunct(")") else { return nil }
        var depth = 0, open = p
        // A parameter list is short: give up past 512 tokens (bounded work on hostile input).
        while open > 0 && p - open < 512 {
            if t[open].isPunct(")") { depth += 1 }
            if t[open].isPunct("(") { depth -= 1; if depth == 0 { break } }
            open -= 1
        }
        guard open >= 2, t[open - 1].kind == .identifier, t[open - 2].kind == .identifier,
              !SourceScanner.keywordsBeforeCalls.contains(t[open - 2].text) || t[open - 2].text == "fun" else { return nil }
        return (t[open - 1].text, t[(open + 1)..<p])
    }

    /// Jetty 9's ServerConnector.configure() calls setSoLinger(true, soLingerTime / 1000) when the value is 0 or more.
    static func jetty(_ ms: Int, format: String, location: SourceLocation, directive: String, scope: String) -> LingerUse {
        let note = "Jetty 9's ServerConnector passes soLingerTime / 1000 to setSoLinger"
        if ms == 0 { return LingerUse(kind: .abortive, format: format, location: location, directive: directive, scope: scope) }
        if ms < 1000 {
            return LingerUse(kind: .abortive, format: format, location: location, directive: directive, scope: scope,
                             note: note + ", so \(ms) becomes a zero linger")
        }
        return LingerUse(kind: .blocking, format: format, location: location, directive: directive, scope: scope, seconds: ms / 1000,
                         note: note + " (milliseconds)")
    }

    // MARK: Python

    func scanPython(_ s: TokenStream, _ add: Add) {
        let t = s.t
        for i in calls(s, "setsockopt") {
            guard let (args, _) = s.arguments(at: i + 1), args.count == 3,
                  args[0].containsIdentifier("SOL_SOCKET"), args[1].containsIdentifier("SO_LINGER") else { continue }
            guard let (onoff, secs) = pythonLinger(s, args[2], before: i, depth: 0) else { continue }
            add(SourceScanner.verdict(onoff: onoff, seconds: secs, negativeMeansOff: false), t[i],
                "setsockopt(\(args[0].compactText), \(args[1].compactText), \(args[2].compactText))")
        }
    }

    /// The (l_onoff, l_linger) a Python value packs: struct.pack(fmt, a, b), an 8-byte literal, or a name bound to one.
    func pythonLinger(_ s: TokenStream, _ value: ArraySlice<SourceToken>, before: Int, depth: Int) -> (Literal?, Literal?)? {
        let toks = Array(value)
        if let p = toks.firstIndex(where: { $0.isIdent("pack") }), p + 1 < toks.count, toks[p + 1].isPunct("("),
           let open = value.firstIndex(where: { $0.isIdent("pack") }).map({ $0 + 1 }), let (args, _) = s.arguments(at: open), args.count == 3 {
            // Only a format of two 4-byte integers lays the values out as struct linger; `'dd'` or native `'ll'`
            // pack something else (twlint says nothing rather than guess what the kernel reads).
            if let format = args[0].first, args[0].count == 1, format.kind == .string, !SourceScanner.pythonLingerFormat(format.text) { return nil }
            return (resolve(s, args[1], before: before), resolve(s, args[2], before: before))
        }
        if toks.count == 1, toks[0].kind == .string {
            let bytes = SourceScanner.decodeEscapedBytes(toks[0].text)
            guard bytes.count == 8 else { return nil }
            func int32(_ o: Int) -> Int { Int(Int32(bitPattern: UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24)) }
            return (.int(int32(0)), .int(int32(4)))
        }
        if toks.count == 1, toks[0].kind == .identifier, depth < 2, let assigned = lastAssignment(s, toks[0].text, before: before) {
            return pythonLinger(s, assigned.value, before: assigned.index, depth: depth + 1)
        }
        return nil
    }

    /// A struct format of two 4-byte integers: `ii`, `II`, `@ii`, `=ii`, `<ii`; with a standard-size prefix also `ll`/`LL`.
    static func pythonLingerFormat(_ format: String) -> Bool {
        var f = Substring(format.trimmingCharacters(in: .whitespaces))
        var standard = false
        if let first = f.first, "@=<>!".contains(first) { standard = first != "@"; f = f.dropFirst() }
        let ints: Set<Character> = standard ? ["i", "I", "l", "L"] : ["i", "I"]
        return f == "2i" || f == "2I" || (f.count == 2 && f.allSatisfy { ints.contains($0) })
    }

    /// A literal, or a name whose last plain assignment before `before` is a literal.
    func resolve(_ s: TokenStream, _ value: ArraySlice<SourceToken>, before: Int) -> Literal? {
        if let v = Literal.read(value) { return v }
        if value.count == 1, value.first!.kind == .identifier, let a = lastAssignment(s, value.first!.text, before: before) {
            return Literal.read(a.value)
        }
        return nil
    }

    /// `name = <expression>` (to the end of its line) before token `before`, within 2000 tokens.
    func lastAssignment(_ s: TokenStream, _ name: String, before: Int) -> (index: Int, value: ArraySlice<SourceToken>)? {
        let t = s.t
        var k = before - 1
        while k >= 1 && before - k < 2000 {
            if t[k].isPunct("="), t[k - 1].isIdent(name), k + 1 < t.count, k < 2 || !t[k - 2].isPunct(".") {
                let line = t[k].line
                var e = k + 1
                var depth = 0
                while e < t.count && (t[e].line == line || depth > 0) && e - k < 256 {
                    if ["(", "[", "{"].contains(t[e].text) && t[e].kind == .punctuation { depth += 1 }
                    if [")", "]", "}"].contains(t[e].text) && t[e].kind == .punctuation { depth -= 1 }
                    if t[e].isPunct(";") && depth == 0 { break }
                    e += 1
                }
                return (k, t[(k + 1)..<e])
            }
            k -= 1
        }
        return nil
    }

    /// Bytes of a string literal body with `\xHH` and `\0` escapes.
    static func decodeEscapedBytes(_ text: String) -> [UInt8] {
        let c = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < c.count && out.count <= 64 {
            if c[i] == 0x5C, i + 3 < c.count, c[i + 1] == UInt8(ascii: "x"), let v = UInt8(String(decoding: c[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                out.append(v); i += 4; continue
            }
            if c[i] == 0x5C, i + 1 < c.count, c[i + 1] == UInt8(ascii: "0") { out.append(0); i += 2; continue }
            out.append(c[i]); i += 1
        }
        return out
    }

    // MARK: Rust

    func scanRust(_ s: TokenStream, _ add: Add) {
        let t = s.t
        for i in calls(s, "set_linger", method: true) {
            guard let (args, _) = s.arguments(at: i + 1), args.count == 1 else { continue }
            let arg = Array(args[0])
            if arg.count == 1 && arg[0].isIdent("None") { continue }
            guard arg.first?.isIdent("Some") == true, arg.count >= 3, let (inner, _) = s.arguments(at: args[0].startIndex + 1), inner.count == 1 else {
                add(.unknown("the value is not a literal Some(…)/None"), t[i], "set_linger(\(args[0].compactText))")
                continue
            }
            add(rustDuration(s, inner[0]), t[i], "set_linger(\(args[0].compactText))")
        }
    }

    /// A literal Duration: ZERO, from_secs/millis/micros/nanos(n), new(s, n).
    func rustDuration(_ s: TokenStream, _ d: ArraySlice<SourceToken>) -> Verdict {
        let toks = Array(d)
        if toks.last?.isIdent("ZERO") == true { return .abortive }
        guard let open = d.firstIndex(where: { $0.isPunct("(") }), open > d.startIndex, let (args, _) = s.arguments(at: open) else {
            return .unknown("the duration is not a literal")
        }
        let fn = s.t[open - 1].text
        let values = args.map { Literal.read($0)?.intValue }
        guard values.allSatisfy({ $0 != nil }), let first = values.first ?? nil else { return .unknown("the duration is not a literal") }
        // std and socket2 pass Duration::as_secs() as l_linger: a sub-second duration is a zero linger.
        let seconds: Int
        switch fn {
        case "from_secs", "new": seconds = first
        case "from_millis": seconds = first / 1000
        case "from_micros": seconds = first / 1_000_000
        case "from_nanos": seconds = first / 1_000_000_000
        default: return .unknown("the duration is not a literal")
        }
        if seconds == 0 { return values.allSatisfy({ $0 == 0 }) ? .abortive : .abortiveBecause("the duration is under one second, and std/socket2 pass Duration::as_secs() as l_linger, which is 0") }
        return seconds > 0 ? .blocking(seconds) : .unknown("the duration is not a literal")
    }

    // MARK: Node.js

    /// socket.resetAndDestroy(): Node closes the TCP handle with a RST (a zero linger on Linux).
    func scanNode(_ s: TokenStream, _ add: Add) {
        for i in calls(s, "resetAndDestroy", method: true) {
            guard let (args, _) = s.arguments(at: i + 1), args.isEmpty else { continue }
            let receiver = i >= 2 ? s.t[i - 2].text + "." : ""
            add(.abortive, s.t[i], "\(receiver)resetAndDestroy()")
        }
    }

    // MARK: .NET

    /// new LingerOption(enable, seconds), also target-typed `LingerOption x = new(true, 0)`.
    func scanDotNet(_ s: TokenStream, _ add: Add) {
        let t = s.t
        var i = 0
        while i + 2 < t.count {
            var open: Int?
            if t[i].isIdent("new"), t[i + 1].isIdent("LingerOption"), i + 2 < t.count, t[i + 2].isPunct("(") { open = i + 2 }
            if t[i].isIdent("LingerOption"), i + 4 < t.count, t[i + 1].kind == .identifier, t[i + 2].isPunct("="), t[i + 3].isIdent("new"), t[i + 4].isPunct("(") { open = i + 4 }
            if let open, let (args, _) = s.arguments(at: open), args.count == 2 {
                add(SourceScanner.verdict(onoff: Literal.read(args[0]), seconds: Literal.read(args[1]), negativeMeansOff: false), t[i],
                    "new LingerOption(\(args[0].compactText), \(args[1].compactText))")
                i = open
            }
            i += 1
        }
    }
}
