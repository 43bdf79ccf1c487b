/// A kb topic: knowledge that is not one parameter (TIME_WAIT, the RST conditions, SO_LINGER …).
public final class Topic: @unchecked Sendable {
    public struct Section: Sendable {
        public let title: String
        let element: XMLElement
        public var blocks: [Block] { ProseReader.blocks(element) }
    }

    public let id: String
    public let title: String
    public let aliases: [String]
    public let summary: String
    public let sections: [Section]
    public let related: RelatedItems
    public let references: [Reference]
    public let path: String

    init(_ e: XMLElement, path: String) {
        id = e["id"] ?? ""
        title = e.child("title")?.text ?? ""
        aliases = e.child("aliases")?.children("alias").map(\.text) ?? []
        summary = e.child("summary")?.text ?? ""
        sections = e.children("section").map { Section(title: $0["title"] ?? "", element: $0) }
        related = RelatedItems(e.child("related"))
        references = .read(e.child("references"))
        self.path = path
    }
}
