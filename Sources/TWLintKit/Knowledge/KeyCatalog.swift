import Foundation
/// Names of every sysctl known to exist, module-gated prefixes, one-shot action keys, and the
/// per-version tables (which keys each kernel series defines, from kb/catalog/versions.xml).
public struct KeyCatalog: Sendable {
    /// Every exact name (no `*`).
    public var keys: Set<String> { embedded ? Self.embeddedSets.keys : storedKeys }
    /// Families with `*` for the interface: `net.ipv4.conf.*.rp_filter`.
    public var families: Set<String> { embedded ? Self.embeddedSets.families : storedFamilies }
    private var storedKeys: Set<String> = []
    private var storedFamilies: Set<String> = []
    /// Whether this is the shipped catalog as the build wrote it (EmbeddedKnowledge.catalog): names, table bits and
    /// conditions are then looked up there (a binary search) instead of in the sets and dictionaries below, which
    /// `add` fills (from the embedded data first, if there is one).
    private var embedded = false
    /// The distinct parts before the `*` (`net.ipv4.conf.`), a handful, for a quick family lookup.
    private var familyPrefixes: [String] = []
    public private(set) var modules: [(prefix: String, name: String)] = []
    public private(set) var actions: [String: String] = [:]

    /// One kernel tree the version tables were read from.
    public struct Table: Sendable {
        public let series: KernelVersion
        /// The exact release the tree holds (its Makefile): `6.1.166`.
        public let release: String
        public let tree: String
        public let commit: String
    }

    /// The tables, oldest series first.
    public private(set) var tables: [Table] = []
    /// Key or family → the indices (bits) of the tables that define it.
    private var presence: [String: UInt64] = [:]
    /// Key or family → the kernel configuration it needs, per table index (only where there is one).
    /// Kept as runs of table indices (a key's condition rarely changes between tables).
    private var conditions: [String: [(tables: Range<Int>, condition: String)]] = [:]
    /// Namespaces whose keys the tables list completely (every ctl_table of the tree is read, but the
    /// per-interface and module families of these four are what the booted kernels check).
    public static let tabledPrefixes = ["net.ipv4.", "net.ipv6.", "net.core.", "net.unix."]

    /// Names per kernel, computed once per kernel a run asks about.
    private let cache = NamesCache()

    final class NamesCache: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [KernelVersion: Set<String>] = [:]
        private var indexes: [KernelVersion: SuggestionIndex] = [:]
        // The lock is not held while a value is made (making an index asks for the names).
        func index(_ k: KernelVersion, _ make: () -> SuggestionIndex) -> SuggestionIndex {
            lock.lock()
            if let i = indexes[k] { lock.unlock(); return i }
            lock.unlock()
            let i = make()
            lock.lock(); indexes[k] = i; lock.unlock()
            return i
        }
        func get(_ k: KernelVersion, _ make: () -> Set<String>) -> Set<String> {
            lock.lock()
            if let n = names[k] { lock.unlock(); return n }
            lock.unlock()
            let n = make()
            lock.lock(); names[k] = n; lock.unlock()
            return n
        }
        func clear() { lock.lock(); names = [:]; indexes = [:]; lock.unlock() }
    }

    public init() {}

    /// The shipped catalog, from the data twlint-embed wrote at build time: the same catalog as adding the files
    /// `EmbeddedKnowledge.catalog.paths` in that order to an empty one (KeyCatalogEmbeddedTests), without parsing them.
    static func embeddedShipped() -> KeyCatalog {
        let data = EmbeddedKnowledge.catalog
        var c = KeyCatalog()
        c.embedded = true
        c.familyPrefixes = data.familyPrefixes
        c.modules = data.modules
        for (key, text) in data.actions { c.actions[key] = text }
        c.tables = data.tables.compactMap { t in
            KernelVersion(t.series).map { Table(series: $0, release: t.release ?? $0.description, tree: t.tree, commit: t.commit) }
        }
        return c
    }

    /// The embedded names split into keys and families, made when first asked for (lint's glob checks, the
    /// kernel-state model; explain never asks).
    private static let embeddedSets: (keys: Set<String>, families: Set<String>) = {
        let data = EmbeddedKnowledge.catalog
        var keys: Set<String> = [], families: Set<String> = []
        keys.reserveCapacity(data.count)
        for i in 0..<data.count {
            let name = data.name(i)
            if name.utf8.contains(UInt8(ascii: "*")) { families.insert(name) } else { keys.insert(name) }
        }
        return (keys, families)
    }()

    /// The embedded conditions by name index, made when first asked for.
    private static let embeddedConditions: [Int: [(tables: Range<Int>, condition: String)]] = {
        var out: [Int: [(tables: Range<Int>, condition: String)]] = [:]
        for c in EmbeddedKnowledge.catalog.conditions { out[c.name, default: []].append((c.from..<c.to, c.condition)) }
        return out
    }()

    /// Turns the embedded data into the sets and dictionaries `add` works on.
    private mutating func materialise() {
        guard embedded else { return }
        let data = EmbeddedKnowledge.catalog
        (storedKeys, storedFamilies) = Self.embeddedSets
        presence.reserveCapacity(data.count)
        for i in 0..<data.count where data.bits[i] != 0 { presence[data.name(i)] = data.bits[i] }
        for (i, list) in Self.embeddedConditions { conditions[data.name(i)] = list }
        embedded = false
    }

    private func hasKey(_ name: String) -> Bool {
        embedded ? !name.utf8.contains(UInt8(ascii: "*")) && EmbeddedKnowledge.catalog.index(of: name) != nil : storedKeys.contains(name)
    }

    private func hasFamily(_ name: String) -> Bool {
        embedded ? name.utf8.contains(UInt8(ascii: "*")) && EmbeddedKnowledge.catalog.index(of: name) != nil : storedFamilies.contains(name)
    }

    /// The table bits of exactly this name (nil when no table has it).
    private func presenceBits(_ name: String) -> UInt64? {
        guard embedded else { return presence[name] }
        let data = EmbeddedKnowledge.catalog
        return data.index(of: name).flatMap { data.bits[$0] != 0 ? data.bits[$0] : nil }
    }

    private func conditionList(_ name: String) -> [(tables: Range<Int>, condition: String)]? {
        guard embedded else { return conditions[name] }
        return EmbeddedKnowledge.catalog.index(of: name).flatMap { Self.embeddedConditions[$0] }
    }

    /// The names of a list, split at ASCII white space (one pass over the bytes: this runs for every name of a
    /// catalog file that is parsed).
    static func words(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var out: [String] = []
            out.reserveCapacity(bytes.count / 24)
            var start = -1
            for i in 0...bytes.count {
                let space = i == bytes.count || bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D
                if space {
                    if start >= 0 { out.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)); start = -1 }
                } else if start < 0 {
                    start = i
                }
            }
            return out
        }
    }

    private mutating func addName(_ k: String) {
        if let star = k.utf8.firstIndex(of: UInt8(ascii: "*")) {
            storedFamilies.insert(k)
            let prefix = String(Substring(k.utf8[..<star]))
            if !familyPrefixes.contains(prefix) { familyPrefixes.append(prefix) }
        } else {
            storedKeys.insert(k)
        }
    }

    mutating func add(_ e: XMLElement) {
        cache.clear()
        materialise()
        // Room reserved up front: growing the sets and tables step by step was a visible part of start-up.
        let names = e.children("keys").flatMap { Self.words($0.rawText) }
        storedKeys.reserveCapacity(storedKeys.count + names.count)
        for k in names { addName(k) }
        for m in e.children("module") {
            if let prefix = m["prefix"], let name = m["name"] { modules.append((prefix, name)) }
        }
        for a in e.children("action") {
            if let key = a["key"] { actions[key] = ProseReader.inline(a).plain }
        }
        // Version tables: each <kernel> lists what changed since the one before. A key is present in a run of
        // consecutive tables with one condition (a segment); only the changes are visited, not every key per table.
        var current: [String: (condition: String, from: Int)] = [:]   // key → its open segment ("" when no condition)
        let kernels = e.children("kernel")
        if !kernels.isEmpty {
            current.reserveCapacity(2048)
            presence.reserveCapacity(presence.count + 2048)
            storedKeys.reserveCapacity(storedKeys.count + 2048)
        }
        func close(_ name: String, _ segment: (condition: String, from: Int), before end: Int) {
            guard segment.from < end else { return }
            presence[name, default: 0] |= (end - segment.from == 64 ? ~0 : ((1 << UInt64(end - segment.from)) - 1)) << UInt64(segment.from)
            if !segment.condition.isEmpty {
                conditions[name, default: []].append((segment.from..<end, segment.condition))
            }
            addName(name)
        }
        for k in kernels {
            guard let series = k["series"].flatMap(KernelVersion.init), tables.count < 64 else { continue }
            if let last = tables.last, series <= last.series { continue }   // oldest first, as the generator writes
            let index = tables.count
            for group in k.children("added") {
                let condition = group["if"] ?? ""
                for name in Self.words(group.rawText) {
                    if let open = current[name] { close(name, open, before: index) }
                    current[name] = (condition, index)
                }
            }
            for group in k.children("removed") {
                for name in Self.words(group.rawText) {
                    if let open = current.removeValue(forKey: name) { close(name, open, before: index) }
                }
            }
            tables.append(Table(series: series, release: k["release"] ?? series.description, tree: k["tree"] ?? "", commit: k["commit"] ?? ""))
        }
        for (name, open) in current { close(name, open, before: tables.count) }
    }

    /// Whether `key` names an existing sysctl (exactly, or through an interface family) on some kernel.
    public func contains(_ key: String) -> Bool {
        if hasKey(key) { return true }
        return family(of: key) != nil
    }

    /// The family pattern a per-interface key belongs to (`net.ipv4.conf.eth0.rp_filter` → `net.ipv4.conf.*.rp_filter`).
    public func family(of key: String) -> String? {
        for prefix in familyPrefixes where key.hasPrefix(prefix) {
            // The interface is one component: it may contain "/" (a dot in the interface name) but not ".".
            let rest = key.utf8.dropFirst(prefix.utf8.count)
            guard let dot = rest.firstIndex(of: UInt8(ascii: ".")), dot != rest.startIndex else { continue }
            let candidate = prefix + "*" + String(Substring(key.utf8[dot...]))
            if hasFamily(candidate) { return candidate }
        }
        return nil
    }

    /// The module whose loading creates `key`, if the key lies under a module-gated prefix.
    /// The longest matching prefix wins (`fs.nfs.nlm_` → lockd over `fs.nfs.` → nfs).
    public func module(for key: String) -> String? {
        modules.filter { key.hasPrefix($0.prefix) }.max { $0.prefix.count < $1.prefix.count }?.name
    }

    // MARK: versions

    /// What the tables say about a key on one kernel.
    public enum Presence: Equatable, Sendable {
        /// The key exists there (`condition`: the kernel configuration it needs, if any).
        case present(condition: String?)
        case absent
        /// The tables cannot tell: the kernel lies between two tables that disagree, or outside them.
        case unknown
    }

    /// The table of exactly this series (`6.1`, `6.1.90` → the 6.1 table), if there is one.
    public func table(for kernel: KernelVersion) -> Table? {
        tables.first { $0.series.major == kernel.major && $0.series.minor == kernel.minor }
    }

    private func bits(_ key: String) -> UInt64? {
        if let b = presenceBits(key) { return b }
        return family(of: key).flatMap { presenceBits($0) }
    }

    /// Whether `key` (exact, or a per-interface key through its family) exists on `kernel`.
    /// A series with a table answers from it; between two tables that agree, so does the answer;
    /// after the newest table, a key it has is present and a key some older table had is absent.
    public func presence(of key: String, on kernel: KernelVersion) -> Presence {
        guard !tables.isEmpty else { return .unknown }
        let series = KernelVersion(kernel.major, kernel.minor)
        guard let b = bits(key) else {
            // In no table: within the namespaces the tables cover, no kernel up to the newest table has it.
            let tabled = Self.tabledPrefixes.contains { key.hasPrefix($0) }
            return tabled && series <= tables[tables.count - 1].series ? .absent : .unknown
        }
        func at(_ i: Int) -> Presence {
            guard b & (1 << UInt64(i)) != 0 else { return .absent }
            let name = presenceBits(key) != nil ? key : (family(of: key) ?? key)
            return .present(condition: conditionList(name)?.first { $0.tables.contains(i) }?.condition)
        }
        if let i = tables.firstIndex(where: { $0.series == series }) { return at(i) }
        let below = tables.lastIndex { $0.series < series }
        let above = tables.firstIndex { $0.series > series }
        switch (below, above) {
        case let (lo?, hi?):
            let (a, c) = (at(lo), at(hi))
            if a == .absent && c == .absent { return .absent }
            if a != .absent && c != .absent { return c }
            return .unknown
        case let (lo?, nil):
            if case .present = at(lo) { return at(lo) }
            return .absent   // some older table has it, the newest does not: removed
        default:
            return .unknown  // older than every table
        }
    }

    /// The first table (oldest first) that has `key`, and the last table before it (which does not).
    /// With both, the key was added in a release after `before` and no later than `first`.
    public func firstTable(with key: String) -> (first: Table, before: Table?)? {
        guard let b = bits(key), b != 0 else { return nil }
        let i = b.trailingZeroBitCount
        return (tables[i], i > 0 ? tables[i - 1] : nil)
    }

    /// When the newest table lacks a key an older one had: the last table with it and the first without.
    public func removal(of key: String) -> (last: Table, first: Table)? {
        guard let b = bits(key), b != 0, !tables.isEmpty else { return nil }
        let top = 63 - b.leadingZeroBitCount
        guard top < tables.count - 1 else { return nil }
        return (tables[top], tables[top + 1])
    }

    /// Why `key` is absent on `kernel`, in the tables' words; nil unless the tables say absent.
    /// `since`: the kb's exact first release, used when it agrees with the tables.
    public func absenceReason(of key: String, on kernel: KernelVersion, since: KernelVersion? = nil) -> String? {
        guard presence(of: key, on: kernel) == .absent else { return nil }
        let series = KernelVersion(kernel.major, kernel.minor)
        func next(_ a: KernelVersion, _ b: KernelVersion) -> Bool {
            (b.major == a.major && b.minor == a.minor + 1) || (b.major == a.major + 1 && b.minor == 0)
        }
        guard let first = firstTable(with: key) else {
            if let since, let last = tables.last, since > last.series { return "it first appeared in Linux \(since)" }
            return "no kernel source up to Linux \(tables.last?.release ?? "?") defines it"
        }
        if series < first.first.series {
            if let since, since <= first.first.series, first.before.map({ $0.series < since }) ?? true, series < since {
                return "it first appeared in Linux \(since)"
            }
            if let before = first.before, next(before.series, first.first.series) {
                return "it first appeared in Linux \(first.first.series)"
            }
            if let before = first.before {
                return "it was added after Linux \(before.series) (\(first.first.release) has it)"
            }
            return "it first appeared in Linux \(first.first.series) or earlier"
        }
        if let gone = removal(of: key), series >= gone.first.series {
            if next(gone.last.series, gone.first.series) { return "it was removed in Linux \(gone.first.series)" }
            return "it was removed after Linux \(gone.last.series) (\(gone.first.release) lacks it)"
        }
        let release = table(for: series)?.release ?? series.description
        return "the Linux \(release) source does not define it (other releases carry it, e.g. as a stable backport)"
    }

    /// What the tables say about a key's history, for `explain`: "since 6.11", "added after 6.9, in 6.11.11",
    /// "removed in 4.12", or the range of tables that have it. Nil when no table has it.
    public func history(of key: String) -> String? {
        guard let b = bits(key), b != 0, !tables.isEmpty else { return nil }
        func next(_ a: KernelVersion, _ b: KernelVersion) -> Bool {
            (b.major == a.major && b.minor == a.minor + 1) || (b.major == a.major + 1 && b.minor == 0)
        }
        var parts: [String] = []
        let lo = b.trailingZeroBitCount, hi = 63 - b.leadingZeroBitCount
        if lo == 0 {
            parts.append("present since \(tables[0].series) or earlier")
        } else if next(tables[lo - 1].series, tables[lo].series) {
            parts.append("since \(tables[lo].series)")
        } else {
            parts.append("added after \(tables[lo - 1].series), present in \(tables[lo].release)")
        }
        if hi < tables.count - 1 {
            parts.append(next(tables[hi].series, tables[hi + 1].series) ? "removed in \(tables[hi + 1].series)"
                         : "removed after \(tables[hi].series) (\(tables[hi + 1].release) lacks it)")
        }
        let gaps = (lo...hi).filter { b & (1 << UInt64($0)) == 0 }.map { tables[$0].release }
        if !gaps.isEmpty { parts.append("absent from \(gaps.joined(separator: ", ")) (a stable backport elsewhere)") }
        return parts.joined(separator: "; ")
    }

    /// The series the tables cover.
    public var tabledSeries: [KernelVersion] { tables.map(\.series) }

    /// Every key and family of `kernel`: those the tables show present there (for a kernel between or
    /// after the tables, present in the nearest tables; unknown counts as present), plus, after the newest
    /// table, the names of the main catalog that no table contradicts.
    public func keys(for kernel: KernelVersion) -> Set<String> {
        cache.get(KernelVersion(kernel.major, kernel.minor)) { computeKeys(for: kernel) }
    }

    private func computeKeys(for kernel: KernelVersion) -> Set<String> {
        var out: Set<String> = []
        // Every name with its table bits (nil when no table has it).
        var names: [(name: String, bits: UInt64?)] = []
        if embedded {
            let data = EmbeddedKnowledge.catalog
            names = (0..<data.count).map { (data.name($0), data.bits[$0] != 0 ? data.bits[$0] : nil) }
        } else {
            names = presence.map { ($0.key, $0.value) }
            for name in storedKeys.union(storedFamilies) where presence[name] == nil { names.append((name, nil)) }
        }
        for (name, bits) in names where bits != nil && presence(of: name, on: kernel) != .absent { out.insert(name) }
        let series = KernelVersion(kernel.major, kernel.minor)
        if tables.isEmpty || series > tables[tables.count - 1].series {
            for (name, bits) in names where bits == nil { out.insert(name) }
        } else {
            // Names only the documentation or a running kernel gave, outside the tabled namespaces.
            for (name, bits) in names where bits == nil && !Self.tabledPrefixes.contains(where: { name.hasPrefix($0) }) {
                out.insert(name)
            }
        }
        return out
    }

    /// Whether a sysctl.d glob (`net.ipv4.conf.*.rp_filter`, `net.ipv4.tcp_*_retries`) matches some known key.
    /// Keys are matched as /proc/sys paths, as systemd does. An interface family stands for every
    /// interface name: `net.ipv4.conf.lxc*.rp_filter` matches `net.ipv4.conf.*.rp_filter`.
    public func anyMatch(glob: String) -> Bool {
        anyMatch(glob: glob, in: keys, families: families)
    }

    /// The same, limited to the keys of `kernel`.
    public func anyMatch(glob: String, kernel: KernelVersion) -> Bool {
        let names = keys(for: kernel)
        return anyMatch(glob: glob, in: names.filter { !$0.contains("*") }, families: names.filter { $0.contains("*") })
    }

    private func anyMatch(glob: String, in keys: Set<String>, families: Set<String>) -> Bool {
        if families.contains(glob) || keys.contains(glob) { return true }
        let pattern = SysctlKey.procPath(glob)
        if keys.contains(where: { fnmatch(pattern, SysctlKey.procPath($0), 0) == 0 }) { return true }
        return families.contains { Self.familyMatches(family: $0, glob: glob) }
    }

    /// Whether a glob matches a family for some interface name: the glob's component at the family's
    /// `*` may be any pattern of one component; the other components must match as usual.
    static func familyMatches(family: String, glob: String) -> Bool {
        let f = family.split(separator: ".", omittingEmptySubsequences: false)
        let g = glob.split(separator: ".", omittingEmptySubsequences: false)
        guard f.count == g.count else {
            // A glob `*` may span components in fnmatch without FNM_PATHNAME; try the sample-name match too.
            let pattern = SysctlKey.procPath(glob)
            return fnmatch(pattern, SysctlKey.procPath(family.replacingOccurrences(of: "*", with: "eth0")), 0) == 0
        }
        for (fc, gc) in zip(f, g) {
            if fc == "*" { continue }   // any interface: some name matches any one-component pattern
            if fnmatch(String(gc), String(fc), 0) != 0 { return false }
        }
        return true
    }

    /// Every exact name, for did-you-mean.
    public var allNames: [String] {
        guard embedded else { return Array(storedKeys) + Array(storedFamilies) }
        let data = EmbeddedKnowledge.catalog
        return (0..<data.count).map(data.name)
    }

    /// The names of `kernel` for did-you-mean: only keys that kernel has (or may have).
    public func names(for kernel: KernelVersion) -> [String] { Array(keys(for: kernel)) }

    /// Did-you-mean candidates of `kernel`, indexed once per kernel; `extra` (the kb's own keys that exist
    /// there) is read only when the index is first built.
    func suggestionIndex(for kernel: KernelVersion, extra: () -> [String]) -> SuggestionIndex {
        cache.index(KernelVersion(kernel.major, kernel.minor)) { SuggestionIndex(keys(for: kernel).union(extra())) }
    }
}

/// The shipped key catalog as twlint-embed writes it (EmbeddedKnowledge.catalog; CatalogBuilder in twlint-embed):
/// what adding the catalog files to an empty KeyCatalog makes of them, with every name in one string, sorted by
/// its UTF-8 bytes, for a binary search. kb/catalog/*.xml stay the source; KeyCatalogEmbeddedTests compares the two.
struct EmbeddedCatalog: Sendable {
    /// The files it was made from, in the order they were added.
    let paths: [String]
    /// Every name (keys and `*` families), each followed by a newline, sorted by UTF-8 bytes.
    let names: String
    /// Where each name starts in `names.utf8`, and the end.
    let offsets: [Int]
    /// Per name: the tables (bits by table index) that define it; 0 when none does.
    let bits: [UInt64]
    /// The parts before the `*` of the families, in the order `add` first met them.
    let familyPrefixes: [String]
    /// Per name index: the run of tables `from..<to` whose definition needs `condition`.
    let conditions: [(name: Int, from: Int, to: Int, condition: String)]
    let modules: [(prefix: String, name: String)]
    let actions: [(key: String, text: String)]
    /// `release` nil: the file gives none (the series stands for it).
    let tables: [(series: String, release: String?, tree: String, commit: String)]

    var count: Int { bits.count }

    func name(_ i: Int) -> String {
        var text = names
        return text.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[offsets[i]..<(offsets[i + 1] - 1)]), as: UTF8.self) }
    }

    /// The index of exactly `name`, by binary search over the sorted bytes.
    func index(of name: String) -> Int? {
        var text = names, key = name
        return text.withUTF8 { all in
            key.withUTF8 { key in
                var lo = 0, hi = bits.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    let start = offsets[mid], length = offsets[mid + 1] - 1 - start
                    let common = min(length, key.count)
                    var order = common == 0 ? 0 : memcmp(all.baseAddress! + start, key.baseAddress!, common)
                    if order == 0 { order = length < key.count ? -1 : (length > key.count ? 1 : 0) }
                    if order == 0 { return mid }
                    if order < 0 { lo = mid + 1 } else { hi = mid }
                }
                return nil
            }
        }
    }
}
