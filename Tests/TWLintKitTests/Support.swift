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
