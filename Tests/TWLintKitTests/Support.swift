import Foundation
import XCTest
@testable import TWLintKit

/// Shared helpers for the tests.
enum TestSupport {
    static let kb = KnowledgeBase.shipped

    /// The package root (…/Tests/TWLintKitTests/Support.swift → …).
    static let packageRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    static var fixtures: String { Bundle.module.resourcePath! + "/Fixtures" }

    /// The shared corpus of real files, beside the checkout (`../shared/corpus`), when present.
    static var corpus: String? {
        let path = (packageRoot as NSString).deletingLastPathComponent + "/shared/corpus"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    static func lint(_ text: String, kernel: KernelVersion? = nil, profile: Profile? = nil, path: String = "test.conf") -> [Finding] {
        Linter(kb: kb).lint(text: Data(text.utf8), path: path, options: LintOptions(target: Target(kernel: kernel, profile: profile)))
    }

    static func codes(_ findings: [Finding]) -> [String] { findings.map(\.code) }

    /// A temporary directory removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("twlint-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    static func write(_ text: String, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A user rule file (the house somaxconn rule of the user-rule tests): code and slug as given, with or without
    /// a <references> element, trigger and pass examples that hold.
    static func houseRule(code: String, slug: String, references: Bool = true) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <rule code="\(code)" slug="\(slug)" severity="warning" category="listen">
          <title>Our services need a backlog of 16384</title>
          <subject key="net.core.somaxconn"/>
          <when><value op="lt" value="16384"/></when>
          <message>net.core.somaxconn = {value} is below our standard of 16384</message>
          <why><p>House rule.</p></why>
          <fix><p>Set 16384.</p></fix>
        \(references ? "  <references><url href=\"https://example.org/standards\" title=\"Our standards\"/></references>\n" : "")  <examples>
            <example expect="trigger">net.core.somaxconn = 4096</example>
            <example expect="pass">net.core.somaxconn = 16384</example>
          </examples>
        </rule>
        """
    }

    /// The shipped knowledge base plus a user directory holding `files` (relative path → text), in a temporary
    /// directory of `test`.
    static func knowledgeBase(adding files: [String: String], _ test: XCTestCase) throws -> KnowledgeBase {
        let dir = try temporaryDirectory(test)
        for (name, text) in files { try write(text, to: dir + "/" + name) }
        var kb = KnowledgeBase.shipped
        try kb.addDirectory(dir)
        return kb
    }

    /// Asserts that every parameter, topic and rule `related` names exists in `kb`.
    static func assertRelatedItemsExist(_ related: RelatedItems, owner: String, in kb: KnowledgeBase,
                                        file: StaticString = #filePath, line: UInt = #line) {
        for key in related.parameters { XCTAssertNotNil(kb.parameters[key], "\(owner) relates to missing parameter \(key)", file: file, line: line) }
        for id in related.topics { XCTAssertNotNil(kb.topics[id], "\(owner) relates to missing topic \(id)", file: file, line: line) }
        for code in related.rules { XCTAssertNotNil(kb.rule(code: code), "\(owner) relates to missing rule \(code)", file: file, line: line) }
    }

    /// Runs the built `twlint` with arguments and optional standard input.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil, cwd: String? = nil,
                    executable: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let binary = executable ?? Bundle.main.bundleURL.appendingPathComponent("twlint").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        var env = environment ?? ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
