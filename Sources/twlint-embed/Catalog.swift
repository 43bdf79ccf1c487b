import Foundation

/// The key catalog (kb files whose root is `<catalog>`: kb/catalog/keys.xml, versions.xml) as Swift data, so that
/// start-up builds no sets from XML: what `KeyCatalog.add` makes of the files, in the order the knowledge base adds
/// them (sorted paths), with the names sorted by their UTF-8 bytes for a binary search (EmbeddedCatalog in
/// KeyCatalog.swift). Follows `KeyCatalog.add`; the test suite compares the result with a full parse.
struct CatalogBuilder {
    var paths: [String] = []
    /// Every name (keys and `*` families), with its table bits (0: in no table).
    var bits: [String: UInt64] = [:]
    var familyPrefixes: [String] = []
    var conditions: [String: [(from: Int, to: Int, condition: String)]] = [:]
    var modules: [(prefix: String, name: String)] = []
    var actions: [(key: String, text: String)] = []
    var tables: [(series: String, parsed: (Int, Int), release: String?, tree: String, commit: String)] = []

    static func isCatalog(_ text: String) throws -> Bool {
        try rootName(text) == "catalog"
    }

    private mutating func addName(_ name: String) {
        if let star = name.firstIndex(of: "*") {
            let prefix = String(name[..<star])
            if !familyPrefixes.contains(prefix) { familyPrefixes.append(prefix) }
        }
        if bits[name] == nil { bits[name] = 0 }
    }

    mutating func add(_ text: String, path: String) throws {
        paths.append(path)
        let content = try rootContent(text)
        for group in try elementsWithAttributes("keys", in: content) {
            for name in try words(group.content) { addName(name) }
        }
        for m in try elementsWithAttributes("module", in: content) {
            if let prefix = try attributeValue("prefix", in: m.attributes), let name = try attributeValue("name", in: m.attributes) {
                modules.append((prefix, name))
            }
        }
        for a in try elementsWithAttributes("action", in: content) {
            guard let key = try attributeValue("key", in: a.attributes) else { continue }
            if a.content.contains("<") { throw SummaryError(description: "markup in <action key=\"\(key)\"> is not handled") }
            if let i = actions.firstIndex(where: { $0.key == key }) { actions.remove(at: i) }
            actions.append((key, try plainText(a.content)))
        }
        // The version tables, as KeyCatalog.add reads them: runs of consecutive tables per key and condition.
        var current: [String: (condition: String, from: Int)] = [:]
        func close(_ name: String, _ segment: (condition: String, from: Int), before end: Int) {
            guard segment.from < end else { return }
            let run = (end - segment.from == 64 ? ~UInt64(0) : ((UInt64(1) << UInt64(end - segment.from)) - 1)) << UInt64(segment.from)
            addName(name)
            bits[name, default: 0] |= run
            if !segment.condition.isEmpty { conditions[name, default: []].append((segment.from, end, segment.condition)) }
        }
        for k in try elementsWithAttributes("kernel", in: content) {
            guard let seriesText = try attributeValue("series", in: k.attributes), let series = Self.series(seriesText), tables.count < 64 else { continue }
            if let last = tables.last, !(series > last.parsed) { continue }
            let index = tables.count
            for group in try elementsWithAttributes("added", in: k.content) {
                let condition = try attributeValue("if", in: group.attributes) ?? ""
                for name in try words(group.content) {
                    if let open = current[name] { close(name, open, before: index) }
                    current[name] = (condition, index)
                }
            }
            for group in try elementsWithAttributes("removed", in: k.content) {
                for name in try words(group.content) {
                    if let open = current.removeValue(forKey: name) { close(name, open, before: index) }
                }
            }
            tables.append((seriesText, series, try attributeValue("release", in: k.attributes),
                           try attributeValue("tree", in: k.attributes) ?? "", try attributeValue("commit", in: k.attributes) ?? ""))
        }
        for name in current.keys.sorted() { close(name, current[name]!, before: tables.count) }
    }

    /// `X.Y` (the series attribute as the generator writes it); anything else is refused rather than guessed.
    private static func series(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 7 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let a = Int(parts[0]), let b = Int(parts[1]) else { return nil }
        return (a, b)
    }

    /// Names split at ASCII white space; a name with markup or an entity is refused.
    private func words(_ s: Substring) throws -> [String] {
        if s.contains("<") || s.contains("&") { throw SummaryError(description: "markup or an entity in a list of names") }
        return s.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }).map(String.init)
    }

    /// The Swift source of `EmbeddedKnowledge.catalog`.
    func source() -> String {
        let names = bits.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        var offsets: [Int] = [0]
        for n in names { offsets.append(offsets.last! + n.utf8.count + 1) }
        var conditionRows: [String] = []
        for name in conditions.keys.sorted(by: { index[$0]! < index[$1]! }) {
            for c in conditions[name]! { conditionRows.append("(\(index[name]!), \(c.from), \(c.to), \(literal(c.condition)))") }
        }
        func list(_ items: [String]) -> String { "[" + items.joined(separator: ", ") + "]" }
        var out = "    /// The key catalog of \(paths.joined(separator: ", ")) (twlint-embed's CatalogBuilder; see EmbeddedCatalog).\n"
        out += "    static let catalog = EmbeddedCatalog(\n"
        out += "        paths: \(list(paths.map(literal))),\n"
        out += "        names: \(literal(names.map { $0 + "\n" }.joined())),\n"
        out += "        offsets: \(list(offsets.map(String.init))),\n"
        out += "        bits: \(list(names.map { "0x" + String(bits[$0]!, radix: 16) })),\n"
        out += "        familyPrefixes: \(list(familyPrefixes.map(literal))),\n"
        out += "        conditions: \(list(conditionRows)),\n"
        out += "        modules: \(list(modules.map { "(\(literal($0.prefix)), \(literal($0.name)))" })),\n"
        out += "        actions: \(list(actions.map { "(\(literal($0.key)), \(literal($0.text)))" })),\n"
        out += "        tables: \(list(tables.map { "(\(literal($0.series)), \($0.release.map(literal) ?? "nil"), \(literal($0.tree)), \(literal($0.commit)))" }))\n"
        out += "    )\n"
        return out
    }
}
