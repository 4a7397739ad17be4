import Foundation
import Testing
@testable import Verifier
@testable import Pages

/// `verify --check-docs`: pages whose source changed, vanished, or never got a page are reported.
@Suite("Rendered pages: the docs check catches stale pages")
struct RenderDocsCheckTests {
    /// A scratch repository (a folder with Package.swift) holding a copy of the fixture in `derivations/`,
    /// rendered into `docs/` from the fixture's verified run.
    struct Repository {
        var root: URL
        var source: URL { root.appendingPathComponent("derivations/showcase.md") }
        var docs: URL { root.appendingPathComponent("docs") }

        init() throws {
            root = RenderFixture.temporaryFolder("render-repo")
            let manager = FileManager.default
            try manager.createDirectory(at: root.appendingPathComponent("derivations"), withIntermediateDirectories: true)
            try Data("// swift-tools-version:6.0\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
            try manager.copyItem(atPath: RenderFixture.path, toPath: root.appendingPathComponent("derivations/showcase.md").path)
            let verified = try RenderFixture.verified.get()
            var source = verified.source
            source.displayPath = self.source.path
            var run = verified.run
            run.files[0].file = self.source.path
            let katex = try RenderFixture.fakeKaTeX()
            defer { try? manager.removeItem(at: katex) }
            try HTMLRenderer(run: run, sources: [source], date: RenderFixture.date, katexDirectory: katex.path).write(to: docs.path)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    @Test("freshly rendered pages are up to date, and record the source relative to the repository")
    func fresh() throws {
        let repository = try Repository()
        defer { repository.remove() }
        #expect(try DocsChecker.staleSources(in: repository.docs.path) == [])
        let page = try String(contentsOf: repository.docs.appendingPathComponent("showcase.html"), encoding: .utf8)
        #expect(page.contains("<meta name=\"verify-source\" content=\"derivations/showcase.md\">"))
    }

    @Test("an edited source makes its page stale: one line naming the source and the command to run")
    func editedSource() throws {
        let repository = try Repository()
        defer { repository.remove() }
        let handle = try FileHandle(forWritingTo: repository.source)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("\nOne more sentence.\n".utf8))
        try handle.close()
        let docs = repository.docs.path
        let stale = try DocsChecker.staleSources(in: docs)
        #expect(stale.count == 1)
        let line = try #require(stale.first)
        #expect(line.hasPrefix("\(docs)/showcase.html: derivations/showcase.md changed since the page was rendered"))
        #expect(line.hasSuffix("run `swift run verify derivations/showcase.md --render \(docs)/`"))
    }

    @Test("a deleted source, a new derivation without a page, and a missing index are reported")
    func missingFiles() throws {
        let repository = try Repository()
        defer { repository.remove() }
        try Data("# New\n".utf8).write(to: repository.root.appendingPathComponent("derivations/new.md"))
        var stale = try DocsChecker.staleSources(in: repository.docs.path)
        #expect(stale == ["derivations/new.md has no page in \(repository.docs.path)/: run `swift run verify derivations/new.md --render \(repository.docs.path)/`"])
        try FileManager.default.removeItem(at: repository.source)
        try FileManager.default.removeItem(at: repository.docs.appendingPathComponent("index.html"))
        stale = try DocsChecker.staleSources(in: repository.docs.path)
        #expect(stale.count == 3)
        #expect(stale.contains { $0.contains("its source derivations/showcase.md no longer exists") })
        #expect(stale.contains { $0.contains("index.html is missing") })
    }

    @Test("`verify --check-docs` exits 1 on a stale folder and 0 on a fresh one")
    func exitStatus() throws {
        let repository = try Repository()
        defer { repository.remove() }
        var request = VerifyRequest(paths: [])
        request.pages = PagePublishing()
        request.checkDocsDirectory = repository.docs.path
        #expect(perform(request) == .passed)
        try Data("changed".utf8).write(to: repository.source)
        #expect(perform(request) == .failed)
        request.checkDocsDirectory = repository.root.appendingPathComponent("no-such-folder").path
        #expect(perform(request) == .inputError)
    }

    @Test("rendering one file keeps the other pages of the folder in the index")
    func indexKeepsOtherPages() throws {
        let repository = try Repository()
        defer { repository.remove() }
        // A second page from an earlier run, with its own metadata.
        let other = try String(contentsOf: repository.docs.appendingPathComponent("showcase.html"), encoding: .utf8)
            .replacingOccurrences(of: "content=\"derivations/showcase.md\"", with: "content=\"derivations/other.md\"")
            .replacingOccurrences(of: "Rendering showcase", with: "Another derivation")
        try Data(other.utf8).write(to: repository.docs.appendingPathComponent("other.html"))
        let verified = try RenderFixture.verified.get()
        var source = verified.source
        source.displayPath = repository.source.path
        var run = verified.run
        run.files[0].file = repository.source.path
        let katex = try RenderFixture.fakeKaTeX()
        defer { try? FileManager.default.removeItem(at: katex) }
        try HTMLRenderer(run: run, sources: [source], date: RenderFixture.date, katexDirectory: katex.path).write(to: repository.docs.path)
        let index = try String(contentsOf: repository.docs.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("href=\"other.html\"") && index.contains("href=\"showcase.html\""))
        #expect(index.range(of: "other.html")!.lowerBound < index.range(of: "showcase.html")!.lowerBound)
    }
}
