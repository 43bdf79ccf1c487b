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

final class SystemKernelTests: XCTestCase {
    /// `lint --system` on `/` targets the running kernel (sys/kernel/osrelease), unless --kernel or the config says.
    func testSystemOnRootTargetsTheRunningKernel() throws {
        let proc = try TestSupport.temporaryDirectory(self)
        try TestSupport.write("5.10.0-21-amd64\n", to: proc + "/sys/kernel/osrelease")
        var s = RunSettings()
        s.useConfig = false
        s.procRoot = proc
        s.systemRoot = "/"
        var target = try s.resolve().options.target
        XCTAssertEqual(target.kernel, KernelVersion(5, 10, 0))
        XCTAssertTrue(target.kernelExplicit)
        s.systemRoot = "/tmp/../"
        XCTAssertEqual(try s.resolve().options.target.kernel, KernelVersion(5, 10, 0))
        s.kernel = KernelVersion(6, 1)
        XCTAssertEqual(try s.resolve().options.target.kernel, KernelVersion(6, 1))
        s.kernel = nil
        s.systemRoot = proc
        target = try s.resolve().options.target
        XCTAssertEqual(target.kernel, .newestKnown)
        XCTAssertFalse(target.kernelExplicit, "another root is another host: its kernel is not this one")
        // The command line: the summary names the running kernel instead of an assumption.
        let release = try String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)
        let running = try XCTUnwrap(KernelVersion(release))
        let r = try TestSupport.run(["lint", "--system", "--no-config", "--brief", "--fail-on", "never"])
        XCTAssertTrue(r.stdout.hasSuffix("(Linux \(running))\n") || r.stdout.contains("(Linux \(running))"), r.stdout)
    }
}
