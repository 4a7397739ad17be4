import Foundation
import Testing
@testable import Verifier
@testable import Pages

@Suite("Rendered pages: included files")
struct IncludeRenderingTests {
    @Test("an include line is shown as written, with the included file folded under it, numbered by its own lines")
    func folded() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("include-page-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("shared"), withIntermediateDirectories: true)
        try "let a = number(2)\nlet b = number(3)\n".write(to: root.appendingPathComponent("shared/values.swift"), atomically: true, encoding: .utf8)
        let markdown = root.appendingPathComponent("page.md")
        try "# Page\n\n```swift\n{{#include shared/values.swift}}\nclaimEqual(\"a + b = 5\", a + b, number(5))\n```\n"
            .write(to: markdown, atomically: true, encoding: .utf8)
        let source = try Verifier.scan(markdown.path)
        let block = try #require(source.blocks.first)
        let renderer = HTMLRenderer(run: RunReport(files: [], versions: [:], seconds: 0), sources: [source], date: Date(timeIntervalSince1970: 0))
        let html = renderer.codeLines(block.lines, firstLine: block.firstContentLine, swift: true, claimsByLine: [:], includes: block.includes)
        #expect(html.contains("<span class=\"line include-line\" id=\"L4\" data-line=\"4\">{{#include shared/values.swift}}\n</span>"))
        #expect(html.contains("<details class=\"include\"><summary>\(root.path)/shared/values.swift: 2 lines included here, click to show</summary>"))
        let folded = try #require(html.components(separatedBy: "<details class=\"include\">").last?.components(separatedBy: "</details>").first)
        #expect(folded.components(separatedBy: "data-file=").count == 3)
        #expect(folded.contains("data-line=\"2\""))
        #expect(html.components(separatedBy: "</details>").last?.contains("data-line=\"5\"") == true)
    }
}
