/// One line of /proc/net/tcp or /proc/net/tcp6.
public struct TCPSocket: Hashable, Sendable {
    public enum State: UInt8, Sendable {
        case established = 0x01, synSent, synRecv, finWait1, finWait2, timeWait, close, closeWait, lastAck, listen, closing
        case newSynRecv = 0x0C, boundInactive = 0x0D
    }

    public let localAddress: String
    public let localPort: Int
    public let remoteAddress: String
    public let remotePort: Int
    public let state: State

    public var local: String { TCPSocket.endpoint(localAddress, localPort) }
    public var remote: String { TCPSocket.endpoint(remoteAddress, remotePort) }

    static func endpoint(_ address: String, _ port: Int) -> String {
        address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// Parses the socket tables under /proc/net. Addresses are printed as host-order words: on little-endian
/// machines 127.0.0.1 appears as 0100007F; ports are in normal order.
public enum SocketTable {
    public static func parse(_ text: String) -> (sockets: [TCPSocket], malformedLines: [Int]) {
        var sockets: [TCPSocket] = []
        var malformed: [Int] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if lineNumber == 1 || line.allSatisfy({ $0 == " " }) { continue }   // header
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 4, let local = endpoint(fields[1]), let remote = endpoint(fields[2]),
                  let st = UInt8(fields[3], radix: 16), let state = TCPSocket.State(rawValue: st) else {
                malformed.append(lineNumber)
                continue
            }
            sockets.append(TCPSocket(localAddress: local.0, localPort: local.1, remoteAddress: remote.0, remotePort: remote.1, state: state))
        }
        return (sockets, malformed)
    }

    static func endpoint(_ field: Substring) -> (String, Int)? {
        let parts = field.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1], radix: 16) else { return nil }
        let hex = parts[0]
        if hex.count == 8, let word = UInt32(hex, radix: 16) {
            return (ipv4(word), port)
        }
        if hex.count == 32 {
            var words: [UInt32] = []
            var index = hex.startIndex
            for _ in 0..<4 {
                let next = hex.index(index, offsetBy: 8)
                guard let w = UInt32(hex[index..<next], radix: 16) else { return nil }
                words.append(w)
                index = next
            }
            return (ipv6(words), port)
        }
        return nil
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
