/// Parses `--listen`: HOST:PORT, [IPV6]:PORT or :PORT (all addresses).
public func parseListenAddress(_ text: String) -> (host: String, port: Int)? {
    var host: Substring
    var portText: Substring
    if text.hasPrefix("[") {
        guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
        host = text[text.index(after: text.startIndex)..<close]
        portText = text[text.index(close, offsetBy: 2)...]
    } else {
        guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
        host = text[..<colon]
        portText = text[text.index(after: colon)...]
    }
    if host.isEmpty { host = "0.0.0.0" }
    guard let port = Int(portText), (0...65535).contains(port) else { return nil }
    return (String(host), port)
}
