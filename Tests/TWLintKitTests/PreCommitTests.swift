import Foundation
import XCTest
@testable import TWLintKit

/// `.pre-commit-hooks.yaml` run by the real pre-commit (`pre-commit try-repo`) on a scratch git repository.
final class PreCommitTests: XCTestCase {
    func testHookThroughTryRepo() throws {
        guard Shell.which("pre-commit") != nil else { throw XCTSkip("pre-commit (Debian package pre-commit) is not installed; .ci/run installs it") }
        guard Shell.which("git") != nil else { throw XCTSkip("git is not installed") }
        let repo = try RepoFixture.make(self, git: true)
        let home = try TestSupport.temporaryDirectory(self)
        let bin = try TestSupport.temporaryDirectory(self)
        let binary = Bundle.main.bundleURL.appendingPathComponent("twlint").path
        try FileManager.default.createSymbolicLink(atPath: bin + "/twlint", withDestinationPath: binary)
        try TestSupport.write("# nginx tuning, no sysctl file\nworker_processes 4;\n", to: repo + "/nginx/nginx.conf")
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["PRE_COMMIT_HOME"] = home + "/cache"
        env["HOME"] = home
        env["NO_COLOR"] = "1"
        for (k, v) in ["GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"] { env[k] = v }
        XCTAssertEqual(try Shell.run(["git", "add", "-A"], cwd: repo, environment: env).status, 0)
        let r = try Shell.run(["pre-commit", "try-repo", TestSupport.packageRoot, "twlint", "--all-files", "--verbose"], cwd: repo, environment: env)
        XCTAssertEqual(r.status, 1, r.output)
        // The hook found the sysctl.d, manifest and chart findings ...
        for expected in ["sysctl.d/90-timewait.conf:1:1: warning TW103", "k8s/api.yaml:16:13: error TW304", "chart/templates/daemonset.yaml:25:1: error TW101",
                         "chart/templates/daemonset.yaml:4:1: warning TW309"] {
            XCTAssertTrue(r.output.contains(expected), "missing \(expected):\n\(r.output)")
        }
        // ... and left alone the workflow, the playbook, Chart.yaml, values.yaml, nginx.conf, node_modules/ and
        // legacy/ (excluded by .twlint.yaml: the hook's --force-exclude applies excludes to the files pre-commit names).
        for unexpected in [".github", "ansible/", "Chart.yaml:", "chart/values.yaml:", "nginx.conf", "node_modules/", "legacy/", "TW310", "error TW309"] {
            XCTAssertFalse(r.output.contains(unexpected), "\(unexpected) in:\n\(r.output)")
        }
        // The hook matches sysctl files by name and manifests by extension, as its `files` pattern says.
        let hooks = try String(contentsOfFile: TestSupport.packageRoot + "/.pre-commit-hooks.yaml", encoding: .utf8)
        XCTAssertTrue(hooks.contains("- id: twlint"))
    }
}
