import Foundation
import Yams

/// `.twlint.yaml`: project defaults for kernel, kubernetes, profile, fail-on, disabled codes,
/// severity overrides and extra rule directories.
public struct ProjectConfig: Sendable, Equatable {
    public var kernel: KernelVersion?
    public var kubernetes: String?
    public var profile: Profile?
    public var failOn: String?
    /// Base URL of the published documentation site (`twlint docs`); findings link to their rule's page.
    public var docsURL: String?
    public var disable: [String] = []
    public var severity: [String: Severity] = [:]
    public var rules: [String] = []
    /// Globs left out of / added to directory walks, relative to this file's directory.
    public var exclude: [String] = []
    public var include: [String] = []
    /// Where it was read from.
    public var path: String?
    /// The line of each rule name in `disable:` and `severity:`, for errors that point at it.
    public var ruleNameLines: [String: Int] = [:]

    public init() {}

    public struct ConfigError: Error, CustomStringConvertible {
        public let path: String
        public let line: Int?
        public let message: String
        public var description: String { "\(path)\(line.map { ":\($0)" } ?? ""): \(message)" }
    }

    /// A project configuration is a few lines; anything larger is refused.
    public static let maxBytes = 1024 * 1024

    static let knownKeys = ["kernel", "kubernetes", "profile", "fail-on", "disable", "severity", "rules", "exclude", "include", "docs-url"]
    public static let fileName = ".twlint.yaml"

    /// Finds `.twlint.yaml` in `directory` or the nearest parent.
    public static func find(from directory: String) -> String? {
        var dir = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let candidate = dir.appendingPathComponent(fileName).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    /// Rule names in `disable:` and `severity:` that no rule of `kb` has: an error naming each, with its line.
    public func checkRuleNames(against kb: KnowledgeBase) throws {
        for (setting, names) in [("disable", disable), ("severity", severity.keys.sorted())] {
            for name in kb.unknownRuleNames(names) {
                let suggestion = Levenshtein.suggestions(for: name, in: kb.ruleNames, limit: 1).first.map { " (did you mean \"\($0)\"?)" } ?? ""
                throw ConfigError(path: path ?? ProjectConfig.fileName, line: ruleNameLines[name],
                                  message: "\(setting): \"\(name)\" is no rule's code or slug\(suggestion); `twlint rules` lists them")
            }
        }
    }

    public static func load(path: String) throws -> ProjectConfig {
        let data: Data
        switch FileReader.read(path, limit: maxBytes) {
        case .success(let d): data = d
        case .failure(let problem): throw ConfigError(path: path, line: nil, message: problem.detail)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(path: path, line: nil, message: "cannot read the file as UTF-8 text")
        }
        var config = try parse(text, path: path)
        // Rule directories are relative to the config file.
        let base = (path as NSString).deletingLastPathComponent
        config.rules = config.rules.map { $0.hasPrefix("/") ? $0 : (base as NSString).appendingPathComponent($0) }
        return config
    }

    public static func parse(_ text: String, path: String) throws -> ProjectConfig {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError(path: path, line: nil, message: "not valid YAML: \(error)")
        }
        var config = ProjectConfig()
        config.path = path
        guard let root = node else { return config }
        guard let mapping = root.mapping else {
            throw ConfigError(path: path, line: root.mark?.line, message: "expected a mapping of settings at the top level")
        }
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = keyNode.mark?.line
            func fail(_ message: String) -> ConfigError { ConfigError(path: path, line: line, message: "\(key): \(message)") }
            switch key {
            case "kernel":
                guard let s = value.string, let v = KernelVersion(s) else { throw fail("expected a kernel version such as 6.1") }
                config.kernel = v
            case "kubernetes":
                guard let s = value.string, s.range(of: #"^[0-9]+\.[0-9]+$"#, options: .regularExpression) != nil else {
                    throw fail("expected a Kubernetes version such as 1.32")
                }
                config.kubernetes = s
            case "profile":
                guard let s = value.string, let p = Profile(rawValue: s) else {
                    throw fail("expected one of \(Profile.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                config.profile = p
            case "fail-on":
                guard let s = value.string, s == "never" || Severity(rawValue: s) != nil else { throw fail("expected error, warning, info or never") }
                config.failOn = s
            case "disable":
                guard let seq = value.sequence, seq.allSatisfy({ $0.string != nil }) else { throw fail("expected a list of rule codes or slugs") }
                config.disable = seq.compactMap(\.string)
                for item in seq { if let n = item.string, let l = item.mark?.line { config.ruleNameLines[n] = l } }
            case "severity":
                guard let m = value.mapping else { throw fail("expected a mapping of rule code to error, warning or info") }
                for (k, v) in m {
                    guard let code = k.string, let s = v.string.flatMap(Severity.init) else {
                        throw ConfigError(path: path, line: k.mark?.line, message: "severity: \(k.string ?? "?"): expected error, warning or info")
                    }
                    config.severity[code] = s
                    if let l = k.mark?.line { config.ruleNameLines[code] = l }
                }
            case "docs-url":
                guard let s = value.string, DocsLinks.isBaseURL(s) else { throw fail("expected an http:// or https:// URL") }
                config.docsURL = s
            case "rules":
                guard let seq = value.sequence, seq.allSatisfy({ $0.string != nil }) else { throw fail("expected a list of directories") }
                config.rules = seq.compactMap(\.string)
            case "exclude", "include":
                guard let seq = value.sequence, seq.allSatisfy({ $0.string != nil }) else { throw fail("expected a list of globs") }
                let globs = seq.compactMap(\.string)
                if let bad = globs.first(where: { Glob($0, base: "/") == nil }) { throw fail("\"\(bad)\" is not a valid glob") }
                if key == "exclude" { config.exclude = globs } else { config.include = globs }
            default:
                let suggestion = Levenshtein.suggestions(for: key, in: knownKeys, limit: 1).first.map { " (did you mean \"\($0)\"?)" } ?? ""
                throw ConfigError(path: path, line: line, message: "unknown setting \"\(key)\"\(suggestion); known: \(knownKeys.joined(separator: ", "))")
            }
        }
        return config
    }
}
