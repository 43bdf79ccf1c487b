import Foundation
import XCTest
@testable import TWLintKit

/// The documentation site, checked the way a reader would meet it: every link goes somewhere, every page can be
/// reached from the index, every page parses as HTML, and kb text shows up literally.
final class DocsSiteTests: XCTestCase {
    /// The shipped site, generated once for the class.
    static let site: (dir: String, files: [String]) = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twlint-docs-\(UUID().uuidString)").path
        _ = try! DocsSite(kb: TestSupport.kb).write(to: dir)
        let files = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
        return (dir, files)
    }()

    override class func tearDown() {
        try? FileManager.default.removeItem(atPath: site.dir)
        super.tearDown()
    }

    static func read(_ rel: String) -> String {
        (try? String(contentsOfFile: site.dir + "/" + rel, encoding: .utf8)) ?? ""
    }

    /// href and src values of a page (the site writes attributes in double quotes).
    static func links(in html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"\s(?:href|src)="([^"]*)""#)
        let ns = html as NSString
        return regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map {
            ns.substring(with: $0.range(at: 1)).replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    static func ids(in html: String) -> Set<String> {
        let regex = try! NSRegularExpression(pattern: #"\sid="([^"]*)""#)
        let ns = html as NSString
        return Set(regex.matches(in: html, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range(at: 1)) })
    }

    /// Resolves an internal link of the page at `from` to a site path and a fragment; nil for external links.
    static func resolve(_ link: String, from: String) -> (path: String, fragment: String?)? {
        if link.hasPrefix("http://") || link.hasPrefix("https://") || link.hasPrefix("mailto:") { return nil }
        let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var components = from.split(separator: "/").dropLast().map(String.init)
        if parts[0].isEmpty { return (from, parts.count > 1 ? parts[1] : nil) }
        for c in parts[0].split(separator: "/") {
            if c == ".." { if components.isEmpty { return ("<outside the site>", nil) }; components.removeLast() }
            else if c != "." { components.append(String(c)) }
        }
        return (components.joined(separator: "/"), parts.count > 1 ? parts[1] : nil)
    }

    func testEveryKnowledgeEntryHasItsPageAtAStableURL() {
        let files = Set(Self.site.files)
        let kb = TestSupport.kb
        for r in kb.rules { XCTAssertTrue(files.contains("rules/\(r.code).html"), r.code) }
        for p in kb.sortedParameters { XCTAssertTrue(files.contains("parameters/\(p.key.replacingOccurrences(of: "*", with: "IFACE")).html"), p.key) }
        for t in kb.sortedTopics { XCTAssertTrue(files.contains("topics/\(t.id).html"), t.id) }
        for c in kb.sortedCounters { XCTAssertTrue(files.contains("counters/\(c.name).html"), c.name) }
        for s in kb.sortedSymptoms { XCTAssertTrue(files.contains("symptoms/\(s.id).html"), s.id) }
        let pages = files.filter { $0.hasSuffix(".html") }.count
        XCTAssertEqual(pages, 1 + kb.rules.count + kb.parameters.count + kb.topics.count + kb.counters.count + kb.symptoms.count)
    }

    func testNoBrokenInternalLinksAndNoMissingAnchors() {
        var checked = 0
        var broken: [String] = []
        var idCache: [String: Set<String>] = [:]
        for page in Self.site.files where page.hasSuffix(".html") {
            for link in Self.links(in: Self.read(page)) {
                guard let target = Self.resolve(link, from: page) else { continue }
                checked += 1
                guard FileManager.default.fileExists(atPath: Self.site.dir + "/" + target.path) else {
                    broken.append("\(page): \(link) (no file)")
                    continue
                }
                if let fragment = target.fragment, !fragment.isEmpty {
                    let ids = idCache[target.path] ?? Self.ids(in: Self.read(target.path))
                    idCache[target.path] = ids
                    if !ids.contains(fragment) { broken.append("\(page): \(link) (no id \(fragment))") }
                }
            }
        }
        XCTAssertGreaterThan(checked, 3000, "the link checker saw too few links to mean anything")
        XCTAssertEqual(broken, [], "\(broken.count) broken links")
    }

    func testEveryPageIsReachableFromTheIndex() {
        var seen: Set<String> = ["index.html"]
        var queue = ["index.html"]
        while let page = queue.popLast() {
            for link in Self.links(in: Self.read(page)) {
                guard let target = Self.resolve(link, from: page), target.path.hasSuffix(".html"), !seen.contains(target.path) else { continue }
                seen.insert(target.path)
                queue.append(target.path)
            }
        }
        let pages = Set(Self.site.files.filter { $0.hasSuffix(".html") })
        XCTAssertEqual(pages.subtracting(seen).sorted(), [])
    }

    func testSearchIndexListsEveryPageAndPointsAtRealFiles() throws {
        let data = Data(Self.read("search-index.json").utf8)
        let entries = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let pages = Self.site.files.filter { $0.hasSuffix(".html") && $0 != "index.html" }
        XCTAssertEqual(Set(entries.compactMap { $0["url"] as? String }), Set(pages))
        let reuse = try XCTUnwrap(entries.first { $0["name"] as? String == "net.ipv4.tcp_tw_reuse" })
        XCTAssertEqual(reuse["kind"] as? String, "parameter")
        XCTAssertTrue((reuse["aliases"] as? [String] ?? []).contains("tcp_tw_reuse"))
        // The script the index page loads carries the same data, for use from file:// without fetch().
        XCTAssertEqual(Self.read("search-index.js"), "window.TWLINT_SEARCH_INDEX = \(Self.read("search-index.json"));\n")
        let index = Self.read("index.html")
        XCTAssertTrue(index.contains(#"<script src="search-index.js"></script>"#))
        XCTAssertFalse(index.contains("http://") || Self.read("search.js").contains("http"), "the search must not need the network")
    }

    func testRuleAndParameterPagesCarryTheirContentAndCrossLinks() {
        let rule = Self.read("rules/TW103.html")
        XCTAssertTrue(rule.contains("tw-reuse-without-timestamps"))
        XCTAssertTrue(rule.contains(#"class="example trigger""#) && rule.contains(#"class="example pass""#))
        XCTAssertTrue(rule.contains(#"href="../parameters/net.ipv4.tcp_tw_reuse.html""#))
        let param = Self.read("parameters/net.ipv4.tcp_tw_reuse.html")
        XCTAssertTrue(param.contains(#"href="../rules/TW103.html""#), "the parameter page lists the rules that use it")
        XCTAssertTrue(param.contains(#"<h2 id="references">"#))
        let topic = Self.read("topics/time-wait.html")
        XCTAssertTrue(topic.contains(#"src="../img/tcp-close-time-wait.svg""#))
        XCTAssertTrue(Self.read("topics/ephemeral-ports.html").contains(#"src="../img/port-range.svg""#))
    }

    func testDiagramsAreDrawnFromTheKnowledgeBase() throws {
        let ports = Self.read("img/port-range.svg")
        // 32768 60999 is the kb's default for ip_local_port_range: 28232 ports, 470 a second over 60 s.
        XCTAssertTrue(ports.contains("28232 ports"))
        XCTAssertTrue(ports.contains("≈ 470 per second"))
        let order = Self.read("img/sysctl-d-order.svg")
        for dir in Applier.procps.directories { XCTAssertTrue(order.contains(dir), dir) }
        for svg in ["img/port-range.svg", "img/sysctl-d-order.svg", "img/tcp-close-time-wait.svg"] {
            let text = Self.read(svg)
            XCTAssertTrue(text.hasPrefix("<?xml") && text.contains("<svg xmlns=\"http://www.w3.org/2000/svg\"") && text.hasSuffix("</svg>\n"), svg)
        }
    }

    /// Text from a rule file that looks like markup or an entity is shown as written, in text and in attributes.
    func testKnowledgeTextIsEscapedInTextAndAttributes() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let original = try String(contentsOfFile: TestSupport.packageRoot + "/rules/TW103-tw-reuse-without-timestamps.xml", encoding: .utf8)
        let title = #"Evil &lt;script&gt;alert(1)&lt;/script&gt; "quoted" &amp;amp; A&amp;B"#
        let text = original
            .replacingOccurrences(of: #"code="TW103" slug="tw-reuse-without-timestamps""#, with: #"code="ESC998" slug="escape-test""#)
            .replacingOccurrences(of: #"<title>[^<]*</title>"#, with: "<title>\(title)</title>", options: .regularExpression)
        try TestSupport.write(text, to: dir + "/ESC998-escape-test.xml")
        var kb = TestSupport.kb
        try kb.addDirectory(dir)
        let page = try XCTUnwrap(DocsSite(kb: kb).files().first { $0.path == "rules/ESC998.html" }).contents
        XCTAssertFalse(page.contains("<script>alert"))
        XCTAssertTrue(page.contains("Evil &lt;script&gt;alert(1)&lt;/script&gt;"))
        // The rule says "&amp;" literally (written &amp;amp; in XML): the page must show "&amp;", not "&".
        XCTAssertTrue(page.contains("&amp;amp; A&amp;B"))
        XCTAssertTrue(page.contains(#"<title>ESC998 Evil &lt;script&gt;alert(1)&lt;/script&gt; "quoted" &amp;amp; A&amp;B · twlint</title>"#), page.prefix(600).description)
        XCTAssertEqual(attributeEscaped(#"a "b" <c> & d"#), "a &quot;b&quot; &lt;c&gt; &amp; d")
    }

    func testHTMLIsWellFormedAccordingToHtml5lib() throws {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", TestSupport.packageRoot + "/scripts/check-html.py", Self.site.dir]
        let out = Pipe()
        check.standardOutput = out
        check.standardError = out
        try check.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        if check.terminationStatus == 2 { throw XCTSkip("python3 with html5lib is not installed (.ci/run installs it): \(output)") }
        XCTAssertEqual(check.terminationStatus, 0, output)
        XCTAssertTrue(output.contains("\(Self.site.files.filter { $0.hasSuffix(".html") || $0.hasSuffix(".svg") }.count) files checked, 0 with problems"), output)
    }

    func testDocsCommandWritesTheSite() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        let result = try TestSupport.run(["docs", "--out", dir + "/site"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/site/index.html"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/site/rules/TW101.html"))
        let blocked = try TestSupport.run(["docs", "--out", dir + "/site/index.html/x"])
        XCTAssertEqual(blocked.status, 2)
        XCTAssertTrue(blocked.stderr.contains("cannot write the site"), blocked.stderr)
    }
}

/// `--docs-url` and `docs-url:` make findings point at the rule's page on the published site.
final class DocsURLTests: XCTestCase {
    let conf = "net.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_timestamps = 0\n"

    func testTextJSONAndSARIFLinkToTheRulePage() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(conf, to: dir + "/a.conf")
        let base = "https://docs.example.org/twlint/"
        let text = try TestSupport.run(["lint", "--no-config", "--docs-url", base, dir + "/a.conf"])
        XCTAssertTrue(text.stdout.contains("see: https://docs.example.org/twlint/rules/TW103.html"), text.stdout)
        XCTAssertFalse(text.stdout.contains("see: twlint explain TW103"))
        let json = try TestSupport.run(["lint", "--no-config", "--docs-url", base, "--format", "json", dir + "/a.conf"])
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let findings = try XCTUnwrap(doc["findings"] as? [[String: Any]])
        let tw103 = try XCTUnwrap(findings.first { $0["code"] as? String == "TW103" })
        XCTAssertEqual(tw103["docs_url"] as? String, "https://docs.example.org/twlint/rules/TW103.html")
        let sarif = try TestSupport.run(["lint", "--no-config", "--docs-url", base, "--format", "sarif", dir + "/a.conf"])
        XCTAssertTrue(sarif.stdout.contains(#""helpUri": "https://docs.example.org/twlint/rules/TW103.html""#), sarif.stdout)
        // Without it: the explain hint, no docs_url, and the first reference as helpUri.
        let plain = try TestSupport.run(["lint", "--no-config", "--format", "json", dir + "/a.conf"])
        XCTAssertFalse(plain.stdout.contains("docs_url"))
    }

    func testConfigFileSetsItAndTheOptionWins() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(conf, to: dir + "/a.conf")
        try TestSupport.write("docs-url: https://sysctl.example.com/\n", to: dir + "/.twlint.yaml")
        let fromConfig = try TestSupport.run(["lint", dir + "/a.conf"], cwd: dir)
        XCTAssertTrue(fromConfig.stdout.contains("see: https://sysctl.example.com/rules/TW103.html"), fromConfig.stdout + fromConfig.stderr)
        let option = try TestSupport.run(["lint", "--docs-url", "https://other.example.com", dir + "/a.conf"], cwd: dir)
        XCTAssertTrue(option.stdout.contains("see: https://other.example.com/rules/TW103.html"), option.stdout)
    }

    func testNonHTTPBaseIsRefused() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(conf, to: dir + "/a.conf")
        let bad = try TestSupport.run(["lint", "--no-config", "--docs-url", "javascript:alert(1)", dir + "/a.conf"])
        XCTAssertEqual(bad.status, 2, "a usage error, as for any invalid option value: " + bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--docs-url takes an http:// or https:// URL"), bad.stderr)
        try TestSupport.write("docs-url: ftp://x.example\n", to: dir + "/.twlint.yaml")
        let badConfig = try TestSupport.run(["lint", dir + "/a.conf"], cwd: dir)
        XCTAssertEqual(badConfig.status, 2)
        XCTAssertTrue(badConfig.stderr.contains("docs-url: expected an http:// or https:// URL"), badConfig.stderr)
    }
}

final class VersionTextTests: XCTestCase {
    func testVersionNamesRevisionAndTheKernelRangeOfTheKB() throws {
        XCTAssertEqual(TestSupport.kb.oldestKernel, KernelVersion.oldestDescribed, "update KernelVersion.oldestDescribed")
        let result = try TestSupport.run(["--version"])
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.hasPrefix("twlint \(version) (revision "), result.stdout)
        XCTAssertTrue(result.stdout.contains("knowledge base covers Linux \(KernelVersion.oldestDescribed) to \(KernelVersion.newestKnown)"), result.stdout)
        let revision = BuildInfo.revision
        XCTAssertFalse(revision.isEmpty)
        XCTAssertTrue(revision.allSatisfy { $0.isLetter || $0.isNumber || "._-".contains($0) }, revision)
    }
}
