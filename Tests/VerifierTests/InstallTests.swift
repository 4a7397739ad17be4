import Foundation
import Testing
@testable import Verifier

@Suite("Install anywhere: verify install PREFIX")
struct InstallTests {
    /// The README's example derivation: three reciprocals, π < 22/7, and the refuted π = 22/7.
    static let thirds = """
        # Thirds

        For every $n \\ge 1$, $n \\cdot \\tfrac1n = 1$; and $\\pi < 22/7$.

        ```swift
        for n in [3, 7, 10] {
            let reciprocal = number(1, over: n)
            claimEqual("n · (1/n) = 1 for n = \\(n)", reciprocal * n, number(1))
        }
        let pi = Interval.pi(precision: workingPrecision)
        claimLess("π < 22/7", pi, Interval(numerator: 22, denominator: 7, precision: workingPrecision))
        claimRefuted("π = 22/7 (a tempting mistake)", BigFloat.pi(precision: workingPrecision), number(22, over: 7))
        ```

        """

    /// Runs `executable arguments` in `folder` with `environment` added (and no VERIFY_BUILD_DIR).
    func run(_ executable: URL, _ arguments: [String], in folder: URL, environment: [String: String]) throws -> ProcessOutcome {
        var variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        variables["VERIFY_BUILD_DIR"] = nil
        return try runProcess("/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", folder.path, executable.path] + arguments,
                              timeout: 300, environment: variables)
    }

    @Test("an installed prefix, moved elsewhere, verifies a derivation in an unrelated folder with its own cache")
    func installMoveAndVerify() throws {
        let work = try temporaryFolder()
        let prefix = work.appendingPathComponent("prefix")
        let installed = try runVerify(["install", prefix.path])
        #expect(installed.status == 0, "\(installed.errors)")
        #expect(FileManager.default.isExecutableFile(atPath: prefix.appendingPathComponent("bin/verify").path))
        // Relocatable: the whole prefix moves, and nothing points back into this repository or its build folder.
        let tools = work.appendingPathComponent("elsewhere/tools")
        try FileManager.default.createDirectory(at: tools.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: prefix, to: tools)
        let verify = tools.appendingPathComponent("bin/verify")
        let paper = work.appendingPathComponent("paper")
        try FileManager.default.createDirectory(at: paper.appendingPathComponent("theory"), withIntermediateDirectories: true)
        try Self.thirds.write(to: paper.appendingPathComponent("theory/thirds.md"), atomically: true, encoding: .utf8)
        let cache = work.appendingPathComponent("cache")

        let version = try run(verify, ["--version"], in: paper, environment: ["VERIFY_CACHE_DIR": cache.path])
        #expect(version.output.contains("derivation modules \(tools.path)/lib/verify/Modules\n"), "\(version.output)")

        let outcome = try run(verify, ["theory/", "--json"], in: paper, environment: ["VERIFY_CACHE_DIR": cache.path])
        #expect(outcome.status == 0, "\(outcome.output) \(outcome.errors)")
        let report = try JSONDecoder().decode(RunReport.self, from: Data(outcome.output.utf8))
        #expect(report.files.map(\.file) == ["theory/thirds.md"])
        // Three equalities that agree, one proved inequality, one expected refutation.
        #expect(report.totals.claims == 5 && report.totals.claimsPassed == 5)
        #expect(report.totals.byVerdict == ["agrees": 3, "proved": 1, "refuted": 1])
        #expect(FileManager.default.fileExists(atPath: cache.appendingPathComponent("reports").path))
        let again = try run(verify, ["theory/thirds.md"], in: paper, environment: ["VERIFY_CACHE_DIR": cache.path])
        #expect(again.output.contains("(cached)"))
    }

    @Test("an installation built by another compiler says so and how to fix it")
    func otherCompiler() throws {
        let work = try temporaryFolder()
        let prefix = work.appendingPathComponent("prefix")
        #expect(try runVerify(["install", prefix.path]).status == 0)
        try #"{"verifyVersion":"0","compilerVersion":"Swift version 1.0 (an old one)"}"#
            .write(to: prefix.appendingPathComponent("lib/verify/layout.json"), atomically: true, encoding: .utf8)
        try Self.thirds.write(to: work.appendingPathComponent("thirds.md"), atomically: true, encoding: .utf8)
        let outcome = try run(prefix.appendingPathComponent("bin/verify"), ["thirds.md"], in: work, environment: [:])
        #expect(outcome.status == 2)
        #expect(outcome.errors.contains("was built by «Swift version 1.0 (an old one)»"))
        #expect(outcome.errors.contains("reinstall verify with this toolchain, or set SWIFTC"))
    }
}

@Suite("Use it from your own package (a consumer package fixture)")
struct ConsumerPackageTests {
    /// Builds a whole copy of the package graph (minutes): runs when VERIFY_SLOW_TESTS=1, as .ci/run sets.
    @Test("a package that depends on this one runs `swift run verify theory/`",
          .enabled(if: ProcessInfo.processInfo.environment["VERIFY_SLOW_TESTS"] == "1"))
    func consumerPackage() throws {
        let work = try temporaryFolder()
        let consumer = work.appendingPathComponent("my-paper")
        try FileManager.default.copyItem(at: Paths.fixtures.appendingPathComponent("consumer"), to: consumer)
        let manifest = try String(contentsOf: consumer.appendingPathComponent("Package.swift.in"), encoding: .utf8)
            .replacingOccurrences(of: "@VERIFIER_PATH@", with: Paths.packageRoot.path)
        try manifest.write(to: consumer.appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["VERIFY_BUILD_DIR"] = nil
        let swift = try #require(findOnPath("swift"))
        let outcome = try runProcess("/bin/sh", ["-c", "cd \"$1\" && shift && exec \"$@\"", "sh", consumer.path,
                                                 swift, "run", "verify", "theory/"], timeout: 1800, environment: environment)
        #expect(outcome.status == 0, "\(outcome.output) \(outcome.errors.suffix(2000))")
        #expect(outcome.output.contains("PASS theory/thirds.md  5 claims  5 ✓"))
        #expect(outcome.output.contains("passed: 1 file (0 failed), 5 claims: 5 passed, 0 failed [3 agrees, 1 proved, 1 refuted]"))
    }
}
