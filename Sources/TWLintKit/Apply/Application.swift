import Foundation

/// What one applier does with a system's sysctl files: every write it makes, in order, and what the
/// kernel holds afterwards, key by key.
public struct Application: Sendable {
    /// An assignment line, where it was read.
    public struct Assignment: Sendable {
        public let line: LineParser.Line
        public let location: SourceLocation
    }

    /// What happened to one assignment for one concrete key.
    public enum Outcome: Sendable, Equatable {
        /// Written and accepted: the key held this afterwards.
        case accepted(held: String)
        /// Written and refused: the previous value stayed.
        case rejected(errno: Int32, reason: String)
        /// Written, refused part-way: the first elements of a vector were stored, the file reads `held`.
        case partial(held: String, errno: Int32, reason: String)
        /// systemd-sysctl did not write: the key already read exactly the text (a redundant write).
        case unchanged
        /// Never written: a later assignment of the same key replaced it (systemd keeps one per key) or a
        /// `-key` line cancelled it (systemd), or a plain assignment of the key keeps the glob off it.
        case notWritten(reason: String)
        /// Copied from net.ipv4.conf.default by the kernel (the device had not had the setting written).
        case propagated(held: String)
    }

    public struct Write: Sendable {
        public let assignment: Assignment
        /// The glob the key was expanded from, if any.
        public let glob: String?
        public let outcome: Outcome
        /// What the key held right after this write (nil: unknown), and the assignment that put that value in
        /// force (nil: no file did, it is the value the key had before).
        public internal(set) var heldAfter: String? = nil
        public internal(set) var heldFrom: SourceLocation? = nil
    }

    /// One concrete key the configuration touches.
    public struct Value: Sendable {
        public let path: String
        public var key: String { LineParser.dotted(path) }
        /// Before anything was applied (nil: unknown).
        public let initial: String?
        /// Afterwards, as /proc prints it (nil: unknown).
        public var held: String?
        /// Every assignment that named this key, in the order the applier handled it.
        public var writes: [Write] = []

        /// The write that left the value in force: the last accepted, unchanged or propagated one.
        public var winner: Write? {
            writes.last { w in
                switch w.outcome {
                case .accepted, .unchanged, .propagated, .partial: return true
                default: return false
                }
            }
        }

        /// Assignments the winner overrode or that never took effect, oldest first.
        public var others: [Write] {
            guard let w = winner else { return writes }
            return writes.filter { $0.assignment.location != w.assignment.location || $0.glob != w.glob }
        }
    }

    public let applier: Applier
    public let discovery: Discovery
    /// Every key the configuration touched, by relative /proc/sys path, in the order first touched.
    public private(set) var values: [String: Value] = [:]
    public private(set) var order: [String] = []
    /// Keys named by an assignment that do not exist (exactly, or no glob match).
    public private(set) var missing: [Assignment] = []
    /// Lines the applier rejects: (location, text).
    public private(set) var invalid: [(location: SourceLocation, text: String)] = []
    /// Files the applier could not read (a dangling symlink is silent for systemd, an error for procps).
    public private(set) var unreadable: [(path: String, errno: Int32)] = []
    /// systemd stopped reading these files at an overlong line.
    public private(set) var truncated: [SourceLocation] = []
    /// Every file read, with its parsed lines (for linting).
    public private(set) var files: [(file: Discovery.File, bytes: [UInt8], parsed: LineParser.Parsed)] = []
    public private(set) var state: KernelState

    /// Applies the files `discovery` found, as `applier` does, to `state`.
    public init(applier: Applier, discovery: Discovery, state: KernelState, writer: KernelWriter) {
        self.applier = applier
        self.discovery = discovery
        self.state = state
        var assignments: [Assignment] = []
        // At most 256 MiB of configuration in all, whatever the number of files.
        var budget = 256 * 1024 * 1024
        for file in discovery.files {
            switch file.content(limit: max(0, min(16 * 1024 * 1024, budget))) {
            case .failure(let e):
                unreadable.append((file.displayPath, e.code))
                files.append((file, [], LineParser.Parsed()))
            case .success(let bytes):
                budget -= bytes.count
                assignments += read(file, bytes)
            }
        }
        apply(assignments, writer: writer)
    }

    /// Applies settings given directly (files already read), e.g. `lint --merge`.
    public init(applier: Applier, files input: [(displayPath: String, bytes: [UInt8])], state: KernelState, writer: KernelWriter) {
        self.applier = applier
        self.discovery = Discovery()
        self.state = state
        var assignments: [Assignment] = []
        for (path, bytes) in input {
            let host = Array(path.utf8)
            assignments += read(Discovery.File(name: host, system: host, displayPath: path, node: .file(host: host, system: host), expandedFrom: nil), bytes)
        }
        apply(assignments, writer: writer)
    }

    /// Parses one file's bytes as the applier does, keeps it in `files` and its problems, and returns its assignments.
    private mutating func read(_ file: Discovery.File, _ bytes: [UInt8]) -> [Assignment] {
        let parsed = LineParser.parse(bytes, applier: applier)
        let path = file.displayPath
        files.append((file, bytes, parsed))
        for bad in parsed.invalid { invalid.append((SourceLocation(path: path, line: bad.line), bad.text)) }
        if let t = parsed.truncatedAt { truncated.append(SourceLocation(path: path, line: t.line)) }
        return parsed.lines.map { Assignment(line: $0, location: SourceLocation(path: path, line: $0.line)) }
    }

    private mutating func apply(_ assignments: [Assignment], writer: KernelWriter) {
        switch applier {
        case .systemd: applySystemd(assignments, writer: writer)
        case .procps: applyProcps(assignments, writer: writer)
        }
    }

    mutating func record(_ path: String, _ write: Write) {
        if values[path] == nil {
            values[path] = Value(path: path, initial: state.value(path), held: state.value(path))
            order.append(path)
        }
        values[path]!.writes.append(write)
        values[path]!.held = state.value(path)
        let last = values[path]!.writes.count - 1
        values[path]!.writes[last].heldAfter = values[path]!.held
        values[path]!.writes[last].heldFrom = values[path]!.winner?.assignment.location
    }

    /// One write reaching the kernel (or not), recorded on the key and on keys it changed on the side.
    mutating func write(_ path: String, _ a: Assignment, glob: String?, writer: KernelWriter, suppressEqual: Bool) {
        guard state.exists(path) else { if glob == nil { missing.append(a) }; return }
        if state.readOnly.contains(path) { return }
        let text = a.line.value ?? ""
        if suppressEqual, let current = state.value(path), current == text {
            record(path, Write(assignment: a, glob: glob, outcome: .unchanged))
            return
        }
        let (result, sideEffects) = state.write(path, text, writer: writer)
        guard case .written(let outcome) = result else { return }
        switch outcome {
        case .accepted(let held): record(path, Write(assignment: a, glob: glob, outcome: .accepted(held: held)))
        case .rejected(let e, let reason): record(path, Write(assignment: a, glob: glob, outcome: .rejected(errno: e, reason: reason)))
        case .partial(let held, let e, let reason): record(path, Write(assignment: a, glob: glob, outcome: .partial(held: held, errno: e, reason: reason)))
        }
        for other in sideEffects {
            record(other, Write(assignment: a, glob: glob ?? a.line.path, outcome: .propagated(held: state.value(other) ?? "")))
        }
    }

    /// systemd-sysctl (src/sysctl/sysctl.c parse_file, apply_all; src/shared/sysctl-util.c sysctl_write):
    /// one entry per key in an ordered map. A later assignment with the same value keeps the earlier
    /// entry's place; a different value (or a `-key` line) removes it and appends the new one at the end.
    /// Then, in map order: entries without a value are skipped; a glob is expanded over /proc/sys and
    /// writes every match that has no entry of its own; a plain key is written. A write whose text equals
    /// what the file reads already is not made (WRITE_STRING_FILE_SUPPRESS_REDUNDANT_VIRTUAL).
    mutating func applySystemd(_ assignments: [Assignment], writer: KernelWriter) {
        var entries: [String: (a: Assignment, seq: Int)] = [:]
        var seq = 0
        var dropped: [(Assignment, String)] = []
        for a in assignments {
            let path = a.line.path
            if let existing = entries[path] {
                if existing.a.line.value == a.line.value { continue }
                let reason = a.line.value == nil
                    ? "cancelled by \"-\(a.line.rawKey)\" at \(a.location)"
                    : "replaced by a later assignment at \(a.location) (systemd-sysctl writes each key once)"
                if existing.a.line.value != nil { dropped.append((existing.a, reason)) }
            }
            entries[path] = (a, seq)
            seq += 1
        }
        for (a, reason) in dropped {
            let targets = a.line.isGlob ? state.expand(a.line.path) : [a.line.path]
            for t in targets where state.exists(t) && !(a.line.isGlob && entries[t] != nil) {
                record(t, Write(assignment: a, glob: a.line.isGlob ? a.line.path : nil, outcome: .notWritten(reason: reason)))
            }
        }
        for (_, entry) in entries.sorted(by: { $0.value.seq < $1.value.seq }) {
            let a = entry.a
            guard a.line.value != nil else { continue }
            if a.line.isGlob {
                let matches = state.expand(a.line.path)
                if matches.isEmpty { missing.append(a) }
                for m in matches {
                    if let own = entries[m] {
                        if values[m] == nil || own.a.line.value == nil {
                            record(m, Write(assignment: a, glob: a.line.path,
                                            outcome: .notWritten(reason: own.a.line.value == nil ? "excluded by \"-\(own.a.line.rawKey)\" at \(own.a.location)" : "the key's own assignment at \(own.a.location) wins over the glob")))
                        }
                        continue
                    }
                    write(m, a, glob: a.line.path, writer: writer, suppressEqual: true)
                }
            } else {
                write(a.line.path, a, glob: nil, writer: writer, suppressEqual: true)
            }
        }
    }

    /// procps `sysctl --system` (src/sysctl.c write_setting_list): every line in order, none merged.
    /// Exclusions are skipped; a glob is expanded over /proc/sys and writes every match that no line of
    /// any file names exactly (an assignment or an exclusion, before or after it); a plain key is written
    /// each time it appears.
    mutating func applyProcps(_ assignments: [Assignment], writer: KernelWriter) {
        var named: [String: Assignment] = [:]
        for a in assignments where !a.line.isGlob { named[a.line.path] = a }
        for a in assignments {
            guard a.line.value != nil else { continue }
            if a.line.isGlob {
                let matches = state.expand(a.line.path)
                if matches.isEmpty { missing.append(a) }
                for m in matches {
                    if let own = named[m] {
                        if own.line.value == nil {
                            record(m, Write(assignment: a, glob: a.line.path, outcome: .notWritten(reason: "excluded by \"-\(own.line.rawKey)\" at \(own.location)")))
                        }
                        continue
                    }
                    write(m, a, glob: a.line.path, writer: writer, suppressEqual: false)
                }
            } else {
                write(a.line.path, a, glob: nil, writer: writer, suppressEqual: false)
            }
        }
    }

    /// The touched keys in first-touched order.
    public var touched: [Value] { order.compactMap { values[$0] } }
}
