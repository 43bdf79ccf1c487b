// libFuzzer harness for twlint's parsers of untrusted input. One binary, one target per run, chosen by
// the TWLINT_FUZZ_TARGET environment variable (scripts/fuzz.sh sets it). Each target feeds the bytes to a
// parser exactly as twlint would read them from a file; a trap, an ASan report or a timeout is a finding.
// Build and run: scripts/fuzz.sh TARGET SECONDS (see FUZZING.md).
import Foundation
@testable import TWLintKit

enum FuzzTarget: String, CaseIterable {
    /// sysctl.conf / sysctl.d line parser (with directives and encodings).
    case sysctl
    /// Kubernetes and compose manifests (YAML and JSON, several documents).
    case manifest
    /// Shell command scanner for `sysctl -w`, `echo > /proc/sys/...` in container commands.
    case shell
    /// /proc/net/tcp and /proc/net/tcp6 socket tables.
    case tcp
    /// /proc/net/netstat and /proc/net/snmp header/value pairs.
    case netstat
    /// /proc/net/sockstat.
    case sockstat
    /// XML knowledge entries and rules, as `--rules` loads them (schema validation included).
    case xml
    /// .twlint.yaml and kernel versions.
    case config
    /// `# twlint:` directive comments.
    case directive
    /// The whole pipeline on one sysctl file: parser, effective configuration, every rule, every reporter.
    case lint
}

let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["TWLINT_FUZZ_TARGET"] ?? ""
    guard let t = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("TWLINT_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return t
}()

/// The knowledge base is built once; the xml target adds entries to copies of it.
let knowledge = KnowledgeBase.shipped

func run(_ data: Data) {
    switch selected {
    case .sysctl:
        let parsed = SysctlConf.parse(data, path: "fuzz.conf")
        // Every setting's key either is a sysctl name or is refused as a path: never a path outside /proc/sys.
        for s in parsed.settings {
            if let p = SysctlKey.relativePath(s.key) {
                precondition(!p.hasPrefix("/") && !p.split(separator: "/").contains(".."), "key \(s.key) escapes: \(p)")
            }
            _ = ControlEscape.escape(s.value)
        }
    case .manifest:
        let parsed = Manifest.parse(data, path: "fuzz.yaml")
        _ = parsed.workloads.count
    case .shell:
        let text = String(decoding: data, as: UTF8.self)
        _ = ShellSysctl.assignments(in: text)
        _ = ShellSysctl.assignments(argv: text.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init))
    case .tcp:
        let parsed = data.withUnsafeBytes { SocketTable.parse(bytes: $0.bindMemory(to: UInt8.self)) }
        for s in parsed.sockets.prefix(16) { _ = s.local; _ = s.remote }
    case .netstat:
        var counters = Counters()
        _ = counters.add(String(decoding: data, as: UTF8.self))
        _ = RuntimeState.rates(from: counters, to: Counters(), over: 1)
    case .sockstat:
        _ = SockStat(String(decoding: data, as: UTF8.self)).timeWait
    case .xml:
        guard let text = String(data: data, encoding: .utf8),
              let root = try? KnowledgeBase.parse(text: text, path: "fuzz.xml", validate: true) else { return }
        switch root.name {
        case "parameter": _ = Parameter(root, path: "fuzz.xml")
        case "topic": _ = Topic(root, path: "fuzz.xml")
        case "rule":
            // A user's rule: loaded, then its examples run through the parsers and the engine (not the
            // `system` and `live` ones, which build directory trees on disk).
            guard let rule = try? Rule(root, path: "fuzz.xml") else { return }
            let runner = ExampleRunner(kb: knowledge)
            for example in rule.examples where example.input != "system" && example.input != "live" {
                _ = runner.run(rule, example)
            }
        default: break
        }
    case .config:
        let text = String(decoding: data, as: UTF8.self)
        _ = try? ProjectConfig.parse(text, path: ".twlint.yaml")
        _ = KernelVersion(text)
    case .lint:
        let findings = Linter(kb: knowledge).lint(text: data, path: "fuzz.conf", options: LintOptions())
        let report = LintReport(findings: findings, target: Target(), hadUnreadableInput: false, inputsRead: 1)
        // Every format, streamed a few findings at a time as `lint` delivers them: no raw control character
        // reaches the output, and the JSON formats stay parseable.
        for format in ReportFormat.allCases {
            var out = ""
            let stream = ReportStream(reporter: Reporter(format: format), kb: knowledge, target: report.target) { out += $0 }
            var rest = findings[...]
            while !rest.isEmpty {
                stream.add(Array(rest.prefix(3)))
                rest = rest.dropFirst(3)
            }
            stream.finish(inputsRead: 1)
            precondition(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "raw control character in \(format) output")
            if [.json, .sarif, .gitlab].contains(format) {
                precondition((try? JSONSerialization.jsonObject(with: Data(out.utf8))) != nil, "\(format) output is not JSON")
            }
        }
    case .directive:
        let text = String(decoding: data, as: UTF8.self)
        _ = Directive.parse(comment: text, location: SourceLocation(path: "fuzz.conf", line: 1))
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    run(Data(bytes: bytes, count: size))
    return 0
}
