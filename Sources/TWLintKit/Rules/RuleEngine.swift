import Foundation

/// What an evaluator or a declarative condition found: one finding's worth of facts.
public struct Hit {
    public var setting: Setting?
    public var key: String?
    public var value: String?
    public var location: SourceLocation?
    public var vars: [String: String]
    public var severity: Severity?
    public var related: [RelatedLocation]

    public init(setting: Setting?, vars: [String: String] = [:], severity: Severity? = nil, related: [RelatedLocation] = []) {
        self.setting = setting
        self.key = setting?.key
        self.value = setting?.value
        self.location = setting?.location
        self.vars = vars
        self.severity = severity
        self.related = related
    }
}

/// Runs rules over an effective configuration for a target.
public struct RuleEngine {
    public let kb: KnowledgeBase

    public init(kb: KnowledgeBase) { self.kb = kb }

    /// Findings of every rule that applies to the input kind and the target kernel.
    public func evaluate(_ context: EvaluationContext) -> [Finding] {
        var findings: [Finding] = []
        for rule in kb.rules where applies(rule, context) {
            // Rules about the written text see it as written; the others see what the kernel holds.
            let ctx = KernelWrite.rulesOnTheWrittenText.contains(rule.code) ? context.writtenView : context
            for hit in hits(rule, ctx) {
                findings.append(finding(rule, hit, ctx))
            }
        }
        return findings
    }

    func applies(_ rule: Rule, _ context: EvaluationContext) -> Bool {
        rule.appliesTo.contains(context.input) && context.target.kernel.isWithin(min: rule.kernelMin, below: rule.kernelBelow)
    }

    func hits(_ rule: Rule, _ context: EvaluationContext) -> [Hit] {
        if let evaluate = rule.evaluate {
            return evaluate(rule, context)
        }
        guard let subject = rule.subject, let setting = context.setting(subject) else { return [] }
        var usedDefaults: [String: String] = [:]
        guard let condition = rule.condition else { return [Hit(setting: setting)] }
        guard check(condition, subject: setting, context, &usedDefaults) == true else { return [] }
        var vars: [String: String] = [:]
        if !usedDefaults.isEmpty {
            vars["assumed"] = usedDefaults.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ")
        }
        return [Hit(setting: setting, vars: vars)]
    }

    /// Three-valued: nil when a value the condition needs is unknown (not set, no constant default).
    func check(_ c: Condition, subject: Setting, _ ctx: EvaluationContext, _ usedDefaults: inout [String: String]) -> Bool? {
        switch c {
        case .all(let cs):
            var unknown = false
            for c in cs {
                switch check(c, subject: subject, ctx, &usedDefaults) {
                case false?: return false
                case nil: unknown = true
                case true?: break
                }
            }
            return unknown ? nil : true
        case .any(let cs):
            var unknown = false
            for c in cs {
                switch check(c, subject: subject, ctx, &usedDefaults) {
                case true?: return true
                case nil: unknown = true
                case false?: break
                }
            }
            return unknown ? nil : false
        case .not(let inner):
            return check(inner, subject: subject, ctx, &usedDefaults).map { !$0 }
        case .set(let key):
            return ctx.setting(key ?? subject.key) != nil
        case .ignoreFailure:
            return subject.ignoreFailure
        case .kernel(let min, let below):
            return ctx.target.kernel.isWithin(min: min, below: below)
        case .profile(let p):
            return ctx.target.profile == p
        case .input(let kinds):
            return kinds.contains(ctx.input)
        case .value(let key, let field, let op, let literal, let other, let otherField):
            let k = key ?? subject.key
            guard let lhs = fieldValue(k, field, ctx, &usedDefaults) else { return nil }
            let rhs: String
            if let other {
                guard let r = fieldValue(other, otherField, ctx, &usedDefaults) else { return nil }
                rhs = r
            } else {
                rhs = literal ?? ""
            }
            return compare(lhs, op, rhs)
        }
    }

    private func fieldValue(_ key: String, _ field: Int?, _ ctx: EvaluationContext, _ usedDefaults: inout [String: String]) -> String? {
        guard let (value, fromDefault) = ctx.value(key) else { return nil }
        if fromDefault { usedDefaults[key] = value }
        guard let field else { return value }
        let fields = value.sysctlFields
        return field < fields.count ? String(fields[field]) : nil
    }

    func compare(_ lhs: String, _ op: Condition.Op, _ rhs: String) -> Bool? {
        if let l = lhs.sysctlInteger, let r = rhs.sysctlInteger {
            switch op {
            case .eq: return l == r
            case .ne: return l != r
            case .lt: return l < r
            case .le: return l <= r
            case .gt: return l > r
            case .ge: return l >= r
            }
        }
        let normalisedL = lhs.normalisedSysctlValue
        let normalisedR = rhs.normalisedSysctlValue
        switch op {
        case .eq: return normalisedL == normalisedR
        case .ne: return normalisedL != normalisedR
        default: return nil   // an ordering on a non-number: the value rule reports the bad value
        }
    }

    /// Builds the finding: fills the message template, picks the severity, adds related locations.
    func finding(_ rule: Rule, _ hit: Hit, _ ctx: EvaluationContext) -> Finding {
        var vars = hit.vars
        vars["key"] = vars["key"] ?? hit.key ?? rule.subject ?? ""
        vars["value"] = vars["value"] ?? hit.value ?? ""
        vars["kernel"] = ctx.target.kernel.description
        if vars["name"] == nil { vars["name"] = String((vars["key"] ?? "").split(separator: ".").last ?? "") }
        var severity = hit.severity ?? rule.severity
        var template = rule.message
        if hit.severity == nil, let setting = hit.setting {
            var ignored: [String: String] = [:]
            if let sw = rule.severityWhen.first(where: { check($0.condition, subject: setting, ctx, &ignored) == true }) {
                severity = sw.severity
                template = sw.message ?? template
            }
        }
        var message = render(template, vars: vars, ctx)
        if let assumed = vars["assumed"] {
            message += " (assuming the default \(assumed)"
            // A pod's network namespace is new: it starts from the kernel's defaults, whatever the node was tuned to.
            message += ctx.input == .manifest || ctx.input == .command ? "; a pod's network namespace starts from kernel defaults, not the node's values)" : ")"
        }
        if let workload = hit.setting?.workload ?? ctx.workload?.name { message += " [\(workload)]" }
        let kernelMatters = rule.kernelMin != nil || rule.kernelBelow != nil || vars["kernel-dependent"] != nil
        var related = hit.related
        if let setting = hit.setting, let entry = ctx.config.entries[setting.key], entry.winner.location == setting.location {
            related += entry.overridden.map { RelatedLocation(location: $0.location, note: "overridden here (was \"\($0.value)\")") }
        }
        var finding = Finding(code: rule.code, slug: rule.slug, severity: severity, key: hit.key, value: hit.value,
                              location: hit.location, related: related, message: message,
                              why: rule.whyText, fix: rule.fixText,
                              references: rule.references, title: rule.title)
        finding.kernelAssumed = kernelMatters && !ctx.target.kernelExplicit
        finding.kubernetesAssumed = vars["kubernetes-dependent"] != nil && ctx.target.kubernetes == nil
        return finding
    }

    /// `{key}`, `{value}`, `{kernel}`, `{name}`, evaluator variables, and `{value:KEY}` for another key's effective value.
    func render(_ template: String, vars: [String: String], _ ctx: EvaluationContext) -> String {
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "{"), let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")) else {
                out.append(bytes[i])
                i += 1
                continue
            }
            let name = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
            if let v = vars[name] {
                out += Array(v.utf8)
            } else if name.hasPrefix("value:"), let v = ctx.value(String(name.dropFirst(6))) {
                out += Array(v.value.utf8)
            } else {
                out += bytes[i...close]
            }
            i = close + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Prose as plain text with code in backticks, paragraphs separated by blank lines.
    static func plain(_ blocks: [Block]) -> String {
        func inline(_ i: Inline) -> String {
            i.map { span -> String in
                switch span {
                case .text(let t), .emphasis(let t): return t
                case .code(let c): return "`\(c)`"
                }
            }.joined()
        }
        return blocks.map { block -> String in
            switch block {
            case .paragraph(let i): return inline(i)
            case .list(let items): return items.map { "- " + inline($0) }.joined(separator: "\n")
            }
        }.joined(separator: "\n\n")
    }

    /// The finding for a located input problem, explained by the rule with its code.
    public func finding(for problem: InputProblem, context: EvaluationContext) -> Finding {
        guard let rule = kb.rule(code: problem.code) else {
            preconditionFailure("input problem \(problem.code) has no rule in rules/")
        }
        return finding(rule, Hit(problem: problem), context)
    }
}
