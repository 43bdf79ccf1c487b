import Foundation

/// Everything twlint knows: parameters, topics and rules, loaded from validated XML.
public struct KnowledgeBase: Sendable {
    public private(set) var parameters: [String: Parameter] = [:]
    public private(set) var topics: [String: Topic] = [:]
    public private(set) var rules: [Rule] = []
    public private(set) var catalog = KeyCatalog()
    /// Keys that a rule bound to kernel versions is about (tcp_tw_recycle): the generic absent-key
    /// rule leaves them to that rule.
    public private(set) var versionBoundSubjects: Set<String> = []

    public var sortedParameters: [Parameter] { parameters.values.sorted { $0.key < $1.key } }
    public var sortedTopics: [Topic] { topics.values.sorted { $0.id < $1.id } }

    public init() {}

    /// The schemas shipped with twlint (embedded at build time).
    public static let kbSchema: SafeXML.Schema = loadEmbeddedSchema("schema/kb.xsd")
    public static let ruleSchema: SafeXML.Schema = loadEmbeddedSchema("schema/rule.xsd")

    private static func loadEmbeddedSchema(_ path: String) -> SafeXML.Schema {
        guard let text = EmbeddedKnowledge.files.first(where: { $0.path == path })?.text else {
            fatalError("twlint was built without \(path)")
        }
        do {
            return try SafeXML.Schema(text: text, name: path)
        } catch {
            fatalError("the shipped \(path) does not compile: \(error)")
        }
    }

    /// The knowledge shipped inside the binary. Built once per process. Its files are validated against
    /// the schemas by the test suite (KnowledgeBaseTests), so start-up skips that step.
    public static let shipped: KnowledgeBase = {
        do {
            return try KnowledgeBase(files: EmbeddedKnowledge.files.filter { !$0.path.hasPrefix("schema/") }, validate: false)
        } catch {
            fatalError("the shipped knowledge base is invalid:\n\(error)")
        }
    }()

    /// Loads and validates knowledge from (path, text) pairs; every problem in every file is reported together.
    public init(files: [(path: String, text: String)], validate: Bool = true) throws {
        var problems: [XMLProblem] = []
        for file in files.sorted(by: { $0.path < $1.path }) {
            do {
                try add(text: file.text, path: file.path, validate: validate)
            } catch let error as XMLProblems {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw XMLProblems(problems) }
    }

    /// Adds every *.xml file below `directory` (a user's rules or kb directory), validated like ours.
    public mutating func addDirectory(_ directory: String) throws {
        let files = try KnowledgeBase.readXMLFiles(below: directory)
        var problems: [XMLProblem] = []
        for file in files {
            do { try add(text: file.text, path: file.path) } catch let error as XMLProblems { problems += error.problems }
        }
        if !problems.isEmpty { throw XMLProblems(problems) }
    }

    static func readXMLFiles(below directory: String) throws -> [(path: String, text: String)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw XMLProblems([XMLProblem(path: directory, line: 0, message: "not a readable directory")])
        }
        guard let walker = FileManager.default.enumerator(atPath: directory) else {
            throw XMLProblems([XMLProblem(path: directory, line: 0, message: "cannot list the directory")])
        }
        var files: [(path: String, text: String)] = []
        var problems: [XMLProblem] = []
        for case let relative as String in walker where relative.hasSuffix(".xml") {
            let path = (directory as NSString).appendingPathComponent(relative)
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append(XMLProblem(path: path, line: 0, message: "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(XMLProblem(path: path, line: 0, message: "not valid UTF-8"))
                continue
            }
            files.append((path, text))
        }
        if !problems.isEmpty { throw XMLProblems(problems) }
        return files.sorted { $0.path < $1.path }
    }

    /// Parses one file, picks its schema by the root element, validates it and adds the entry.
    mutating func add(text: String, path: String, validate: Bool = true) throws {
        let root = try SafeXML.parseValidated(text, path: path) { name in
            switch name {
            case "parameter", "topic", "catalog": return validate ? .validate(KnowledgeBase.kbSchema) : SafeXML.SchemaChoice.none
            case "rule": return validate ? .validate(KnowledgeBase.ruleSchema) : SafeXML.SchemaChoice.none
            default: return nil
            }
        }
        switch root.name {
        case "parameter":
            let p = Parameter(root, path: path)
            if let existing = parameters[p.key] {
                throw XMLProblems([XMLProblem(path: path, line: root.line, message: "parameter \(p.key) is already defined in \(existing.path)")])
            }
            parameters[p.key] = p
        case "topic":
            let t = Topic(root, path: path)
            if let existing = topics[t.id] {
                throw XMLProblems([XMLProblem(path: path, line: root.line, message: "topic \(t.id) is already defined in \(existing.path)")])
            }
            topics[t.id] = t
        case "rule":
            let r = try Rule(root, path: path)
            if let existing = rules.first(where: { $0.code == r.code || $0.slug == r.slug }) {
                throw XMLProblems([XMLProblem(path: path, line: root.line, message: "rule \(r.code) (\(r.slug)) clashes with \(existing.code) (\(existing.slug)) in \(existing.path)")])
            }
            rules.append(r)
            rules.sort { $0.code < $1.code }
            if r.kernelMin != nil || r.kernelBelow != nil, let subject = r.subject { versionBoundSubjects.insert(subject) }
        case "catalog":
            catalog.add(root)
        default:
            break
        }
    }

    /// Whether a key exists on `kernel` as far as twlint knows: a kb parameter that exists there,
    /// or a name in the catalog (or an interface family of one).
    public func keyExists(_ key: String, on kernel: KernelVersion) -> Bool {
        if let p = parameter(for: key) { return p.exists(on: kernel) }
        return catalog.contains(key)
    }

    /// The kb parameter for a key, also through its interface family.
    public func parameter(for key: String) -> Parameter? {
        if let p = parameters[key] { return p }
        return catalog.family(of: key).flatMap { parameters[$0] }
    }

    public func rule(code: String) -> Rule? {
        rules.first { $0.code.caseInsensitiveCompare(code) == .orderedSame }
    }

    /// Rules that mention a key, for "related rules" in explain output.
    public func rules(mentioning key: String) -> [Rule] {
        rules.filter { $0.keys.contains(key) }
    }

    public func rules(relatedToTopic id: String) -> [Rule] {
        rules.filter { $0.related.topics.contains(id) }
    }
}
