import Foundation
import XCTest
@testable import TWLintKit

final class ConfigValidationTests: XCTestCase {
    func resolve(_ yaml: String) throws -> RunSettings.Resolved {
        let dir = try TestSupport.temporaryDirectory(self)
        try TestSupport.write(yaml, to: dir + "/.twlint.yaml")
        var settings = RunSettings()
        settings.workingDirectory = dir
        return try settings.resolve()
    }

    func testUnknownNamesInDisableAndSeverityAreErrorsNamingThem() throws {
        XCTAssertThrowsError(try resolve("disable: [TW204, port-range-covers-service]\n")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(".twlint.yaml:1: disable: \"port-range-covers-service\" is no rule's code or slug"), text)
            XCTAssertTrue(text.contains("did you mean \"port-range-covers-services\""), text)
        }
        XCTAssertThrowsError(try resolve("severity:\n  TW108: warning\n  TW9999: error\n")) { error in
            XCTAssertTrue("\(error)".contains(".twlint.yaml:3: severity: \"TW9999\""), "\(error)")
        }
        // Codes and slugs that exist, in any case, are accepted.
        let ok = try resolve("disable: [tw204, port-range-covers-services]\nseverity: {TW108: warning, fin-timeout-not-time-wait: error}\n")
        XCTAssertEqual(ok.options.disabled, ["tw204", "port-range-covers-services"])
    }

    func testDirectiveNamingAnUnknownRuleIsTW911NotUnused() {
        let findings = TestSupport.lint("""
            # twlint: disable=TW9999
            net.ipv4.tcp_tw_reuse = 1
            # twlint: disable-file=port-range-parity,no-such-rule
            # twlint: disable=all -- everything on the next line
            net.ipv4.tcp_timestamps = 0
            """)
        XCTAssertEqual(findings.map(\.code), ["TW911", "TW103", "TW911"], findings.map(\.message).joined(separator: "\n"))
        XCTAssertTrue(findings[0].message.contains("\"TW9999\""), findings[0].message)
        XCTAssertEqual(findings[0].severity, .error)
        XCTAssertTrue(findings[2].message.contains("\"no-such-rule\"") && !findings[2].message.contains("port-range-parity\""), findings[2].message)
    }

    func testDirectiveInAManifestNamingAnUnknownRule() throws {
        let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  securityContext:\n    sysctls:\n      # twlint: disable=TW30Z\n      - name: net.ipv4.tcp_tw_reuse\n        value: \"1\"\n"
        let codes = try XCTUnwrap(Linter(kb: TestSupport.kb).lintData(Data(text.utf8), path: "p.yaml", options: LintOptions(), explicit: true)).map(\.code)
        XCTAssertTrue(codes.contains("TW911") && !codes.contains("TW910"), "\(codes)")
    }
}
