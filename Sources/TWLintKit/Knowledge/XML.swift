import CLibXML2
import Foundation

/// A located problem in an XML knowledge file (parse error, schema violation, refused construct).
public struct XMLProblem: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    public let line: Int
    public let message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String { "\(path):\(line): \(message)" }
}

/// An element of a parsed XML document, detached from libxml2.
public struct XMLElement: Sendable {
    public enum Content: Sendable {
        case element(XMLElement)
        case text(String)
    }

    public let name: String
    public let attributes: [String: String]
    public let content: [Content]
    public let line: Int
    /// The element children, in order (kept beside `content` so lookups do not rebuild it).
    public let children: [XMLElement]

    init(name: String, attributes: [String: String], content: [Content], line: Int) {
        self.name = name
        self.attributes = attributes
        self.content = content
        self.line = line
        self.children = content.compactMap { if case .element(let e) = $0 { return e } else { return nil } }
    }

    public func child(_ name: String) -> XMLElement? { children.first { $0.name == name } }
    public func children(_ name: String) -> [XMLElement] { children.filter { $0.name == name } }
    public subscript(attribute: String) -> String? { attributes[attribute] }

    /// All text below this element, whitespace collapsed.
    public var text: String {
        var raw = ""
        func collect(_ e: XMLElement) {
            for c in e.content {
                switch c {
                case .text(let t): raw += t
                case .element(let child): collect(child)
                }
            }
        }
        collect(self)
        return raw.collapsingWhitespace()
    }

    /// Text exactly as written (for examples and templates), with only the outer blank lines removed.
    public var rawText: String {
        var raw = ""
        for case .text(let t) in content { raw += t }
        return raw
    }
}

extension String {
    func collapsingWhitespace() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var pendingSpace = false
        for b in utf8 {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Parses and validates XML with libxml2, safely: no network, no DTD, no entity substitution.
public enum SafeXML {
    private final class ErrorSink {
        var problems: [(line: Int, message: String)] = []
    }

    private static let initialise: Void = { xmlInitParser() }()

    private static let collect: xmlStructuredErrorFunc = { ctx, error in
        guard let ctx, let error else { return }
        let sink = Unmanaged<ErrorSink>.fromOpaque(ctx).takeUnretainedValue()
        let message = error.pointee.message.map { String(cString: $0) } ?? "unknown XML error"
        sink.problems.append((Int(error.pointee.line), message.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Parses `text` (from `path`, used in messages only) into an element tree.
    /// Any DOCTYPE is refused before libxml2 sees it: that rules out external entities,
    /// entity-expansion bombs and DTD fetching at once.
    static func parse(_ text: String, path: String) throws -> (root: XMLElement, document: xmlDocPtr) {
        _ = initialise
        if let offset = SafeXML.firstOffset(of: "<!DOCTYPE", in: text) ?? SafeXML.firstOffset(of: "<!ENTITY", in: text) {
            let line = text.utf8.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            throw XMLProblems([XMLProblem(path: path, line: line, message: "DOCTYPE and ENTITY declarations are refused: twlint never fetches external entities or expands entities")])
        }
        let sink = ErrorSink()
        let ctx = Unmanaged.passUnretained(sink).toOpaque()
        xmlSetStructuredErrorFunc(ctx, collect)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        let bytes = Array(text.utf8)
        let doc: xmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                xmlReadMemory($0, Int32(buf.count), path, "UTF-8", options)
            }
        }
        guard let doc, let rootNode = xmlDocGetRootElement(doc) else {
            if let doc { xmlFreeDoc(doc) }
            let problems = sink.problems.map { XMLProblem(path: path, line: max($0.line, 1), message: $0.message) }
            throw XMLProblems(problems.isEmpty ? [XMLProblem(path: path, line: 1, message: "not an XML document")] : problems)
        }
        return (convert(rootNode), doc)
    }

    /// Parses `text` and validates it against the XSD `schema`; returns the tree or every problem found.
    public static func parseValidated(_ text: String, path: String, schema: Schema) throws -> XMLElement {
        try parseValidated(text, path: path) { _ in .validate(schema) }
    }

    /// Parses `text`, asks `schemaFor` which schema its root element needs, and validates against it.
    /// Which schema a document needs: a compiled one, or `.none` to skip validation (already-tested shipped files).
    public enum SchemaChoice {
        case validate(Schema)
        case none

        var compiled: Schema? {
            if case .validate(let s) = self { return s }
            return nil
        }
    }

    public static func parseValidated(_ text: String, path: String, schemaFor: (String) -> SchemaChoice?) throws -> XMLElement {
        let (root, doc) = try parse(text, path: path)
        defer { xmlFreeDoc(doc) }
        guard let schema = schemaFor(root.name) else {
            throw XMLProblems([XMLProblem(path: path, line: root.line, message: "unknown root element <\(root.name)>: expected <parameter>, <topic>, <counter>, <symptom>, <rule> or <catalog>")])
        }
        guard let compiled = schema.compiled else { return root }
        let problems = compiled.validate(doc, path: path)
        if !problems.isEmpty { throw XMLProblems(problems) }
        return root
    }

    /// A compiled XSD schema.
    public final class Schema: @unchecked Sendable {
        private let schema: xmlSchemaPtr
        private let lock = NSLock()

        public init(text: String, name: String) throws {
            _ = SafeXML.initialise
            let bytes = Array(text.utf8)
            let sink = ErrorSink()
            let parsed: xmlSchemaPtr? = bytes.withUnsafeBufferPointer { buf in
                buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { ptr in
                    guard let pctx = xmlSchemaNewMemParserCtxt(ptr, Int32(buf.count)) else { return nil }
                    defer { xmlSchemaFreeParserCtxt(pctx) }
                    xmlSchemaSetParserStructuredErrors(pctx, SafeXML.collect, Unmanaged.passUnretained(sink).toOpaque())
                    return xmlSchemaParse(pctx)
                }
            }
            guard let parsed else {
                throw XMLProblems(sink.problems.map { XMLProblem(path: name, line: $0.line, message: $0.message) })
            }
            schema = parsed
        }

        deinit { xmlSchemaFree(schema) }

        func validate(_ doc: xmlDocPtr, path: String) -> [XMLProblem] {
            lock.lock(); defer { lock.unlock() }
            guard let vctx = xmlSchemaNewValidCtxt(schema) else {
                return [XMLProblem(path: path, line: 1, message: "cannot create a schema validation context")]
            }
            defer { xmlSchemaFreeValidCtxt(vctx) }
            let sink = ErrorSink()
            xmlSchemaSetValidStructuredErrors(vctx, SafeXML.collect, Unmanaged.passUnretained(sink).toOpaque())
            let rc = xmlSchemaValidateDoc(vctx, doc)
            var problems = sink.problems.map { XMLProblem(path: path, line: max($0.line, 1), message: $0.message) }
            if rc != 0 && problems.isEmpty {
                problems.append(XMLProblem(path: path, line: 1, message: "does not match its schema"))
            }
            return problems
        }
    }

    /// Byte offset of the first occurrence of an ASCII `needle`.
    static func firstOffset(of needle: String, in text: String) -> Int? {
        let n = Array(needle.utf8)
        var text = text
        return text.withUTF8 { bytes -> Int? in
            guard bytes.count >= n.count else { return nil }
            var i = 0
            let last = bytes.count - n.count
            while i <= last {
                if bytes[i] == n[0] {
                    var j = 1
                    while j < n.count && bytes[i + j] == n[j] { j += 1 }
                    if j == n.count { return i }
                }
                i += 1
            }
            return nil
        }
    }

    private static func convert(_ node: xmlNodePtr) -> XMLElement {
        var attributes: [String: String] = [:]
        var attr = node.pointee.properties
        while let a = attr {
            let name = String(cString: a.pointee.name)
            if let value = xmlNodeGetContent(UnsafeMutableRawPointer(a).assumingMemoryBound(to: xmlNode.self)) {
                attributes[name] = String(cString: value)
                xmlFree(value)
            }
            attr = a.pointee.next
        }
        var content: [XMLElement.Content] = []
        var child = node.pointee.children
        while let c = child {
            switch c.pointee.type {
            case XML_ELEMENT_NODE:
                content.append(.element(convert(c)))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let raw = c.pointee.content { content.append(.text(String(cString: raw))) }
            default:
                break
            }
            child = c.pointee.next
        }
        return XMLElement(name: String(cString: node.pointee.name), attributes: attributes,
                          content: content, line: Int(xmlGetLineNo(node)))
    }
}

/// Every problem found in one or more XML files.
public struct XMLProblems: Error, CustomStringConvertible, Sendable {
    public let problems: [XMLProblem]
    public init(_ problems: [XMLProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
