import Foundation
import XCTest
@testable import TWLintKit

/// SO_LINGER in proxy/server configurations and source code (TW501–TW506): scanners, detection, corpus, oracle.
final class LingerTests: XCTestCase {
    let linter = Linter(kb: TestSupport.kb)

    /// Lints `text` as an explicitly named file called `name`; (code, line, severity) of the TW5xx findings.
    func lint(_ text: String, as name: String) -> [(String, Int, Severity)] {
        let findings = linter.lintData(Data(text.utf8), path: name, options: LintOptions(), explicit: true) ?? []
        return findings.filter { $0.code.hasPrefix("TW5") }.map { ($0.code, $0.location?.line ?? 0, $0.severity) }
    }

    func codes(_ text: String, as name: String) -> [String] { lint(text, as: name).map(\.0) }

    /// The lines of a ConfigMap named `name` up to its `data:` key.
    static func configMapHeader(_ name: String) -> String { "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)\ndata:" }

    // MARK: the real-world corpus

    func testCorpusFindsEachSettingAtItsLineAndNothingElse() throws {
        let dir = TestSupport.fixtures + "/linger/corpus"
        let expected: [String: [(String, Int, Severity)]] = [
            "tfrain-somecode-server-main.go": [("TW501", 22, .warning)],
            "edte-unp-go-client1.go": [("TW501", 11, .warning)],
            "edte-unp-go-client.go": [],
            "kubernetes-probe-dialer_others.go": [("TW502", 15, .warning)],
            "nomad-portfree-socket_unix.go": [],
            "xpaw-_patch.py": [("TW501", 11, .warning)],
            "fast-sse-axum-tcp_configuration.rs": [("TW501", 12, .warning)],
            "Netty-book-EchoServerV4.java": [("TW501", 9, .warning)],
            "jnp4-OptionSetExample.java": [("TW502", 10, .warning)],
            "bglibs-net-linger.c": [("TW502", 12, .info)],
            "TCPServerCore-SocketUtils.cs": [("TW502", 10, .info)],
            "contrail-openstack-haproxy.cfg": [("TW501", 6, .warning)],
            "ingress-nginx-nginx.conf": [("TW503", 10, .info)],
            "dogu-device-server-tcp-relay.service.ts": [("TW501", 18, .warning)],
            "okhttp-DelegatingSSLSocket.kt": [],
            "lucene-solr-jetty-http.xml": [],
            "jetty-project-http.mod": [],
            "tomcat-AbstractEndpoint.java": [("TW501", 24, .warning)],
            "haproxy-dev-poll-poll.c": [("TW501", 28, .warning)],
            "akka-net-TcpConnection.cs": [("TW501", 21, .warning)],
            "AndroidViewClient-adbclient.py": [("TW501", 20, .warning)],
            "NetSessionTester-TcpTester.kt": [("TW501", 39, .warning)],
            "ktor-HttpServerJvmTestSuite.kt": [("TW501", 21, .warning)],
            "ktor-HttpRequestLifecycleTest.kt": [("TW501", 20, .warning)],
            "canbary-cms-TomcatConfig.java": [("TW501", 29, .warning)],
            "gwt-JettyLauncher.java": [("TW501", 28, .warning)],
            "dynamic-load-balancer-nginx.conf": [("TW504", 20, .warning)],
        ]
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "INDEX.md" }
        XCTAssertEqual(Set(files), Set(expected.keys), "every corpus file has an expectation and an INDEX entry")
        let index = try String(contentsOfFile: dir + "/INDEX.md", encoding: .utf8)
        for (file, want) in expected {
            XCTAssertTrue(index.contains("| \(file) |"), "\(file) is in INDEX.md with its origin")
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            let got = lint(text, as: file)
            XCTAssertEqual(got.map(\.0), want.map(\.0), file)
            XCTAssertEqual(got.map(\.1), want.map(\.1), "\(file): lines")
            XCTAssertEqual(got.map(\.2), want.map(\.2), "\(file): severities")
        }
    }

    /// The same corpus walked as a directory: every file is picked up by name and content, INDEX.md is not.
    func testCorpusDirectoryWalk() {
        let report = linter.lint(paths: [TestSupport.fixtures + "/linger/corpus"], options: LintOptions())
        let tw5 = report.findings.filter { $0.code.hasPrefix("TW5") }
        XCTAssertEqual(tw5.count, 22)
        XCTAssertFalse(report.findings.contains { $0.location?.path.hasSuffix("INDEX.md") == true })
        XCTAssertFalse(report.findings.contains { $0.code == "TW901" }, "no source or proxy file was read as sysctl syntax")
        XCTAssertFalse(report.hadUnreadableInput)
    }

    // MARK: look-alikes: comments, strings, non-zero, other APIs

    func testGoLookAlikes() {
        let base = "package p\n\nimport \"net\"\n\nfunc f(c *net.TCPConn) {\n"
        XCTAssertEqual(codes(base + "\tc.SetLinger(0)\n}\n", as: "a.go"), ["TW501"])
        XCTAssertEqual(codes(base + "\t// c.SetLinger(0)\n\t/* c.SetLinger(0) */\n}\n", as: "a.go"), [])
        XCTAssertEqual(codes(base + "\ts := \"c.SetLinger(0)\"\n\tt := `c.SetLinger(0)`\n\t_, _ = s, t\n}\n", as: "a.go"), [])
        XCTAssertEqual(codes(base + "\tc.SetLinger(-1)\n}\n", as: "a.go"), [])
        XCTAssertEqual(lint(base + "\tc.SetLinger(10)\n}\n", as: "a.go").map(\.2), [.warning])
        XCTAssertEqual(lint(base + "\tc.SetLinger(n)\n}\n", as: "a.go").map(\.2), [.info])
        // A ZeroMQ socket's SetLinger(time.Duration) is not TCP SO_LINGER.
        let zmq = "package p\n\nimport (\n\t\"net\"\n\tzmq \"github.com/pebbe/zmq4\"\n)\n\nfunc f(s *zmq.Socket) { s.SetLinger(0) }\n"
        XCTAssertEqual(codes(zmq, as: "q.go"), [])
        // Without the net package there is no TCPConn.
        XCTAssertEqual(codes("package p\n\nfunc f(s Thing) { s.SetLinger(0) }\n", as: "t.go"), [])
        // Omitted composite-literal fields are zero: Onoff 1 alone is an abortive close.
        XCTAssertEqual(codes("package p\n\nimport \"syscall\"\n\nfunc f(fd int) {\n\tsyscall.SetsockoptLinger(fd, syscall.SOL_SOCKET, syscall.SO_LINGER, &syscall.Linger{Onoff: 1})\n}\n", as: "s.go"), ["TW501"])
        // A variable holding the struct.
        XCTAssertEqual(codes("package p\n\nimport \"golang.org/x/sys/unix\"\n\nfunc f(fd int) {\n\tl := unix.Linger{Onoff: 1, Linger: 0}\n\tunix.SetsockoptLinger(fd, unix.SOL_SOCKET, unix.SO_LINGER, &l)\n}\n", as: "u.go"), ["TW501"])
    }

    /// Ktor's `lingerSeconds` (TCPClientSocketOptions, applied as SO_LINGER when ≥ 0), bare in the socket builder's
    /// lambda or after a `.`, only where io.ktor.network is imported.
    func testKtorLingerSeconds() {
        let ktor = "import io.ktor.network.sockets.*\n\nsuspend fun f(s: SelectorManager) {\n"
        func connect(_ body: String) -> String { ktor + "    aSocket(s).tcp().connect(\"h\", 1) {\n        \(body)\n    }\n}\n" }
        XCTAssertEqual(lint(connect("lingerSeconds = 0"), as: "K.kt").map(\.0), ["TW501"])
        XCTAssertEqual(lint(connect("noDelay = true; lingerSeconds = 0"), as: "K.kt").map(\.0), ["TW501"])
        XCTAssertEqual(lint(connect("lingerSeconds = 5"), as: "K.kt").map(\.0), ["TW502"])
        XCTAssertEqual(lint(connect("lingerSeconds = n"), as: "K.kt").map(\.2), [.info])
        XCTAssertEqual(codes(connect("lingerSeconds = -1"), as: "K.kt"), [])
        XCTAssertEqual(codes(ktor + "    val o = SocketOptions.create()\n    o.tcp().lingerSeconds = 0\n}\n", as: "K.kt"), ["TW501"])
        // Look-alikes: a declaration, a comparison, a comment, a string, and the same name without Ktor.
        XCTAssertEqual(codes(ktor + "    var lingerSeconds = 0\n    val x = lingerSeconds == 0\n    // lingerSeconds = 0\n    val t = \"lingerSeconds = 0\"\n}\n", as: "K.kt"), [])
        XCTAssertEqual(codes("package io.ktor.network.sockets\n\nclass O {\n    var lingerSeconds: Int = -1\n    fun copy(from: O) {\n        lingerSeconds = 0\n    }\n}\n", as: "O.kt"), [])
        XCTAssertEqual(codes("import java.net.Socket\n\nfun f() {\n    config {\n        lingerSeconds = 0\n    }\n}\n", as: "C.kt"), [])
    }

    /// Proxy and server configurations report the directive's own column (bytes from 1), also inside a ConfigMap's
    /// block scalar, and Tomcat the line of the attribute in a start tag written over several lines.
    func testConfigurationColumns() {
        func at(_ text: String, as name: String) -> [String] {
            let findings = linter.lintData(Data(text.utf8), path: name, options: LintOptions(), explicit: true) ?? []
            return findings.filter { $0.code.hasPrefix("TW5") }.map { "\($0.code)@\($0.location?.line ?? 0):\($0.location?.column ?? 0)" }
        }
        XCTAssertEqual(at("defaults\n    option nolinger\nbackend b\n\tno option nolinger\nbackend c\n  server s 1.2.3.4:80\n", as: "haproxy.cfg"), ["TW501@2:5"])
        XCTAssertEqual(at("http {\n    lingering_close off;\n    server { lingering_time 10s; }\n}\n", as: "nginx.conf"), ["TW504@2:5", "TW505@3:14"])
        let tomcat = "<Server>\n  <Service name=\"Catalina\">\n    <Connector port=\"8080\"\n               protocol=\"HTTP/1.1\"\n               connectionLinger=\"0\"\n               redirectPort=\"8443\" />\n  </Service>\n</Server>\n"
        XCTAssertEqual(at(tomcat, as: "conf/server.xml"), ["TW501@5:16"])
        XCTAssertEqual(at("<Server><Service><Connector port=\"8080\" socket.soLingerOn=\"true\" socket.soLingerTime=\"5\"/></Service></Server>\n", as: "conf/server.xml"), ["TW502@1:41"])
        let jetty = "<?xml version=\"1.0\"?>\n<Configure id=\"Server\" class=\"org.eclipse.jetty.server.Server\">\n  <New class=\"org.eclipse.jetty.server.ServerConnector\">\n      <Set name=\"soLingerTime\">0</Set>\n  </New>\n</Configure>\n"
        XCTAssertEqual(at(jetty, as: "etc/jetty-http.xml"), ["TW501@4:7"])
        XCTAssertEqual(at("# start.ini\n  jetty.http.soLingerTime=0\n", as: "start.ini"), ["TW501@2:3"])
        let cm = Self.configMapHeader("p") + "\n  haproxy.cfg: |\n    defaults\n      option nolinger\n  nginx.conf: |\n      http {\n          lingering_close off;\n      }\n"
        XCTAssertEqual(at(cm, as: "cm.yaml"), ["TW501@8:7", "TW504@11:11"])
    }

    func testJavaAndKotlinLookAlikes() {
        XCTAssertEqual(codes("class A { void f(Socket s) throws Exception { s.setSoLinger(true, 0); } }", as: "A.java"), ["TW501"])
        XCTAssertEqual(codes("class A { void f(Socket s) throws Exception { s.setSoLinger(false, 0); } }", as: "A.java"), [])
        XCTAssertEqual(codes("class A { // s.setSoLinger(true, 0);\n String x = \"setSoLinger(true, 0)\"; String y = \"\"\"\n s.setSoLinger(true, 0);\n \"\"\"; }", as: "A.java"), [])
        XCTAssertEqual(codes("class A { void f(Socket s) throws Exception { s.setSoLinger(true, 30); } }", as: "A.java"), ["TW502"])
        // Declarations and overrides are not calls.
        // An override of the same method that hands its own parameters on is the API itself, not a setting.
        XCTAssertEqual(codes("class W extends Socket { @Override public void setSoLinger(boolean on, int linger) throws SocketException { super.setSoLinger(on, linger); } }", as: "W.java"), [])
        XCTAssertEqual(codes("class W(val d: Socket) {\n  override fun setSoLinger(on: Boolean, timeout: Int) {\n    d.setSoLinger(on, timeout)\n  }\n}\n", as: "W.kt"), [])
        // Inside a linger setter's own implementation, values taken from its parameters are the API (Netty's
        // DefaultSocketChannelConfig and setOption dispatch, Tomcat's AbstractEndpoint); a literal there is still found.
        let netty = """
        class C {
            public C setSoLinger(int soLinger) {
                if (soLinger < 0) { javaSocket.setSoLinger(false, 0); } else { javaSocket.setSoLinger(true, soLinger); }
                return this;
            }
            public <T> boolean setOption(ChannelOption<T> option, T value) {
                if (option == SO_LINGER) { setSoLinger((Integer) value); }
                return true;
            }
            public void setConnectionLinger(int connectionLinger) { socketProperties.setSoLingerTime(connectionLinger); }
            void unlock() { s.setSoLinger(true, 0); }
        }
        """
        XCTAssertEqual(lint(netty, as: "C.java").map { "\($0.0)@\($0.1)" }, ["TW501@11"])
        // A helper with another name that forwards its parameters still sets a linger twlint cannot read: info.
        XCTAssertEqual(lint("class H { static void apply(Socket s, boolean on, int n) throws Exception { s.setSoLinger(on, n); } }", as: "H.java").map(\.2), [.info])
        // A name that is not a parameter of the enclosing function is still an unknown value.
        XCTAssertEqual(lint("class A { void f(Socket s) throws Exception { s.setSoLinger(on, seconds); } }", as: "A.java").map(\.2), [.info])
        XCTAssertEqual(codes("class W { public void setSoLinger(boolean on, int linger) { this.on = on; } }", as: "W.java"), [])
        XCTAssertEqual(codes("override fun setSoLinger(on: Boolean, linger: Int) { }", as: "W.kt"), [])
        // ZeroMQ's setLinger is a different API.
        XCTAssertEqual(codes("class A { void f(ZMQ.Socket s) { s.setLinger(0); } }", as: "A.java"), [])
        XCTAssertEqual(codes("fun drop(s: java.net.Socket) { s.setSoLinger(true, 0) }\n/* nested /* s.setSoLinger(true, 0) */ still comment */", as: "B.kt"), ["TW501"])
        XCTAssertEqual(codes("b.option(ChannelOption.SO_LINGER, -1);", as: "N.java"), [])
        XCTAssertEqual(codes("connector.setSoLingerTime(0);", as: "J.java"), ["TW501"])
        // One-argument builders (Vert.x options, Apache HttpClient 4 SocketConfig): -1 is their default.
        XCTAssertEqual(codes("HttpServerOptions o = new HttpServerOptions().setSoLinger(0);", as: "V.java"), ["TW501"])
        XCTAssertEqual(codes("SocketConfig c = SocketConfig.custom().setSoLinger(-1).build();", as: "H.java"), [])
        // Tomcat's setConnectionLinger(n): soLingerOn = n >= 0 (AbstractEndpoint), from Java or Kotlin.
        XCTAssertEqual(lint("class C { void f(AbstractProtocol<?> p) { p.setConnectionLinger(0); p.setConnectionLinger(-1); p.setConnectionLinger(5); } }", as: "C.java").map { "\($0.0)@\($0.2)" },
                       ["TW501@warning", "TW502@warning"])
        // Kotlin property syntax for the one-argument setters; declarations, comments, strings and negatives are not.
        let kt = """
        fun f(cfg: SocketConfig, p: AbstractProtocol<*>, c: ServerConnector) {
            cfg.soLinger = 0
            var soLinger = 0
            val s = "cfg.soLinger = 0"
            // cfg.soLinger = 0
            cfg.soLinger = -1
            p.connectionLinger = 5
            c.soLingerTime = 0
            c.soLingerTime = -1
            cfg.soLinger == 0
        }
        """
        XCTAssertEqual(lint(kt, as: "K.kt").map { "\($0.0)@\($0.1)" }, ["TW501@2", "TW502@7", "TW501@8"])
    }

    func testPythonLookAlikes() {
        let head = "import socket, struct\ns = socket.socket()\n"
        XCTAssertEqual(codes(head + "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\n", as: "a.py"), ["TW501"])
        XCTAssertEqual(codes(head + "l = struct.pack(\"ii\", 1, 0)\ns.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, l)\n", as: "a.py"), ["TW501"])
        XCTAssertEqual(codes(head + "on = 1\noff = 0\ns.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', on, off))\n", as: "a.py"), ["TW501"])
        XCTAssertEqual(codes(head + "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00')\n", as: "a.py"), ["TW501"])
        XCTAssertEqual(codes(head + "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00')\n", as: "a.py"), [])
        XCTAssertEqual(codes(head + "\"\"\"\ns.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))\n\"\"\"\n", as: "a.py"), [])
        XCTAssertEqual(codes(head + "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 5))\n", as: "a.py"), ["TW502"])
        XCTAssertEqual(codes(head + "s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)\n", as: "a.py"), [])
        // Only two 4-byte integers are a struct linger: 'dd' packs doubles (l_onoff reads the low half of 1.0: 0).
        XCTAssertEqual(codes(head + "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('dd', 1, 0))\n", as: "a.py"), [])
        XCTAssertEqual(codes(head + "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('=LL', 1, 0))\n", as: "a.py"), ["TW501"])
        XCTAssertEqual(codes(head + "s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('2i', 1, 0))\n", as: "a.py"), ["TW501"])
    }

    func testRustNodeDotNetAndCLookAlikes() {
        XCTAssertEqual(codes("fn f(s: &TcpStream) { s.set_linger(Some(Duration::ZERO)).unwrap(); }", as: "a.rs"), ["TW501"])
        XCTAssertEqual(codes("fn f(s: &TcpStream) { s.set_linger(Some(Duration::from_secs(5))).unwrap(); }", as: "a.rs"), ["TW502"])
        XCTAssertEqual(codes("fn f(s: &TcpStream) { s.set_linger(None).unwrap(); let x = r#\"s.set_linger(Some(Duration::ZERO))\"#; }", as: "a.rs"), [])
        // std and socket2 truncate to whole seconds: 500 ms is a zero linger.
        XCTAssertEqual(codes("fn f(s: &TcpStream) { s.set_linger(Some(Duration::from_millis(500))).unwrap(); }", as: "a.rs"), ["TW501"])
        XCTAssertEqual(codes("fn f(s: &TcpStream) { s.set_linger(Some(Duration::from_millis(2500))).unwrap(); }", as: "a.rs"), ["TW502"])
        XCTAssertEqual(codes("fn f<'a>(s: &'a TcpStream) { /* /* s.set_linger(Some(Duration::ZERO)) */ */ s.set_linger(Some(Duration::new(0, 0))); }", as: "a.rs"), ["TW501"])
        XCTAssertEqual(codes("const t = `socket.resetAndDestroy()`; // socket.resetAndDestroy()\nsocket.resetAndDestroy();", as: "a.js"), ["TW501"])
        // Symbian's RPointerArray::ResetAndDestroy() and a user method with another receiver case are not Node's.
        XCTAssertEqual(codes("CFoo::~CFoo() { iArray.ResetAndDestroy(); }", as: "foo.cpp"), [])
        XCTAssertEqual(codes("list.ResetAndDestroy(); // socket.resetAndDestroy()", as: "a.js"), [])
        XCTAssertEqual(codes("process.on('exit', () => { this.connection?.resetAndDestroy(); });", as: "a.ts"), ["TW501"])
        XCTAssertEqual(codes("s.LingerState = new LingerOption(enable: true, seconds: 0);", as: "a.cs"), ["TW501"])
        XCTAssertEqual(codes("var x = @\"new LingerOption(true, 0)\"; s.LingerState = new LingerOption(true, 10);", as: "a.cs"), ["TW502"])
        XCTAssertEqual(codes("static readonly LingerOption NoLinger = new(true, 0);", as: "a.cs"), ["TW501"])
        // C: designated initialiser, compound literal, memset, and a struct that only turns linger off.
        XCTAssertEqual(codes("void f(int fd) {\n struct linger l = { .l_onoff = 1, .l_linger = 0 };\n setsockopt(fd, SOL_SOCKET, SO_LINGER, (char *)&l, sizeof(l));\n}\n", as: "a.c"), ["TW501"])
        XCTAssertEqual(codes("void f(int fd) {\n setsockopt(fd, SOL_SOCKET, SO_LINGER, &(struct linger){1, 0}, sizeof(struct linger));\n}\n", as: "a.c"), ["TW501"])
        XCTAssertEqual(codes("void f(int fd) {\n struct linger l;\n memset(&l, 0, sizeof l);\n setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);\n}\n", as: "a.cpp"), [])
        XCTAssertEqual(codes("void f(int fd) {\n struct linger l;\n l.l_onoff = 1; l.l_linger = 0;\n /* setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l); */\n const char *s = \"setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l)\";\n}\n", as: "a.c"), [])
        // Two functions in one C++ namespace: the values come from the calling function only.
        XCTAssertEqual(codes("namespace n {\nvoid g() { struct linger l; l.l_onoff = 1; l.l_linger = 0; }\nvoid f(int fd, linger l) const {\n setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);\n}\n}\n", as: "a.cc"), [])
        // The struct's values are taken from the same function only.
        XCTAssertEqual(codes("void g(void) { struct linger l = {1, 0}; }\nvoid f(int fd, struct linger l) {\n setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);\n}\n", as: "a.c"), [])
    }

    // MARK: proxy and server configurations

    func testHAProxySectionsAndInheritance() {
        // defaults inherited by two proxies, one of which turns it off.
        let cfg = "global\n    daemon\n\ndefaults\n    mode tcp\n    option nolinger\n\nfrontend fe\n    bind :80\n\nbackend be\n    no option nolinger\n    server s 10.0.0.1:80\n"
        let findings = linter.lintData(Data(cfg.utf8), path: "haproxy.cfg", options: LintOptions(), explicit: true) ?? []
        XCTAssertEqual(findings.map(\.code), ["TW501"])
        XCTAssertEqual(findings.first?.location?.line, 6)
        XCTAssertTrue(findings.first?.message.contains("inherited by frontend fe") == true)
        XCTAssertFalse(findings.first?.message.contains("backend be") == true)
        // Named defaults and `from`.
        let named = "defaults tcpdefs\n    option nolinger\ndefaults\n    mode http\nbackend a from tcpdefs\n    server s 1.1.1.1:80\nbackend b\n    server s 1.1.1.1:80\n"
        let f2 = linter.lintData(Data(named.utf8), path: "lb.cfg", options: LintOptions(), explicit: true) ?? []
        XCTAssertEqual(f2.map(\.code), ["TW501"])
        XCTAssertTrue(f2.first?.message.contains("inherited by backend a") == true, f2.first?.message ?? "")
        // A commented or quoted `option nolinger`, and `option nolinger` under global (not a proxy setting): nothing.
        XCTAssertEqual(codes("global\n    # option nolinger\n    log stdout format raw local0\nfrontend f\n    bind :80\n    http-request set-header X \"option nolinger\"\n", as: "haproxy.cfg"), [])
    }

    func testNginxBlocksAndLingeringClose() {
        let conf = """
        events { worker_connections 1024; }
        http {
            # reset_timedout_connection on;
            lingering_close off;
            lingering_timeout 10s;
            server {
                listen 80;
                location /upload { lingering_close always; lingering_time 60s; }
            }
            server {
                listen 81;
                reset_timedout_connection "on";
            }
        }
        """
        let got = lint(conf, as: "nginx.conf")
        XCTAssertEqual(got.map(\.0), ["TW504", "TW503"])
        XCTAssertEqual(got.map(\.1), [4, 12])
        // lingering_timeout at line 5 is still used by /upload, which turns draining back on: no TW505.
        XCTAssertEqual(codes("http {\n lingering_close off;\n lingering_time 30s;\n}\n", as: "site.conf"), ["TW504", "TW505"])
    }

    func testEnvoyOptions() {
        func envoy(_ option: String) -> [String] {
            codes("static_resources:\n  listeners:\n  - name: l\n    socket_options:\n    - level: 1\n      name: 13\n      \(option)\n", as: "envoy.yaml")
        }
        XCTAssertEqual(envoy("buf_value: AQAAAAAAAAA="), ["TW501"])
        XCTAssertEqual(envoy("buf_value: AQAAAAUAAAA="), ["TW502"])
        XCTAssertEqual(envoy("buf_value: AAAAAAAAAAA="), [])
        XCTAssertEqual(envoy("int_value: 1"), ["TW506"])
        XCTAssertEqual(envoy("buf_value: \"not base64!\""), ["TW506"])
        // JSON form, and SO_KEEPALIVE (name 9) which is not linger.
        XCTAssertEqual(codes("{\"socket_options\": [{\"level\": \"1\", \"name\": \"13\", \"buf_value\": \"AQAAAAAAAAA=\"}]}", as: "bootstrap.json"), ["TW501"])
        XCTAssertEqual(codes("{\"socket_options\": [{\"level\": 1, \"name\": 9, \"int_value\": 1}]}", as: "bootstrap.json"), [])
    }

    /// The places Envoy takes socket options, in its YAML and JSON forms: a cluster's upstream_bind_config, the
    /// bootstrap's cluster_manager.upstream_bind_config, a listener, an additional address's SocketOptionsOverride,
    /// an Istio EnvoyFilter patch (camelCase), and buf_value in any protobuf JSON base64 spelling.
    func testEnvoyForms() {
        let yaml = """
        static_resources:
          clusters:
          - name: backend
            upstream_bind_config:
              source_address: {address: 10.0.0.1, port_value: 0}
              socket_options:
              - {description: "SO_LINGER {1, 0}", level: 1, name: 13, buf_value: AQAAAAAAAAA=, state: STATE_PREBIND}
          listeners:
          - name: edge
            socket_options:
            - level: 1
              name: 13
              buf_value: AQAAAAAAAAA
            - level: 6
              name: 13
              buf_value: AQAAAAAAAAA=
            additional_addresses:
            - address: {socket_address: {address: "::", port_value: 8080}}
              socket_options:
                socket_options:
                - {level: "1", name: "13", buf_value: AQAAAAoAAAA=}
        cluster_manager:
          upstream_bind_config:
            source_address: {address: 0.0.0.0, port_value: 0}
            socket_options:
            - {level: 1, name: 13, int_value: 0}
        """
        let got = lint(yaml, as: "envoy.yaml")
        XCTAssertEqual(got.map { "\($0.0)@\($0.1)" }, ["TW501@7", "TW501@11", "TW502@21", "TW506@26"], "level 6 (IPPROTO_TCP) name 13 is TCP_CONGESTION, not SO_LINGER")
        let filter = """
        apiVersion: networking.istio.io/v1alpha3
        kind: EnvoyFilter
        metadata:
          name: linger
        spec:
          configPatches:
          - applyTo: LISTENER
            patch:
              operation: MERGE
              value:
                socketOptions:
                - level: 1
                  name: 13
                  bufValue: AQAAAAAAAAA=
                - level: 1
                  name: 9
                  intValue: 1
        """
        XCTAssertEqual(lint(filter, as: "filter.yaml").map { "\($0.0)@\($0.1)" }, ["TW501@12"])
        // level and name are int64 fields: Envoy takes numbers (or, in JSON, decimal strings), never the C names,
        // so a name is Envoy's configuration error to report, not a linger twlint could read.
        XCTAssertEqual(codes("socket_options:\n- {level: SOL_SOCKET, name: SO_LINGER, buf_value: AQAAAAAAAAA=}\n", as: "envoy.yaml"), [])
    }

    func testConfigMapValuesAreScannedAtTheirFileLines() {
        let yaml = """
        \(LingerTests.configMapHeader("edge"))
          haproxy.cfg: |
            defaults
                mode http
            backend api
                option nolinger
          nginx.conf: "http { reset_timedout_connection on; }"
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: web
                  image: nginx
        """
        let findings = linter.lintData(Data(yaml.utf8), path: "edge.yaml", options: LintOptions(), explicit: false) ?? []
        let tw5 = findings.filter { $0.code.hasPrefix("TW5") }
        XCTAssertEqual(tw5.map(\.code), ["TW501", "TW503"])
        XCTAssertEqual(tw5.map { $0.location?.line }, [10, 11])
        XCTAssertEqual(tw5.first?.location?.object, "ConfigMap/edge data.haproxy.cfg")
        // A ConfigMap with nothing to say, in a walk: passed over like any other non-workload YAML.
        let quiet = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata:\n  haproxy.cfg: |\n    backend a\n        server s 1.1.1.1:80\n"
        XCTAssertNil(linter.lintData(Data(quiet.utf8), path: "q.yaml", options: LintOptions(), explicit: false))
    }

    /// Directives written inside a ConfigMap value, in the embedded format's own comment style, suppress the
    /// finding they precede (or share a line with) at the manifest's line; one that suppresses nothing is TW910 there.
    func testDirectivesInsideConfigMapValues() {
        let yaml = """
        \(LingerTests.configMapHeader("edge"))
          haproxy.cfg: |
            backend api
                # twlint: disable=TW501 -- the upstream must see a reset
                option nolinger
            backend b
                option nolinger # twlint: disable=abortive-close
            backend c
                option nolinger
          server.xml: |
            <Server><Service>
              <!-- twlint: disable=TW501 -->
              <Connector port="80" connectionLinger="0"/>
              <!-- twlint: disable=TW502 -->
              <Connector port="81" connectionLinger="0"/>
            </Service></Server>
          nginx.conf: "http {\\n # twlint: disable=TW503\\n reset_timedout_connection on; }"
          extra-nginx.conf: |
            # twlint: disable=TW9999
            http { reset_timedout_connection on; }
        """
        let findings = linter.lintData(Data(yaml.utf8), path: "edge.yaml", options: LintOptions(), explicit: true) ?? []
        XCTAssertEqual(findings.map { "\($0.code)@\($0.location?.line ?? 0)" }, ["TW501@13", "TW910@18", "TW501@19", "TW911@23", "TW503@24"],
                       findings.map(\.message).joined(separator: "\n"))
        XCTAssertEqual(findings.first?.location?.object, "ConfigMap/edge data.haproxy.cfg")
        // The same ConfigMap with the directives turned into plain comments: all seven settings are found.
        let bare = yaml.replacingOccurrences(of: "twlint:", with: "note:")
        XCTAssertEqual(linter.lintData(Data(bare.utf8), path: "edge.yaml", options: LintOptions(), explicit: true)?.map(\.code).filter { $0.hasPrefix("TW5") }.count, 7)
        // A disable-file directive inside one value covers the whole manifest file, as in any input.
        let file = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: f\ndata:\n  haproxy.cfg: |\n    # twlint: disable-file=TW501\n    backend a\n        option nolinger\n"
        XCTAssertEqual((linter.lintData(Data(file.utf8), path: "f.yaml", options: LintOptions(), explicit: true) ?? []).map(\.code), [])
    }

    func testTomcatAndJetty() {
        let tomcat = "<?xml version=\"1.0\"?>\n<Server port=\"8005\">\n  <Service name=\"Catalina\">\n    <Connector port=\"8080\" connectionLinger=\"0\"/>\n    <Connector port=\"8443\" connectionLinger=\"-1\"/>\n    <!-- <Connector port=\"9\" connectionLinger=\"0\"/> -->\n  </Service>\n</Server>\n"
        XCTAssertEqual(lint(tomcat, as: "server.xml").map { "\($0.0)@\($0.1)" }, ["TW501@4"])
        // socket.soLingerOn and socket.soLingerTime act only together, and connectionLinger overrides them.
        let sockets = "<Server><Service>\n<Connector port=\"1\" socket.soLingerOn=\"true\" socket.soLingerTime=\"0\"/>\n<Connector port=\"2\" socket.soLingerTime=\"0\"/>\n<Connector port=\"3\" socket.soLingerOn=\"false\" socket.soLingerTime=\"0\"/>\n<Connector port=\"4\" socket.soLingerOn=\"true\" socket.soLingerTime=\"10\"/>\n<Connector port=\"5\" connectionLinger=\"-1\" socket.soLingerOn=\"true\" socket.soLingerTime=\"0\"/>\n</Service></Server>\n"
        XCTAssertEqual(lint(sockets, as: "server.xml").map { "\($0.0)@\($0.1)" }, ["TW501@2", "TW502@5"])
        // Tomcat's SocketProperties.setSoLingerTime stores seconds only; it is not Jetty's milliseconds.
        XCTAssertEqual(codes("import org.apache.tomcat.util.net.SocketProperties;\nclass T { void f(SocketProperties p) { p.setSoLingerTime(5); } }", as: "T.java"), [])
        XCTAssertEqual(codes("class T { void f(Endpoint e) { e.getSocketProperties().setSoLingerTime(5); } }", as: "T.java"), [])
        let jetty = "<?xml version=\"1.0\"?>\n<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"https://www.eclipse.org/jetty/configure_9_3.dtd\">\n<Configure id=\"Server\" class=\"org.eclipse.jetty.server.Server\">\n  <New class=\"org.eclipse.jetty.server.ServerConnector\">\n    <Set name=\"soLingerTime\"><Property name=\"jetty.http.soLingerTime\" default=\"-1\"/></Set>\n    <Set name=\"soLingerTime\">5000</Set>\n    <Set name=\"soLingerTime\">500</Set>\n  </New>\n</Configure>\n"
        // Jetty 9 divides by 1000: 5000 is a 5 s linger, 500 is a zero linger.
        XCTAssertEqual(lint(jetty, as: "jetty-http.xml").map { "\($0.0)@\($0.1)" }, ["TW502@6", "TW501@7"])
        XCTAssertEqual(codes("# jetty.http.soLingerTime=0\njetty.http.soLingerTime=0\n", as: "start.ini"), ["TW501"])
        // An internal DTD subset is refused (no entity expansion), so nothing is read from it.
        XCTAssertEqual(codes("<!DOCTYPE x [<!ENTITY a \"b\">]>\n<Configure class=\"org.eclipse.jetty.server.Server\"><Set name=\"soLingerTime\">0</Set></Configure>", as: "jetty.xml"), [])
    }

    func testInlineDirectivesSuppressAndAreCheckedForUse() {
        let go = "package p\n\nimport \"net\"\n\nfunc f(c *net.TCPConn) {\n\t// twlint: disable=TW501 -- protocol error path, the peer must see a reset\n\tc.SetLinger(0)\n\tc.SetLinger(0) // twlint: disable=abortive-close\n\tc.SetLinger(0)\n}\n"
        XCTAssertEqual(lint(go, as: "a.go").map { "\($0.0)@\($0.1)" }, ["TW501@9"])
        let cfg = "backend api\n    # twlint: disable=TW502\n    option nolinger\n"
        let findings = linter.lintData(Data(cfg.utf8), path: "haproxy.cfg", options: LintOptions(), explicit: true) ?? []
        XCTAssertEqual(findings.map(\.code), ["TW910", "TW501"], "a directive naming another rule suppresses nothing and says so")
        let file = "<!-- twlint: disable-file=TW501 -->\n<Server><Service><Connector port=\"80\" connectionLinger=\"0\"/></Service></Server>\n"
        XCTAssertEqual((linter.lintData(Data(file.utf8), path: "server.xml", options: LintOptions(), explicit: true) ?? []).map(\.code), [])
        let bad = "backend api\n    # twlint: enable=TW501\n    option nolinger\n"
        XCTAssertEqual((linter.lintData(Data(bad.utf8), path: "haproxy.cfg", options: LintOptions(), explicit: true) ?? []).map(\.code), ["TW911", "TW501"])
    }

    // MARK: detection and walks

    func testSysctlFilesAreNeverTakenForProxyConfigurations() {
        XCTAssertNil(LingerInputs.classify(path: "/etc/sysctl.d/99-net.conf", text: "net.ipv4.tcp_fin_timeout = 30\nnet.core.somaxconn = 4096\n"))
        XCTAssertNil(LingerInputs.classify(path: "nginx-tuning.conf", text: "net.ipv4.tcp_tw_reuse = 1\n"))
        XCTAssertEqual(LingerInputs.classify(path: "site.conf", text: "server {\n  listen 80;\n}\n"), .nginx)
        // An nginx include made only of `directive …;` lines (nginx's own conf/fastcgi.conf) is nginx, not sysctl.
        XCTAssertEqual(LingerInputs.classify(path: "conf/fastcgi.conf", text: "\nfastcgi_param  SCRIPT_FILENAME    $document_root$fastcgi_script_name;\nfastcgi_param  QUERY_STRING       $query_string;\n"), .nginx)
        XCTAssertNil(LingerInputs.classify(path: "99-x.conf", text: "; a sysctl comment;\nkernel.pid_max = 65536\n"))
        XCTAssertNil(LingerInputs.classify(path: "99-y.conf", text: "; only comments;\n"))
        // Lua inside an nginx block (ingress-nginx's e2e echo image) is not a sysctl assignment.
        XCTAssertEqual(LingerInputs.classify(path: "rootfs/nginx.conf", text: "events {\n    worker_connections 1024;\n}\nhttp {\n  server {\n    content_by_lua_block {\n      ngx.header[\"Server\"] = \"echoserver\"\n      ngx.var.x = 1\n    }\n  }\n}\n"), .nginx)
        XCTAssertEqual(LingerInputs.classify(path: "lb.conf", text: "frontend f\n    bind :80\n    default_backend b\n"), .haproxy)
        // The sysctl rules still run on a sysctl file with a haproxy-ish name.
        let findings = linter.lintData(Data("net.ipv4.tcp_tw_recycle = 1\n".utf8), path: "haproxy-host.conf", options: LintOptions(), explicit: true) ?? []
        XCTAssertTrue(findings.contains { $0.code.hasPrefix("TW1") })
    }

    func testWalkSkipsSourceWithoutLingerAndKeepsSysctl() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("class A { int x = 1; }\n", to: dir + "/src/A.java")
        try TestSupport.write("<project><modelVersion>4.0.0</modelVersion></project>\n", to: dir + "/pom.xml")
        try TestSupport.write("[section]\nkey=value\n", to: dir + "/setup.cfg")
        try TestSupport.write("net.ipv4.tcp_tw_reuse = 1\n", to: dir + "/sysctl.d/10.conf")
        try FileManager.default.createDirectory(atPath: dir + "/node_modules/popper.js", withIntermediateDirectories: true)
        try TestSupport.write("class B { void f(java.net.Socket s) throws Exception { s.setSoLinger(true, 0); } }\n", to: dir + "/src/B.java")
        let report = linter.lint(paths: [dir], options: LintOptions())
        XCTAssertEqual(report.inputsRead, 2, "the sysctl file and B.java; A.java, pom.xml and setup.cfg say nothing")
        XCTAssertEqual(report.findings.filter { $0.code == "TW501" }.map { ($0.location?.path as NSString?)?.lastPathComponent }, ["B.java"])
        XCTAssertFalse(report.findings.contains { $0.code.hasPrefix("TW90") }, report.findings.map(\.message).joined(separator: "\n"))
        XCTAssertFalse(report.hadUnreadableInput, "a directory named like a source file (popper.js/) is not an input")
        // Named on the command line, a source file without SO_LINGER is read and clean.
        let explicit = linter.lint(paths: [dir + "/src/A.java"], options: LintOptions())
        XCTAssertEqual(explicit.inputsRead, 1)
        XCTAssertTrue(explicit.findings.isEmpty)
    }

    // MARK: hostile inputs stay bounded

    func testHostileInputsAreBounded() {
        // Deep nesting, unterminated strings and comments, binary bytes: no crash, bounded work, no findings.
        let deep = String(repeating: "http {", count: 5000) + " reset_timedout_connection on; "
        _ = lint(deep, as: "nginx.conf")
        XCTAssertEqual(codes("package p\nimport \"net\"\nfunc f(c *net.TCPConn) { s := \"unterminated\n c.SetLinger(0) }\n", as: "a.go"), ["TW501"],
                       "a single-line string ends at the end of its line")
        XCTAssertEqual(codes("/* never closed\n c.setSoLinger(true, 0);", as: "A.java"), [])
        XCTAssertEqual(codes(String(repeating: "setsockopt(", count: 20000), as: "x.c"), [])
        // A file full of candidate calls and unclosed blocks: the per-file cap on calls bounds the work and the output.
        let many = String(repeating: "void f() { struct linger l; l.l_onoff = 1; setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l); {{{\n", count: 5000)
        XCTAssertEqual(codes(many, as: "big.c").count, SourceScanner.maxCallsPerName)
        // Unbalanced braces and parentheses before every call: the search for the enclosing linger setter is
        // bounded (400 tokens, 16 blocks, 512-token parameter lists) and each call is still an info finding.
        let unbalanced = String(repeating: "a ", count: 20000) + ")\n" + String(repeating: "{ ) { ) { s.setSoLinger(a, b);\n", count: 1500)
        XCTAssertEqual(lint(unbalanced, as: "U.java").map(\.2), Array(repeating: .info, count: SourceScanner.maxCallsPerName))
        // Flow nesting beyond the manifest reader's bound is not handed to the YAML parser, and a ConfigMap
        // holding a ConfigMap is not opened twice.
        let nested = "socket_options: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        XCTAssertEqual(codes(nested, as: "envoy.yaml"), [])
        let inner = "apiVersion: v1\nkind: ConfigMap\ndata:\n  haproxy.cfg: |\n    backend a\n        option nolinger\n"
        let outer = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outer\ndata:\n  inner.yaml: |\n" + inner.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n") + "\n"
        XCTAssertEqual(codes(outer, as: "outer.yaml"), [])
        var bytes = [UInt8](repeating: 0xFF, count: 4096)
        bytes += Array("SetLinger(0)".utf8)
        let findings = linter.lintData(Data(bytes), path: "bin.go", options: LintOptions(), explicit: true)
        XCTAssertNotNil(findings)
    }

    // MARK: the oracle: a real kernel in a private network namespace

    /// The oracle's report, run once for both oracle tests (it takes about 5 s: two 2 s lingering closes).
    nonisolated(unsafe) static var cachedOracle: [String: Any]?

    func oracle() throws -> [String: Any] {
        if let cached = LingerTests.cachedOracle { return cached }
        let json = try runOracle()
        LingerTests.cachedOracle = json
        return json
    }

    /// Runs the oracle program in a new network namespace (loopback up) and returns its JSON report.
    func runOracle() throws -> [String: Any] {
        guard getuid() == 0 else { throw XCTSkip("needs root to create a network namespace (unshare -n)") }
        guard (try? TestSupport.run(["-n", "true"], executable: "/usr/bin/unshare"))?.status == 0 else {
            throw XCTSkip("unshare -n is not permitted here")
        }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ss") || FileManager.default.isExecutableFile(atPath: "/bin/ss") else {
            throw XCTSkip("ss (iproute2) is needed to count TIME_WAIT sockets")
        }
        let script = TestSupport.fixtures + "/linger/oracle.py"
        let r = try TestSupport.run(["60", "unshare", "-n", "sh", "-c", "ip link set lo up && exec python3 \"$0\"", script],
                                    executable: "/usr/bin/timeout")
        guard r.status == 0, let data = r.stdout.data(using: .utf8),
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            if r.stderr.contains("python3: not found") { throw XCTSkip("python3 is not installed") }
            XCTFail("oracle failed (\(r.status)): \(r.stderr)")
            return [:]
        }
        return json
    }

    func testOracleAbortiveCloseResetsThePeerAndLeavesNoTimeWait() throws {
        let json = try oracle()
        let abortive = try XCTUnwrap(json["abortive"] as? [String: Any])
        XCTAssertEqual(abortive["peer"] as? [String], ["ECONNRESET", "ECONNRESET", "ECONNRESET"], "the peer reads ECONNRESET")
        XCTAssertEqual(abortive["time_wait"] as? Int, 0, "no TIME_WAIT socket remains")
        XCTAssertEqual(abortive["abort_on_data"] as? Int, 3, "TCPAbortOnData grows by one per connection")
        XCTAssertEqual(abortive["abort_on_close"] as? Int, 0)
        // The control: the same exchange closed normally ends in EOF and one TIME_WAIT per connection.
        let graceful = try XCTUnwrap(json["graceful"] as? [String: Any])
        XCTAssertEqual(graceful["peer"] as? [String], ["eof", "eof", "eof"])
        XCTAssertEqual(graceful["time_wait"] as? Int, 3)
        XCTAssertEqual(graceful["abort_on_data"] as? Int, 0)
        // Unread received data takes precedence: the close is a RST counted as TCPAbortOnClose, not TCPAbortOnData.
        let unread = try XCTUnwrap(json["abortive_unread"] as? [String: Any])
        XCTAssertEqual(unread["peer"] as? [String], ["ECONNRESET", "ECONNRESET", "ECONNRESET"])
        XCTAssertEqual(unread["abort_on_close"] as? Int, 3)
        XCTAssertEqual(unread["abort_on_data"] as? Int, 0)
        // An int-sized SO_LINGER value (Envoy's int_value) is refused by the kernel (TW506).
        XCTAssertEqual(json["int_sized"] as? String, "EINVAL")
    }

    func testOracleBlockingLingerStallsCloseEvenWhenNonBlocking() throws {
        let json = try oracle()
        for key in ["blocking", "blocking_nonblocking"] {
            let b = try XCTUnwrap(json[key] as? [String: Any], key)
            let elapsed = try XCTUnwrap(b["elapsed"] as? Double)
            XCTAssertGreaterThanOrEqual(elapsed, 1.9, "\(key): close() waits for the linger time (2 s) on a peer that does not read")
            XCTAssertLessThan(elapsed, 6, key)
            XCTAssertEqual(b["close"] as? String, "ok", "\(key): close() returns 0 although the data was not delivered")
            XCTAssertGreaterThan(b["queued"] as? Int ?? 0, 0, key)
        }
    }

    /// The cheap pre-check in `LingerInputs.classify` (no `;{}` byte and no HAProxy section word: not HAProxy, not
    /// nginx) never hides a file the full checks would take: the real HAProxy and nginx fixtures, CRLF and indented
    /// variants, and sysctl look-alikes give the same answer through `classify` as through the full checks.
    func testConfPreCheckAgreesWithTheFullChecks() throws {
        let corpus = TestSupport.fixtures + "/linger/corpus"
        var texts = try ["contrail-openstack-haproxy.cfg", "ingress-nginx-nginx.conf"].map { try String(contentsOfFile: corpus + "/" + $0, encoding: .utf8) }
        texts += texts.map { $0.replacingOccurrences(of: "\n", with: "\r\n") }
        texts += texts.map { $0.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") }
        texts += ["global\n  maxconn 100\ndefaults\n  option nolinger\n", "listen\tstats\n  bind :8404\n", "net.core.somaxconn = 1\nstray line\n",
                  "worker_processes 1;\n", "ring\n", "# only a comment\n", ""]
        for (i, text) in texts.enumerated() {
            for name in ["x.conf", "x.cfg", "haproxy.conf"] {
                let full: LingerInputs.Format?
                if name.contains("haproxy") && LingerInputs.looksLikeHAProxy(text, strict: false) { full = .haproxy }
                else if LingerInputs.looksLikeHAProxy(text, strict: true) { full = .haproxy }
                else if LingerInputs.looksLikeNginx(text) { full = .nginx }
                else { full = nil }
                XCTAssertEqual(LingerInputs.classify(path: "/r/" + name, text: text).map { "\($0)" }, full.map { "\($0)" }, "text \(i) as \(name)")
            }
        }
    }
}
