import Foundation

/// A JSON value with ordered object members, so output follows the documented contract's field order.
public indirect enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    public static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.render() == rhs.render() }

    public static func str(_ s: String?) -> JSON { s.map(JSON.string) ?? .null }

    /// Serialises with two-space indentation (`pretty`) or compactly.
    public func render(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, indent: pretty ? "" : nil)
        return out
    }

    private func write(to out: inout String, indent: String?) {
        let nextIndent = indent.map { $0 + "  " }
        let newline = indent == nil ? "" : "\n"
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(format: "%g", d) : "null"
        case .string(let s): JSON.escape(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, item) in items.enumerated() {
                out += nextIndent ?? ""
                item.write(to: &out, indent: nextIndent)
                out += (i < items.count - 1 ? "," : "") + newline
            }
            out += (indent ?? "") + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, (key, value)) in members.enumerated() {
                out += nextIndent ?? ""
                JSON.escape(key, into: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: nextIndent)
                out += (i < members.count - 1 ? "," : "") + newline
            }
            out += (indent ?? "") + "}"
        }
    }

    static func escape(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
