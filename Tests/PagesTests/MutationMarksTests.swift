import Foundation
import Testing
@testable import Pages
@testable import Verifier

/// `verify --render` marks the missed mutants that an earlier `verify --mutate` of the same file left in the cache.
@Suite("Rendered pages: missed mutants from the cached mutation analysis")
struct MutationMarksTests {
    @Test("a cached analysis of the same file is read without running anything, and its missed mutants are marked")
    func cachedAnalysisMarked() throws {
        let folder = RenderFixture.temporaryFolder("render-mutations")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // A copy of the showcase with a unique last line, so that its cache entries are its own.
        let path = folder.appendingPathComponent("showcase.md").path
        let text = try String(contentsOfFile: RenderFixture.path, encoding: .utf8) + "\n<!-- \(UUID().uuidString) -->\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let source = try Verifier.scan(path)
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: VerificationOptions())
        #expect(verifier.cachedMutations([source]).isEmpty)
        // Line 36 is `let third = number(1, over: 3)`.
        let site = MutantSite(id: 7, mutationOperator: .literal, line: 36, column: 26, original: "3", replacement: "4")
        let report = MutationFileReport(file: source.displayPath, problem: nil,
                                        mutants: [MutantResult(site: site, outcome: .missed, seconds: 0)], claims: [], seconds: 0)
        let cacheFile = verifier.cacheFile("mutations", for: source)
        defer { try? FileManager.default.removeItem(at: cacheFile) }
        verifier.store(report, at: cacheFile)
        #expect(verifier.cachedMutations([source]).map(\.file) == [source.displayPath])

        var request = VerifyRequest(paths: [path])
        request.renderDirectory = folder.appendingPathComponent("docs").path
        request.pages = PagePublishing()
        _ = perform(request)
        let page = try String(contentsOf: folder.appendingPathComponent("docs/showcase.html"), encoding: .utf8)
        #expect(page.contains(#"<span class="line missed" id="L36" data-line="36" title="missed mutant #7: 3 → 4">"#))
        #expect(page.contains("1 missed mutant"))
    }
}
