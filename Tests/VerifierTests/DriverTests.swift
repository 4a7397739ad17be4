import Testing
@testable import Verifier

@Suite("The verify command's exit statuses")
struct DriverTests {
    @Test("listing blocks runs nothing and exits 0")
    func listing() {
        var request = VerifyRequest(paths: [Paths.fixture("correct.md")])
        request.listOnly = true
        #expect(perform(request) == .passed)
    }

    @Test("a missing path is a usage error (2)")
    func missingPath() {
        #expect(perform(VerifyRequest(paths: ["/no/such/derivation.md"])) == .inputError)
    }

    @Test("an unclosed fence is an input error (2) even when other files are fine")
    func unclosedFence() {
        var request = VerifyRequest(paths: [Paths.fixture("unclosed-fence.md"), Paths.fixture("correct.md")])
        request.listOnly = true
        #expect(perform(request) == .inputError)
    }

    @Test("a failing claim exits 1, a passing file 0")
    func verdictStatuses() {
        var failing = VerifyRequest(paths: [Paths.fixture("wrong-identity.md")])
        failing.options.useCache = false
        #expect(perform(failing) == .failed)
        var passing = VerifyRequest(paths: [Paths.fixture("correct.md")])
        passing.options.useCache = false
        #expect(perform(passing) == .passed)
    }
}
