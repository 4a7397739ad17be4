import Foundation
import Synchronization

/// Where the prebuilt numerics and claim modules are, and how to compile a derivation program against them.
///
/// The verifier is built by SwiftPM together with `MultiPrecision` and `DerivationKit`; their module files
/// (`Modules/*.swiftmodule`) and object files (`<Target>.build/*.o`) sit in the same build folder as the
/// running executable (the `verify` tool or the test bundle). A derivation program is compiled by one
/// `swiftc` call that links those objects, so no `swift build` is needed per file.
public struct Toolchain: Sendable {
    /// The build folder holding the modules and objects.
    public var binDirectory: URL
    /// The folder with `module.modulemap` of the MPFR shim.
    public var shimDirectory: URL
    /// The Swift compiler.
    public var swiftc: String
    /// `swiftc --version`, part of every cache key.
    public var compilerVersion: String
    /// The build folder of the library linked into every program: ``binDirectory``, or the release build next to
    /// a debug one when that is current (see ``optimisedLibrary(besides:sources:)``).
    public var libraryDirectory: URL? = nil
    /// The object files linked into every program.
    public var objects: [URL]
    /// A fingerprint of the prebuilt library (objects and module interfaces: names, sizes, dates).
    public var libraryFingerprint: String
    /// A fingerprint of the verifier itself (its objects and the running executable: names, sizes, dates), part of
    /// every report's cache key, so that a changed verdict rule never serves a stale verdict.
    public var verifierFingerprint: String = ""

    /// The toolchain next to the running executable (or in `VERIFY_BUILD_DIR` when set).
    public static func locate() throws -> Toolchain {
        let environment = ProcessInfo.processInfo.environment
        let executable = runningExecutable
        // An installed verify (PREFIX/bin/verify beside PREFIX/lib/verify) carries its own modules and objects.
        if environment["VERIFY_BUILD_DIR"] == nil,
           let installed = try InstalledLayout.toolchain(executable: executable, environment: environment) { return installed }
        var bin = environment["VERIFY_BUILD_DIR"].map { URL(fileURLWithPath: $0) } ?? executable.deletingLastPathComponent()
        // A test bundle on some platforms lives inside a bundle folder; walk up to the folder holding Modules/.
        while !FileManager.default.fileExists(atPath: bin.appendingPathComponent("Modules/DerivationKit.swiftmodule").path),
              bin.pathComponents.count > 1 {
            bin = bin.deletingLastPathComponent()
        }
        guard FileManager.default.fileExists(atPath: bin.appendingPathComponent("Modules/DerivationKit.swiftmodule").path) else {
            throw ToolchainError("cannot find the built DerivationKit module next to \(executable.path): run `swift build` first")
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shim = packageRoot.appendingPathComponent("Sources/CMPFR")
        guard let swiftc = environment["SWIFTC"] ?? findOnPath("swiftc") else {
            throw ToolchainError("cannot find swiftc on PATH (set SWIFTC to the compiler)")
        }
        let libraryFolder = optimisedLibrary(besides: bin, sources: packageRoot) ?? bin
        let modules = libraryFolder.appendingPathComponent("Modules")
        var objects: [URL] = []
        for target in ["MultiPrecision", "DerivationKit"] {
            let folder = libraryFolder.appendingPathComponent("\(target).build")
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            objects += names.filter { $0.hasSuffix(".o") && !$0.hasSuffix(".swiftmodule.o") }.sorted().map { folder.appendingPathComponent($0) }
        }
        guard !objects.isEmpty else { throw ToolchainError("no object files for MultiPrecision/DerivationKit in \(bin.path): run `swift build`") }
        let version = try compilerVersion(of: swiftc)
        let library = fingerprint(of: objects + [modules.appendingPathComponent("DerivationKit.swiftmodule"),
                                                 modules.appendingPathComponent("MultiPrecision.swiftmodule")])
        let verifierFolder = bin.appendingPathComponent("Verifier.build")
        let verifierObjects = ((try? FileManager.default.contentsOfDirectory(atPath: verifierFolder.path)) ?? [])
            .filter { $0.hasSuffix(".o") }.sorted().map { verifierFolder.appendingPathComponent($0) }
        var toolchain = Toolchain(binDirectory: bin, shimDirectory: shim, swiftc: swiftc, compilerVersion: version,
                                  objects: objects, libraryFingerprint: library)
        toolchain.libraryDirectory = libraryFolder
        toolchain.verifierFingerprint = fingerprint(of: verifierObjects + [executable])
        return toolchain
    }

    /// The release build folder next to the debug build folder `bin`, when it holds the numerics and claim library
    /// built from the current sources: its modules and objects exist, and each target's last compilation (its
    /// dependency file `<Target>.d`, written by every compilation even when the objects come out unchanged) is not
    /// older than what it is compiled from: its own sources under `sources` and the MPFR shim, and for
    /// `DerivationKit` also the `MultiPrecision` module (rewritten whenever the interface or an inlinable body
    /// changes; a change that leaves it alone needs no recompilation of `DerivationKit`). Programs linked against
    /// it run 2–4× faster than against debug objects, and they are compiled the same way.
    static func optimisedLibrary(besides bin: URL, sources: URL) -> URL? {
        guard bin.lastPathComponent == "debug" else { return nil }
        let release = bin.deletingLastPathComponent().appendingPathComponent("release")
        let manager = FileManager.default
        func files(_ folder: URL, _ suffix: String) -> [URL] {
            ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(suffix) }
                .map { folder.appendingPathComponent($0) }
        }
        func date(_ file: URL) -> Date? { (try? manager.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date }
        let shim = files(sources.appendingPathComponent("Sources/CMPFR"), "")
        for (target, dependencies) in [("MultiPrecision", []), ("DerivationKit", ["MultiPrecision"])] {
            let folder = release.appendingPathComponent("\(target).build")
            let inputs = shim + files(sources.appendingPathComponent("Sources/\(target)"), ".swift")
                + dependencies.map { release.appendingPathComponent("Modules/\($0).swiftmodule") }
            guard manager.fileExists(atPath: release.appendingPathComponent("Modules/\(target).swiftmodule").path),
                  !files(folder, ".o").isEmpty,
                  let compiled = date(folder.appendingPathComponent("\(target).d")),
                  let newestInput = inputs.compactMap(date).max(), compiled >= newestInput else { return nil }
        }
        return release
    }

    /// `swiftc --version` of the compiler at `path`, asked once per process (a `verify` run locates its toolchain
    /// more than once, and starting the compiler costs a noticeable part of a cached run).
    static func compilerVersion(of path: String) throws -> String {
        if let known = compilerVersions.withLock({ $0[path] }) { return known }
        let version = try runProcess(path, ["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        compilerVersions.withLock { $0[path] = version }
        return version
    }

    private static let compilerVersions = Mutex<[String: String]>([:])

    /// SHA-256 over the names, sizes and modification dates of `files`.
    static func fingerprint(of files: [URL]) -> String {
        var text = ""
        for file in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
            let date = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            text += "\(file.path):\(size):\(date);"
        }
        return SHA256.hex(of: Array(text.utf8))
    }

    /// Where the cache goes instead of the build folder (an installed verify: see ``InstalledLayout``).
    public var cacheOverride: URL? = nil

    /// The running executable (the `verify` tool or the test bundle), symbolic links resolved.
    public static var runningExecutable: URL {
        URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).resolvingSymlinksInPath()
    }

    /// The cache folder: `.build/verify-cache` of the package whose build folder this is (or ``cacheOverride``).
    public var cacheDirectory: URL {
        if let cacheOverride { return cacheOverride }
        let scratch = binDirectory.deletingLastPathComponent().deletingLastPathComponent()
        let root = FileManager.default.fileExists(atPath: scratch.appendingPathComponent("checkouts").path)
            || scratch.lastPathComponent.hasPrefix(".build") ? scratch : binDirectory
        return root.appendingPathComponent("verify-cache")
    }

    /// The `swiftc` arguments that type-check a derivation program without building it (add `-typecheck` or
    /// `-dump-ast`).
    public func typeCheckArguments(source: URL) -> [String] {
        ["-swift-version", "5", "-module-name", "Derivation", source.path,
         "-I", (libraryDirectory ?? binDirectory).appendingPathComponent("Modules").path, "-I", shimDirectory.path]
    }

    /// The `swiftc` arguments that compile `source` into `executable`.
    public func compileArguments(source: URL, executable: URL) -> [String] {
        ["-Onone", "-gline-tables-only"] + typeCheckArguments(source: source) + objects.map(\.path)
            + ["-lmpfr", "-lgmp", "-lm", "-o", executable.path]
    }
}

/// The build products or the compiler could not be found.
public struct ToolchainError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
