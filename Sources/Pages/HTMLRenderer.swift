import DerivationKit
import Foundation
import Verifier

/// Writes one HTML page per derivation and an index, from the run that checked the claims.
///
/// Each page shows the derivation as its Markdown reads (prose, typeset mathematics, code), with:
/// - a summary under the title: overall verdict, claim counts by verdict, minimum agreement digits, the
///   precision ladder, the library and toolchain versions, the source's path and SHA-256, and the date;
/// - after each block that makes claims, one badge per claim: verdict, digits reached (or the margin of an
///   inequality, or the measured rate), the precisions, the time; refuted, undecided and unjudged claims
///   stand out and show both sides at every rung; the claim's line is marked in the code;
/// - setup blocks folded into a closed `<details>`; no-run blocks shown with their reason.
///
/// The folder receives `index.html`, `style.css`, `katex/` (copied from `libjs-katex`, so the pages work
/// offline) and the pages. The index lists every page in the folder (pages of earlier runs included), so
/// rendering one file keeps the others listed. Each page records its source in `<meta>` elements, which
/// ``DocsChecker`` compares with the sources.
public struct HTMLRenderer {
    public var run: RunReport
    public var sources: [ScannedFile]
    /// The date written into the pages.
    public var date: Date
    /// The KaTeX folder to copy from.
    public var katexDirectory: String
    /// Mutation analyses of the files (`verify --mutate`): their missed mutants are marked on the code lines and
    /// in the blueprint graph.
    public var mutations: [MutationFileReport] = []

    public init(run: RunReport, sources: [ScannedFile]) {
        self.init(run: run, sources: sources, date: Date())
    }

    public init(run: RunReport, sources: [ScannedFile], date: Date, katexDirectory: String = RenderAssets.katexSourceDirectory) {
        self.run = run
        self.sources = sources
        self.date = date
        self.katexDirectory = katexDirectory
    }

    /// Writes the pages, the index and the assets into `folder` (created if needed). Returns notes for the
    /// person rendering (what could not be drawn, and why).
    @discardableResult
    public func write(to folder: String) throws -> [String] {
        var notes: [String] = []
        let url = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let katexVersion = try RenderAssets.installKaTeX(into: url, from: katexDirectory)
        try RenderAssets.write(Data(RenderAssets.styleSheet.utf8), to: url.appendingPathComponent("style.css"))
        let byPath = Dictionary(sources.map { ($0.displayPath, $0) }, uniquingKeysWith: { first, _ in first })
        for report in run.files {
            guard let source = byPath[report.file] else { continue }
            let html = page(for: report, source: source, katexVersion: katexVersion, folder: folder)
            let fileName = pageFileName(for: report.file)
            try RenderAssets.write(Data(html.utf8), to: url.appendingPathComponent(fileName))
            // A small graph for the index.
            let thumbnail = url.appendingPathComponent(Blueprint.thumbnailName(forPage: fileName))
            if let svg = try Blueprint(source: source, report: report).svg(compact: true) {
                try RenderAssets.write(Data(svg.utf8), to: thumbnail)
            } else {
                try? FileManager.default.removeItem(at: thumbnail)
            }
        }
        if Graphviz.executable == nil { notes.append(Graphviz.missingNote) }
        let summaries = try PageSummary.all(in: url)
        try RenderAssets.write(Data(index(summaries, katexVersion: katexVersion, folder: url, shownFolder: HTMLRenderer.displayFolder(folder)).utf8), to: url.appendingPathComponent("index.html"))
        return notes
    }

    // MARK: Names

    /// The folder the pages are written into, as the footer names it: relative to the repository that holds
    /// it (absolute when it lies in none), ending with `/`.
    static func displayFolder(_ folder: String) -> String {
        let relative = RepositoryPath.relative(URL(fileURLWithPath: folder).appendingPathComponent("index.html").path)
        return String(relative.dropLast("index.html".count))
    }

    /// The page of a source: its file name with `.html` for `.md`; when two sources of the run share a
    /// name, their whole relative paths joined by `--`.
    public func pageFileName(for displayPath: String) -> String {
        let base = URL(fileURLWithPath: displayPath).deletingPathExtension().lastPathComponent
        let clashes = run.files.filter { URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent == base }.count > 1
        guard clashes else { return base + ".html" }
        let relative = RepositoryPath.relative(displayPath)
        return relative.replacingOccurrences(of: ".md", with: "").split(separator: "/").joined(separator: "--") + ".html"
    }

    /// Links to another derivation (`other.md`, `./other.md#section`) point at its page: a file of this run,
    /// or a Markdown file next to the linking source (rendered by another run into the same folder).
    func rewriteLink(_ destination: String, from source: String) -> String {
        guard !destination.contains("://"), !destination.hasPrefix("#"), !destination.hasPrefix("/") else { return destination }
        let parts = destination.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = parts.first, path.hasSuffix(".md") else { return destination }
        let target = URL(fileURLWithPath: source).deletingLastPathComponent().appendingPathComponent(String(path)).standardizedFileURL
        let fragment = parts.count > 1 ? "#" + parts[1] : ""
        if let report = run.files.first(where: { URL(fileURLWithPath: $0.file).standardizedFileURL.path == target.path }) {
            return pageFileName(for: report.file) + fragment
        }
        guard target.deletingLastPathComponent().path == URL(fileURLWithPath: source).deletingLastPathComponent().standardizedFileURL.path,
              FileManager.default.fileExists(atPath: target.path) else { return destination }
        return target.deletingPathExtension().lastPathComponent + ".html" + fragment
    }

    // MARK: A page

    /// The HTML page of one derivation.
    /// `folder` is where the page is written (named in its footer).
    public func page(for report: FileReport, source: ScannedFile, katexVersion: String? = nil, folder: String = "docs") -> String {
        let shownFolder = HTMLRenderer.displayFolder(folder)
        let codeBlocks = Dictionary(source.blocks.map { ($0.fenceLine, $0) }, uniquingKeysWith: { first, _ in first })
        var claimsByLine: [Int: [ClaimResult]] = [:]
        let missedMutants = mutations.first { $0.file == report.file }?.mutants.filter { $0.outcome == .missed && $0.site.file == nil } ?? []
        let missedByLine = Dictionary(grouping: missedMutants, by: \.site.line)
        for claim in report.claims { claimsByLine[claim.line, default: []].append(claim) }
        let converter = MarkdownRenderer(
            codeRenderer: { fenced in
                codeBlockHTML(fenced, block: codeBlocks[fenced.fenceLine], claimsByLine: claimsByLine, missed: missedByLine)
            },
            linkRewriter: { rewriteLink($0, from: report.file) })
        let blocks = converter.blocks(source.text)

        // The title: the first block when it is a level-1 heading.
        var titleMarkdown = URL(fileURLWithPath: report.file).deletingPathExtension().lastPathComponent
        var bodyBlocks = blocks[...]
        var titleHTML = "<h1>\(htmlEscape(titleMarkdown))</h1>\n"
        var titleLine: Int? = nil
        let firstVisible = blocks.firstIndex { $0.kind != "hidden" }
        if let first = firstVisible, blocks[first].kind == "heading", blocks[first].html.hasPrefix("<h1"),
           let heading = markdownHeading(source, lines: blocks[first].lines) {
            titleMarkdown = heading
            titleHTML = blocks[first].html
            titleLine = blocks[first].lines.lowerBound
            bodyBlocks = blocks[...].filter { $0.lines != blocks[first].lines }[...]
        }

        // Claims and problems go after the block that holds their line.
        var placedClaims = Set<Int>()
        var placedProblems = Set<Int>()
        let orderedClaims = report.claims.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
        var body = ""
        for block in bodyBlocks {
            body += block.kind == "table" ? "<div class=\"table-wrap\">\n\(block.html)</div>\n" : block.html
            for output in report.output where block.lines.contains(output.line) && !output.text.isEmpty {
                body += outputHTML(output)
            }
            let claims = orderedClaims.filter { block.lines.contains($0.element.line) && !placedClaims.contains($0.offset) }
            if !claims.isEmpty {
                body += "<div class=\"claims\">\n" + claims.map { claimHTML($0.element) }.joined() + "</div>\n"
                claims.forEach { placedClaims.insert($0.offset) }
            }
            for (offset, problem) in report.problems.enumerated() where !placedProblems.contains(offset) {
                if let line = problem.line, block.lines.contains(line) {
                    body += problemHTML(problem)
                    placedProblems.insert(offset)
                }
            }
        }
        let unplaced = orderedClaims.filter { !placedClaims.contains($0.offset) }
        if !unplaced.isEmpty {
            body += "<h2 id=\"other-claims\">Claims outside the text</h2>\n<div class=\"claims\">\n"
                + unplaced.map { claimHTML($0.element) }.joined() + "</div>\n"
        }

        let sections = blocks.compactMap { block in
            block.headingText.map { (line: block.lines.lowerBound, title: $0, anchor: block.headingID) }
        }.filter { $0.line != titleLine }
        let blueprint = Blueprint(source: source, report: report, sections: sections, missedMutantLines: missedMutants.map(\.site.line))

        let relativeSource = RepositoryPath.relative(report.file)
        var summary = PageSummary(fileName: pageFileName(for: report.file), source: relativeSource, sourceHash: report.contentHash,
                                  title: titleMarkdown, passed: report.passed, claims: report.claims.count,
                                  claimsPassed: report.passedCount, counts: verdictCounts(report.claims).map(\.text).joined(separator: " · "),
                                  minimumDigits: report.minimumDigits, precisions: report.precisions, problems: report.problems.count,
                                  date: timestamp(date))
        summary.blueprint = blueprint.nodes.isEmpty ? "" : blueprint.summary
        var html = documentStart + """
        \(summary.metaElements)
        <title>\(htmlEscape(MarkdownRenderer.plainText(titleMarkdown))) — verified derivation</title>
        <link rel="stylesheet" href="katex/katex.min.css">
        <link rel="stylesheet" href="style.css">
        </head>
        <body>
        <div class="topbar"><div class="topbar-inner"><a href="index.html">← All derivations</a><span class="mono">\(htmlEscape(relativeSource))</span></div></div>
        <main>

        """
        html += titleHTML + summaryHTML(report, relativeSource: relativeSource) + contentsHTML(blocks, titleLine: titleLine) + blueprintHTML(blueprint) + body
        html += """
        </main>
        <footer>
        <p>Rendered by <code>verify --render</code> from <code>\(htmlEscape(relativeSource))</code> on \(htmlEscape(displayDate(date))). \
        Regenerate with <code>swift run verify \(htmlEscape(relativeSource)) --render \(htmlEscape(shownFolder))</code>; \
        <code>swift run verify --check-docs \(htmlEscape(shownFolder))</code> tells whether this page still matches its source.</p>
        """
        return html + pageEnd(katexVersion: katexVersion)
    }

    /// The raw Markdown text of the heading on `lines`: an ATX heading without its `#` marks, or the text
    /// lines of a setext heading.
    func markdownHeading(_ source: ScannedFile, lines range: ClosedRange<Int>) -> String? {
        let lines = source.lines
        guard range.lowerBound >= 1, range.upperBound <= lines.count else { return nil }
        let first = lines[range.lowerBound - 1].drop { $0 == " " }
        guard first.hasPrefix("#") else {
            return range.count < 2 ? nil : lines[(range.lowerBound - 1)..<(range.upperBound - 1)]
                .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        }
        var text = first.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
        // An optional closing sequence of #s, preceded by a space.
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0, closing == text.count || text.dropLast(closing).last == " " {
            text = String(text.dropLast(closing)).trimmingCharacters(in: .whitespaces)
        }
        return text
    }

    /// The summary card under the title.
    func summaryHTML(_ report: FileReport, relativeSource: String) -> String {
        let failedClaims = report.claims.count - report.passedCount
        var verdict: String
        if report.passed {
            verdict = "<span class=\"icon\">✓</span> Verified: \(report.claims.count == 1 ? "the claim passes" : "all \(report.claims.count) claims pass")"
        } else {
            var parts: [String] = []
            if failedClaims > 0 { parts.append("\(failedClaims) of \(report.claims.count) claims do not pass") }
            if !report.problems.isEmpty { parts.append("\(report.problems.count) file problem\(report.problems.count == 1 ? "" : "s")") }
            verdict = "<span class=\"icon\">✗</span> Not verified: " + (parts.isEmpty ? "the file failed" : parts.joined(separator: ", "))
        }
        var html = "<section class=\"summary \(report.passed ? "passed" : "failed")\" id=\"verification\">\n<div class=\"verdict\">\(verdict)</div>\n"
        if !report.problems.isEmpty {
            html += "<ul class=\"problems\">\n" + report.problems.map { problem in
                let location = problem.line.map { "line \($0): " } ?? ""
                return "<li>\(htmlEscape(problem.kind.rawValue)) — \(htmlEscape(location))\(htmlEscape(firstLine(problem.message)))</li>\n"
            }.joined() + "</ul>\n"
        }
        let counts = verdictCounts(report.claims).map { "<span>\(htmlEscape($0.text))</span>" }.joined()
        let digits = report.minimumDigits.map { String(format: "%.1f", $0) + " digits (the least over the equalities)" } ?? "— (no equalities)"
        let ladder = report.precisions.map { "\($0)" }.joined(separator: " → ") + " bits"
        let blocks = [("run", "run"), ("setup", "setup (hidden)"), ("no-run", "shown, not run")].compactMap { key, name in
            report.blockCounts[key].map { "<span>\($0) \(name)</span>" }
        }.joined()
        var rows: [(String, String)] = [
            ("Claims", "\(report.claims.count): <span class=\"counts\">\(counts)</span>"),
            ("Minimum digits", htmlEscape(digits)),
            ("Precision ladder", htmlEscape(ladder)),
        ]
        if !blocks.isEmpty { rows.append(("Swift blocks", "<span class=\"counts\">\(blocks)</span>")) }
        rows += [
            ("Source", "<code>\(htmlEscape(relativeSource))</code>"),
            ("SHA-256", "<span class=\"hash\">\(htmlEscape(report.contentHash))</span>"),
            ("Versions", "<span class=\"counts\">" + versionList().map { "<span>\(htmlEscape($0))</span>" }.joined() + "</span>"),
            ("Checked", htmlEscape(displayDate(date)) + ", " + htmlEscape(duration(report.seconds)) + (report.cached ? " (result reused from the cache: the source, library and compiler were unchanged)" : "")),
        ]
        html += "<dl>\n" + rows.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>\n" }.joined() + "</dl>\n</section>\n"
        return html
    }

    /// What a block printed, under it: open when short, folded when long.
    func outputHTML(_ output: BlockOutput) -> String {
        let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).count
        return "<details class=\"output\"\(lines <= 12 ? " open" : "")><summary><span class=\"tag\">output</span> "
            + "What the block at line \(output.line) printed (first rung), \(lines) line\(lines == 1 ? "" : "s")</summary>"
            + "<pre>\(htmlEscape(output.text))</pre></details>\n"
    }

    /// The table of contents: the page's section headings.
    func contentsHTML(_ blocks: [RenderedBlock], titleLine: Int?) -> String {
        let sections = blocks.filter { $0.kind == "heading" && $0.lines.lowerBound != titleLine && $0.html.hasPrefix("<h2") }
        guard sections.count >= 2 else { return "" }
        let items = sections.compactMap { block -> String? in
            // The heading's own HTML (mathematics included), between its opening tag and its anchor.
            guard let id = block.headingID, let open = block.html.firstIndex(of: ">"),
                  let end = block.html.range(of: "<a class=\"anchor\"") else { return nil }
            return "<li><a href=\"#\(htmlEscape(id))\">\(block.html[block.html.index(after: open)..<end.lowerBound])</a></li>"
        }
        return "<nav class=\"toc\" aria-label=\"Contents\"><details><summary>Contents: \(items.count) sections</summary><ol>\n"
            + items.joined(separator: "\n") + "\n</ol></details></nav>\n"
    }

    /// The dependency graph under the summary: an SVG laid out by Graphviz (nodes link to their blocks), or a
    /// list when Graphviz is missing.
    func blueprintHTML(_ blueprint: Blueprint) -> String {
        guard !blueprint.nodes.isEmpty else { return "" }
        let hidden = blueprint.edges.count - blueprint.drawnEdges.count
        let drawing: String
        do { drawing = try blueprint.svg() ?? blueprint.listHTML() } catch { drawing = blueprint.listHTML() }
        var keys = [("passes", "all claims pass"), ("fails", "a claim fails"), ("undecided", "undecided"),
                    ("no-claims", "no claims"), ("affected", "depends on a failing step")]
        if blueprint.nodes.contains(where: { $0.missedMutants > 0 }) { keys.append(("missed", "missed mutants (⚠)")) }
        let legend = keys
            .map { "<span class=\"key \($0.0)\">\($0.1)</span>" }.joined()
        return "<details class=\"blueprint\" id=\"blueprint\" open><summary><span class=\"tag run\">blueprint</span> "
            + "How the steps depend on each other: \(htmlEscape(blueprint.summary))</summary>\n"
            + "<div class=\"blueprint-drawing\">\(drawing)</div>\n"
            + "<p class=\"legend\">\(legend) <span class=\"hint\">One box per Swift block, grouped by section; an arrow from the block that "
            + "defines a name to each later block that uses it (dashed: added with <code>// depends on: name</code>; drop one with "
            + "<code>// independent of: name</code>)\(hidden > 0 ? "; \(hidden) arrow\(hidden == 1 ? "" : "s") implied by a longer path \(hidden == 1 ? "is" : "are") not drawn" : ""). "
            + "Hover over a box or an arrow for the names; click a box to go to its block.</span></p>\n</details>\n"
    }

    /// "MPFR 4.2.1", "GMP 6.3.0", the compiler, the library build, then any other entries.
    func versionList() -> [String] {
        let names = ["mpfr": "MPFR", "gmp": "GMP", "swiftc": "", "library": "library build"]
        let order = ["mpfr", "gmp", "swiftc", "library"]
        let keys = order.filter { run.versions[$0] != nil } + run.versions.keys.filter { !order.contains($0) }.sorted()
        return keys.compactMap { key in
            guard let value = run.versions[key], !value.isEmpty else { return nil }
            let name = names[key] ?? key
            return name.isEmpty ? value : "\(name) \(value)"
        }
    }

    // MARK: Code blocks

    /// A Swift block by its role; other fenced blocks get the default rendering.
    func codeBlockHTML(_ fenced: FencedCode, block: CodeBlock?, claimsByLine: [Int: [ClaimResult]],
                       missed: [Int: [MutantResult]] = [:]) -> String? {
        guard let block, block.role != .ignored else {
            guard fenced.language == "swift" || !fenced.language.isEmpty, fenced.language != "math" else { return nil }
            return "<figure class=\"code\"><figcaption><span class=\"tag\">\(htmlEscape(fenced.language))</span> not run</figcaption>"
                + "<pre><code>\(codeLines(fenced.lines, firstLine: fenced.fenceLine + 1, swift: fenced.language == "swift", claimsByLine: [:]))</code></pre></figure>\n"
        }
        let range = block.lines.isEmpty ? "line \(block.fenceLine)" : "lines \(block.firstContentLine)–\(block.closingLine - 1)"
        let code = codeLines(block.lines, firstLine: block.firstContentLine, swift: true, claimsByLine: claimsByLine, missed: missed,
                             includes: block.includes)
        switch block.role {
        case .run:
            let claimCount = (block.firstContentLine..<block.closingLine).reduce(0) { $0 + (claimsByLine[$1]?.count ?? 0) }
            let claims = claimCount == 0 ? "" : " · \(claimCount) claim\(claimCount == 1 ? "" : "s") below"
            return "<figure class=\"code run\" id=\"block-\(block.fenceLine)\"><figcaption><span class=\"tag run\">runs</span> Swift · \(range)\(claims)</figcaption>"
                + "<pre><code class=\"language-swift\">\(code)</code></pre></figure>\n"
        case .setup:
            return "<details class=\"code setup\" id=\"block-\(block.fenceLine)\"><summary><span class=\"tag setup\">setup</span> Hidden set-up code, \(block.lines.count) line\(block.lines.count == 1 ? "" : "s") (\(range)): click to show</summary>"
                + "<pre><code class=\"language-swift\">\(code)</code></pre></details>\n"
        case .noRun(let reason):
            return "<figure class=\"code no-run\" id=\"block-\(block.fenceLine)\"><figcaption><span class=\"tag no-run\">not run</span> \(htmlEscape(reason))</figcaption>"
                + "<pre><code class=\"language-swift\">\(code)</code></pre></figure>\n"
        case .ignored:
            return nil
        }
    }

    /// The lines of a block, numbered with their Markdown lines; lines that make claims are marked; an
    /// `{{#include PATH}}` line is followed by the included file, folded.
    func codeLines(_ lines: [String], firstLine: Int, swift: Bool, claimsByLine: [Int: [ClaimResult]],
                   missed: [Int: [MutantResult]] = [:], includes: [String: IncludedFile] = [:]) -> String {
        var highlighter = SwiftHighlighter()
        return lines.enumerated().map { offset, text in
            guard let included = IncludedFile.directivePath(in: text).flatMap({ includes[$0] }) else {
                return codeLine(text, number: firstLine + offset, swift: swift, highlighter: &highlighter, claimsByLine: claimsByLine,
                                missed: missed[firstLine + offset] ?? [])
            }
            let line = "<span class=\"line include-line\" id=\"L\(firstLine + offset)\" data-line=\"\(firstLine + offset)\">\(htmlEscape(text))\n</span>"
            var includedHighlighter = SwiftHighlighter()
            let body = included.lines.enumerated().map { index, includedText in
                "<span class=\"line\" data-file=\"\(htmlEscape(included.displayPath))\" data-line=\"\(index + 1)\">\(includedHighlighter.highlight(includedText))\n</span>"
            }.joined()
            let count = included.lines.count
            return line + "<details class=\"include\"><summary>\(htmlEscape(included.displayPath)): \(count) line\(count == 1 ? "" : "s") included here, click to show</summary>\(body)</details>"
        }.joined()
    }

    /// One numbered line of a block.
    func codeLine(_ text: String, number: Int, swift: Bool, highlighter: inout SwiftHighlighter, claimsByLine: [Int: [ClaimResult]],
                  missed: [MutantResult] = []) -> String {
        let content = swift ? highlighter.highlight(text) : htmlEscape(text)
        var classes = "line"
        var notes: [String] = []
        var insensitive: [ClaimSensitivity] = []
        if let claims = claimsByLine[number], !claims.isEmpty {
            classes += " claim-at " + lineClass(claims)
            notes += claims.map { "\($0.id): \(verdictText($0))" }
            // A claim that no mutant of a `verify --mutate` analysis made fail cannot fail under any tested change.
            let files = Set(claims.compactMap { $0.records.first?.file })
            insensitive = mutations.filter { files.contains($0.file) }.flatMap(\.insensitiveClaims)
                .filter { $0.line == number && ($0.file.map(files.contains) ?? true) }
            notes += insensitive.map { "\($0.id): insensitive, no mutant made it fail" }
        }
        if !insensitive.isEmpty { classes += " insensitive" }
        if !missed.isEmpty {
            // A change here that no claim notices: the reader sees which one.
            classes += " missed"
            notes += missed.map { "missed mutant #\($0.site.id): \($0.site.original) → \($0.site.replacement)" }
        }
        let title = notes.isEmpty ? "" : " title=\"" + htmlEscape(notes.joined(separator: "; ")) + "\""
        var mark = missed.isEmpty ? "" : "<span class=\"missed-mark\">\(missed.count) missed mutant\(missed.count == 1 ? "" : "s")</span>"
        if !insensitive.isEmpty {
            mark += "<span class=\"missed-mark\">insensitive claim\(insensitive.count == 1 ? "" : "s"): no mutant made \(insensitive.count == 1 ? "it" : "them") fail</span>"
        }
        return "<span class=\"\(classes)\" id=\"L\(number)\" data-line=\"\(number)\"\(title)>\(content)\(mark)\n</span>"
    }

    func lineClass(_ claims: [ClaimResult]) -> String {
        if claims.contains(where: { !$0.passed && $0.verdict != .undecided }) { return "fails" }
        if claims.contains(where: { $0.verdict == .undecided }) { return "undecided" }
        if claims.contains(where: { $0.expectsRefutation }) { return "known" }
        return "passes"
    }

    // MARK: Claims

    /// The verdict as shown on the badge.
    func verdictText(_ claim: ClaimResult) -> String {
        switch claim.verdict {
        case .refuted where claim.expectsRefutation: return "refuted, as expected"
        case .agrees where claim.expectsRefutation: return "holds, but was expected to be refuted"
        case .error: return "not judged"
        default: return claim.verdict.rawValue
        }
    }

    /// The CSS class of the badge and the claim box.
    func claimClass(_ claim: ClaimResult) -> String {
        if claim.passed { return claim.expectsRefutation ? "known" : claim.verdict.rawValue }
        return claim.verdict == .undecided ? "undecided" : "fails"
    }

    /// One claim's badge, figures and, when it needs attention, both sides at every rung.
    func claimHTML(_ claim: ClaimResult) -> String {
        let cls = claimClass(claim)
        let icon = claim.passed ? "✓" : claim.verdict == .undecided ? "?" : "✗"
        let badgeClass = claim.passed ? (claim.expectsRefutation ? "known" : claim.verdict.rawValue)
            : (claim.verdict == .undecided ? "undecided" : claim.verdict == .error ? "error" : "refuted")
        var meta: [String] = []
        if let digits = claim.digits { meta.append("<span class=\"digits\">\(String(format: "%.1f", digits)) digits</span>") }
        else if let figure = claimFigure(claim) { meta.append("<span class=\"digits\">\(htmlEscape(figure))</span>") }
        meta.append("<span class=\"bits\">\(claim.precisions.map(String.init).joined(separator: " / ")) bits</span>")
        meta.append("<span class=\"time\">\(htmlEscape(duration(claim.seconds)))</span>")
        meta.append("<a class=\"id\" href=\"#claim-\(anchor(claim.id))\">\(htmlEscape(claim.id))</a>")
        meta.append("<a class=\"id\" href=\"#L\(claim.line)\" title=\"the code line that makes the claim\">line \(claim.line)</a>")
        let notable = !claim.passed || claim.verdict == .refuted || claim.verdict == .undecided
        var html = "<div class=\"claim \(cls)\" id=\"claim-\(anchor(claim.id))\" data-verdict=\"\(claim.verdict.rawValue)\"\(notable ? "" : " title=\"\(htmlEscape(claim.detail))\"")>\n"
        html += "<div class=\"claim-head\"><span class=\"badge \(badgeClass)\">\(icon) \(htmlEscape(verdictText(claim)))</span>"
        html += "<span class=\"claim-label\">\(htmlEscape(claim.label))</span></div>\n"
        html += "<div class=\"claim-meta\">\(meta.joined())</div>\n"
        if notable {
            html += "<p class=\"claim-detail\">\(htmlEscape(claim.detail))</p>\n" + valuesTable(claim)
        }
        if let plot = RatePlot(claim: claim) { html += plot.html() }
        return html + "</div>\n"
    }

    /// For a claim without agreement digits: the margin of an inequality, the measured rate, or "exact".
    func claimFigure(_ claim: ClaimResult) -> String? {
        guard let record = claim.records.last else { return nil }
        switch claim.kind {
        case .inequality: return record.margin.map { "margin \($0)" }
        case .knownFalse: return record.refutationMargin.map { "difference \(record.largestDifference ?? "?") > \($0)" }
        case .algebraicRate: return record.estimatedRate.map { "order \(String(format: "%.3g", $0))" }
        case .exponentialRate: return record.estimatedRate.map { "rate \(String(format: "%.3g", $0))" }
        case .integerEquality: return claim.verdict == .agrees ? "exact" : nil
        default: return nil
        }
    }

    /// Both sides (or enclosures, or rates) at every rung.
    func valuesTable(_ claim: ClaimResult) -> String {
        let rows: [(String, (ClaimRecord) -> String?)] = [
            ("left side", { $0.lhs }), ("right side", { $0.rhs }), ("difference", { $0.difference }),
            ("residual", { r in r.residual.map { $0 + (r.residualIsRelative == false ? " (absolute)" : " (relative)") } }),
            ("digits stated", { $0.digitsRequested.map(String.init) }),
            ("refutation margin", { $0.refutationMargin }), ("largest difference", { $0.largestDifference }),
            ("left enclosure", { $0.lhsEnclosure }), ("relation", { $0.relation }), ("right enclosure", { $0.rhsEnclosure }),
            ("margin", { $0.margin }), ("decision", { $0.certainty?.rawValue }),
            ("estimated", { $0.estimatedRate.map { String(format: "%.6g", $0) } }),
            ("stated", { $0.statedRate.map { String(format: "%.6g", $0) } }),
            ("local estimates", { $0.rateEstimates.map { $0.map { String(format: "%.4g", $0) }.joined(separator: ", ") } }),
            ("constant", { $0.constant }), ("stated constant", { $0.statedConstant }),
            ("tolerance", { $0.tolerance.map { String(format: "%g", $0) } }),
            ("holds", { $0.holds.map { $0 ? "yes" : "no" } }),
            ("note", { $0.note }),
        ]
        let records = claim.records
        guard !records.isEmpty else { return "" }
        var html = "<table class=\"values\"><thead><tr><th></th>"
            + records.map { "<th>\($0.precision) bits</th>" }.joined() + "</tr></thead><tbody>\n"
        var any = false
        for (name, value) in rows {
            let values = records.map(value)
            guard values.contains(where: { $0 != nil }) else { continue }
            any = true
            html += "<tr><th>\(name)</th>" + values.map { "<td>\(htmlEscape($0 ?? "—"))</td>" }.joined() + "</tr>\n"
        }
        return any ? html + "</tbody></table>\n" : ""
    }

    func problemHTML(_ problem: FileProblem) -> String {
        let location = problem.line.map { " at line \($0)" } ?? ""
        let lines = problem.message.split(separator: "\n", maxSplits: 1)
        var html = "<div class=\"problem\"><strong>✗ \(htmlEscape(problem.kind.rawValue))\(location):</strong> \(htmlEscape(String(lines.first ?? "")))"
        if lines.count > 1 { html += "<pre>\(htmlEscape(String(lines[1])))</pre>" }
        return html + "</div>\n"
    }

    /// Counts by verdict, in a fixed order, with expected refutations apart from unexpected ones and passing
    /// bookkeeping claims (known-false ones included) apart from the evidence: each claim in one group.
    func verdictCounts(_ claims: [ClaimResult]) -> [(text: String, cls: String)] {
        let groups: [(String, String, (ClaimResult) -> Bool)] = [
            ("agree", "agrees", { $0.verdict == .agrees && !$0.expectsRefutation && !$0.isBookkeeping }),
            ("proved", "proved", { $0.verdict == .proved && !$0.isBookkeeping }),
            ("bookkeeping (not evidence)", "bookkeeping", { $0.passed && $0.isBookkeeping }),
            ("refuted as expected", "known", { $0.verdict == .refuted && $0.expectsRefutation && !$0.isBookkeeping }),
            ("refuted", "refuted", { $0.verdict == .refuted && !$0.expectsRefutation }),
            ("known-false but holding", "refuted", { $0.verdict == .agrees && $0.expectsRefutation }),
            ("undecided", "undecided", { $0.verdict == .undecided }),
            ("not judged", "error", { $0.verdict == .error }),
        ]
        return groups.compactMap { name, cls, test in
            let count = claims.filter(test).count
            return count == 0 ? nil : ("\(count) \(name)", cls)
        }
    }

    // MARK: The index

    /// The index of every page in the folder.
    public func index(_ pages: [PageSummary], katexVersion: String? = nil, folder indexFolder: URL? = nil, shownFolder: String = "docs/") -> String {
        let claims = pages.reduce(0) { $0 + $1.claims }, passedClaims = pages.reduce(0) { $0 + $1.claimsPassed }
        let allPassed = pages.allSatisfy(\.passed)
        let verdict = allPassed
            ? "<span class=\"icon\">✓</span> All \(pages.count) derivation\(pages.count == 1 ? "" : "s") verified: \(claims) claims pass"
            : "<span class=\"icon\">✗</span> \(pages.filter { !$0.passed }.count) of \(pages.count) derivations not verified: \(claims - passedClaims) of \(claims) claims do not pass"
        let inline = MarkdownRenderer()
        var html = documentStart + """
        <title>Verified derivations</title>
        <link rel="stylesheet" href="katex/katex.min.css">
        <link rel="stylesheet" href="style.css">
        </head>
        <body class="wide">
        <div class="topbar"><div class="topbar-inner"><span>Literate derivations</span><span>\(htmlEscape(displayDate(date)))</span></div></div>
        <main>
        <h1>Verified derivations</h1>
        <p class="lede">Each derivation is a Markdown file whose Swift blocks were run in arbitrary precision (GNU MPFR). \
        Every claim on a page carries the verifier's verdict: equalities agree to the working precision at two precisions \
        and sharpen with it, inequalities are certified by outward-rounded interval arithmetic, rates are measured, and \
        known-false statements must be refuted.</p>
        <section class="summary \(allPassed ? "passed" : "failed")"><div class="verdict">\(verdict)</div></section>
        <ul class="derivations">

        """
        for page in pages {
            let status = page.passed
                ? "<span class=\"badge passed\">✓ verified</span>"
                : "<span class=\"badge failed\">✗ not verified</span>"
            var facts = [status, "<span>\(page.claimsPassed) of \(page.claims) claims pass</span>"]
            if !page.counts.isEmpty { facts.append("<span>\(htmlEscape(page.counts))</span>") }
            if let digits = page.minimumDigits { facts.append("<span>≥ \(String(format: "%.1f", digits)) digits</span>") }
            if !page.precisions.isEmpty { facts.append("<span>\(page.precisions.map(String.init).joined(separator: " → ")) bits</span>") }
            if page.problems > 0 { facts.append("<span>\(page.problems) file problem\(page.problems == 1 ? "" : "s")</span>") }
            facts.append("<span class=\"mono\">\(htmlEscape(page.source))</span>")
            facts.append("<span class=\"mono\" title=\"SHA-256 of the source\">\(htmlEscape(String(page.sourceHash.prefix(12))))</span>")
            var graph = ""
            if !page.blueprint.isEmpty {
                graph = "<div class=\"card-graph\">"
                let thumbnail = Blueprint.thumbnailName(forPage: page.fileName)
                if let folder = indexFolder, FileManager.default.fileExists(atPath: folder.appendingPathComponent(thumbnail).path) {
                    graph += "<img src=\"\(htmlEscape(thumbnail))\" alt=\"dependency graph of the derivation's steps\" loading=\"lazy\">"
                }
                graph += "<span>Blueprint: \(htmlEscape(page.blueprint))</span></div>"
            }
            html += "<li><a class=\"card \(page.passed ? "passed" : "failed")\" href=\"\(htmlEscape(page.fileName))\">"
                + "<h2>\(inline.inlineHTML(page.title))</h2><div class=\"facts\">\(facts.joined())</div>\(graph)</a></li>\n"
        }
        html += """
        </ul>
        </main>
        <footer>
        <p>Regenerate these pages with <code>swift run verify derivations/ --render \(htmlEscape(shownFolder))</code> (it checks every claim and \
        writes the pages from that run); <code>swift run verify --check-docs \(htmlEscape(shownFolder))</code> fails when a page no longer matches \
        its source.</p>
        <p>Last rendered \(htmlEscape(displayDate(date))) with \(htmlEscape(versionList().joined(separator: " · "))).</p>
        """
        return html + pageEnd(katexVersion: katexVersion)
    }

    /// The start shared by every page, up to the page's own metadata and title.
    var documentStart: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="verify --render">

        """
    }

    /// The end shared by every page: the KaTeX credit, the maths script, and the closing tags.
    func pageEnd(katexVersion: String?) -> String {
        """
        <p>Mathematics typeset in the browser by KaTeX\(katexVersion.map { " " + htmlEscape($0) } ?? ""), bundled in <code>katex/</code>: no network needed.</p>
        </footer>
        \(RenderAssets.mathScript)
        </body>
        </html>

        """
    }

    // MARK: Formatting

    func anchor(_ id: String) -> String {
        htmlEscape(String(id.map { $0.isWhitespace ? "-" : $0 }))
    }

    func firstLine(_ text: String) -> String { String(text.split(separator: "\n").first ?? "") }

    func duration(_ seconds: Double) -> String {
        if seconds < 0.001 { return "< 1 ms" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.2f s", seconds) }
        return String(format: "%.0f s", seconds)
    }

    func displayDate(_ date: Date) -> String { formatted(date, "yyyy-MM-dd HH:mm 'UTC'") }

    func timestamp(_ date: Date) -> String { formatted(date, "yyyy-MM-dd'T'HH:mm:ss'Z'") }

    func formatted(_ date: Date, _ format: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter.string(from: date)
    }
}

/// What a page records about itself in `<meta name="verify-…">` elements: enough for the index and for
/// ``DocsChecker``.
public struct PageSummary: Sendable, Equatable {
    /// The page's file name in its folder.
    public var fileName: String
    /// The source, relative to the repository root (the nearest folder above it with `Package.swift` or
    /// `.git`), or absolute when it lies in none.
    public var source: String
    /// SHA-256 of the source's bytes when the page was rendered.
    public var sourceHash: String
    /// The derivation's title, as Markdown.
    public var title: String
    public var passed: Bool
    public var claims: Int
    public var claimsPassed: Int
    /// Counts by verdict, as text.
    public var counts: String
    public var minimumDigits: Double?
    public var precisions: [Int]
    /// The number of file-level problems.
    public var problems: Int
    /// When the page was rendered (ISO 8601, UTC).
    public var date: String
    /// The blueprint graph's counts ("" when the page has no run blocks).
    public var blueprint: String = ""

    /// The `<meta>` elements of the page's head.
    var metaElements: String {
        let fields: [(String, String)] = [
            ("source", source), ("source-sha256", sourceHash), ("title", title), ("passed", passed ? "true" : "false"),
            ("claims", String(claims)), ("claims-passed", String(claimsPassed)), ("counts", counts),
            ("minimum-digits", minimumDigits.map { String(format: "%.1f", $0) } ?? ""),
            ("precisions", precisions.map(String.init).joined(separator: " ")), ("problems", String(problems)), ("date", date),
            ("blueprint", blueprint),
        ]
        return fields.map { "<meta name=\"verify-\($0.0)\" content=\"\(htmlEscape($0.1))\">" }.joined(separator: "\n")
    }

    init(fileName: String, source: String, sourceHash: String, title: String, passed: Bool, claims: Int, claimsPassed: Int,
         counts: String, minimumDigits: Double?, precisions: [Int], problems: Int, date: String) {
        self.fileName = fileName
        self.source = source
        self.sourceHash = sourceHash
        self.title = title
        self.passed = passed
        self.claims = claims
        self.claimsPassed = claimsPassed
        self.counts = counts
        self.minimumDigits = minimumDigits
        self.precisions = precisions
        self.problems = problems
        self.date = date
    }

    /// The summary recorded in a rendered page, or nil when the HTML is not a page of `verify --render`.
    public init?(html: String, fileName: String) {
        var fields: [String: String] = [:]
        var rest = html[...]
        while let start = rest.range(of: "<meta name=\"verify-") {
            let after = rest[start.upperBound...]
            guard let nameEnd = after.firstIndex(of: "\""),
                  let contentStart = after.range(of: "content=\""),
                  let contentEnd = after[contentStart.upperBound...].firstIndex(of: "\"") else { break }
            fields[String(after[..<nameEnd])] = htmlUnescape(String(after[contentStart.upperBound..<contentEnd]))
            rest = after[contentEnd...]
        }
        guard let source = fields["source"], let hash = fields["source-sha256"] else { return nil }
        self.init(fileName: fileName, source: source, sourceHash: hash, title: fields["title"] ?? fileName,
                  passed: fields["passed"] == "true", claims: Int(fields["claims"] ?? "") ?? 0,
                  claimsPassed: Int(fields["claims-passed"] ?? "") ?? 0, counts: fields["counts"] ?? "",
                  minimumDigits: Double(fields["minimum-digits"] ?? ""),
                  precisions: (fields["precisions"] ?? "").split(separator: " ").compactMap { Int($0) },
                  problems: Int(fields["problems"] ?? "") ?? 0, date: fields["date"] ?? "")
        blueprint = fields["blueprint"] ?? ""
    }

    /// The summaries of every rendered page directly in `folder`, ordered by source path.
    public static func all(in folder: URL) throws -> [PageSummary] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".html") && $0 != "index.html" }
        return names.compactMap { name -> PageSummary? in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
            return PageSummary(html: String(decoding: data.prefix(16_384), as: UTF8.self), fileName: name)
        }.sorted { ($0.source, $0.fileName) < ($1.source, $1.fileName) }
    }
}

/// `text` with the entities written by ``htmlEscape(_:)`` turned back into characters.
func htmlUnescape(_ text: String) -> String {
    text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
        .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
}

/// Paths of sources as pages record them: relative to the repository that holds them.
public enum RepositoryPath {
    /// The nearest folder at or above `url` (a folder) holding `Package.swift` or `.git`.
    public static func root(above url: URL) -> URL? {
        var folder = url.standardizedFileURL
        while true {
            for marker in ["Package.swift", ".git"] where FileManager.default.fileExists(atPath: folder.appendingPathComponent(marker).path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// `path` relative to the root of its repository, or absolute when it is in none.
    public static func relative(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL
        guard let root = root(above: absolute.deletingLastPathComponent()) else { return absolute.path }
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return absolute.path.hasPrefix(rootPath) ? String(absolute.path.dropFirst(rootPath.count)) : absolute.path
    }
}
