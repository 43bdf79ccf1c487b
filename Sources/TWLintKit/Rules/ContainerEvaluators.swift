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

    /// The Kubernetes release the rules are evaluated for: --kubernetes, else the newest released minor in
    /// kb/kubernetes/releases.xml. Nil only when the table is missing (a user's empty kb).
    static func kubernetes(_ ctx: EvaluationContext) -> (release: KubernetesReleases.Release, version: String, explicit: Bool)? {
        let table = ctx.kb.kubernetesReleases
        if let given = ctx.target.kubernetes.flatMap(KernelVersion.init), let r = table.describing(given) {
            return (r, "\(given.major).\(given.minor)", true)
        }
        guard let r = table.newestReleased else { return nil }
        return (r, r.description, false)
    }

    /// The variable that marks a hit as resting on the Kubernetes release (`Finding.kubernetesAssumed` when the
    /// release was not given): the report says once which release was assumed, not every message.
    static let dependsOnRelease = ["kubernetes-dependent": "yes"]

    /// The kernel namespace a sysctl belongs to as runc classifies it for compose files (docker):
    /// IPC keys by prefix, kernel.domainname (UTS) and net.* (runc's validateSysctl).
    static func runcNamespace(of key: String) -> String? {
        if key == "kernel.domainname" { return "uts" }
        if key == "kernel.sem" || key.hasPrefix("kernel.shm") || key.hasPrefix("kernel.msg") || key.hasPrefix("fs.mqueue.") { return "ipc" }
        if key.hasPrefix("net.") { return "net" }
        return nil
    }

    /// The namespace of a key for the workload: the target release's table for Kubernetes, runc's rules for compose.
    static func namespace(of key: String, _ ctx: EvaluationContext) -> String? {
        if ctx.workload?.source == .kubernetes || ctx.workload == nil, let k = kubernetes(ctx) {
            return k.release.namespace(of: key)?.rawValue
        }
        return runcNamespace(of: key)
    }

    /// Why the Kubernetes release has no namespace for a key that some other release or the kernel does isolate.
    static func unknownToKubelet(_ key: String, _ ctx: EvaluationContext, _ k: (release: KubernetesReleases.Release, version: String, explicit: Bool)) -> String? {
        let table = ctx.kb.kubernetesReleases
        if let c = table.unreleasedNamespaces.first(where: { $0.match == .exact ? $0.name == key : key.hasPrefix($0.name) }) {
            return "the kubelet of Kubernetes \(k.version) knows no namespace for it (the \(c.namespace.rawValue.uppercased()) namespace class comes only with KEP-5996, in no Kubernetes release yet), so it rejects the pod, and a kubelet with it in --allowed-unsafe-sysctls refuses to start"
        }
        if key.hasPrefix("kernel.shm") || key.hasPrefix("kernel.msg"), let since = table.exactIPCNamesSince, k.release.version >= since.version {
            return "from Kubernetes \(since.description) the kubelet knows only the exact IPC names (kernel.shmall, shmmax, shmmni, shm_rmid_forced, msgmax, msgmnb, msgmni; kernel.shm*/kernel.msg* still work as patterns), so on \(k.version) it is unknown and the pod is rejected, and a kubelet with it in --allowed-unsafe-sysctls refuses to start"
        }
        return nil
    }

    /// Pod-level sysctls of the workload (not command writes).
    static func podSettings(_ ctx: EvaluationContext) -> [KeyFacts] {
        ctx.keyFacts.filter { $0.setting.input == .manifest }
    }

    /// Whether a net.* key exists only in the initial namespace on the target kernel (global, or per-netns only later).
    static func globalOnTarget(_ p: Parameter?, _ ctx: EvaluationContext) -> Bool {
        guard let p else { return false }
        if p.scope == .global { return true }
        if p.scope == .netns, let since = p.scopeSince, ctx.target.kernel < since { return true }
        return false
    }

    static func notNamespaced(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        podSettings(ctx).compactMap { f in
            let key = f.setting.key
            let ns = namespace(of: key, ctx)
            if ns == nil {
                if ctx.workload?.source == .kubernetes, let k = kubernetes(ctx), let why = unknownToKubelet(key, ctx, k) {
                    return Hit(setting: f.setting, vars: ["why": why].merging(dependsOnRelease) { a, _ in a })
                }
                return Hit(setting: f.setting, vars: ["why": "it is not isolated by any kernel namespace: it is one value for the whole node"])
            }
            if ns == "net", let p = f.parameter, globalOnTarget(p, ctx) {
                if p.scope == .netns, let since = p.scopeSince {
                    return Hit(setting: f.setting, vars: ["why": "Linux keeps it per network namespace only from \(since); on the target kernel \(ctx.target.kernel) it exists only in the host's namespace, so the write fails and the pod does not start"])
                }
                return Hit(setting: f.setting, vars: ["why": "it is global, not per network namespace: it does not exist inside a pod's network namespace, so the write fails and the pod does not start"])
            }
            return nil
        }
    }

    static func unsafeSysctl(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard ctx.workload?.source == .kubernetes, let k = kubernetes(ctx) else { return [] }
        let table = ctx.kb.kubernetesReleases
        return podSettings(ctx).compactMap { f in
            let key = f.setting.key
            // Keys without a namespace (or global on the target kernel) are TW301's: allowing them cannot help.
            guard namespace(of: key, ctx) != nil, !(namespace(of: key, ctx) == "net" && globalOnTarget(f.parameter, ctx)) else { return nil }
            let vars = { (detail: String) in ["k8s": k.version, "detail": detail, "kubernetes-dependent": "yes"] }
            if let safe = k.release.safe[key] {
                guard let minKernel = safe.minKernel, ctx.target.kernel < minKernel else { return nil }
                return Hit(setting: f.setting, vars: vars("it is in the safe set only on nodes with Linux \(minKernel) or later (the kubelet drops it on older kernels; the target kernel is \(ctx.target.kernel))"))
            }
            if let later = table.safeSince(key), later.version > k.release.version {
                return Hit(setting: f.setting, vars: vars("it joins the kubelet's safe set only in Kubernetes \(later.description)" + (later.released ? "" : " (not released yet)")))
            }
            return Hit(setting: f.setting, vars: vars("it is not in the kubelet's safe set"))
        }
    }

    static func podSecurityBaseline(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard ctx.workload?.source == .kubernetes, let k = kubernetes(ctx) else { return [] }
        let table = ctx.kb.kubernetesReleases
        return podSettings(ctx).compactMap { f in
            // Pod Security compares the name exactly as written.
            let name = f.setting.rawKey
            if k.release.baseline[name] != nil { return nil }
            let later = table.baselineSince(name).map { r in
                "; the baseline allows it from Kubernetes \(r.description)" + (r.released ? "" : " (not released yet)")
            } ?? ""
            return Hit(setting: f.setting, vars: ["k8s": k.version, "name": name, "later": later, "kubernetes-dependent": "yes"])
        }
    }

    static func hostNamespace(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let w = ctx.workload else { return [] }
        let k = w.source == .kubernetes ? kubernetes(ctx) : nil
        func who() -> String {
            guard let k else { return "runc refuses it (sysctl not allowed in the host's namespace)" }
            if k.release.hostNamespaceRejection != nil {
                return "the API server rejects the pod (from Kubernetes \(ctx.kb.kubernetesReleases.hostNamespaceRejectionSince?.description ?? "1.29"), PR #118705)"
            }
            return "the kubelet refuses the pod; the API server of Kubernetes \(k.version) still accepts it (it rejects such pods from \(ctx.kb.kubernetesReleases.hostNamespaceRejectionSince?.description ?? "1.29"), PR #118705)"
        }
        // Which component refuses the pod depends on the Kubernetes release.
        let release = k == nil ? [:] : dependsOnRelease
        return podSettings(ctx).compactMap { f in
            switch namespace(of: f.setting.key, ctx) {
            case "net" where w.hostNetwork:
                return Hit(setting: f.setting, vars: ["namespace": "network", "field": w.source == .compose ? "network_mode: host" : "hostNetwork: true", "who": who()]
                    .merging(release) { a, _ in a })
            case "ipc" where w.hostIPC:
                return Hit(setting: f.setting, vars: ["namespace": "IPC", "field": w.source == .compose ? "ipc: host" : "hostIPC: true", "who": who()]
                    .merging(release) { a, _ in a })
            case "uts" where w.hostNetwork && w.source == .kubernetes && k?.release.features.contains("kep-5996") == true:
                // KEP-5996: a hostNetwork pod shares the node's UTS namespace, and the kubelet skips kernel.domainname.
                return Hit(setting: f.setting, vars: ["namespace": "UTS", "field": "hostNetwork: true (which shares the node's UTS namespace)",
                                                      "who": "the kubelet skips it for hostNetwork pods (KEP-5996)"])
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
            // A command writes through the kernel, not the kubelet: what matters is which namespace the kernel isolates
            // the key in (runc's classes), and whether the pod shares that namespace with the node.
            let ns = runcNamespace(of: key)
            // (A Kubernetes hostNetwork pod also shares the node's UTS namespace.)
            let sharedWithNode = (ns == "net" && (w.hostNetwork || globalOnTarget(ctx.kb.parameter(for: key), ctx)))
                || (ns == "uts" && w.hostNetwork && w.source == .kubernetes) || (ns == "ipc" && w.hostIPC)
            let isolated = ns != nil && !sharedWithNode
            guard !isolated else { return nil }
            return Hit(setting: entry.setting, vars: ["privileged": entry.privileged ? "a privileged container" : "a container"])
        }
    }

    static func podScopedCommand(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let w = ctx.workload, ctx.input == .command, !w.hostNetwork else { return [] }
        return w.commandSysctls.compactMap { entry in
            guard runcNamespace(of: entry.setting.key) == "net", ctx.kb.parameter(for: entry.setting.key)?.scope != .global else { return nil }
            return Hit(setting: entry.setting)
        }
    }
}
