import Foundation
import PackagePlugin

/// Embeds the package's knowledge (kb/, rules/, schema/) into the library at build time,
/// so the twlint binary works from any directory and when copied elsewhere.
@main
struct EmbedKnowledge: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        var inputs: [URL] = []
        for dir in ["kb", "rules", "schema"] {
            let base = root.appending(path: dir)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where ["xml", "xsd"].contains(url.pathExtension) {
                inputs.append(url)
            }
        }
        inputs.sort { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedKnowledge.swift")
        let tool = try context.tool(named: "twlint-embed")
        // The git revision for `twlint --version`, read before every build (git reads local files only;
        // TWLINT_REVISION overrides it, "unknown" outside a checkout). The file is rewritten only when it changes.
        let infoDirectory = context.pluginWorkDirectoryURL.appending(path: "BuildInfo")
        let script = """
            rev="${TWLINT_REVISION:-}"
            if [ -z "$rev" ]; then
              rev=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || rev=unknown
              if [ "$rev" != unknown ] && [ -n "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null)" ]; then rev="$rev-modified"; fi
            fi
            rev=$(printf '%s' "$rev" | tr -cd 'A-Za-z0-9._-')
            new="enum BuildInfo { static let revision = \\\"$rev\\\" }"
            mkdir -p "$2"
            [ "$(cat "$2/BuildInfo.swift" 2>/dev/null)" = "$new" ] || printf '%s\n' "$new" > "$2/BuildInfo.swift"
            """
        return [
            .prebuildCommand(
                displayName: "Reading the git revision",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "sh", root.path, infoDirectory.path],
                outputFilesDirectory: infoDirectory
            ),
            .buildCommand(
                displayName: "Embedding \(inputs.count) knowledge files",
                executable: tool.url,
                arguments: [root.path, output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
