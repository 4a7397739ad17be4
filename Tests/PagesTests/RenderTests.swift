import Foundation
import Testing
@testable import Verifier
@testable import Pages

/// The rendering fixture, verified once (compiling and running it takes about a second) and shared.
enum RenderFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let path = root.appendingPathComponent("Tests/PagesTests/Fixtures/render/showcase.md").path
    static let date = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01 00:00 UTC

    struct Verified: @unchecked Sendable {
        var source: ScannedFile
        var run: RunReport
    }

    static let verified: Result<Verified, any Error> = Result {
        var options = VerificationOptions()
        options.useCache = false
        options.timeout = 120
        let source = try Verifier.scan(path)
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: options)
        return Verified(source: source, run: verifier.verify([source]))
    }

    /// A KaTeX folder with stand-in files, so that rendering tests do not need `libjs-katex`.
    static func fakeKaTeX() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("render-katex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("fonts"), withIntermediateDirectories: true)
        try Data("/* stand-in */ var katex={version:\"9.9.9\"};".utf8).write(to: folder.appendingPathComponent("katex.min.js"))
        try Data(".katex{}".utf8).write(to: folder.appendingPathComponent("katex.min.css"))
        try Data([0]).write(to: folder.appendingPathComponent("fonts/KaTeX_Main-Regular.woff2"))
        try Data([0]).write(to: folder.appendingPathComponent("fonts/KaTeX_Main-Regular.ttf"))
        return folder
    }

    static func temporaryFolder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    }
}

/// The element that starts at the tag holding `marker` (an attribute such as `id="claim-x"`), through its
/// matching closing tag.
func htmlElement(containing marker: String, in html: String) -> Substring? {
    guard let markerRange = html.range(of: marker),
          let open = html[..<markerRange.lowerBound].range(of: "<", options: .backwards) else { return nil }
    let name = html[html.index(after: open.lowerBound)...].prefix { $0.isLetter || $0.isNumber }
    var depth = 0
    var cursor = open.lowerBound
    while cursor < html.endIndex {
        let rest = html[cursor...]
        if rest.hasPrefix("<\(name)") && !(rest.dropFirst(name.count + 1).first?.isLetter ?? false) {
            depth += 1
        } else if rest.hasPrefix("</\(name)>") {
            depth -= 1
            if depth == 0 { return html[open.lowerBound..<html.index(cursor, offsetBy: name.count + 3)] }
        }
        cursor = html.index(after: cursor)
    }
    return nil
}

@Suite("Rendered pages: every claim with its badge, hidden blocks hidden, mathematics unmangled")
struct RenderTests {
    func renderedPage() throws -> (page: String, run: RunReport, source: ScannedFile) {
        let verified = try RenderFixture.verified.get()
        let renderer = HTMLRenderer(run: verified.run, sources: [verified.source], date: RenderFixture.date)
        return (renderer.page(for: verified.run.files[0], source: verified.source, katexVersion: "0.16.4"), verified.run, verified.source)
    }

    @Test("the fixture verifies as expected (the rest of the suite relies on it)")
    func fixtureVerdicts() throws {
        let run = try RenderFixture.verified.get().run
        let file = try #require(run.files.first)
        #expect(file.problems.isEmpty, "\(file.problems)")
        let verdicts = Dictionary(uniqueKeysWithValues: file.claims.map { ($0.id, $0.verdict) })
        #expect(verdicts == ["thirds": .agrees, "sqrt2": .agrees, "pi-below": .proved, "wrong-double-angle": .refuted, "pi-not-22-7": .refuted,
                             "rate": .agrees])
        #expect(!file.passed)
    }

    @Test("every claim appears once, after the block that makes it, with verdict, digits, bits and time")
    func everyClaimHasABadge() throws {
        let (page, run, _) = try renderedPage()
        for claim in run.files[0].claims {
            let marker = "id=\"claim-\(claim.id)\""
            #expect(page.components(separatedBy: marker).count == 2, "claim \(claim.id) should appear exactly once")
            let element = try #require(htmlElement(containing: marker, in: page).map(String.init))
            #expect(element.contains("class=\"badge "), "claim \(claim.id) has no badge")
            #expect(element.contains(htmlEscape(claim.label)))
            #expect(element.contains("576 / 1152 bits"))
            #expect(element.contains("class=\"time\""))
            #expect(element.contains("line \(claim.line)"))
            if let digits = claim.digits { #expect(element.contains(String(format: "%.1f digits", digits))) }
            // Placed after the code line that makes it.
            let lineMarker = try #require(page.range(of: "data-line=\"\(claim.line)\""))
            let claimPosition = try #require(page.range(of: marker))
            #expect(lineMarker.lowerBound < claimPosition.lowerBound)
        }
        // The first block's claims come before the next section's heading; the wrong formula's after it.
        let heading = try #require(page.range(of: "id=\"a-wrong-formula\""))
        #expect(try #require(page.range(of: "id=\"claim-thirds\"")).lowerBound < heading.lowerBound)
        #expect(try #require(page.range(of: "id=\"claim-wrong-double-angle\"")).lowerBound > heading.lowerBound)
        let thirds = try #require(htmlElement(containing: "id=\"claim-thirds\"", in: page))
        #expect(thirds.contains("✓ agrees"))
        let proved = try #require(htmlElement(containing: "id=\"claim-pi-below\"", in: page))
        #expect(proved.contains("✓ proved") && proved.contains("margin 1.26448e-3"))
    }

    @Test("a refuted claim stands out and shows both sides at both rungs; an expected refutation is marked as such")
    func refutedClaim() throws {
        let (page, _, _) = try renderedPage()
        let wrong = String(try #require(htmlElement(containing: "id=\"claim-wrong-double-angle\"", in: page)))
        #expect(wrong.hasPrefix("<div class=\"claim fails\""))
        #expect(wrong.contains("✗ refuted"))
        // cos(6/7) against 2cos²(3/7) + 1 (mpmath: cos(6/7) = 0.65460006667526750957…, the sides differ by 2).
        #expect(wrong.components(separatedBy: "<td>6.5460006667526750957e-1</td>").count == 3)
        #expect(wrong.components(separatedBy: "<td>2.6546000666752675096</td>").count == 3)
        #expect(wrong.contains("<th>576 bits</th><th>1152 bits</th>"))
        let known = String(try #require(htmlElement(containing: "id=\"claim-pi-not-22-7\"", in: page)))
        #expect(known.hasPrefix("<div class=\"claim known\""))
        #expect(known.contains("refuted, as expected"))
        #expect(known.contains("3.1415926535897932385") && known.contains("3.1428571428571428571"))
        #expect(page.contains("class=\"line claim-at fails\" id=\"L54\" data-line=\"54\""))
    }

    @Test("setup code is only inside a closed <details>; a no-run block is shown with its reason")
    func hiddenBlocks() throws {
        let (page, _, _) = try renderedPage()
        #expect(page.components(separatedBy: "secretHelperMarker").count == 2)
        let details = String(try #require(htmlElement(containing: "class=\"code setup\"", in: page)))
        #expect(details.hasPrefix("<details class=\"code setup\""))
        #expect(!details.prefix(80).contains(" open"))
        #expect(details.contains("secretHelperMarker"))
        let noRun = String(try #require(htmlElement(containing: "class=\"code no-run\"", in: page)))
        #expect(noRun.contains("the paper&#39;s notation, not Swift") || noRun.contains("the paper's notation, not Swift"))
        #expect(noRun.contains("x²"))
    }

    @Test("mathematics reaches KaTeX unmangled: the text of every math element is the TeX of the source")
    func mathUnmangled() throws {
        let (page, _, _) = try renderedPage()
        let expected = [
            #"\sqrt{2}"#, "a<b", "b>a", "x_1 + x_2", "y_{n}", "z_{m}", #"\begin{pmatrix}1 & 0\\0 & 1\end{pmatrix}"#,
            #"\|x\|_2 \le \sqrt{n}\,\|x\|_\infty"#,
            "\n\\frac{1}{3} + \\frac{1}{3} + \\frac{1}{3} = 1, \\qquad\n\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2} \\quad\\text{for } n \\ge 1 \\ \\&\\ n < \\infty .\n",
            "x_{i}^{2}", #"3 \cdot \tfrac13 = 1"#, #"\lvert\sqrt2^2 - 2\rvert < 10^{-150}"#, #"\cos 2x = 2\cos^2 x + 1"#,
        ]
        var found: [String] = []
        var rest = page[...]
        while let open = rest.range(of: "<span class=\"math ") {
            let start = try #require(rest[open.upperBound...].firstIndex(of: ">"))
            let end = try #require(rest[start...].range(of: "</span>"))
            let raw = String(rest[rest.index(after: start)..<end.lowerBound])
            // Escaped for HTML: no tag can open inside, every & starts an entity; then the text is the TeX.
            #expect(!raw.contains("<") && !raw.contains(">"), "unescaped markup in \(raw)")
            #expect(raw.replacingOccurrences(of: "&amp;", with: "").replacingOccurrences(of: "&lt;", with: "")
                .replacingOccurrences(of: "&gt;", with: "").replacingOccurrences(of: "&quot;", with: "").contains("&") == false)
            found.append(htmlUnescape(raw))
            rest = rest[end.upperBound...]
        }
        #expect(found == expected)
        #expect(page.contains("A price of\n$5 is not mathematics, and neither is $x$."))
        #expect(page.contains("<script src=\"katex/katex.min.js\"></script>"))
        #expect(!page.contains("cdn"))
    }

    @Test("passing claims labelled bookkeeping are counted apart from the evidence")
    func bookkeepingCounts() throws {
        var run = try RenderFixture.verified.get().run
        let renderer = HTMLRenderer(run: run, sources: [], date: RenderFixture.date)
        #expect(renderer.verdictCounts(run.files[0].claims).map(\.text) == ["3 agree", "1 proved", "1 refuted as expected", "1 refuted"])
        for k in run.files[0].claims.indices where ["thirds", "pi-below", "wrong-double-angle"].contains(run.files[0].claims[k].id) {
            run.files[0].claims[k].label = bookkeepingLabelPrefix + " " + run.files[0].claims[k].label
        }
        #expect(run.files[0].claims.filter(\.isBookkeeping).count == 3)
        // A passing bookkeeping claim is not evidence; a failing one still counts as a failure.
        #expect(renderer.verdictCounts(run.files[0].claims).map(\.text)
            == ["2 agree", "2 bookkeeping (not evidence)", "1 refuted as expected", "1 refuted"])
        // A known-false claim labelled bookkeeping counts as bookkeeping, not as a refutation in evidence.
        for k in run.files[0].claims.indices where run.files[0].claims[k].expectsRefutation && run.files[0].claims[k].passed {
            run.files[0].claims[k].label = bookkeepingLabelPrefix + " " + run.files[0].claims[k].label
        }
        #expect(renderer.verdictCounts(run.files[0].claims).map(\.text) == ["2 agree", "3 bookkeeping (not evidence)", "1 refuted"])
    }

    @Test("the header states verdict, counts, minimum digits, ladder, versions, source hash and date")
    func header() throws {
        let (page, run, _) = try renderedPage()
        let file = run.files[0]
        let summary = String(try #require(htmlElement(containing: "id=\"verification\"", in: page)))
        #expect(summary.contains("Not verified: 1 of 6 claims do not pass"))
        #expect(summary.contains("<span>3 agree</span><span>1 proved</span><span>1 refuted as expected</span><span>1 refuted</span>"))
        #expect(summary.contains(String(format: "%.1f digits", try #require(file.minimumDigits))))
        #expect(summary.contains("576 → 1152 bits"))
        #expect(summary.contains(file.contentHash))
        #expect(file.contentHash == SHA256.hex(of: try String(contentsOfFile: RenderFixture.path, encoding: .utf8)))
        for value in run.versions.values where !value.isEmpty { #expect(summary.contains(htmlEscape(value)), "version \(value)") }
        #expect(summary.contains("2026-01-01 00:00 UTC"))
        #expect(page.contains("<meta name=\"verify-source\" content=\"Tests/PagesTests/Fixtures/render/showcase.md\">"))
        #expect(page.contains("<meta name=\"verify-source-sha256\" content=\"\(file.contentHash)\">"))
        let recorded = try #require(PageSummary(html: page, fileName: "showcase.html"))
        #expect(recorded.title == #"Rendering showcase: $\sqrt{2}$, thirds and a wrong formula"#)
        #expect(recorded.claims == 6 && recorded.claimsPassed == 5 && !recorded.passed && recorded.precisions == [576, 1152])
    }

    @Test("writing a folder: pages, index with verdicts and links, style sheet, KaTeX copied")
    func writesFolder() throws {
        let verified = try RenderFixture.verified.get()
        let folder = RenderFixture.temporaryFolder("render-out")
        defer { try? FileManager.default.removeItem(at: folder) }
        let katex = try RenderFixture.fakeKaTeX()
        defer { try? FileManager.default.removeItem(at: katex) }
        try HTMLRenderer(run: verified.run, sources: [verified.source], date: RenderFixture.date, katexDirectory: katex.path)
            .write(to: folder.path)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        #expect(names == Set(["index.html", "showcase.html", "style.css", "katex"] + (Graphviz.executable == nil ? [] : ["showcase.blueprint.svg"])))
        let fonts = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("katex/fonts").path)
        #expect(fonts == ["KaTeX_Main-Regular.woff2"])
        let index = try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8)
        let card = String(try #require(htmlElement(containing: "href=\"showcase.html\"", in: index)))
        #expect(card.contains("✗ not verified") && card.contains("5 of 6 claims pass"))
        #expect(card.contains(#"<span class="math inline">\sqrt{2}</span>"#))
        #expect(index.contains("KaTeX 9.9.9"))
        // The index card carries the blueprint's counts and, with Graphviz, its small graph.
        #expect(card.contains("Blueprint: 2 steps · 0 dependencies · 1 pass · 1 fail"))
        if Graphviz.executable != nil { #expect(card.contains("<img src=\"showcase.blueprint.svg\"")) }
        // The footer names the folder the pages were written into.
        let page = try String(contentsOf: folder.appendingPathComponent("showcase.html"), encoding: .utf8)
        #expect(page.contains("--render \(folder.path)/</code>") && index.contains("--render \(folder.path)/</code>"))
    }

    @Test("every code line has an anchor, each badge links to its claim's line, the page has contents and a blueprint")
    func anchors() throws {
        let (page, run, source) = try renderedPage()
        for block in source.blocks where block.role != .ignored {
            for line in block.firstContentLine..<block.closingLine { #expect(page.contains("id=\"L\(line)\" data-line=\"\(line)\"")) }
        }
        for claim in run.files[0].claims {
            let element = String(try #require(htmlElement(containing: "id=\"claim-\(claim.id)\"", in: page)))
            #expect(element.contains("href=\"#L\(claim.line)\""), "claim \(claim.id) does not link to line \(claim.line)")
        }
        let contents = String(try #require(htmlElement(containing: "class=\"toc\"", in: page)))
        #expect(contents.contains(##"<a href="#helpers">Helpers</a>"##) && contents.contains(##"<a href="#a-wrong-formula">A wrong formula</a>"##))
        let blueprint = String(try #require(htmlElement(containing: "id=\"blueprint\"", in: page)))
        // The showcase's two run blocks (fences on lines 35 and 52): the second uses no name the first defines.
        #expect(blueprint.contains("2 steps · 0 dependencies · 1 pass · 1 fail"))
        #expect(blueprint.contains("#block-35") && blueprint.contains("#block-52"))
    }

    @Test("a rate claim carries its plot: the recorded points of err(N) = 3/N² at both rungs")
    func ratePlot() throws {
        let (page, _, _) = try renderedPage()
        let element = String(try #require(htmlElement(containing: "id=\"claim-rate\"", in: page)))
        #expect(element.contains("<figure class=\"plot\"><svg class=\"rate-plot\""))
        // log₁₀(3/N²) for N = 10, 20, 40, 80, worked out by hand.
        for (n, error) in [("10", "-1.522879"), ("20", "-2.124939"), ("40", "-2.726999"), ("80", "-3.329059")] {
            for rung in [576, 1152] {
                #expect(element.contains("data-rung=\"\(rung)\" data-n=\"\(n)\" data-log10-error=\"\(error)\""), "N = \(n) at \(rung) bits")
            }
        }
        #expect(element.contains("stated order p = 2, C = 3"))
    }

    @Test("an insensitive claim is marked on its line; a missed mutant of an included file marks no Markdown line")
    func insensitiveClaims() throws {
        let verified = try RenderFixture.verified.get()
        var renderer = HTMLRenderer(run: verified.run, sources: [verified.source], date: RenderFixture.date)
        let report = verified.run.files[0]
        let claim = try #require(report.claims.first)
        let record = try #require(claim.records.first)
        let insensitive = ClaimSensitivity(id: claim.id, label: claim.label, line: claim.line, column: record.column,
                                           expectsRefutation: claim.expectsRefutation, caught: 0)
        var elsewhere = MutantSite(id: 1, mutationOperator: .literal, line: 36, column: 26, original: "3", replacement: "4")
        elsewhere.file = "shared/helpers.swift"
        renderer.mutations = [MutationFileReport(file: report.file, problem: nil, mutants: [MutantResult(site: elsewhere, outcome: .missed, seconds: 0)],
                                                 claims: [insensitive], seconds: 0)]
        let page = renderer.page(for: report, source: verified.source, katexVersion: nil)
        #expect(page.contains("no mutant made it fail</span>"))
        #expect(page.contains("\(claim.id): insensitive, no mutant made it fail"))
        #expect(page.components(separatedBy: " insensitive\"").count == 2)
        #expect(!page.contains("missed mutant</span>"))
    }

    @Test("missed mutants are marked on their code line and in the blueprint")
    func missedMutants() throws {
        let verified = try RenderFixture.verified.get()
        var renderer = HTMLRenderer(run: verified.run, sources: [verified.source], date: RenderFixture.date)
        // Line 36 is `let third = number(1, over: 3)`, in the run block whose fence is on line 35.
        let site = MutantSite(id: 3, mutationOperator: .literal, line: 36, column: 26, original: "3", replacement: "4")
        renderer.mutations = [MutationFileReport(file: verified.run.files[0].file, problem: nil,
                                                 mutants: [MutantResult(site: site, outcome: .missed, seconds: 0)], claims: [], seconds: 0)]
        let page = renderer.page(for: verified.run.files[0], source: verified.source, katexVersion: nil)
        #expect(page.contains(#"<span class="line missed" id="L36" data-line="36" title="missed mutant #3: 3 → 4">"#))
        #expect(page.contains("<span class=\"missed-mark\">1 missed mutant</span>"))
        #expect(page.components(separatedBy: "class=\"missed-mark\"").count == 2)
        let blueprint = String(try #require(htmlElement(containing: "id=\"blueprint\"", in: page)))
        #expect(blueprint.contains("1 missed mutant") && blueprint.contains("missed mutants (⚠)"))
    }

    @Test("links to other derivations point at their pages; other links are kept")
    func links() throws {
        let verified = try RenderFixture.verified.get()
        var run = verified.run
        var other = run.files[0]
        other.file = "derivations/other.md"
        run.files[0].file = "derivations/this.md"
        run.files.append(other)
        let renderer = HTMLRenderer(run: run, sources: [verified.source], date: RenderFixture.date)
        #expect(renderer.rewriteLink("other.md#section-2", from: "derivations/this.md") == "other.html#section-2")
        #expect(renderer.rewriteLink("./other.md", from: "derivations/this.md") == "other.html")
        #expect(renderer.rewriteLink("../README.md", from: "derivations/this.md") == "../README.md")
        #expect(renderer.rewriteLink("https://example.org/a.md", from: "derivations/this.md") == "https://example.org/a.md")
        #expect(renderer.pageFileName(for: "derivations/other.md") == "other.html")
    }

    @Test("the real KaTeX of libjs-katex is copied with its WOFF2 fonts",
          .enabled(if: FileManager.default.fileExists(atPath: RenderAssets.debianKaTeXDirectory + "/katex.min.js")))
    func debianKaTeX() throws {
        let folder = RenderFixture.temporaryFolder("render-katex")
        defer { try? FileManager.default.removeItem(at: folder) }
        let version = try RenderAssets.installKaTeX(into: folder, from: RenderAssets.debianKaTeXDirectory)
        #expect(version?.hasPrefix("0.") == true)
        let fonts = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("katex/fonts").path)
        #expect(fonts.contains("KaTeX_Main-Regular.woff2") && fonts.allSatisfy { $0.hasSuffix(".woff2") })
        let css = try String(contentsOf: folder.appendingPathComponent("katex/katex.min.css"), encoding: .utf8)
        #expect(css.contains("url(fonts/KaTeX_Main-Regular.woff2)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("katex/katex.min.js").path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
    }
}
