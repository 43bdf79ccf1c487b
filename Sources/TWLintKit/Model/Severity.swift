/// How serious a finding is. Ordered: info < warning < error.
public enum Severity: String, Comparable, CaseIterable, Sendable, Codable {
    case info, warning, error

    private var rank: Int {
        switch self {
        case .info: return 0
        case .warning: return 1
        case .error: return 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// What an input is, for rules that apply to some kinds only.
public enum InputKind: String, Sendable, CaseIterable, Codable {
    case sysctl, manifest, command, live
    /// Proxy and server configurations (HAProxy, nginx, Envoy, Tomcat, Jetty) and source code that set SO_LINGER.
    case config, source
}

/// The role of the host, which changes what some rules conclude.
public enum Profile: String, Sendable, CaseIterable, Codable {
    case client, server, gateway, node
}
