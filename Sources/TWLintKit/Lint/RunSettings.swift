import Foundation

/// Command-line choices merged over `.twlint.yaml`: the command line wins.
public struct RunSettings {
    public var kernel: KernelVersion?
    public var kubernetes: String?
    /// Accept a --kubernetes release the table knows only from pre-release tags (or not at all).
    public var allowUnreleasedKubernetes = false
    public var profile: Profile?
    public var failOn: String?
    public var ruleDirectories: [String] = []
    /// `--exclude` / `--include` globs, relative to the working directory.
    public var exclude: [String] = []
    public var include: [String] = []
    public var configPath: String?
    public var useConfig = true
    public var workingDirectory = FileManager.default.currentDirectoryPath
    /// `lint --system --root DIR`: when DIR is `/` and no kernel is given, the target is the running kernel.
    public var systemRoot: String?
    /// Where the running kernel's release is read (`sys/kernel/osrelease` below it).
    public var procRoot = "/proc"

    public init() {}

    public struct Resolved {
        public let options: LintOptions
        public let kb: KnowledgeBase
        public let config: ProjectConfig?
    }

    public enum SettingsError: Error, CustomStringConvertible {
        case config(ProjectConfig.ConfigError)
        case rules(XMLProblems)
        case failOn(String)
        case kubernetes(String)
        case glob(String)

        public var description: String {
            switch self {
            case .config(let e): return "invalid configuration: \(e)"
            case .rules(let p): return "invalid rule files:\n\(p)"
            case .failOn(let s): return "--fail-on: \"\(s)\" is not one of error, warning, info, never"
            case .kubernetes(let s): return "--kubernetes: \(s)"
            case .glob(let s): return "\"\(s)\" is not a valid glob"
            }
        }
    }

    /// Reads the config file (given, or found upward), loads extra rules, and builds the run's options.
    public func resolve(base: KnowledgeBase = .shipped) throws -> Resolved {
        var config: ProjectConfig?
        if let path = configPath ?? (useConfig ? ProjectConfig.find(from: workingDirectory) : nil) {
            do { config = try ProjectConfig.load(path: path) } catch let e as ProjectConfig.ConfigError { throw SettingsError.config(e) }
        }
        var kb = base
        for dir in (config?.rules ?? []) + ruleDirectories {
            do { try kb.addDirectory(dir) } catch let e as XMLProblems { throw SettingsError.rules(e) }
        }
        do { try config?.checkRuleNames(against: kb) } catch let e as ProjectConfig.ConfigError { throw SettingsError.config(e) }
        let failText = failOn ?? config?.failOn ?? "warning"
        let failSeverity: Severity?
        if failText == "never" {
            failSeverity = nil
        } else if let s = Severity(rawValue: failText) {
            failSeverity = s
        } else {
            throw SettingsError.failOn(failText)
        }
        let k8s = kubernetes ?? config?.kubernetes
        if let k8s { try RunSettings.checkKubernetes(k8s, table: kb.kubernetesReleases, allowUnreleased: allowUnreleasedKubernetes) }
        var runningKernel: KernelVersion?
        if let root = systemRoot, (root as NSString).standardizingPath == "/" || URL(fileURLWithPath: root).resolvingSymlinksInPath().path == "/" {
            runningKernel = ProcReader(root: procRoot).kernel()
        }
        let target = Target(kernel: kernel ?? config?.kernel ?? runningKernel, profile: profile ?? config?.profile, kubernetes: k8s)
        var options = LintOptions(target: target, failOn: failSeverity, disabled: Set(config?.disable ?? []),
                                  severityOverrides: config?.severity ?? [:])
        let configBase = (config?.path.map { ($0 as NSString).deletingLastPathComponent }).map { $0.isEmpty ? workingDirectory : $0 } ?? workingDirectory
        func globs(_ patterns: [String], base: String) throws -> [Glob] {
            try patterns.map { p in guard let g = Glob(p, base: base) else { throw SettingsError.glob(p) }; return g }
        }
        options.walk.exclude = try globs(config?.exclude ?? [], base: configBase) + globs(exclude, base: workingDirectory)
        options.walk.include = try globs(config?.include ?? [], base: configBase) + globs(include, base: workingDirectory)
        return Resolved(options: options, kb: kb, config: config)
    }

    /// A Kubernetes target must be written X.Y and be a release the table knows as released
    /// (a pre-release or unknown minor only with `allowUnreleased`).
    static func checkKubernetes(_ text: String, table: KubernetesReleases, allowUnreleased: Bool) throws {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let v = KernelVersion(text) else {
            let hint = text.hasPrefix("v") || text.hasPrefix("V") ? " (write it without the v: \(text.dropFirst()))" : ""
            throw SettingsError.kubernetes("\"\(text)\" is not a Kubernetes minor release written X.Y, such as 1.32\(hint)")
        }
        guard let first = table.first, let newest = table.newestReleased else { return }
        let known = "twlint knows the sysctl facts of Kubernetes \(first.description) to \(newest.description)"
        if let r = table.release(v) {
            if !r.released && !allowUnreleased {
                throw SettingsError.kubernetes("\(text) is not released yet (only pre-release tags exist; \(known)); pass --allow-unreleased-kubernetes to lint for it")
            }
            return
        }
        if v < first.version { throw SettingsError.kubernetes("\(text) is older than the releases twlint has facts for (\(known))") }
        if !allowUnreleased {
            throw SettingsError.kubernetes("\(text) is not a Kubernetes release twlint knows (\(known)); pass --allow-unreleased-kubernetes to lint for it with the newest facts")
        }
    }
}
