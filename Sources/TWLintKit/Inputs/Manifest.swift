import Foundation
import Yams

/// A pod-like unit that gets its own set of sysctls: a Kubernetes workload's pod template or a compose service.
public struct Workload: Sendable {
    public enum Source: String, Sendable { case kubernetes, compose }

    public let source: Source
    /// `Deployment/api`, `compose service web`.
    public let name: String
    public var hostNetwork: Bool
    public var hostIPC: Bool
    /// Sysctls the pod (service) asks for: `securityContext.sysctls` or compose `sysctls`.
    public var sysctls: [Setting] = []
    /// Sysctls written by container commands, with whether that container is privileged.
    public var commandSysctls: [(setting: Setting, privileged: Bool)] = []
    /// Codes ignored by the `twlint.io/ignore` annotation.
    public var ignored: Set<String> = []
    public let location: SourceLocation
}

/// Reads Kubernetes manifests (Pod, workloads, CronJob, PodTemplate, List; YAML or JSON, several documents)
/// and compose files, with the line and object path of every sysctl.
public enum Manifest {
    /// Limits that keep untrusted YAML bounded: input size, flow nesting, nodes visited (alias expansion).
    /// The node budget is for the whole stream: many documents share it rather than each getting its own.
    public static let maxBytes = 8 * 1024 * 1024
    public static let maxNesting = 256
    public static let maxNodes = 1_000_000

    public struct Parsed: Sendable {
        public var workloads: [Workload] = []
        public var directives: [Directive] = []
        public var problems: [InputProblem] = []
        /// Not a manifest twlint understands (a plain YAML file in a walked directory).
        public var recognised = false
    }

    /// Whether text looks like a manifest rather than a sysctl file (for standard input).
    public static func looksLikeManifest(_ text: String) -> Bool {
        for line in text.split(separator: "\n").prefix(200) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("apiVersion:") || t.hasPrefix("kind:") || t.hasPrefix("services:") || t.hasPrefix("{") || t == "---" { return true }
        }
        return false
    }

    public static func parse(_ data: Data, path: String) -> Parsed {
        var result = Parsed()
        guard data.count <= maxBytes else {
            result.problems.append(InputProblem(code: "TW311", location: SourceLocation(path: path, line: 1),
                detail: "the manifest is \(data.count / 1024 / 1024) MiB, more than the \(maxBytes / 1024 / 1024) MiB twlint reads; it was not parsed"))
            result.recognised = true
            return result
        }
        guard let text = String(data: data, encoding: .utf8) else {
            result.problems.append(InputProblem(code: "TW903", location: SourceLocation(path: path, line: 1), detail: "the manifest is not valid UTF-8; it was not read"))
            result.recognised = true
            return result
        }
        result.directives = directives(in: text, path: path, problems: &result.problems)
        if let (line, depth) = deepestFlowNesting(text), depth > maxNesting {
            result.recognised = true
            result.problems.append(InputProblem(code: "TW311", location: SourceLocation(path: path, line: line),
                detail: "the YAML nests more than \(maxNesting) levels deep here; twlint refuses it rather than risk unbounded recursion"))
            return result
        }
        var budget = maxNodes
        do {
            var templateAt: Int?
            var documents = try Yams.compose_all(yaml: text)
            var documentIndex = 0
            while let document = documents.next() {
                documentIndex += 1
                do {
                    // Count the whole document first: aliases make a small text a huge tree ("billion laughs");
                    // the count stops at the budget, so a bomb costs bounded time.
                    // The count is charged to the stream's budget, so a stream of documents cannot multiply it.
                    try countAll(document, &budget)
                    if templateAt == nil { templateAt = unquotedActionLine(document) }
                    var visits = maxNodes
                    try visit(document, path: path, into: &result, budget: &visits)
                } catch let error as BudgetExceeded {
                    result.recognised = true
                    result.problems.append(InputProblem(code: "TW311", location: SourceLocation(path: path, line: error.line),
                        detail: "the stream expands to more than \(maxNodes) nodes by document \(documentIndex) (an alias/anchor bomb, a huge document or very many documents); twlint stopped reading it"))
                    return result
                }
            }
            // The sequence stops at a syntax error and keeps it.
            if let error = documents.error { throw error }
            if let line = templateAt, templateLine(text) != nil {
                result.workloads = []
                helmTemplate(text, path: path, line: line, into: &result)
            }
        } catch is YamlError where templateLine(text) != nil {
            // Text that is not YAML and carries Go template actions outside quoted scalars: a Helm template.
            helmTemplate(text, path: path, line: templateLine(text)!, into: &result)
        } catch let error as YamlError {
            // In a walk, broken YAML matters only when it meant to be a manifest.
            result.recognised = meantAsManifest(text)
            result.problems.append(InputProblem(code: "TW310", location: SourceLocation(path: path, line: line(of: error) ?? 1),
                detail: "not valid YAML/JSON: \(describe(error))"))
        } catch {
            result.recognised = meantAsManifest(text)
            result.problems.append(InputProblem(code: "TW310", location: SourceLocation(path: path, line: 1), detail: "not valid YAML/JSON: \(error)"))
        }
        return result
    }

    struct BudgetExceeded: Error { let line: Int }

    /// An unquoted `{{ … }}` parses as a flow mapping used as a mapping key (`{{a: null}: null}`), which no
    /// manifest contains: the line of the first one, or nil. Called only on documents the node budget accepted.
    static func unquotedActionLine(_ node: Node) -> Int? {
        switch node {
        case .mapping(let m):
            for (k, v) in m {
                if k.mapping != nil { return k.mark?.line ?? node.mark?.line ?? 1 }
                if let l = unquotedActionLine(k) ?? unquotedActionLine(v) { return l }
            }
        case .sequence(let s):
            for item in s { if let l = unquotedActionLine(item) { return l } }
        default: break
        }
        return nil
    }

    /// Text that does not parse but has the top-level keys of a Kubernetes object or a compose file.
    static func meantAsManifest(_ text: String) -> Bool {
        text.range(of: #"(?m)^(apiVersion|kind|services)\s*:|^[\s{]*"(apiVersion|kind|services)"\s*:"#, options: .regularExpression) != nil
    }

    static func helmTemplate(_ text: String, path: String, line: Int, into result: inout Parsed) {
        // In a walk, only a template of a workload or one that mentions sysctls concerns twlint (a Service does not).
        result.recognised = text.range(of: #"(?m)^\s*kind:\s*["']?(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob|PodTemplate)\b"#,
                                       options: .regularExpression) != nil || text.contains("sysctl")
        result.problems.append(InputProblem(code: "TW309", location: SourceLocation(path: path, line: line),
            detail: "this is a Helm chart template ({{ … }} on line \(line)), not YAML; render it with `helm template … | twlint lint -` (or `twlint lint CHART --helm`) to lint it fully. Literal sysctl settings were still read line by line"))
        result.workloads = literalSettings(text, path: path)
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        default: return nil
        }
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }

    /// The first line with a Go template action (`{{`) outside quoted scalars and comments, or nil. Consulted only
    /// for text that failed to parse, or whose parse shows an unquoted action (`unquotedActionLine`): a document
    /// that parses is YAML whatever its scalars contain.
    static func templateLine(_ text: String) -> Int? {
        var line = 1
        var quote: UInt8? = nil
        var comment = false
        var previous: UInt8 = 0x0A
        var escaped = false
        var closedSingle = false
        for b in text.utf8 {
            defer { previous = b }
            // `''` inside a single-quoted scalar is an escaped quote: the scalar goes on.
            if closedSingle {
                closedSingle = false
                if b == 0x27 { quote = 0x27; continue }
            }
            if b == 0x0A {
                line += 1
                comment = false
                // A single-quoted or double-quoted scalar may span lines; keep the quote open.
                continue
            }
            if comment { continue }
            if let q = quote {
                if q == 0x22 && b == 0x5C && !escaped { escaped = true; continue }
                if b == q && !escaped { quote = nil; closedSingle = q == 0x27 }
                escaped = false
                continue
            }
            switch b {
            case 0x22, 0x27:
                // A quote opens a scalar only where one can start (after a space, indicator or line start).
                if [0x20, 0x09, 0x0A, 0x5B, 0x7B, 0x2C, 0x3A, 0x2D].contains(previous) { quote = b }
            case 0x23 where previous == 0x20 || previous == 0x09 || previous == 0x0A: comment = true
            case 0x7B where previous == 0x7B: return line
            default: break
            }
        }
        return nil
    }

    /// The deepest `[`/`{` nesting outside quotes and comments, and its line.
    static func deepestFlowNesting(_ text: String) -> (line: Int, depth: Int)? {
        var depth = 0, deepest = 0, deepestLine = 0, line = 1
        var quote: UInt8? = nil
        var comment = false
        var previous: UInt8 = 0x20
        for b in text.utf8 {
            if b == 0x0A { line += 1; comment = false; previous = b; continue }
            if comment { continue }
            if let q = quote {
                if b == q { quote = nil }
            } else {
                switch b {
                case 0x22, 0x27:
                    // A quote opens a quoted scalar only where a scalar can start; elsewhere it is text (it's).
                    if [0x20, 0x5B, 0x7B, 0x2C, 0x3A].contains(previous) { quote = b }
                case 0x23 where previous == 0x20 || previous == 0x0A: comment = true
                case 0x5B, 0x7B:
                    depth += 1
                    if depth > deepest { deepest = depth; deepestLine = line }
                case 0x5D, 0x7D: depth = max(0, depth - 1)
                default: break
                }
            }
            previous = b
        }
        return deepest > 0 ? (deepestLine, deepest) : nil
    }

    /// `# twlint: disable=…` comments in YAML apply to the next line that has content.
    static func directives(in text: String, path: String, problems: inout [InputProblem]) -> [Directive] {
        var out: [Directive] = []
        var pending: [Int] = []
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            if t.hasPrefix("#") {
                let column = line.prefix(while: { $0 == " " || $0 == "\t" }).count + 1
                switch Directive.parse(comment: String(t.dropFirst()), location: SourceLocation(path: path, line: n, column: column)) {
                case .success(let d)?:
                    out.append(d)
                    if d.scope == .nextSetting { pending.append(out.count - 1) }
                case .failure(let e)?:
                    problems.append(InputProblem(code: "TW911", location: e.location, detail: e.message))
                case nil: break
                }
                continue
            }
            for i in pending { out[i].targetLine = n }
            pending.removeAll()
        }
        return out
    }

    // MARK: walking documents

    static func count(_ node: Node, _ budget: inout Int) throws {
        budget -= 1
        if budget < 0 { throw BudgetExceeded(line: node.mark?.line ?? 1) }
    }

    /// Visits every node, aliases included, until the budget runs out.
    static func countAll(_ node: Node, _ budget: inout Int) throws {
        try count(node, &budget)
        switch node {
        case .mapping(let m):
            for (k, v) in m { try countAll(k, &budget); try countAll(v, &budget) }
        case .sequence(let s):
            for item in s { try countAll(item, &budget) }
        default:
            break
        }
    }

    static func visit(_ root: Node, path: String, into result: inout Parsed, budget: inout Int) throws {
        try count(root, &budget)
        guard let map = root.mapping else { return }
        if let kind = map["kind"]?.string {
            if kind == "List" || kind.hasSuffix("List"), let items = map["items"]?.sequence {
                result.recognised = true
                for item in items { try visit(item, path: path, into: &result, budget: &budget) }
                return
            }
            guard let template = podSpecPath(kind: kind) else { return }
            result.recognised = true
            let name = map["metadata"]?.mapping?["name"]?.string ?? "unnamed"
            var node: Node? = root
            for component in template.path { node = node?.mapping?[component] }
            guard let spec = node?.mapping else { return }
            var workload = Workload(source: .kubernetes, name: "\(kind)/\(name)",
                                    hostNetwork: spec["hostNetwork"]?.bool ?? false, hostIPC: spec["hostIPC"]?.bool ?? false,
                                    location: SourceLocation(path: path, line: root.mark?.line ?? 1))
            workload.ignored = ignoredCodes(map["metadata"]) .union(ignoredCodes(template.path.count > 2 ? templateMetadata(root, template.path) : nil))
            let prefix = template.path.joined(separator: ".")
            let sysctlsNode = spec["securityContext"]?.mapping?["sysctls"]
            if let node = sysctlsNode, node.sequence == nil, !isNull(node) {
                result.problems.append(wrongType(node, path: path, object: "\(prefix).securityContext.sysctls",
                    expected: "a list of {name, value} entries", workload: workload.name))
            }
            if let sysctls = sysctlsNode?.sequence {
                for (i, item) in sysctls.enumerated() {
                    try count(item, &budget)
                    guard let m = item.mapping, let nameNode = m["name"], let rawName = nameNode.string, nameNode.scalar != nil, !isNull(nameNode) else {
                        result.problems.append(wrongType(item, path: path, object: "\(prefix).securityContext.sysctls[\(i)]",
                            expected: "an entry with a string name and a value", workload: workload.name))
                        continue
                    }
                    let value = m["value"].map { scalarText($0) } ?? ""
                    workload.sysctls.append(Setting(key: SysctlKey.normalise(rawName), rawKey: rawName, value: value,
                        location: SourceLocation(path: path, line: item.mark?.line ?? 1, column: item.mark?.column ?? 1,
                                                 object: "\(prefix).securityContext.sysctls[\(i)]"),
                        input: .manifest, workload: workload.name))
                }
            }
            for group in ["initContainers", "containers"] {
                for (ci, container) in (spec[group]?.sequence ?? []).enumerated() {
                    try count(container, &budget)
                    guard let c = container.mapping else { continue }
                    let privileged = c["securityContext"]?.mapping?["privileged"]?.bool ?? false
                    let object = "\(prefix).\(group)[\(ci)]"
                    commandSysctls(c, object: object, path: path, workload: workload.name, privileged: privileged, into: &workload, budget: &budget)
                }
            }
            result.workloads.append(workload)
        } else if let services = map["services"]?.mapping {
            result.recognised = true
            for (nameNode, serviceNode) in services {
                try count(serviceNode, &budget)
                guard let service = serviceNode.mapping, let name = nameNode.string else { continue }
                let networkMode = service["network_mode"]?.string ?? ""
                var workload = Workload(source: .compose, name: "compose service \(name)", hostNetwork: networkMode == "host",
                                        hostIPC: service["ipc"]?.string == "host", location: SourceLocation(path: path, line: nameNode.mark?.line ?? 1))
                let prefix = "services.\(name)"
                let sysctlsNode = service["sysctls"]
                if let node = sysctlsNode, node.sequence == nil, node.mapping == nil, !isNull(node) {
                    result.problems.append(wrongType(node, path: path, object: "\(prefix).sysctls",
                        expected: "a list of \"key=value\" strings or a mapping of key to value", workload: workload.name))
                }
                if let list = sysctlsNode?.sequence {
                    for (i, item) in list.enumerated() {
                        guard item.scalar != nil, !isNull(item), let text = item.string, let eq = text.firstIndex(of: "=") else {
                            result.problems.append(wrongType(item, path: path, object: "\(prefix).sysctls[\(i)]",
                                expected: "a \"key=value\" string", workload: workload.name))
                            continue
                        }
                        let rawKey = String(text[..<eq]).trimmingWhitespace()
                        workload.sysctls.append(Setting(key: SysctlKey.normalise(rawKey), rawKey: rawKey, value: String(text[text.index(after: eq)...]).trimmingWhitespace(),
                            location: SourceLocation(path: path, line: item.mark?.line ?? 1, column: item.mark?.column ?? 1, object: "\(prefix).sysctls[\(i)]"),
                            input: .manifest, workload: workload.name))
                    }
                } else if let map = service["sysctls"]?.mapping {
                    for (k, v) in map {
                        guard let rawKey = k.string, k.scalar != nil, v.scalar != nil || isNull(v) else {
                            result.problems.append(wrongType(k, path: path, object: "\(prefix).sysctls",
                                expected: "a mapping of key to a scalar value", workload: workload.name))
                            continue
                        }
                        workload.sysctls.append(Setting(key: SysctlKey.normalise(rawKey), rawKey: rawKey, value: scalarText(v),
                            location: SourceLocation(path: path, line: k.mark?.line ?? 1, column: k.mark?.column ?? 1, object: "\(prefix).sysctls[\"\(rawKey)\"]"),
                            input: .manifest, workload: workload.name))
                    }
                }
                commandSysctls(service, object: prefix, path: path, workload: workload.name, privileged: service["privileged"]?.bool ?? false,
                               into: &workload, budget: &budget, keys: ["entrypoint", "command"])
                result.workloads.append(workload)
            }
        }
    }

    /// Where the pod spec lives for each kind.
    static func podSpecPath(kind: String) -> (path: [String], Void)? {
        switch kind {
        case "Pod": return (["spec"], ())
        case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job": return (["spec", "template", "spec"], ())
        case "CronJob": return (["spec", "jobTemplate", "spec", "template", "spec"], ())
        case "PodTemplate": return (["template", "spec"], ())
        default: return nil
        }
    }

    static func templateMetadata(_ root: Node, _ path: [String]) -> Node? {
        var node: Node? = root
        for component in path.dropLast() { node = node?.mapping?[component] }
        return node?.mapping?["metadata"]
    }

    /// `metadata.annotations["twlint.io/ignore"]`: "CODE[,CODE] -- reason".
    static func ignoredCodes(_ metadata: Node?) -> Set<String> {
        guard let value = metadata?.mapping?["annotations"]?.mapping?["twlint.io/ignore"]?.string else { return [] }
        let codes = value.components(separatedBy: "--")[0]
        return Set(codes.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty })
    }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A `sysctls` field of the wrong type: said (TW310), not silently read as "no sysctls".
    static func wrongType(_ node: Node, path: String, object: String, expected: String, workload: String) -> InputProblem {
        let found: String
        switch node {
        case .mapping: found = "a mapping"
        case .sequence: found = "a list"
        case .scalar(let s): found = isNull(node) ? "null" : "the scalar \"\(s.string.prefix(40))\""
        default: found = "an alias"
        }
        return InputProblem(code: "TW310", location: SourceLocation(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, object: object),
                            detail: "\(workload): \(object) is \(found), expected \(expected); it was not read")
    }

    static func scalarText(_ node: Node) -> String {
        node.scalar?.string ?? ""
    }

    /// Sysctls written by a container's command/args (Kubernetes) or entrypoint/command (compose).
    static func commandSysctls(_ c: Node.Mapping, object: String, path: String, workload: String, privileged: Bool,
                               into w: inout Workload, budget: inout Int, keys: [String] = ["command", "args"]) {
        var argv: [String] = []
        var firstLine = 0
        for key in keys {
            guard let node = c[key] else { continue }
            if firstLine == 0 { firstLine = node.mark?.line ?? 0 }
            if let seq = node.sequence {
                argv += seq.compactMap { $0.string }
            } else if let s = node.string {
                // compose allows a plain string command: a shell line.
                argv += ["sh", "-c", s]
            }
        }
        guard !argv.isEmpty else { return }
        for a in ShellSysctl.assignments(argv: argv) {
            let setting = Setting(key: a.key, value: a.value,
                                  location: SourceLocation(path: path, line: firstLine + a.lineOffset, column: 1, object: object + ".command"),
                                  input: .command, workload: workload)
            w.commandSysctls.append((setting, privileged))
        }
    }

    /// For Helm templates: `sysctl -w k=v` lines and `name:`/`value:` pairs whose text is literal.
    static func literalSettings(_ text: String, path: String) -> [Workload] {
        var workload = Workload(source: .kubernetes, name: "template", hostNetwork: false, hostIPC: false, location: SourceLocation(path: path, line: 1))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let privileged = text.range(of: #"privileged:\s*true"#, options: .regularExpression) != nil
        for (i, line) in lines.enumerated() {
            if line.contains("sysctl") {
                // The command may be a YAML flow list: ["sysctl", "-w", "k=v"].
                let cleaned = line.replacingOccurrences(of: "[", with: " ").replacingOccurrences(of: "]", with: " ")
                    .replacingOccurrences(of: "\",", with: "\" ").replacingOccurrences(of: "command:", with: " ").replacingOccurrences(of: "- ", with: " ")
                // A templated value still names a literal key, which is what the command rules judge.
                for a in ShellSysctl.assignments(in: cleaned) where !a.key.contains("{{") {
                    workload.commandSysctls.append((Setting(key: a.key, value: a.value, location: SourceLocation(path: path, line: i + 1),
                                                            input: .command, workload: "template"), privileged))
                }
            }
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("- name:") || t.hasPrefix("name:"), i + 1 < lines.count {
                let name = t.components(separatedBy: "name:")[1].trimmingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                let next = lines[i + 1].trimmingCharacters(in: .whitespaces)
                guard name.range(of: #"^(net|kernel|vm|fs|user)\.[a-z0-9_.\-/]+$"#, options: .regularExpression) != nil, next.hasPrefix("value:") else { continue }
                let value = String(next.dropFirst(6)).trimmingWhitespace().trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                if value.contains("{{") { continue }
                workload.sysctls.append(Setting(key: SysctlKey.normalise(name), rawKey: name, value: value,
                                                location: SourceLocation(path: path, line: i + 1), input: .manifest, workload: "template"))
            }
        }
        return workload.sysctls.isEmpty && workload.commandSysctls.isEmpty ? [] : [workload]
    }
}
