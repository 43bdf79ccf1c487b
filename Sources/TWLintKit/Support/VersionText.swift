/// What `twlint --version` prints: the version, the git revision the binary was built from and the
/// kernel range the knowledge base covers.
public var versionText: String {
    let oldest = KnowledgeBase.shipped.oldestKernel.map { "\($0)" } ?? "?"
    return "twlint \(version) (revision \(BuildInfo.revision)); knowledge base covers Linux \(oldest) to \(KernelVersion.newestKnown)"
}

extension KnowledgeBase {
    /// The oldest kernel any parameter's history names.
    var oldestKernel: KernelVersion? {
        var all: [KernelVersion] = []
        for p in parameters.values {
            if let s = p.since { all.append(s.version) }
            all += p.defaults.compactMap(\.since)
        }
        return all.min()
    }
}
