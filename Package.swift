// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "twlint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "twlint", targets: ["twlint"]),
        .library(name: "TWLintKit", targets: ["TWLintKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
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
        .target(
            name: "TWLintKit",
            dependencies: [
                "CLibXML2",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Plot", package: "Plot"),
            ],
            plugins: ["EmbedKnowledge"]
        ),
        .executableTarget(
            name: "twlint",
            dependencies: [
                "TWLintKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "TWLintKitTests",
            // The CLI tests run the built executable, so it must be built with the tests.
            dependencies: ["TWLintKit", "twlint"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
