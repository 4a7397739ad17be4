import Foundation

/// `verify` installed into a prefix, usable with no clone of this repository at run time:
///
/// ```text
/// PREFIX/bin/verify
/// PREFIX/lib/verify/Modules/{MultiPrecision,DerivationKit}.swiftmodule   what derivation programs import
/// PREFIX/lib/verify/objects/*.o                                            what they link
/// PREFIX/lib/verify/include/CMPFR/{module.modulemap,shim.h}               the MPFR shim the modules refer to
/// PREFIX/lib/verify/layout.json                                            the compiler the modules were built by
/// ```
///
/// Everything is found relative to the executable, so the prefix can be moved or copied whole. The cache lives in
/// `$VERIFY_CACHE_DIR`, else `$XDG_CACHE_HOME/verify`, else `~/.cache/verify`.
public enum InstalledLayout {
    /// The library folder under the prefix.
    static let libraryFolder = "lib/verify"
    /// The modules derivation programs import, with the objects that implement them.
    static let targets = ["MultiPrecision", "DerivationKit"]

    /// What an installation records about itself.
    struct Record: Codable {
        var verifyVersion: String
        var compilerVersion: String
    }

    /// The toolchain of an installed `verify` whose executable is `executable`, or nil when it is not installed
    /// (no `../lib/verify` beside its folder). Throws when the installation is incomplete or `swiftc` is not the
    /// compiler that built its modules.
    static func toolchain(executable: URL, environment: [String: String]) throws -> Toolchain? {
        let library = executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(libraryFolder)
        let recordURL = library.appendingPathComponent("layout.json")
        guard let data = FileManager.default.contents(atPath: recordURL.path) else { return nil }
        guard let record = try? JSONDecoder().decode(Record.self, from: data) else {
            throw ToolchainError("\(recordURL.path) is unreadable: reinstall verify (`swift run -c release verify install PREFIX`)")
        }
        let modules = library.appendingPathComponent("Modules")
        for target in targets where !FileManager.default.fileExists(atPath: modules.appendingPathComponent("\(target).swiftmodule").path) {
            throw ToolchainError("the installation in \(library.path) lacks Modules/\(target).swiftmodule: reinstall verify")
        }
        let objectsFolder = library.appendingPathComponent("objects")
        let objects = ((try? FileManager.default.contentsOfDirectory(atPath: objectsFolder.path)) ?? [])
            .filter { $0.hasSuffix(".o") }.sorted().map { objectsFolder.appendingPathComponent($0) }
        guard !objects.isEmpty else { throw ToolchainError("the installation in \(library.path) has no objects/*.o: reinstall verify") }
        guard let swiftc = environment["SWIFTC"] ?? findOnPath("swiftc") else {
            throw ToolchainError("cannot find swiftc on PATH (set SWIFTC to the compiler that built verify: \(record.compilerVersion.split(separator: "\n").first ?? ""))")
        }
        let version = try runProcess(swiftc, ["--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard version == record.compilerVersion else {
            throw ToolchainError("verify in \(library.path) was built by «\(record.compilerVersion.split(separator: "\n").first ?? "")» but \(swiftc) is «\(version.split(separator: "\n").first ?? "")»: Swift modules only load in the compiler that built them; reinstall verify with this toolchain, or set SWIFTC")
        }
        let cache = environment["VERIFY_CACHE_DIR"].map { URL(fileURLWithPath: $0) }
            ?? environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0).appendingPathComponent("verify") }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/verify")
        var toolchain = Toolchain(binDirectory: library, shimDirectory: library.appendingPathComponent("include/CMPFR"), swiftc: swiftc,
                                  compilerVersion: version, objects: objects,
                                  libraryFingerprint: Toolchain.fingerprint(of: objects + targets.map { modules.appendingPathComponent("\($0).swiftmodule") }))
        toolchain.verifierFingerprint = Toolchain.fingerprint(of: [executable])
        toolchain.cacheOverride = cache
        return toolchain
    }

    /// Installs the running `verify` (`executable`, with the modules and objects of `toolchain`) into `prefix`,
    /// replacing an earlier installation there. Returns the paths written.
    public static func install(into prefix: URL, toolchain: Toolchain, executable: URL) throws -> [String] {
        let manager = FileManager.default
        let destination = prefix.appendingPathComponent(libraryFolder)
        // Build the library folder beside its place, then swap it in, so a failed install leaves the old one.
        let staging = prefix.appendingPathComponent("lib/.verify-\(UUID().uuidString)")
        try manager.createDirectory(at: staging.appendingPathComponent("Modules"), withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: staging) }
        // The modules that belong to the objects: `<build folder>/Modules` beside `<build folder>/<Target>.build/*.o`
        // (the objects may come from another build folder than the executable's, such as a current release build).
        let library = toolchain.objects.first.map { $0.deletingLastPathComponent().deletingLastPathComponent() } ?? toolchain.binDirectory
        for target in targets {
            let name = "\(target).swiftmodule"
            try manager.copyItem(at: library.appendingPathComponent("Modules/\(name)"), to: staging.appendingPathComponent("Modules/\(name)"))
        }
        try manager.createDirectory(at: staging.appendingPathComponent("objects"), withIntermediateDirectories: true)
        for object in toolchain.objects {
            // Two targets may have objects of one name: keep the target folder in the name.
            let target = object.deletingLastPathComponent().deletingPathExtension().lastPathComponent
            try manager.copyItem(at: object, to: staging.appendingPathComponent("objects/\(target)-\(object.lastPathComponent)"))
        }
        try manager.createDirectory(at: staging.appendingPathComponent("include/CMPFR"), withIntermediateDirectories: true)
        for name in ["module.modulemap", "shim.h"] {
            try manager.copyItem(at: toolchain.shimDirectory.appendingPathComponent(name), to: staging.appendingPathComponent("include/CMPFR/\(name)"))
        }
        let record = Record(verifyVersion: verifyVersion, compilerVersion: toolchain.compilerVersion)
        try JSONEncoder().encode(record).write(to: staging.appendingPathComponent("layout.json"))
        if manager.fileExists(atPath: destination.path) { try manager.removeItem(at: destination) }
        try manager.moveItem(at: staging, to: destination)
        let bin = prefix.appendingPathComponent("bin")
        try manager.createDirectory(at: bin, withIntermediateDirectories: true)
        let installed = bin.appendingPathComponent("verify")
        let temporary = bin.appendingPathComponent(".verify-\(UUID().uuidString)")
        try manager.copyItem(at: executable, to: temporary)
        guard rename(temporary.path, installed.path) == 0 else {
            try? manager.removeItem(at: temporary)
            throw ToolchainError("cannot place \(installed.path): \(String(cString: strerror(errno)))")
        }
        return [installed.path, destination.path]
    }
}
