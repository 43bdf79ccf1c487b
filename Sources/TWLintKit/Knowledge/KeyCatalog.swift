import Foundation
/// Names of every sysctl known to exist, module-gated prefixes, and one-shot action keys.
public struct KeyCatalog: Sendable {
    public private(set) var keys: Set<String> = []
    /// Families with `*` for the interface: `net.ipv4.conf.*.rp_filter`.
    public private(set) var families: Set<String> = []
    /// The distinct parts before the `*` (`net.ipv4.conf.`), a handful, for a quick family lookup.
    private var familyPrefixes: [String] = []
    public private(set) var modules: [(prefix: String, name: String)] = []
    public private(set) var actions: [String: String] = [:]

    public init() {}

    mutating func add(_ e: XMLElement) {
        for list in e.children("keys") {
            for key in list.rawText.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) {
                let k = String(Substring(key))
                if let star = k.firstIndex(of: "*") {
                    families.insert(k)
                    let prefix = String(k[..<star])
                    if !familyPrefixes.contains(prefix) { familyPrefixes.append(prefix) }
                } else {
                    keys.insert(k)
                }
            }
        }
        for m in e.children("module") {
            if let prefix = m["prefix"], let name = m["name"] { modules.append((prefix, name)) }
        }
        for a in e.children("action") {
            if let key = a["key"] { actions[key] = ProseReader.inline(a).plain }
        }
    }

    /// Whether `key` names an existing sysctl (exactly, or through an interface family).
    public func contains(_ key: String) -> Bool {
        if keys.contains(key) { return true }
        return family(of: key) != nil
    }

    /// The family pattern a per-interface key belongs to (`net.ipv4.conf.eth0.rp_filter` → `net.ipv4.conf.*.rp_filter`).
    public func family(of key: String) -> String? {
        for prefix in familyPrefixes where key.hasPrefix(prefix) {
            // The interface is one component: it may contain "/" (a dot in the interface name) but not ".".
            let rest = key.utf8.dropFirst(prefix.utf8.count)
            guard let dot = rest.firstIndex(of: UInt8(ascii: ".")), dot != rest.startIndex else { continue }
            let candidate = prefix + "*" + String(Substring(key.utf8[dot...]))
            if families.contains(candidate) { return candidate }
        }
        return nil
    }

    /// The module whose loading creates `key`, if the key lies under a module-gated prefix.
    /// The longest matching prefix wins (`fs.nfs.nlm_` → lockd over `fs.nfs.` → nfs).
    public func module(for key: String) -> String? {
        modules.filter { key.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }?.name
    }

    /// Whether a sysctl.d glob (`net.ipv4.conf.*.rp_filter`, `net.ipv4.tcp_*_retries`) matches some known key.
    /// Keys are matched as /proc/sys paths, as systemd does; an interface family matches a `*` in its place.
    public func anyMatch(glob: String) -> Bool {
        if families.contains(glob) { return true }
        let pattern = SysctlKey.procPath(glob)
        func matches(_ key: String) -> Bool { fnmatch(pattern, SysctlKey.procPath(key), 0) == 0 }
        // An interface family stands for its instances: try it with a sample interface name.
        return keys.contains(where: matches) || families.contains { matches($0.replacingOccurrences(of: "*", with: "eth0")) }
    }

    /// Every exact name, for did-you-mean.
    public var allNames: [String] { Array(keys) + Array(families) }
}
