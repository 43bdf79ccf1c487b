import ArgumentParser
import Foundation
import TWLintKit

struct KernelOption: ExpressibleByArgument {
    let version: KernelVersion
    init?(argument: String) {
        guard let v = KernelVersion(argument) else { return nil }
        version = v
    }
}

@main
struct TWLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twlint",
        abstract: "Lint Linux TCP sysctls, explain them, and check live hosts.",
        version: TWLintKit.version,
        subcommands: [Explain.self, Params.self]
    )
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a parameter, topic or rule.",
        discussion: "TERM is a key (net.ipv4.tcp_tw_reuse), a short name (tcp_tw_reuse), a net/ipv4/... or /proc/sys/... path, a topic (rst, time-wait, so_linger) or a rule code or slug (TW101).")

    @Argument(help: "What to explain.") var terms: [String]
    @Option(help: "Output format: text, json or markdown.") var format: ExplainRenderer.Format = .text
    @Option(help: "Kernel version the defaults are shown for (default: the newest the kb knows).") var kernel: KernelOption?

    func run() throws {
        let kb = KnowledgeBase.shipped
        let renderer = ExplainRenderer(kb: kb, kernel: kernel?.version ?? .newestKnown, style: .forStandardOutput())
        let resolutions = terms.map(kb.resolve)
        var failed = false
        var outputs: [String] = []
        var jsons: [JSON] = []
        for resolution in resolutions {
            switch resolution {
            case .ambiguous, .unknown:
                failed = true
                if format == .json { jsons.append(renderer.json(resolution)) } else { FileHandle.standardError.write(Data(("twlint: " + renderer.text(resolution)).utf8)) }
            default:
                switch format {
                case .text: outputs.append(renderer.text(resolution))
                case .markdown: outputs.append(renderer.markdown(resolution))
                case .json: jsons.append(renderer.json(resolution))
                }
            }
        }
        if format == .json {
            print((jsons.count == 1 ? jsons[0] : .array(jsons)).render())
        } else if !outputs.isEmpty {
            print(outputs.joined(separator: format == .markdown ? "\n---\n\n" : "\n" + String(repeating: "─", count: 80) + "\n\n"), terminator: "")
        }
        if failed { throw ExitCode(2) }
    }
}

extension ExplainRenderer.Format: ExpressibleByArgument {}

struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every parameter the knowledge base describes.")

    @Option(help: "Output format: text or json.") var format: ListFormat = .text
    @Option(help: "Kernel version for defaults and existence (default: the newest the kb knows).") var kernel: KernelOption?

    func run() throws {
        let listing = ParameterListing(kb: .shipped, kernel: kernel?.version ?? .newestKnown)
        print(format == .json ? listing.json().render() : listing.text(), terminator: format == .json ? "\n" : "")
    }
}

enum ListFormat: String, ExpressibleByArgument, CaseIterable { case text, json }
