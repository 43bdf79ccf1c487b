/// Text made safe for XML 1.0 attributes and content. Tab, LF and CR become character references; characters XML 1.0
/// cannot carry at all (other controls, U+FFFE and U+FFFF) and the bidi controls are written visibly by the shared
/// `ControlEscape` instead of being dropped or breaking the document.
enum XMLText {
    static func escape(_ s: String) -> String {
        // Plain printable ASCII (most paths, names and codes) comes back as it is.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27 }) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out += "&#9;"
            case let c where !allowed(c) || ControlEscape.needsEscape(c.value): out += ControlEscape.escape(String(c))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] (Swift scalars are
    /// never surrogates).
    static func allowed(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xFFFD: return true
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }
}
