import Foundation

/// Finds the files `sysctl --system` and systemd-sysctl apply, in their order, under a root directory.
///
/// Directories in priority order: /etc/sysctl.d, /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d,
/// and /lib/sysctl.d where it is a real directory (not the merged-/usr symlink). Only `*.conf` files count;
/// the first directory holding a file name wins and masks the same name further down; a symlink to
/// /dev/null disables the name. All files are applied in order of their file name, whatever their directory.
/// procps `sysctl --system` then applies /etc/sysctl.conf last; systemd-sysctl does not read it.
public struct SysctlSystem {
    public static let directories = ["/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"]
    public static let sysctlConf = "/etc/sysctl.conf"

    public struct AppliedFile: Sendable {
        /// The path inside the system (`/etc/sysctl.d/10-x.conf`).
        public let systemPath: String
        /// The path on this machine, under the root (what findings print).
        public let path: String
        /// The file the path resolves to, following symlinks inside the root.
        public let resolvedPath: String
    }

    public struct Plan: Sendable {
        public var files: [AppliedFile] = []
        /// Files a higher-priority directory masks, or that are disabled with /dev/null: (masked path, by).
        public var masked: [(path: String, by: String)] = []
        public var problems: [InputProblem] = []
        /// /etc/sysctl.conf exists but no sysctl.d file links to it: systemd-sysctl ignores it.
        public var sysctlConfOnlyProcps: String?
    }

    public let root: String

    public init(root: String = "/") {
        self.root = root
    }

    /// `root` + an absolute system path, as a path on this machine.
    func hostPath(_ systemPath: String) -> String {
        if root == "/" || root.isEmpty { return systemPath }
        return (root.hasSuffix("/") ? String(root.dropLast()) : root) + systemPath
    }

    enum Resolved {
        case file(String)
        case devNull
        case missing
        case loop
    }

    /// Follows symlinks as the system would see them, absolute targets being taken inside the root.
    func resolve(systemPath: String) -> Resolved {
        var current = systemPath
        for _ in 0..<40 {
            if current == "/dev/null" { return .devNull }
            let host = hostPath(current)
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: host) else {
                var isDir: ObjCBool = false
                return FileManager.default.fileExists(atPath: host, isDirectory: &isDir) ? .file(current) : .missing
            }
            current = target.hasPrefix("/") ? target : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
            current = (current as NSString).standardizingPath
        }
        return .loop
    }

    public func plan() -> Plan {
        var plan = Plan()
        var chosen: [String: AppliedFile] = [:]
        var maskedNames = Set<String>()
        for directory in SysctlSystem.directories {
            let hostDir = hostPath(directory)
            if directory == "/lib/sysctl.d" {
                // On merged-/usr systems /lib is a symlink to /usr/lib: the same files, not a fifth directory.
                if (try? FileManager.default.destinationOfSymbolicLink(atPath: hostPath("/lib"))) != nil { continue }
            }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: hostDir, isDirectory: &isDir) else { continue }
            guard isDir.boolValue else {
                plan.problems.append(InputProblem(code: "TW907", location: SourceLocation(path: hostDir, line: 0), detail: "expected a directory"))
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: hostDir)
            } catch {
                plan.problems.append(InputProblem(code: "TW907", location: SourceLocation(path: hostDir, line: 0),
                                                  detail: "cannot list the directory (\(SysctlSystem.reason(error)))", unreadable: true))
                continue
            }
            for name in names.sorted() where name.hasSuffix(".conf") {
                let systemPath = directory + "/" + name
                if let winner = chosen[name] {
                    plan.masked.append((hostPath(systemPath), winner.path))
                    continue
                }
                if maskedNames.contains(name) {
                    plan.masked.append((hostPath(systemPath), "a /dev/null symlink"))
                    continue
                }
                switch resolve(systemPath: systemPath) {
                case .devNull:
                    maskedNames.insert(name)
                case .loop:
                    plan.problems.append(InputProblem(code: "TW908", location: SourceLocation(path: hostPath(systemPath), line: 0),
                                                      detail: "too many levels of symbolic links (a symlink loop)", unreadable: true))
                case .missing:
                    plan.problems.append(InputProblem(code: "TW907", location: SourceLocation(path: hostPath(systemPath), line: 0),
                                                      detail: "a dangling symlink: its target does not exist", unreadable: true))
                case .file(let target):
                    chosen[name] = AppliedFile(systemPath: systemPath, path: hostPath(systemPath), resolvedPath: hostPath(target))
                }
            }
        }
        plan.files = chosen.keys.sorted().map { chosen[$0]! }
        if case .file = resolve(systemPath: SysctlSystem.sysctlConf) {
            let conf = AppliedFile(systemPath: SysctlSystem.sysctlConf, path: hostPath(SysctlSystem.sysctlConf),
                                   resolvedPath: hostPath(SysctlSystem.sysctlConf))
            let linked = plan.files.contains { $0.resolvedPath == conf.resolvedPath }
            if !linked { plan.sysctlConfOnlyProcps = conf.path }
            plan.files.append(conf)
        }
        return plan
    }

    /// The applied files, parsed, in apply order, with every problem met on the way.
    public struct Loaded {
        public var inputs: [ParsedInput] = []
        public var problems: [InputProblem] = []
        /// Some file or directory could not be read at all.
        public var unreadable = false
        public var plan = Plan()

        public var configuration: EffectiveConfiguration { EffectiveConfiguration(applying: inputs) }
    }

    /// Plans, reads and parses the applied files.
    public func load() -> Loaded {
        var loaded = Loaded()
        loaded.plan = plan()
        loaded.problems = loaded.plan.problems
        loaded.unreadable = loaded.plan.problems.contains { $0.unreadable }
        for file in loaded.plan.files {
            switch FileReader.read(file.resolvedPath, displayPath: file.path) {
            case .success(let data):
                let parsed = SysctlConf.parse(data, path: file.path)
                loaded.problems += parsed.problems
                loaded.inputs.append(parsed)
            case .failure(let problem):
                loaded.unreadable = true
                loaded.problems.append(problem)
            }
        }
        return loaded
    }

    static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedDescription
    }
}
