import Foundation

/// Command-line choices merged over `.twlint.yaml`: the command line wins.
public struct RunSettings {
    public var kernel: KernelVersion?
    public var kubernetes: String?
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
        case glob(String)

        public var description: String {
            switch self {
            case .config(let e): return "invalid configuration: \(e)"
            case .rules(let p): return "invalid rule files:\n\(p)"
            case .failOn(let s): return "--fail-on: \"\(s)\" is not one of error, warning, info, never"
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
        var runningKernel: KernelVersion?
        if let root = systemRoot, (root as NSString).standardizingPath == "/" || URL(fileURLWithPath: root).resolvingSymlinksInPath().path == "/" {
            runningKernel = ProcReader(root: procRoot).kernel()
        }
        let target = Target(kernel: kernel ?? config?.kernel ?? runningKernel, profile: profile ?? config?.profile, kubernetes: kubernetes ?? config?.kubernetes)
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
}
