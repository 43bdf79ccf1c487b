import Foundation

/// A typed reference: where a fact comes from.
public struct Reference: Equatable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case ipSysctl = "ip-sysctl"
        case commit, source, rfc, man, unp, kubernetes, url
    }

    public let kind: Kind
    public let attributes: [String: String]

    /// A one-line human title.
    public let title: String
    /// A link a reader can open, where the work is online.
    public let url: String?

    public init(kind: Kind, attributes: [String: String]) {
        self.kind = kind
        self.attributes = attributes
        self.title = Reference.title(kind, attributes)
        self.url = Reference.url(kind, attributes)
    }

    init?(_ element: XMLElement) {
        guard let kind = Kind(rawValue: element.name) else { return nil }
        self.init(kind: kind, attributes: element.attributes)
    }

    /// The kernel tree the source links point into: the series the kb describes.
    static let sourceTag = "v\(KernelVersion.newestKnown)"

    static func title(_ kind: Kind, _ a: [String: String]) -> String {
        switch kind {
        case .ipSysctl:
            let entry = a["entry"].map { ": \($0)" } ?? ""
            return "Linux kernel documentation, ip-sysctl, \(a["section"] ?? "")\(entry)"
        case .commit:
            let id = String((a["id"] ?? "").prefix(12))
            let version = a["version"].map { ", Linux \($0)" } ?? ""
            return "Linux commit \(id) (\"\(a["title"] ?? "")\"\(version))"
        case .source:
            let symbol = a["symbol"].map { " \($0)()" } ?? ""
            return "Linux source \(a["path"] ?? "")\(symbol)"
        case .rfc:
            let section = a["section"].map { " §\($0)" } ?? ""
            return "RFC \(a["number"] ?? "")\(section): \(a["title"] ?? "")"
        case .man:
            let entry = a["entry"].map { ", \($0)" } ?? ""
            return "man \(a["page"] ?? "")(\(a["section"] ?? ""))\(entry)"
        case .unp:
            return "Stevens, Fenner, Rudoff: UNIX Network Programming, Vol. 1, 3rd ed., §\(a["section"] ?? ""): \(a["title"] ?? "")"
        case .kubernetes:
            let path = a["path"].map { " (\($0))" } ?? ""
            return "Kubernetes: \(a["title"] ?? "")\(path)"
        case .url:
            return a["title"] ?? a["href"] ?? ""
        }
    }

    static func url(_ kind: Kind, _ a: [String: String]) -> String? {
        switch kind {
        case .ipSysctl:
            return "https://docs.kernel.org/networking/ip-sysctl.html#" + Reference.anchor(a["section"] ?? "")
        case .commit:
            return a["id"].map { "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=\($0)" }
        case .source:
            return a["path"].map { "https://elixir.bootlin.com/linux/\(Reference.sourceTag)/source/\($0)" }
        case .rfc:
            guard let n = a["number"] else { return nil }
            return "https://www.rfc-editor.org/rfc/rfc\(n)" + (a["section"].map { "#section-\($0)" } ?? "")
        case .man:
            guard let page = a["page"], let section = a["section"] else { return nil }
            return "https://man7.org/linux/man-pages/man\(section)/\(page).\(section).html"
        case .unp:
            return nil
        case .kubernetes:
            if let url = a["url"] { return url }
            return a["path"].map { "https://github.com/kubernetes/kubernetes/blob/master/\($0)" }
        case .url:
            return a["href"]
        }
    }

    /// Sphinx's anchor for a section heading: lower case, runs of other characters become one hyphen.
    static func anchor(_ heading: String) -> String {
        var out = ""
        for ch in heading.lowercased() {
            if ch.isLetter || ch.isNumber {
                out.append(ch)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        while out.last == "-" { out.removeLast() }
        return out
    }

    /// Problems with this reference that the schema cannot see.
    var problems: [String] {
        var found: [String] = []
        if let url, URL(string: url)?.scheme == nil { found.append("reference URL is not absolute: \(url)") }
        if kind == .kubernetes, attributes["path"] == nil, attributes["url"] == nil {
            found.append("a kubernetes reference needs a path or a url")
        }
        if kind == .url, let href = attributes["href"], !(href.hasPrefix("https://") || href.hasPrefix("http://")) {
            found.append("a url reference must be http(s): \(href)")
        }
        return found
    }
}

extension Array where Element == Reference {
    static func read(_ element: XMLElement?) -> [Reference] {
        element?.children.compactMap(Reference.init) ?? []
    }
}
