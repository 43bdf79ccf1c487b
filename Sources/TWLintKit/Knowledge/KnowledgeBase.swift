import Foundation

/// Everything twlint knows: parameters, topics and rules, loaded from validated XML.
public struct KnowledgeBase: Sendable {
    /// Parameters by key, parsed on first use.
    private(set) var store = LazyEntries<Parameter> { root, path, key in
        let p = Parameter(root, path: path)
        // Shipped entries are filed by their file name; a mismatch is a build defect.
        precondition(p.key == key, "\(path) defines \(p.key), not \(key)")
        return p
    }

    /// Every parameter (parses any not read yet).
    public var parameters: [String: Parameter] { store.all() }

    /// One parameter by exact key, parsed on first use.
    public func parameter(named key: String) -> Parameter? { store.get(key) }

    /// Every parameter key, without parsing.
    public var parameterKeys: [String] { store.keys }
    /// Topics by id, parsed on first use (explain of a parameter looks them up by name only, from the index).
    private(set) var topicStore = LazyEntries<Topic> { root, path, id in
        let t = Topic(root, path: path)
        precondition(t.id == id, "\(path) defines topic \(t.id), not \(id)")
        return t
    }
    /// Every topic by id (parses any not read yet).
    public var topics: [String: Topic] { topicStore.all() }
    /// One topic by exact id, parsed on first use.
    public func topic(id: String) -> Topic? { topicStore.get(id) }
    private(set) var counterStore = LazyEntries<Counter> { root, path, _ in Counter(root, path: path) }
    private(set) var symptomStore = LazyEntries<Symptom> { root, path, _ in Symptom(root, path: path) }

    /// Every counter entry by name (`TcpExt.ListenOverflows`), parsing any not read yet.
    public var counters: [String: Counter] { counterStore.all() }
    /// One counter entry by exact name, parsed on first use.
    public func counter(named name: String) -> Counter? { counterStore.get(name) }
    /// Every counter name, without parsing.
    public var counterNames: [String] { counterStore.keys }
    /// Every symptom entry by id.
    public var symptoms: [String: Symptom] { symptomStore.all() }
    public var sortedCounters: [Counter] { counters.values.sorted { $0.name < $1.name } }
    public var sortedSymptoms: [Symptom] { symptoms.values.sorted { $0.id < $1.id } }
    /// Every rule, sorted by code (the shipped ones are parsed on first use; see LazyRules).
    public var rules: [Rule] { ruleStore.all() }
    private(set) var ruleStore = LazyRules()
    /// The rules whose summary satisfies `match`, sorted by code; parses only those. `match` must not ask the
    /// knowledge base for anything.
    public func rules(where match: (RuleSummary) -> Bool) -> [Rule] { ruleStore.rules(where: match) }
    public private(set) var catalog = KeyCatalog()
    /// Per-release Kubernetes sysctl facts (kb/kubernetes/releases.xml).
    public private(set) var kubernetesReleases = KubernetesReleases()
    /// How the kernel parses a write to each network sysctl (kb/catalog/handlers.xml), for KernelWrite.
    /// Parsed on first use (explain never asks).
    public var handlers: KernelHandlers { handlerStore.current }
    private var handlerStore = LazyParsed(KernelHandlers()) { $0.add($1) }
    /// Keys that a rule bound to kernel versions is about (tcp_tw_recycle): the generic absent-key
    /// rule leaves them to that rule.
    public var versionBoundSubjects: Set<String> { ruleStore.versionBoundSubjects }

    public var sortedParameters: [Parameter] { parameters.values.sorted { $0.key < $1.key } }

    /// The key a parameter file in kb/ stands for: kb/net.ipv4.conf.IFACE.rp_filter.xml → net.ipv4.conf.*.rp_filter.
    /// (On the bytes: this runs for every shipped file at start-up, where Foundation's replacingOccurrences cost
    /// more than half a millisecond.)
    static func parameterKey(fromPath path: String) -> String? {
        guard path.hasPrefix("kb/"), path.hasSuffix(".xml") else { return nil }
        let name = path.utf8.dropFirst(3).dropLast(4)
        guard !name.contains(UInt8(ascii: "/")) else { return nil }
        // IFACE stands for any interface: each occurrence becomes `*` (most names have none).
        guard name.contains(UInt8(ascii: "I")) else { return String(Substring(name)) }
        let bytes = Array(name), iface = Array("IFACE".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == iface[0], bytes[i...].starts(with: iface) {
                out.append(UInt8(ascii: "*"))
                i += iface.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
    private static let lazyDirectories = [("counters", "kb/counters/"), ("symptoms", "kb/symptoms/"), ("topics", "kb/topics/")]
    /// The name a counter, symptom or topic file stands for: kb/counters/TcpExt.TW.xml → (counters, TcpExt.TW).
    static func lazyEntry(fromPath path: String) -> (kind: String, key: String)? {
        guard path.hasPrefix("kb/"), path.hasSuffix(".xml") else { return nil }
        for (kind, prefix) in lazyDirectories where path.hasPrefix(prefix) {
            let name = String(path.dropFirst(prefix.count).dropLast(4))
            guard !name.contains("/") else { return nil }
            return (kind, name)
        }
        return nil
    }
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
            return try KnowledgeBase(files: EmbeddedKnowledge.files.filter { !$0.path.hasPrefix("schema/") }, validate: false,
                                     summaries: EmbeddedKnowledge.summaries, ruleSummaries: EmbeddedKnowledge.ruleSummaries,
                                     embedded: true)
        } catch {
            fatalError("the shipped knowledge base is invalid:\n\(error)")
        }
    }()

    /// Loads and validates knowledge from (path, text) pairs; every problem in every file is reported together.
    public init(files: [(path: String, text: String)], validate: Bool = true) throws {
        try self.init(files: files, validate: validate, summaries: [:], ruleSummaries: [:])
    }

    /// `summaries`, `ruleSummaries`: the build's summaries of these files by path (only for the shipped files, whose
    /// text they were read from). `embedded`: the key catalog and the Kubernetes facts are the build's
    /// (EmbeddedKnowledge.catalog, .kubernetesReleases) and their files, which must be among `files`, are not parsed
    /// (only for the shipped files).
    init(files: [(path: String, text: String)], validate: Bool, summaries: [String: EntrySummary],
         ruleSummaries: [String: RuleSummary] = [:], embedded: Bool = false) throws {
        // Parsing (and validating) is independent per file: it runs on all cores; entries are then added in path order.
        var sorted = files.sorted(by: { $0.path < $1.path })
        if embedded {
            var paths = Set(EmbeddedKnowledge.catalog.paths)
            catalog = KeyCatalog.embeddedShipped()
            if let (path, source) = EmbeddedKnowledge.kubernetesReleases {
                paths.insert(path)
                kubernetesReleases = KubernetesReleases(source)
            }
            precondition(paths.isSubset(of: sorted.map(\.path)), "the embedded knowledge is made from files that are not given")
            sorted = sorted.filter { !paths.contains($0.path) }
        }
        if !validate {
            // Parameter entries are parsed when first used.
            sorted = sorted.filter { file in
                if let (kind, key) = KnowledgeBase.lazyEntry(fromPath: file.path) {
                    let store: (String, String, String, EntrySummary?) -> Void
                    switch kind {
                    case "counters": store = counterStore.defer_
                    case "symptoms": store = symptomStore.defer_
                    default: store = topicStore.defer_
                    }
                    store(key, file.path, file.text, summaries[file.path])
                    return false
                }
                if let summary = ruleSummaries[file.path] {
                    ruleStore.defer_(path: file.path, text: file.text, summary: summary)
                    return false
                }
                if file.path.hasPrefix("kb/catalog/handlers") {
                    handlerStore.defer_(path: file.path, text: file.text)
                    return false
                }
                guard let key = KnowledgeBase.parameterKey(fromPath: file.path) else { return true }
                store.defer_(key: key, path: file.path, text: file.text, summary: summaries[file.path])
                return false
            }
        }
        var parsed = [Result<XMLElement, XMLProblems>?](repeating: nil, count: sorted.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: sorted.count) { i in
            let result: Result<XMLElement, XMLProblems>
            do {
                result = .success(try KnowledgeBase.parse(text: sorted[i].text, path: sorted[i].path, validate: validate))
            } catch let error as XMLProblems {
                result = .failure(error)
            } catch {
                result = .failure(XMLProblems([XMLProblem(path: sorted[i].path, line: 0, message: "\(error)")]))
            }
            lock.lock()
            parsed[i] = result
            lock.unlock()
        }
        var problems: [XMLProblem] = []
        for (i, result) in parsed.enumerated() {
            do {
                try insert(try result!.get(), path: sorted[i].path)
            } catch let error as XMLProblems {
                problems += error.problems
            }
        }
        if !problems.isEmpty { throw XMLProblems(problems) }
    }

    /// Adds every *.xml file below `directory` (a user's rules or kb directory), validated like ours.
    /// `user`: a user's rule directory (its own code space, references optional); false for twlint's own files.
    public mutating func addDirectory(_ directory: String, user: Bool = true) throws {
        ownStores()
        let files = try KnowledgeBase.readXMLFiles(below: directory)
        var problems: [XMLProblem] = []
        for file in files {
            do { try insert(try KnowledgeBase.parse(text: file.text, path: file.path, validate: true), path: file.path, user: user) }
            catch let error as XMLProblems { problems += error.problems }
        }
        if !problems.isEmpty { throw XMLProblems(problems) }
    }

    /// The stores are shared between copies: gives this one its own before it changes them.
    private mutating func ownStores() {
        store = store.copy()
        counterStore = counterStore.copy()
        symptomStore = symptomStore.copy()
        topicStore = topicStore.copy()
        ruleStore = ruleStore.copy()
        handlerStore = handlerStore.copy()
    }

    /// Bounds on `--rules DIR`: a rule file is a few KiB; a rule directory holds tens of them. A directory
    /// such as `/` is refused once the walk passes `maxRuleEntries` entries instead of walking the disk.
    public static let maxRuleFileBytes = 1024 * 1024
    public static let maxRuleBytes = 32 * 1024 * 1024
    public static let maxRuleEntries = 10_000
    static let maxRuleDepth = 16

    static func readXMLFiles(below directory: String) throws -> [(path: String, text: String)] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw XMLProblems([XMLProblem(path: directory, line: 0, message: "not a readable directory")])
        }
        var paths: [String] = []
        var problems: [XMLProblem] = []
        var entries = 0
        // Depth-first over real directories (symlinked ones are not followed), counting every entry seen.
        func walk(_ dir: String, depth: Int) throws {
            guard depth <= maxRuleDepth else {
                problems.append(XMLProblem(path: dir, line: 0, message: "nested more than \(maxRuleDepth) levels deep; not read"))
                return
            }
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
                problems.append(XMLProblem(path: dir, line: 0, message: "cannot list the directory"))
                return
            }
            for name in names.sorted() {
                entries += 1
                if entries > maxRuleEntries {
                    throw XMLProblems([XMLProblem(path: directory, line: 0,
                        message: "more than \(maxRuleEntries) entries below the rule directory; give the directory that holds the rule files")])
                }
                let path = (dir as NSString).appendingPathComponent(name)
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR {
                    try walk(path, depth: depth + 1)
                } else if name.hasSuffix(".xml") {
                    paths.append(path)
                }
            }
        }
        try walk(directory, depth: 0)
        let budget = ReadBudget(limit: maxRuleBytes)
        var files: [(path: String, text: String)] = []
        for path in paths.sorted() {
            let data: Data
            switch FileReader.read(path, limit: maxRuleFileBytes, budget: budget) {
            case .success(let d): data = d
            case .failure(let problem):
                problems.append(XMLProblem(path: path, line: 0, message: problem.detail))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(XMLProblem(path: path, line: 0, message: "not valid UTF-8"))
                continue
            }
            files.append((path, text))
        }
        if !problems.isEmpty { throw XMLProblems(problems) }
        return files
    }

    /// Parses one file, picks its schema by the root element, validates it and adds the entry.
    mutating func add(text: String, path: String, validate: Bool = true) throws {
        ownStores()
        try insert(try KnowledgeBase.parse(text: text, path: path, validate: validate), path: path)
    }

    /// Parses one file and validates it against the schema its root element calls for.
    static func parse(text: String, path: String, validate: Bool) throws -> XMLElement {
        try SafeXML.parseValidated(text, path: path) { name in
            switch name {
            case "parameter", "topic", "catalog", "counter", "symptom", "handlers": return validate ? .validate(KnowledgeBase.kbSchema) : SafeXML.SchemaChoice.none
            case "rule": return validate ? .validate(KnowledgeBase.ruleSchema) : SafeXML.SchemaChoice.none
            case "kubernetes-releases": return validate ? .validate(KnowledgeBase.kbSchema) : SafeXML.SchemaChoice.none
            default: return nil
            }
        }
    }

    /// Adds a parsed entry; a key, topic or rule defined twice is an error naming both files.
    /// `user`: the file comes from a user's rule directory (its own code space, references optional).
    mutating func insert(_ root: XMLElement, path: String, user: Bool = false) throws {
        switch root.name {
        case "parameter":
            let p = Parameter(root, path: path)
            try store.add(p, key: p.key, kind: "parameter", line: root.line)
        case "topic":
            let t = Topic(root, path: path)
            try topicStore.add(t, key: t.id, kind: "topic", line: root.line)
        case "rule":
            let r = try Rule(root, path: path)
            if user && r.code.hasPrefix("TW") {
                throw XMLProblems([XMLProblem(path: path, line: root.line, message: "rule code \(r.code): codes starting with TW are twlint's own; "
                    + "a user rule's code is 2 to 8 capital letters and digits starting with a letter, not TW (for example ACME1 or OPS042)")])
            }
            if !user && (!KnowledgeBase.isOwnRuleCode(r.code) || r.references.isEmpty) {
                throw XMLProblems([XMLProblem(path: path, line: root.line, message: "twlint's own rule \(r.code) needs a TWnnn code and references")])
            }
            // Against the summaries: the shipped rules need not be parsed for this.
            if let (existingPath, existing) = ruleStore.summaries.first(where: { $0.summary.code == r.code || $0.summary.slug == r.slug }) {
                let what = existing.code == r.code ? "code \(r.code)" : "slug \(r.slug)"
                let origin = user && existing.code.hasPrefix("TW") ? " (built into twlint)" : ""
                throw XMLProblems([XMLProblem(path: path, line: root.line,
                    message: "rule \(r.code) (\(r.slug)) in \(path) has the same \(what) as rule \(existing.code) (\(existing.slug)) in \(existingPath)\(origin)")])
            }
            ruleStore.add(r)
        case "counter":
            let c = Counter(root, path: path)
            try counterStore.add(c, key: c.name, kind: "counter", line: root.line)
        case "symptom":
            let s = Symptom(root, path: path)
            try symptomStore.add(s, key: s.id, kind: "symptom", line: root.line)
        case "catalog":
            catalog.add(root)
        case "kubernetes-releases":
            kubernetesReleases = KubernetesReleases(root)
        case "handlers":
            handlerStore.add(root)
        default:
            break
        }
    }

    /// Whether a key exists on `kernel` as far as twlint knows: a kb parameter that exists there,
    /// or a name in the catalog (or an interface family of one).
    /// The per-version tables decide where they can; between disagreeing tables the kb's history does.
    public func keyExists(_ key: String, on kernel: KernelVersion) -> Bool {
        let p = parameter(for: key)
        if p?.neverExisted != nil { return false }
        switch catalog.presence(of: key, on: kernel) {
        case .present: return true
        case .absent: return false
        case .unknown: break
        }
        if let p { return p.exists(on: kernel) }
        return catalog.contains(key)
    }

    /// Whether a kb parameter exists on `kernel` (the tables first, then the entry's history).
    public func exists(_ p: Parameter, on kernel: KernelVersion) -> Bool { keyExists(p.key, on: kernel) }

    /// The kb parameter for a key, also through its interface family.
    public func parameter(for key: String) -> Parameter? {
        if let p = store.get(key) { return p }
        return catalog.family(of: key).flatMap { store.get($0) }
    }

    /// `TWnnn` (checked on bytes: a regular expression per rule file cost more than the rest of the check).
    static func isOwnRuleCode(_ code: String) -> Bool {
        let b = Array(code.utf8)
        return b.count == 5 && b[0] == UInt8(ascii: "T") && b[1] == UInt8(ascii: "W") && b[2...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    public func rule(code: String) -> Rule? {
        rules(where: { $0.code.caseInsensitiveCompare(code) == .orderedSame }).first
    }
}
