import Foundation
import XCTest
@testable import TWLintKit

/// Counters and symptoms as kb entries: loading, naming, resolution by any spelling or pasted text, rendering.
final class CounterSymptomTests: XCTestCase {
    let kb = TestSupport.kb

    func counterName(_ term: String) -> String? {
        if case .counter(let c) = kb.resolve(term) { return c.name }
        return nil
    }

    func symptomID(_ term: String) -> String? {
        if case .symptom(let s) = kb.resolve(term) { return s.id }
        return nil
    }

    func testCounterSpellingsResolveCaseInsensitively() {
        for term in ["TCPTimeWaitOverflow", "tcptimewaitoverflow", "TcpExt.TCPTimeWaitOverflow", "TcpExt: TCPTimeWaitOverflow",
                     "TcpExtTCPTimeWaitOverflow", "LINUX_MIB_TCPTIMEWAITOVERFLOW", "TCPTimeWaitOverflow: 12"] {
            XCTAssertEqual(counterName(term), "TcpExt.TCPTimeWaitOverflow", term)
        }
        XCTAssertEqual(counterName("outrsts"), "Tcp.OutRsts")
        XCTAssertEqual(counterName("TcpOutRsts"), "Tcp.OutRsts")
        XCTAssertEqual(counterName("PAWSActive"), "TcpExt.PAWSActive")
        // A line of netstat -s output, with its number.
        XCTAssertEqual(counterName("    9107 times the listen queue of a socket overflowed"), "TcpExt.ListenOverflows")
        XCTAssertEqual(counterName("9107 SYNs to LISTEN sockets dropped"), "TcpExt.ListenDrops")
    }

    func testSymptomsResolveByNameAliasOrPastedText() {
        XCTAssertEqual(symptomID("eaddrnotavail"), "eaddrnotavail")
        XCTAssertEqual(symptomID("EADDRNOTAVAIL"), "eaddrnotavail")
        XCTAssertEqual(symptomID("connect: Cannot assign requested address"), "eaddrnotavail")
        XCTAssertEqual(symptomID("curl: (7) Failed to connect to 10.0.0.1 port 80: Connection refused"), "econnrefused")
        XCTAssertEqual(symptomID("read: connection reset by peer"), "econnreset")
        XCTAssertEqual(symptomID("write: Broken pipe"), "epipe")
        XCTAssertEqual(symptomID("ETIMEDOUT"), "etimedout")
        XCTAssertEqual(symptomID("[12345.678] TCP: time wait bucket table overflow"), "time-wait-bucket-overflow")
        XCTAssertEqual(symptomID("TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:443. Sending cookies."), "syn-flooding")
        // Parameters, topics and rules keep their meaning.
        guard case .parameter = kb.resolve("tcp_tw_reuse") else { return XCTFail() }
        guard case .topic = kb.resolve("time-wait") else { return XCTFail() }
        guard case .unknown = kb.resolve("quantum flux capacitor") else { return XCTFail() }
    }

    func testEntriesAreCompleteAndNamedByFile() {
        XCTAssertGreaterThanOrEqual(kb.counters.count, 60)
        for c in kb.counters.values {
            XCTAssertTrue(c.path.hasSuffix("kb/counters/\(c.name).xml"), c.path)
            XCTAssertFalse(c.summary.isEmpty, c.name)
            XCTAssertLessThanOrEqual(c.summary.count, 200, c.name)
            XCTAssertFalse(c.increments.isEmpty, c.name)
            XCTAssertFalse(c.meaning.isEmpty, c.name)
            XCTAssertFalse(c.action.isEmpty, c.name)
            // What increments it names a kernel function, and a source reference backs it.
            XCTAssertTrue(c.increments.contains { if case .paragraph(let i) = $0 { return i.contains { if case .code(let t) = $0 { return t.hasSuffix("()") } else { return false } } } else { return false } },
                          "\(c.name) does not name the function that increments it")
            XCTAssertTrue(c.references.contains { $0.kind == .source && $0.attributes["symbol"] != nil }, c.name)
            for other in c.see { XCTAssertNotNil(kb.counter(named: other), "\(c.name) points to missing counter \(other)") }
        }
        let ids = Set(kb.symptoms.keys)
        XCTAssertEqual(ids, ["eaddrnotavail", "econnreset", "epipe", "econnrefused", "etimedout", "time-wait-bucket-overflow", "syn-flooding"])
        for s in kb.symptoms.values {
            XCTAssertTrue(s.path.hasSuffix("kb/symptoms/\(s.id).xml"), s.path)
            XCTAssertFalse(s.messages.isEmpty)
            XCTAssertFalse(s.causes.isEmpty)
            XCTAssertFalse(s.related.topics.isEmpty, "\(s.id) links to no topic")
            for name in s.counters { XCTAssertNotNil(kb.counter(named: name), "\(s.id) names missing counter \(name)") }
        }
    }

    func testSchemaRejectsABadCounterAndADuplicate() throws {
        func counter(_ name: String) -> String {
            """
            <?xml version="1.0"?>
            <counter name="\(name)"><summary>s</summary><increments><p>i</p></increments><meaning><p>m</p></meaning>
            <action><p>a</p></action><references><source path="net/ipv4/proc.c"/></references></counter>
            """
        }
        XCTAssertThrowsError(try KnowledgeBase(files: [("kb/counters/Udp.Foo.xml", counter("Udp.Foo"))])) { error in
            XCTAssertTrue("\(error)".contains("kb/counters/Udp.Foo.xml"), "\(error)")
        }
        let ok = try KnowledgeBase(files: [("kb/counters/TcpExt.Example.xml", counter("TcpExt.Example"))])
        XCTAssertEqual(ok.counter(named: "TcpExt.Example")?.summary, "s")
        XCTAssertThrowsError(try KnowledgeBase(files: [("a/TcpExt.Example.xml", counter("TcpExt.Example")),
                                                       ("b/TcpExt.Example.xml", counter("TcpExt.Example"))])) { error in
            XCTAssertTrue("\(error)".contains("already defined"), "\(error)")
        }
        // A symptom needs the text people see.
        let symptom = """
            <?xml version="1.0"?>
            <symptom id="x"><title>t</title><summary>s</summary><causes><item>c</item></causes>
            <diagnose><p>d</p></diagnose><fix><p>f</p></fix><references><source path="p"/></references></symptom>
            """
        XCTAssertThrowsError(try KnowledgeBase(files: [("kb/symptoms/x.xml", symptom)]))
    }

    /// A version claim names the commit and its first release, or says it is not verified.
    func testCounterVersionsCarryEvidence() {
        for c in kb.counters.values {
            if let since = c.since {
                XCTAssertTrue(c.references.contains { $0.kind == .commit && $0.attributes["version"] == since.version.description },
                              "\(c.name): since \(since.version) has no commit reference with that release")
            }
            if let removed = c.removed {
                let note = removed.note.plain
                XCTAssertTrue(c.references.contains { $0.kind == .commit && $0.attributes["version"] == removed.version.description }
                              || note.contains("not verified"), "\(c.name): removed \(removed.version) needs a commit or must say it is not verified")
            }
        }
    }

    /// Rules whose trigger is a threshold of twlint's own say so in the message, and say when the kernel acts.
    func testRuleMessagesNameTwlintsOwnThresholds() throws {
        for (code, kernelFact) in [("TW401", "__inet_hash_connect()"), ("TW403", "closes further connections without TIME_WAIT"),
                                   ("TW107", "largest default")] {
            let rule = try XCTUnwrap(kb.rule(code: code))
            XCTAssertTrue(rule.message.contains("twlint"), "\(code) does not say its threshold is twlint's: \(rule.message)")
            XCTAssertTrue(rule.message.contains(kernelFact), "\(code) does not state the kernel's behaviour: \(rule.message)")
        }
        // TW405 is about refused clients; PAWSActive counts this host's own connects and must not trigger it.
        XCTAssertEqual(try XCTUnwrap(kb.rule(code: "TW405")).counterNames, ["TcpExt.PAWSPassive"])
    }

    func testEveryRuleCounterHasAnEntry() {
        for rule in kb.rules {
            for name in rule.counterNames { XCTAssertNotNil(kb.counter(named: name), "\(rule.code) watches \(name), which has no kb entry") }
        }
        for name in RuntimeEvaluators.counterMeaning.keys { XCTAssertNotNil(kb.counter(named: name), name) }
    }

    func testRelatedItemsExist() {
        func check(_ related: RelatedItems, _ owner: String) { TestSupport.assertRelatedItemsExist(related, owner: owner, in: kb) }
        for c in kb.counters.values { check(c.related, c.name) }
        for s in kb.symptoms.values { check(s.related, s.id) }
    }

    func testRenderingInEveryFormat() {
        let renderer = ExplainRenderer(kb: kb)
        let all: [Resolution] = kb.sortedCounters.map { .counter($0) } + kb.sortedSymptoms.map { .symptom($0) }
        for r in all {
            let text = renderer.text(r)
            XCTAssertTrue(text.contains("References"), text)
            for line in text.split(separator: "\n") where !line.contains("https://") {
                XCTAssertLessThanOrEqual(line.count, 80, "line over 80 columns: \(line)")
            }
            XCTAssertTrue(renderer.markdown(r).hasPrefix("# "))
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(renderer.json(r).render().utf8)))
        }
        let text = renderer.text(kb.resolve("ListenOverflows"))
        XCTAssertTrue(text.contains("times the listen queue of a socket overflowed"), text)
        XCTAssertTrue(text.contains("TW406"), text)
        // Topics and parameters point back to the symptoms and counters that name them.
        let topic = renderer.text(kb.resolve("time-wait"))
        XCTAssertTrue(topic.contains("eaddrnotavail") && topic.contains("TcpExt.TCPTimeWaitOverflow"), topic)
        let parameter = renderer.text(kb.resolve("tcp_max_tw_buckets"))
        XCTAssertTrue(parameter.contains("TcpExt.TCPTimeWaitOverflow"), parameter)
        XCTAssertTrue(renderer.json(kb.resolve("listen-queues")).render().contains("syn-flooding"))
    }

    func testListingTextAndJSON() throws {
        let listing = KnowledgeListing(kb: kb, kinds: [.counter, .symptom])
        let text = listing.text()
        XCTAssertTrue(text.contains("TcpExt.TCPTimeWaitOverflow"))
        XCTAssertTrue(text.contains("eaddrnotavail"))
        XCTAssertFalse(text.contains("net.ipv4.tcp_tw_reuse"))
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(listing.json().render().utf8)) as? [String: Any])
        XCTAssertEqual((json["counters"] as? [Any])?.count, kb.counters.count)
        XCTAssertEqual((json["symptoms"] as? [Any])?.count, 7)
        XCTAssertNil(json["parameters"])
        let full = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(KnowledgeListing(kb: kb).json().render().utf8)) as? [String: Any])
        XCTAssertEqual(Set(full.keys), ["topics", "symptoms", "counters", "parameters", "rules"])
    }

    func testCommandLine() throws {
        let r = try TestSupport.run(["explain", "connect: Cannot assign requested address"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("EADDRNOTAVAIL"), r.stdout)
        let c = try TestSupport.run(["explain", "tcptimewaitoverflow", "--format", "json"])
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertTrue(c.stdout.contains("\"kind\": \"counter\"") || c.stdout.contains("\"kind\":\"counter\""), c.stdout)
        let l = try TestSupport.run(["explain", "--list", "--kind", "symptom"])
        XCTAssertEqual(l.status, 0, l.stderr)
        XCTAssertTrue(l.stdout.contains("econnreset"), l.stdout)
        let bad = try TestSupport.run(["explain", "--list", "TW101"])
        XCTAssertEqual(bad.status, 2, bad.stderr)  // a usage error, as README says
    }
}
