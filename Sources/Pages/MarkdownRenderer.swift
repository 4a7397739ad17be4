import CCommonMark
import Foundation

/// Renders Markdown to HTML with the CommonMark reference implementation (cmark-gfm) and its GitHub
/// extensions (tables, `~~strikethrough~~`, bare-URL autolinks), with mathematics kept intact.
///
/// - Mathematics: `$…$` and `$$…$$` are protected before parsing (``MathProtection``) and come out as
///   `<span class="math inline">` / `<span class="math display">` holding the TeX, only HTML-escaped; a
///   ```` ```math ```` block becomes `<div class="math display">`.
/// - Fenced code blocks, wherever they are (top level, lists, block quotes), go through ``codeRenderer``;
///   nil keeps cmark's rendering.
/// - Link destinations go through ``linkRewriter`` (for example `other.md` to `other.html`).
/// - Raw HTML is kept (derivations are the repository's own text: `<details>` works); footnotes are on.
/// - Top-level headings get an `id` (a slug of their text, unique in the page) and a `#` anchor.
public struct MarkdownRenderer {
    /// Renders a fenced code block; return nil for the default rendering.
    public var codeRenderer: (FencedCode) -> String?
    /// Rewrites a link destination; the default keeps it.
    public var linkRewriter: (String) -> String
    /// Whether the GitHub extensions (tables, strikethrough, bare-URL autolinks) are on.
    public var extensions = true
    /// Whether top-level headings get an `id` and a `#` anchor (a page feature, not Markdown).
    public var headingAnchors = true

    public init(codeRenderer: @escaping (FencedCode) -> String? = { _ in nil },
                linkRewriter: @escaping (String) -> String = { $0 }) {
        self.codeRenderer = codeRenderer
        self.linkRewriter = linkRewriter
    }

    /// The HTML of a whole document.
    public func html(_ markdown: String) -> String {
        blocks(markdown).map(\.html).joined()
    }

    /// The top-level blocks of a document, each with the source lines it spans and its HTML.
    public func blocks(_ markdown: String) -> [RenderedBlock] {
        let document = CommonMarkDocument(protecting: markdown, options: ccommonmark_page_options(), extensions: extensions)
        let root = document.root
        // Fenced code goes through the code renderer, links through the rewriter.
        var replacements: [(OpaquePointer, String)] = []
        document.forEachNode { node in
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_CODE_BLOCK, let code = FencedCode(node: node) {
                if let html = codeRenderer(code) ?? MarkdownRenderer.mathBlock(code) { replacements.append((node, html)) }
            } else if type == CMARK_NODE_LINK, let url = cmark_node_get_url(node) {
                let original = String(cString: url)
                let rewritten = linkRewriter(original)
                if rewritten != original { cmark_node_set_url(node, rewritten) }
            }
        }
        // A new node has no source position: keep the replaced block's lines.
        var replacedLines: [OpaquePointer: (Int, Int)] = [:]
        for (node, html) in replacements {
            guard let replacement = cmark_node_new(CMARK_NODE_HTML_BLOCK) else { continue }
            cmark_node_set_literal(replacement, html)
            replacedLines[replacement] = (Int(cmark_node_get_start_line(node)), Int(cmark_node_get_end_line(node)))
            cmark_node_replace(node, replacement)
            cmark_node_free(node)
        }
        // A marker before each top-level block, so that one rendering of the whole document (footnotes
        // numbered across it) can be cut into blocks.
        var tops: [(lines: ClosedRange<Int>, kind: String, heading: (level: Int, text: String)?)] = []
        var child = cmark_node_first_child(root)
        let lineCount = markdown.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).count
        while let node = child {
            child = cmark_node_next(node)
            let (start, last) = replacedLines[node] ?? (Int(cmark_node_get_start_line(node)), Int(cmark_node_get_end_line(node)))
            let end = max(start, last)
            let kind = replacedLines[node] == nil ? MarkdownRenderer.kindName(node) : "code"
            let heading = cmark_node_get_type(node) == CMARK_NODE_HEADING
                ? (Int(cmark_node_get_heading_level(node)), CommonMarkDocument.plainText(node)) : nil
            tops.append((max(1, start)...max(1, min(end, max(lineCount, start))), kind, heading))
            if let marker = cmark_node_new(CMARK_NODE_HTML_BLOCK) {
                cmark_node_set_literal(marker, String(MarkdownRenderer.blockMarker))
                cmark_node_insert_before(node, marker)
            }
        }
        let html = MathProtection.restore(document.render(root))
        var chunks = html.split(separator: MarkdownRenderer.blockMarker, omittingEmptySubsequences: false).dropFirst().map { chunk in
            chunk.hasPrefix("\n") ? String(chunk.dropFirst()) : String(chunk)
        }
        while chunks.count < tops.count { chunks.append("") }
        var slugs = SlugSet()
        return zip(tops, chunks).map { top, chunk in
            var html = chunk
            if headingAnchors, let heading = top.heading {
                let id = slugs.unique(headingSlug(heading.text))
                html = MarkdownRenderer.withAnchor(html, level: heading.level, id: id)
            }
            return RenderedBlock(lines: top.lines, kind: top.kind, html: html, headingText: top.heading?.text,
                                 headingID: top.heading != nil ? lastSlug(html) : nil)
        }
    }

    /// The HTML of one line of inline Markdown (titles, labels), without the paragraph around it.
    public func inlineHTML(_ text: String) -> String {
        var html = MarkdownRenderer(linkRewriter: linkRewriter).html(text.replacingOccurrences(of: "\n", with: " "))
        if html.hasSuffix("\n") { html.removeLast() }
        if html.hasPrefix("<p>"), html.hasSuffix("</p>") { html = String(html.dropFirst(3).dropLast(4)) }
        return html
    }

    /// Inline Markdown reduced to plain text (page titles, slugs): markers dropped, mathematics kept as TeX.
    public static func plainText(_ markdown: String) -> String {
        let document = CommonMarkDocument(protecting: markdown, options: ccommonmark_page_options(), extensions: true)
        return CommonMarkDocument.plainText(document.root).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// CommonMark alone, as its spec renders examples: no extensions, no mathematics, raw HTML kept.
    public static func commonMarkHTML(_ markdown: String) -> String {
        let document = CommonMarkDocument(markdown, options: ccommonmark_spec_options(), extensions: false)
        return document.render(document.root)
    }

    /// The default rendering of a ```` ```math ```` block: display mathematics.
    static func mathBlock(_ code: FencedCode) -> String? {
        code.language == "math" ? "<div class=\"math display\">\(htmlEscape(code.text))</div>\n" : nil
    }

    static let blockMarker: Character = "\u{E010}"

    /// `<hN>` given an `id` and a `#` link to itself.
    static func withAnchor(_ html: String, level: Int, id: String) -> String {
        let open = "<h\(level)>", close = "</h\(level)>"
        guard html.hasPrefix(open), let end = html.range(of: close, options: .backwards) else { return html }
        return "<h\(level) id=\"\(id)\">" + html[html.index(html.startIndex, offsetBy: open.count)..<end.lowerBound]
            + "<a class=\"anchor\" href=\"#\(id)\" aria-hidden=\"true\">#</a>" + html[end.lowerBound...]
    }

    /// What a top-level block is: heading, paragraph, code, quote, list, table, rule, html, hidden (an HTML
    /// comment), footnote.
    static func kindName(_ node: OpaquePointer) -> String {
        let type = cmark_node_get_type(node)
        if type == CMARK_NODE_HTML_BLOCK {
            let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            let trimmed = literal.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.hasPrefix("<!--") && trimmed.hasSuffix("-->") ? "hidden" : "html"
        }
        let name = cmark_node_get_type_string(node).map { String(cString: $0) } ?? "block"
        let names = ["code_block": "code", "block_quote": "quote", "thematic_break": "rule", "footnote_definition": "footnote"]
        return names[name] ?? name
    }
}

/// A top-level block of a rendered document.
public struct RenderedBlock: Sendable, Equatable {
    /// The source lines the block spans (1-based, inclusive).
    public var lines: ClosedRange<Int>
    /// What the block is: heading, paragraph, code, quote, list, table, rule, html, hidden, footnote.
    public var kind: String
    /// Its HTML.
    public var html: String
    /// For a heading: its plain text (mathematics as TeX) and its anchor.
    public var headingText: String? = nil
    public var headingID: String? = nil
}

/// The `id` of the heading element `html` opens with.
func lastSlug(_ html: String) -> String? {
    guard html.hasPrefix("<h"), let start = html.range(of: " id=\""), let end = html[start.upperBound...].firstIndex(of: "\"") else { return nil }
    return String(html[start.upperBound..<end])
}

/// A fenced code block as cmark parsed it.
public struct FencedCode: Sendable, Equatable {
    /// The line of the opening fence.
    public var fenceLine: Int
    /// The info string, trimmed.
    public var info: String
    /// Its first word.
    public var language: String
    /// The content lines.
    public var lines: [String]
    /// The content.
    public var text: String { lines.joined(separator: "\n") }

    /// The fenced block `node`, or nil for an indented code block.
    init?(node: OpaquePointer) {
        var length: Int32 = 0, offset: Int32 = 0
        var character: CChar = 0
        guard cmark_node_get_fenced(node, &length, &offset, &character) != 0 else { return nil }
        fenceLine = Int(cmark_node_get_start_line(node))
        info = (cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "").trimmingCharacters(in: .whitespaces)
        language = String(info.prefix { $0 != " " && $0 != "\t" })
        var content = (cmark_node_get_literal(node).map { String(cString: $0) } ?? "")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if content.last == "" { content.removeLast() }
        lines = content
    }
}

/// A parsed cmark document; frees its nodes and parser when released.
final class CommonMarkDocument {
    let parser: OpaquePointer
    let root: OpaquePointer
    let options: Int32

    /// Parses `markdown` as it is.
    init(_ markdown: String, options: Int32, extensions: Bool) {
        self.options = options
        let parser: OpaquePointer = ccommonmark_parser(options, extensions ? 1 : 0)
        self.parser = parser
        var bytes = Array(markdown.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        root = cmark_parser_finish(parser)
    }

    /// Parses `markdown` with its mathematics protected: a first parse finds the lines of code and HTML
    /// blocks, which hold no mathematics.
    convenience init(protecting markdown: String, options: Int32, extensions: Bool) {
        let first = CommonMarkDocument(markdown, options: options, extensions: false)
        var skipped = Set<Int>()
        first.forEachNode { node in
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK else { return }
            let start = Int(cmark_node_get_start_line(node)), end = Int(cmark_node_get_end_line(node))
            if start <= end { skipped.formUnion(start...end) }
        }
        self.init(MathProtection.protect(markdown, skippedLines: skipped), options: options, extensions: extensions)
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }

    /// Calls `body` on every node once (on entering), in document order. The tree must not change meanwhile.
    func forEachNode(_ body: (OpaquePointer) -> Void) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { body(node) }
        }
    }

    /// The HTML of `node` and its descendants.
    func render(_ node: OpaquePointer) -> String {
        guard let html = cmark_render_html(node, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }

    /// The text of `node`'s descendants: text and code literals, line breaks as spaces, mathematics as TeX.
    static func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(child)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
                text += cmark_node_get_literal(child).map { String(cString: $0) } ?? ""
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            }
        }
        return MathProtection.strip(text)
    }
}

// MARK: - Helpers

/// `text` with `&`, `<`, `>` and `"` escaped for HTML text and attribute values.
public func htmlEscape(_ text: String) -> String {
    var output = ""
    output.reserveCapacity(text.utf8.count)
    for character in text {
        switch character {
        case "&": output += "&amp;"
        case "<": output += "&lt;"
        case ">": output += "&gt;"
        case "\"": output += "&quot;"
        default: output.append(character)
        }
    }
    return output
}

/// A URL fragment for a heading: lower-case letters, digits and hyphens.
func headingSlug(_ text: String) -> String {
    var slug = ""
    for character in text.lowercased() {
        if character.isLetter || character.isNumber { slug.append(character) }
        else if (character == " " || character == "-"), !slug.isEmpty, slug.last != "-" { slug.append("-") }
    }
    while slug.hasSuffix("-") { slug.removeLast() }
    return slug.isEmpty ? "section" : slug
}

/// Hands out unique slugs within one page.
struct SlugSet {
    var used: Set<String> = []
    mutating func unique(_ base: String) -> String {
        var candidate = base
        var counter = 2
        while used.contains(candidate) { candidate = "\(base)-\(counter)"; counter += 1 }
        used.insert(candidate)
        return candidate
    }
}
