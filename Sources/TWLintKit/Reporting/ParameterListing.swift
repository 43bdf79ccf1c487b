/// `twlint params`: every kb parameter with its type, default for a kernel, and scope.
public struct ParameterListing {
    let kb: KnowledgeBase
    let kernel: KernelVersion

    public init(kb: KnowledgeBase, kernel: KernelVersion) {
        self.kb = kb
        self.kernel = kernel
    }

    public func json() -> JSON {
        .object([
            ("kernel", .string(kernel.description)),
            ("parameters", .array(kb.sortedParameters.map { p in
                .object([
                    ("key", .string(p.key)),
                    ("type", .string(p.type.rawValue)),
                    ("default", .str(p.defaultValue(for: kernel).map { p.printed($0) })),
                    ("computed", .bool(p.computedDefault != nil)),
                    ("scope", .string(p.scope.rawValue)),
                    ("exists", .bool(p.exists(on: kernel))),
                    ("summary", .string(p.summary)),
                ])
            })),
        ])
    }

    public func text() -> String {
        let rows = kb.sortedParameters.map { p -> [String] in
            let def = p.defaultValue(for: kernel) ?? (p.computedDefault != nil ? "(computed)" : "-")
            return [p.key + (p.exists(on: kernel) ? "" : " (absent)"), p.type.rawValue, def, p.scope.rawValue]
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
