import Foundation

/// Evaluators of the live check (TW4xx): sockets, counters and drift.
enum RuntimeEvaluators {
    static let named: [String: RuleEvaluators.Evaluator] = [
        "port-exhaustion": portExhaustion,
        "server-time-wait": serverTimeWait,
        "tw-buckets-near-limit": twBucketsNearLimit,
        "counter": counter,
        "listener-in-ephemeral-range": listenerInEphemeralRange,
        "drift": drift,
        "unreadable": unreadable,
    ]

    static func location(_ ctx: EvaluationContext) -> SourceLocation {
        SourceLocation(path: ctx.runtime?.socketSource ?? "/proc/net/tcp", line: 0)
    }

    static func hit(_ ctx: EvaluationContext, key: String? = nil, value: String? = nil, _ vars: [String: String], severity: Severity? = nil) -> Hit {
        var h = Hit(setting: nil, vars: vars, severity: severity)
        h.key = key
        h.value = value
        h.location = location(ctx)
        return h
    }

    /// The usable ephemeral range and the listening ports, from the live values.
    struct Ports {
        let range: RuleEvaluators.PortRange
        let reserved: Set<Int>
        let listening: Set<Int>
        var usable: Int { range.count - reserved.filter { $0 >= range.low && $0 <= range.high }.count }
    }

    static func ports(_ ctx: EvaluationContext) -> Ports? {
        guard let runtime = ctx.runtime, let value = ctx.value(RuleEvaluators.portRangeKey)?.value,
              let range = RuleEvaluators.portRange(value) else { return nil }
        return Ports(range: range, reserved: RuleEvaluators.reservedPorts(ctx), listening: runtime.sockets.listening)
    }

    /// Sockets toward one destination from one local address: one pool of local ports.
    struct DestinationLoad {
        var count: Int
        var timeWait: Int
        let destination: SocketSummary.Destination
        var remote: String { destination.remoteEndpoint }
        var localAddress: String { destination.local.description }
    }

    /// Client-side sockets holding an ephemeral port, grouped by (local address, remote address, remote port):
    /// each destination has its own pool of local ports. Busiest first. The readers counted them while reading
    /// (SocketSummary), in the live port range.
    static func destinationLoads(_ runtime: RuntimeState, _ p: Ports) -> [DestinationLoad] {
        runtime.sockets.busiest().map { DestinationLoad(count: $0.load.count, timeWait: $0.load.timeWait, destination: $0.destination) }
    }

    static func portExhaustion(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let runtime = ctx.runtime, let p = ports(ctx), p.usable > 0 else { return [] }
        let worst = destinationLoads(runtime, p)
        guard let top = worst.first else { return [] }
        let share = Double(top.count) / Double(p.usable)
        guard share >= 0.5 else { return [] }
        let listed = worst.prefix(3).filter { Double($0.count) / Double(p.usable) >= 0.5 }.map {
            "\($0.remote) from \($0.localAddress): \($0.count) sockets (\($0.timeWait) in TIME_WAIT), \(Int(saturating: Double($0.count) * 100 / Double(p.usable)))% of the ports"
        }
        return [hit(ctx, key: RuleEvaluators.portRangeKey, value: "\(p.range.low) \(p.range.high)", [
            "destination": top.remote, "count": "\(top.count)", "usable": "\(p.usable)",
            "percent": "\(Int(saturating: share * 100))", "rate": String(format: "%.0f", Double(p.usable) / 60),
            "destinations": listed.joined(separator: "; "),
        ], severity: share >= 0.9 ? .error : .warning)]
    }

    /// TIME_WAIT sockets on a listening port belong to accepted connections: harmless for ports.
    static func serverTimeWait(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let runtime = ctx.runtime else { return [] }
        let serverSide = runtime.sockets.serverTimeWait.values.reduce(0, +)
        guard serverSide >= 1000 else { return [] }
        let byPort = runtime.sockets.serverTimeWait.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        return [hit(ctx, ["count": "\(serverSide)", "ports": byPort.prefix(3).map { "\($0.0) (\($0.1))" }.joined(separator: ", ")])]
    }

    static func twBucketsNearLimit(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let tw = ctx.runtime?.sockstat?.timeWait, let limit = ctx.number("net.ipv4.tcp_max_tw_buckets")?.value, limit > 0 else { return [] }
        let share = Double(tw) / Double(limit)
        guard share >= 0.9 else { return [] }
        return [hit(ctx, key: "net.ipv4.tcp_max_tw_buckets", value: "\(limit)", ["tw": "\(tw)", "percent": "\(Int(saturating: share * 100))"])]
    }

    /// What each counter says, for the rules that watch counters: the rule's subject names the counter
    /// (`counter:TcpExt.TCPTimeWaitOverflow`); a counter rule fires when its counter is above zero.
    static let counterMeaning: [String: String] = [
        "TcpExt.TCPTimeWaitOverflow": "connections closed without TIME_WAIT because tcp_max_tw_buckets was reached",
        "TcpExt.PAWSPassive": "incoming SYNs dropped by the per-host timestamp check of tcp_tw_recycle (kernels before 4.12)",
        "TcpExt.PAWSActive": "SYN-ACKs to this host's own outgoing connect()s dropped because their timestamp was older than one seen before on that connection attempt",
        "TcpExt.ListenOverflows": "connections dropped because a listener's accept queue was full",
        "TcpExt.ListenDrops": "connection attempts dropped on listening sockets",
        "TcpExt.TCPAbortOnData": "connections reset because data arrived after close() or shutdown(SHUT_RD) (common on servers that close while the client still sends), because close() used SO_LINGER with a zero timeout, or because a negative TCP_LINGER2 ended an orphan when its FIN was acknowledged: TCP aborting a connection, RST condition 2",
        "TcpExt.TCPAbortOnClose": "connections reset because the application closed them with unread data: RST condition 2",
        "TcpExt.TCPAbortOnLinger": "sockets already in FIN_WAIT2 when the application closed them, reset because TCP_LINGER2 was negative (the same option on a socket closed from ESTABLISHED counts as TCPAbortOnData)",
        "TcpExt.TCPAbortOnTimeout": "connections aborted after retransmission, SYN or keepalive timeouts (keepalive expiry sends an RST)",
        "TcpExt.TCPAbortOnMemory": "connections reset because of too many orphans or TCP memory pressure",
        "Tcp.OutRsts": "RST segments sent: to ports with no listener (RST condition 1), for unknown connections (condition 3) and by aborts (condition 2)",
        "Tcp.EstabResets": "established connections that ended abortively (an RST sent or received, or a timeout)",
        "Tcp.AttemptFails": "connection attempts that failed (refused with an RST, or timed out)",
    ]

    static func counter(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let runtime = ctx.runtime else { return [] }
        // A counter rule about a key (tcp_tw_recycle) only speaks when that key is switched on.
        if let key = rule.subject, ctx.value(key).map({ $0.value.trimmingCharacters(in: .whitespaces) == "0" }) ?? true { return [] }
        var hits: [Hit] = []
        for name in rule.counterNames {
            guard let (value, isRate) = runtime.counter(name), value > 0 else { continue }
            let amount = isRate ? String(format: "%.1f per second over the last %.0f s", value, runtime.interval ?? 0)
                : "\(runtime.total(name) ?? Int64(saturating: value)) since boot"
            var h = hit(ctx, ["counter": name.replacingOccurrences(of: ".", with: ": "), "amount": amount,
                             "meaning": counterMeaning[name] ?? name])
            h.key = nil
            h.location = SourceLocation(path: name.hasPrefix("Tcp.") ? runtimePath(ctx, "net/snmp") : runtimePath(ctx, "net/netstat"), line: 0)
            hits.append(h)
        }
        return hits
    }

    static func runtimePath(_ ctx: EvaluationContext, _ file: String) -> String {
        ctx.runtime?.procPath(file) ?? "/proc/" + file
    }

    static func listenerInEphemeralRange(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let p = ports(ctx) else { return [] }
        let exposed = p.listening.filter { $0 >= p.range.low && $0 <= p.range.high && !p.reserved.contains($0) }.sorted()
        guard !exposed.isEmpty else { return [] }
        return [hit(ctx, key: RuleEvaluators.portRangeKey, value: "\(p.range.low) \(p.range.high)",
                    ["ports": exposed.prefix(10).map(String.init).joined(separator: ","), "range": "\(p.range.low)-\(p.range.high)"])]
    }

    /// A configured effective value that differs from the live one (whitespace-normalised).
    static func drift(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let configured = ctx.configured else { return [] }
        return configured.winners.filter { !$0.isGlob }.compactMap { want in
            guard let live = ctx.config[want.key] else { return nil }
            let a = want.value.normalisedSysctlValue
            let b = live.value.normalisedSysctlValue
            guard a != b else { return nil }
            var h = Hit(setting: want, vars: ["live": b, "configured": a, "proc": live.location.path])
            h.related = [RelatedLocation(location: live.location, note: "live value \"\(b)\"")]
            return h
        }
    }

    static func unreadable(_ rule: Rule, _ ctx: EvaluationContext) -> [Hit] {
        guard let runtime = ctx.runtime, !runtime.unreadable.isEmpty else { return [] }
        return runtime.unreadable.map { u in
            var h = Hit(setting: nil, vars: ["reason": u.reason, "impact": u.impact, "path": u.path])
            h.location = SourceLocation(path: u.path, line: 0)
            return h
        }
    }
}
