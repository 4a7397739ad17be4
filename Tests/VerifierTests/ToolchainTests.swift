import Foundation
import Testing
@testable import Verifier

/// Which library objects derivation programs link against: the release build only while it is current.
@Suite("The release library is used only while it is current")
struct ReleaseLibraryTests {
    /// A package folder with sources and a debug and a release build folder, all files dated `base`.
    func package() throws -> (root: URL, debug: URL, release: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("toolchain-\(UUID().uuidString)")
        let build = root.appendingPathComponent(".build/x86_64-unknown-linux-gnu")
        let files = ["Sources/CMPFR/shim.h", "Sources/CMPFR/module.modulemap", "Sources/MultiPrecision/BigFloat.swift",
                     "Sources/DerivationKit/Claims.swift",
                     ".build/x86_64-unknown-linux-gnu/debug/Modules/DerivationKit.swiftmodule"]
            + ["MultiPrecision", "DerivationKit"].flatMap { target in
                ["Modules/\(target).swiftmodule", "\(target).build/\(target).d", "\(target).build/A.swift.o"]
                    .map { ".build/x86_64-unknown-linux-gnu/release/\($0)" }
            }
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: url)
        }
        for file in files { try date(root.appendingPathComponent(file), 0) }
        return (root, build.appendingPathComponent("debug"), build.appendingPathComponent("release"))
    }

    /// Sets the modification date of `file` to `seconds` after a fixed moment.
    func date(_ file: URL, _ seconds: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000 + seconds)],
                                              ofItemAtPath: file.path)
    }

    @Test("current after a full build; stale when a source, the shim or the numerics module changed later")
    func freshness() throws {
        let (root, debug, release) = try package()
        defer { try? FileManager.default.removeItem(at: root) }
        let use = { Toolchain.optimisedLibrary(besides: debug, sources: root) }
        #expect(use() == release)
        // A numerics source edited after the release build: stale.
        try date(root.appendingPathComponent("Sources/MultiPrecision/BigFloat.swift"), 10)
        #expect(use() == nil)
        // MultiPrecision recompiled, its interface unchanged (module file not rewritten): DerivationKit needs nothing.
        try date(release.appendingPathComponent("MultiPrecision.build/MultiPrecision.d"), 20)
        #expect(use() == release)
        // The interface changed (module rewritten) but DerivationKit was not recompiled: stale.
        try date(release.appendingPathComponent("Modules/MultiPrecision.swiftmodule"), 20)
        #expect(use() == nil)
        try date(release.appendingPathComponent("DerivationKit.build/DerivationKit.d"), 30)
        #expect(use() == release)
        // The MPFR shim or a claim source edited later: stale.
        try date(root.appendingPathComponent("Sources/CMPFR/shim.h"), 40)
        #expect(use() == nil)
        try date(release.appendingPathComponent("MultiPrecision.build/MultiPrecision.d"), 50)
        try date(release.appendingPathComponent("DerivationKit.build/DerivationKit.d"), 50)
        #expect(use() == release)
        try date(root.appendingPathComponent("Sources/DerivationKit/Claims.swift"), 60)
        #expect(use() == nil)
    }

    @Test("never for a release build itself, nor without release objects")
    func absent() throws {
        let (root, debug, release) = try package()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(Toolchain.optimisedLibrary(besides: release, sources: root) == nil)
        try FileManager.default.removeItem(at: release.appendingPathComponent("DerivationKit.build/A.swift.o"))
        #expect(Toolchain.optimisedLibrary(besides: debug, sources: root) == nil)
    }
}
