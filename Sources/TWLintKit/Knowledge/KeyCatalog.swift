/// Names of every sysctl known to exist, module-gated prefixes, and one-shot action keys.
public struct KeyCatalog: Sendable {
    public private(set) var keys: Set<String> = []
    /// Families with `*` for the interface: `net.ipv4.conf.*.rp_filter`, split at the `*`.
    public private(set) var families: [(prefix: String, suffix: String)] = []
    public private(set) var modules: [(prefix: String, name: String)] = []
    public private(set) var actions: [String: String] = [:]

    public init() {}

    mutating func add(_ e: XMLElement) {
        for list in e.children("keys") {
            for key in list.text.split(separator: " ") {
                let k = String(key)
                if let star = k.firstIndex(of: "*") {
                    families.append((String(k[..<star]), String(k[k.index(after: star)...])))
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
        for f in families where key.hasPrefix(f.prefix) && key.hasSuffix(f.suffix) && key.count > f.prefix.count + f.suffix.count {
            let middle = key.dropFirst(f.prefix.count).dropLast(f.suffix.count)
            // The interface component is one name: it may contain "/" (a dot in the interface name) but not ".".
            if !middle.contains(".") { return f.prefix + "*" + f.suffix }
        }
        return nil
    }

    /// The module whose loading creates `key`, if the key lies under a module-gated prefix.
    /// The longest matching prefix wins (`fs.nfs.nlm_` → lockd over `fs.nfs.` → nfs).
    public func module(for key: String) -> String? {
        modules.filter { key.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }?.name
    }

    /// Every exact name, for did-you-mean.
    public var allNames: [String] { Array(keys) + families.map { $0.prefix + "*" + $0.suffix } }
}
