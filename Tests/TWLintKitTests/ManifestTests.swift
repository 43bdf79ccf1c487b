import XCTest
@testable import TWLintKit

final class ManifestTests: XCTestCase {
    func lint(_ yaml: String, path: String = "m.yaml", kubernetes: String? = nil, kernel: KernelVersion? = nil) -> [Finding] {
        Linter(kb: TestSupport.kb).lintData(Data(yaml.utf8), path: path,
                                            options: LintOptions(target: Target(kernel: kernel, kubernetes: kubernetes)), explicit: true) ?? []
    }

    static func pod(kind: String, sysctls: String, extra: String = "") -> String {
        let spec = """
        securityContext:
          sysctls:
        \(sysctls)
        containers:
          - name: c
            image: c:1
        \(extra)
        """
        func indent(_ s: String, _ n: Int) -> String {
            s.split(separator: "\n", omittingEmptySubsequences: false).map { String(repeating: " ", count: n) + $0 }.joined(separator: "\n")
        }
        switch kind {
        case "Pod": return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: w\nspec:\n" + indent(spec, 2)
        case "CronJob": return "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: w\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n" + indent(spec, 10)
        case "PodTemplate": return "apiVersion: v1\nkind: PodTemplate\nmetadata:\n  name: w\ntemplate:\n  spec:\n" + indent(spec, 4)
        default: return "apiVersion: apps/v1\nkind: \(kind)\nmetadata:\n  name: w\nspec:\n  template:\n    spec:\n" + indent(spec, 6)
        }
    }

    static let recycle = "      - name: net.ipv4.tcp_tw_recycle\n        value: \"1\""

    func testEveryKindFindsThePodSpec() throws {
        let expected = [
            "Pod": "spec", "Deployment": "spec.template.spec", "StatefulSet": "spec.template.spec", "DaemonSet": "spec.template.spec",
            "ReplicaSet": "spec.template.spec", "ReplicationController": "spec.template.spec", "Job": "spec.template.spec",
            "CronJob": "spec.jobTemplate.spec.template.spec", "PodTemplate": "template.spec",
        ]
        for (kind, prefix) in expected {
            let findings = lint(Self.pod(kind: kind, sysctls: Self.recycle))
            let f = try XCTUnwrap(findings.first { $0.code == "TW101" }, "\(kind): \(findings.map(\.code))")
            XCTAssertEqual(f.location?.object, "\(prefix).securityContext.sysctls[0]", kind)
            XCTAssertTrue(f.message.contains("[\(kind)/w]"), f.message)
            XCTAssertGreaterThan(f.location?.line ?? 0, 5)
        }
    }

    func testListMultiDocumentAndJSON() {
        let multi = Self.pod(kind: "Pod", sysctls: Self.recycle) + "\n---\n" + Self.pod(kind: "Deployment", sysctls: Self.recycle)
        XCTAssertEqual(lint(multi).filter { $0.code == "TW101" }.count, 2)
        let list = """
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
           "spec": {"securityContext": {"sysctls": [{"name": "net.ipv4.tcp_timestamps", "value": "0"}]}, "containers": []}}]}
        """
        let f = lint(list, path: "list.json")
        XCTAssertEqual(f.first { $0.code == "TW104" }?.location?.line, 3)
    }

    func testComposeListAndMapForms() {
        let compose = """
        services:
          web:
            image: web:1
            sysctls:
              - net.ipv4.tcp_tw_recycle=1
          db:
            image: db:1
            sysctls:
              net.ipv4.tcp_timestamps: 0
        """
        let f = lint(compose, path: "compose.yaml")
        let recycle = f.first { $0.code == "TW101" }
        XCTAssertEqual(recycle?.location?.object, "services.web.sysctls[0]")
        XCTAssertEqual(recycle?.location?.line, 5)
        XCTAssertEqual(f.first { $0.code == "TW104" }?.location?.object, "services.db.sysctls[\"net.ipv4.tcp_timestamps\"]")
        XCTAssertFalse(f.contains { $0.code == "TW302" || $0.code == "TW303" }, "Kubernetes admission rules do not apply to compose")
    }

    func testCommandsInContainersAndCompose() {
        let yaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: c
              image: c:1
              securityContext:
                privileged: true
              command: ["/bin/sh", "-c"]
              args:
                - |
                  sysctl -w vm.swappiness=1 net.ipv4.tcp_tw_recycle=1
                  echo 0 > /proc/sys/net/ipv4/tcp_timestamps
                  echo 1 | tee /proc/sys/kernel/sysrq
        """
        let codes = Set(lint(yaml).map(\.code))
        XCTAssertTrue(codes.isSuperset(of: ["TW307", "TW101", "TW104", "TW308"]), "\(codes)")
        XCTAssertEqual(ShellSysctl.assignments(argv: ["sysctl", "-w", "net.core.somaxconn", "=", "1024"]).map(\.key), ["net.core.somaxconn"])
        XCTAssertEqual(ShellSysctl.assignments(in: "sysctl net/ipv4/tcp_fin_timeout=5 && echo done").map(\.key), ["net.ipv4.tcp_fin_timeout"])
        let compose = "services:\n  x:\n    image: x\n    privileged: true\n    command: sysctl -w vm.max_map_count=262144\n"
        XCTAssertTrue(lint(compose, path: "c.yml").contains { $0.code == "TW307" })
    }

    func testHostNetworkAndNamespaces() {
        let hostNet = Self.pod(kind: "Pod", sysctls: "      - name: net.ipv4.ip_local_port_range\n        value: \"1024 65000\"", extra: "hostNetwork: true")
        XCTAssertTrue(lint(hostNet).contains { $0.code == "TW304" })
        let vm = Self.pod(kind: "Pod", sysctls: "      - name: vm.swappiness\n        value: \"1\"")
        XCTAssertTrue(lint(vm).contains { $0.code == "TW301" })
    }

    func testSafeIPCSysctlPasses() {
        let pod = Self.pod(kind: "Pod", sysctls: "      - name: kernel.shm_rmid_forced\n        value: \"1\"")
        XCTAssertEqual(lint(pod).map(\.code), [])
        let unsafeIPC = Self.pod(kind: "Pod", sysctls: "      - name: kernel.msgmax\n        value: \"65536\"")
        XCTAssertEqual(lint(unsafeIPC).map(\.code).sorted(), ["TW302", "TW303"], "namespaced (IPC) but not safe")
    }

    func testKubernetesVersionsDecideSafety() {
        let keepalive = Self.pod(kind: "Pod", sysctls: "      - name: net.ipv4.tcp_keepalive_time\n        value: \"600\"")
        XCTAssertTrue(lint(keepalive, kubernetes: "1.28").contains { $0.code == "TW302" }, "not safe before 1.29")
        XCTAssertTrue(lint(keepalive, kubernetes: "1.28").contains { $0.code == "TW303" }, "not baseline before 1.29")
        XCTAssertFalse(lint(keepalive, kubernetes: "1.30").contains { $0.code == "TW302" || $0.code == "TW303" })
        // Before Linux 4.5 the key exists only in the host's network namespace: the pod cannot set it at all (TW301),
        // and allowing it as an unsafe sysctl (TW302's advice) would not help.
        let old = lint(keepalive, kubernetes: "1.30", kernel: KernelVersion(4, 4))
        XCTAssertTrue(old.contains { $0.code == "TW301" && $0.message.contains("only from 4.5") }, "\(old.map(\.message))")
        XCTAssertFalse(old.contains { $0.code == "TW302" })
    }

    func testSuppressionByCommentAndAnnotation() {
        let commented = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          securityContext:
            sysctls:
              # twlint: disable=TW101 -- legacy kernel fleet
              - name: net.ipv4.tcp_tw_recycle
                value: "1"
          containers: []
        """
        XCTAssertFalse(lint(commented).contains { $0.code == "TW101" })
        let annotated = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: d
          annotations:
            twlint.io/ignore: "TW101,timestamps-disabled -- tracked in OPS-1"
        spec:
          template:
            spec:
              securityContext:
                sysctls:
                  - {name: net.ipv4.tcp_tw_recycle, value: "1"}
                  - {name: net.ipv4.tcp_timestamps, value: "0"}
              containers: []
        """
        let codes = lint(annotated).map(\.code)
        XCTAssertFalse(codes.contains("TW101") || codes.contains("TW104"), "\(codes)")
    }

    func testSyntaxErrorIsLocatedAndOtherFilesStillLinted() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("apiVersion: v1\nkind: Pod\nmetadata:\n  name: [oops\n", to: dir + "/bad.yaml")
        try TestSupport.write(Self.pod(kind: "Pod", sysctls: Self.recycle), to: dir + "/good.yaml")
        try TestSupport.write("just: some\nother: yaml\n", to: dir + "/values.yaml")
        let report = Linter(kb: TestSupport.kb).lint(paths: [dir], options: LintOptions())
        let codes = report.findings.map(\.code)
        XCTAssertTrue(codes.contains("TW310"), "\(codes)")
        XCTAssertTrue(codes.contains("TW101"), "\(codes)")
        XCTAssertEqual(report.inputsRead, 2, "a YAML file that is not a manifest is passed over in a walked directory")
        XCTAssertEqual(report.findings.first { $0.code == "TW310" }?.location?.line, 5)
    }

    /// The alias bomb ends in a located finding with bounded memory: measured on the CLI process.
    func testYAMLBombIsBoundedInMemory() throws {
        var bomb = "kind: Pod\nmetadata: {name: lol}\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = name
        }
        bomb += "spec: {securityContext: {sysctls: *i}}\n"
        let dir = try TestSupport.temporaryDirectory(self)
        try bomb.write(toFile: dir + "/bomb.yaml", atomically: true, encoding: .utf8)
        let start = Date()
        let r = try TestSupport.run(["lint", "--no-config", "--format", "json", dir + "/bomb.yaml"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "bounded time")
        XCTAssertTrue(r.stdout.contains("\"TW311\""), r.stdout)
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        XCTAssertLessThan(usage.ru_maxrss, 200 * 1024, "peak RSS of the largest child so far, in KiB")
    }

    func testStdinManifest() throws {
        let r = try TestSupport.run(["lint", "--no-config", "-"], stdin: Self.pod(kind: "Deployment", sysctls: Self.recycle))
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("<stdin>"), r.stdout)
        XCTAssertTrue(r.stdout.contains("TW101"), r.stdout)
        XCTAssertTrue(r.stdout.contains("spec.template.spec.securityContext.sysctls[0]"), r.stdout)
    }

    /// wg-easy/wg-easy docker-compose.yml @ bc05e0eac15d894b642a1c0ab44d4c89de64e7da
    func testCorpusCompose() throws {
        guard let corpus = TestSupport.corpus else { throw XCTSkip("../shared/corpus is not beside this checkout") }
        let report = Linter(kb: TestSupport.kb).lint(paths: [corpus + "/wg-easy__wg-easy__docker-compose.yml"], options: LintOptions())
        XCTAssertEqual(report.inputsRead, 1)
        XCTAssertFalse(report.findings.contains { $0.severity >= .warning },
                       "forwarding and src_valid_mark are per network namespace and fine for a compose service: \(report.findings.map(\.message))")
    }

    /// elastic/helm-charts elasticsearch/templates/statefulset.yaml @ 2fd64d0af65f14df7aa01da591919460dabac4b3
    func testCorpusHelmTemplate() throws {
        guard let corpus = TestSupport.corpus else { throw XCTSkip("../shared/corpus is not beside this checkout") }
        let report = Linter(kb: TestSupport.kb).lint(paths: [corpus + "/elastic__helm-charts__elasticsearch_templates_statefulset.yaml"], options: LintOptions())
        let codes = report.findings.map(\.code)
        XCTAssertEqual(codes.first, "TW309")
        let node = try XCTUnwrap(report.findings.first { $0.code == "TW307" })
        XCTAssertEqual(node.key, "vm.max_map_count")
        XCTAssertTrue(node.message.contains("privileged"), node.message)
    }
}
