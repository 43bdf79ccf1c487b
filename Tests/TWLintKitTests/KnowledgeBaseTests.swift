import XCTest
@testable import TWLintKit

final class KnowledgeBaseTests: XCTestCase {
    let kb = TestSupport.kb

    /// The parameters and topics the foundation issue requires.
    static let requiredParameters = [
        "net.ipv4.ip_local_port_range", "net.ipv4.ip_local_reserved_ports", "net.ipv4.ip_unprivileged_port_start",
        "net.ipv4.ip_autobind_reuse", "net.ipv4.tcp_max_tw_buckets", "net.ipv4.tcp_tw_recycle", "net.ipv4.tcp_tw_reuse",
        "net.ipv4.tcp_tw_reuse_delay", "net.ipv4.tcp_timestamps", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_max_syn_backlog",
        "net.ipv4.tcp_syn_retries", "net.ipv4.tcp_synack_retries", "net.ipv4.tcp_syncookies", "net.ipv4.tcp_abort_on_overflow",
        "net.ipv4.tcp_rfc1337", "net.ipv4.tcp_orphan_retries", "net.ipv4.tcp_max_orphans", "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_retries1", "net.ipv4.tcp_retries2",
        "net.ipv4.tcp_ehash_entries", "net.ipv4.tcp_child_ehash_entries", "net.ipv4.tcp_migrate_req", "net.ipv4.tcp_ecn",
        "net.ipv4.tcp_sack", "net.ipv4.tcp_window_scaling", "net.core.somaxconn", "net.core.netdev_max_backlog",
    ]
    static let requiredTopics = ["time-wait", "ephemeral-ports", "rst-conditions", "so-linger", "paws-nat", "listen-queues"]

    func testRequiredEntriesExist() {
        for key in Self.requiredParameters { XCTAssertNotNil(kb.parameters[key], key) }
        for id in Self.requiredTopics { XCTAssertNotNil(kb.topics[id], id) }
    }

    /// The files on disk load and validate exactly like the embedded copy.
    func testKnowledgeFilesOnDiskValidateAndMatchTheEmbeddedCopy() throws {
        var disk = KnowledgeBase()
        for dir in ["kb", "rules"] {
            try disk.addDirectory(TestSupport.packageRoot + "/" + dir, user: false)
        }
        XCTAssertEqual(Set(disk.parameters.keys), Set(kb.parameters.keys))
        XCTAssertEqual(Set(disk.topics.keys), Set(kb.topics.keys))
        XCTAssertEqual(Set(disk.counters.keys), Set(kb.counters.keys))
        XCTAssertEqual(Set(disk.symptoms.keys), Set(kb.symptoms.keys))
        XCTAssertEqual(disk.rules.map(\.code), kb.rules.map(\.code))
    }

    func testEveryFileDeclaresItsSchema() throws {
        for dir in ["kb", "rules"] {
            for file in try KnowledgeBase.readXMLFiles(below: TestSupport.packageRoot + "/" + dir) {
                XCTAssertTrue(file.text.contains("xsi:noNamespaceSchemaLocation=\""), "\(file.path) does not declare its schema")
                let schema = dir == "rules" ? "rule.xsd" : "kb.xsd"
                XCTAssertTrue(file.text.contains(schema + "\""), "\(file.path) does not name \(schema)")
            }
        }
    }

    func testParameterFilesAreNamedByKeyAndComplete() {
        for p in kb.parameters.values {
            // Interface families (net.ipv4.conf.*.rp_filter) are stored as kb/net.ipv4.conf.IFACE.rp_filter.xml.
            let file = p.key.replacingOccurrences(of: "*", with: "IFACE")
            XCTAssertTrue(p.path.hasSuffix("kb/\(file).xml"), "\(p.path) should be kb/\(file).xml")
            XCTAssertFalse(p.summary.isEmpty, p.key)
            XCTAssertLessThanOrEqual(p.summary.count, 200, "\(p.key): summary is too long for one line")
            XCTAssertFalse(p.description.isEmpty, p.key)
            XCTAssertFalse(p.references.isEmpty, p.key)
            if p.neverExisted == nil {
                XCTAssertTrue(p.computedDefault != nil || !p.defaults.isEmpty, "\(p.key) has no default")
            }
            if (p.type == .bool || p.type == .enum) && p.neverExisted == nil {
                XCTAssertFalse(p.values.isEmpty, "\(p.key): a \(p.type) needs its values explained")
            }
            // Defaults are listed newest first.
            let versions = p.defaults.compactMap(\.since)
            XCTAssertEqual(versions, versions.sorted(by: >), "\(p.key): defaults must be newest first")
        }
    }

    func testReferencesAreWellFormed() {
        let all = kb.parameters.values.flatMap(\.references) + kb.topics.values.flatMap(\.references) + kb.rules.flatMap(\.references)
        XCTAssertGreaterThan(all.count, 100)
        for r in all {
            XCTAssertTrue(r.problems.isEmpty, "\(r.title): \(r.problems)")
            XCTAssertFalse(r.title.isEmpty)
            if let url = r.url { XCTAssertTrue(url.hasPrefix("https://") || url.hasPrefix("http://"), url) }
            if r.kind == .commit { XCTAssertGreaterThanOrEqual(r.attributes["id"]?.count ?? 0, 12) }
        }
    }

    func testEveryRelatedItemExists() {
        func check(_ related: RelatedItems, _ owner: String) { TestSupport.assertRelatedItemsExist(related, owner: owner, in: kb) }
        for p in kb.parameters.values { check(p.related, p.key) }
        for t in kb.topics.values { check(t.related, t.id) }
        for r in kb.rules { check(r.related, r.code) }
    }

    func testVersionFacts() {
        let recycle = kb.parameters["net.ipv4.tcp_tw_recycle"]!
        XCTAssertEqual(recycle.removed?.version, KernelVersion(4, 12))
        XCTAssertTrue(recycle.exists(on: KernelVersion(4, 11)))
        XCTAssertFalse(recycle.exists(on: KernelVersion(4, 12)))
        let reuse = kb.parameters["net.ipv4.tcp_tw_reuse"]!
        XCTAssertEqual(reuse.defaultValue(for: KernelVersion(6, 1)), "2")
        XCTAssertEqual(reuse.defaultValue(for: KernelVersion(4, 14)), "0")
        let somaxconn = kb.parameters["net.core.somaxconn"]!
        XCTAssertEqual(somaxconn.defaultValue(for: KernelVersion(5, 4)), "4096")
        XCTAssertEqual(somaxconn.defaultValue(for: KernelVersion(4, 19)), "128")
        XCTAssertNil(kb.parameters["net.ipv4.tcp_max_tw_buckets"]!.defaultValue(for: .newestKnown), "computed from memory")
        XCTAssertEqual(kb.parameters["net.ipv4.ip_local_port_range"]!.scope, .netns)
        XCTAssertEqual(kb.parameters["net.ipv4.tcp_max_orphans"]!.scope, .global)
    }

    /// KernelVersion trims white space itself; it removes exactly what Foundation's `.whitespacesAndNewlines` does.
    func testKernelVersionTrimsAsFoundationDoes() {
        let spaces: [Unicode.Scalar] = ["\u{09}", "\u{0A}", "\u{0B}", "\u{0C}", "\u{0D}", " ", "\u{85}", "\u{A0}", "\u{1680}",
                                        "\u{2000}", "\u{200A}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}",
                                        "\u{200B}", "\u{FEFF}", "\u{301}", "x", "6", "."]
        var texts: [String] = []
        for a in spaces { for b in spaces { texts += ["\(a)6.1\(b)", "\(a)\(b)4.12.3-rc\(a)", "\(a)", "\(a)\(b)"] } }
        for t in texts {
            XCTAssertEqual(String(KernelVersion.trimmed(t)), t.trimmingCharacters(in: .whitespacesAndNewlines), t.debugDescription)
        }
        XCTAssertEqual(KernelVersion(" \u{3000}6.1\n"), KernelVersion(6, 1))
        var differ: [UInt32] = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            if KernelVersion.isSpace(s) != CharacterSet.whitespacesAndNewlines.contains(s) { differ.append(v) }
        }
        XCTAssertEqual(differ, [])
        // The same for the terms explain resolves (`.whitespaces`: no newlines).
        differ = []
        for v in UInt32(0)...0x10FFFF {
            guard let s = Unicode.Scalar(v) else { continue }
            if KnowledgeBase.isSpace(s) != CharacterSet.whitespaces.contains(s) { differ.append(v) }
        }
        XCTAssertEqual(differ, [])
        for t in texts { XCTAssertEqual(KnowledgeBase.trimmingSpaces(t), t.trimmingCharacters(in: .whitespaces), t.debugDescription) }
    }

    /// The byte-level helpers of start-up agree with the Foundation and split forms they replace.
    func testPathKeysAndCatalogWordsAgreeWithTheStringForms() {
        var paths = EmbeddedKnowledge.files.map(\.path)
        paths += ["kb/net.ipv4.conf.IFACE.rp_filter.xml", "kb/net.IFACEX.a.xml", "kb/a.IFACE.IFACE.b.xml", "kb/IFACE.xml", "kb/Ia.b.xml", "kb/IFACEIFACE.IFAC.xml",
                  "kb/x/y.xml", "kb/.xml", "kb/a..b.xml", "rules/TW101.xml", "kb/é.IFACE.ü.xml"]
        var withFamily = 0
        for path in paths {
            let old: String? = {
                guard path.hasPrefix("kb/"), path.hasSuffix(".xml") else { return nil }
                let name = String(path.dropFirst(3).dropLast(4))
                guard !name.contains("/") else { return nil }
                return name.replacingOccurrences(of: "IFACE", with: "*")
            }()
            XCTAssertEqual(KnowledgeBase.parameterKey(fromPath: path), old, path)
            if old?.contains("*") == true { withFamily += 1 }
        }
        XCTAssertGreaterThan(withFamily, 20)
        for text in ["", " ", "a", " a  b\n\tc\r\n", "net.ipv4.tcp_tw_reuse\n  net.core.somaxconn ", "é ü\u{A0}x"] {
            XCTAssertEqual(KeyCatalog.words(text), text.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }).map { String(Substring($0)) }, text.debugDescription)
        }
    }

    func testKernelVersionParsing() {
        XCTAssertEqual(KernelVersion("6.1.0-18-amd64"), KernelVersion(6, 1, 0))
        XCTAssertEqual(KernelVersion("6.18.44-fc-v657"), KernelVersion(6, 18, 44))
        XCTAssertEqual(KernelVersion("4.12"), KernelVersion(4, 12))
        XCTAssertNil(KernelVersion("six"))
        XCTAssertNil(KernelVersion("6"))
        XCTAssertTrue(KernelVersion(4, 9) < KernelVersion(4, 12))
        XCTAssertTrue(KernelVersion(4, 12, 0) == KernelVersion(4, 12))
    }
}

/// Hostile and broken XML is refused with located errors, never fetched or expanded.
final class HostileXMLTests: XCTestCase {
    func load(_ text: String, name: String = "evil.xml") -> [XMLProblem] {
        do {
            _ = try KnowledgeBase(files: [(name, text)])
            return []
        } catch let e as XMLProblems {
            return e.problems
        } catch {
            XCTFail("unexpected error \(error)")
            return []
        }
    }

    func testExternalEntityIsRefused() {
        let problems = load("""
        <?xml version="1.0"?>
        <!DOCTYPE parameter [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
        <parameter key="net.ipv4.x">&xxe;</parameter>
        """)
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.line, 2)
        XCTAssertTrue(problems.first?.message.contains("refused") ?? false)
    }

    func testEntityExpansionBombIsRefused() {
        var doc = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        for i in 1...9 { doc += " <!ENTITY lol\(i) \"" + String(repeating: "&lol\(i == 1 ? "" : String(i - 1));", count: 10) + "\">\n" }
        doc += "]>\n<parameter key=\"a.b\">&lol9;</parameter>\n"
        let problems = load(doc)
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.path, "evil.xml")
    }

    func testNetworkSchemaLocationIsNotFetched() {
        // A remote schema location is ignored: validation uses the shipped schema, so this fails on content, offline.
        let problems = load("""
        <?xml version="1.0"?>
        <parameter xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="http://203.0.113.1/kb.xsd" key="net.ipv4.x"/>
        """)
        XCTAssertFalse(problems.isEmpty)
        XCTAssertTrue(problems.allSatisfy { $0.path == "evil.xml" })
    }

    func testSchemaViolationNamesFileAndLine() {
        let problems = load("""
        <?xml version="1.0"?>
        <parameter key="net.ipv4.tcp_example">
          <type>float</type>
        </parameter>
        """, name: "kb/net.ipv4.tcp_example.xml")
        XCTAssertFalse(problems.isEmpty)
        XCTAssertEqual(problems.first?.path, "kb/net.ipv4.tcp_example.xml")
        XCTAssertEqual(problems.first?.line, 3)
        XCTAssertTrue(problems.first?.message.contains("float") ?? false, problems.first?.message ?? "")
    }

    func testMalformedXMLIsLocated() {
        let problems = load("<?xml version=\"1.0\"?>\n<parameter key=\"a.b\">\n<type>int</typo>\n</parameter>\n")
        XCTAssertFalse(problems.isEmpty)
        XCTAssertEqual(problems.first?.line, 3)
    }

    func testUnknownRootElementIsRejected() {
        let problems = load("<?xml version=\"1.0\"?>\n<html/>\n")
        XCTAssertTrue(problems.first?.message.contains("unknown root element") ?? false)
    }

    func testUserRuleDirectoryIsValidatedLikeOurs() throws {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("<?xml version=\"1.0\"?>\n<rule code=\"TW999\" slug=\"x\" severity=\"fatal\" category=\"ports\"/>\n", to: dir + "/TW999-x.xml")
        var kb = TestSupport.kb
        XCTAssertThrowsError(try kb.addDirectory(dir)) { error in
            let problems = (error as? XMLProblems)?.problems ?? []
            XCTAssertEqual(problems.first?.path, dir + "/TW999-x.xml")
            XCTAssertEqual(problems.first?.line, 2)
        }
    }
}
