import Foundation

/// The series the live check exposes for monitoring (`--format prometheus`, `twlint serve`). Label sets are
/// bounded: per-destination series are the `topDestinations` busiest plus one "other".
public enum LiveMetrics {
    public static let topDestinations = 10

    static func metrics(_ runtime: RuntimeState, context: EvaluationContext, findings: [Finding], seconds: Double) -> [Metric] {
        var out: [Metric] = []
        out.append(Metric(name: "twlint_build_info", help: "twlint's version (always 1).", labels: [("version", TWLintKit.version)], value: 1))
        out.append(Metric(name: "twlint_sampling_duration_seconds", help: "Time the live check took to read and evaluate the host.", value: seconds))
        let s = runtime.sockets
        out.append(Metric(name: "twlint_tcp_time_wait_sockets", help: "TCP sockets in TIME_WAIT in the socket tables.", value: Double(s.timeWait)))
        if let t = runtime.sockstat?.timeWait {
            out.append(Metric(name: "twlint_tcp_sockstat_tw", help: "TIME_WAIT count from /proc/net/sockstat (includes FIN_WAIT2 minisockets).", value: Double(t)))
        }
        for (state, name) in stateNames where s.byState[state] > 0 || state == 6 {
            out.append(Metric(name: "twlint_tcp_sockets", help: "TCP sockets by state (CLOSE not counted).", labels: [("state", name)], value: Double(s.byState[state])))
        }
        // TIME_WAIT per destination (client side, in the ephemeral range), top N plus "other".
        let tw = s.busiestTimeWait()
        for (d, load) in tw.prefix(topDestinations) {
            out.append(Metric(name: "twlint_tcp_time_wait_destination_sockets",
                              help: "Client-side TIME_WAIT sockets toward a destination (top \(topDestinations), the rest as other).",
                              labels: [("destination", d.remoteEndpoint), ("local", d.local.description)], value: Double(load.timeWait)))
        }
        if tw.count > topDestinations {
            out.append(Metric(name: "twlint_tcp_time_wait_destination_sockets",
                              help: "Client-side TIME_WAIT sockets toward a destination (top \(topDestinations), the rest as other).",
                              labels: [("destination", "other"), ("local", "other")],
                              value: Double(tw.dropFirst(topDestinations).reduce(0) { $0 + $1.load.timeWait })))
        }
        if let p = RuntimeEvaluators.ports(context) {
            out.append(Metric(name: "twlint_ephemeral_ports_usable", help: "Ports in ip_local_port_range minus reserved ones.", value: Double(p.usable)))
            let loads = s.busiest()
            let share = { (n: Int) in p.usable > 0 ? Double(n) / Double(p.usable) : 0 }
            out.append(Metric(name: "twlint_ephemeral_ports_worst_destination_ratio",
                              help: "Share of usable ephemeral ports held toward the busiest destination (0-1).",
                              value: share(loads.first?.load.count ?? 0)))
            for (d, load) in loads.prefix(topDestinations) {
                out.append(Metric(name: "twlint_ephemeral_ports_destination_ratio",
                                  help: "Share of usable ephemeral ports held toward a destination from one local address (top \(topDestinations)).",
                                  labels: [("destination", d.remoteEndpoint), ("local", d.local.description)], value: share(load.count)))
            }
        }
        for name in RuntimeEvaluators.counterMeaning.keys.sorted() {
            guard let v = runtime.counters[name] else { continue }
            let parts = name.split(separator: ".")
            out.append(Metric(name: "twlint_tcp_events_total", help: "TCP counters twlint checks (/proc/net/netstat, /proc/net/snmp), since boot.",
                              labels: [("group", String(parts[0])), ("counter", String(parts[1]))], value: Double(v)))
        }
        return out
    }

    static let stateNames: [(Int, String)] = [
        (1, "established"), (2, "syn_sent"), (3, "syn_recv"), (4, "fin_wait1"), (5, "fin_wait2"), (6, "time_wait"),
        (8, "close_wait"), (9, "last_ack"), (10, "listen"), (11, "closing"), (12, "new_syn_recv"),
    ]
}
