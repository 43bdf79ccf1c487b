import Foundation

/// Command-line choices merged over `.twlint.yaml`: the command line wins.
public struct RunSettings {
    public var kernel: KernelVersion?
    public var kubernetes: String?
    public var profile: Profile?
    public var failOn: String?
    public var ruleDirectories: [String] = []
    public var configPath: String?
    public var useConfig = true
    public var workingDirectory = FileManager.default.currentDirectoryPath

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

        public var description: String {
            switch self {
            case .config(let e): return "invalid configuration: \(e)"
            case .rules(let p): return "invalid rule files:\n\(p)"
            case .failOn(let s): return "--fail-on: \"\(s)\" is not one of error, warning, info, never"
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
        let failText = failOn ?? config?.failOn ?? "warning"
        let failSeverity: Severity?
        if failText == "never" {
            failSeverity = nil
        } else if let s = Severity(rawValue: failText) {
            failSeverity = s
        } else {
            throw SettingsError.failOn(failText)
        }
        let target = Target(kernel: kernel ?? config?.kernel, profile: profile ?? config?.profile, kubernetes: kubernetes ?? config?.kubernetes)
        let options = LintOptions(target: target, failOn: failSeverity, disabled: Set(config?.disable ?? []),
                                  severityOverrides: config?.severity ?? [:])
        return Resolved(options: options, kb: kb, config: config)
    }
}
