/// The two programs that apply sysctl.d at boot or on demand. Everything twlint knows about how each one
/// finds files, reads lines and writes values is in this folder:
///
/// - `Discovery.swift`: which files each one reads, which it masks, in which order;
/// - `LineParser.swift`: how each one splits a file into lines and lines into assignments;
/// - `Application.swift`: which writes each one makes (globs, exclusions, repeats) and what the kernel
///   keeps (`KernelState.swift`: which sysctls exist, their values, cross-key effects such as
///   net.ipv4.conf.default; `KernelWrite.swift`: what the kernel does with one write).
///
/// Every behaviour here is checked against the real programs by `ApplierOracleTests` (randomized trees
/// applied in private mount and network namespaces, /proc/sys read back).
public enum Applier: String, CaseIterable, Sendable {
    /// systemd-sysctl (systemd 252, src/sysctl/sysctl.c, src/basic/conf-files.c): runs at boot.
    case systemd
    /// `sysctl --system` from procps-ng 4.0.2 (src/sysctl.c: PreloadSystem, Preload, parse_setting_line,
    /// write_setting_list).
    case procps

    /// The program's path inside a root.
    public var program: String {
        switch self {
        case .systemd: return "/lib/systemd/systemd-sysctl"
        case .procps: return "/usr/sbin/sysctl"
        }
    }

    public var displayName: String {
        switch self {
        case .systemd: return "systemd-sysctl"
        case .procps: return "sysctl --system (procps)"
        }
    }

    /// The directories, highest priority first. systemd 252 as Debian builds it (without split-usr: the
    /// binary's own list is /etc, /run, /usr/local/lib, /usr/lib) does not read /lib/sysctl.d; procps reads
    /// all five (PreloadSystem's `dirs`).
    public var directories: [String] {
        switch self {
        case .systemd: return ["/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d"]
        case .procps: return ["/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"]
        }
    }

    /// The default applier for a root: systemd-sysctl where the root has it, else procps.
    public static func `default`(for fs: RootFS) -> Applier {
        if case .file = fs.resolve(Applier.systemd.program) { return .systemd }
        return .procps
    }
}
