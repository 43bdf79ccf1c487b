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

    /// Serialises with two-space indentation (`pretty`, nested lines starting at `indent` spaces) or compactly.
    public func render(pretty: Bool = true, indent: Int = 0) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(to: &out, indent: pretty ? indent : nil)
        return String(decoding: out, as: UTF8.self)
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: indent))
    }

    private func write(to out: inout [UInt8], indent: Int?) {
        let inner = indent.map { $0 + 2 }
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .int(let i): out += Array(String(i).utf8)
        case .double(let d): out += Array((d.isFinite ? String(format: "%g", d) : "null").utf8)
        case .string(let s): JSON.escape(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += [0x5B, 0x5D]; return }
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSON.newline(&out, inner)
                item.write(to: &out, indent: inner)
            }
            JSON.newline(&out, indent)
            out.append(0x5D)
        case .object(let members):
            if members.isEmpty { out += [0x7B, 0x7D]; return }
            out.append(0x7B)
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(0x2C) }
                JSON.newline(&out, inner)
                JSON.escape(key, into: &out)
                out.append(0x3A)
                if indent != nil { out.append(0x20) }
                value.write(to: &out, indent: inner)
            }
            JSON.newline(&out, indent)
            out.append(0x7D)
        }
    }

    /// Streams a pretty-printed array whose `[` stands at column `indent`, one element at a time: the same
    /// bytes as rendering the whole array, without holding it in memory.
    static func streamArray<T>(_ items: [T], indent: Int, emit: (String) -> Void, element: (T) -> JSON) {
        guard !items.isEmpty else { return emit("[]") }
        let pad = String(repeating: " ", count: indent + 2)
        emit("[")
        for (i, item) in items.enumerated() {
            emit((i > 0 ? ",\n" : "\n") + pad + element(item).render(indent: indent + 2))
        }
        emit("\n" + String(repeating: " ", count: indent) + "]")
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string literal, escaping quotes, backslashes and control characters.
    static func escape(_ s: String, into out: inout [UInt8]) {
        // Bidirectional overrides and U+FFFE/U+FFFF from input are escaped as well (rare: checked first).
        if s.utf8.contains(where: { $0 >= 0xD8 }), ControlEscape.containsControl(s) {
            out.append(0x22)
            for scalar in s.unicodeScalars {
                if scalar.value > 0x9F && ControlEscape.needsEscape(scalar.value) {
                    out += Array(String(format: "\\u%04x", scalar.value).utf8)
                } else {
                    var inner: [UInt8] = []
                    escapeBytes(String(scalar), into: &inner)
                    out += inner.dropFirst().dropLast()
                }
            }
            out.append(0x22)
            return
        }
        escapeBytes(s, into: &out)
    }

    private static func escapeBytes(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var pendingC2 = false
        for byte in s.utf8 {
            // DEL and the C1 controls (UTF-8 C2 80…C2 9F) are escaped too: no raw control character from input.
            if pendingC2 {
                pendingC2 = false
                if (0x80...0x9F).contains(byte) {
                    out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
                    continue
                }
                out.append(0xC2)
            }
            switch byte {
            case 0xC2: pendingC2 = true
            case 0x7F: out += Array("\\u007f".utf8)
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20: out += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        if pendingC2 { out.append(0xC2) }
        out.append(0x22)
    }
}
