import Foundation

/// `lint --fix`, `--unsafe-fixes` and `--diff`: rewrites sysctl files with the fixes their rules declare.
public struct Fixer {
    public enum Mode: Sendable { case fix, diff }

    /// What fixing one file's text gives.
    public struct FileResult: Sendable {
        public let path: String
        public let original: Data
        public let fixed: Data
        /// Fixes applied, in the rounds they were applied.
        public let applied: [PlannedFix]
        /// Fixes left that only `--unsafe-fixes` would apply.
        public let unsafeLeft: Int
        public var changed: Bool { original != fixed }
    }

    /// A whole run: the diff or the files written, and the lint report of what remains.
    public struct Outcome {
        /// The lint report of what remains; without findings when they were streamed to `deliver`.
        public var report: LintReport
        /// `--diff`: the unified diff of every file, byte for byte (empty when it was streamed to `diff`).
        public var diff = Data()
        /// The severities of the findings that remain (streamed or not): enough for the exit status.
        public var severities: Set<Severity> = []
        public var applied = 0
        public var filesChanged = 0
        public var unsafeLeft = 0
        /// "PATH: not fixed: REASON" for every file twlint refused to write.
        public var refusals: [String] = []
        public var notes: [String] = []

        /// `--diff`: 1 when there is something to fix (like ruff), 2 when an input could not be read.
        /// `--fix`: the exit status of what remains, and at least 1 when a file could not be written.
        public func exitStatus(mode: Mode, failOn: Severity?) -> Int32 {
            if report.hadUnreadableInput { return 2 }
            switch mode {
            case .diff: return filesChanged == 0 && refusals.isEmpty ? 0 : 1
            case .fix:
                let findings: Int32 = failOn.map { f in severities.contains { $0 >= f } } == true ? 1 : 0
                return max(findings, refusals.isEmpty ? 0 : 1)
            }
        }
    }

    /// Rounds of fixing before twlint stops: each round re-lints, so fixes that met on a line get their turn.
    static let maxRounds = 10

    let linter: Linter

    public init(linter: Linter) { self.linter = linter }

    /// Fixes one sysctl file's text: lint, apply the fixes that do not meet, and again until nothing is left to fix.
    public func fix(_ data: Data, path: String, options: LintOptions, unsafe: Bool) -> FileResult {
        let planner = FixPlanner(kb: linter.kb, kernel: options.target.kernel)
        var text = LineText(data)
        var current = data
        var applied: [PlannedFix] = []
        var unsafeLeft = 0
        for _ in 0..<Fixer.maxRounds {
            let parsed = SysctlConf.parse(current, path: path)
            let findings = linter.lintFragment(parsed, options: options)
            let planned = planner.plan(text, parsed: parsed, findings: findings)
            let chosen = planned.filter { unsafe || $0.applicability == .safe }
            unsafeLeft = planned.count - chosen.count
            if chosen.isEmpty { break }
            text = text.applying(chosen.map(\.edit))
            current = text.data
            applied += chosen
        }
        if !applied.isEmpty {
            // Fixes that waited for a line another fix took may still be hidden behind unsafe ones: count them once more.
            let parsed = SysctlConf.parse(current, path: path)
            let planned = planner.plan(text, parsed: parsed, findings: linter.lintFragment(parsed, options: options))
            unsafeLeft = planned.filter { !unsafe && $0.applicability == .unsafe }.count
        }
        return FileResult(path: path, original: data, fixed: current, applied: applied, unsafeLeft: unsafeLeft)
    }

    /// The unified diff of a file's fix (empty when nothing changes).
    public static func diff(_ result: FileResult) -> Data {
        Data(UnifiedDiff.bytes(path: result.path, old: LineText(result.original), new: LineText(result.fixed)))
    }

    /// A file a run may rewrite.
    struct Candidate {
        /// What is read and written: for `--system`, the file a path resolves to inside the root.
        let path: String
        /// What the diff and messages name.
        let shown: String
        /// The directory it must stay inside (nil: named on the command line).
        let confinement: String?
    }

    /// The sysctl files a run may rewrite.
    func candidates(paths: [String], system: Bool, root: String, options: LintOptions, notes: inout [String], unreadable: inout Bool) -> [Candidate] {
        var out: [Candidate] = []
        if system {
            // Symlinks are resolved the way the system sees them, inside the root (an absolute link target means
            // ROOT/target, never this machine's file).
            // Every file either applier reads (the application model's discovery, every component resolved inside
            // the root).
            let fs = RootFS(root: root)
            for applier in Applier.allCases {
                for file in Discovery.discover(applier, in: fs).files {
                    guard case .file(let host, _) = file.node else { continue }
                    out.append(Candidate(path: String(decoding: host, as: UTF8.self), shown: file.displayPath, confinement: root))
                }
            }
        }
        for path in paths {
            if path == "-" {
                notes.append("standard input is linted but not fixed")
                continue
            }
            guard case .success(let walk) = InputWalker.files(at: path, options: options.walk) else { unreadable = true; continue }
            let files = walk.files
            var isDirectory: ObjCBool = false
            let walked = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            for file in files where !Linter.manifestExtensions.contains((file as NSString).pathExtension.lowercased()) {
                out.append(Candidate(path: file, shown: file, confinement: walked ? path : nil))
            }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0.path).inserted }
    }

    /// Fixes (or shows the diff of) every sysctl file of the run, then lints again for the report. With `diff`,
    /// each file's diff is passed on as soon as it is made, and with `deliver` the report's findings input by
    /// input (as `lint` streams them): memory then does not grow with the number of files or findings.
    public func run(paths: [String], system: Bool, root: String, options: LintOptions, mode: Mode, unsafe: Bool,
                    diff emitDiff: ((Data) -> Void)? = nil, deliver: (([Finding]) -> Void)? = nil) -> Outcome {
        var notes: [String] = []
        var unreadable = false
        let files = candidates(paths: paths, system: system, root: root, options: options, notes: &notes, unreadable: &unreadable)
        var outcome = Outcome(report: LintReport(findings: [], target: options.target, hadUnreadableInput: false, inputsRead: 0))
        outcome.notes = notes
        for file in files {
            guard case .success(let data) = FileReader.read(file.path) else { continue }   // the report says why
            let result = fix(data, path: file.shown, options: options, unsafe: unsafe)
            outcome.unsafeLeft += result.unsafeLeft
            guard result.changed else { continue }
            switch mode {
            case .diff:
                if let emitDiff { emitDiff(Fixer.diff(result)) } else { outcome.diff += Fixer.diff(result) }
                outcome.applied += result.applied.count
                outcome.filesChanged += 1
            case .fix:
                switch SafeWriter.replace(file.path, original: data, with: result.fixed, confinedTo: file.confinement) {
                case .success:
                    outcome.applied += result.applied.count
                    outcome.filesChanged += 1
                case .failure(let refusal):
                    outcome.refusals.append("\(file.shown): not fixed: \(refusal.reason)")
                }
            }
        }
        if mode == .fix || unreadable {
            if let deliver {
                var report = outcome.report
                func pass(_ findings: [Finding]) {
                    for f in findings { outcome.severities.insert(f.severity) }
                    deliver(findings)
                }
                if system {
                    let whole = linter.lintSystem(root: root, options: options)
                    pass(whole.findings)
                    report.inputsRead += whole.inputsRead
                    report.hadUnreadableInput = whole.hadUnreadableInput
                }
                if !paths.isEmpty {
                    let more = linter.lint(paths: paths, options: options, deliver: pass)
                    report.inputsRead += more.inputsRead
                    report.hadUnreadableInput = report.hadUnreadableInput || more.hadUnreadableInput
                }
                outcome.report = report
            } else {
                outcome.report = linter.lint(paths: paths, system: system, root: root, options: options)
                outcome.severities = Set(outcome.report.findings.map(\.severity))
            }
        }
        return outcome
    }

    /// One line for standard error: what was (or would be) fixed and what is left.
    public static func summary(_ o: Outcome, mode: Mode, unsafe: Bool) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : (word.hasSuffix("x") ? "es" : "s"))" }
        var text = mode == .fix
            ? "applied \(plural(o.applied, "fix")) to \(plural(o.filesChanged, "file"))"
            : "would apply \(plural(o.applied, "fix")) to \(plural(o.filesChanged, "file"))"
        if o.unsafeLeft > 0 && !unsafe {
            text += "; \(o.unsafeLeft) more with --unsafe-fixes"
        }
        return text
    }
}
