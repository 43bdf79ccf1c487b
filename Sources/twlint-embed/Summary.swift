import Foundation

/// The files whose entries twlint parses on first use (KnowledgeBase.parameterKey / lazyEntry): kb parameters,
/// counters, symptoms and topics.
enum IndexedKind {
    case parameter, counter, symptom, topic

    init?(path: String) {
        guard path.hasPrefix("kb/"), path.hasSuffix(".xml") else { return nil }
        let rest = path.dropFirst(3)
        if !rest.contains("/") { self = .parameter; return }
        for (dir, kind) in [("counters/", IndexedKind.counter), ("symptoms/", .symptom), ("topics/", .topic)] where rest.hasPrefix(dir) {
            guard !rest.dropFirst(dir.count).contains("/") else { return nil }
            self = kind
            return
        }
        return nil
    }

    /// The element whose children hold the texts people paste (`netstat -s` lines, kernel messages).
    var texts: (parent: String?, element: String)? {
        switch self {
        case .parameter, .topic: return nil
        case .counter: return (nil, "netstat")
        case .symptom: return ("messages", "message")
        }
    }
}

struct SummaryError: Error, CustomStringConvertible { let description: String }

/// The Swift expression of one file's EntrySummary. The schema keeps these elements simple (text, no markup);
/// the extraction still follows XMLElement.text (markup dropped, entities decoded, whitespace collapsed) and
/// refuses what it does not handle. The test suite compares every summary with a full parse.
func summary(of text: String, kind: IndexedKind) throws -> String {
    let rootElement = try rootContent(text)
    let aliases = try firstElement("aliases", in: rootElement).map { try elements("alias", in: $0).map(plainText) } ?? []
    var texts: [String] = []
    if let spec = kind.texts {
        let scope = try spec.parent.map { try firstElement($0, in: rootElement) ?? "" } ?? rootElement
        texts = try elements(spec.element, in: scope).map(plainText)
    }
    var parameters: [String] = [], topics: [String] = []
    if let related = try firstElement("related", in: rootElement) {
        parameters = try emptyElements("param", attribute: "key", in: related)
        topics = try emptyElements("topic", attribute: "id", in: related)
    }
    func list(_ a: [String]) -> String { "[" + a.map(literal).joined(separator: ", ") + "]" }
    return "EntrySummary(aliases: \(list(aliases)), texts: \(list(texts)), parameters: \(list(parameters)), topics: \(list(topics)))"
}

/// A Swift string literal for `s`.
func literal(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

/// The content of the document's root element (after the XML declaration and comments).
func rootContent(_ text: String) throws -> Substring {
    let body = try withoutComments(Substring(text))
    guard let open = body.range(of: "<", range: firstTagSearchStart(body)..<body.endIndex),
          let close = body.range(of: ">", range: open.upperBound..<body.endIndex),
          let end = body.range(of: "</", options: .backwards) else {
        throw SummaryError(description: "no root element")
    }
    return body[close.upperBound..<end.lowerBound]
}

/// The name of the document's root element.
func rootName(_ text: String) throws -> Substring {
    let body = try withoutComments(Substring(text))
    guard let open = body.range(of: "<", range: firstTagSearchStart(body)..<body.endIndex) else { throw SummaryError(description: "no root element") }
    return body[open.upperBound...].prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }
}

/// Every `<name …>…</name>` in `s` (not nested in one another): the text of its start tag after the name, and its content.
func elementsWithAttributes(_ name: String, in s: Substring) throws -> [(attributes: Substring, content: Substring)] {
    var found: [(Substring, Substring)] = []
    var rest = s
    while let tag = nextStartTag(name, in: rest) {
        let open = rest[..<tag.end].range(of: "<" + name, options: .backwards)!
        let attributes = rest[open.upperBound..<rest.index(before: tag.end)]
        if tag.selfClosing { found.append((attributes, "")); rest = rest[tag.end...]; continue }
        guard let close = rest.range(of: "</\(name)>", range: tag.end..<rest.endIndex) else { throw SummaryError(description: "<\(name)> is not closed") }
        let inner = rest[tag.end..<close.lowerBound]
        if nextStartTag(name, in: inner) != nil { throw SummaryError(description: "nested <\(name)> elements") }
        found.append((attributes, inner))
        rest = rest[close.upperBound...]
    }
    return found
}

private func firstTagSearchStart(_ body: Substring) -> Substring.Index {
    // Skip the XML declaration.
    if body.hasPrefix("<?"), let end = body.range(of: "?>") { return end.upperBound }
    return body.startIndex
}

private func withoutComments(_ s: Substring) throws -> Substring {
    guard s.contains("<!--") || s.contains("<![CDATA[") || s.contains("<!DOCTYPE") else { return s }
    if s.contains("<![CDATA[") || s.contains("<!DOCTYPE") { throw SummaryError(description: "CDATA and DOCTYPE are not expected in a kb file") }
    var out = ""
    var rest = s
    while let open = rest.range(of: "<!--") {
        out += rest[..<open.lowerBound]
        guard let close = rest.range(of: "-->", range: open.upperBound..<rest.endIndex) else { throw SummaryError(description: "unterminated comment") }
        rest = rest[close.upperBound...]
    }
    out += rest
    return Substring(out)
}

/// The content of every `<name>…</name>` in `s` (not nested in one another; `<name/>` has none).
private func elements(_ name: String, in s: Substring) throws -> [Substring] {
    var found: [Substring] = []
    var rest = s
    while let tag = nextStartTag(name, in: rest) {
        if tag.selfClosing { found.append(""); rest = rest[tag.end...]; continue }
        guard let close = rest.range(of: "</\(name)>", range: tag.end..<rest.endIndex) else { throw SummaryError(description: "<\(name)> is not closed") }
        let inner = rest[tag.end..<close.lowerBound]
        if nextStartTag(name, in: inner) != nil { throw SummaryError(description: "nested <\(name)> elements") }
        found.append(inner)
        rest = rest[close.upperBound...]
    }
    return found
}

private func firstElement(_ name: String, in s: Substring) throws -> Substring? { try elements(name, in: s).first }

/// The next start tag `<name>` or `<name …>`: the index after it and whether it closes itself.
private func nextStartTag(_ name: String, in s: Substring) -> (end: Substring.Index, selfClosing: Bool)? {
    var search = s.startIndex
    while let open = s.range(of: "<" + name, range: search..<s.endIndex) {
        let after = open.upperBound
        guard after < s.endIndex else { return nil }
        let c = s[after]
        if c == ">" || c == "/" || c.isWhitespace, let close = s.range(of: ">", range: after..<s.endIndex) {
            return (close.upperBound, s[s.index(before: close.lowerBound)] == "/")
        }
        search = after
    }
    return nil
}

/// The `attribute` of every `<name …/>` in `s`, in order.
private func emptyElements(_ name: String, attribute: String, in s: Substring) throws -> [String] {
    var values: [String] = []
    var search = s.startIndex
    while let open = s.range(of: "<" + name, range: search..<s.endIndex) {
        guard open.upperBound < s.endIndex, s[open.upperBound] == "/" || s[open.upperBound].isWhitespace,
              let close = s.range(of: ">", range: open.upperBound..<s.endIndex) else { search = open.upperBound; continue }
        let tag = s[open.upperBound..<close.lowerBound]
        if let value = try attributeValue(attribute, in: tag) { values.append(value) }
        search = close.upperBound
    }
    return values
}

func attributeValue(_ name: String, in tag: Substring) throws -> String? {
    var search = tag.startIndex
    while let r = tag.range(of: name, range: search..<tag.endIndex) {
        search = r.upperBound
        guard r.lowerBound > tag.startIndex, tag[tag.index(before: r.lowerBound)].isWhitespace else { continue }
        var i = r.upperBound
        while i < tag.endIndex, tag[i].isWhitespace { i = tag.index(after: i) }
        guard i < tag.endIndex, tag[i] == "=" else { continue }
        i = tag.index(after: i)
        while i < tag.endIndex, tag[i].isWhitespace { i = tag.index(after: i) }
        guard i < tag.endIndex, tag[i] == "\"" || tag[i] == "'" else { throw SummaryError(description: "unquoted attribute \(name)") }
        let quote = tag[i]
        let start = tag.index(after: i)
        guard let end = tag[start...].firstIndex(of: quote) else { throw SummaryError(description: "unterminated attribute \(name)") }
        // Attribute values are normalised: whitespace characters become spaces.
        return try decodeEntities(String(tag[start..<end])).map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : $0 }.reduce(into: "") { $0.append($1) }
    }
    return nil
}

/// Text without markup, entities decoded, whitespace collapsed (as XMLElement.text).
func plainText(_ s: Substring) throws -> String {
    var raw = ""
    var rest = s
    while let open = rest.firstIndex(of: "<") {
        raw += rest[..<open]
        guard let close = rest[open...].firstIndex(of: ">") else { throw SummaryError(description: "unterminated tag") }
        rest = rest[rest.index(after: close)...]
    }
    raw += rest
    return try decodeEntities(raw).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" })
        .joined(separator: " ")
}

private func decodeEntities(_ s: String) throws -> String {
    guard s.contains("&") else { return s }
    var out = ""
    var rest = Substring(s)
    while let amp = rest.firstIndex(of: "&") {
        out += rest[..<amp]
        guard let semi = rest[amp...].firstIndex(of: ";") else { throw SummaryError(description: "a bare & in text") }
        let name = rest[rest.index(after: amp)..<semi]
        switch name {
        case "lt": out += "<"
        case "gt": out += ">"
        case "amp": out += "&"
        case "quot": out += "\""
        case "apos": out += "'"
        default:
            let value: UInt32?
            if name.hasPrefix("#x") { value = UInt32(name.dropFirst(2), radix: 16) } else if name.hasPrefix("#") { value = UInt32(name.dropFirst()) } else { value = nil }
            guard let value, let scalar = Unicode.Scalar(value) else { throw SummaryError(description: "unknown entity &\(name);") }
            out.unicodeScalars.append(scalar)
        }
        rest = rest[rest.index(after: semi)...]
    }
    return out + rest
}

/// The Swift expression of a rule file's RuleSummary (RuleIndex.swift): what `twlint explain` and the rule
/// look-ups need without parsing the rule. Follows Rule's initialiser: the keys of the `<set>` and `<value>`
/// conditions in `<when>` and `<severity-when>` and the subject (`<subject key>`, else `<evaluator key>`); the
/// test suite compares every summary with the parsed rule.
func ruleSummary(of text: String) throws -> String {
    let body = try withoutComments(Substring(text))
    guard let open = body.range(of: "<rule", range: firstTagSearchStart(body)..<body.endIndex),
          let close = body.range(of: ">", range: open.upperBound..<body.endIndex) else {
        throw SummaryError(description: "no <rule> element")
    }
    let tag = body[open.upperBound..<close.lowerBound]
    guard let code = try attributeValue("code", in: tag), let slug = try attributeValue("slug", in: tag) else {
        throw SummaryError(description: "<rule> without code or slug")
    }
    let content = try rootContent(text)
    func attribute(_ element: String, _ name: String) throws -> String? {
        try emptyElements(element, attribute: name, in: content).first
    }
    let evaluatorKey = try attribute("evaluator", "key")
    let subject = try attribute("subject", "key") ?? evaluatorKey
    var keys = Set(subject.map { [$0] } ?? [])
    for scope in try elements("when", in: content) + elements("severity-when", in: content) {
        for element in ["set", "value"] {
            keys.formUnion(try emptyElements(element, attribute: "key", in: scope))
            keys.formUnion(try emptyElements(element, attribute: "other", in: scope))
        }
    }
    let counters = (try attribute("evaluator", "counters") ?? "").split(separator: " ").map(String.init)
    // The rule's own <kernel> (a child of <rule>), not a condition's.
    var outside = content
    for element in ["when", "severity-when", "examples"] { outside = try removing(element, from: outside) }
    let kernel = try firstStartTag("kernel", in: outside)
    let versionBound = try kernel.map { try attributeValue("min", in: $0) != nil || attributeValue("below", in: $0) != nil } ?? false
    let topics = try firstElement("related", in: content).map { try emptyElements("topic", attribute: "id", in: $0) } ?? []
    func list(_ a: [String]) -> String { "[" + a.map(literal).joined(separator: ", ") + "]" }
    return "RuleSummary(code: \(literal(code)), slug: \(literal(slug)), keys: \(list(keys.sorted())), topics: \(list(topics)), "
        + "counterNames: \(list(counters)), versionBoundSubject: \(versionBound ? subject.map(literal) ?? "nil" : "nil"))"
}

/// The attributes of the first `<name …>` start tag in `s` (outside conditions: the rule's own `<kernel>`).
private func firstStartTag(_ name: String, in s: Substring) throws -> Substring? {
    guard let tag = nextStartTag(name, in: s) else { return nil }
    let open = s[..<tag.end].range(of: "<" + name, options: .backwards)!
    return s[open.upperBound..<tag.end]
}

/// `s` without its `<name …>…</name>` elements.
func removing(_ name: String, from s: Substring) throws -> Substring {
    var out = ""
    var rest = s
    while let tag = nextStartTag(name, in: rest) {
        let open = rest[..<tag.end].range(of: "<" + name, options: .backwards)!
        out += rest[..<open.lowerBound]
        if tag.selfClosing { rest = rest[tag.end...]; continue }
        guard let close = rest.range(of: "</\(name)>", range: tag.end..<rest.endIndex) else { throw SummaryError(description: "<\(name)> is not closed") }
        rest = rest[close.upperBound...]
    }
    return Substring(out + rest)
}
