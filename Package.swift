// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "twlint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "twlint", targets: ["twlint"]),
        .library(name: "TWLintKit", targets: ["TWLintKit"]),
        // For the libFuzzer harness (scripts/fuzz.sh): a static archive it links against.
        .library(name: "TWLintKitFuzz", type: .static, targets: ["TWLintKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // Property-based tests (Swift Testing): .ci/run runs them with `swift test --disable-xctest`.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // `twlint serve` only (the TWLintServe target); TWLintKit does not depend on it.
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Build-time tool: turns kb/, rules/ and schema/ into Swift string literals.
        .executableTarget(name: "twlint-embed", path: "Sources/twlint-embed"),
        .plugin(
            name: "EmbedKnowledge",
            capability: .buildTool(),
            dependencies: ["twlint-embed"]
        ),
        // The kernel's sock_diag/inet_diag structures for the netlink socket reader.
        .target(name: "CNetlinkDiag", path: "Sources/CNetlinkDiag"),
        .target(
            name: "TWLintKit",
            dependencies: [
                "CLibXML2",
                "CNetlinkDiag",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Plot", package: "Plot"),
            ],
            plugins: ["EmbedKnowledge"]
        ),
        // The HTTP exporter of `twlint serve` (/metrics, /healthz).
        .target(
            name: "TWLintServe",
            dependencies: [
                "TWLintKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "twlint",
            dependencies: [
                "TWLintKit",
                "TWLintServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TWLintKitTests",
            // The CLI tests run the built executable, so it must be built with the tests.
            dependencies: ["TWLintKit", "twlint", .product(name: "Yams", package: "Yams"),
                           .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
