import XCTest
@testable import TWLintKit

/// The per-release Kubernetes table (kb/kubernetes/releases.xml, from scripts/k8s-facts.py) and the manifest rules
/// that read it.
final class KubernetesTests: XCTestCase {
    let table = TestSupport.kb.kubernetesReleases

    func lint(_ yaml: String, kubernetes: String? = nil, kernel: KernelVersion? = nil, kb: KnowledgeBase = TestSupport.kb) -> [Finding] {
        Linter(kb: kb).lintData(Data(yaml.utf8), path: "m.yaml",
                                options: LintOptions(target: Target(kernel: kernel, kubernetes: kubernetes)), explicit: true) ?? []
    }

    func pod(_ name: String, value: String = "1", extra: String = "") -> String {
        ManifestTests.pod(kind: "Pod", sysctls: "      - name: \(name)\n        value: \"\(value)\"", extra: extra)
    }

    // MARK: the table

    func testTableCoversEveryReleaseFrom122WithItsSources() throws {
        let released = table.releases.filter(\.released)
        XCTAssertEqual(released.first?.description, "1.22")
        let newest = try XCTUnwrap(table.newestReleased)
        XCTAssertGreaterThanOrEqual(newest.version, KernelVersion(1, 36))
        XCTAssertEqual(released.map(\.version.minor), Array(22...newest.version.minor), "one table per minor, none missing")
        let hex = try NSRegularExpression(pattern: "^([0-9a-f]{40}|index-[0-9]+)$")
        func isCommit(_ s: String) -> Bool { hex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil }
        for r in table.releases {
            XCTAssertEqual(r.helpersTag.hasPrefix("v0.\(r.version.minor)."), true, r.helpersTag)
            XCTAssertEqual(r.psaTag.hasPrefix("v0.\(r.version.minor)."), true, r.psaTag)
            // Released minors are read at their vX.Y.0 tag; a pre-release at its newest pre-release tag.
            XCTAssertEqual(r.helpersTag == "v0.\(r.version.minor).0", r.released, r.helpersTag)
            XCTAssertFalse(r.safe.isEmpty)
            XCTAssertFalse(r.baseline.isEmpty)
            XCTAssertFalse(r.namespaces.isEmpty)
            for (key, s) in r.safe { XCTAssertTrue(isCommit(s.commit), "\(r.description) \(key): \(s.commit)") }
            for c in r.namespaces { XCTAssertTrue(isCommit(c.commit), "\(r.description) \(c.name)") }
        }
        // Spot facts read from the sources (not from the kb): the 1.27 and 1.29 kubelet lists, the 1.32 baseline.
        XCTAssertNil(table.release(KernelVersion(1, 26))?.safe["net.ipv4.ip_local_reserved_ports"])
        XCTAssertNotNil(table.release(KernelVersion(1, 27))?.safe["net.ipv4.ip_local_reserved_ports"])
        XCTAssertEqual(table.release(KernelVersion(1, 29))?.safe["net.ipv4.tcp_fin_timeout"]?.minKernel, KernelVersion(4, 6))
        XCTAssertEqual(table.release(KernelVersion(1, 32))?.baseline["net.ipv4.tcp_rmem"], "1.32")
        XCTAssertNil(table.release(KernelVersion(1, 31))?.baseline["net.ipv4.tcp_rmem"])
    }

    /// The kb's <kubernetes> attributes must say what the table says.
    /// Everything the table holds, one line per fact.
    static func describe(_ t: KubernetesReleases) -> [String] {
        func classes(_ list: [KubernetesReleases.NamespaceClass]) -> String {
            list.map { "\($0.name) \($0.match.rawValue) \($0.namespace.rawValue) \($0.commit)" }.joined(separator: "; ")
        }
        var lines: [String] = []
        for r in t.releases {
            lines.append("release \(r.version) released \(r.released) \(r.helpersTag) \(r.psaTag) host \(r.hostNamespaceRejection ?? "-") features \(r.features.sorted())")
            for (key, s) in r.safe.sorted(by: { $0.key < $1.key }) { lines.append("  safe \(key) \(s.minKernel?.description ?? "-") \(s.source) \(s.commit)") }
            for (key, since) in r.baseline.sorted(by: { $0.key < $1.key }) { lines.append("  baseline \(key) \(since)") }
            lines.append("  namespaces \(classes(r.namespaces))")
        }
        lines.append("unreleased \(classes(t.unreleasedNamespaces)) features \(t.unreleasedFeatures.sorted { $0.key < $1.key })")
        return lines
    }

    /// The facts twlint-embed writes at build time (EmbeddedKnowledge.kubernetesReleases, used by KnowledgeBase.shipped)
    /// equal a full libxml2 parse of kb/kubernetes/releases.xml.
    func testEmbeddedFactsEqualAFullParse() throws {
        let (path, source) = try XCTUnwrap(EmbeddedKnowledge.kubernetesReleases)
        XCTAssertEqual(path, "kb/kubernetes/releases.xml")
        let text = try XCTUnwrap(EmbeddedKnowledge.files.first { $0.path == path }?.text)
        let parsed = KubernetesReleases(try KnowledgeBase.parse(text: text, path: path, validate: false))
        let want = Self.describe(parsed)
        XCTAssertGreaterThan(want.count, 200)
        XCTAssertTrue(parsed.releases.contains { $0.safe.values.contains { $0.minKernel != nil } }, "a kernel gate")
        XCTAssertTrue(parsed.releases.contains { $0.hostNamespaceRejection != nil } && !parsed.unreleasedNamespaces.isEmpty && !parsed.unreleasedFeatures.isEmpty)
        XCTAssertEqual(Self.describe(KubernetesReleases(source)), want)
        XCTAssertEqual(Self.describe(KnowledgeBase.shipped.kubernetesReleases), want)
    }

    func testKbKubernetesFactsAgreeWithTheTables() throws {
        let newest = try XCTUnwrap(table.releases.last)
        var checked = 0
        for p in TestSupport.kb.sortedParameters {
            let safe = table.safeSince(p.key)
            let baseline = table.baselineSince(p.key)
            guard let k = p.kubernetes else {
                XCTAssertNil(safe, "\(p.key): in the kubelet's safe set from \(safe?.description ?? "") but the kb has no <kubernetes>")
                XCTAssertNil(baseline, "\(p.key): in the baseline from \(baseline?.description ?? "") but the kb has no <kubernetes>")
                continue
            }
            checked += 1
            if let safe, safe.version == table.first?.version {
                // Safe already in the table's first release: the kb may name an older release the table does not cover.
                let kbSince = try XCTUnwrap(k.safeSince.flatMap(KernelVersion.init), p.key)
                XCTAssertLessThanOrEqual(kbSince, safe.version, "\(p.key): kb safe-since")
            } else {
                XCTAssertEqual(k.safeSince, safe?.description, "\(p.key): kb safe-since")
            }
            XCTAssertEqual(k.baselineSince, newest.baseline[p.key], "\(p.key): kb baseline-since is the policy version")
            if let gate = table.releases.compactMap({ $0.safe[p.key]?.minKernel }).last {
                XCTAssertEqual(k.minKernel, gate, "\(p.key): kb min-kernel")
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 12)
    }

    /// The committed table is what scripts/k8s-facts.py derives from the sources. Needs the inputs the script names
    /// (TWLINT_K8S_HELPERS, TWLINT_K8S_PSA: git directories of the two mirrors; TWLINT_K8S_KUBELET: the kubelet file
    /// copies), which a clean checkout does not have.
    func testScriptRegeneratesTheCommittedTable() throws {
        let env = ProcessInfo.processInfo.environment
        let helpers = env["TWLINT_K8S_HELPERS"] ?? "/work/.mirror/kubernetes+component-helpers/repo"
        let psa = env["TWLINT_K8S_PSA"] ?? "/work/.mirror/kubernetes+pod-security-admission/repo"
        let kubelet = env["TWLINT_K8S_KUBELET"] ?? "/work/k8s-cache/kubernetes"
        for dir in [helpers, psa, kubelet] where !FileManager.default.fileExists(atPath: dir) {
            throw XCTSkip("the Kubernetes sources are not on this machine (\(dir)); set TWLINT_K8S_HELPERS, TWLINT_K8S_PSA, TWLINT_K8S_KUBELET")
        }
        let out = try TestSupport.temporaryDirectory(self) + "/releases.xml"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", TestSupport.packageRoot + "/scripts/k8s-facts.py", "--helpers", helpers, "--psa", psa, "--kubelet", kubelet, "-o", out]
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let committed = try String(contentsOfFile: TestSupport.packageRoot + "/kb/kubernetes/releases.xml", encoding: .utf8)
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), committed, "rerun scripts/k8s-facts.py and commit its output")
    }

    // MARK: issue items

    /// kernel.domainname (UTS) and user.* (user namespace) get a namespace class only with KEP-5996, in no release:
    /// the kubelet calls them unknown, so TW301 fires and TW302 does not advise --allowed-unsafe-sysctls.
    func testDomainnameAndUserAreUnknownToTheKubeletWithoutKEP5996() {
        XCTAssertNotNil(table.unreleasedFeatures["kep-5996"], "component-helpers has KEP-5996 only on its default branch")
        XCTAssertTrue(table.releases.allSatisfy { !$0.features.contains("kep-5996") })
        for key in ["kernel.domainname", "user.max_user_namespaces"] {
            for k8s in [nil, "1.36"] {
                let f = lint(pod(key, value: "x"), kubernetes: k8s)
                let tw301 = f.first { $0.code == "TW301" }
                XCTAssertNotNil(tw301, "\(key) on \(k8s ?? "default")")
                XCTAssertTrue(tw301?.message.contains("KEP-5996") == true, tw301?.message ?? "")
                XCTAssertTrue(tw301?.message.contains("refuses to start") == true, tw301?.message ?? "")
                XCTAssertFalse(f.contains { $0.code == "TW302" }, "TW302 would advise an allow-list that stops the kubelet")
            }
        }
        // Compose files: runc isolates kernel.domainname in the container's UTS namespace.
        let compose = "services:\n  x:\n    image: x\n    sysctls:\n      kernel.domainname: example.org\n"
        XCTAssertFalse(Linter(kb: TestSupport.kb).lintData(Data(compose.utf8), path: "c.yml", options: LintOptions(), explicit: true)!
            .contains { $0.code == "TW301" })
    }

    /// A release with KEP-5996 (modelled as a table feature) classes them, and a hostNetwork pod's kernel.domainname
    /// is skipped by the kubelet (TW304).
    func testKEP5996ReleaseClassesThemAndSkipsDomainnameOnHostNetwork() throws {
        let kb = try Self.kbWithKEP5996()
        let r = try XCTUnwrap(kb.kubernetesReleases.release(KernelVersion(1, 99)))
        XCTAssertEqual(r.namespace(of: "kernel.domainname"), .uts)
        XCTAssertEqual(r.namespace(of: "user.max_user_namespaces"), .user)
        let plain = lint(pod("kernel.domainname", value: "x"), kubernetes: "1.99", kb: kb)
        XCTAssertFalse(plain.contains { $0.code == "TW301" }, "\(plain.map(\.message))")
        XCTAssertTrue(plain.contains { $0.code == "TW302" }, "namespaced, not in the safe set")
        let host = lint(pod("kernel.domainname", value: "x", extra: "hostNetwork: true"), kubernetes: "1.99", kb: kb)
        let tw304 = host.first { $0.code == "TW304" }
        XCTAssertTrue(tw304?.message.contains("UTS") == true && tw304?.message.contains("KEP-5996") == true, "\(host.map(\.message))")
        // Without the feature (1.36), hostNetwork does not change anything for kernel.domainname: TW301 already fires.
        XCTAssertFalse(lint(pod("kernel.domainname", value: "x", extra: "hostNetwork: true"), kubernetes: "1.36").contains { $0.code == "TW304" })
    }

    /// The API server rejects namespaced sysctls with hostNetwork/hostIPC from 1.29 (PR #118705), not "about 1.28".
    func testHostNamespaceRejectionFrom129() {
        XCTAssertEqual(table.hostNamespaceRejectionSince?.description, "1.29")
        let p = pod("net.ipv4.ip_local_port_range", value: "1024 65000", extra: "hostNetwork: true")
        let old = lint(p, kubernetes: "1.28").first { $0.code == "TW304" }
        XCTAssertTrue(old?.message.contains("still accepts") == true && old?.message.contains("1.29") == true, old?.message ?? "none")
        let new = lint(p, kubernetes: "1.29").first { $0.code == "TW304" }
        XCTAssertTrue(new?.message.contains("API server rejects") == true && new?.message.contains("PR #118705") == true, new?.message ?? "none")
        let ipc = lint(pod("kernel.shm_rmid_forced", extra: "hostIPC: true"), kubernetes: "1.30").first { $0.code == "TW304" }
        XCTAssertTrue(ipc?.message.contains("IPC") == true, ipc?.message ?? "none")
    }

    /// kernel.shm*/kernel.msg* are prefixes up to 1.28 and exact names from 1.29.
    func testIPCPrefixesBecomeExactNamesIn129() {
        XCTAssertEqual(table.exactIPCNamesSince?.description, "1.29")
        let r128 = table.release(KernelVersion(1, 28))!, r129 = table.release(KernelVersion(1, 29))!
        XCTAssertEqual(r128.namespace(of: "kernel.shm_next_id"), .ipc)
        XCTAssertNil(r129.namespace(of: "kernel.shm_next_id"))
        XCTAssertEqual(r129.namespace(of: "kernel.shmmax"), .ipc)
        XCTAssertEqual(r129.namespace(of: "kernel.msgmnb"), .ipc)
        let p = pod("kernel.shm_next_id", value: "5")
        let codes128 = lint(p, kubernetes: "1.28").map(\.code)
        XCTAssertTrue(codes128.contains("TW302") && !codes128.contains("TW301"), "\(codes128)")
        let f129 = lint(p, kubernetes: "1.29")
        XCTAssertTrue(f129.contains { $0.code == "TW301" && $0.message.contains("exact") }, "\(f129.map(\.message))")
        XCTAssertFalse(f129.contains { $0.code == "TW302" })
        XCTAssertTrue(lint(pod("kernel.msgmax", value: "65536"), kubernetes: "1.29").contains { $0.code == "TW302" })
    }

    /// tcp_syncookies is per network namespace only from Linux 4.6: TW301 uses the target kernel.
    func testSyncookiesNeedsLinux46() {
        let p = pod("net.ipv4.tcp_syncookies")
        let old = lint(p, kernel: KernelVersion(4, 5))
        XCTAssertTrue(old.contains { $0.code == "TW301" && $0.message.contains("4.6") }, "\(old.map(\.message))")
        XCTAssertFalse(old.contains { $0.code == "TW302" })
        XCTAssertFalse(lint(p, kernel: KernelVersion(4, 6)).contains { $0.code == "TW301" })
    }

    /// Without --kubernetes the rules assume the newest released minor (1.36), where tcp_slow_start_after_idle and
    /// tcp_notsent_lowat are not yet safe; the summary names the assumption.
    func testDefaultIsTheNewestReleasedMinor() throws {
        let newest = try XCTUnwrap(table.newestReleased)
        XCTAssertTrue(newest.released)
        XCTAssertTrue(table.releases.filter { $0.version > newest.version }.allSatisfy { !$0.released })
        for key in ["net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat"] {
            let f = lint(pod(key))
            let tw302 = f.first { $0.code == "TW302" }
            // The assumed release is marked on the finding and said once by the report, not in every message.
            XCTAssertEqual(tw302?.kubernetesAssumed, true)
            XCTAssertFalse(f.contains { $0.message.contains("assuming Kubernetes") }, f.map(\.message).joined(separator: "\n"))
            XCTAssertTrue(tw302?.message.contains("on Kubernetes \(newest.description)") == true, tw302?.message ?? "none")
            XCTAssertTrue(tw302?.message.contains("only in Kubernetes 1.37 (not released yet)") == true, tw302?.message ?? "none")
            XCTAssertTrue(f.contains { $0.code == "TW303" })
        }
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(pod("net.ipv4.tcp_notsent_lowat"), to: dir + "/p.yaml")
        let r = try TestSupport.run(["lint", "--no-config", dir + "/p.yaml"])
        XCTAssertEqual(r.stdout.components(separatedBy: "assuming Kubernetes").count - 1, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("(assuming Kubernetes \(newest.description), the newest release; set --kubernetes for another)"), r.stdout)
        let g = try TestSupport.run(["lint", "--no-config", "--format", "github", dir + "/p.yaml"])
        XCTAssertEqual(g.stdout.components(separatedBy: "assuming Kubernetes").count - 1, 1, g.stdout)
        let j = try TestSupport.run(["lint", "--no-config", "--format", "json", dir + "/p.yaml"])
        XCTAssertFalse(j.stdout.contains("assuming Kubernetes"), j.stdout)
        XCTAssertTrue(j.stdout.contains("\"kubernetes_assumed\": true"), j.stdout)
        // Named: nothing is assumed.
        let named = try TestSupport.run(["lint", "--no-config", "--kubernetes", newest.description, "--format", "json", dir + "/p.yaml"])
        XCTAssertFalse(named.stdout.contains("\"kubernetes_assumed\": true"), named.stdout)
    }

    /// A command write goes through the kernel, not the kubelet: kernel.domainname is isolated by the pod's UTS
    /// namespace whatever the release, unless hostNetwork shares the node's (then it changes the node: TW307).
    func testCommandWritesUseTheKernelsNamespaces() {
        func commandPod(_ extra: String) -> String {
            """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              \(extra)
              containers:
                - name: c
                  image: c:1
                  securityContext:
                    privileged: true
                  command: ["sysctl", "-w", "kernel.domainname=example.org"]
            """
        }
        XCTAssertFalse(lint(commandPod("hostIPC: false")).contains { $0.code == "TW307" })
        XCTAssertTrue(lint(commandPod("hostNetwork: true")).contains { $0.code == "TW307" })
    }

    // MARK: command line

    func testKubernetesOptionAcceptsOnlyReleasedVersions() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(pod("net.ipv4.tcp_notsent_lowat"), to: dir + "/p.yaml")
        for bad in ["1,32", "v1.32", "1.32.1", "1", "abc", "1.21", "1.99"] {
            let r = try TestSupport.run(["lint", "--no-config", "--kubernetes", bad, dir + "/p.yaml"])
            XCTAssertEqual(r.status, 2, bad)
            XCTAssertTrue(r.stderr.contains("--kubernetes"), r.stderr)
        }
        let v = try TestSupport.run(["lint", "--no-config", "--kubernetes", "v1.32", dir + "/p.yaml"])
        XCTAssertTrue(v.stderr.contains("without the v"), v.stderr)
        let pre = try TestSupport.run(["lint", "--no-config", "--kubernetes", "1.37", dir + "/p.yaml"])
        XCTAssertEqual(pre.status, 2)
        XCTAssertTrue(pre.stderr.contains("not released yet"), pre.stderr)
        let allowed = try TestSupport.run(["lint", "--no-config", "--kubernetes", "1.37", "--allow-unreleased-kubernetes", dir + "/p.yaml"])
        XCTAssertEqual(allowed.status, 0, allowed.stdout + allowed.stderr)
        XCTAssertTrue(allowed.stdout.contains("Kubernetes 1.37"), allowed.stdout)
        let ok = try TestSupport.run(["lint", "--no-config", "--kubernetes", "1.36", dir + "/p.yaml"])
        XCTAssertEqual(ok.status, 1, "TW302 on 1.36: \(ok.stderr)")
    }

    func testExplainShowsPerReleaseFacts() throws {
        let r = try TestSupport.run(["explain", "net.ipv4.tcp_rmem"])
        XCTAssertEqual(r.status, 0)
        let text = r.stdout.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
        XCTAssertTrue(text.contains("safe sysctl since Kubernetes 1.32 (the kubelet requires kernel ≥ 4.15)"), text)
        XCTAssertTrue(text.contains("baseline allows it since Kubernetes 1.32 (policy version 1.32)"), text)
        let lowat = try TestSupport.run(["explain", "net.ipv4.tcp_notsent_lowat"])
        XCTAssertTrue(lowat.stdout.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
            .contains("safe sysctl since Kubernetes 1.37 (pre-release)"), lowat.stdout)
    }

    func testExplainJSONListsEveryRelease() throws {
        let r = try TestSupport.run(["explain", "--format", "json", "net.ipv4.tcp_keepalive_time"])
        let data = Data(r.stdout.utf8)
        let any = try JSONSerialization.jsonObject(with: data)
        let entry = try XCTUnwrap((any as? [String: Any]) ?? (any as? [[String: Any]])?.first)
        let k8s = try XCTUnwrap(entry["kubernetes"] as? [String: Any])
        XCTAssertEqual(k8s["safeSince"] as? String, "1.29")
        let releases = try XCTUnwrap(k8s["releases"] as? [[String: Any]])
        XCTAssertEqual(releases.count, table.releases.count)
        let r128 = try XCTUnwrap(releases.first { $0["version"] as? String == "1.28" })
        let r129 = try XCTUnwrap(releases.first { $0["version"] as? String == "1.29" })
        XCTAssertEqual(r128["safe"] as? Bool, false)
        XCTAssertEqual(r129["safe"] as? Bool, true)
        XCTAssertEqual(r129["minKernel"] as? String, "4.5")
        XCTAssertEqual(r129["baselinePolicy"] as? String, "1.29")
    }

    // MARK: helpers

    /// The shipped knowledge with one more release, 1.99, that has KEP-5996 (as component-helpers' default branch does).
    static func kbWithKEP5996() throws -> KnowledgeBase {
        let path = "kb/kubernetes/releases.xml"
        var files = EmbeddedKnowledge.files.filter { !$0.path.hasPrefix("schema/") }
        let i = try XCTUnwrap(files.firstIndex { $0.path == path })
        let text = files[i].text
        let last = try XCTUnwrap(text.range(of: "<release version=\"1.36\"", options: .backwards))
        let end = try XCTUnwrap(text.range(of: "</release>", range: last.upperBound..<text.endIndex))
        var release = String(text[last.lowerBound..<end.upperBound]).replacingOccurrences(of: "1.36", with: "1.99")
        let c = String(repeating: "a", count: 40)
        release = release.replacingOccurrences(of: "</release>", with: """
            <namespace name="kernel.domainname" match="exact" ns="uts" source="test" commit="\(c)"/>
            <namespace name="user." match="prefix" ns="user" source="test" commit="\(c)"/>
            <feature name="kep-5996" source="test" commit="\(c)"/>
          </release>
        """)
        files[i] = (path, text.replacingOccurrences(of: "<unreleased", with: release + "\n  <unreleased"))
        return try KnowledgeBase(files: files, validate: false)
    }
}
