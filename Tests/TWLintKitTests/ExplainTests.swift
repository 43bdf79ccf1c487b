import XCTest
@testable import TWLintKit

final class ExplainTests: XCTestCase {
    let kb = TestSupport.kb

    func resolvedKey(_ term: String) -> String? {
        if case .parameter(let p) = kb.resolve(term) { return p.key }
        return nil
    }

    func testEveryTermForm() {
        XCTAssertEqual(resolvedKey("net.ipv4.tcp_tw_reuse"), "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(resolvedKey("tcp_tw_reuse"), "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(resolvedKey("net/ipv4/tcp_tw_reuse"), "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(resolvedKey("/proc/sys/net/ipv4/tcp_tw_reuse"), "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(resolvedKey("ipv4.tcp_tw_reuse"), "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(resolvedKey("somaxconn"), "net.core.somaxconn")
        for (term, id) in [("rst", "rst-conditions"), ("time-wait", "time-wait"), ("TIME_WAIT", "time-wait"), ("so_linger", "so-linger"),
                           ("SO_LINGER", "so-linger"), ("paws", "paws-nat"), ("backlog", "listen-queues"), ("ephemeral-ports", "ephemeral-ports")] {
            guard case .topic(let t) = kb.resolve(term) else { return XCTFail("\(term) did not resolve to a topic") }
            XCTAssertEqual(t.id, id, term)
        }
        for term in ["TW101", "tw101", "tcp-tw-recycle-removed", "tcp_tw_recycle_removed"] {
            guard case .rule(let r) = kb.resolve(term) else { return XCTFail("\(term) did not resolve to a rule") }
            XCTAssertEqual(r.code, "TW101")
        }
    }

    func testUnknownTermSuggests() {
        guard case .unknown(_, let suggestions) = kb.resolve("tcp_tw_resue") else { return XCTFail() }
        XCTAssertTrue(suggestions.contains("tcp_tw_reuse"), "\(suggestions)")
        guard case .unknown(_, let keySuggestions) = kb.resolve("net.ipv4.tcp_tw_resue") else { return XCTFail() }
        XCTAssertEqual(keySuggestions.first, "net.ipv4.tcp_tw_reuse")
        guard case .unknown = kb.resolve("quantum-flux") else { return XCTFail() }
    }

    func testAmbiguousShortNameListsCandidates() throws {
        func param(_ key: String) -> (path: String, text: String) {
            ("kb/\(key).xml", """
            <?xml version="1.0"?>
            <parameter key="\(key)"><type>int</type><defaults><default value="1"/></defaults><scope>netns</scope>
            <summary>s</summary><description><p>d</p></description><references><ip-sysctl section="IP Variables"/></references></parameter>
            """)
        }
        let small = try KnowledgeBase(files: [param("net.ipv4.example_knob"), param("net.ipv6.example_knob")])
        guard case .ambiguous(_, let candidates) = small.resolve("example_knob") else { return XCTFail() }
        XCTAssertEqual(candidates, ["net.ipv4.example_knob", "net.ipv6.example_knob"])
        XCTAssertTrue(ExplainRenderer(kb: small).text(small.resolve("example_knob")).contains("net.ipv6.example_knob"))
    }

    /// Every parameter, topic and rule renders in every format, with its references.
    func testEveryEntryRendersInEveryFormat() {
        let renderer = ExplainRenderer(kb: kb)
        var resolutions: [Resolution] = kb.sortedParameters.map { .parameter($0) }
        resolutions += kb.sortedTopics.map { .topic($0) }
        resolutions += kb.rules.map { .rule($0) }
        for r in resolutions {
            let text = renderer.text(r)
            let md = renderer.markdown(r)
            let json = renderer.json(r).render()
            XCTAssertTrue(text.contains("References"), text)
            XCTAssertTrue(md.hasPrefix("# "), md)
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(json.utf8)), json)
            for line in text.split(separator: "\n") where !line.contains("https://") {
                XCTAssertLessThanOrEqual(line.count, 80, "line over 80 columns: \(line)")
            }
        }
    }

    func testTcpTwReuseExplanationSaysWhatMatters() {
        let text = ExplainRenderer(kb: kb).text(kb.resolve("tcp_tw_reuse"))
        for needle in ["0 ", "1 ", "2 ", "Default", "since 4.18", "outgoing", "timestamps", "[1]", "https://"] {
            XCTAssertTrue(text.contains(needle), "missing \(needle)")
        }
        let json = ExplainRenderer(kb: kb).json(kb.resolve("tcp_tw_reuse"))
        let object = try! JSONSerialization.jsonObject(with: Data(json.render().utf8)) as! [String: Any]
        XCTAssertEqual(object["key"] as? String, "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(object["default"] as? String, "2")
        XCTAssertEqual(object["scope"] as? String, "netns")
        XCTAssertEqual((object["values"] as? [Any])?.count, 3)
        XCTAssertFalse((object["references"] as? [Any] ?? []).isEmpty)
        XCTAssertTrue(((object["related"] as? [String: Any])?["rules"] as? [String] ?? []).contains("TW103"))
    }

    func testColourOnlyWhenAsked() {
        let plain = ExplainRenderer(kb: kb, style: .plain).text(kb.resolve("rst"))
        XCTAssertFalse(plain.contains("\u{1B}["))
        let coloured = ExplainRenderer(kb: kb, style: Style(enabled: true)).text(kb.resolve("rst"))
        XCTAssertTrue(coloured.contains("\u{1B}["))
        XCTAssertFalse(Style.forStandardOutput(environment: ["NO_COLOR": "1"]).enabled)
    }

    func testParamsListingForAKernel() throws {
        let json = ParameterListing(kb: kb, kernel: KernelVersion(4, 14)).json().render()
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let params = object["parameters"] as! [[String: Any]]
        let reuse = params.first { $0["key"] as? String == "net.ipv4.tcp_tw_reuse" }!
        XCTAssertEqual(reuse["default"] as? String, "0")
        XCTAssertEqual(reuse["scope"] as? String, "netns")
        let buckets = params.first { $0["key"] as? String == "net.ipv4.tcp_max_tw_buckets" }!
        XCTAssertTrue(buckets["default"] is NSNull)
        // Exactly the kb parameters 4.14 has: tcp_migrate_req (5.10 tables) and tcp_rto_min_us (6.11) are not listed.
        XCTAssertEqual(params.count, kb.parameters.values.filter { kb.exists($0, on: KernelVersion(4, 14)) }.count)
        XCTAssertLessThan(params.count, kb.parameters.count)
        XCTAssertFalse(params.contains { $0["key"] as? String == "net.ipv4.tcp_rto_min_us" })
        let all = try JSONSerialization.jsonObject(with: Data(ParameterListing(kb: kb, kernel: KernelVersion(4, 14), all: true).json().render().utf8)) as! [String: Any]
        XCTAssertEqual((all["parameters"] as! [[String: Any]]).count, kb.parameters.count)
    }

    /// `params --kernel X.Y --names`: every name the tables give for the series, nothing they deny.
    func testNamesOfAKernelFollowTheTables() {
        let names61 = Set(ParameterListing(kb: kb, kernel: KernelVersion(6, 1)).names())
        XCTAssertTrue(names61.contains("net.ipv4.tcp_tw_reuse"))
        XCTAssertTrue(names61.contains("net.ipv4.conf.*.rp_filter"))
        for absent in ["net.ipv4.tcp_rto_min_us", "net.ipv4.tcp_plb_enabled", "net.ipv4.tcp_tw_recycle", "net.ipv4.tcp_rcvbuf_low_rtt"] {
            XCTAssertFalse(names61.contains(absent), absent)
        }
        let names612 = Set(ParameterListing(kb: kb, kernel: KernelVersion(6, 12)).names())
        XCTAssertTrue(names612.contains("net.ipv4.tcp_rto_min_us"))
        XCTAssertTrue(Set(ParameterListing(kb: kb, kernel: KernelVersion(4, 9)).names()).contains("net.ipv4.tcp_tw_recycle"))
        // explain states the tables' fact
        let text = ExplainRenderer(kb: kb, kernel: KernelVersion(6, 1), style: .plain).text(kb.resolve("net.ipv4.tcp_rto_min_us"))
        XCTAssertTrue(text.contains("kernel sources: added after 6.9, present in 6.11"), text)
        XCTAssertTrue(text.contains("absent on 6.1"), text)
    }
}
