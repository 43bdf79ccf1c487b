import Foundation
import Plot

/// Where each kb entry lives on the documentation site. URLs are stable: they are built from the rule code,
/// the parameter key, the topic/symptom id and the counter name only, never from titles.
public enum DocsLinks {
    public static func rule(_ code: String) -> String { "rules/\(safe(code)).html" }
    /// Interface families (`net.ipv4.conf.*.rp_filter`) are named with IFACE, as their kb files are.
    public static func parameter(_ key: String) -> String {
        "parameters/\(safe(key.replacingOccurrences(of: "*", with: "IFACE"))).html"
    }
    public static func topic(_ id: String) -> String { "topics/\(safe(id)).html" }
    public static func counter(_ name: String) -> String { "counters/\(safe(name)).html" }
    public static func symptom(_ id: String) -> String { "symptoms/\(safe(id)).html" }

    /// The absolute URL of a rule's page under a published site (`--docs-url`).
    public static func ruleURL(base: String, code: String) -> String {
        var b = base
        while b.hasSuffix("/") { b.removeLast() }
        return b + "/" + rule(code)
    }

    /// Whether `s` can be the base of a published site: an absolute http(s) URL.
    public static func isBaseURL(_ s: String) -> Bool {
        guard let url = URL(string: s), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else { return false }
        return url.host?.isEmpty == false
    }

    /// A file name made of the characters kb names use; anything else (never expected) becomes "_".
    static func safe(_ name: String) -> String {
        String(name.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_") ? c : "_"
        })
    }
}

/// The static documentation site: a page per rule, parameter, topic, counter and symptom, an index with a
/// client-side search over a generated JSON index, a stylesheet and SVG diagrams. Nothing is fetched at view time.
public struct DocsSite {
    public struct File {
        public let path: String
        public let contents: String
    }

    let kb: KnowledgeBase
    /// rule code → rules; parameter key → rules that read it or name it as related.
    let rulesByKey: [String: [Rule]]

    public init(kb: KnowledgeBase) {
        self.kb = kb
        var byKey: [String: [Rule]] = [:]
        for rule in kb.rules {
            var keys = rule.keys
            if let s = rule.subject { keys.insert(s) }
            keys.formUnion(rule.related.parameters)
            for k in keys { byKey[k, default: []].append(rule) }
        }
        rulesByKey = byKey.mapValues { $0.sorted { $0.code < $1.code } }
    }

    /// Every file of the site, paths relative to its root.
    public func files() -> [File] {
        var out: [File] = []
        let pages = DocsPages(site: self)
        out.append(File(path: "index.html", contents: pages.index()))
        for rule in kb.rules.sorted(by: { $0.code < $1.code }) {
            out.append(File(path: DocsLinks.rule(rule.code), contents: pages.rule(rule)))
        }
        for p in kb.sortedParameters {
            out.append(File(path: DocsLinks.parameter(p.key), contents: pages.parameter(p)))
        }
        for t in kb.sortedTopics {
            out.append(File(path: DocsLinks.topic(t.id), contents: pages.topic(t)))
        }
        for c in kb.sortedCounters {
            out.append(File(path: DocsLinks.counter(c.name), contents: pages.counter(c)))
        }
        for s in kb.sortedSymptoms {
            out.append(File(path: DocsLinks.symptom(s.id), contents: pages.symptom(s)))
        }
        let index = searchIndex()
        out.append(File(path: "search-index.json", contents: index))
        // The same data as a script, so that search also works when the site is opened from disk (file://),
        // where browsers refuse to fetch() a neighbouring JSON file.
        out.append(File(path: "search-index.js", contents: "window.TWLINT_SEARCH_INDEX = \(index);\n"))
        out.append(File(path: "search.js", contents: DocsAssets.searchScript))
        out.append(File(path: "style.css", contents: DocsAssets.stylesheet))
        for d in DocsDiagrams.all(kb: kb) {
            out.append(File(path: d.path, contents: d.svg))
        }
        return out
    }

    /// Writes the site under `directory` (created if missing) and returns the number of files written.
    @discardableResult
    public func write(to directory: String) throws -> Int {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: directory, isDirectory: true)
        let all = files()
        for file in all {
            let url = root.appendingPathComponent(file.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url, options: .atomic)
        }
        return all.count
    }

    /// One entry per page: kind, name, title, aliases and the page's URL.
    func searchIndex() -> String {
        var entries: [JSON] = []
        func add(_ kind: String, _ name: String, _ title: String, _ aliases: [String], _ url: String) {
            entries.append(.object([
                ("kind", .string(kind)), ("name", .string(name)), ("title", .string(title)),
                ("aliases", .array(aliases.map(JSON.string))), ("url", .string(url)),
            ]))
        }
        for r in kb.rules.sorted(by: { $0.code < $1.code }) { add("rule", r.code, r.title, [r.slug], DocsLinks.rule(r.code)) }
        for t in kb.sortedTopics { add("topic", t.id, t.title, t.aliases, DocsLinks.topic(t.id)) }
        for s in kb.sortedSymptoms { add("symptom", s.id, s.title, s.aliases + s.messages, DocsLinks.symptom(s.id)) }
        for p in kb.sortedParameters { add("parameter", p.key, p.summary, p.aliases + [p.shortName], DocsLinks.parameter(p.key)) }
        for c in kb.sortedCounters { add("counter", c.name, c.summary, c.aliases + c.netstat + [c.nstatName], DocsLinks.counter(c.name)) }
        return JSON.array(entries).render(pretty: false)
    }

    func rules(using key: String) -> [Rule] { rulesByKey[key] ?? [] }
}
