import DerivationKit
import Foundation
import Testing
@testable import Verifier

/// The verdicts of one adversarial fixture, by label (labels are unique within each fixture).
func adversarial(_ name: String, ladder: Bool = true) throws -> FileReport {
    try verifyFixture("adversarial/\(name).md", ladder: ladder)
}

extension FileReport {
    /// The claim labelled `label`.
    func claim(_ label: String) -> ClaimResult? { claims.first { $0.label == label } }
}

@Suite("Sound verdicts: a PASS that cannot lie, and nothing lost")
struct SoundVerdictTests {
    @Test("arguments that would make a check vacuous are errors, each at its line, and every call has a verdict")
    func vacuousArguments() throws {
        let report = try adversarial("vacuous-arguments")
        #expect(report.claims.count == 14, "one verdict per claim call")
        let expected: [(String, Verdict, Int)] = [
            ("vectors of different lengths", .refuted, 5), ("an overflowed side", .error, 6), ("a zero scale", .error, 7),
            ("a negative scale", .error, 8), ("NaN is not refuted", .error, 9), ("no digits", .error, 10),
            ("more digits than the precision shows", .error, 11), ("empty vectors", .error, 12),
            ("integer difference overflows", .refuted, 13), ("a tolerance that says nothing", .error, 14),
            ("an infinite tolerance", .error, 15), ("a negative rate", .error, 16),
            ("log of an interval reaching below zero", .error, 17), ("a fine claim", .agrees, 18),
        ]
        for (label, verdict, line) in expected {
            let claim = try #require(report.claim(label), "\(label)")
            #expect(claim.verdict == verdict, "\(label): \(claim.detail)")
            #expect(claim.line == line, "\(label)")
        }
        #expect(report.claim("vectors of different lengths")?.detail.contains("vector of 2 and vector of 3") == true)
        #expect(report.claim("NaN is not refuted")?.passed == false)
        // Int.max − Int.min = 2⁶⁴ − 1, computed without trapping.
        #expect(report.claim("integer difference overflows")?.records.first?.difference == "18446744073709551615")
        #expect(!report.passed)
    }

    @Test("a claim made only on one rung, or more often there, is an error; IDs never collide")
    func rungsDiffer() throws {
        let report = try adversarial("rungs-differ")
        // Claim calls: 1 + 0/1 + 1/2 + 1 at 576/1152 bits → 5 distinct calls, 5 verdicts.
        #expect(report.claims.count == 5)
        #expect(report.claim("made on both rungs")?.verdict == .agrees)
        #expect(report.claim("after the differing claims")?.verdict == .agrees)
        let onlySecond = try #require(report.claim("made only on the second rung"))
        #expect(onlySecond.verdict == .error && onlySecond.line == 7)
        #expect(onlySecond.detail.contains("only the 1152-bit run made this claim"))
        let repeated = report.claims.filter { $0.label == "made more often on the second rung" }
        #expect(repeated.map(\.verdict) == [.agrees, .error])
        #expect(repeated.allSatisfy { $0.line == 10 })
        #expect(Set(report.claims.map(\.id)).count == report.claims.count)
    }

    @Test("claims labelled alike are paired by call site, not by a generated ID")
    func idCollision() throws {
        let report = try adversarial("id-collision")
        #expect(report.claims.map(\.id) == ["term", "term-2", "term-2-2"])
        #expect(report.claims.map(\.verdict) == [.agrees, .undecided, .agrees])
        #expect(report.claims[1].line == 6)
    }

    @Test("equalities compare every entry, report the worst, and refute shapes that differ")
    func entrywise() throws {
        let report = try adversarial("entrywise")
        let small = try #require(report.claim("a small entry 100 % wrong"))
        #expect(small.verdict == .refuted)
        #expect(small.records.first?.worstEntry == "entry 1")
        // |1 − 2| / max(1, 2) = 1/2.
        #expect(small.records.first?.residual?.hasPrefix("5.00000e-1") == true)
        let matrix = try #require(report.claim("a matrix entry wrong"))
        #expect(matrix.verdict == .refuted && matrix.records.first?.worstEntry == "row 1, column 0")
        let shapes = try #require(report.claim("shapes differ"))
        #expect(shapes.verdict == .refuted && shapes.detail.contains("2×3 matrix and 3×2 matrix"))
        #expect(report.claim("a rounding residue at a stated scale")?.verdict == .agrees)
        #expect(report.claim("a tiny true difference at a stated scale")?.verdict == .undecided)
        #expect(report.claim("an exactly zero entry on both sides")?.verdict == .agrees)
    }

    @Test("a value rounded below the working precision cannot make a claim")
    func lowPrecision() throws {
        let report = try adversarial("low-precision")
        let third = try #require(report.claim("a third made at the 256-bit default"))
        #expect(third.verdict == .error && third.line == 5)
        #expect(third.detail.contains("rounded at 256 bits"))
        #expect(report.claim("an exact value at a low precision is fine")?.verdict == .agrees)
    }

    @Test("an interval made from a rounded value encloses the true value, so 1/3 > 1/3 is never proved")
    func enclosures() throws {
        let report = try adversarial("enclosures")
        #expect(report.claim("a rounded third above the true third")?.verdict == .undecided)
        #expect(report.claim("a rounded third below the true third")?.verdict == .undecided)
        #expect(report.claim("the square root of an interval reaching below zero")?.verdict == .error)
        #expect(report.claim("a third below a half")?.verdict == .proved)
    }

    @Test("a block cannot write the end of the run: a forged end is a records problem")
    func forgedEnd() throws {
        let report = try adversarial("channel")
        #expect(report.problems.contains { $0.kind == .records })
        #expect(!report.passed)
    }

    @Test("a block that exits early fails the file at its block")
    func earlyExit() throws {
        let report = try adversarial("early-exit")
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .incomplete && problem.line == 3)
        #expect(!report.passed)
    }

    @Test("a block that declares its own claim function is rejected at that line")
    func ownClaim() throws {
        let report = try adversarial("own-claim")
        let problem = try #require(report.problems.first)
        #expect(problem.kind == .compile && problem.line == 5)
        #expect(problem.message.contains("claimEqual"))
        #expect(report.claims.isEmpty && !report.passed)
    }

    @Test("printed output is kept per block, shown under a failing claim, and never read as a record")
    func output() throws {
        let report = try adversarial("output")
        #expect(report.claims.count == 2)
        #expect(report.output.map(\.line) == [3, 8])
        #expect(report.output[0].text == "hello from the first block\n")
        #expect(report.output[1].text.hasPrefix("the value is 3\n{\"type\":\"claim\""))
        let failing = try #require(report.claim("two is three"))
        #expect(failing.verdict == .refuted)
        #expect(failing.output?.hasPrefix("the value is 3\n") == true)
    }

    @Test("rates must hold over every pair after the burn-in")
    func rates() throws {
        let report = try adversarial("rates")
        #expect(report.claim("order 2 from the first pair on")?.verdict == .refuted)
        #expect(report.claim("order 2 after a burn-in of one size")?.verdict == .agrees)
        let kinked = try #require(report.claim("order 2 with a kink in the middle"))
        #expect(kinked.verdict == .refuted && kinked.detail.contains("between N = 8"))
        #expect(report.claim("too few sizes after the burn-in")?.verdict == .error)
    }

    @Test("a refutation with a margin passes only when the sides differ by more than the approximation error")
    func refutationMargin() throws {
        let report = try adversarial("refutation-margin")
        #expect(report.claims.count == 8)
        let expected: [(String, Verdict, Bool)] = [
            ("the order is 3 (margin ½)", .refuted, true),
            ("the order is 4 (margin ½)", .agrees, false),
            // Without a margin, the measured order "refutes" the true order: the hole the margin closes.
            ("the order is 4 (no margin)", .refuted, true),
            ("the approximation is y/c (margin: its error bound)", .refuted, true),
            ("the approximation is y/|c| (margin: its error bound)", .agrees, false),
            ("a zero margin", .error, false), ("a negative margin", .error, false), ("a NaN margin", .error, false),
        ]
        for (label, verdict, passed) in expected {
            let claim = try #require(report.claim(label), "\(label) missing")
            #expect(claim.verdict == verdict && claim.passed == passed, "\(label): \(claim.verdict) \(claim.detail)")
        }
        #expect(report.claim("the order is 4 (margin ½)")?.detail.contains("within the margin") == true)
        #expect(report.claim("a zero margin")?.detail.contains("margin: must be a positive finite number") == true)
        #expect(!report.passed)
    }

    @Test("a record that cannot be encoded as finite JSON still arrives")
    func nonFiniteRecords() throws {
        var record = ClaimRecord(id: nil, label: "x", file: "f.md", line: 1, kind: .equality, precision: 576, seconds: 0)
        record.residualLog10 = .infinity
        record.tolerance = .nan
        let data = try RecordCoding.encoder().encode(record)
        let decoded = try RecordCoding.decoder().decode(ClaimRecord.self, from: data)
        #expect(decoded.residualLog10 == .infinity)
        #expect(decoded.tolerance?.isNaN == true)
    }
}

@Suite("Sound verdicts at the edges: underflow, signed zeros, NaN rates, Doubles, rebound names")
struct EdgeVerdictTests {
    @Test("underflowing residuals, −0, NaN local orders and Double round trips never pass")
    func numericsEdges() throws {
        let report = try adversarial("numerics-edges")
        #expect(report.claims.count == 7)
        let expected: [(String, Verdict)] = [
            ("4 = 5 at the bottom of the exponent range", .error), ("x = 2x at a scale that underflows the residual", .error),
            ("|−e^(−2·10⁹)| ≤ 0", .undecided), ("a rate whose local orders are NaN", .refuted),
            ("tanh ½ through a Double", .error), ("tanh ½ through a Double ≥ tanh ½", .error),
            ("a short dyadic Double is exact", .agrees),
        ]
        for (label, verdict) in expected {
            #expect(report.claim(label)?.verdict == verdict, "\(label): \(report.claim(label)?.detail ?? "missing")")
        }
        #expect(report.claim("tanh ½ through a Double")?.detail.contains("rounded at 53 bits") == true)
    }

    @Test("a block that rebinds a claim function by any declaration is rejected at that line")
    func shadowing() throws {
        let report = try adversarial("shadowing")
        #expect(Set(report.problems.compactMap(\.line)) == [4, 5, 7, 8])
        #expect(report.problems.allSatisfy { $0.kind == .compile })
        #expect(report.claims.isEmpty && !report.passed)
    }

    @Test("`swift,setup` is a typo to fix, not a language to skip")
    func typoInInfoString() throws {
        #expect(throws: InputError.self) { try Verifier.scan(Paths.fixture("adversarial/typo-info.md")) }
    }

    @Test("a file named through a symbolic link is verified once")
    func symbolicLinks() throws {
        let folder = try temporaryFolder()
        let link = folder.appendingPathComponent("link.md")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: Paths.fixture("correct.md"))
        #expect(Verifier.findFiles([Paths.fixture("correct.md"), link.path]).files.count == 1)
    }
}
