import Foundation

/// Evaluators for container manifests (TW3xx): which sysctls a pod may set, and what commands change.
enum ContainerEvaluators {
    static let named: [String: RuleEvaluators.Evaluator] = [
        "not-namespaced": notNamespaced,
        "unsafe-sysctl": unsafeSysctl,
        "pod-security-baseline": podSecurityBaseline,
        "host-namespace": hostNamespace,
        "invalid-sysctl-name": invalidName,
        "slash-sysctl-name": slashName,
        "node-level-command": nodeLevelCommand,
        "pod-scoped-command": podScopedCommand,
    ]

    /// The newest Kubernetes version twlint knows the sysctl lists of.
    static let newestKubernetes = KernelVersion(1, 37)

    static func kubernetes(_ ctx: EvaluationContext) -> (version: KernelVersion, explicit: Bool) {
        if let v = ctx.target.kubernetes.flatMap(KernelVersion.init) { return (v, true) }
        return (newestKubernetes, false)
    }

    /// The kernel namespace a sysctl belongs to, as the kubelet and runc classify it (component-helpers namespace.go).
    static func namespace(of key: String) -> String? {
        let ipcExact: Set<String> = ["kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
                                     "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni"]
        if key == "kernel.domainname" { return "uts" }
        if ipcExact.contains(key) || key.hasPrefix("kernel.shm") || key.hasPrefix("kernel.msg") || key.hasPrefix("fs.mqueue.") { return "ipc" }
        if key.hasPrefix("net.") { return "net" }
        if key.hasPrefix("user.") { return "user" }
        return nil
    }

    /// Pod-level sysctls of the workload (not command writes).
    static func podSettings(_ ctx: EvaluationContext) -> [KeyFacts] {
        ctx.keyFacts.filter { $0.setting.input == .manifest }
    }

    static func notNamespaced(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        podSettings(ctx).compactMap { f in
            let key = f.setting.key
            if namespace(of: key) == nil {
                return Hit(setting: f.setting, vars: ["why": "it is not isolated by any kernel namespace: it is one value for the whole node"])
            }
            if namespace(of: key) == "net", let p = f.parameter, p.scope == .global {
                return Hit(setting: f.setting, vars: ["why": "it is global, not per network namespace: it does not exist inside a pod's network namespace, so the write fails and the pod does not start"])
            }
            return nil
        }
    }

    static func unsafeSysctl(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard ctx.workload?.source == .kubernetes else { return [] }
        let (version, explicit) = kubernetes(ctx)
        return podSettings(ctx).compactMap { f in
            guard namespace(of: f.setting.key) != nil, !(namespace(of: f.setting.key) == "net" && f.parameter?.scope == .global) else { return nil }
            let k8s = f.parameter?.kubernetes
            if let since = k8s?.safeSince.flatMap(KernelVersion.init), version >= since {
                guard let minKernel = k8s?.minKernel, ctx.target.kernel < minKernel else { return nil }
                return Hit(setting: f.setting, vars: ["k8s": version.description, "detail": "it is in the safe set only on nodes with Linux \(minKernel) or later (the kubelet drops it on older kernels; the target kernel is \(ctx.target.kernel))",
                                                      "assumed-k8s": explicit ? "" : " (assuming Kubernetes \(version); set --kubernetes)"])
            }
            let detail = k8s?.safeSince.map { "it joins the kubelet's safe set only in Kubernetes \($0)" } ?? "it is not in the kubelet's safe set"
            return Hit(setting: f.setting, vars: ["k8s": version.description, "detail": detail,
                                                  "assumed-k8s": explicit ? "" : " (assuming Kubernetes \(version); set --kubernetes)"])
        }
    }

    static func podSecurityBaseline(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard ctx.workload?.source == .kubernetes else { return [] }
        let (version, explicit) = kubernetes(ctx)
        return podSettings(ctx).compactMap { f in
            // Pod Security compares the name exactly as written.
            let p = f.setting.rawKey == f.setting.key ? f.parameter : nil
            if let since = p?.kubernetes?.baselineSince.flatMap(KernelVersion.init), version >= since { return nil }
            return Hit(setting: f.setting, vars: ["k8s": version.description, "name": f.setting.rawKey,
                                                  "assumed-k8s": explicit ? "" : " (assuming Kubernetes \(version); set --kubernetes)"])
        }
    }

    static func hostNamespace(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let w = ctx.workload else { return [] }
        return podSettings(ctx).compactMap { f in
            switch namespace(of: f.setting.key) {
            case "net" where w.hostNetwork:
                return Hit(setting: f.setting, vars: ["namespace": "network", "field": w.source == .compose ? "network_mode: host" : "hostNetwork: true"])
            case "ipc" where w.hostIPC:
                return Hit(setting: f.setting, vars: ["namespace": "IPC", "field": w.source == .compose ? "ipc: host" : "hostIPC: true"])
            default:
                return nil
            }
        }
    }

    /// The API server's grammar: lower-case segments of letters, digits, `-` and `_`, separated by `.` or `/`.
    static let validName = try! NSRegularExpression(pattern: "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$")

    static func invalidName(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard ctx.workload?.source == .kubernetes else { return [] }
        return podSettings(ctx).compactMap { f in
            let name = f.setting.rawKey
            let range = NSRange(name.startIndex..., in: name)
            if name.count <= 253, validName.firstMatch(in: name, range: range) != nil { return nil }
            return Hit(setting: f.setting, vars: ["name": name, "problem": name.count > 253 ? "it is longer than 253 characters" : "it does not match the API's sysctl name pattern (lower-case letters, digits, '-' and '_' in segments separated by '.' or '/')"])
        }
    }

    static func slashName(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard ctx.workload?.source == .kubernetes else { return [] }
        return podSettings(ctx).compactMap { f in
            guard let first = f.setting.rawKey.firstIndex(where: { $0 == "." || $0 == "/" }), f.setting.rawKey[first] == "/" else { return nil }
            return Hit(setting: f.setting, vars: ["name": f.setting.rawKey, "dotted": f.setting.key])
        }
    }

    /// Command writes from privileged containers to keys no namespace isolates: they change the node.
    static func nodeLevelCommand(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let w = ctx.workload, ctx.input == .command else { return [] }
        return w.commandSysctls.compactMap { entry in
            let key = entry.setting.key
            let isolated = namespace(of: key) != nil && !(namespace(of: key) == "net" && (w.hostNetwork || ctx.kb.parameter(for: key)?.scope == .global))
            guard !isolated else { return nil }
            return Hit(setting: entry.setting, vars: ["privileged": entry.privileged ? "a privileged container" : "a container"])
        }
    }

    static func podScopedCommand(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let w = ctx.workload, ctx.input == .command, !w.hostNetwork else { return [] }
        return w.commandSysctls.compactMap { entry in
            guard namespace(of: entry.setting.key) == "net", ctx.kb.parameter(for: entry.setting.key)?.scope != .global else { return nil }
            return Hit(setting: entry.setting)
        }
    }
}
