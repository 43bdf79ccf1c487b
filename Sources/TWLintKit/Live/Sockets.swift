/// An IPv4 or IPv6 address as the socket tables print it (kept raw; formatted on demand).
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// The 32-bit word as printed (host order of a network-order address).
    case v4(UInt32)
    /// The four printed 32-bit words.
    case v6(UInt32, UInt32, UInt32, UInt32)

    public var description: String {
        switch self {
        case .v4(let w): return SocketTable.ipv4(w)
        case .v6(let a, let b, let c, let d): return SocketTable.ipv6([a, b, c, d])
        }
    }
}

/// One line of /proc/net/tcp or /proc/net/tcp6.
public struct TCPSocket: Hashable, Sendable {
    public enum State: UInt8, Sendable {
        case established = 0x01, synSent, synRecv, finWait1, finWait2, timeWait, close, closeWait, lastAck, listen, closing
        case newSynRecv = 0x0C, boundInactive = 0x0D
    }

    public let localIP: IPAddress
    public let localPort: Int
    public let remoteIP: IPAddress
    public let remotePort: Int
    public let state: State

    public var localAddress: String { localIP.description }
    public var remoteAddress: String { remoteIP.description }
    public var local: String { TCPSocket.endpoint(localAddress, localPort) }
    public var remote: String { TCPSocket.endpoint(remoteAddress, remotePort) }

    static func endpoint(_ address: String, _ port: Int) -> String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// Parses the socket tables under /proc/net. Addresses are printed as host-order words: on little-endian
/// machines 127.0.0.1 appears as 0100007F; ports are in normal order. Works on bytes: a busy host has
/// tens of thousands of lines.
public enum SocketTable {
    public static func parse(_ text: String) -> (sockets: [TCPSocket], malformedLines: [Int]) {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> (sockets: [TCPSocket], malformedLines: [Int]) {
        var sockets: [TCPSocket] = []
        sockets.reserveCapacity(bytes.count / 150)
        var malformed: [Int] = []
        scan(bytes: bytes, skipHeader: true, malformed: { malformed.append($0) }) { sockets.append($0) }
        return (sockets, malformed)
    }

    /// The one line loop over a socket table: calls `visit` for every well-formed socket line of `bytes` (whole
    /// lines) and `malformed` with the (1-based) number of every other non-blank line. `skipHeader`: the first
    /// line is the table's header.
    static func scan(bytes: UnsafeBufferPointer<UInt8>, skipHeader: Bool, malformed: (Int) -> Void, _ visit: (TCPSocket) -> Void) {
        var line = 0
        var start = 0
        var skip = skipHeader
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            line += 1
            defer { start = end + 1 }
            if skip { skip = false; continue }
            var i = start
            func skipSpaces() { while i < end && bytes[i] == 0x20 { i += 1 } }
            func skipField() { while i < end && bytes[i] != 0x20 { i += 1 } }
            skipSpaces()
            if i == end { continue }           // blank line
            skipField()                         // "sl:"
            skipSpaces()
            guard let local = endpoint(bytes, &i, end) else { malformed(line); continue }
            skipSpaces()
            guard let remote = endpoint(bytes, &i, end) else { malformed(line); continue }
            skipSpaces()
            guard let st = hex(bytes, &i, end, maxDigits: 2), let state = TCPSocket.State(rawValue: UInt8(st)) else {
                malformed(line); continue
            }
            visit(TCPSocket(localIP: local.0, localPort: local.1, remoteIP: remote.0, remotePort: remote.1, state: state))
        }
    }

    /// Reads hex digits at `i` (stopping at a non-digit), at most `maxDigits`.
    static func hex(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int, maxDigits: Int) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        while i < end, digits < maxDigits {
            let c = b[i]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default:
                return digits > 0 ? value : nil
            }
            value = value << 4 | UInt64(d)
            digits += 1
            i += 1
        }
        return digits > 0 ? value : nil
    }

    static func endpoint(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ end: Int) -> (IPAddress, Int)? {
        let start = i
        var colon = i
        while colon < end && b[colon] != 0x3A && b[colon] != 0x20 { colon += 1 }
        guard colon < end, b[colon] == 0x3A else { return nil }
        let length = colon - start
        let address: IPAddress
        if length == 8 {
            guard let w = hex(b, &i, colon, maxDigits: 8), i == colon else { return nil }
            address = .v4(UInt32(w))
        } else if length == 32 {
            var words: [UInt32] = []
            for _ in 0..<4 {
                let stop = i + 8
                guard let w = hex(b, &i, stop, maxDigits: 8), i == stop else { return nil }
                words.append(UInt32(w))
            }
            address = .v6(words[0], words[1], words[2], words[3])
        } else {
            return nil
        }
        i = colon + 1
        guard let port = hex(b, &i, end, maxDigits: 4), i == end || b[i] == 0x20 else { return nil }
        return (address, Int(port))
    }

    /// The kernel prints the network-order address as a native integer; on little-endian hosts the bytes come out reversed.
    static func ipv4(_ word: UInt32) -> String {
        let b = withUnsafeBytes(of: word.littleEndian) { Array($0) }
        return "\(b[0]).\(b[1]).\(b[2]).\(b[3])"
    }

    static func ipv6(_ words: [UInt32]) -> String {
        var bytes: [UInt8] = []
        for w in words { bytes += withUnsafeBytes(of: w.littleEndian) { Array($0) } }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return "::ffff:\(bytes[12]).\(bytes[13]).\(bytes[14]).\(bytes[15])"
        }
        var groups: [UInt16] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])) }
        // Compress the longest run of zero groups (RFC 5952).
        var bestStart = -1, bestLength = 0, i = 0
        while i < 8 {
            if groups[i] == 0 {
                var j = i
                while j < 8 && groups[j] == 0 { j += 1 }
                if j - i > bestLength && j - i > 1 { bestStart = i; bestLength = j - i }
                i = j
            } else { i += 1 }
        }
        let hex = groups.map { String($0, radix: 16) }
        if bestStart < 0 { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":"), tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
