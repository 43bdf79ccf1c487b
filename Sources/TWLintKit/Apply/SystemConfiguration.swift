import Foundation

/// A system's sysctl configuration as one applier applies it, with what the other applier would leave
/// where it differs: the one place `lint --system`, `lint --merge`, `show` and `check --live` get their
/// effective configuration from.
public struct SystemConfiguration: Sendable {
    public let applier: Applier
    public let chosen: Application
    public let other: Application
    /// Keys the two appliers leave with different values: (path, chosen's value, other's value).
    public let differences: [(path: String, chosen: String?, other: String?)]
    public let effective: EffectiveConfiguration
    /// Each file the chosen applier read, parsed for diagnostics and directives.
    public let inputs: [ParsedInput]
    public var problems: [InputProblem]
    /// Some file could not be read.
    public let unreadable: Bool
    public let stateSource: String

    /// The kernel state to apply to: a /proc-shaped tree when given, the running host's /proc/sys when the
    /// root is `/`, else the kb catalog for the target kernel. `lenient`: keys the state lacks are assumed
    /// to exist (for linting, so a key of an unloaded module still reaches the rules).
    public static func state(root: String, procRoot: String?, kb: KnowledgeBase, kernel: KernelVersion, lenient: Bool) -> KernelState {
        var state: KernelState
        if let procRoot {
            state = KernelState.read(procRoot: procRoot)
        } else if RootFS(root: root).root.isEmpty {
            state = KernelState.read(procRoot: "/proc")
        } else {
            state = KernelState.catalog(kb, kernel: kernel)
        }
        if state.values.isEmpty { state = KernelState.catalog(kb, kernel: kernel) }
        state.assumeUnknownKeysExist = lenient
        return state
    }

    /// Discovers, reads and applies the files under `root`.
    public static func load(root: String, applier: Applier?, state: KernelState, kb: KnowledgeBase) -> SystemConfiguration {
        let fs = RootFS(root: root)
        let chosenApplier = applier ?? Applier.default(for: fs)
        let writer = KernelWriteModel(kb: kb)
        let chosen = Application(applier: chosenApplier, discovery: Discovery.discover(chosenApplier, in: fs), state: state, writer: writer)
        let otherApplier: Applier = chosenApplier == .systemd ? .procps : .systemd
        let other = Application(applier: otherApplier, discovery: Discovery.discover(otherApplier, in: fs), state: state, writer: writer)
        return SystemConfiguration(chosen: chosen, other: other, stateSource: state.source)
    }

    /// Applies files given by path (`lint --merge`): in sysctl.d order (by file name, bytes; the later
    /// argument wins a tie), as one configuration.
    public static func merge(paths: [String], applier: Applier, state: KernelState, kb: KnowledgeBase) -> (SystemConfiguration, [InputProblem]) {
        var problems: [InputProblem] = []
        var files: [(name: [UInt8], index: Int, path: String, bytes: [UInt8])] = []
        for (i, path) in paths.enumerated() {
            switch RootFS.read(host: Array(path.utf8)) {
            case .success(let bytes): files.append((Array((path as NSString).lastPathComponent.utf8), i, path, bytes))
            case .failure(let e):
                problems.append(InputProblem(code: "TW907", location: SourceLocation(path: path, line: 0), detail: "cannot read the file (\(e.description))", unreadable: true))
            }
        }
        files.sort { $0.name == $1.name ? $0.index < $1.index : $0.name.lexicographicallyPrecedes($1.name) }
        // Of two files with one name, sysctl.d applies only the first directory's: the later argument.
        var seen = Set<[UInt8]>()
        var kept: [(name: [UInt8], index: Int, path: String, bytes: [UInt8])] = []
        for f in files.reversed() where seen.insert(f.name).inserted { kept.insert(f, at: 0) }
        for f in files where !kept.contains(where: { $0.index == f.index }) {
            let by = kept.first { $0.name == f.name }!.path
            problems.append(InputProblem(code: "TW920", location: SourceLocation(path: f.path, line: 0),
                                         detail: "\(f.path) has the same file name as \(by), named later: in one sysctl.d tree only one of them is applied (\(by))"))
        }
        let input = kept.map { (displayPath: $0.path, bytes: $0.bytes) }
        let writer = KernelWriteModel(kb: kb)
        let chosen = Application(applier: applier, files: input, state: state, writer: writer)
        let other = Application(applier: applier == .systemd ? .procps : .systemd, files: input, state: state, writer: writer)
        var config = SystemConfiguration(chosen: chosen, other: other, stateSource: state.source)
        config.problems += problems
        return (config, problems)
    }

    init(chosen: Application, other: Application, stateSource: String) {
        self.applier = chosen.applier
        self.chosen = chosen
        self.other = other
        self.stateSource = stateSource
        var problems: [InputProblem] = []
        var inputs: [ParsedInput] = []
        var unreadable = false
        let unreadablePaths = Set(chosen.unreadable.map(\.path))
        for (file, bytes, _) in chosen.files {
            guard !unreadablePaths.contains(file.displayPath) else { continue }
            let parsed = SysctlConf.parse(Data(bytes), path: file.displayPath)
            problems += parsed.problems
            inputs.append(parsed)
        }
        for (path, e) in chosen.unreadable {
            let masks = chosen.discovery.masked.filter { $0.by == path }.map(\.path)
            let detail: String
            switch e {
            case ENOENT: detail = "a dangling symlink: nothing is read from it" + (masks.isEmpty ? "" : ", and it masks \(masks.joined(separator: ", ")) all the same (both appliers)")
            case ELOOP: detail = "too many levels of symbolic links (a symlink loop); nothing is read from it"
            case EISDIR: detail = "a directory with a .conf name: nothing is read from it" + (masks.isEmpty ? "" : ", and it masks \(masks.joined(separator: ", "))")
            default: detail = "cannot read the file (\(Errno(e).description))"
            }
            problems.append(InputProblem(code: e == ELOOP ? "TW908" : "TW907", location: SourceLocation(path: path, line: 0), detail: detail, unreadable: e != ENOENT && e != EISDIR))
            if e != ENOENT && e != EISDIR { unreadable = true }
        }
        for location in chosen.truncated {
            problems.append(InputProblem(code: "TW905", location: location,
                detail: "the line is longer than systemd-sysctl's limit of \(LineParser.systemdLineLimit) bytes: systemd-sysctl stops reading the file here (procps reads on)"))
        }
        // Writes the kernel refuses: the value in force stays, and is what the rules see. A key's own line is
        // TW804, as in a single file; a write the applier made from a glob line is TW921 (only the application
        // knows which keys a glob reaches).
        for value in chosen.touched {
            for w in value.writes {
                let (errno, reason, partlyHeld): (Int32, String, String?)
                switch w.outcome {
                case .rejected(let e, let r): (errno, reason, partlyHeld) = (e, r, nil)
                case .partial(let held, let e, let r): (errno, reason, partlyHeld) = (e, r, held)
                default: continue
                }
                let held = w.heldAfter?.normalisedSysctlValue
                let keeps = held.map { v in w.heldFrom.map { "\(v), set at \($0)" } ?? "\(v) (its value before the files: \(stateSource))" }
                    ?? "its previous value (twlint does not know it)"
                let text = KernelWrite.refusal(reason: reason, errno: errno, key: value.key, keeps: keeps, partlyHeld: partlyHeld)
                let written = w.assignment.line.value ?? ""
                if let glob = w.glob {
                    problems.append(InputProblem(code: "TW921", location: w.assignment.location,
                        detail: "\(LineParser.dotted(glob)) = \(written) reaches \(value.key): \(text)", key: value.key, value: written))
                } else {
                    problems.append(InputProblem(code: "TW804", location: w.assignment.location, detail: text, key: value.key, value: written))
                }
            }
        }
        // Where the two appliers leave different values.
        var differences: [(path: String, chosen: String?, other: String?)] = []
        let paths = Set(chosen.order).union(other.order)
        for path in paths.sorted() {
            let a = chosen.state.value(path), b = other.state.value(path)
            guard a != b else { continue }
            differences.append((path, a, b))
            let mine = chosen.values[path]?.winner, theirs = other.values[path]?.winner
            let location = mine?.assignment.location ?? theirs?.assignment.location ?? SourceLocation(path: path, line: 0)
            func describe(_ applier: Applier, _ value: String?, _ w: Application.Write?) -> String {
                let v = value.map { "\"\($0.normalisedSysctlValue)\"" } ?? "an unknown value"
                return "\(applier.displayName) leaves \(v)" + (w.map { " (from \($0.assignment.location))" } ?? " (not set by any file)")
            }
            var detail = "\(LineParser.dotted(path)): " + describe(chosen.applier, a, mine) + "; " + describe(other.applier, b, theirs)
            if theirs?.assignment.location.path.hasSuffix("/etc/sysctl.conf") == true || mine?.assignment.location.path.hasSuffix("/etc/sysctl.conf") == true {
                detail += ". /etc/sysctl.conf is read by sysctl --system only; systemd-sysctl reads sysctl.d alone"
            }
            problems.append(InputProblem(code: "TW920", location: location, detail: detail, key: LineParser.dotted(path), value: a))
        }
        self.differences = differences
        self.inputs = inputs
        self.problems = problems
        self.unreadable = unreadable
        self.effective = SystemConfiguration.effective(chosen)
    }

    /// The rules' view: one entry per concrete key with a winner, its value what the kernel holds.
    static func effective(_ app: Application) -> EffectiveConfiguration {
        var config = EffectiveConfiguration()
        func setting(_ w: Application.Write, key: String, value: String) -> Setting {
            Setting(key: key, rawKey: w.assignment.line.rawKey, value: value, location: w.assignment.location,
                    ignoreFailure: w.assignment.line.ignoreFailure, input: .sysctl)
        }
        // Glob lines themselves, for the rules about globs (a pattern that matches nothing).
        for (file, _, parsed) in app.files {
            for line in parsed.lines where line.isGlob && line.value != nil {
                config.apply(Setting(key: line.key, rawKey: line.rawKey, value: line.value ?? "", location: SourceLocation(path: file.displayPath, line: line.line), input: .sysctl))
            }
        }
        for value in app.touched {
            let key = value.key
            let rejected = value.writes.compactMap { w -> (setting: Setting, reason: String)? in
                guard case .rejected(let e, let reason) = w.outcome else { return nil }
                return (setting(w, key: key, value: w.assignment.line.value ?? ""), "\(reason) (\(Errno(e).description))")
            }
            guard let w = value.winner else {
                if !rejected.isEmpty { config.onlyRejected[key] = rejected }
                continue
            }
            let written = w.assignment.line.value ?? ""
            let held = value.held ?? written
            let overridden = value.writes.prefix { $0.assignment.location != w.assignment.location || $0.glob != w.glob }
                .filter { if case .rejected = $0.outcome { return false }; return true }
                .map { setting($0, key: key, value: $0.assignment.line.value ?? "") }
            config.set(key, EffectiveConfiguration.Entry(winner: setting(w, key: key, value: held.normalisedSysctlValue), overridden: Array(overridden),
                                                         written: written, glob: w.glob.map(LineParser.dotted), rejected: rejected))
        }
        return config
    }
}
