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

extension ExplainRenderer.Format: ExpressibleByArgument {}
extension ReportFormat: ExpressibleByArgument {}
extension Profile: ExpressibleByArgument {}
extension KnowledgeListing.Kind: ExpressibleByArgument {}
enum ListFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

/// The shipped knowledge plus the user's rule directories (no config file: these commands only describe).
func knowledge(adding ruleDirectories: [String]) throws -> KnowledgeBase {
    var settings = RunSettings()
    settings.ruleDirectories = ruleDirectories
    settings.useConfig = false
    do { return try settings.resolve().kb } catch { throw fail("\(error)") }
}

/// Streams the report to standard output and exits with its status.
func finish(_ report: LintReport, _ resolved: RunSettings.Resolved, format: ReportFormat, brief: Bool, docsURL: String? = nil) throws {
    let output = OutputBuffer()
    var reporter = Reporter(format: format, style: .forStandardOutput(), verbose: !brief)
    reporter.docsURL = docsURL ?? resolved.config?.docsURL
    reporter.write(report, kb: resolved.kb, emit: output.write)
    output.flush()
    let status = report.exitStatus(failOn: resolved.options.failOn)
    if status != 0 { throw ExitCode(status) }
}

func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("twlint: \(message)\n".utf8))
    return ExitCode(2)
}

@main
struct TWLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twlint",
        abstract: "Lint Linux TCP sysctls, explain them, and check live hosts.",
        discussion: "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage error or unreadable input.",
        version: TWLintKit.versionText,
        subcommands: [Lint.self, Check.self, Explain.self, Rules.self, Params.self, Docs.self]
    )
}

struct TargetOptions: ParsableArguments {
    @Option(help: "Target kernel (X.Y[.Z]); default: the newest the kb knows.") var kernel: KernelOption?
    @Option(help: "Target Kubernetes release (X.Y); default: the newest released minor twlint knows.") var kubernetes: String?
    @Flag(help: "Accept a --kubernetes release that has only pre-release tags, or none.") var allowUnreleasedKubernetes = false
    @Option(help: "Host role: client, server, gateway or node.") var profile: Profile?
    @Option(help: "Fail (exit 1) on findings at or above: error, warning, info or never.") var failOn: String?
    @Option(name: .customLong("rules"), help: "Add rule files from this directory (repeatable).") var ruleDirectories: [String] = []
    @Option(help: "Read this config file instead of searching for .twlint.yaml.") var config: String?
    @Flag(help: "Do not read .twlint.yaml.") var noConfig = false
    @Option(help: "Base URL of the published documentation site (twlint docs); findings link to their rule's page.") var docsUrl: String?

    func validate() throws {
        if let docsUrl, !DocsLinks.isBaseURL(docsUrl) { throw ValidationError("--docs-url takes an http:// or https:// URL") }
    }

    func settings() -> RunSettings {
        var s = RunSettings()
        s.kernel = kernel?.version
        s.kubernetes = kubernetes
        s.allowUnreleasedKubernetes = allowUnreleasedKubernetes
        s.profile = profile
        s.failOn = failOn
        s.ruleDirectories = ruleDirectories
        s.configPath = config
        s.useConfig = !noConfig
        return s
    }
}

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lint sysctl files (or the whole system's sysctl.d configuration).",
        discussion: "PATH is a file, a directory (its *.conf files) or - for standard input.")

    @Argument(help: "Files, directories or - (stdin).") var paths: [String] = []
    @Flag(help: "Lint the effective configuration the system applies (sysctl.d directories and /etc/sysctl.conf).") var system = false
    @Option(help: "Root directory for --system (default /).") var root = "/"
    @OptionGroup var target: TargetOptions
    @Option(help: "Output format: text, json, sarif, github or junit.") var format: ReportFormat = .text
    @Flag(help: "Text output: one line per finding, without why and fix.") var brief = false

    func validate() throws {
        if paths.isEmpty && !system { throw ValidationError("give at least one PATH, - for standard input, or --system") }
    }

    func run() throws {
        let resolved: RunSettings.Resolved
        do { resolved = try target.settings().resolve() } catch { throw fail("\(error)") }
        let linter = Linter(kb: resolved.kb)
        let report = linter.lint(paths: paths, system: system, root: root, options: resolved.options)
        try finish(report, resolved, format: format, brief: brief, docsURL: target.docsUrl)
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a live host: sysctl values, TIME_WAIT against the port range, TCP counters, drift (read-only).",
        discussion: "Works without root and lists what it could not read. --proc-root reads a /proc-shaped copy of another host instead.")

    @Flag(help: "Check this host's live state (required).") var live = false
    @Option(help: "Read this /proc-shaped tree instead of /proc.") var procRoot = "/proc"
    @Option(help: "Root of the configuration files compared with the live values (default /).") var root = "/"
    @Option(help: "Sample the counters twice, this many seconds apart, and report rates.") var interval: Double?
    @OptionGroup var target: TargetOptions
    @Option(help: "Output format: text, json, sarif, github, junit or prometheus.") var format: ReportFormat = .text
    @Flag(help: "Text output: one line per finding, without why and fix.") var brief = false

    func validate() throws {
        if !live { throw ValidationError("say --live: twlint check inspects the live host") }
        if let interval, !(interval > 0 && interval <= 3600) { throw ValidationError("--interval takes seconds between 0 and 3600") }
    }

    func run() throws {
        let resolved: RunSettings.Resolved
        do { resolved = try target.settings().resolve() } catch { throw fail("\(error)") }
        let report = LiveCheck(kb: resolved.kb).run(procRoot: procRoot, root: root, interval: interval, options: resolved.options)
        try finish(report, resolved, format: format, brief: brief, docsURL: target.docsUrl)
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a parameter, topic, counter, symptom or rule.",
        discussion: "TERM is a key (net.ipv4.tcp_tw_reuse), a short name (tcp_tw_reuse), a net/ipv4/... or /proc/sys/... path, a topic (rst, time-wait, so_linger), a counter (TCPTimeWaitOverflow, TcpExtListenOverflows, a netstat -s line), a symptom (eaddrnotavail, or pasted text such as \"connect: Cannot assign requested address\") or a rule code or slug (TW101). Case does not matter. --list lists every name.")

    @Argument(help: "What to explain.") var terms: [String] = []
    @Flag(help: "List every topic, symptom, counter, parameter and rule explain knows (text or json).") var list = false
    @Option(help: "With --list: only this kind (topic, symptom, counter, parameter, rule; repeatable).") var kind: [KnowledgeListing.Kind] = []
    @Option(help: "Output format: text, json or markdown.") var format: ExplainRenderer.Format = .text
    @Option(help: "Kernel version the defaults are shown for (default: the newest the kb knows).") var kernel: KernelOption?
    @Option(name: .customLong("rules"), help: "Add rule files from this directory (repeatable).") var ruleDirectories: [String] = []

    func validate() throws {
        if list && !terms.isEmpty { throw ValidationError("give either TERMs or --list") }
        if !list && terms.isEmpty { throw ValidationError("give a TERM to explain, or --list") }
        if !kind.isEmpty && !list { throw ValidationError("--kind goes with --list") }
        if list && format == .markdown { throw ValidationError("--list prints text or json") }
    }

    func run() throws {
        let kb = try knowledge(adding: ruleDirectories)
        if list {
            let listing = KnowledgeListing(kb: kb, kinds: kind)
            print(format == .json ? listing.json().render() : listing.text(), terminator: format == .json ? "\n" : "")
            return
        }
        let renderer = ExplainRenderer(kb: kb, kernel: kernel?.version ?? .newestKnown, style: .forStandardOutput())
        var failed = false
        var outputs: [String] = []
        var jsons: [JSON] = []
        for resolution in terms.map(kb.resolve) {
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

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every rule: code, slug, severity, title.",
        discussion: "With --check, run every rule's examples (ours and those added with --rules) and report the ones that do not behave as they say.")
    @Option(help: "Output format: text or json.") var format: ListFormat = .text
    @Option(name: .customLong("rules"), help: "Add rule files from this directory (repeatable).") var ruleDirectories: [String] = []
    @Flag(help: "Run the rules' examples instead of listing the rules.") var check = false

    func run() throws {
        let kb = try knowledge(adding: ruleDirectories)
        if check {
            let failures = ExampleRunner(kb: kb).failures()
            for f in failures { print(f) }
            print("\(kb.rules.map { $0.examples.count }.reduce(0, +) - failures.count) passed, \(failures.count) failed")
            if !failures.isEmpty { throw ExitCode(1) }
            return
        }
        let listing = RuleListing(kb: kb)
        print(format == .json ? listing.json().render() : listing.text(), terminator: format == .json ? "\n" : "")
    }
}

struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List every parameter the knowledge base describes.")

    @Option(help: "Output format: text or json.") var format: ListFormat = .text
    @Option(help: "Kernel version for defaults and existence (default: the newest the kb knows).") var kernel: KernelOption?

    func run() throws {
        let listing = ParameterListing(kb: .shipped, kernel: kernel?.version ?? .newestKnown)
        print(format == .json ? listing.json().render() : listing.text(), terminator: format == .json ? "\n" : "")
    }
}

struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the documentation site (a page per rule, parameter, topic, counter and symptom) as static HTML.",
        discussion: "The site needs no server and no network: open DIR/index.html, or publish DIR as it is.")
    @Option(help: "Directory to write the site into (created if missing).") var out: String
    @Option(name: .customLong("rules"), help: "Add rule files from this directory (repeatable).") var ruleDirectories: [String] = []

    func run() throws {
        let kb = try knowledge(adding: ruleDirectories)
        do {
            let count = try DocsSite(kb: kb).write(to: out)
            print("wrote \(count) files to \(out)")
        } catch { throw fail("cannot write the site to \(out): \(error.localizedDescription)") }
    }
}
