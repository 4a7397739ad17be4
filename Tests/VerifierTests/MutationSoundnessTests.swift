import DerivationKit
import Foundation
import Testing
@testable import Verifier

/// The mutation analysis of one fixture under `mutation-soundness/`, with no cache.
func mutateFixture(_ name: String) throws -> MutationFileReport {
    var options = VerificationOptions()
    options.useCache = false
    options.mutantTimeout = 5
    options.jobs = 1
    let verifier = Verifier(toolchain: try Toolchain.locate(), options: options)
    return verifier.mutate(try Verifier.scan(Paths.fixture("mutation-soundness/\(name)")))
}

extension MutationFileReport {
    /// The mutants at `line` with operator `kind` (and replacement `replacement`, when given).
    func mutants(line: Int, _ kind: MutationOperator, replacement: String? = nil) -> [MutantResult] {
        mutants.filter { $0.site.line == line && $0.site.mutationOperator == kind && (replacement == nil || $0.site.replacement == replacement) }
    }
}

@Suite("verify --mutate reports what a normal run of the mutated file would say")
struct MutationSoundnessTests {
    @Test("a change below the first rung's resolution is caught at the next (28 → 29 on the term x⁶ = 10⁻¹⁸⁰)")
    func belowResolution() throws {
        let report = try mutateFixture("below-resolution.md")
        #expect(report.problem == nil)
        // 10⁻¹⁸⁰ lies below 576 bits (≈ 10⁻¹⁷³) of the sum: the first rung's records are those of the code as written.
        let changed = try #require(report.mutants(line: 10, .literal, replacement: "29").first)
        #expect(changed.outcome == .caught, "\(changed)")
        // Every coefficient matters at 1152 bits.
        let coefficients = report.mutants.filter { [9, 10].contains($0.site.line) && $0.site.mutationOperator == .literal }
        #expect(coefficients.allSatisfy { $0.outcome == .caught })
    }

    @Test("code that runs at the second rung only is run there, not reported as never running")
    func secondRungOnly() throws {
        let report = try mutateFixture("second-rung-only.md")
        let lineEleven = report.mutants.filter { $0.site.line == 11 }
        #expect(!lineEleven.isEmpty)
        #expect(lineEleven.allSatisfy { $0.detail != "the changed code never runs" })
        let sign = try #require(report.mutants(line: 11, .arithmetic, replacement: "-").first)
        #expect(sign.outcome == .caught, "\(sign)")
    }

    @Test("a top-level defer runs after the last block: its mutants run and are caught")
    func topLevelDefer() throws {
        let report = try mutateFixture("top-level-defer.md")
        let deferred = report.mutants.filter { $0.site.line == 5 }
        #expect(!deferred.isEmpty)
        #expect(deferred.allSatisfy { $0.detail != "the changed code never runs" })
        #expect(report.mutants(line: 5, .literal, replacement: "3").first?.outcome == .caught)
    }

    @Test("a mutant that leaves no claim at all is caught, as a normal run of it fails")
    func noClaimsLeft() throws {
        let report = try mutateFixture("no-claims-left.md")
        let zero = try #require(report.mutants(line: 4, .literal, replacement: "0").first)
        #expect(zero.outcome == .caught)
        #expect(zero.detail?.contains("made no claims") == true)
    }

    @Test("a mutant site first met on a worker thread is run in a process of its own: missed when it changes nothing")
    func workerThreads() throws {
        let report = try mutateFixture("worker-threads.md")
        // i·i + 0 and i·i − 0 agree, and no index exceeds 100: both changes are missed, whatever thread meets them.
        #expect(report.mutants(line: 8, .arithmetic, replacement: "-").first?.outcome == .missed)
        #expect(report.mutants(line: 8, .comparison).first?.outcome == .missed)
        // A change of the squares is caught.
        #expect(report.mutants(line: 8, .arithmetic, replacement: "/").first?.outcome == .caught)
    }
}

@Suite("verify --mutate: mutants that compile on their own are not reported unviable")
struct MutationConstructTests {
    @Test("case labels, override, raw values, labelled loops and conditionals over lines: every mutant compiles")
    func constructs() throws {
        let report = try mutateFixture("constructs.md")
        #expect(report.problem == nil)
        #expect(report.unviable == 0, "\(report.mutants.filter { $0.outcome == .unviable }.map { "\($0.site.line):\($0.site.column) \($0.detail ?? "")" })")
        // The compound assignment after `case 0:` and the operators of the overriding method are switched and caught.
        #expect(report.mutants(line: 9, .compoundAssignment).first?.outcome == .caught)
        #expect(report.mutants(line: 18, .arithmetic).allSatisfy { $0.outcome == .caught })
        // A raw value must be a literal: it is not mutated.
        #expect(report.mutants(line: 22, .literal).isEmpty)
        #expect(!report.mutants(line: 23, .literal).isEmpty)
        // A closure's signature (`r in`, `(i: Int) -> [Int] in`) stays outside the switches of its body: the index and
        // operator mutants inside the closures compile, in a call over lines as on one line, and are caught.
        #expect(report.mutants(line: 43, .index).count == 2)
        #expect(report.mutants(line: 43, .arithmetic).allSatisfy { $0.outcome == .caught })
        #expect(report.mutants(line: 44, .arithmetic).allSatisfy { $0.outcome == .caught })
    }
}

@Suite("verify --mutate: a mutant the schema cannot hold runs on its own")
struct MutationStandaloneTests {
    @Test("an error in no mutant's copy is put down to a mutant only if the mutant fails to compile on its own; otherwise it runs alone")
    func schemaFailsAloneCompiles() throws {
        let report = try mutateFixture("schema-fails-alone-compiles.md")
        #expect(report.problem == nil)
        let line = report.mutants.filter { $0.site.line == 13 }
        #expect(line.count == 5 && line.allSatisfy { $0.outcome != .unviable && $0.rungs >= 1 }, "\(line.map { "\($0.site.replacement) \($0.outcome) \($0.detail ?? "")" })")
        // b = 3a + a + a = 30 for a = 6: b mod 4 is 2 with a / 3 (14) or 3a − a (18), 0 with 4a (36) or 0·a (12),
        // −2 with −3a (−6).
        #expect(report.mutants(line: 13, .arithmetic).allSatisfy { $0.outcome == .missed })
        #expect(report.mutants(line: 13, .literal).allSatisfy { $0.outcome == .caught && $0.caughtBy?.hasSuffix(":19:11") == true })
    }

    @Test("a number on a line of instance data run on its own, whose every claim record is as written, is missed, not accepted: its code may never run")
    func standaloneNeverRuns() throws {
        let report = try mutateFixture("schema-fails-alone-never-runs.md")
        #expect(report.problem == nil)
        let numbers = report.mutants(line: 13, .literal)
        #expect(numbers.count == 6 && numbers.allSatisfy { $0.outcome == .missed && $0.detail?.contains("may never run") == true })
        #expect(report.accepted == 0)
    }
}

@Suite("verify --mutate: a mutant's resources are bounded")
struct MutationResourceTests {
    @Test("a mutant that allocates without bound fails at its memory cap instead of taking the machine's memory")
    func unboundedMemory() throws {
        let report = try mutateFixture("unbounded-memory.md")
        // `k += 1` → `k -= 1` appends 800 kB forever: it stops at the cap (2 GiB), long before its time limit.
        let forever = try #require(report.mutants(line: 6, .compoundAssignment).first)
        #expect(forever.outcome == .caught)
        #expect(forever.detail?.contains("memory") == true, "\(forever.detail ?? "")")
    }
}

@Suite("verify --mutate: thresholds chosen with room to spare")
struct MutationThresholdTests {
    @Test("a changed number on a `mutant-threshold` line that every claim passes is accepted with the reason")
    func threshold() throws {
        let report = try mutateFixture("threshold.md")
        #expect(report.problem == nil)
        let stricter = try #require(report.mutants(line: 5, .literal, replacement: "151").first)
        #expect(stricter.outcome == .accepted)
        #expect(stricter.detail == "threshold: the residual is about 10⁻¹⁷³ at 576 bits; any count up to 170 holds")
        #expect(report.missed == 0 || !report.mutants.contains { $0.site.line == 5 && $0.outcome == .missed })
    }
}

@Suite("verify --mutate: a mutant marked equivalent runs every rung, where a wrong mark is refuted")
struct EquivalenceRungTests {
    static let report = try! mutateFixture("equivalence-rungs.md")

    @Test("a right mark's mutants run every rung and are accepted with the reason")
    func rightMark() throws {
        #expect(Self.report.problem == nil, "\(Self.report.problem ?? "")")
        let spare = Self.report.mutants(line: 6, .literal)
        #expect(spare.count == 3)
        #expect(spare.allSatisfy { $0.outcome == .accepted && $0.rungs == 2 && $0.detail == "overwritten before it is read" }, "\(spare)")
    }

    @Test("a mark refuted only at the second rung, by a change the first rung's records show, is refuted")
    func visibleAtTheFirstRung() throws {
        // nudge = 2⁻⁵⁶⁰: within 576 bits' tolerance 2⁻⁵⁴⁰, far outside 1152 bits' 2⁻¹⁰⁸⁰, and a residual that does not fall.
        let wrong = try #require(Self.report.mutants(line: 15, .literal, replacement: "1").first { $0.site.original == "0" })
        #expect(wrong.outcome == .refutedEquivalence, "\(wrong)")
        #expect(wrong.rungs == 2)
    }

    @Test("a mark refuted only at the second rung, by a change below the first rung's resolution, is refuted")
    func belowTheFirstRung() throws {
        // e⁻⁵⁰⁰ ≈ 7·10⁻²¹⁸ vanishes in 1 at 576 bits (≈ 10⁻¹⁷³) and shows at 1152 bits (≈ 10⁻³⁴⁷).
        let wrong = try #require(Self.report.mutants(line: 24, .arithmetic, replacement: "-").first)
        #expect(wrong.outcome == .refutedEquivalence, "\(wrong)")
        #expect(wrong.rungs == 2)
        #expect(Self.report.refutedEquivalences == 2)
    }
}

@Suite("verify --mutate: changes the operand types rule out are left out of the schema before it compiles")
struct OperandTypeTests {
    static let file = try! Verifier.scan(Paths.fixture("mutation-soundness/operand-types.md"))
    static let resolvedOtherwise = try! Verifier.scan(Paths.fixture("mutation-soundness/operand-types-resolved-otherwise.md"))

    /// The mutants of `file` the types rule out, by (line, operator, replacement).
    static func ruledOut(in file: ScannedFile) -> [String] {
        let verifier = Verifier(toolchain: try! Toolchain.locate(), options: VerificationOptions())
        let schema = MutantSchema(blocks: file.blocks)
        let impossible = OperatorOracle.impossibleMutants(sites: schema.sites, source: ProgramGenerator(displayPath: file.displayPath).source(for: file.blocks),
                                                          markdownPath: file.displayPath) { verifier.typeCheck($0, arguments: $1) }
        return schema.sites.filter { impossible[$0.id] != nil }.map { "\($0.line) \($0.mutationOperator.rawValue) \($0.replacement)" }.sorted()
    }
    static let ruledOut = ruledOut(in: file)

    @Test("a call overloaded on its result type, a generic parameter or a local typealias named like a library type: nothing ruled out")
    func resolvedOtherwise() throws {
        #expect(Self.ruledOut(in: Self.resolvedOtherwise) == [])
        let report = try mutateFixture("operand-types-resolved-otherwise.md")
        // With `/`, `measure()` is the Ratio overload: 24 / 2 = 12, the mutant runs and every claim holds.
        let swapped = try #require(report.mutants(line: 12, .arithmetic).first)
        #expect(swapped.outcome == .missed, "\(swapped)")
        // The other subscript, the library's sqrt, the other labels: each swap compiles and is caught.
        for line in [43, 48, 52] {
            let swap = try #require(report.mutants(line: line, .arithmetic, replacement: "*").first)
            #expect(swap.outcome == .caught, "\(swap)")
        }
    }

    @Test("a swap with no candidate for the operand types, a moved range index and a minus on a tuple are ruled out")
    func ruledOut() {
        #expect(Self.ruledOut.contains("6 arithmetic /"))           // Matrix / Vector
        #expect(Self.ruledOut.contains("16 arithmetic /"))          // BigFloat / Vector, the 2 typed by `scale` beside it
        #expect(Self.ruledOut.contains("13 index [i + 1]"))         // Range<Int> + 1
        #expect(Self.ruledOut.contains("13 index [i - 1]"))
        #expect(Self.ruledOut.contains("15 negation-insertion = -(e)"))   // −(BigFloat, Int)
    }

    @Test("swaps that compile, and operands whose type the operator could change, are left to the compiler")
    func leftToTheCompiler() {
        #expect(!Self.ruledOut.contains { $0.hasPrefix("7 ") })     // BigFloat / BigFloat compiles
        #expect(!Self.ruledOut.contains { $0.hasPrefix("8 ") })     // Vector / BigFloat compiles
        #expect(!Self.ruledOut.contains { $0.hasPrefix("9 ") })     // a bare 2 may take another type
        #expect(!Self.ruledOut.contains { $0.hasPrefix("11 ") })    // an array literal may take another type
        #expect(!Self.ruledOut.contains { $0.hasPrefix("5 ") })     // inside a closure
    }

    @Test("ruling out by types changes no outcome: every mutant ends as when the schema's compilation finds it")
    func sameOutcomes() throws {
        var options = VerificationOptions()
        options.useCache = false
        options.mutantTimeout = 5
        options.jobs = 1
        let ruled = Verifier(toolchain: try Toolchain.locate(), options: options).mutate(Self.file)
        options.ruleOutByTypes = false
        let compiled = Verifier(toolchain: try Toolchain.locate(), options: options).mutate(Self.file)
        #expect(ruled.unviable > compiled.mutants.filter { $0.detail?.hasPrefix("not switched") == true }.count)
        #expect(ruled.problem == nil && compiled.problem == nil)
        #expect(ruled.mutants.map(\.site) == compiled.mutants.map(\.site))
        for (a, b) in zip(ruled.mutants, compiled.mutants) {
            #expect(a.outcome == b.outcome, "\(a.site.line):\(a.site.column) \(a.site.replacement): \(a.detail ?? "") vs \(b.detail ?? "")")
        }
        #expect(ruled.unviable >= 5 && ruled.caught > 20)
    }
}
