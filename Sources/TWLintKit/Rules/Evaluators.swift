import Foundation

/// Named Swift checks for what the XML conditions cannot say. A rule names one with `<evaluator name="…"/>`.
enum RuleEvaluators {
    typealias Evaluator = (Rule, EvaluationContext) -> [Hit]

    static let named: [String: Evaluator] = RuntimeEvaluators.named.merging(fileEvaluators) { a, _ in a }.merging(ContainerEvaluators.named) { a, _ in a }
        .merging(LingerEvaluators.named) { a, _ in a }

    static let fileEvaluators: [String: Evaluator] = [
        "input-problem": inputProblem,
        "inline-comment": inlineComment,
        "unknown-key": unknownKey,
        "module-key": moduleKey,
        "absent-key": absentKey,
        "invalid-value": invalidValue,
        "action-key": actionKey,
        "ineffective-key": ineffectiveKey,
        "tw-buckets-lowered": twBucketsLowered,
        "port-range-narrow": portRangeNarrow,
        "port-range-parity": portRangeParity,
        "port-range-services": portRangeServices,
        "reserved-ports-outside-range": reservedPortsOutsideRange,
    ]

    static let portRangeKey = "net.ipv4.ip_local_port_range"
    static let reservedPortsKey = "net.ipv4.ip_local_reserved_ports"

    // MARK: input problems (TW9xx)

    static func inputProblem(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        ctx.problems.filter { $0.code == rule.code }.map(Hit.init(problem:))
    }

    // MARK: key validity (TW8xx)

    /// Namespaces the catalog covers completely; elsewhere an unknown name may be a driver's or a config option's.
    static let coveredPrefixes = ["net.ipv4.", "net.ipv6.", "net.core.", "net.unix."]

    static func unknownKey(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        var hits = ctx.keyFacts.compactMap { facts -> Hit? in
            if facts.parameter != nil || facts.cataloged || facts.module != nil { return nil }
            return unknown(facts.setting, ctx)
        }
        // A glob that matches no known key writes nothing: usually a typo in the fixed parts.
        // An interface family matches any interface name (`net.ipv4.conf.lxc*.rp_filter`).
        for s in ctx.config.winners where s.isGlob && ctx.kb.catalog.module(for: s.key) == nil {
            if !ctx.kb.catalog.anyMatch(glob: s.key, kernel: ctx.target.kernel) && !kbGlobMatch(s.key, ctx) {
                hits.append(unknown(s, ctx, glob: true))
            }
        }
        return hits
    }

    /// A glob that matches a kb parameter existing on the target (kb entries the catalog may lack).
    static func kbGlobMatch(_ glob: String, _ ctx: EvaluationContext) -> Bool {
        let pattern = SysctlKey.procPath(glob)
        return ctx.kb.parameterKeys.contains { key in
            guard ctx.kb.keyExists(key, on: ctx.target.kernel) else { return false }
            if key.contains("*") { return KeyCatalog.familyMatches(family: key, glob: glob) }
            return fnmatch(pattern, SysctlKey.procPath(key), 0) == 0
        }
    }

    static func unknown(_ s: Setting, _ ctx: EvaluationContext, glob: Bool = false) -> Hit {
        // Only keys of the target kernel are proposed.
        let suggestions = ctx.kb.suggestions(forKey: s.key, kernel: ctx.target.kernel)
        let covered = coveredPrefixes.contains { s.key.hasPrefix($0) }
        var vars = ["suggestion": suggestions.isEmpty ? "" : " Did you mean \(suggestions.map { "\"\($0)\"" }.joined(separator: " or "))?"]
        vars["scope"] = glob ? "the pattern matches no sysctl twlint knows, so it writes nothing"
            : covered ? "no Linux kernel has it" : "it is not among the sysctls twlint knows"
        // Outside the fully covered namespaces, a name with no near miss may be a driver's: say so gently.
        return Hit(setting: s, vars: vars, severity: covered || !suggestions.isEmpty ? nil : .info)
    }

    static func moduleKey(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        ctx.keyFacts.compactMap { facts in
            guard let module = facts.module else { return nil }
            return Hit(setting: facts.setting, vars: ["module": module])
        }
    }

    /// Keys the kb knows but that do not exist on the target kernel: removed, newer, or never real.
    /// Keys with a dedicated rule bound to the same kernels (tcp_tw_recycle) are left to that rule.
    /// Besides kb entries, catalog keys that the per-version tables show absent on the target count too.
    static func absentKey(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        let dedicated = ctx.kb.versionBoundSubjects
        let kernel = ctx.target.kernel
        return ctx.keyFacts.compactMap { facts in
            let s = facts.setting
            guard facts.parameter != nil || facts.cataloged, !ctx.kb.keyExists(s.key, on: kernel) else { return nil }
            let p = facts.parameter
            if let p, dedicated.contains(p.key) { return nil }
            let reason: String
            if p?.neverExisted != nil {
                reason = "no Linux kernel has ever had this key"
            } else if let tables = ctx.kb.catalog.absenceReason(of: s.key, on: kernel, since: p?.since?.version) {
                reason = tables
            } else if let removed = p?.removed, kernel >= removed.version {
                reason = "it was removed in Linux \(removed.version)"
            } else if let since = p?.since {
                reason = "it first appeared in Linux \(since.version)"
            } else {
                reason = "it does not exist there"
            }
            return Hit(setting: s, vars: ["reason": reason, "kernel-dependent": "yes"])
        }
    }

    static func ineffectiveKey(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        ctx.keyFacts.compactMap { facts in
            let s = facts.setting
            guard let p = facts.parameter, let inert = p.ineffective, ctx.target.kernel >= inert.version,
                  ctx.kb.exists(p, on: ctx.target.kernel) else { return nil }
            return Hit(setting: s, vars: ["since": inert.version.description, "note": inert.note.plain, "kernel-dependent": "yes"])
        }
    }

    static func actionKey(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        ctx.literalWinners.compactMap { s in
            ctx.kb.catalog.actions[s.key].map { Hit(setting: s, vars: ["action": $0]) }
        }
    }

    // MARK: values

    /// TW804: an assignment whose write the kernel refuses (KernelWrite), named with the value that stays in force;
    /// or a value the kernel takes that the kb says is wrong for the target kernel. Only the winning assignment of a
    /// key is judged; a value with an inline comment or quotes is TW902's or TW909's (the same cause), and a port
    /// range refused by its cross-checks is TW201's or TW202's. In a system's files every refused write of a key's
    /// own line comes from the application (`SystemConfiguration`, as an input problem TW804).
    static func invalidValue(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        let ownCause = Set(ctx.problems.filter { $0.code == "TW902" || $0.code == "TW909" }.map(\.location))
        let applied = ctx.problems.filter { $0.code == rule.code && !ownCause.contains($0.location) }.map { p -> Hit in
            var hit = Hit(problem: p)
            hit.vars["problem"] = p.detail
            return hit
        }
        // In a file linted alone every assignment the kernel refuses is reported, an overridden one too: procps
        // `sysctl -p` writes each line in turn and fails on it (and exits non-zero) even when a later line sets the
        // key again; systemd-sysctl writes only the last one, which the message says. With --system/--merge the
        // application model reports refused writes in its applier's order. An accepted value is judged where it wins.
        let reported = Set(applied.compactMap(\.location))
        return applied + ctx.applied.compactMap { a -> Hit? in
            let s = a.setting
            guard let written = ctx.written[s.key], !s.isGlob, !s.value.contains("{{"), !ownCause.contains(s.location),
                  !reported.contains(s.location) else { return nil }
            if case .accepted = a.outcome { if written.location != s.location { return nil } } else if ctx.byApplication { return nil }
            let p = ctx.kb.parameter(for: s.key)
            if let p, !ctx.kb.exists(p, on: ctx.target.kernel) { return nil }
            // An overridden assignment fails only where every line is written: procps `sysctl` (`-p`, `--system`).
            let overridden = written.location != s.location
                ? "; procps sysctl writes every line in order and fails here, while systemd-sysctl writes only a key's last assignment and never writes this one" : ""
            switch a.outcome {
            case .rejected(let errno, let reason):
                // TW201/TW202 describe the winning range's cross-check failures; an overridden one is reported here.
                if s.key == portRangeKey, written.location == s.location, KernelWrite.portRangeFailsOnlyItsCrossChecks(s.value) { return nil }
                return Hit(setting: s, vars: ["problem": KernelWrite.refusal(reason: reason, errno: errno, key: s.key, keeps: leftInForce(a)) + overridden])
            case .partial(let held, let errno, let reason):
                return Hit(setting: s, vars: ["problem": KernelWrite.refusal(reason: reason, errno: errno, key: s.key, keeps: "", partlyHeld: held) + overridden])
            case .accepted(let held):
                guard let p, let problem = ValueCheck.problem(with: held, for: p, kernel: ctx.target.kernel) else { return nil }
                return Hit(setting: s, vars: ["problem": problem])
            }
        }
    }

    /// "32768 60999 (the default)", "1024 65000, set at a.conf:3:1", or "its previous value".
    static func leftInForce(_ a: KernelWrite.Applied) -> String {
        guard let before = a.before?.normalisedSysctlValue else { return "its previous value (twlint knows no default for it)" }
        guard let source = a.beforeSource else { return "\(before) (the default)" }
        return "\(before), set at \(source.location)"
    }

    /// TW902: an inline `# comment` is written to the kernel with the value. A number sysctl stops reading at the
    /// blank before it, so the value still applies (a warning); a string sysctl takes the whole text, which it
    /// refuses or keeps, comment and all (an error naming what stays in force).
    static func inlineComment(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        let problems = ctx.problems.filter { $0.code == rule.code }
        guard !problems.isEmpty else { return [] }
        var byLocation: [SourceLocation: KernelWrite.Applied] = [:]
        for a in ctx.applied { byLocation[a.setting.location] = a }
        return problems.map { problem in
            guard let key = problem.key, let value = problem.value else { return Hit(problem: problem) }
            guard let a = byLocation[problem.location], a.setting.key == key else {
                // A key twlint has no handler or kb entry for: whether it takes numbers or text is unknown.
                var hit = Hit(problem: problem)
                hit.vars["detail"] = "sysctl files have no inline comments, so the whole text \"\(value)\" is written to \(key); twlint does not know whether it takes numbers (the kernel would stop at the blank before the comment) or text (the kernel would keep or refuse the whole text); put the comment on its own line"
                return hit
            }
            let isString = ctx.kb.handlers.handler(for: key)?.kind == .string || ctx.kb.parameter(for: key)?.type == .string
            let head = "sysctl files have no inline comments, so the whole text \"\(value)\" is written to \(key)"
            var hit = Hit(problem: problem)
            switch a.outcome {
            case .accepted(let held) where !isString:
                hit.vars["detail"] = "\(head); the kernel reads numbers only up to the blank before the comment and sets \(held.normalisedSysctlValue): the comment is harmless only because of that; put it on its own line"
                hit.severity = .warning
            case .accepted(let held):
                hit.vars["detail"] = "\(head) and the kernel keeps all of it as the value: \"\(held)\""
            case .rejected(let errno, let reason):
                hit.vars["detail"] = "\(head), which refuses it (\(KernelWrite.errnoName(errno)): \(reason)); \(key) keeps \(leftInForce(a))"
            case .partial(let held, let errno, let reason):
                hit.vars["detail"] = "\(head), which stores the numbers before the comment and fails the write (\(KernelWrite.errnoName(errno)): \(reason)); \(key) holds \(held.normalisedSysctlValue)"
            }
            return hit
        }
    }

    /// tcp_max_tw_buckets below the kernel's own default, which is half the established hash;
    /// the hash has one bucket per 128 KiB of memory, at most 524288 unless `thash_entries=` says otherwise.
    static func twBucketsLowered(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let s = ctx.setting(rule.subject ?? ""), let v = s.value.trimmingCharacters(in: .whitespaces).sysctlInteger, v >= 0 else { return [] }
        // A live host tells its own hash size (negative when the netns shares the host's table).
        if let ehash = ctx.number("net.ipv4.tcp_ehash_entries"), ctx.setting("net.ipv4.tcp_ehash_entries")?.input == .live {
            let hostDefault = abs(ehash.value) / 2
            guard v < hostDefault else { return [] }
            return [Hit(setting: s, vars: ["default": "\(hostDefault) on this host (half of its \(abs(ehash.value)) established-hash buckets)"], severity: .warning)]
        }
        let largest: Int64 = 262_144
        guard v < largest else { return [] }
        // The memory above which the kernel's default would exceed v. The hash has roundup_pow_of_two(memory / 128 KiB)
        // buckets (alloc_large_system_hash), so the default passes v once memory exceeds the largest power of two
        // not above 2·v, times 128 KiB.
        var q: Int64 = 1
        while q * 2 <= 2 * v { q *= 2 }
        let bytes = Double(q) * 128 * 1024
        let memory = bytes >= Double(1 << 30) ? String(format: "%.0f GiB", bytes / Double(1 << 30)) : String(format: "%.0f MiB", bytes / Double(1 << 20))
        let severity: Severity = v < 32_768 ? .warning : .info
        return [Hit(setting: s, vars: ["default": "the default of any host with more than \(memory) of memory (the default is half the established hash, one bucket per 128 KiB rounded up to a power of two: 32768 up to 8 GiB, 65536 up to 16 GiB, 131072 up to 32 GiB, 262144 above 32 GiB)"], severity: severity)]
    }

    // MARK: ports

    struct PortRange {
        let low: Int
        let high: Int
        /// The number of ports; both ends are ports (0…65535), so this cannot overflow.
        var count: Int { high - low + 1 }
    }

    /// Two numbers as the kernel reads them, each a port (0…65535: anything else is a write the kernel refuses),
    /// the second not below the first.
    static func portRange(_ value: String) -> PortRange? {
        let f = value.sysctlFields
        guard f.count == 2, let lo = KernelInteger.int64(f[0]), let hi = KernelInteger.int64(f[1]),
              (0...65535).contains(lo), (0...65535).contains(hi), hi >= lo else { return nil }
        return PortRange(low: Int(lo), high: Int(hi))
    }

    static func portRangeNarrow(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let s = ctx.setting(portRangeKey), let range = portRange(s.value),
              let defaultValue = ctx.kb.parameter(named: portRangeKey)?.defaultValue(for: ctx.target.kernel),
              let standard = portRange(defaultValue), range.count < standard.count else { return [] }
        let reserved = reservedPorts(ctx).filter { $0 >= range.low && $0 <= range.high }.count
        let usable = range.count - reserved
        return [Hit(setting: s, vars: [
            "ports": "\(range.count)", "usable": "\(usable)", "default-ports": "\(standard.count)", "default": defaultValue,
            "rate": String(format: "%.0f", Double(usable) / 60), "default-rate": String(format: "%.0f", Double(standard.count) / 60),
        ])]
    }

    static func portRangeParity(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let s = ctx.setting(portRangeKey), let range = portRange(s.value), range.low % 2 == range.high % 2 else { return [] }
        return [Hit(setting: s, vars: ["parity": range.low % 2 == 0 ? "even" : "odd"])]
    }

    /// Ports that servers commonly listen on; a client's ephemeral port can take one first.
    static let servicePorts: [(port: Int, name: String)] = [
        (2379, "etcd"), (3306, "MySQL"), (5432, "PostgreSQL"), (5672, "RabbitMQ"), (6379, "Redis"), (6443, "Kubernetes API"),
        (8080, "HTTP alternate"), (8443, "HTTPS alternate"), (9090, "Prometheus"), (9092, "Kafka"), (9100, "node_exporter"),
        (9200, "Elasticsearch"), (9300, "Elasticsearch transport"), (10250, "kubelet"), (11211, "memcached"), (27017, "MongoDB"),
    ]

    static func portRangeServices(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let s = ctx.setting(portRangeKey), let range = portRange(s.value) else { return [] }
        let inside = servicePorts.filter { $0.port >= range.low && $0.port <= range.high }
        let reserved = reservedPorts(ctx)
        let exposed = inside.filter { !reserved.contains($0.port) }
        guard !exposed.isEmpty, exposed.count == inside.count else { return [] }
        return [Hit(setting: s, vars: [
            "services": exposed.map { "\($0.port) (\($0.name))" }.joined(separator: ", "),
            "ports": exposed.map { String($0.port) }.joined(separator: ","),
        ])]
    }

    static func reservedPortsOutsideRange(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let s = ctx.setting(reservedPortsKey), let entries = PortList.parse(s.value),
              let rangeValue = ctx.value(portRangeKey), let range = portRange(rangeValue.value) else { return [] }
        let outside = entries.filter { $0.upperBound < range.low || $0.lowerBound > range.high }
        guard !outside.isEmpty else { return [] }
        var vars = ["entries": outside.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ","),
                    "range": "\(range.low)-\(range.high)"]
        if rangeValue.fromDefault { vars["assumed"] = "\(portRangeKey) = \(rangeValue.value)" }
        return [Hit(setting: s, vars: vars)]
    }

    static func reservedPorts(_ ctx: EvaluationContext) -> Set<Int> {
        guard let value = ctx.value(reservedPortsKey)?.value, let list = PortList.parse(value) else { return [] }
        var ports = Set<Int>()
        for r in list where r.count <= 65536 { ports.formUnion(r) }
        return ports
    }
}

extension Hit {
    init(problem: InputProblem) {
        self.init(setting: nil, vars: ["detail": problem.detail], related: problem.related)
        key = problem.key
        value = problem.value
        location = problem.location
    }
}

/// `ip_local_reserved_ports` syntax: comma-separated ports and inclusive ranges (`8080,9000-9100`).
enum PortList {
    static func parse(_ value: String) -> [ClosedRange<Int>]? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return [] }
        var out: [ClosedRange<Int>] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let p = part.trimmingCharacters(in: .whitespaces)
            let ends = p.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count), let lo = Int(ends[0]), let hi = Int(ends.last!), (0...65535).contains(lo), (0...65535).contains(hi), lo <= hi else {
                return nil
            }
            out.append(lo...hi)
        }
        return out
    }
}

/// Whether a value fits a parameter's type and the bounds the kernel enforces on a write.
enum ValueCheck {
    static func problem(with value: String, for p: Parameter, kernel: KernelVersion) -> String? {
        let fields = value.sysctlFields.map(String.init)
        switch p.type {
        case .string:
            return nil
        case .portList:
            return PortList.parse(value) == nil ? "\"\(value)\" is not a list of ports and ranges such as 8080,9000-9100" : nil
        case .bool, .int, .enum:
            guard fields.count == 1 else { return "\"\(value)\" is not a single integer" }
            return integerProblem(fields[0], p, kernel: kernel)
        case .intPair, .intList:
            let expected = p.type == .intPair ? 2 : p.count
            if let expected, fields.count != expected {
                return "\"\(value)\" has \(fields.count) field\(fields.count == 1 ? "" : "s"); the kernel expects \(expected) integers"
            }
            for f in fields { if let problem = integerProblem(f, p, kernel: kernel) { return problem } }
            return nil
        }
    }

    static func kernelInteger(_ text: String) -> Int64? { KernelInteger.int64(text) }

    private static func integerProblem(_ text: String, _ p: Parameter, kernel: KernelVersion) -> String? {
        guard let n = kernelInteger(text) else { return "\"\(text)\" is not an integer" }
        if p.type == .bool && n != 0 && n != 1 && p.rangeEnforced && p.max == nil { return "\(n) is not 0 or 1" }
        if p.rangeEnforced {
            if let min = p.min, n < min { return "\(n) is below the minimum \(min) the kernel accepts" }
            if let max = p.max, n > max { return "\(n) is above the maximum \(max) the kernel accepts" }
        }
        // Values the kernel accepts but does not document are not errors: only enforced bounds are.
        // A value that exists only on newer kernels than the target is one.
        if p.type == .enum, let v = p.values.first(where: { $0.value == text }), let since = v.since, kernel < since {
            return "the value \(n) exists only since Linux \(since)"
        }
        return nil
    }
}
