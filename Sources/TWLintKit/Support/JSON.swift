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

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string literal, escaping quotes, backslashes and every control character
    /// (C0, DEL, C1), and — so that no raw control character from input reaches a terminal that shows the
    /// JSON — bidirectional overrides and the noncharacters U+FFFE/U+FFFF as `\\uXXXX`. Works on UTF-8 bytes,
    /// copying runs of plain bytes at once.
    static func escape(_ s: String, into out: inout [UInt8]) {
        var s = s
        out.append(0x22)
        s.withUTF8 { b in
            let n = b.count
            var run = 0   // start of the pending run of plain bytes
            var i = 0
            @inline(__always) func flush(_ upTo: Int) {
                if upTo > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: b[run..<upTo])) }
            }
            @inline(__always) func unicode(_ v: UInt32, _ length: Int) {
                flush(i)
                out += [0x5C, 0x75, hex[Int(v >> 12 & 0xF)], hex[Int(v >> 8 & 0xF)], hex[Int(v >> 4 & 0xF)], hex[Int(v & 0xF)]]
                i += length
                run = i
            }
            while i < n {
                let byte = b[i]
                if byte >= 0x20 && byte < 0x7F && byte != 0x22 && byte != 0x5C { i += 1; continue }
                switch byte {
                case 0x22, 0x5C:
                    flush(i); out += [0x5C, byte]; i += 1; run = i
                case 0x0A:
                    flush(i); out += [0x5C, 0x6E]; i += 1; run = i
                case 0x0D:
                    flush(i); out += [0x5C, 0x72]; i += 1; run = i
                case 0x09:
                    flush(i); out += [0x5C, 0x74]; i += 1; run = i
                case 0..<0x20, 0x7F:
                    unicode(UInt32(byte), 1)
                case 0xC2 where i + 1 < n && (0x80...0x9F).contains(b[i + 1]):
                    unicode(UInt32(b[i + 1]), 2)   // C1 control U+0080…U+009F
                case 0xD8 where i + 1 < n && b[i + 1] == 0x9C:
                    unicode(0x061C, 2)
                case 0xE2 where i + 2 < n && (b[i + 1] == 0x80 || b[i + 1] == 0x81):
                    let v = 0x2000 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                    if ControlEscape.needsEscape(v) { unicode(v, 3) } else { i += 3 }
                case 0xEF where i + 2 < n && b[i + 1] == 0xBF && (b[i + 2] == 0xBE || b[i + 2] == 0xBF):
                    unicode(b[i + 2] == 0xBE ? 0xFFFE : 0xFFFF, 3)
                default:
                    i += 1
                }
            }
            flush(n)
        }
        out.append(0x22)
    }
}
