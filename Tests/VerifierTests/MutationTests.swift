import DerivationKit
import Foundation
import Testing
@testable import Verifier

@Suite("verify --mutate: caught, missed, unviable, timeout, insensitive, accepted")
struct MutationTests {
    static let report: MutationFileReport = {
        var options = VerificationOptions()
        options.useCache = false
        options.mutantTimeout = 3
        let verifier = Verifier(toolchain: try! Toolchain.locate(), options: options)
        return verifier.mutate(try! Verifier.scan(Paths.fixture("mutation.md")))
    }()

    func mutants(line: Int, _ kind: MutationOperator) -> [MutantResult] {
        Self.report.mutants.filter { $0.site.line == line && $0.site.mutationOperator == kind }
    }

    @Test("a wrong operator in the squared term is caught by the claim that uses it")
    func caught() throws {
        #expect(Self.report.problem == nil, "\(Self.report.problem ?? "")")
        let swap = try #require(mutants(line: 4, .arithmetic).first)
        #expect(swap.site.original == "*" && swap.site.replacement == "/")
        #expect(swap.site.column == 44)
        #expect(swap.outcome == .caught)
        #expect(swap.caughtBy?.hasSuffix("mutation.md:6:11") == true)
    }

    @Test("literal changes in a value no claim uses are missed, at their line and column")
    func missed() {
        let literals = mutants(line: 7, .literal)
        #expect(literals.map(\.site.replacement).sorted() == ["(-2)", "0", "1", "3"])
        #expect(literals.allSatisfy { $0.outcome == .missed && $0.site.column == 21 })
        #expect(mutationReport(MutationRunReport(files: [Self.report], seconds: 1, mutantsPerSecond: 1))
            .contains("missed  \(Paths.fixture("mutation.md")):7:21  2 → 3  [literal]"))
    }

    @Test("a mutant that does not compile is unviable")
    func unviable() {
        let negated = mutants(line: 14, .negationInsertion)
        #expect(negated.count == 1 && negated.first?.outcome == .unviable)  // `-("ab".uppercased())`: no minus on a String
    }

    @Test("a loop counter decremented instead of incremented runs past its limit")
    func timeout() {
        let flipped = mutants(line: 9, .compoundAssignment)
        #expect(flipped.count == 1 && flipped.first?.outcome == .timeout)
    }

    @Test("a mutant forked from the unmutated run ends as it does when it runs on its own from the start")
    func forkedAsAlone() {
        var options = VerificationOptions()
        options.useCache = false
        options.mutantTimeout = 3
        options.forkMutants = false
        let alone = Verifier(toolchain: try! Toolchain.locate(), options: options).mutate(try! Verifier.scan(Paths.fixture("mutation.md")))
        #expect(alone.mutants.count == Self.report.mutants.count)
        for (forked, own) in zip(Self.report.mutants, alone.mutants) {
            #expect(forked.site == own.site)
            #expect(forked.outcome == own.outcome, "\(forked.site.line):\(forked.site.column) \(forked.site.replacement)")
            #expect(forked.caughtBy == own.caughtBy, "\(forked.site.line):\(forked.site.column) \(forked.site.replacement)")
        }
        #expect(Self.report.caught > 10 && Self.report.missed > 3 && Self.report.timeouts >= 1)
    }

    @Test("a claim that compares a value with itself catches nothing: insensitive")
    func insensitive() {
        #expect(Self.report.insensitiveClaims.map(\.label).contains("tautology"))
        #expect(!Self.report.insensitiveClaims.map(\.label).contains("nine"))
    }

    @Test("an insensitive claim labelled bookkeeping is listed apart, not as a weakness")
    func bookkeeping() {
        #expect(!Self.report.insensitiveClaims.map(\.label).contains("bookkeeping: restated"))
        #expect(Self.report.insensitiveBookkeepingClaims.map(\.label) == ["bookkeeping: restated"])
        #expect(mutationReport(MutationRunReport(files: [Self.report], seconds: 1, mutantsPerSecond: 1))
            .contains("insensitive bookkeeping claims (labelled, not evidence): bookkeeping-restated"))
    }

    @Test("a mutant marked equivalent that a claim catches is a wrong annotation, reported and failing the run")
    func refutedEquivalence() throws {
        let wrong = Self.report.mutants.filter { $0.site.line == 17 && $0.site.mutationOperator == .literal }
        #expect(wrong.count == 10)
        #expect(wrong.allSatisfy { $0.outcome == .refutedEquivalence })
        #expect(wrong.allSatisfy { $0.detail?.hasPrefix("marked equivalent (wrongly said to change nothing), yet caught") == true })
        #expect(Self.report.refutedEquivalences == 10)
        #expect(mutationReport(MutationRunReport(files: [Self.report], seconds: 1, mutantsPerSecond: 1))
            .contains("WRONG equivalence  \(Paths.fixture("mutation.md")):17:38  5 → 6  [literal]"))
        var request = VerifyRequest(paths: [Paths.fixture("mutation.md")])
        request.mutate = true
        request.options.mutantTimeout = 3
        #expect(perform(request, console: Console(write: { _ in }, writeError: { _ in })) == .failed)
    }

    @Test("a mutant on a line marked equivalent is accepted with its reason, run and not caught")
    func accepted() {
        let transpose = mutants(line: 12, .transpose)
        #expect(transpose.count == 1)
        #expect(transpose.first?.outcome == .accepted && transpose.first?.detail == "m is symmetric")
    }

    @Test("a changed number on a line of instance data is accepted when every claim holds on the new instance, caught when one fails")
    func instanceData() {
        let sizes = mutants(line: 18, .literal)
        // 2 → 3, −2, 0, 1 and 3 → 4, −3, 0: the sum of the first n odd numbers is n² for n = 1, 3, 4; n ≤ 0 traps.
        #expect(Set(sizes.filter { $0.outcome == .accepted }.map { "\($0.site.original)→\($0.site.replacement)" }) == ["2→3", "2→1", "3→4"])
        #expect(sizes.filter { $0.outcome == .accepted }.allSatisfy { $0.detail == "instance data: the identity holds for every n ≥ 1" })
        // A changed instance changes the claim's record: every rung ran.
        #expect(sizes.filter { $0.outcome == .accepted }.allSatisfy { $0.seconds > 0 })
        #expect(sizes.filter { $0.outcome != .accepted }.count == 4 && sizes.filter { $0.outcome != .accepted }.allSatisfy { $0.outcome == .caught })
        // The formula on the next line is not data: its mutants are caught.
        #expect(mutants(line: 19, .arithmetic).allSatisfy { $0.outcome == .caught } && !mutants(line: 19, .arithmetic).isEmpty)
        #expect(Self.report.accepted == 4)
        // The human report lists what was accepted, line by line, with the reason.
        let text = mutationReport(MutationRunReport(files: [Self.report], seconds: 1, mutantsPerSecond: 1))
        #expect(text.contains("accepted  \(Paths.fixture("mutation.md")):18  3 mutants  (instance data: the identity holds for every n ≥ 1)"))
        #expect(text.contains("accepted  \(Paths.fixture("mutation.md")):12  1 mutant  (m is symmetric)"))
    }

    @Test("a mutant that traps is caught by the program, with the runtime's message and without a symbolicated backtrace")
    func trapped() {
        // 2 → 0 and 2 → −2 on the line of sizes: `1...n` with n < 1 traps.
        let traps = mutants(line: 18, .literal).filter { $0.outcome == .caught }
        #expect(!traps.isEmpty && traps.allSatisfy { $0.caughtBy == "the program" })
        #expect(traps.allSatisfy { $0.detail?.contains("trapped") == true }, "\(traps.map(\.detail))")
        // Mutant runs switch the runtime's crash reporter off (it took longer than the run): no backtrace was made.
        #expect(traps.allSatisfy { $0.detail?.contains("Backtracing") == false })
    }

    @Test("the score is caught / (caught + missed)")
    func score() throws {
        let score = try #require(Self.report.score)
        #expect(abs(score - 100 * Double(Self.report.caught) / Double(Self.report.caught + Self.report.missed)) < 1e-9)
    }
}

@Suite("verify --mutate --min-score: a floor for every file or for one")
struct MutationFloorTests {
    @Test("a floor is a percentage, alone or after PATH=")
    func parsing() throws {
        let scores = try MinimumScores(["60", "derivations/a.md=75.5", "./b.md=0"])
        #expect(scores.everyFile == 60)
        #expect(scores.floor(for: "derivations/a.md") == 75.5)
        #expect(scores.floor(for: "b.md") == 0)
        #expect(scores.floor(for: "c.md") == 60)
        #expect(MinimumScores().floor(for: "c.md") == nil)
        for bad in ["101", "-1", "x.md=", "x.md=high", "eighty"] {
            #expect(throws: MinimumScoreError.self) { try MinimumScores([bad]) }
        }
    }

    @Test("a file below its own floor fails the run; the same file above another floor passes; an unknown path is an error")
    func gate() throws {
        let fixture = Paths.fixture("mutation-floor.md")
        func status(_ floors: [String]) throws -> VerifyExitStatus {
            var request = VerifyRequest(paths: [fixture])
            request.mutate = true
            request.options.mutantTimeout = 3
            request.minimumScores = try MinimumScores(floors)
            return perform(request, console: Console(write: { _ in }, writeError: { _ in }))
        }
        // 6 of the fixture's 14 run mutants are caught (43 %): the literal 3 → 4 and → 0, `*` → `/` and the three
        // changes of 9 make "nine" fail; −3 squares to 9, and nothing reads `unused`.
        #expect(try status(["\(fixture)=100"]) == .failed)
        #expect(try status(["100", "\(fixture)=40"]) == .passed)
        #expect(try status(["40"]) == .passed)
        #expect(try status(["45"]) == .failed)
        #expect(try status(["elsewhere/x.md=40"]) == .inputError)
    }
}
