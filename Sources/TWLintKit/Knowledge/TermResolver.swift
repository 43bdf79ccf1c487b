/// What `twlint explain TERM` found.
public enum Resolution {
    case parameter(Parameter)
    case topic(Topic)
    case rule(Rule)
    case counter(Counter)
    case symptom(Symptom)
    case ambiguous(term: String, candidates: [String])
    case unknown(term: String, suggestions: [String])
}

extension KnowledgeBase {
    /// Resolves a key, short name, `net/ipv4/...` or `/proc/sys/...` path, topic id or alias, rule code or slug.
    public func resolve(_ rawTerm: String) -> Resolution {
        let term = KnowledgeBase.trimmingSpaces(rawTerm)
        let key = SysctlKey.fromProcPath(term) ?? SysctlKey.normalise(term)
        if let p = parameter(for: key) { return .parameter(p) }
        if let r = rule(code: term) { return .rule(r) }
        let folded = KnowledgeBase.fold(term)
        if let r = rules(where: { KnowledgeBase.fold($0.slug) == folded }).first { return .rule(r) }
        // Topic ids and aliases from the index: only the topic found is parsed.
        if let id = topicIDs(where: { id, s in KnowledgeBase.fold(id) == folded || s.aliases.contains { KnowledgeBase.fold($0) == folded } }).first,
           let t = topic(id: id) {
            return .topic(t)
        }
        if let c = counter(matching: term) { return .counter(c) }
        if let s = symptom(matching: term) { return .symptom(s) }
        // Names and aliases come from the index: only the entry found is parsed.
        let byName = parameterKeys { k, summary in
            Parameter.shortName(of: k) == key || summary.aliases.contains { $0.caseInsensitiveCompare(term) == .orderedSame }
        }
        if byName.count == 1, let p = parameter(named: byName[0]) { return .parameter(p) }
        if byName.count > 1 { return .ambiguous(term: term, candidates: byName) }
        // A suffix of a key: "ipv4.tcp_tw_reuse".
        let bySuffix = parameterKeys.filter { $0.hasSuffix("." + key) }.sorted()
        if bySuffix.count == 1, let p = parameter(named: bySuffix[0]) { return .parameter(p) }
        if bySuffix.count > 1 { return .ambiguous(term: term, candidates: bySuffix) }
        return .unknown(term: term, suggestions: suggestions(for: key))
    }

    /// Close spellings among every name explain accepts.
    public func suggestions(for term: String) -> [String] {
        let keySuggestions = Levenshtein.suggestions(for: term, in: parameterKeys)
        if !keySuggestions.isEmpty { return keySuggestions }
        var names = parameterKeys.map(Parameter.shortName(of:))
        names += topicSummaries.flatMap { [$0.key] + $0.summary.aliases }
        names += ruleStore.summaries.flatMap { [$0.summary.code, $0.summary.slug] }
        names += counterNames.map { String($0.drop { $0 != "." }.dropFirst()) }
        names += symptomSummaries.flatMap { [$0.key] + $0.summary.aliases }
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

    /// A counter by any spelling people use, case-insensitively: `TcpExt.ListenOverflows`, `TcpExt: ListenOverflows`,
    /// nstat's `TcpExtListenOverflows`, the bare column `ListenOverflows`, an alias (`LINUX_MIB_LISTENOVERFLOWS`),
    /// or a line of `netstat -s` output ("1234 times the listen queue of a socket overflowed").
    public func counter(matching rawTerm: String) -> Counter? {
        let term = KnowledgeBase.trimmingSpaces(rawTerm)
        // netstat -s prints counters it has no wording for as "Name: 123": numbers do not matter.
        let compact = KnowledgeBase.wordsWithoutNumbers(term).filter { $0 != "." && $0 != ":" && $0 != " " }
        guard !compact.isEmpty else { return nil }
        // Exact names first: they need no parsing.
        for name in counterNames {
            let lower = name.lowercased()
            let column = String(lower.drop { $0 != "." }.dropFirst())
            let joined = String(lower.filter { $0 != "." })
            if compact == joined { return counter(named: name) }
            if compact == column {
                // A bare column name that two groups share prefers the Tcp group's entry.
                let same = counterNames.filter { String($0.lowercased().drop { $0 != "." }.dropFirst()) == column }
                return counter(named: same.sorted { ($0.hasPrefix("Tcp") ? 0 : 1, $0) < ($1.hasPrefix("Tcp") ? 0 : 1, $1) }[0])
            }
        }
        let folded = KnowledgeBase.fold(term)
        if let name = counterNames(where: { _, s in s.aliases.contains { KnowledgeBase.fold($0) == folded } }).first {
            return counter(named: name)
        }
        // A pasted `netstat -s` line: its text without the numbers holds the counter's wording.
        let words = KnowledgeBase.wordsWithoutNumbers(term)
        guard words.count >= 8 else { return nil }
        // Each word of a line's normal form occurs in the lower-cased line: a line without the first word cannot
        // match, and is not normalised (that is most of them).
        let first = words.prefix { $0 != " " }
        let matches = counterNames { _, s in
            s.texts.contains { $0.lowercased().contains(first) && words == KnowledgeBase.wordsWithoutNumbers($0) }
        }
        return matches.count == 1 ? counter(named: matches[0]) : nil
    }

    /// A symptom by id or alias (`eaddrnotavail`), or by a pasted message that contains one of its texts
    /// (`connect: Cannot assign requested address`), case-insensitively.
    public func symptom(matching rawTerm: String) -> Symptom? {
        let folded = KnowledgeBase.fold(KnowledgeBase.trimmingSpaces(rawTerm))
        guard !folded.isEmpty else { return nil }
        let all = symptomSummaries
        if let s = all.first(where: { KnowledgeBase.fold($0.key) == folded || $0.summary.aliases.contains { KnowledgeBase.fold($0) == folded } }) {
            return symptomStore.get(s.key)
        }
        let text = KnowledgeBase.wordsWithoutNumbers(rawTerm)
        guard !text.isEmpty else { return nil }
        // The longest message found in the pasted text wins ("TCP: time wait bucket table overflow" before a shorter one).
        var best: (String, Int)?
        for (id, s) in all {
            for m in s.texts {
                let message = KnowledgeBase.wordsWithoutNumbers(m)
                guard message.count >= 5, text.contains(message) || (text.count >= 12 && message.contains(text)) else { continue }
                if best == nil || message.count > best!.1 { best = (id, message.count) }
            }
        }
        return best.flatMap { symptomStore.get($0.0) }
    }

    /// Lower-case words of a text, without numbers and punctuation at their ends, one space apart:
    /// "  1234 times the listen queue…" and "times the listen queue…" compare equal.
    static func wordsWithoutNumbers(_ s: String) -> String {
        s.lowercased()
            .split(whereSeparator: { $0.isWhitespace })
            .map { $0.trimmingCharacters(in: endPunctuation) }
            .filter { !$0.isEmpty && !$0.allSatisfy { $0.isNumber } }
            .joined(separator: " ")
    }

    /// `s` without leading and trailing spaces and tabs: what Foundation's `trimmingCharacters(in: .whitespaces)`
    /// removes (tab, Unicode Zs and U+200B; the test suite compares every scalar), without its NSString round trip.
    static func trimmingSpaces(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool { s == "\t" || s == "\u{200B}" || s.properties.generalCategory == .spaceSeparator }

    /// Punctuation trimmed from the ends of words (not `_`, which keys and counter names contain); built once,
    /// not per word.
    private static let endPunctuation = CharacterSet.punctuationCharacters.subtracting(CharacterSet(charactersIn: "_"))

    /// Topic and slug spelling is forgiving: case, `_` and `-` do not matter.
    static func fold(_ s: String) -> String {
        String(s.lowercased().map { $0 == "_" ? "-" : $0 })
    }
}

import Foundation
