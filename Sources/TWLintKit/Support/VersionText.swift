/// What `twlint --version` prints: the version, the git revision the binary was built from and the
/// kernel range the knowledge base covers.
public var versionText: String {
    "twlint \(version) (revision \(BuildInfo.revision)); knowledge base covers Linux \(KernelVersion.oldestDescribed) to \(KernelVersion.newestKnown)"
}

extension KernelVersion {
    /// The oldest kernel a parameter's history in the kb names. A constant, so that `--version` (which
    /// ArgumentParser evaluates for every command) does not parse the whole kb; a test keeps it equal to
    /// `KnowledgeBase.oldestKernel`.
    public static let oldestDescribed = KernelVersion(2, 2)
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
