// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "literate-derivations",
    products: [
        .executable(name: "verify", targets: ["verify"]),
        .executable(name: "numerics-bench", targets: ["numerics-bench"]),
        .library(name: "MultiPrecision", targets: ["MultiPrecision"]),
        .library(name: "DerivationKit", targets: ["DerivationKit"]),
        .library(name: "Verifier", targets: ["Verifier"]),
        .library(name: "Pages", targets: ["Pages"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // Layer 0: GNU MPFR and GMP, found through pkg-config.
        .systemLibrary(
            name: "CMPFR",
            pkgConfig: "mpfr",
            providers: [.apt(["libmpfr-dev", "libgmp-dev"])]
        ),
        // The CommonMark reference parser (cmark-gfm), found through pkg-config: the verifier's block discovery and
        // the pages' Markdown rendering (with the GitHub extensions).
        // Debian's libcmark-gfm.pc also links the extensions library, which libcmark-gfm-extensions-dev ships.
        .systemLibrary(
            name: "CCommonMark",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // Layer 1: multi-precision numerics.
        .target(name: "MultiPrecision", dependencies: ["CMPFR"], linkerSettings: [.linkedLibrary("m")]),
        // Layer 2: the claim vocabulary that derivation programs import, and the verifier.
        .target(name: "DerivationKit", dependencies: ["MultiPrecision"]),
        .target(name: "Verifier", dependencies: ["DerivationKit", "CCommonMark"]),
        // Layer 3: the reviewer's pages (HTML, graphs, plots) from the verifier's reports and scanned files.
        .target(name: "Pages", dependencies: ["Verifier", "CCommonMark"]),
        // Layer 4: the thin command-line front end.
        .executableTarget(
            name: "verify",
            dependencies: ["Verifier", "Pages", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Benchmark: the same loops in C (raw MPFR) and through MultiPrecision, side by side.
        .target(name: "CMPFRBench", dependencies: ["CMPFR"]),
        .executableTarget(name: "numerics-bench", dependencies: ["MultiPrecision", "CMPFRBench"]),
        .testTarget(name: "MultiPrecisionTests", dependencies: ["MultiPrecision"], resources: [.copy("Fixtures")]),
        .testTarget(name: "VerifierTests", dependencies: ["Verifier"], resources: [.copy("Fixtures")]),
        .testTarget(name: "PagesTests", dependencies: ["Pages", "Verifier"], resources: [.copy("Fixtures")]),
    ]
)
