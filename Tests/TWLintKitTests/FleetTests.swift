import Foundation
import XCTest
@testable import TWLintKit

/// The fleet side (issue 14), against the real tools: promtool, node_exporter and a Prometheus server on
/// 127.0.0.1, `twlint serve` under load, the alert rules, the Kubernetes manifests, and the netlink reader
/// against /proc/net/tcp in a network namespace. Every process a test starts is stopped in its teardown.
final class FleetTests: XCTestCase {
    var started: [Process] = []

    override func tearDown() {
        for p in started where p.isRunning {
            p.terminate()
            let deadline = Date().addingTimeInterval(5)
            while p.isRunning && Date() < deadline { usleep(20_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        }
        started = []
        super.tearDown()
    }

    // MARK: helpers

    static func tool(_ name: String) -> String? {
        for dir in ["/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin", "/sbin"] where FileManager.default.isExecutableFile(atPath: dir + "/" + name) {
            return dir + "/" + name
        }
        return nil
    }

    func require(_ name: String) throws -> String {
        guard let path = Self.tool(name) else { throw XCTSkip("\(name) is not installed (.ci/run installs it)") }
        return path
    }

    func requireRootAndNamespaces() throws {
        guard getuid() == 0 else { throw XCTSkip("needs root to create a network namespace") }
        guard Self.tool("unshare") != nil, Self.tool("ip") != nil else { throw XCTSkip("needs unshare and ip") }
        let probe = try? Self.shell("unshare -n true", timeout: 10)
        guard probe?.status == 0 else { throw XCTSkip("cannot create a network namespace here: \(probe?.output ?? "")") }
    }

    static var twlint: String { Bundle.main.bundleURL.appendingPathComponent("twlint").path }

    /// Runs a command to completion within `timeout` seconds (killed after), output and error merged.
    static func shell(_ script: String, stdin: String? = nil, timeout: Double) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script]
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let timer = DispatchWorkItem { if p.isRunning { kill(-p.processIdentifier, SIGKILL); p.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts a long-running process; it is stopped in tearDown. Its standard error goes to `log`.
    func start(_ executable: String, _ arguments: [String], log: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        started.append(p)
        return p
    }

    /// Starts `twlint serve` on 127.0.0.1 (a free port) and returns the port it printed.
    func startServe(_ extra: [String], dir: String) throws -> (Process, Int) {
        let log = dir + "/serve.log"
        let p = try start(Self.twlint, ["serve", "--listen", "127.0.0.1:0", "--no-config"] + extra, log: log)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.contains("serving /metrics on") }),
               let port = Int(line.split(separator: ":").last ?? "") {
                return (p, port)
            }
            guard p.isRunning else { break }
            usleep(50_000)
        }
        XCTFail("twlint serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        throw XCTSkip("no server")
    }

    /// A free TCP port on 127.0.0.1 (bound, read and released).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// A connected TCP socket to 127.0.0.1:port with a receive timeout, or -1.
    static func connectLoopback(_ port: Int, timeout: Int = 5) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        if ok != 0 { close(fd); return -1 }
        return fd
    }

    /// One HTTP/1.0 request (the server closes after answering); nil when the connection fails.
    static func http(_ port: Int, _ path: String, method: String = "GET", timeout: Int = 5) -> (status: Int, body: String)? {
        let fd = connectLoopback(port, timeout: timeout)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let request = "\(method) \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
        guard send(fd, request, request.utf8.count, Int32(MSG_NOSIGNAL)) == request.utf8.count else { return nil }
        var data = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { if n < 0 && data.isEmpty { return nil }; break }
            data += chunk[0..<n]
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let statusLine = text.split(separator: "\r\n").first, let code = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return nil }
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (code, body)
    }

    func promtoolCheckMetrics(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let promtool = try require("promtool")
        let r = try Self.shell("\(promtool) check metrics", stdin: text, timeout: 30)
        XCTAssertEqual(r.status, 0, "promtool check metrics: \(r.output)\n\(text)", file: file, line: line)
    }

    // MARK: exposition

    func testCheckOutputFileIsWrittenAtomicallyAndPassesPromtool() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let target = dir + "/textfile/twlint.prom"
        try FileManager.default.createDirectory(atPath: dir + "/textfile", withIntermediateDirectories: true)
        try TestSupport.write("stale\n", to: target)
        let r = try TestSupport.run(["check", "--live", "--no-config", "--fail-on", "never", "--format", "prometheus", "--output", target])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "", "with --output nothing goes to standard output")
        let text = try String(contentsOfFile: target, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# HELP twlint_findings "), text)
        XCTAssertTrue(text.contains("# TYPE twlint_tcp_events_total counter"), text)
        XCTAssertTrue(text.contains("twlint_build_info{version=\"\(TWLintKit.version)\"} 1"), text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/textfile"), ["twlint.prom"], "no temporary file is left")
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o644)
        try promtoolCheckMetrics(text)

        // A directory that does not exist: a located error, exit 2, nothing written.
        let bad = try TestSupport.run(["check", "--live", "--no-config", "--format", "prometheus", "--output", dir + "/missing/twlint.prom"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains(dir + "/missing/twlint.prom"), bad.stderr)
    }

    func testServeAnswersMetricsAndHealthOnlyAndPassesPromtool() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let (_, port) = try startServe(["--min-interval", "1"], dir: dir)
        let metrics = try XCTUnwrap(Self.http(port, "/metrics"))
        XCTAssertEqual(metrics.status, 200)
        XCTAssertTrue(metrics.body.contains("twlint_tcp_time_wait_sockets "), metrics.body)
        try promtoolCheckMetrics(metrics.body)
        XCTAssertEqual(Self.http(port, "/healthz")?.status, 200)
        XCTAssertEqual(Self.http(port, "/healthz")?.body, "ok\n")
        XCTAssertEqual(Self.http(port, "/")?.status, 404)
        XCTAssertEqual(Self.http(port, "/metrics/../debug")?.status, 404)
        XCTAssertEqual(Self.http(port, "/metrics", method: "DELETE")?.status, 405)
        XCTAssertEqual(Self.http(port, "/metrics", method: "HEAD")?.status, 200)
    }

    func testServeRefusesBadOptions() throws {
        for args in [["--listen", "localhost"], ["--listen", "[::1]9101"], ["--listen", "127.0.0.1:70000"],
                     ["--min-interval", "0.1"], ["--max-connections", "0"], ["--idle-timeout", "0"]] {
            let r = try TestSupport.run(["serve"] + args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
        }
        // A port already in use: a clear error, exit 2.
        let dir = try TestSupport.temporaryDirectory(self)
        let (_, port) = try startServe([], dir: dir)
        let r = try TestSupport.run(["serve", "--no-config", "--listen", "127.0.0.1:\(port)"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot listen on 127.0.0.1:\(port)"), r.stderr)
    }

    // MARK: node_exporter and Prometheus

    func testNodeExporterExposesTheTextfile() throws {
        let exporter = try require("prometheus-node-exporter")
        let dir = try TestSupport.temporaryDirectory(self)
        try FileManager.default.createDirectory(atPath: dir + "/textfile", withIntermediateDirectories: true)
        let r = try TestSupport.run(["check", "--live", "--no-config", "--fail-on", "never", "--format", "prometheus", "--output", dir + "/textfile/twlint.prom"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let port = Self.freePort()
        _ = try start(exporter, ["--web.listen-address=127.0.0.1:\(port)", "--collector.disable-defaults", "--collector.textfile",
                                 "--collector.textfile.directory=\(dir)/textfile"], log: dir + "/node_exporter.log")
        var body = ""
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let m = Self.http(port, "/metrics"), m.status == 200 { body = m.body; break }
            usleep(100_000)
        }
        XCTAssertTrue(body.contains("twlint_build_info{version=\"\(TWLintKit.version)\"} 1"), body)
        XCTAssertTrue(body.contains("# TYPE twlint_tcp_events_total counter"), body)
        XCTAssertTrue(body.contains("twlint_tcp_time_wait_sockets "), body)
        XCTAssertTrue(body.contains("node_textfile_scrape_error 0"), "node_exporter read the file without error:\n\(body)")
    }

    /// In a network namespace: TIME_WAIT sockets toward 127.0.0.1:7000, `twlint serve`, and a Prometheus server
    /// scraping it; a PromQL query must return the TIME_WAIT series of that destination.
    func testPrometheusScrapesServeAndAnswersAQuery() throws {
        try requireRootAndNamespaces()
        let prometheus = try require("prometheus")
        guard Self.tool("python3") != nil else { throw XCTSkip("needs python3 to make TIME_WAIT sockets") }
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: twlint
                static_configs:
                  - targets: ['127.0.0.1:9101']

            """, to: dir + "/prometheus.yml")
        let script = """
            set -u
            ip link set lo up
            echo "20000 60000" > /proc/sys/net/ipv4/ip_local_port_range
            python3 - <<'PY'
            import socket
            srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("127.0.0.1", 7000)); srv.listen(128)
            for _ in range(200):
                c = socket.socket(); c.connect(("127.0.0.1", 7000)); s, _ = srv.accept(); c.close(); s.close()
            PY
            \(Self.twlint) serve --listen 127.0.0.1:9101 --no-config --min-interval 1 2>"\(dir)/serve.log" &
            serve=$!
            \(prometheus) --config.file="\(dir)/prometheus.yml" --storage.tsdb.path="\(dir)/tsdb" --web.listen-address=127.0.0.1:9090 >"\(dir)/prometheus.log" 2>&1 &
            prom=$!
            trap 'kill $serve $prom 2>/dev/null; wait $serve $prom 2>/dev/null' EXIT
            trap 'exit 1' TERM INT
            python3 - <<'PY'
            import json, time, urllib.parse, urllib.request
            query = 'twlint_tcp_time_wait_destination_sockets{job="twlint",destination="127.0.0.1:7000"}'
            url = "http://127.0.0.1:9090/api/v1/query?query=" + urllib.parse.quote(query)
            deadline = time.time() + 45
            answer = None
            while time.time() < deadline:
                try:
                    data = json.load(urllib.request.urlopen(url, timeout=2))
                    if data["status"] == "success" and data["data"]["result"]:
                        answer = data["data"]["result"]; break
                except Exception as e:
                    pass
                time.sleep(0.5)
            print("ANSWER", json.dumps(answer))
            PY
            """
        let r = try Self.shell("exec unshare -n bash -s", stdin: script, timeout: 90)
        let line = r.output.split(separator: "\n").first { $0.hasPrefix("ANSWER ") }.map { String($0.dropFirst(7)) } ?? "null"
        let result = try JSONSerialization.jsonObject(with: Data(line.utf8), options: .fragmentsAllowed) as? [[String: Any]]
        let series = try XCTUnwrap(result?.first, "no answer from Prometheus:\n\(r.output)\n\((try? String(contentsOfFile: dir + "/prometheus.log", encoding: .utf8)) ?? "")")
        let labels = series["metric"] as? [String: String]
        XCTAssertEqual(labels?["destination"], "127.0.0.1:7000")
        XCTAssertEqual(labels?["local"], "127.0.0.1")
        XCTAssertEqual(labels?["instance"], "127.0.0.1:9101")
        let value = (series["value"] as? [Any])?.last as? String
        XCTAssertEqual(value, "200", "200 TIME_WAIT sockets were made toward 127.0.0.1:7000")
    }

    // MARK: load

    /// Concurrent scrapes for a fixed time: no errors, one sampling per --min-interval whatever the number of
    /// scrapes, bounded memory; idle connections are closed after --idle-timeout; connections over
    /// --max-connections are closed at once.
    func testServeUnderLoad() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let (server, port) = try startServe(["--min-interval", "1", "--max-connections", "16", "--idle-timeout", "1"], dir: dir)
        let duration = 3.0
        let clients = 8
        let lock = NSLock()
        var ok = 0, errors: [String] = [], durations = Set<String>()
        let end = Date().addingTimeInterval(duration)
        DispatchQueue.concurrentPerform(iterations: clients) { _ in
            while Date() < end {
                let r = Self.http(port, "/metrics")
                lock.lock()
                if let r, r.status == 200, let d = r.body.split(separator: "\n").first(where: { $0.hasPrefix("twlint_sampling_duration_seconds ") }) {
                    ok += 1
                    durations.insert(String(d))
                } else {
                    errors.append(r.map { "status \($0.status)" } ?? "connection failed")
                }
                lock.unlock()
            }
        }
        XCTAssertEqual(errors, [], "\(errors.count) failed scrapes of \(ok + errors.count)")
        XCTAssertGreaterThan(ok, clients, "the clients scraped")
        // One sample per second at most (plus the first): the scrapes shared them.
        XCTAssertLessThanOrEqual(durations.count, Int(duration) + 2, "samples taken: \(durations.count) for \(ok) scrapes")

        // Idle connections: the 17th is closed at once; all are closed after the idle timeout.
        var idle: [Int32] = []
        for _ in 0..<16 { idle.append(Self.connectLoopback(port, timeout: 4)) }
        defer { idle.forEach { close($0) } }
        XCTAssertFalse(idle.contains(-1))
        usleep(200_000)
        let extra = Self.connectLoopback(port, timeout: 2)
        var byte: UInt8 = 0
        XCTAssertEqual(extra >= 0 ? recv(extra, &byte, 1, 0) : 0, 0, "a connection over --max-connections is closed at once")
        if extra >= 0 { close(extra) }
        let started = Date()
        for fd in idle { XCTAssertEqual(recv(fd, &byte, 1, 0), 0, "an idle connection is closed by the server") }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3.5, "closed within the idle timeout (1 s), not by our 4 s receive timeout")
        usleep(200_000)
        XCTAssertEqual(Self.http(port, "/healthz")?.status, 200, "slots are free again")

        // Bounded memory: the server's peak RSS.
        let status = try String(contentsOfFile: "/proc/\(server.processIdentifier)/status", encoding: .utf8)
        let hwm = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        XCTAssertGreaterThan(hwm, 0)
        XCTAssertLessThan(hwm, 96 * 1024, "peak RSS \(hwm) KiB")
    }

    /// A request larger than 8 KiB, and one sent a byte at a time (never idle, never complete), are cut off.
    func testServeClosesOversizedAndSlowRequests() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let (_, port) = try startServe(["--idle-timeout", "1"], dir: dir)
        var byte: UInt8 = 0

        let big = Self.connectLoopback(port, timeout: 4)
        XCTAssertGreaterThanOrEqual(big, 0)
        let request = "GET /metrics HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-Padding: \(String(repeating: "a", count: 100))\r\n", count: 100)
        _ = send(big, request, request.utf8.count, Int32(MSG_NOSIGNAL))
        XCTAssertLessThanOrEqual(recv(big, &byte, 1, 0), 0, "a 10 KB request head is refused by closing the connection")
        close(big)

        let slow = Self.connectLoopback(port, timeout: 4)
        XCTAssertGreaterThanOrEqual(slow, 0)
        let started = Date()
        var closed = false
        for ch in "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8 {
            var c = ch
            if send(slow, &c, 1, Int32(MSG_NOSIGNAL)) != 1 { closed = true; break }
            usleep(300_000)   // under the 1 s idle timeout: only the request deadline can end this
            if Date().timeIntervalSince(started) > 4 { break }
        }
        if !closed { closed = recv(slow, &byte, 1, 0) <= 0 }
        close(slow)
        XCTAssertTrue(closed, "a request trickling in is cut off")
        XCTAssertLessThan(Date().timeIntervalSince(started), 4, "within the request deadline (1 s), give or take")
    }

    // MARK: alert rules and manifests

    func testAlertRulesPassPromtoolAndTheirUnitTests() throws {
        let promtool = try require("promtool")
        let dir = TestSupport.packageRoot + "/deploy/prometheus"
        let check = try Self.shell("\(promtool) check rules \(dir)/twlint-rules.yml", timeout: 30)
        XCTAssertEqual(check.status, 0, check.output)
        XCTAssertTrue(check.output.contains("SUCCESS: 5 rules found"), check.output)
        let test = try Self.shell("cd \(dir) && \(promtool) test rules twlint-rules.test.yml", timeout: 60)
        XCTAssertEqual(test.status, 0, test.output)
        // Every alert's runbook names a rule twlint can explain.
        let rules = try String(contentsOfFile: dir + "/twlint-rules.yml", encoding: .utf8)
        let codes = rules.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "runbook: \"twlint explain ") else { return nil }
            return String(line[r.upperBound...].prefix { $0 != "\"" })
        }
        XCTAssertEqual(codes.count, 5)
        for code in codes { XCTAssertNotNil(TestSupport.kb.rules.first { $0.code == code }, code) }
    }

    func testKubernetesManifestsAreLintedClean() throws {
        let dir = TestSupport.packageRoot + "/deploy/kubernetes"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted().map { dir + "/" + $0 }
        XCTAssertEqual(files.count, 3)
        let r = try TestSupport.run(["lint", "--no-config", "--format", "json"] + files)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        XCTAssertEqual((json?["findings"] as? [Any])?.count, 0, r.stdout)

        // The DaemonSet is read as a manifest: a sysctl added to its pod is linted.
        let work = try TestSupport.temporaryDirectory(self)
        var daemonset = try String(contentsOfFile: dir + "/daemonset.yaml", encoding: .utf8)
        daemonset = daemonset.replacingOccurrences(of: "        runAsNonRoot: true\n",
                                                   with: "        runAsNonRoot: true\n        sysctls:\n          - name: net.ipv4.tcp_tw_recycle\n            value: \"1\"\n")
        try TestSupport.write(daemonset, to: work + "/daemonset.yaml")
        let bad = try TestSupport.run(["lint", "--no-config", work + "/daemonset.yaml"])
        XCTAssertEqual(bad.status, 1, bad.stdout)
        XCTAssertTrue(bad.stdout.contains("tcp_tw_recycle"), bad.stdout)

        // What the DaemonSet promises: host network, read-only mounts and root file system, non-root, limits.
        let text = try String(contentsOfFile: dir + "/daemonset.yaml", encoding: .utf8)
        for needle in ["hostNetwork: true", "readOnlyRootFilesystem: true", "runAsNonRoot: true", "allowPrivilegeEscalation: false",
                       "--proc-root=/host/proc", "--root=/host/root", "limits:", "path: /healthz"] {
            XCTAssertTrue(text.contains(needle), needle)
        }
        let mounts = text.components(separatedBy: "mountPath:").count - 1
        let readOnly = text.components(separatedBy: "readOnly: true").count - 1
        XCTAssertEqual(mounts, readOnly, "every hostPath mount is read-only")
    }

    // MARK: netlink against /proc

    /// In a network namespace with listeners and TIME_WAIT sockets over IPv4 and IPv6: the netlink reader and
    /// the /proc/net/tcp reader give the same series, and the TIME_WAIT count is what `ss` counts.
    func testNetlinkAndProcReadersAgreeWithSS() throws {
        try requireRootAndNamespaces()
        guard Self.tool("ss") != nil, Self.tool("python3") != nil else { throw XCTSkip("needs ss and python3") }
        let script = """
            set -eu
            ip link set lo up
            echo "20000 60000" > /proc/sys/net/ipv4/ip_local_port_range
            ready=$(mktemp)
            python3 - >"$ready" <<'PY' &
            import socket
            srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); srv.bind(("127.0.0.1", 7000)); srv.listen(512)
            s6 = socket.socket(socket.AF_INET6); s6.bind(("::1", 7001)); s6.listen(128)
            for i in range(300):
                c = socket.socket(); c.connect(("127.0.0.1", 7000)); s, _ = srv.accept(); c.close(); s.close()
            for i in range(40):
                c = socket.socket(socket.AF_INET6); c.connect(("::1", 7001)); s, _ = s6.accept(); c.close(); s.close()
            # server-side TIME_WAIT on the listening port: the server closes first
            for i in range(20):
                c = socket.socket(); c.connect(("127.0.0.1", 7000)); s, _ = srv.accept(); s.close(); c.recv(1); c.close()
            print("ready", flush=True)
            import time; time.sleep(30)   # keeps the listeners open while twlint reads
            PY
            python=$!
            trap 'kill $python 2>/dev/null; rm -f "$ready"' EXIT
            trap 'exit 1' TERM INT
            for _ in $(seq 300); do grep -q ready "$ready" && break; sleep 0.1; done
            echo "SS $(ss -Htan state time-wait | wc -l)"
            for m in netlink proc; do
                echo "== $m"
                \(Self.twlint) check --live --no-config --fail-on never --format prometheus --sockets $m | grep -v '^#' | grep -v sampling_duration
            done
            """
        let r = try Self.shell("exec unshare -n bash -s", stdin: script, timeout: 60)
        XCTAssertEqual(r.status, 0, r.output)
        let parts = r.output.components(separatedBy: "== ")
        XCTAssertEqual(parts.count, 3, r.output)
        guard parts.count == 3 else { return }
        let netlink = parts[1].dropFirst("netlink\n".count), proc = parts[2].dropFirst("proc\n".count)
        XCTAssertEqual(String(netlink), String(proc), "the two readers disagree")
        XCTAssertTrue(r.output.contains("SS 360"), r.output)
        XCTAssertTrue(netlink.contains("twlint_tcp_time_wait_sockets 360\n"), String(netlink))
        XCTAssertTrue(netlink.contains("twlint_tcp_time_wait_destination_sockets{destination=\"127.0.0.1:7000\",local=\"127.0.0.1\"} 300\n"), String(netlink))
        XCTAssertTrue(netlink.contains("twlint_tcp_time_wait_destination_sockets{destination=\"[::1]:7001\",local=\"::1\"} 40\n"), String(netlink))
        XCTAssertTrue(netlink.contains("twlint_tcp_sockets{state=\"listen\"} 2\n"), String(netlink))
    }

    // MARK: units

    func testSummaryCountsClientSocketsPerDestinationOnly() {
        var s = SocketSummary(ephemeral: 40000...40099, source: "test")
        s.addListener(port: 80)
        let local = IPAddress.v4(0x0100007F), remote = IPAddress.v4(0x0A00000A)
        for port in 40000..<40010 { s.add(state: 6, local: local, localPort: port, remote: remote, remotePort: 8080) }
        s.add(state: 1, local: local, localPort: 40050, remote: remote, remotePort: 8080)
        s.add(state: 6, local: local, localPort: 30000, remote: remote, remotePort: 8080)   // outside the range
        s.add(state: 6, local: local, localPort: 80, remote: remote, remotePort: 50000)     // accepted connection
        s.add(state: 7, local: local, localPort: 40060, remote: remote, remotePort: 8080)   // CLOSE holds no port
        XCTAssertEqual(s.timeWait, 12)
        XCTAssertEqual(s.listening, [80])
        XCTAssertEqual(s.serverTimeWait, [80: 1])
        let busiest = s.busiest()
        XCTAssertEqual(busiest.count, 1)
        XCTAssertEqual(busiest.first?.destination.remoteEndpoint, "10.0.0.10:8080")
        XCTAssertEqual(busiest.first?.load, SocketSummary.Load(count: 11, timeWait: 10))
    }

    func testDestinationSeriesAreBoundedToTopTenPlusOther() {
        // 15 destinations 10.0.0.1 … 10.0.0.15, destination i holding 10 + i TIME_WAIT sockets.
        var tcp: [String] = []
        var port = 40000
        for i in 1...15 {
            tcp += LiveCheckTests.timeWait(10 + i, localPortStart: port, remote: String(format: "%08X:1F90", UInt32(i) << 24 | 0x0A))
            port += 10 + i
        }
        let report = ExampleRunner(kb: TestSupport.kb).withTree(LiveCheckTests.host(tcp: tcp)) { root in
            LiveCheck(kb: TestSupport.kb).run(procRoot: root + "/proc", root: root, options: LintOptions())
        }
        let series = report.metrics.filter { $0.name == "twlint_tcp_time_wait_destination_sockets" }
        XCTAssertEqual(series.count, 11)
        XCTAssertEqual(series.first?.labels.first?.1, "10.0.0.15:8080")
        XCTAssertEqual(series.first?.value, 25)
        let other = series.last
        XCTAssertEqual(other?.labels.map { $0.1 }, ["other", "other"])
        XCTAssertEqual(other?.value, Double((11...15).reduce(0, +)), "the five smallest destinations (11 to 15 sockets) are summed")
        XCTAssertEqual(report.metrics.filter { $0.name == "twlint_ephemeral_ports_destination_ratio" }.count, 10)
    }

    func testProcFilesAreStreamedAcrossChunkBoundaries() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        // 5,000 lines (about 750 KB): several 256 KiB reads, lines cut at chunk ends.
        var text = LiveCheckTests.tcpHeader + "\n"
        text += "   0: 0100007F:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000\n"
        text += LiveCheckTests.timeWait(5000, localPortStart: 40000).joined(separator: "\n") + "\n"
        try TestSupport.write(text, to: dir + "/proc/net/tcp")
        try TestSupport.write(LiveCheckTests.tcpHeader + "\n", to: dir + "/proc/net/tcp6")
        var unreadable: [Unreadable] = []
        let s = ProcSocketFiles.summary(ProcReader(root: dir + "/proc"), ephemeral: 32768...60999, unreadable: &unreadable)
        XCTAssertEqual(unreadable.map(\.path), [])
        XCTAssertEqual(s.timeWait, 5000)
        XCTAssertEqual(s.listening, [80])
        XCTAssertEqual(s.busiest().first?.load.count, 5000)
    }
}
