/// `--format sarif`: SARIF 2.1.0 for code-scanning services.
final class SARIFReport: StreamingFormat {
    let kb: KnowledgeBase
    let docsURL: String?
    private var started = false
    private var results = JSONArrayWriter(indent: 6)
    /// The rules the results so far refer to, in order of first use, and each code's index among them.
    private var used: [Rule] = []
    private var indexOfCode: [String: Int] = [:]
    private var rulesByCode: [String: Rule] = [:]

    init(kb: KnowledgeBase, docsURL: String? = nil) {
        self.kb = kb
        self.docsURL = docsURL
    }

    func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// Streams the log a result at a time. The run's `results` come first and the tool's rule table after them
    /// (JSON objects are unordered, SARIF names no member order): the table lists the rules the results refer
    /// to, in order of first use, so each result knows its `ruleIndex` when it is written and nothing but the
    /// used rules' codes is held.
    func add(_ findings: [Finding], emit: (String) -> Void) {
        if !started {
            started = true
            emit("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n      \"results\": ")
        }
        for f in findings { emit(results.element(result(f))) }
    }

    func finish(_ totals: RunTotals, emit: (String) -> Void) {
        add([], emit: emit)
        let driver: JSON = .object([("driver", .object([
            ("name", .string("twlint")),
            ("version", .string(version)),
            ("rules", .array(used.map(descriptor))),
        ]))])
        var runProperties: [(String, JSON)] = [("kernel", .string(totals.target.kernel.description)),
                                               ("kernelAssumed", .bool(!totals.target.kernelExplicit))]
        if let note = totals.kernelNote { runProperties.append(("kernelNote", .string(note))) }
        if let note = totals.kubernetesNote { runProperties.append(("kubernetesNote", .string(note))) }
        emit(results.close())
        emit(",\n      \"tool\": \(driver.render(indent: 6)),\n      \"properties\": \(JSON.object(runProperties).render(indent: 6))\n    }\n  ]\n}\n")
    }

    /// The index of the finding's rule in the table written at the end, the rule added on first use.
    private func ruleIndex(_ code: String) -> Int? {
        if let i = indexOfCode[code] { return i }
        if rulesByCode.isEmpty { rulesByCode = Dictionary(kb.rules.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first }) }
        guard let rule = rulesByCode[code] else { return nil }
        indexOfCode[code] = used.count
        used.append(rule)
        return used.count - 1
    }

    private func descriptor(_ r: Rule) -> JSON {
        let why = r.whyText, fix = r.fixText
        var members: [(String, JSON)] = [
            ("id", .string(r.code)),
            ("name", .string(r.slug)),
            ("shortDescription", .object([("text", .string(r.title))])),
            ("fullDescription", .object([("text", .string(why))])),
            ("help", .object([("text", .string("Why: \(why)\n\nFix: \(fix)\n\nMore: twlint explain \(r.code)")),
                              ("markdown", .string("**Why.** \(why)\n\n**Fix.** \(fix)\n\nMore: `twlint explain \(r.code)`"))])),
            ("defaultConfiguration", .object([("level", .string(level(r.severity)))])),
            ("properties", .object([("category", .string(r.category)), ("tags", .array([.string("sysctl"), .string(r.category)]))])),
        ]
        // The help link is the rule's page on the documentation site when one is given, else the rule's first
        // online reference: the document the finding rests on.
        if let url = docsURL.map({ DocsLinks.ruleURL(base: $0, code: r.code) }) ?? r.references.lazy.compactMap(\.url).first {
            members.insert(("helpUri", .string(url)), at: 5)
        }
        return .object(members)
    }

    private func result(_ f: Finding) -> JSON {
        var members: [(String, JSON)] = [("ruleId", .string(f.code))]
        if let i = ruleIndex(f.code) { members.append(("ruleIndex", .int(i))) }
        members.append(("level", .string(level(f.severity))))
        members.append(("message", .object([("text", .string(f.message))])))
        if let l = f.location { members.append(("locations", .array([location(l, message: nil)]))) }
        if !f.related.isEmpty {
            members.append(("relatedLocations", .array(f.related.enumerated().map { i, r in location(r.location, message: r.note, id: i + 1) })))
        }
        var properties: [(String, JSON)] = [("slug", .string(f.slug))]
        if let k = f.key { properties.append(("key", .string(k))) }
        if let v = f.value { properties.append(("value", .string(v))) }
        if f.kernelAssumed { properties.append(("kernelAssumed", .bool(true))) }
        members.append(("properties", .object(properties)))
        return .object(members)
    }

    func location(_ l: SourceLocation, message: String?, id: Int? = nil) -> JSON {
        var physical: [(String, JSON)] = [("artifactLocation", .object([("uri", .string(SARIFReport.uri(l.path)))]))]
        if l.line > 0 {
            physical.append(("region", .object([("startLine", .int(l.line)), ("startColumn", .int(max(l.column, 1)))])))
        }
        var members: [(String, JSON)] = []
        if let id { members.append(("id", .int(id))) }
        members.append(("physicalLocation", .object(physical)))
        if let message { members.append(("message", .object([("text", .string(message))]))) }
        if let object = l.object {
            members.append(("logicalLocations", .array([.object([("fullyQualifiedName", .string(object))])])))
        }
        return .object(members)
    }

    /// Relative paths stay relative (resolved against the checkout by code scanning); spaces and the like are escaped.
    static func uri(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-._~/".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { out += String(format: "%%%02X", byte) }
            }
        }
        return path.hasPrefix("/") ? "file://" + out : out
    }
}

import Foundation
