/// `twlint params`: the kb parameters that exist on a kernel (every one with `all`), with type, default
/// for that kernel and scope; or every sysctl name of that kernel (`names`).
public struct ParameterListing {
    let kb: KnowledgeBase
    let kernel: KernelVersion
    let all: Bool

    public init(kb: KnowledgeBase, kernel: KernelVersion, all: Bool = false) {
        self.kb = kb
        self.kernel = kernel
        self.all = all
    }

    /// The parameters listed: those that exist on the kernel (per-version tables, then kb history).
    var listed: [Parameter] { kb.sortedParameters.filter { all || kb.exists($0, on: kernel) } }

    /// Every sysctl name (interface families with `*`) the kernel has: the per-version tables, and after the
    /// newest table the names of the catalog and kb.
    public func names() -> [String] {
        var names = kb.catalog.keys(for: kernel)
        for key in kb.parameterKeys where kb.keyExists(key, on: kernel) { names.insert(key) }
        return names.filter { kb.keyExists($0, on: kernel) }.sorted()
    }

    public func json() -> JSON {
        .object([
            ("kernel", .string(kernel.description)),
            ("parameters", .array(listed.map { p in
                .object([
                    ("key", .string(p.key)),
                    ("type", .string(p.type.rawValue)),
                    ("default", .str(p.defaultValue(for: kernel).map { p.printed($0) })),
                    ("computed", .bool(p.computedDefault != nil)),
                    ("scope", .string(p.scope.rawValue)),
                    ("exists", .bool(kb.exists(p, on: kernel))),
                    ("summary", .string(p.summary)),
                ])
            })),
        ])
    }

    public func text() -> String {
        let rows = listed.map { p -> [String] in
            let def = p.defaultValue(for: kernel) ?? (p.computedDefault != nil ? "(computed)" : "-")
            return [p.key + (kb.exists(p, on: kernel) ? "" : " (absent)"), p.type.rawValue, def, p.scope.rawValue]
        }
        let header = ["KEY", "TYPE", "DEFAULT (\(kernel))", "SCOPE"]
        let all = [header] + rows
        let widths = (0..<header.count).map { i in all.map { $0[i].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
