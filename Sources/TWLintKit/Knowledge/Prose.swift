/// Inline text: plain runs, code and emphasis.
public enum Span: Equatable, Sendable {
    case text(String)
    case code(String)
    case emphasis(String)
}

public typealias Inline = [Span]

/// A block of prose: a paragraph or a bulleted list.
public enum Block: Equatable, Sendable {
    case paragraph(Inline)
    case list([Inline])
}

extension Inline {
    /// The text without markup.
    public var plain: String {
        map {
            switch $0 {
            case .text(let t), .code(let t), .emphasis(let t): return t
            }
        }.joined()
    }
}

enum ProseReader {
    /// Reads mixed content (text, <code>, <em>) into spans, collapsing whitespace the way a renderer would.
    static func inline(_ element: XMLElement) -> Inline {
        var spans: Inline = []
        for item in element.content {
            switch item {
            case .text(let t):
                spans.append(.text(t))
            case .element(let e) where e.name == "code":
                spans.append(.code(e.text))
            case .element(let e) where e.name == "em":
                spans.append(.emphasis(e.text))
            case .element:
                continue
            }
        }
        return normalise(spans)
    }

    static func blocks(_ element: XMLElement) -> [Block] {
        element.children.compactMap { child in
            switch child.name {
            case "p": return .paragraph(inline(child))
            case "list": return .list(child.children("item").map(inline))
            default: return nil
            }
        }
    }

    /// Collapses runs of whitespace across span boundaries and trims both ends.
    private static func normalise(_ spans: Inline) -> Inline {
        var out: Inline = []
        var lastWasSpace = true
        for span in spans {
            guard case .text(let t) = span else {
                out.append(span)
                lastWasSpace = false
                continue
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(t.utf8.count)
            for b in t.utf8 {
                if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                    if !lastWasSpace { bytes.append(0x20); lastWasSpace = true }
                } else {
                    bytes.append(b)
                    lastWasSpace = false
                }
            }
            if !bytes.isEmpty { out.append(.text(String(decoding: bytes, as: UTF8.self))) }
        }
        if case .text(let t)? = out.last, t.utf8.last == 0x20 {
            out.removeLast()
            let trimmed = String(decoding: t.utf8.dropLast(), as: UTF8.self)
            if !trimmed.isEmpty { out.append(.text(trimmed)) }
        }
        return out
    }
}
