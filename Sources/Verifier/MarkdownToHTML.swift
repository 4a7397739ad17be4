/// A small Markdown-to-HTML converter for derivations: the subset they use, with mathematics kept intact.
///
/// Blocks: ATX and setext headings, paragraphs, fenced code (the fence rules of ``FenceScanner``, so the
/// converter and the verifier agree on which lines are code), ```` ```math ```` blocks, bullet and ordered
/// lists (nested, tight or loose), GitHub pipe tables, block quotes, thematic breaks. HTML comments are
/// dropped; other raw HTML is shown as text. Indented code blocks are not supported (an indented line
/// continues its paragraph).
///
/// Inlines: `*emphasis*`, `**strong**`, `~~strike~~`, `` `code` ``, `[links](url)`, `![images](src)`,
/// `<https://autolinks>`, backslash escapes, entities, hard breaks (two trailing spaces).
///
/// Mathematics: `$…$` (inline) and `$$…$$` (display, may span lines inside a paragraph) are found
/// before any other inline syntax, following pandoc's rule for `$` (the opening `$` is followed by a
/// non-space, the closing one preceded by a non-space and not followed by a digit; `\$` is a dollar
/// sign). Their TeX is only HTML-escaped, so `<`, `&`, `_`, `*` and `\` reach the typesetter unchanged,
/// and is wrapped in `<span class="math inline">` or `<span class="math display">`. A `$$` left open
/// keeps the following lines in its paragraph, so a display formula's lines are never read as lists
/// or headings.
public struct MarkdownToHTML {
    /// Renders a fenced code block; return nil for the default rendering.
    public var codeRenderer: (FencedCode) -> String?
    /// Rewrites a link destination (for example `other.md` to `other.html`); the default keeps it.
    public var linkRewriter: (String) -> String

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
        let lines = markdownLines(markdown).enumerated().map { SourceLine(number: $0.offset + 1, text: $0.element) }
        var slugs = SlugSet()
        return BlockParser(lines: lines).parse().map { node in
            RenderedBlock(lines: node.first...node.last, kind: node.block.kindName, html: render(node, tight: false, slugs: &slugs))
        }
    }

    /// The HTML of one line of inline Markdown (headings, table cells, labels).
    public func inlineHTML(_ text: String) -> String {
        InlineRenderer(linkRewriter: linkRewriter).render(text)
    }

    // MARK: Blocks to HTML

    func render(_ node: BlockNode, tight: Bool, slugs: inout SlugSet) -> String {
        let inline = InlineRenderer(linkRewriter: linkRewriter)
        switch node.block {
        case .heading(let level, let text):
            let id = slugs.unique(headingSlug(inlinePlainText(text)))
            return "<h\(level) id=\"\(id)\">\(inline.render(text))<a class=\"anchor\" href=\"#\(id)\" aria-hidden=\"true\">#</a></h\(level)>\n"
        case .paragraph(let text):
            return tight ? inline.render(text) + "\n" : "<p>\(inline.render(text))</p>\n"
        case .code(let code):
            if let html = codeRenderer(code) { return html }
            return MarkdownToHTML.defaultCode(code)
        case .quote(let children):
            return "<blockquote>\n" + children.map { render($0, tight: false, slugs: &slugs) }.joined() + "</blockquote>\n"
        case .list(let ordered, let start, let isTight, let items):
            let open = ordered ? (start == 1 ? "<ol>" : "<ol start=\"\(start)\">") : "<ul>"
            var html = open + "\n"
            for item in items {
                html += "<li>" + item.map { render($0, tight: isTight, slugs: &slugs) }.joined()
                if html.hasSuffix("\n") { html.removeLast() }
                html += "</li>\n"
            }
            return html + (ordered ? "</ol>\n" : "</ul>\n")
        case .table(let header, let alignments, let rows):
            func cells(_ row: [String], tag: String) -> String {
                row.enumerated().map { index, cell in
                    let alignment = index < alignments.count ? alignments[index] : nil
                    let style = alignment.map { " style=\"text-align: \($0)\"" } ?? ""
                    return "<\(tag)\(style)>\(inline.render(cell))</\(tag)>"
                }.joined()
            }
            var html = "<div class=\"table-wrap\"><table>\n<thead><tr>\(cells(header, tag: "th"))</tr></thead>\n"
            if !rows.isEmpty { html += "<tbody>\n" + rows.map { "<tr>\(cells($0, tag: "td"))</tr>\n" }.joined() + "</tbody>\n" }
            return html + "</table></div>\n"
        case .rule:
            return "<hr>\n"
        case .hidden:
            return ""
        }
    }

    /// The default rendering of a fenced block: `math` as display mathematics, anything else as code.
    public static func defaultCode(_ code: FencedCode) -> String {
        if code.language == "math" {
            return "<div class=\"math display\">\(htmlEscape(code.text))</div>\n"
        }
        let language = code.language.isEmpty ? "" : " class=\"language-\(htmlEscape(code.language))\""
        return "<pre class=\"code\"><code\(language)>\(htmlEscape(code.text))</code></pre>\n"
    }
}

/// A top-level block of a rendered document.
public struct RenderedBlock: Sendable, Equatable {
    /// The source lines the block spans (1-based, inclusive).
    public var lines: ClosedRange<Int>
    /// What the block is: heading, paragraph, code, quote, list, table, rule, hidden.
    public var kind: String
    /// Its HTML.
    public var html: String
}

/// A fenced code block as the converter found it.
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
}

// MARK: - Helpers

/// `text` with `&`, `<`, `>` and `"` escaped for HTML text and attribute values.
func htmlEscape(_ text: String) -> String {
    escaped(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"])
}

/// Inline Markdown reduced to plain text (for titles, slugs and alt text): markers dropped, mathematics kept as TeX.
func inlinePlainText(_ markdown: String) -> String {
    var text = ""
    for piece in InlineSpans(markdown).pieces {
        switch piece {
        case .text(let character) where "*_[]`~".contains(character): continue
        case .text(let character): text.append(character)
        case .escape(let character): text.append(character)
        case .code(let content, _): text += content
        case .math(let tex, _): text += tex
        case .unclosedDisplay: text += "$$"
        }
    }
    return text.replacingNewlines()
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
