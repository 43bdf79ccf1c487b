import Foundation
import XCTest
@testable import TWLintKit

/// Copies Fixtures/repo to a temporary directory under its real names (`dot-x` → `.x`, `.in` suffix dropped).
enum RepoFixture {
    static func make(_ test: XCTestCase, git: Bool) throws -> String {
        let dir = try TestSupport.temporaryDirectory(test)
        let source = TestSupport.fixtures + "/repo"
        let walker = FileManager.default.enumerator(atPath: source)!
        for case let relative as String in walker where relative.hasSuffix(".in") {
            let target = String(relative.dropLast(3)).split(separator: "/").map { $0.hasPrefix("dot-") ? "." + $0.dropFirst(4) : String($0) }.joined(separator: "/")
            let text = try String(contentsOfFile: source + "/" + relative, encoding: .utf8)
            try TestSupport.write(text, to: dir + "/" + target)
        }
        if git {
            guard Shell.which("git") != nil else { throw XCTSkip("git is not installed") }
            XCTAssertEqual(try Shell.run(["git", "init", "-q", dir]).status, 0)
        }
        return dir
    }
}

enum Shell {
    static func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @discardableResult
    static func run(_ argv: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: which(argv[0]) ?? argv[0])
        p.arguments = Array(argv.dropFirst())
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        if let environment { p.environment = environment }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

final class WalkTests: XCTestCase {
    /// What `twlint lint .` must report on the fixture repository, and nothing else: the workflow (hidden
    /// directory), the Ansible playbook and the chart's Chart.yaml/values.yaml (YAML that is no manifest), the
    /// excluded `legacy/`, the git-ignored `generated/` and `node_modules/` give nothing; the manifest with quoted
    /// braces is YAML (its hostNetwork check and ignore annotation work); the chart template is a warning in a walk.
    static let expected = [
        "./chart/templates/daemonset.yaml:4 warning TW309",
        "./chart/templates/daemonset.yaml:25 error TW101",
        "./chart/templates/daemonset.yaml:25 info TW308",
        "./k8s/api.yaml:16 info TW108",
        "./k8s/api.yaml:16 error TW304",
        "./sysctl.d/10-ports.conf:2 info TW205",
        "./sysctl.d/90-timewait.conf:1 warning TW103",
        "./sysctl.d/90-timewait.conf:2 warning TW104",
    ]

    func findings(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            guard parts.count > 2, parts[0].hasSuffix(":"), ["error", "warning", "info"].contains(parts[1]) else { return nil }
            let location = parts[0].dropLast().split(separator: ":")
            return "\(location[0]):\(location.count > 1 ? location[1] : "0") \(parts[1]) \(parts[2])"
        }
    }

    func testFixtureRepositoryInAGitWorkTree() throws {
        let dir = try RepoFixture.make(self, git: true)
        let r = try TestSupport.run(["lint", ".", "--brief"], cwd: dir)
        XCTAssertEqual(findings(r.stdout), Self.expected, r.stdout + r.stderr)
        XCTAssertEqual(r.status, 1)
    }

    func testFixtureRepositoryWithoutGit() throws {
        let dir = try RepoFixture.make(self, git: false)
        // No git on PATH: twlint reads .gitignore itself.
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = "/nonexistent"
        let r = try TestSupport.run(["lint", ".", "--brief"], environment: env, cwd: dir)
        XCTAssertEqual(findings(r.stdout), Self.expected, r.stdout + r.stderr)
    }

    func testNamedFilesAreAlwaysLinted() throws {
        let dir = try RepoFixture.make(self, git: true)
        let r = try TestSupport.run(["lint", "--brief", "legacy/old.conf", "generated/rendered.yaml", ".github/workflows/ci.yml", "ansible/playbook.yml"], cwd: dir)
        XCTAssertEqual(findings(r.stdout), ["legacy/old.conf:1 error TW101", "generated/rendered.yaml:8 error TW101", "generated/rendered.yaml:8 warning TW302",
                                            "generated/rendered.yaml:8 warning TW303"], r.stdout)
        // A chart template named on the command line keeps its rule's severity.
        let t = try TestSupport.run(["lint", "--brief", "chart/templates/daemonset.yaml"], cwd: dir)
        XCTAssertTrue(findings(t.stdout).contains("chart/templates/daemonset.yaml:4 error TW309"), t.stdout)
    }

    /// A directory named on the command line is walked even when .gitignore ignores it (git lists nothing in it).
    func testNamedIgnoredDirectoryIsWalked() throws {
        let dir = try RepoFixture.make(self, git: true)
        let r = try TestSupport.run(["lint", "--brief", "generated"], cwd: dir)
        XCTAssertEqual(findings(r.stdout), ["generated/rendered.yaml:8 error TW101", "generated/rendered.yaml:8 warning TW302",
                                            "generated/rendered.yaml:8 warning TW303"], r.stdout + r.stderr)
    }

    /// A walked `.conf` file is a sysctl file only by its name, its `sysctl.d` directory or a /proc/sys key it
    /// assigns: a JAAS login file, a CNI JSON file and an INI file give nothing (they gave TW901 per line), while
    /// a sysctl file outside sysctl.d, one with only broken lines inside sysctl.d, and any named file are read.
    func testWalkedConfFilesThatAreNoSysctlFilesAreLeftAlone() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("Client {\n  com.sun.security.auth.module.Krb5LoginModule required\n  useKeyTab=true\n  keyTab=\"/etc/k.keytab\";\n};\n", to: dir + "/auth/jaas.conf")
        try TestSupport.write("{\n  \"cniVersion\": \"0.3.1\",\n  \"name\": \"istio-cni\",\n  \"type\": \"istio-cni\"\n}\n", to: dir + "/cni/10-istio.conf")
        try TestSupport.write("[server]\nhost.name = example\nport = 80\n", to: dir + "/app/settings.conf")
        try TestSupport.write("# tuning\nnet.ipv4.tcp_tw_recycle = 1\n", to: dir + "/tuning/99-net.conf")
        try TestSupport.write("-net/ipv4/tcp_tw_recycle=1\n", to: dir + "/tuning/98-slash.conf")
        try TestSupport.write("tcp_tw_reuse 1\n", to: dir + "/etc/sysctl.d/50-broken.conf")
        try TestSupport.write("tcp_tw_reuse 1\n", to: dir + "/host-sysctl.conf")
        let r = try TestSupport.run(["lint", ".", "--brief"], cwd: dir)
        XCTAssertEqual(findings(r.stdout), ["./etc/sysctl.d/50-broken.conf:1 error TW901", "./host-sysctl.conf:1 error TW901",
                                            "./tuning/98-slash.conf:1 warning TW101", "./tuning/99-net.conf:2 error TW101"], r.stdout + r.stderr)
        let named = try TestSupport.run(["lint", "--brief", "auth/jaas.conf"], cwd: dir)
        XCTAssertTrue(findings(named.stdout).contains("auth/jaas.conf:1 error TW901"), named.stdout)
        // An include glob declares its files inputs: read like named files, without the walk's content check.
        try TestSupport.write("tcp_tw_reuse 1\n", to: dir + "/deploy/tuning.conf")
        let walked = try TestSupport.run(["lint", ".", "--brief"], cwd: dir)
        XCTAssertFalse(walked.stdout.contains("deploy/tuning.conf"), walked.stdout)
        let included = try TestSupport.run(["lint", ".", "--brief", "--include", "deploy/*.conf"], cwd: dir)
        XCTAssertTrue(findings(included.stdout).contains("./deploy/tuning.conf:1 error TW901"), included.stdout)
        XCTAssertFalse(included.stdout.contains("jaas.conf"), "only the files the glob matches: \(included.stdout)")
    }

    /// `--force-exclude` (the pre-commit hook): named files are filtered like walked ones.
    func testForceExcludeFiltersNamedFiles() throws {
        let dir = try RepoFixture.make(self, git: true)
        let r = try TestSupport.run(["lint", "--brief", "--force-exclude", "legacy/old.conf", "node_modules/some-chart/pod.yaml", ".github/workflows/ci.yml",
                                     "ansible/playbook.yml", "chart/templates/service.yaml", "k8s/api.yaml", "chart/templates/daemonset.yaml"], cwd: dir)
        XCTAssertEqual(findings(r.stdout), ["k8s/api.yaml:16 info TW108", "k8s/api.yaml:16 error TW304", "chart/templates/daemonset.yaml:4 warning TW309",
                                            "chart/templates/daemonset.yaml:25 error TW101", "chart/templates/daemonset.yaml:25 info TW308"], r.stdout)
    }

    func testExcludeAndIncludeOptions() throws {
        let dir = try RepoFixture.make(self, git: true)
        try TestSupport.write("net.ipv4.tcp_tw_recycle = 1\n", to: dir + "/sysctl.d/extra.sysctl")
        let r = try TestSupport.run(["lint", ".", "--brief", "--exclude", "chart/**", "--exclude", "*.yaml", "--include", "*.sysctl"], cwd: dir)
        XCTAssertEqual(findings(r.stdout), ["./sysctl.d/10-ports.conf:2 info TW205", "./sysctl.d/90-timewait.conf:1 warning TW103",
                                            "./sysctl.d/90-timewait.conf:2 warning TW104", "./sysctl.d/extra.sysctl:1 error TW101"], r.stdout)
        // .twlint.yaml's include/exclude, relative to the config file, from a subdirectory.
        try TestSupport.write("include: ['sysctl.d/*.sysctl']\nexclude: [sysctl.d/10-ports.conf, k8s, chart]\n", to: dir + "/.twlint.yaml")
        let c = try TestSupport.run(["lint", "--brief", "."], cwd: dir + "/sysctl.d")
        XCTAssertEqual(findings(c.stdout), ["./90-timewait.conf:1 warning TW103", "./90-timewait.conf:2 warning TW104", "./extra.sysctl:1 error TW101"], c.stdout)
        let bad = try TestSupport.run(["lint", ".", "--exclude", ""], cwd: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("not a valid glob"), bad.stderr)
    }

    func testGlobs() throws {
        func m(_ glob: String, _ path: String) -> Bool { Glob(glob, base: "/r")!.matches(absolutePath: path) }
        XCTAssertTrue(m("*.conf", "/r/a/b/x.conf"))
        XCTAssertFalse(m("a/*.conf", "/r/a/b/x.conf"))
        XCTAssertTrue(m("a/**/x.conf", "/r/a/b/c/x.conf"))
        XCTAssertTrue(m("a/**/x.conf", "/r/a/x.conf"))
        XCTAssertTrue(m("a/**", "/r/a/b/c"))
        XCTAssertTrue(m("/a", "/r/a"))
        XCTAssertFalse(m("/a", "/r/b/a"))
        XCTAssertTrue(m("legacy", "/r/x/legacy"))
        XCTAssertTrue(m("9[0-9]-*.conf", "/r/90-a.conf"))
        XCTAssertFalse(m("9[!0]-*.conf", "/r/90-a.conf"))
        XCTAssertTrue(m("?.yaml", "/r/a.yaml"))
        XCTAssertFalse(m("*.yaml", "/s/a/b.conf"))
        XCTAssertNil(Glob("", base: "/"))
    }

    /// The .gitignore reader used without git agrees with git itself on a tree of tricky patterns.
    func testGitIgnoreFallbackAgreesWithGit() throws {
        guard Shell.which("git") != nil else { throw XCTSkip("git is not installed: the oracle for .gitignore is missing") }
        let dir = try TestSupport.temporaryDirectory(self)
        let files = ["a.conf", "b.log", "keep.log", "build/out.conf", "src/build/x.conf", "src/deep/build/y.conf", "docs/build",
                     "doc/notes.conf", "x/generated.yaml", "x/y/generated.yaml", "only/root.conf", "sub/only/root.conf",
                     "sub/.gitignore", "sub/ignored.conf", "sub/kept.conf", "sub/z/ignored.conf", "we ird/f.conf", "q/a1.conf", "q/ab.conf",
                     "tmp/cache/x.conf", "tmp/keep.conf", "trail/t.conf"]
        for f in files where !f.hasSuffix(".gitignore") { try TestSupport.write("x\n", to: dir + "/" + f) }
        try TestSupport.write("""
            # comment
            *.log
            !keep.log
            build/
            /only
            x/**/generated.yaml
            q/a?.conf
            tmp/*
            !tmp/keep.conf
            trail/t.conf   \n
            """, to: dir + "/.gitignore")
        try TestSupport.write("ignored.conf\n!z/\n", to: dir + "/sub/.gitignore")
        XCTAssertEqual(try Shell.run(["git", "init", "-q", dir]).status, 0)
        let byGit = InputWalker.gitFiles(in: dir)
        XCTAssertNotNil(byGit)
        let byTwlint = try InputWalker.walkFiles(in: dir).get().files.filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
        XCTAssertEqual(Set(byTwlint), Set(byGit!.filter { !$0.split(separator: "/").contains { $0.hasPrefix(".") } }))
        XCTAssertTrue(byTwlint.contains("keep.log") && byTwlint.contains("tmp/keep.conf") && !byTwlint.contains("src/deep/build/y.conf"), "\(byTwlint)")
    }

    /// The issue's "done when": linting the twlint checkout reports nothing from build output, hidden
    /// directories (workflows) or dependencies.
    func testLintingTheCheckoutSkipsBuildOutputAndHiddenDirectories() throws {
        let r = try TestSupport.run(["lint", ".", "--brief", "--format", "json", "--fail-on", "never"], cwd: TestSupport.packageRoot)
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let paths = (json["findings"] as! [[String: Any]]).compactMap { ($0["location"] as? [String: Any])?["path"] as? String }
        XCTAssertFalse(paths.isEmpty, "the examples carry findings")
        for p in paths {
            XCTAssertFalse(p.split(separator: "/").contains { $0.hasPrefix(".") && $0 != "." }, p)
            XCTAssertFalse(p.contains("/checkouts/") || p.contains("Fixtures/repo"), p)
        }
    }
}

final class YAMLClassificationTests: XCTestCase {
    func lint(_ text: String, explicit: Bool = true) -> [Finding]? {
        Linter(kb: TestSupport.kb).lintData(Data(text.utf8), path: "x.yaml", options: LintOptions(), explicit: explicit)
    }

    func testValidYAMLWithBracesInScalarsIsYAML() throws {
        let text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              annotations:
                twlint.io/ignore: "TW302,TW303 -- reviewed"
                a: "{{ .Values.a }}"
                b: '{{ .Values.b }}'
                c: plain {{ text }} here
            spec:
              hostNetwork: true
              securityContext:
                sysctls:
                  - name: net.ipv4.tcp_tw_reuse
                    value: "1"
              containers:
                - name: c
                  image: "x:{{ .Values.tag }}"
            """
        let codes = try XCTUnwrap(lint(text)).map(\.code)
        XCTAssertFalse(codes.contains("TW309"), "\(codes)")
        XCTAssertTrue(codes.contains("TW304"), "hostNetwork is seen: \(codes)")
        XCTAssertFalse(codes.contains("TW302") || codes.contains("TW303"), "the annotation applies: \(codes)")
        XCTAssertEqual(try XCTUnwrap(lint(text)).first { $0.code == "TW304" }?.location?.object, "spec.securityContext.sysctls[0]")
    }

    func testTemplateActionsOutsideQuotesMakeATemplate() throws {
        // Fails to parse and carries actions outside quotes.
        let broken = "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    {{- include \"x\" . | nindent 4 }}\n"
        XCTAssertEqual(try XCTUnwrap(lint(broken)).map(\.code), ["TW309"])
        XCTAssertEqual(Manifest.templateLine(broken), 5)
        // Parses, but only because `{{ x }}` reads as a mapping used as a key: still a template.
        let parses = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n"
        XCTAssertEqual(try XCTUnwrap(lint(parses)).map(\.code), ["TW309"])
        // In a walk TW309 is a warning.
        XCTAssertEqual(try XCTUnwrap(lint(broken, explicit: false)).map(\.severity), [.warning])
        // Broken YAML whose braces are all quoted is invalid YAML, not a template.
        let quoted = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"{{ x }}\"\n   bad: [\n"
        XCTAssertNil(Manifest.templateLine(quoted))
        XCTAssertEqual(try XCTUnwrap(lint(quoted)).map(\.code), ["TW310"])
        XCTAssertNil(Manifest.templateLine("a: 'it''s {{ x }}'\nb: \"q \\\" {{ y }}\"\n# {{ comment }}\n"))
        XCTAssertEqual(Manifest.templateLine("a: \"x\"\nb: {{ y }}\n"), 2)
    }

    func testBrokenYAMLInAWalkMattersOnlyWhenItMeantToBeAManifest() throws {
        let jinja = "{% if x %}\nname: a\n  bad: [\n{% endif %}\n"
        XCTAssertNil(lint(jinja, explicit: false))
        XCTAssertEqual(try XCTUnwrap(lint(jinja)).map(\.code), ["TW310"])
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [p\n"
        XCTAssertEqual(try XCTUnwrap(lint(manifest, explicit: false)).map(\.code), ["TW310"])
        XCTAssertEqual(try XCTUnwrap(lint("{\"kind\": \"Pod\", \"spec\": {", explicit: false)).map(\.code), ["TW310"])
    }

    func testWorkflowAndPlaybookAreNotManifests() throws {
        let workflow = "on: [push]\njobs:\n  b:\n    steps:\n      - run: echo ${{ github.sha }}\n"
        XCTAssertNil(lint(workflow, explicit: false))
        XCTAssertEqual(try XCTUnwrap(lint(workflow)).map(\.code), [])
        let playbook = "- hosts: all\n  tasks:\n    - ansible.posix.sysctl:\n        name: net.ipv4.tcp_tw_reuse\n        value: \"{{ v }}\"\n"
        XCTAssertNil(lint(playbook, explicit: false))
        XCTAssertEqual(try XCTUnwrap(lint(playbook)).map(\.code), [])
    }
}

final class HelmTests: XCTestCase {
    /// helm's output for Fixtures/repo/chart is in helm-template-edge.txt (in helm 3's format: documents after
    /// `---`, each led by `# Source: CHART/templates/FILE`); a stand-in `helm` on PATH prints it, so the test runs
    /// the real code path (finding helm, running `helm template CHART`, splitting, mapping back) without helm.
    func testChartIsRenderedAndFindingsMapToTemplates() throws {
        let repo = try RepoFixture.make(self, git: false)
        let bin = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("#!/bin/sh\n[ \"$1\" = template ] && [ -d \"$2\" ] || exit 3\ncat '\(TestSupport.fixtures)/helm-template-edge.txt'\n", to: bin + "/helm")
        XCTAssertEqual(chmod(bin + "/helm", 0o755), 0)
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        let r = try TestSupport.run(["lint", "--helm", "chart", "--brief"], environment: env, cwd: repo)
        let lines = r.stdout.split(separator: "\n").filter { $0.hasPrefix("chart/") }.map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
        XCTAssertEqual(lines, [
            // The port range came from values.yaml: mapped to its sysctls item.
            "chart/templates/daemonset.yaml:18:13: info TW204",
            "chart/templates/daemonset.yaml:18:13: info TW205",
            "chart/templates/daemonset.yaml:25:1: error TW101",
            "chart/templates/daemonset.yaml:25:1: info TW308",
        ], r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("[DaemonSet/release-name-edge]"), r.stdout)
        XCTAssertFalse(r.stdout.contains("TW309"), r.stdout)
    }

    func testSplitAndLineMapping() {
        let docs = Helm.split("---\n# Source: c/templates/a.yaml\nkind: A\n---\n# Source: c/charts/s/templates/b.yaml\nkind: B\n")
        XCTAssertEqual(docs.map(\.source), ["c/templates/a.yaml", "c/charts/s/templates/b.yaml"])
        XCTAssertEqual(Helm.templatePath(source: "c/charts/s/templates/b.yaml", chart: "charts/c"), "charts/c/charts/s/templates/b.yaml")
        XCTAssertEqual(Helm.templateLine(rendered: "   - name: net.core.somaxconn", key: nil, template: "a\n- name: net.core.somaxconn\n"), 2)
        XCTAssertEqual(Helm.templateLine(rendered: "command: [sysctl, -w, net.core.somaxconn=5]", key: "net.core.somaxconn",
                                         template: "a\n  command: [sysctl, -w, net.core.somaxconn={{ .Values.x }}]\n"), 2)
        XCTAssertEqual(Helm.templateLine(rendered: "x: 1", key: "k", template: "a\n"), 0)
    }

    func testMissingHelmIsAClearError() throws {
        let repo = try RepoFixture.make(self, git: false)
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = "/nonexistent"
        let r = try TestSupport.run(["lint", "--helm", "chart"], environment: env, cwd: repo)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--helm needs helm on PATH"), r.stderr)
    }
}

final class HelmStdinTests: XCTestCase {
    /// `helm template . | twlint lint -` from inside the chart: findings land on the template files.
    func testRenderedOutputOnStandardInputMapsToTemplates() throws {
        let repo = try RepoFixture.make(self, git: false)
        let rendered = try String(contentsOfFile: TestSupport.fixtures + "/helm-template-edge.txt", encoding: .utf8)
        let r = try TestSupport.run(["lint", "--brief", "-"], stdin: rendered, cwd: repo + "/chart")
        let lines = r.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") && $0.contains(" TW") }.map { $0.split(separator: " ").prefix(3).joined(separator: " ") }
        XCTAssertEqual(lines, ["templates/daemonset.yaml:18:13: info TW204", "templates/daemonset.yaml:18:13: info TW205",
                               "templates/daemonset.yaml:25:1: error TW101", "templates/daemonset.yaml:25:1: info TW308"], r.stdout)
        // From the chart's parent directory the paths are helm's own.
        let up = try TestSupport.run(["lint", "--brief", "-"], stdin: rendered.replacingOccurrences(of: "# Source: edge/", with: "# Source: chart/"), cwd: repo)
        XCTAssertTrue(up.stdout.contains("chart/templates/daemonset.yaml:25:1: error TW101"), up.stdout)
    }
}
