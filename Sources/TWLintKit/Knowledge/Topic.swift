/// A kb topic: knowledge that is not one parameter (TIME_WAIT, the RST conditions, SO_LINGER …).
public final class Topic: @unchecked Sendable {
    public struct Section: Sendable {
        public let title: String
        let element: XMLElement
        public var blocks: [Block] { ProseReader.blocks(element) }
    }

    public let id: String
    public let heading: EntryHeading
    public let sections: [Section]
    public let path: String

    init(_ e: XMLElement, path: String) {
        id = e["id"] ?? ""
        heading = EntryHeading(e)
        sections = e.children("section").map { Section(title: $0["title"] ?? "", element: $0) }
        self.path = path
    }
}

/// The elements a topic, counter or symptom entry shares: `<title>`, `<aliases><alias>…`, `<summary>`, `<related>`
/// and `<references>`, each optional (empty when absent). Read in one place; the entries expose them through
/// `HeadedEntry`.
public struct EntryHeading: Sendable {
    public let title: String
    public let aliases: [String]
    public let summary: String
    public let related: RelatedItems
    public let references: [Reference]

    init(_ e: XMLElement) {
        title = e.child("title")?.text ?? ""
        aliases = e.child("aliases")?.children("alias").map(\.text) ?? []
        summary = e.child("summary")?.text ?? ""
        related = RelatedItems(e.child("related"))
        references = .read(e.child("references"))
    }
}

/// An entry whose title, aliases, summary, related items and references are its `EntryHeading`.
public protocol HeadedEntry {
    var heading: EntryHeading { get }
}

extension HeadedEntry {
    public var title: String { heading.title }
    public var aliases: [String] { heading.aliases }
    public var summary: String { heading.summary }
    public var related: RelatedItems { heading.related }
    public var references: [Reference] { heading.references }
}

extension Topic: HeadedEntry {}
