import Foundation

/// kb/kubernetes/releases.xml as the Swift expression of `KubernetesReleases.Source`: the attributes its reader takes,
/// as written, so that start-up parses no XML for the Kubernetes facts (KubernetesReleases.swift follows both
/// forms from there; the test suite compares the result with a full parse).
func kubernetesSource(of text: String) throws -> String {
    guard try rootName(text) == "kubernetes-releases" else { throw SummaryError(description: "not a <kubernetes-releases> file") }
    let content = try rootContent(text)
    func opt(_ s: String?) -> String { s.map(literal) ?? "nil" }
    func attributes(_ tag: Substring, _ names: [String]) throws -> String {
        "(" + (try names.map { opt(try attributeValue($0, in: tag)) }).joined(separator: ", ") + ")"
    }
    func classes(_ s: Substring) throws -> String {
        "[" + (try elementsWithAttributes("namespace", in: s).map { try attributes($0.attributes, ["name", "match", "ns", "commit"]) }).joined(separator: ", ") + "]"
    }
    func list(_ name: String, _ s: Substring, _ names: [String]) throws -> String {
        "[" + (try elementsWithAttributes(name, in: s).map { try attributes($0.attributes, names) }).joined(separator: ", ") + "]"
    }
    // <unreleased> holds no <release>; its own elements are read from it alone.
    let unreleased = try elementsWithAttributes("unreleased", in: content).first
    let outside = try removing("unreleased", from: content)
    var releases: [String] = []
    for r in try elementsWithAttributes("release", in: outside) {
        let tag = r.attributes
        let host = try elementsWithAttributes("host-namespace-rejection", in: r.content).first
        releases.append("""
                .init(version: \(opt(try attributeValue("version", in: tag))), status: \(opt(try attributeValue("status", in: tag))), \
            helpersTag: \(opt(try attributeValue("helpers-tag", in: tag))), psaTag: \(opt(try attributeValue("psa-tag", in: tag))),
                      safe: \(try list("safe", r.content, ["key", "min-kernel", "source", "commit"])),
                      baseline: \(try list("baseline", r.content, ["key", "policy-since"])),
                      namespaces: \(try classes(r.content)),
                      hostNamespaceRejection: \(opt(try host.flatMap { try attributeValue("commit", in: $0.attributes) })),
                      features: [\(try elementsWithAttributes("feature", in: r.content).map { opt(try attributeValue("name", in: $0.attributes)) }.joined(separator: ", "))])
            """)
    }
    let unreleasedSource = try unreleased.map { u in
        "(namespaces: \(try classes(u.content)), features: \(try list("feature", u.content, ["name", "commit"])))"
    } ?? "nil"
    return "KubernetesReleases.Source(releases: [\n" + releases.joined(separator: ",\n") + "\n    ], unreleased: \(unreleasedSource))"
}
