import Foundation

/// `twlint show`: the effective configuration, one entry per concrete key, with where each value came from.
public struct ShowReport {
    public let system: SystemConfiguration
    /// `show --live`: the running host's values (relative /proc/sys path → value).
    public let live: KernelState?

    public init(system: SystemConfiguration, live: KernelState? = nil) {
        self.system = system
        self.live = live
    }

    public struct Item {
        public let key: String
        /// As /proc prints it (nil: unknown).
        public let value: String?
        public let written: String?
        public let location: SourceLocation?
        public let glob: String?
        public let overridden: [(written: String?, location: SourceLocation, why: String)]
        /// Where the other applier leaves another value.
        public let otherValue: String??
        /// For `--live`: the value the host holds now.
        public let liveValue: String?
    }

    /// `twlint show`: loads the configuration and renders it.
    public static func render(root: String, procRoot: String?, applier: Applier?, kernel: KernelVersion?, live: Bool, json: Bool, kb: KnowledgeBase) -> String {
        let running = (procRoot ?? (RootFS(root: root).root.isEmpty ? "/proc" : nil)).flatMap { ProcReader(root: $0).kernel() }
        let state = SystemConfiguration.state(root: root, procRoot: procRoot, kb: kb, kernel: kernel ?? running ?? .newestKnown, lenient: false)
        let system = SystemConfiguration.load(root: root, applier: applier, state: state, kb: kb)
        let report = ShowReport(system: system, live: live ? state : nil)
        return json ? report.json().render() + "\n" : report.text()
    }

    public var items: [Item] {
        let app = system.chosen
        let differing = Dictionary(system.differences.map { ($0.path, $0.other) }, uniquingKeysWith: { a, _ in a })
        var paths = app.order
        let known = Set(paths)
        paths += system.other.order.filter { !known.contains($0) && differing[$0] != nil }
        return paths.map { path in
            let v = app.values[path]
            let w = v?.winner
            let others: [(written: String?, location: SourceLocation, why: String)] = (v?.others ?? []).map { o in
                let why: String
                switch o.outcome {
                case .accepted(let held): why = "overridden (the kernel held \"\(held.normalisedSysctlValue)\" until then)"
                case .unchanged: why = "overridden (the file already read the same)"
                case .rejected(let e, let reason): why = "rejected by the kernel: \(reason) (\(Errno(e).description))"
                case .partial(let held, let e, let reason): why = "partly stored (\"\(held)\"), then refused: \(reason) (\(Errno(e).description))"
                case .notWritten(let reason): why = "not written: \(reason)"
                case .propagated(let held): why = "copied from net.ipv4.conf.default (\"\(held.normalisedSysctlValue)\") and later overridden"
                }
                return (o.assignment.line.value, o.assignment.location, why)
            }
            var written = w?.assignment.line.value
            if case .propagated? = w?.outcome { written = nil }
            return Item(key: LineParser.dotted(path), value: app.state.value(path), written: written, location: w?.assignment.location,
                        glob: w?.glob.map(LineParser.dotted), overridden: others, otherValue: differing[path],
                        liveValue: live.flatMap { $0.value(path) })
        }
    }

    public func json() -> JSON {
        let other = system.other.applier.rawValue
        let settings: [JSON] = items.map { item in
            var fields: [(String, JSON)] = [
                ("key", .string(item.key)),
                ("value", item.value.map(JSON.string) ?? .null),
                ("written", item.written.map(JSON.string) ?? .null),
                ("location", item.location.map { .object([("path", .string($0.path)), ("line", .int($0.line))]) } ?? .null),
                ("glob", item.glob.map(JSON.string) ?? .null),
                ("overridden", .array(item.overridden.map { o in
                    .object([("written", o.written.map(JSON.string) ?? .null),
                             ("location", .object([("path", .string(o.location.path)), ("line", .int(o.location.line))])),
                             ("why", .string(o.why))])
                })),
            ]
            if let otherValue = item.otherValue {
                fields.append(("appliers", .object([(system.applier.rawValue, item.value.map(JSON.string) ?? .null), (other, otherValue.map(JSON.string) ?? .null)])))
            }
            if live != nil { fields.append(("live", item.liveValue.map(JSON.string) ?? .null)) }
            return .object(fields)
        }
        let d = system.chosen.discovery
        return .object([("applier", .string(system.applier.rawValue)), ("state", .string(system.stateSource)),
                        ("files", .array(system.chosen.files.map { .string($0.file.displayPath) })),
                        ("masked", .array(d.masked.map { .object([("path", .string($0.path)), ("by", .string($0.by))]) })),
                        ("skipped", .array(d.skipped.map { .object([("path", .string($0.path)), ("why", .string($0.why))]) })),
                        ("settings", .array(settings))])
    }

    public func text() -> String {
        var out = "# applied as \(system.applier.displayName) does; values start from \(system.stateSource)\n"
        let d = system.chosen.discovery
        let unreadable = Dictionary(system.chosen.unreadable.map { ($0.path, $0.errno) }, uniquingKeysWith: { a, _ in a })
        for f in system.chosen.files {
            out += "# reads \(f.file.displayPath)" + (unreadable[f.file.displayPath].map { " (nothing: \(Errno($0).description))" } ?? "") + "\n"
        }
        for m in d.masked { out += "# masked: \(m.path) (by \(m.by))\n" }
        for s in d.skipped { out += "# skipped: \(s.path): \(s.why)\n" }
        let list = items
        if list.isEmpty { out += "# no file sets anything\n" }
        for item in list {
            let shown = (live != nil ? item.liveValue : item.value)?.normalisedSysctlValue ?? "(unknown)"
            out += "\(item.key) = \(shown)"
            let fromFiles = item.location != nil && (live == nil || item.liveValue?.normalisedSysctlValue == item.value?.normalisedSysctlValue)
            if fromFiles, let location = item.location {
                out += "\t# \(location)"
                if let glob = item.glob { out += " (glob \(glob))" }
                if let written = item.written, written.normalisedSysctlValue != item.value?.normalisedSysctlValue {
                    out += "; written \"\(written)\""
                }
            } else {
                out += "\t# not from any file"
                if live != nil, let v = item.value, item.location != nil { out += "; the files would set \"\(v.normalisedSysctlValue)\" (\(item.location!))" }
            }
            out += "\n"
            for o in item.overridden { out += "#   \(o.location): \(o.written.map { "\"\($0)\"" } ?? "-\(item.key)") \(o.why)\n" }
            if let otherValue = item.otherValue {
                out += "#   \(system.other.applier.displayName) would leave \(otherValue.map { "\"\($0.normalisedSysctlValue)\"" } ?? "an unknown value")\n"
            }
        }
        return out
    }
}
