/// Sysctl key spelling, as systemd-sysctl and procps normalise it.
public enum SysctlKey {
    /// `net/ipv4/tcp_tw_reuse` → `net.ipv4.tcp_tw_reuse`. The first separator decides: if it is a slash,
    /// slashes become dots and dots become slashes (`net/ipv4/conf/eth0.100/rp_filter` →
    /// `net.ipv4.conf.eth0/100.rp_filter`, the dotted form sysctl prints); if it is a dot, nothing changes.
    public static func normalise(_ raw: String) -> String {
        guard let first = raw.firstIndex(where: { $0 == "." || $0 == "/" }), raw[first] == "/" else { return raw }
        return String(raw.map { $0 == "/" ? "." : ($0 == "." ? "/" : $0) })
    }

    /// `/proc/sys/net/ipv4/tcp_tw_reuse` → `net.ipv4.tcp_tw_reuse`.
    public static func fromProcPath(_ path: String) -> String? {
        let prefix = "/proc/sys/"
        guard path.hasPrefix(prefix) else { return nil }
        return normalise(String(path.dropFirst(prefix.count)))
    }

    /// The key of a line shaped like a sysctl assignment (`net.ipv4.x = 1`, `-kernel/y=2`, `net.ipv4.conf.*.rp_filter=1`):
    /// the words before the first `=`, without blanks or a leading `-`, when they are dotted or slashed names
    /// (letters, digits, `_ . - / * : @ +`; never brackets, quotes or spaces). nil for any other line. Input
    /// detection uses it, so that no other format ever takes a sysctl file and no sysctl file is taken for another.
    public static func assigned(in line: Substring) -> Substring? {
        guard let eq = line.firstIndex(of: "=") else { return nil }
        var key = line[..<eq].trimmingCharacters(in: .whitespaces)[...]
        if key.hasPrefix("-") { key = key.dropFirst() }
        guard !key.isEmpty, key.contains(where: { $0 == "." || $0 == "/" }),
              key.allSatisfy({ $0.isLetter || $0.isNumber || "_.-/*:@+".contains($0) }) else { return nil }
        return key
    }

    /// Longest key accepted as a path (the kernel's names are far shorter; PATH_MAX bounds the file).
    public static let maxPathKeyBytes = 1024

    /// The path of a dotted key relative to /proc/sys (`net.ipv4.conf.eth0/100.rp_filter` →
    /// `net/ipv4/conf/eth0.100/rp_filter`), or nil when it is no sysctl name: an empty component
    /// (`net..x`, a leading or trailing dot), a `.` or `..` component (`net.//.x`), a NUL or an
    /// overlong key. Every place that turns a key into a file path goes through here, so a key from
    /// input can never name a file outside /proc/sys.
    public static func relativePath(_ key: String) -> String? {
        guard !key.isEmpty, key.utf8.count <= maxPathKeyBytes, !key.utf8.contains(0) else { return nil }
        var components: [String] = []
        for part in key.split(separator: ".", omittingEmptySubsequences: false) {
            let component = String(part.map { $0 == "/" ? "." : $0 })
            guard !component.isEmpty, component != ".", component != ".." else { return nil }
            components.append(component)
        }
        return components.joined(separator: "/")
    }

    /// The /proc/sys spelling of a dotted key, for display and glob matching only: it is never opened.
    /// Code that reads or writes the file uses `relativePath`, which refuses keys that are no sysctl name.
    public static func procPath(_ key: String) -> String {
        "/proc/sys/" + String(key.map { $0 == "." ? "/" : ($0 == "/" ? "." : $0) })
    }
}
