/// The names and related items of a kb parameter, counter, symptom or topic: what `twlint explain` looks entries
/// up by and what its reverse "related" lists need. For the shipped entries twlint-embed reads them at
/// build time (EmbeddedKnowledge.summaries), so a lookup parses only the entries it returns; the test suite
/// checks that every embedded summary equals the one computed from the fully parsed entry.
struct EntrySummary: Equatable, Sendable {
    /// `<aliases>` of the entry.
    var aliases: [String]
    /// What people paste: a counter's `netstat -s` lines, a symptom's messages (none for a parameter).
    var texts: [String]
    /// Keys and topic ids of its `<related>` element.
    var parameters: [String]
    var topics: [String]
}

/// An entry of a LazyEntries store: its summary computed from the parsed entry.
protocol IndexedEntry: KnowledgeFileEntry {
    var indexed: EntrySummary { get }
}

extension Parameter: IndexedEntry {
    var indexed: EntrySummary { EntrySummary(aliases: aliases, texts: [], parameters: related.parameters, topics: related.topics) }
}

extension Counter: IndexedEntry {
    var indexed: EntrySummary { EntrySummary(aliases: aliases, texts: netstat, parameters: related.parameters, topics: related.topics) }
}

extension Symptom: IndexedEntry {
    var indexed: EntrySummary { EntrySummary(aliases: aliases, texts: messages, parameters: related.parameters, topics: related.topics) }
}

extension Topic: IndexedEntry {
    var indexed: EntrySummary { EntrySummary(aliases: aliases, texts: [], parameters: related.parameters, topics: related.topics) }
}

extension KnowledgeBase {
    /// Parameter keys whose key and summary satisfy `match`, sorted; parses only entries without a summary.
    func parameterKeys(where match: (String, EntrySummary) -> Bool) -> [String] { store.keys(where: match) }
    /// Counter names whose name and summary satisfy `match`, sorted.
    func counterNames(where match: (String, EntrySummary) -> Bool) -> [String] { counterStore.keys(where: match) }
    /// Symptom ids whose id and summary satisfy `match`, sorted.
    func symptomIDs(where match: (String, EntrySummary) -> Bool) -> [String] { symptomStore.keys(where: match) }
    /// Topic ids whose id and summary satisfy `match`, sorted.
    func topicIDs(where match: (String, EntrySummary) -> Bool) -> [String] { topicStore.keys(where: match) }
    /// Every topic id with its summary, sorted by id.
    var topicSummaries: [(key: String, summary: EntrySummary)] { topicStore.summaries() }
    /// Every symptom id with its summary, sorted by id.
    var symptomSummaries: [(key: String, summary: EntrySummary)] { symptomStore.summaries() }
}
