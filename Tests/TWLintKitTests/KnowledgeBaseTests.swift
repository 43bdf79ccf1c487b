import XCTest
@testable import TWLintKit

final class KnowledgeBaseTests: XCTestCase {
    func testShippedKnowledgeLoads() {
        XCTAssertNotNil(KnowledgeBase.shipped.parameters["net.ipv4.tcp_tw_reuse"])
    }
}
