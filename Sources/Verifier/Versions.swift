import CMPFR

/// The version of the `verify` tool (its report schema is versioned apart, in ``RunReport/schemaVersion``).
public let verifyVersion = "0.5.0"

/// The version of the GNU MPFR library in use. The corresponding MPFR function is `mpfr_get_version`.
public var mpfrVersion: String { String(cString: cmpfr_version()) }

/// The version of GMP in use (GMP's `gmp_version` string).
public var gmpVersion: String { String(cString: cmpfr_gmp_version()) }

/// The text of `verify --version`: the tool, the MPFR and GMP it runs with, the Swift compiler that compiles
/// derivation programs (or why none was found), and the folder of the modules those programs import.
public func versionText() -> String {
    let compiler: String, modules: String
    do {
        let toolchain = try Toolchain.locate()
        compiler = toolchain.compilerVersion.split(separator: "\n").first.map(String.init) ?? "unknown"
        modules = toolchain.binDirectory.appendingPathComponent("Modules").path
    } catch {
        (compiler, modules) = ("not found (\(error))", "not found")
    }
    return """
        verify \(verifyVersion)
        MPFR \(mpfrVersion)
        GMP \(gmpVersion)
        swiftc \(compiler)
        derivation modules \(modules)

        """
}
