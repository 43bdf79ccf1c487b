/// What `twlint explain TERM` found.
public enum Resolution {
    case parameter(Parameter)
    case topic(Topic)
    case rule(Rule)
    case ambiguous(term: String, candidates: [String])
    case unknown(term: String, suggestions: [String])
}

extension KnowledgeBase {
    /// Resolves a key, short name, `net/ipv4/...` or `/proc/sys/...` path, topic id or alias, rule code or slug.
    public func resolve(_ rawTerm: String) -> Resolution {
        let term = rawTerm.trimmingCharacters(in: .whitespaces)
        let key = SysctlKey.fromProcPath(term) ?? SysctlKey.normalise(term)
        if let p = parameter(for: key) { return .parameter(p) }
        if let r = rule(code: term) { return .rule(r) }
        let folded = KnowledgeBase.fold(term)
        if let r = rules.first(where: { KnowledgeBase.fold($0.slug) == folded }) { return .rule(r) }
        if let t = topics.values.first(where: { KnowledgeBase.fold($0.id) == folded || $0.aliases.contains { KnowledgeBase.fold($0) == folded } }) {
            return .topic(t)
        }
        let byName = parameters.values.filter { p in
            p.shortName == key || p.aliases.contains { $0.caseInsensitiveCompare(term) == .orderedSame }
        }
        if byName.count == 1 { return .parameter(byName[0]) }
        if byName.count > 1 { return .ambiguous(term: term, candidates: byName.map(\.key).sorted()) }
        // A suffix of a key: "ipv4.tcp_tw_reuse".
        let bySuffix = parameters.values.filter { $0.key.hasSuffix("." + key) }
        if bySuffix.count == 1 { return .parameter(bySuffix[0]) }
        if bySuffix.count > 1 { return .ambiguous(term: term, candidates: bySuffix.map(\.key).sorted()) }
        return .unknown(term: term, suggestions: suggestions(for: key))
    }

    /// Close spellings among every name explain accepts.
    public func suggestions(for term: String) -> [String] {
        let keySuggestions = Levenshtein.suggestions(for: term, in: Array(parameters.keys))
        if !keySuggestions.isEmpty { return keySuggestions }
        var names = parameters.values.map(\.shortName)
        names += topics.values.flatMap { [$0.id] + $0.aliases }
        names += rules.flatMap { [$0.code, $0.slug] }
        return Levenshtein.suggestions(for: term, in: Array(Set(names)))
    }

    /// Keys close to a misspelt key: by edit distance, else keys holding every word of it
    /// (`net.ipv4_timestamps` → `net.ipv4.tcp_timestamps`).
    /// With `kernel`, only keys that kernel has are proposed.
    public func suggestions(forKey key: String, kernel: KernelVersion? = nil) -> [String] {
        guard key.utf8.count <= Levenshtein.maxTermLength else { return [] }
        let index: SuggestionIndex
        if let kernel {
            index = catalog.suggestionIndex(for: kernel) { self.parameterKeys.filter { self.keyExists($0, on: kernel) } }
        } else {
            index = SuggestionIndex(Set(parameterKeys).union(catalog.allNames))
        }
        let close = index.suggestions(for: key)
        if !close.isEmpty { return close }
        let words = Set(key.lowercased().split(whereSeparator: { $0 == "." || $0 == "_" || $0 == "/" }))
        guard words.count >= 2 else { return [] }
        return index.containing(words: words)
    }

    /// Topic and slug spelling is forgiving: case, `_` and `-` do not matter.
    static func fold(_ s: String) -> String {
        String(s.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}

import Foundation
