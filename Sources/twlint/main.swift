import ArgumentParser
import Foundation
import TWLintKit
import TWLintServe

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
extension SocketReadMethod: ExpressibleByArgument {}
enum ListFormat: String, ExpressibleByArgument, CaseIterable { case text, json }
extension Applier: ExpressibleByArgument {}

/// The shipped knowledge plus the rule directories of the nearest .twlint.yaml and of --rules.
func knowledge(adding ruleDirectories: [String]) throws -> KnowledgeBase {
    try settings(adding: ruleDirectories).kb
}

/// The nearest .twlint.yaml (its rule directories and kernel) plus --rules.
func settings(adding ruleDirectories: [String]) throws -> RunSettings.Resolved {
    var settings = RunSettings()
    settings.ruleDirectories = ruleDirectories
    do { return try settings.resolve() } catch { throw fail("\(error)") }
}

/// Standard output for every command: buffered, and its write errors end the run non-zero.
let standardOutput = OutputBuffer()

/// The write error was already reported on standard error.
nonisolated(unsafe) var outputFailureReported = false

/// Standard input was closed when twlint started (`<&-`).
nonisolated(unsafe) var standardInputClosed = false

/// Reads `-`: a located problem when standard input is closed.
func readStandardInput() -> Result<Data, InputProblem> {
    if standardInputClosed {
        return .failure(InputProblem(code: "TW907", location: SourceLocation(path: "<stdin>", line: 0),
                                     detail: "standard input is closed; nothing to read", unreadable: true))
    }
    return FileReader.readStandardInput()
}

/// Writes text (a listing, an explanation) to standard output.
func output(_ text: String) { standardOutput.write(text) }

/// Flushes standard output; a write error (a full disk, a closed descriptor) is reported and exits 2.
/// A reader that closed the pipe is not an error worth a message: the status stays the run's.
func flushOutput() throws {
    standardOutput.flush()
    if let message = standardOutput.failureMessage {
        outputFailureReported = true
        throw fail(message)
    }
}

/// The reporter for standard output, linking to the documentation site of --docs-url or the config's docs-url.
func reporter(format: ReportFormat, brief: Bool, resolved: RunSettings.Resolved, docsURL: String?) -> Reporter {
    var reporter = Reporter(format: format, style: .forStandardOutput(), verbose: !brief)
    reporter.docsURL = docsURL ?? resolved.config?.docsURL
    return reporter
}

/// Streams the report to standard output (or replaces `file` atomically) and exits with its status.
func finish(_ report: LintReport, _ resolved: RunSettings.Resolved, format: ReportFormat, brief: Bool, file: String? = nil,
            docsURL: String? = nil) throws {
    if let file {
        var bytes: [UInt8] = []
        var reporter = Reporter(format: format, style: .plain, verbose: !brief)
        reporter.docsURL = docsURL ?? resolved.config?.docsURL
        reporter.write(report, kb: resolved.kb) { bytes += $0.utf8 }
        do { try AtomicFile.write(bytes, to: file) } catch { throw fail("\(error)") }
    } else {
        reporter(format: format, brief: brief, resolved: resolved, docsURL: docsURL).write(report, kb: resolved.kb, emit: standardOutput.write)
        try flushOutput()
    }
    let status = report.exitStatus(failOn: resolved.options.failOn)
    if status != 0 { throw ExitCode(status) }
}

func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("twlint: \(ControlEscape.escapeKeepingLines(message))\n".utf8))
    return ExitCode(2)
}

/// `--root`: empty is a usage error (it would mean the host's own files); a missing root or a file exits 2.
func checkRoot(_ root: String, option: String = "--root") throws {
    var info = stat()
    guard stat(root, &info) == 0 else {
        throw fail("\(option) \(root): \(errno == ENOENT ? "no such directory" : String(cString: strerror(errno)))")
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else { throw fail("\(option) \(root): not a directory") }
}

@main
struct TWLint: ParsableCommand {
    /// Parses and runs the command. Usage errors exit 2, as README says (ArgumentParser's own code is 64);
    /// a closed pipe does not kill the process (SIGPIPE is ignored; EPIPE ends the writing quietly).
    static func main() {
        signal(SIGPIPE, SIG_IGN)
        // A closed standard descriptor (`<&-`, `>&-`) would be reused by the next open(): a file read as
        // input would become "standard input" or receive the report. Occupy it with /dev/null and remember.
        standardInputClosed = fcntl(STDIN_FILENO, F_GETFD) == -1
        if standardInputClosed { _ = open("/dev/null", O_RDONLY) }
        if fcntl(STDOUT_FILENO, F_GETFD) == -1 {
            _ = open("/dev/null", O_WRONLY)
            standardOutput.fail(EBADF)
        }
        if fcntl(STDERR_FILENO, F_GETFD) == -1 { _ = open("/dev/null", O_WRONLY) }
        do {
            var command = try parseAsRoot()
            try command.run()
            try flushOutput()
        } catch {
            standardOutput.flush()
            let code = exitCode(for: error)
            if code.rawValue == EX_USAGE {
                // The message echoes arguments: each line is escaped, the line breaks are ArgumentParser's.
                let message = ControlEscape.escapeKeepingLines(fullMessage(for: error))
                FileHandle.standardError.write(Data((message + "\n").utf8))
                Foundation.exit(2)
            }
            if code == .success || error is ExitCode {
                if let message = standardOutput.failureMessage, !outputFailureReported {
                    FileHandle.standardError.write(Data("twlint: \(message)\n".utf8))
                    Foundation.exit(2)
                }
            }
            exit(withError: error)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "twlint",
        abstract: "Lint Linux TCP sysctls, explain them, and check live hosts.",
        discussion: "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 usage error or unreadable input.",
        version: TWLintKit.versionText,
        subcommands: [Lint.self, Check.self, Show.self, Serve.self, Explain.self, Rules.self, Params.self, Docs.self]
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
    static let configuration = CommandConfiguration(commandName: "lint",
        abstract: "Lint sysctl files (or the whole system's sysctl.d configuration).",
        discussion: "PATH is a file, a directory (walked like a linter: *.conf as sysctl files, *.yaml/*.yml/*.json as manifests; hidden, dependency and build directories and what .gitignore ignores are skipped) or - for standard input.")

    @Argument(help: "Files, directories or - (stdin).") var paths: [String] = []
    @Flag(help: "Lint the effective configuration the system applies (sysctl.d directories and /etc/sysctl.conf).") var system = false
    @Option(help: "Root directory for --system (default /).") var root = "/"
    @Option(help: "With --system or --merge: apply as systemd (systemd-sysctl) or procps (sysctl --system); default: systemd where the root has it, else procps.") var applier: Applier?
    @Flag(help: "Lint the PATHs (sysctl files) as one configuration, in sysctl.d order (file name; later wins).") var merge = false
    @OptionGroup var target: TargetOptions
    @Option(help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: ReportFormat = .text
    @Flag(help: "Text output: one line per finding, without why and fix.") var brief = false
    @Option(help: "Leave files or directories matching this glob out of directory walks (repeatable).") var exclude: [String] = []
    @Option(help: "Also lint walked files matching this glob, beyond *.conf, *.yaml, *.yml, *.json, read like named files (repeatable).") var include: [String] = []
    @Flag(help: "Treat named files like walked ones: excludes apply and YAML that is no manifest is passed over (for pre-commit).") var forceExclude = false
    @Flag(help: "Each PATH is a Helm chart: render it with `helm template` and report findings on its template files.") var helm = false
    @Flag(help: "Apply the safe fixes to the sysctl files named or walked (and to the system's files with --system), then report what remains.") var fix = false
    @Flag(help: "With --fix or --diff: apply the unsafe fixes too (they may change what the kernel is given).") var unsafeFixes = false
    @Flag(help: "Print the fixes as a unified diff and change nothing; exit 1 when there is something to fix.") var diff = false

    func validate() throws {
        if paths.isEmpty && !system { throw ValidationError("give at least one PATH, - for standard input, or --system") }
        if root.isEmpty { throw ValidationError("--root takes a directory; an empty one would mean the host's own files") }
        if merge && (system || paths.contains("-")) { throw ValidationError("--merge takes sysctl files, not --system or standard input") }
        if fix && diff { throw ValidationError("give either --fix or --diff") }
        if unsafeFixes && !fix && !diff { throw ValidationError("--unsafe-fixes goes with --fix or --diff") }
        if helm && (fix || diff) { throw ValidationError("--fix and --diff do not rewrite Helm charts") }
    }

    func run() throws {
        let resolved: RunSettings.Resolved
        var settings = target.settings()
        settings.exclude = exclude
        settings.include = include
        if system { settings.systemRoot = root }
        do { resolved = try settings.resolve() } catch { throw fail("\(error)") }
        if system { try checkRoot(root) }
        var options = resolved.options
        options.walk.forceExclude = forceExclude
        let linter = Linter(kb: resolved.kb)
        if helm {
            let report: LintReport
            switch linter.lintHelm(charts: paths, options: options) {
            case .success(let r): report = r
            case .failure(let e): throw fail(e.description)
            }
            return try finish(report, resolved, format: format, brief: brief, docsURL: target.docsUrl)
        }
        if fix || diff {
            let mode: Fixer.Mode = fix ? .fix : .diff
            // The diff (the files' own bytes, so that patch applies it) and the report are streamed file by file.
            let stream = ReportStream(reporter: reporter(format: format, brief: brief, resolved: resolved, docsURL: target.docsUrl), kb: resolved.kb,
                                      target: options.target, output: standardOutput)
            let outcome = Fixer(linter: linter).run(paths: paths, system: system, root: root, options: options, mode: mode, unsafe: unsafeFixes,
                                                    diff: { standardOutput.write(bytes: [UInt8]($0)) }, deliver: mode == .fix ? stream.add : { _ in })
            for line in outcome.notes + outcome.refusals { FileHandle.standardError.write(Data("twlint: \(ControlEscape.escape(line))\n".utf8)) }
            FileHandle.standardError.write(Data("twlint: \(Fixer.summary(outcome, mode: mode, unsafe: unsafeFixes))\n".utf8))
            if mode == .fix { stream.finish(inputsRead: outcome.report.inputsRead) }
            try flushOutput()
            let status = outcome.exitStatus(mode: mode, failOn: resolved.options.failOn)
            if status != 0 { throw ExitCode(status) }
            return
        }
        if merge {
            return try finish(linter.lintMerged(paths: paths, options: options, applier: applier ?? .systemd), resolved, format: format, brief: brief,
                              docsURL: target.docsUrl)
        }
        // Findings are written as each file is linted: memory does not grow with the number of files.
        let stream = ReportStream(reporter: reporter(format: format, brief: brief, resolved: resolved, docsURL: target.docsUrl), kb: resolved.kb,
                                  target: options.target, output: standardOutput)
        var inputsRead = 0
        var unreadable = false
        if system {
            let report = linter.lintSystem(root: root, options: options, applier: applier)
            stream.applier = report.applier
            stream.add(report.findings)
            inputsRead += report.inputsRead
            unreadable = report.hadUnreadableInput
        }
        if !paths.isEmpty {
            let outcome = linter.lint(paths: paths, options: options, readStandardInput: readStandardInput, deliver: stream.add)
            inputsRead += outcome.inputsRead
            unreadable = unreadable || outcome.hadUnreadableInput
        }
        stream.finish(inputsRead: inputsRead)
        try flushOutput()
        if unreadable { throw ExitCode(2) }
        if let failOn = options.failOn, stream.hasFinding(atOrAbove: failOn) { throw ExitCode(1) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check",
        abstract: "Check a live host: sysctl values, TIME_WAIT against the port range, TCP counters, drift (read-only).",
        discussion: "Works without root and lists what it could not read. --proc-root reads a /proc-shaped copy of another host instead.")

    @Flag(help: "Check this host's live state (required).") var live = false
    @Option(help: "Read this /proc-shaped tree instead of /proc.") var procRoot = "/proc"
    @Option(help: "Root of the configuration files compared with the live values (default /).") var root = "/"
    @Option(help: "Sample the counters twice, this many seconds apart, and report rates.") var interval: Double?
    @Option(help: "Compare with the configuration as systemd (systemd-sysctl) or procps (sysctl --system) applies it; default: systemd where the root has it.") var applier: Applier?
    @OptionGroup var target: TargetOptions
    @Option(help: "Output format: \(ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: ReportFormat = .text
    @Flag(help: "Text output: one line per finding, without why and fix.") var brief = false
    @Option(help: "Write the report to this file atomically (temporary file in the same directory, fsync, rename), e.g. for node_exporter's textfile collector.") var output: String?
    @Option(help: "How to read the sockets: auto (netlink for the running host, the /proc files otherwise), netlink or proc.") var sockets: SocketReadMethod = .auto

    func validate() throws {
        if !live { throw ValidationError("say --live: twlint check inspects the live host") }
        if let interval, !(interval > 0 && interval <= 3600) { throw ValidationError("--interval takes seconds between 0 and 3600") }
        if root.isEmpty { throw ValidationError("--root takes a directory; an empty one would mean the host's own files") }
        if procRoot.isEmpty { throw ValidationError("--proc-root takes a directory") }
    }

    func run() throws {
        let resolved: RunSettings.Resolved
        do { resolved = try target.settings().resolve() } catch { throw fail("\(error)") }
        try checkRoot(root)
        let report = LiveCheck(kb: resolved.kb).run(procRoot: procRoot, root: root, interval: interval, applier: applier, sockets: sockets,
                                                    options: resolved.options)
        try finish(report, resolved, format: format, brief: brief, file: output, docsURL: target.docsUrl)
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve",
        abstract: "Serve the live check as Prometheus metrics over HTTP: GET /metrics and /healthz, nothing else (read-only).",
        discussion: "The host is sampled at most once per --min-interval; scrapes in between get the last sample. Prints the bound address on standard error.")

    @Option(help: "Address to listen on: HOST:PORT, [IPV6]:PORT or :PORT (port 0: a free port).") var listen = "127.0.0.1:9101"
    @Option(help: "Read this /proc-shaped tree instead of /proc.") var procRoot = "/proc"
    @Option(help: "Root of the configuration files compared with the live values (default /).") var root = "/"
    @Option(help: "How to read the sockets: auto (netlink for the running host, the /proc files otherwise), netlink or proc.") var sockets: SocketReadMethod = .auto
    @Option(help: "Seconds between two samples of the host, at least 1.") var minInterval: Double = 10
    @Option(help: "Open connections at once.") var maxConnections = 32
    @Option(help: "Seconds a connection may stay idle, and may take to send a request.") var idleTimeout: Int = 10
    @OptionGroup var target: TargetOptions

    func validate() throws {
        if parseListenAddress(listen) == nil { throw ValidationError("--listen takes HOST:PORT, [IPV6]:PORT or :PORT") }
        if !(minInterval >= 1 && minInterval <= 86400) { throw ValidationError("--min-interval takes seconds between 1 and 86400") }
        if !(1...4096).contains(maxConnections) { throw ValidationError("--max-connections takes 1 to 4096") }
        if !(1...3600).contains(idleTimeout) { throw ValidationError("--idle-timeout takes 1 to 3600 seconds") }
    }

    func run() throws {
        let resolved: RunSettings.Resolved
        do { resolved = try target.settings().resolve() } catch { throw fail("\(error)") }
        let check = LiveCheck(kb: resolved.kb)
        let (procRoot, root, sockets, options, kb) = (procRoot, root, sockets, resolved.options, resolved.kb)
        let sampler = Sampler(minInterval: minInterval) {
            let report = check.run(procRoot: procRoot, root: root, sockets: sockets, options: options)
            var bytes: [UInt8] = []
            Reporter(format: .prometheus).write(report, kb: kb) { bytes += $0.utf8 }
            return bytes
        }
        var limits = ServeLimits()
        limits.minInterval = minInterval
        limits.maxConnections = maxConnections
        limits.idleTimeout = .seconds(Int64(idleTimeout))
        limits.requestTimeout = .seconds(Int64(idleTimeout))
        let server = MetricsServer(limits: limits, sampler: sampler)
        let (host, port) = parseListenAddress(listen)!
        let address: (host: String, port: Int)
        do { address = try server.start(host: host, port: port) } catch { throw fail("cannot listen on \(listen): \(error)") }
        FileHandle.standardError.write(Data("twlint: serving /metrics on \(address.host.contains(":") ? "[\(address.host)]" : address.host):\(address.port)\n".utf8))
        try server.wait()
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show",
        abstract: "Show the effective configuration: each key's value, the file:line that set it, the glob, what it overrode.",
        discussion: "--system applies the sysctl.d tree under --root as systemd-sysctl or procps would; --live shows the host's values of the keys the configuration touches.")

    @Flag(help: "The configuration the system's sysctl.d files apply.") var system = false
    @Flag(help: "The running host's values of the keys the configuration touches, with where each came from.") var live = false
    @Option(help: "Root directory of the configuration (default /).") var root = "/"
    @Option(help: "Read this /proc-shaped tree for existing keys and values.") var procRoot: String?
    @Option(help: "Apply as systemd (systemd-sysctl) or procps (sysctl --system); default: systemd where the root has it, else procps.") var applier: Applier?
    @Option(help: "Target kernel (X.Y[.Z]) for the kb catalog when there is no /proc to read.") var kernel: KernelOption?
    @Option(help: "Output format: text or json.") var format: ListFormat = .text

    func validate() throws {
        if system == live { throw ValidationError("say --system or --live") }
    }

    func run() throws {
        let kb = try knowledge(adding: [])
        let text = ShowReport.render(root: root, procRoot: procRoot ?? (live ? "/proc" : nil), applier: applier, kernel: kernel?.version,
                                     live: live, json: format == .json, kb: kb)
        output(text)
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain",
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
        let resolved = try settings(adding: ruleDirectories)
        let kb = resolved.kb
        if list {
            let listing = KnowledgeListing(kb: kb, kinds: kind)
            output(format == .json ? listing.json().render() + "\n" : listing.text())
            return
        }
        // --kernel, else the config's kernel, else the newest known.
        let renderer = ExplainRenderer(kb: kb, kernel: kernel?.version ?? resolved.config?.kernel ?? .newestKnown, style: .forStandardOutput())
        var failed = false
        var outputs: [String] = []
        var jsons: [JSON] = []
        for resolution in terms.map(kb.resolve) {
            switch resolution {
            case .ambiguous, .unknown:
                failed = true
                if format == .json { jsons.append(renderer.json(resolution)) } else { FileHandle.standardError.write(Data(("twlint: " + ControlEscape.escapeKeepingLines(renderer.text(resolution).trimmingCharacters(in: .newlines)) + "\n").utf8)) }
            default:
                switch format {
                case .text: outputs.append(renderer.text(resolution))
                case .markdown: outputs.append(renderer.markdown(resolution))
                case .json: jsons.append(renderer.json(resolution))
                }
            }
        }
        if format == .json {
            output((jsons.count == 1 ? jsons[0] : .array(jsons)).render() + "\n")
        } else if !outputs.isEmpty {
            output(outputs.joined(separator: format == .markdown ? "\n---\n\n" : "\n" + String(repeating: "─", count: 80) + "\n\n"))
        }
        if failed { throw ExitCode(2) }
    }
}

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rules",
        abstract: "List every rule: code, slug, severity, title.",
        discussion: "With --check, run every rule's examples (ours and those added with --rules) and report the ones that do not behave as they say.")
    @Option(help: "Output format: text or json.") var format: ListFormat = .text
    @Option(name: .customLong("rules"), help: "Add rule files from this directory (repeatable).") var ruleDirectories: [String] = []
    @Flag(help: "Run the rules' examples instead of listing the rules.") var check = false

    func run() throws {
        let kb = try knowledge(adding: ruleDirectories)
        if check {
            let failures = ExampleRunner(kb: kb).failures()
            for f in failures { output(ControlEscape.escape(f) + "\n") }
            output("\(kb.rules.map { $0.examples.count + ($0.autofix?.examples.count ?? 0) }.reduce(0, +) - failures.count) passed, \(failures.count) failed\n")
            if !failures.isEmpty { throw ExitCode(1) }
            return
        }
        let listing = RuleListing(kb: kb)
        output(format == .json ? listing.json().render() + "\n" : listing.text())
    }
}

struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "params", abstract: "List every parameter the knowledge base describes.")

    @Option(help: "Output format: text or json.") var format: ListFormat = .text
    @Option(help: "Kernel version for defaults and existence (default: the newest the kb knows).") var kernel: KernelOption?
    @Flag(help: "Also list parameters the kernel does not have (marked absent).") var all = false
    @Flag(help: "List every sysctl name the kernel has (from the per-version tables), one per line.") var names = false

    func run() throws {
        let listing = ParameterListing(kb: .shipped, kernel: kernel?.version ?? .newestKnown, all: all)
        if names { return output(listing.names().joined(separator: "\n") + "\n") }
        output(format == .json ? listing.json().render() + "\n" : listing.text())
    }
}

struct Docs: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "docs",
        abstract: "Write the documentation site (a page per rule, parameter, topic, counter and symptom) as static HTML.",
        discussion: "The site needs no server and no network: open DIR/index.html, or publish DIR as it is.")
    @Option(help: "Directory to write the site into (created if missing).") var out: String
    @Option(name: .customLong("rules"), help: "Add rule files from this directory (repeatable).") var ruleDirectories: [String] = []

    func run() throws {
        let kb = try knowledge(adding: ruleDirectories)
        do {
            let count = try DocsSite(kb: kb).write(to: out)
            output("wrote \(count) files to \(out)\n")
        } catch { throw fail("cannot write the site to \(out): \(error.localizedDescription)") }
    }
}
