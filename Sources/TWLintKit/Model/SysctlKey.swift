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

    /// The /proc/sys path of a dotted key.
    public static func procPath(_ key: String) -> String {
        "/proc/sys/" + String(key.map { $0 == "." ? "/" : ($0 == "/" ? "." : $0) })
    }
}
