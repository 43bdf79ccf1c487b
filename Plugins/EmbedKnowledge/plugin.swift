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
        return [
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
