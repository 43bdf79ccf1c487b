import Foundation
import XCTest
@testable import TWLintKit

/// The bounded did-you-mean: the banded edit distance agrees with the full one, long terms get no
/// suggestions, and only keys of the target kernel are proposed.
final class DidYouMeanTests: XCTestCase {
    func testBandedDistanceAgreesWithTheFullOne() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abc._")
        for _ in 0..<3000 {
            let a = String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let b = String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let full = Levenshtein.distance(a, b)
            for bound in 0...6 {
                let banded = Levenshtein.distance(Array(a.utf8), Array(b.utf8), bound: bound)
                XCTAssertEqual(banded, full <= bound ? full : nil, "\(a) / \(b) bound \(bound)")
            }
        }
    }

    func testBagBoundNeverExceedsTheDistance() {
        let words = ["net.ipv4.tcp_tw_reuse", "net.ipv4.tcp_tw_resue", "net.core.somaxconn", "vm.swappiness", "", "a"]
        for a in words {
            for b in words {
                let lb = SuggestionIndex.Bag(Array(a.utf8)).lowerBound(SuggestionIndex.Bag(Array(b.utf8)))
                XCTAssertLessThanOrEqual(lb, Levenshtein.distance(a, b), "\(a) / \(b)")
            }
        }
    }

    func testSuggestionsAreBoundedAndPerKernel() {
        let kb = TestSupport.kb
        XCTAssertEqual(kb.suggestions(forKey: "net.ipv4.tcp_tw_resue").first, "net.ipv4.tcp_tw_reuse")
        XCTAssertEqual(kb.suggestions(forKey: "net.ipv4." + String(repeating: "x", count: 4000)), [])
        // tcp_rto_min_us exists from 6.11 on: proposed for 6.12, not for 6.1.
        XCTAssertTrue(kb.suggestions(forKey: "net.ipv4.tcp_rto_min_uss", kernel: KernelVersion(6, 12)).contains("net.ipv4.tcp_rto_min_us"))
        XCTAssertFalse(kb.suggestions(forKey: "net.ipv4.tcp_rto_min_uss", kernel: KernelVersion(6, 1)).contains("net.ipv4.tcp_rto_min_us"))
        let findings = TestSupport.lint("net.ipv4.tcp_rto_min_uss = 1\n", kernel: KernelVersion(6, 1))
        XCTAssertEqual(TestSupport.codes(findings), ["TW801"])
        XCTAssertFalse(findings[0].message.contains("tcp_rto_min_us\""), findings[0].message)
    }

    /// Interface globs: a family matches any interface pattern in its place.
    func testInterfaceGlobsMatchAnyInterfaceName() {
        let c = TestSupport.kb.catalog
        for glob in ["net.ipv4.conf.lxc*.rp_filter", "net.ipv4.conf.enp*.rp_filter", "net.ipv4.conf.veth*.rp_filter", "net.ipv6.conf.*.accept_ra"] {
            XCTAssertTrue(c.anyMatch(glob: glob), glob)
            XCTAssertTrue(c.anyMatch(glob: glob, kernel: KernelVersion(6, 1)), glob)
        }
        XCTAssertFalse(c.anyMatch(glob: "net.ipv4.conf.lxc*.rp_filtr"))
        XCTAssertFalse(c.anyMatch(glob: "net.ipv4.tcp_plb_*", kernel: KernelVersion(6, 1)), "tcp_plb_* came in 6.2")
        XCTAssertTrue(c.anyMatch(glob: "net.ipv4.tcp_plb_*", kernel: KernelVersion(6, 6)))
        XCTAssertEqual(TestSupport.codes(TestSupport.lint("net.ipv4.conf.lxc*.rp_filter = 0\n")), [])
        XCTAssertEqual(TestSupport.codes(TestSupport.lint("net.ipv4.tcp_plb_* = 1\n", kernel: KernelVersion(6, 1))), ["TW801"])
    }
}
