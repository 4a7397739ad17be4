import DerivationKit
import Foundation
import Testing
@testable import Verifier

/// The package root and the fixtures folder, found from this file's path.
enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = packageRoot.appendingPathComponent("Tests/VerifierTests/Fixtures")
    static func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }
}

/// Verifies one fixture with the given options (no cache unless asked).
func verifyFixture(_ name: String, timeout: Double = 120, useCache: Bool = false, ladder: Bool = true) throws -> FileReport {
    var options = VerificationOptions()
    options.timeout = timeout
    options.useCache = useCache
    options.ladder = ladder
    let verifier = Verifier(toolchain: try Toolchain.locate(), options: options)
    return verifier.verify(try Verifier.scan(Paths.fixture(name)))
}

@Suite("End-to-end fixtures: each failure kind at its Markdown line")
struct EndToEndTests {
    @Test("a correct derivation passes every kind of claim")
    func correct() throws {
        let report = try verifyFixture("correct.md")
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.passed)
        let verdicts = Dictionary(uniqueKeysWithValues: report.claims.map { ($0.id, $0.verdict) })
        #expect(verdicts == ["three-thirds-make-one": .agrees, "sqrt2": .agrees, "pi-below-22-7": .proved,
                             "pi-is-not-22-7": .refuted, "1-n-plus-1-n-decays-at-order-2": .agrees, "rows": .agrees])
        #expect(report.claims.first { $0.id == "sqrt2" }?.line == 25)
        #expect(report.precisions == [576, 1152])
        #expect((report.minimumDigits ?? 0) > 150)
        #expect(report.blockCounts == ["run": 2, "setup": 1, "no-run": 1])
    }

    @Test("a wrong identity is refuted at its line, with both sides")
    func wrongIdentity() throws {
        let report = try verifyFixture("wrong-identity.md")
        #expect(!report.passed)
        let wrong = try #require(report.claims.first { $0.id == "wrong-double-angle" })
        #expect(wrong.verdict == .refuted)
        #expect(wrong.line == 6)
        // cos(6/7) against 2cos²(3/7) + 1: the sides differ by exactly 2 (mpmath: cos(6/7) = 0.6546000666752675…).
        #expect(wrong.records[0].lhs?.hasPrefix("6.5460006667526750957") == true)
        #expect(wrong.records[0].difference?.hasPrefix("-2.00000") == true)
        #expect(report.claims.first { $0.id == "double-angle" }?.verdict == .agrees)
    }

    @Test("an identity that is only approximate passes at the first rung alone but is caught by the ladder")
    func approximate() throws {
        let single = try verifyFixture("approximate.md", ladder: false)
        #expect(single.claims.first?.verdict == .agrees)
        let laddered = try verifyFixture("approximate.md")
        let claim = try #require(laddered.claims.first)
        #expect(claim.verdict == .undecided)
        #expect(claim.line == 8)
        #expect(!laddered.passed)
    }

    @Test("a compile error is reported at the Markdown line")
    func compileError() throws {
        let report = try verifyFixture("compile-error.md")
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .compile)
        #expect(problem.line == 12)
        #expect(problem.message.contains("undefinedName"))
        #expect(!report.passed)
    }

    @Test("a trap is reported in its block, and claims before it keep their results")
    func trap() throws {
        let report = try verifyFixture("trap.md")
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .runtime)
        #expect(problem.line == 11)
        #expect(problem.message.contains("Index out of range"))
        #expect(report.claims.first?.id == "first-entry")
        #expect(!report.passed)
    }

    @Test("an error a library call throws at top level points at the calling line, not the block")
    func thrownAtTopLevel() throws {
        let report = try verifyFixture("thrown.md", ladder: false)
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .runtime)
        // The fixture's own text gives the line of the call (the block opens two lines above it).
        let text = try String(contentsOfFile: Paths.fixture("thrown.md"), encoding: .utf8)
        let callLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("a.inverse()") }) + 1
        #expect(callLine == 13)
        #expect(problem.line == callLine)
        #expect(problem.file == nil)
        #expect(problem.message.contains("the matrix is singular: column 1 has no non-zero pivot (thrown at "))
        #expect(problem.message.contains("thrown.md:\(callLine))"))
        #expect(report.claims.first?.id == "a00")
        #expect(!report.passed)
    }

    @Test("rungs run as separate jobs give the report of rungs run in turn: a rung after a failing one is dropped")
    func rungsAsJobs() throws {
        var options = VerificationOptions()
        options.useCache = false
        options.jobs = 2
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: options)
        let files = try ["trap.md", "correct.md"].map { try Verifier.scan(Paths.fixture($0)) }
        let scheduled = verifier.verify(files).files
        let inTurn = files.map { verifier.verify($0) }
        #expect(scheduled.map(\.file) == inTurn.map(\.file))
        for (a, b) in zip(scheduled, inTurn) {
            #expect(a.passed == b.passed && a.problems == b.problems && a.rungSeconds.count == b.rungSeconds.count)
            #expect(a.claims.map(\.id) == b.claims.map(\.id) && a.claims.map(\.verdict) == b.claims.map(\.verdict))
            #expect(a.claims.map { $0.records.map(\.residual) } == b.claims.map { $0.records.map(\.residual) })
        }
        #expect(scheduled[0].rungSeconds.count == 1 && scheduled[1].rungSeconds.count == 2)
    }

    @Test("an infinite loop is killed at the timeout, naming its block")
    func timeout() throws {
        let report = try verifyFixture("infinite-loop.md", timeout: 4)
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .timeout)
        #expect(problem.line == 7)
        #expect(!report.passed)
    }

    @Test("a file with no claims is an error: nothing is checked")
    func noClaims() throws {
        let report = try verifyFixture("no-claims.md")
        #expect(report.problems.map(\.kind) == [.noClaims])
        #expect(!report.passed)
    }

    @Test("an unclosed fence is an input error at its opening line")
    func unclosedFence() {
        do {
            _ = try Verifier.scan(Paths.fixture("unclosed-fence.md"))
            Issue.record("expected an input error")
        } catch let error as InputError {
            #expect(error.line == 5)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a known-false claim that holds fails")
    func knownFalseHolds() throws {
        let report = try verifyFixture("known-false-holds.md")
        let claim = try #require(report.claims.first)
        #expect(claim.verdict == .agrees)
        #expect(!claim.passed)
        #expect(!report.passed)
    }

    @Test("an unchanged file is served from the cache")
    func cache() throws {
        _ = try verifyFixture("correct.md", useCache: true)
        let second = try verifyFixture("correct.md", useCache: true)
        #expect(second.cached)
        #expect(second.passed)
    }

    @Test("missing paths and folders without Markdown are input errors")
    func collectErrors() {
        #expect(throws: InputErrors.self) { try Verifier.collectFiles(["/no/such/path.md"]) }
    }

    @Test("JUnit and JSON reports carry every claim")
    func reports() throws {
        let report = try verifyFixture("wrong-identity.md")
        let run = RunReport(files: [report], versions: [:], seconds: 1)
        let xml = junitReport(run)
        #expect(xml.contains("<failure type=\"refuted\""))
        #expect(xml.contains("wrong-identity.md:6"))
        let json = try jsonReport(run)
        let decoded = try JSONDecoder().decode(RunReport.self, from: Data(json.utf8))
        #expect(decoded == run)
        #expect(decoded.totals.claims == 2 && decoded.totals.claimsPassed == 1)
    }
}

@Suite("Regression on the proofs")
struct DerivationRegressionTests {
    @Test("every derivation in derivations/ passes every claim")
    func derivationsPass() throws {
        let folder = Paths.packageRoot.appendingPathComponent("derivations").path
        let files = try Verifier.collectFiles([folder])
        var options = VerificationOptions()
        options.useCache = false
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: options)
        let (scanned, inputErrors) = Verifier.scanAll(files)
        #expect(inputErrors.isEmpty, "\(inputErrors)")
        let run = verifier.verify(scanned)
        for file in run.files {
            #expect(file.passed, "\(file.file): \(file.problems.map(\.message)) \(file.claims.filter { !$0.passed }.map { "\($0.line) \($0.label): \($0.verdict) \($0.detail)" })")
        }
        #expect(!run.files.isEmpty)
    }
}
