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
            let id = slugs.unique(slug(plainText(text)))
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

// MARK: - Block parsing

/// A line of Markdown with its 1-based number in the file.
struct SourceLine {
    var number: Int
    var text: Substring
}

/// A parsed block.
indirect enum MarkdownBlock {
    case heading(level: Int, text: String)
    case paragraph(String)
    case code(FencedCode)
    case quote([BlockNode])
    case list(ordered: Bool, start: Int, tight: Bool, items: [[BlockNode]])
    case table(header: [String], alignments: [String?], rows: [[String]])
    case rule
    /// An HTML comment: nothing is shown.
    case hidden

    var kindName: String {
        switch self {
        case .heading: return "heading"
        case .paragraph: return "paragraph"
        case .code: return "code"
        case .quote: return "quote"
        case .list: return "list"
        case .table: return "table"
        case .rule: return "rule"
        case .hidden: return "hidden"
        }
    }
}

/// A block and the lines it spans.
struct BlockNode {
    var block: MarkdownBlock
    var first: Int
    var last: Int
}

/// A list item marker: `-`, `+`, `*`, `1.` or `1)`.
struct ListMarker {
    var ordered: Bool
    var start: Int
    /// The bullet character, or the delimiter (`.` or `)`) of an ordered marker.
    var symbol: Character
    /// Spaces before the marker.
    var indentation: Int
    /// The column where the item's content starts.
    var contentOffset: Int
    /// Whether the marker is followed by nothing.
    var isEmpty: Bool

    init?(_ line: Substring) {
        let indentation = line.prefix { $0 == " " }.count
        guard indentation <= 3 else { return nil }
        let rest = line.dropFirst(indentation)
        guard let first = rest.first else { return nil }
        var markerWidth: Int
        if first == "-" || first == "+" || first == "*" {
            ordered = false
            start = 1
            symbol = first
            markerWidth = 1
        } else {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard (1...9).contains(digits.count), let delimiter = rest.dropFirst(digits.count).first,
                  delimiter == "." || delimiter == ")" else { return nil }
            ordered = true
            start = Int(digits) ?? 1
            symbol = delimiter
            markerWidth = digits.count + 1
        }
        let after = rest.dropFirst(markerWidth)
        if after.isEmpty || after.allSatisfy({ $0 == " " || $0 == "\t" }) {
            isEmpty = true
            contentOffset = indentation + markerWidth + 1
        } else {
            guard after.first == " " || after.first == "\t" else { return nil }
            isEmpty = false
            let spaces = after.prefix { $0 == " " }.count
            contentOffset = indentation + markerWidth + (spaces > 4 ? 1 : max(1, spaces))
        }
        self.indentation = indentation
    }

    /// Whether `other` continues the same list.
    func isSibling(of other: ListMarker) -> Bool { ordered == other.ordered && symbol == other.symbol }
}

/// Parses lines into blocks (recursively for block quotes and list items).
struct BlockParser {
    var lines: [SourceLine]

    func parse() -> [BlockNode] {
        var nodes: [BlockNode] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if isBlank(line.text) { index += 1; continue }
            if let fence = Fence(opening: line.text) {
                var content: [String] = []
                var cursor = index + 1
                while cursor < lines.count, !fence.isClosed(by: lines[cursor].text) {
                    content.append(String(fence.removingIndentation(from: lines[cursor].text)))
                    cursor += 1
                }
                let last = min(cursor, lines.count - 1)
                let language = fence.info.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
                nodes.append(BlockNode(block: .code(FencedCode(fenceLine: line.number, info: fence.info, language: language, lines: content)),
                                       first: line.number, last: lines[last].number))
                index = last + 1
                continue
            }
            if line.text.trimmingCharacters().hasPrefix("<!--") {
                var cursor = index
                while cursor < lines.count, !lines[cursor].text.contains("-->") { cursor += 1 }
                let last = min(cursor, lines.count - 1)
                nodes.append(BlockNode(block: .hidden, first: line.number, last: lines[last].number))
                index = last + 1
                continue
            }
            if let (level, text) = atxHeading(line.text) {
                nodes.append(BlockNode(block: .heading(level: level, text: text), first: line.number, last: line.number))
                index += 1
                continue
            }
            if isThematicBreak(line.text) {
                nodes.append(BlockNode(block: .rule, first: line.number, last: line.number))
                index += 1
                continue
            }
            if quoteContent(line.text) != nil {
                var inner: [SourceLine] = []
                var cursor = index
                while cursor < lines.count {
                    let text = lines[cursor].text
                    if let content = quoteContent(text) {
                        inner.append(SourceLine(number: lines[cursor].number, text: content))
                    } else if !isBlank(text), let previous = inner.last, !isBlank(previous.text), !startsBlock(text) {
                        inner.append(lines[cursor])
                    } else {
                        break
                    }
                    cursor += 1
                }
                nodes.append(BlockNode(block: .quote(BlockParser(lines: inner).parse()), first: line.number, last: lines[cursor - 1].number))
                index = cursor
                continue
            }
            if let marker = ListMarker(line.text) {
                let (node, next) = parseList(from: index, marker: marker)
                nodes.append(node)
                index = next
                continue
            }
            if index + 1 < lines.count, let table = parseTable(from: index) {
                nodes.append(table.node)
                index = table.next
                continue
            }
            // A paragraph, possibly a setext heading.
            var text = String(line.text.trimmingCharacters())
            var cursor = index + 1
            var setextLevel: Int? = nil
            while cursor < lines.count {
                let next = lines[cursor].text
                if isBlank(next) { break }
                let mathOpen = displayMathIsOpen(text)
                if !mathOpen, let level = setextUnderline(next) { setextLevel = level; break }
                if !mathOpen && (interruptsParagraph(next) || startsTable(at: cursor)) { break }
                text += "\n" + next.trimmingCharacters()
                cursor += 1
            }
            if let level = setextLevel {
                nodes.append(BlockNode(block: .heading(level: level, text: text.replacingNewlines()), first: line.number, last: lines[cursor].number))
                index = cursor + 1
            } else {
                nodes.append(BlockNode(block: .paragraph(text), first: line.number, last: lines[cursor - 1].number))
                index = cursor
            }
        }
        return nodes
    }

    /// A list starting at `start`: its items, tightness, and the index after it.
    func parseList(from start: Int, marker first: ListMarker) -> (BlockNode, Int) {
        var items: [[BlockNode]] = []
        var tight = true
        var index = start
        var lastLine = lines[start].number
        while index < lines.count, let marker = ListMarker(lines[index].text), marker.isSibling(of: first),
              !isThematicBreak(lines[index].text) {
            // The item's lines: the first without its marker, then indented, blank, or lazy continuation lines.
            var inner: [SourceLine] = []
            let firstText = lines[index].text
            let content = marker.isEmpty ? Substring("") : firstText.dropFirst(min(marker.contentOffset, firstText.count))
            inner.append(SourceLine(number: lines[index].number, text: content))
            var cursor = index + 1
            while cursor < lines.count {
                let text = lines[cursor].text
                let indentation = text.prefix { $0 == " " }.count
                if isBlank(text) {
                    // A blank line belongs to the item only if an indented line follows.
                    var look = cursor + 1
                    while look < lines.count, isBlank(lines[look].text) { look += 1 }
                    guard look < lines.count, lines[look].text.prefix(while: { $0 == " " }).count >= marker.contentOffset else { break }
                    inner.append(SourceLine(number: lines[cursor].number, text: ""))
                } else if indentation >= marker.contentOffset {
                    inner.append(SourceLine(number: lines[cursor].number, text: text.dropFirst(marker.contentOffset)))
                } else if let previous = inner.last, !isBlank(previous.text),
                          displayMathIsOpen(inner.map(\.text).joined(separator: "\n")) || !startsBlock(text) {
                    inner.append(SourceLine(number: lines[cursor].number, text: text.trimmingCharacters()))
                } else {
                    break
                }
                cursor += 1
            }
            let itemNodes = BlockParser(lines: inner).parse()
            // Loose when blocks inside the item are separated by a blank line.
            if itemNodes.count > 1 {
                for (a, b) in zip(itemNodes, itemNodes.dropFirst()) where b.first > a.last + 1 {
                    if inner.contains(where: { $0.number > a.last && $0.number < b.first && isBlank($0.text) }) { tight = false }
                }
            }
            items.append(itemNodes)
            lastLine = inner.last?.number ?? lastLine
            index = cursor
            // Blank lines between items make the list loose; blank lines after the last item end it.
            var look = index
            while look < lines.count, isBlank(lines[look].text) { look += 1 }
            if look > index, look < lines.count, let next = ListMarker(lines[look].text), next.isSibling(of: first),
               !isThematicBreak(lines[look].text) {
                tight = false
                index = look
            }
        }
        return (BlockNode(block: .list(ordered: first.ordered, start: first.start, tight: tight, items: items),
                          first: lines[start].number, last: lastLine), index)
    }

    /// A pipe table starting at `start` (a header row and a delimiter row), or nil.
    func parseTable(from start: Int) -> (node: BlockNode, next: Int)? {
        let headerLine = lines[start].text
        guard headerLine.contains("|") else { return nil }
        let header = splitTableRow(headerLine)
        guard let alignments = delimiterRow(lines[start + 1].text), alignments.count == header.count else { return nil }
        var rows: [[String]] = []
        var cursor = start + 2
        while cursor < lines.count {
            let text = lines[cursor].text
            if isBlank(text) || !text.contains("|") || startsBlock(text) { break }
            var cells = splitTableRow(text)
            if cells.count < header.count { cells += Array(repeating: "", count: header.count - cells.count) }
            rows.append(Array(cells.prefix(header.count)))
            cursor += 1
        }
        return (BlockNode(block: .table(header: header, alignments: alignments, rows: rows),
                          first: lines[start].number, last: lines[cursor - 1].number), cursor)
    }

    /// The alignments of a delimiter row (`|:--|--:|`), or nil when the line is not one.
    func delimiterRow(_ line: Substring) -> [String?]? {
        let cells = splitTableRow(line)
        guard !cells.isEmpty else { return nil }
        var alignments: [String?] = []
        for cell in cells {
            let left = cell.hasPrefix(":"), right = cell.hasSuffix(":")
            let dashes = cell.dropFirst(left ? 1 : 0).dropLast(right && cell.count > 1 ? 1 : 0)
            guard !dashes.isEmpty, dashes.allSatisfy({ $0 == "-" }) else { return nil }
            alignments.append(left && right ? "center" : right ? "right" : left ? "left" : nil)
        }
        return alignments
    }

    /// Whether a table (a header row and a matching delimiter row) starts at `index`.
    func startsTable(at index: Int) -> Bool {
        guard index + 1 < lines.count, lines[index].text.contains("|"),
              let alignments = delimiterRow(lines[index + 1].text) else { return false }
        return alignments.count == splitTableRow(lines[index].text).count
    }

    /// Whether `line` starts a block that ends a lazy continuation.
    func startsBlock(_ line: Substring) -> Bool {
        Fence(opening: line) != nil || atxHeading(line) != nil || isThematicBreak(line) || quoteContent(line) != nil
            || ListMarker(line) != nil || line.trimmingCharacters().hasPrefix("<!--")
    }

    /// Whether `line` ends a paragraph (CommonMark: an ordered list interrupts only when it starts at 1,
    /// and an empty item never does).
    func interruptsParagraph(_ line: Substring) -> Bool {
        if let marker = ListMarker(line) { return !marker.isEmpty && (!marker.ordered || marker.start == 1) }
        return Fence(opening: line) != nil || atxHeading(line) != nil || isThematicBreak(line) || quoteContent(line) != nil
            || line.trimmingCharacters().hasPrefix("<!--")
    }
}

// MARK: - Line predicates

func isBlank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

/// `# Title` (one to six #, then a space or the end): the level and the text without closing #s.
func atxHeading(_ line: Substring) -> (Int, String)? {
    let indentation = line.prefix { $0 == " " }.count
    guard indentation <= 3 else { return nil }
    let rest = line.dropFirst(indentation)
    let level = rest.prefix { $0 == "#" }.count
    guard (1...6).contains(level) else { return nil }
    let after = rest.dropFirst(level)
    guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
    var text = after.trimmingCharacters()
    // A closing sequence of #s, preceded by a space (or alone), is not part of the heading.
    let closing = text.reversed().prefix { $0 == "#" }.count
    if closing > 0 {
        let before = text.dropLast(closing)
        if before.isEmpty || before.last == " " || before.last == "\t" { text = before.trimmingCharacters() }
    }
    return (level, String(text))
}

/// `---`, `***` or `___` (three or more, spaces allowed between).
func isThematicBreak(_ line: Substring) -> Bool {
    let indentation = line.prefix { $0 == " " }.count
    guard indentation <= 3 else { return false }
    let marks = line.filter { $0 != " " && $0 != "\t" }
    guard let first = marks.first, first == "-" || first == "*" || first == "_" else { return false }
    return marks.count >= 3 && marks.allSatisfy { $0 == first }
}

/// A setext underline (`===` for level 1, `---` for level 2).
func setextUnderline(_ line: Substring) -> Int? {
    let indentation = line.prefix { $0 == " " }.count
    guard indentation <= 3 else { return nil }
    let text = line.trimmingCharacters()
    guard let first = text.first, first == "=" || first == "-", text.allSatisfy({ $0 == first }) else { return nil }
    return first == "=" ? 1 : 2
}

/// The content of a block-quote line (`> text`), or nil.
func quoteContent(_ line: Substring) -> Substring? {
    let indentation = line.prefix { $0 == " " }.count
    guard indentation <= 3, line.dropFirst(indentation).first == ">" else { return nil }
    let rest = line.dropFirst(indentation + 1)
    return rest.first == " " ? rest.dropFirst() : rest
}

/// The cells of a table row: split at `|` outside code spans, mathematics and `\|`, outer pipes removed.
func splitTableRow(_ line: Substring) -> [String] {
    var text = Substring(line.trimmingCharacters())
    if text.hasPrefix("|") { text = text.dropFirst() }
    var pieces = InlineSpans(String(text)).pieces
    if case .text("|")? = pieces.last { pieces.removeLast() }
    var cells: [String] = []
    var current = ""
    for piece in pieces {
        if case .text("|") = piece {
            cells.append(current)
            current = ""
        } else {
            current += piece.source
        }
    }
    cells.append(current)
    return cells.map { String($0.trimmingCharacters()) }
}

/// Whether a `$$` is left open at the end of `text` (code spans and escapes skipped).
func displayMathIsOpen(_ text: String) -> Bool {
    guard text.contains("$$") else { return false }
    return InlineSpans(text).pieces.contains { if case .unclosedDisplay = $0 { return true } else { return false } }
}

extension String {
    func replacingNewlines() -> String { split(separator: "\n").joined(separator: " ") }
}

// MARK: - Inline spans

/// The protected pieces of inline text: code spans, mathematics and backslash escapes, found left to right
/// before any other inline syntax; everything else is single characters.
struct InlineSpans {
    enum Piece {
        case text(Character)
        case escape(Character)
        case code(String, source: String)
        case math(String, display: Bool)
        /// A `$$` with no closing `$$`: shown as text.
        case unclosedDisplay

        /// The piece as it was written.
        var source: String {
            switch self {
            case .text(let character): return String(character)
            case .escape(let character): return "\\" + String(character)
            case .code(_, let source): return source
            case .math(let tex, let display): return display ? "$$\(tex)$$" : "$\(tex)$"
            case .unclosedDisplay: return "$$"
            }
        }
    }

    var pieces: [Piece] = []

    init(_ text: String) {
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count, characters[index + 1].isASCIIPunctuation {
                pieces.append(.escape(characters[index + 1]))
                index += 2
            } else if character == "`" {
                let run = InlineSpans.runLength(characters, index, "`")
                if let close = InlineSpans.closingBackticks(characters, from: index + run, length: run) {
                    var content = String(characters[(index + run)..<close].map { $0 == "\n" ? " " : $0 })
                    if content.count >= 2, content.hasPrefix(" "), content.hasSuffix(" "), !content.allSatisfy({ $0 == " " }) {
                        content = String(content.dropFirst().dropLast())
                    }
                    pieces.append(.code(content, source: String(characters[index..<(close + run)])))
                    index = close + run
                } else {
                    for _ in 0..<run { pieces.append(.text("`")) }
                    index += run
                }
            } else if character == "$" {
                if index + 1 < characters.count, characters[index + 1] == "$" {
                    if let close = InlineSpans.closingDollars(characters, from: index + 2) {
                        pieces.append(.math(String(characters[(index + 2)..<close]), display: true))
                        index = close + 2
                    } else {
                        pieces.append(.unclosedDisplay)
                        index += 2
                    }
                } else if let close = InlineSpans.closingDollar(characters, from: index + 1) {
                    pieces.append(.math(String(characters[(index + 1)..<close]), display: false))
                    index = close + 1
                } else {
                    pieces.append(.text("$"))
                    index += 1
                }
            } else {
                pieces.append(.text(character))
                index += 1
            }
        }
    }

    static func runLength(_ characters: [Character], _ start: Int, _ character: Character) -> Int {
        var end = start
        while end < characters.count, characters[end] == character { end += 1 }
        return end - start
    }

    /// The start of the next run of exactly `length` backticks.
    static func closingBackticks(_ characters: [Character], from start: Int, length: Int) -> Int? {
        var index = start
        while index < characters.count {
            if characters[index] == "`" {
                let run = runLength(characters, index, "`")
                if run == length { return index }
                index += run
            } else {
                index += 1
            }
        }
        return nil
    }

    /// The start of the `$$` that closes display mathematics (escaped characters skipped).
    static func closingDollars(_ characters: [Character], from start: Int) -> Int? {
        var index = start
        while index + 1 < characters.count {
            if characters[index] == "\\" { index += 2; continue }
            if characters[index] == "$" && characters[index + 1] == "$" { return index }
            index += 1
        }
        return nil
    }

    /// The `$` that closes inline mathematics opened just before `start`, under pandoc's rule, or nil.
    static func closingDollar(_ characters: [Character], from start: Int) -> Int? {
        guard start < characters.count, !characters[start].isWhitespace else { return nil }
        var index = start
        while index < characters.count {
            let character = characters[index]
            if character == "\\" { index += 2; continue }
            if character == "$" {
                let afterIsDigit = index + 1 < characters.count && characters[index + 1].isASCII && characters[index + 1].isNumber
                if index > start, !characters[index - 1].isWhitespace, !afterIsDigit { return index }
                if index == start { return nil }
            }
            index += 1
        }
        return nil
    }
}

extension Character {
    var isASCIIPunctuation: Bool {
        guard let ascii = asciiValue else { return false }
        return (33...47).contains(ascii) || (58...64).contains(ascii) || (91...96).contains(ascii) || (123...126).contains(ascii)
    }
}

// MARK: - Inline rendering

/// Renders inline Markdown: protected spans first, then emphasis, links and escaping on the rest.
struct InlineRenderer {
    var linkRewriter: (String) -> String

    /// Placeholder delimiters for protected spans (private-use characters).
    static let open: Character = "\u{E000}", close: Character = "\u{E001}"

    func render(_ text: String) -> String {
        var protected: [String] = []
        var marked: [Character] = []
        for piece in InlineSpans(text).pieces {
            let html: String
            switch piece {
            case .text(let character):
                if character == InlineRenderer.open || character == InlineRenderer.close { continue }
                marked.append(character)
                continue
            case .escape(let character): html = htmlEscape(String(character))
            case .code(let content, _): html = "<code>\(htmlEscape(content))</code>"
            case .math(let tex, let display):
                html = "<span class=\"math \(display ? "display" : "inline")\">\(htmlEscape(tex))</span>"
            case .unclosedDisplay: html = "$$"
            }
            marked.append(InlineRenderer.open)
            marked.append(contentsOf: String(protected.count))
            marked.append(InlineRenderer.close)
            protected.append(html)
        }
        return format(marked[...], protected)
    }

    /// Emphasis, links, autolinks, entities and escaping over text whose protected spans are placeholders.
    func format(_ text: ArraySlice<Character>, _ protected: [String]) -> String {
        var html = ""
        var index = text.startIndex
        let end = text.endIndex
        func at(_ position: Int) -> Character? { position >= text.startIndex && position < end ? text[position] : nil }
        while index < end {
            let character = text[index]
            switch character {
            case InlineRenderer.open:
                let digits = text[(index + 1)...].prefix { $0 != InlineRenderer.close }
                html += protected[Int(String(digits)) ?? 0]
                index += digits.count + 2
            case "*", "_":
                let run = min(3, InlineSpans.runLength(Array(text[index...].prefix(3)), 0, character))
                if canOpen(text, index, run: run), let closer = findCloser(text, from: index + run, character: character, run: run) {
                    let inner = format(text[(index + run)..<closer], protected)
                    switch run {
                    case 1: html += "<em>\(inner)</em>"
                    case 2: html += "<strong>\(inner)</strong>"
                    default: html += "<em><strong>\(inner)</strong></em>"
                    }
                    index = closer + run
                } else {
                    html += String(repeating: character, count: run)
                    index += run
                }
            case "~" where at(index + 1) == "~":
                if let closer = findPair(text, "~", from: index + 2), closer > index + 2 {
                    html += "<del>\(format(text[(index + 2)..<closer], protected))</del>"
                    index = closer + 2
                } else {
                    html += "~~"
                    index += 2
                }
            case "[", "!":
                let isImage = character == "!"
                if isImage && at(index + 1) != "[" { html += "!"; index += 1; continue }
                if let link = parseLink(text, bracket: isImage ? index + 1 : index) {
                    let destination = htmlEscape(isImage ? link.destination : linkRewriter(link.destination))
                    if isImage {
                        let alt = htmlEscape(plainText(String(text[link.label])))
                        html += "<img src=\"\(destination)\" alt=\"\(alt)\">"
                    } else {
                        html += "<a href=\"\(destination)\">\(format(text[link.label], protected))</a>"
                    }
                    index = link.end
                } else {
                    html += isImage ? "!" : "["
                    index += 1
                }
            case "<":
                if let (url, after) = autolink(text, index) {
                    let target = url.contains("@") && !url.contains(":") ? "mailto:" + url : url
                    html += "<a href=\"\(htmlEscape(target))\">\(htmlEscape(url))</a>"
                    index = after
                } else {
                    html += "&lt;"
                    index += 1
                }
            case "&":
                let entity = text[index...].prefix(34).prefix { $0 != ";" }
                let name = entity.dropFirst()
                if entity.count < 34, at(index + entity.count) == ";", !name.isEmpty,
                   name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "#") }) {
                    html += String(entity) + ";"
                    index += entity.count + 1
                } else {
                    html += "&amp;"
                    index += 1
                }
            case ">": html += "&gt;"; index += 1
            case "\"": html += "&quot;"; index += 1
            case "\n":
                if html.hasSuffix("  ") {
                    while html.hasSuffix(" ") { html.removeLast() }
                    html += "<br>\n"
                } else {
                    html += "\n"
                }
                index += 1
            default:
                html.append(character)
                index += 1
            }
        }
        return html
    }

    /// Whether a run of `*` or `_` at `index` can open emphasis: followed by a non-space; for `_`, not inside a word.
    func canOpen(_ text: ArraySlice<Character>, _ index: Int, run: Int) -> Bool {
        guard index + run < text.endIndex, !text[index + run].isWhitespace else { return false }
        if text[index] == "_", index > text.startIndex, text[index - 1].isLetter || text[index - 1].isNumber { return false }
        return true
    }

    /// The start of a run of exactly `run` `character`s that can close emphasis, skipping other runs.
    func findCloser(_ text: ArraySlice<Character>, from start: Int, character: Character, run: Int) -> Int? {
        var index = start
        while index < text.endIndex {
            if text[index] == InlineRenderer.open {
                index = (text[index...].firstIndex(of: InlineRenderer.close) ?? index) + 1
                continue
            }
            if text[index] == character {
                var length = 0
                while index + length < text.endIndex, text[index + length] == character { length += 1 }
                let after = index + length
                let closes = index > start && !text[index - 1].isWhitespace
                    && (character != "_" || after >= text.endIndex || !(text[after].isLetter || text[after].isNumber))
                if closes && length == run { return index }
                index += length
                continue
            }
            index += 1
        }
        return nil
    }

    /// The start of the next pair of `character`s.
    func findPair(_ text: ArraySlice<Character>, _ character: Character, from start: Int) -> Int? {
        var index = start
        while index + 1 < text.endIndex {
            if text[index] == character && text[index + 1] == character { return index }
            index += 1
        }
        return nil
    }

    /// `[label](destination "title")` starting at `bracket`: the label's range, the destination, and the end.
    func parseLink(_ text: ArraySlice<Character>, bracket: Int) -> (label: Range<Int>, destination: String, end: Int)? {
        guard bracket < text.endIndex, text[bracket] == "[" else { return nil }
        var depth = 0
        var index = bracket
        var closeBracket: Int? = nil
        while index < text.endIndex {
            if text[index] == "[" { depth += 1 }
            if text[index] == "]" { depth -= 1; if depth == 0 { closeBracket = index; break } }
            index += 1
        }
        guard let close = closeBracket, close + 1 < text.endIndex, text[close + 1] == "(" else { return nil }
        var parentheses = 0
        index = close + 2
        var destinationEnd: Int? = nil
        while index < text.endIndex {
            if text[index] == "(" { parentheses += 1 }
            if text[index] == ")" {
                if parentheses == 0 { destinationEnd = index; break }
                parentheses -= 1
            }
            if text[index] == "\n" { return nil }
            index += 1
        }
        guard let destinationClose = destinationEnd else { return nil }
        var destination = String(String(text[(close + 2)..<destinationClose]).trimmingCharacters())
        if let space = destination.firstIndex(of: " ") { destination = String(destination[..<space]) }  // drop a title
        if destination.hasPrefix("<") && destination.hasSuffix(">") { destination = String(destination.dropFirst().dropLast()) }
        guard !destination.contains(InlineRenderer.open) else { return nil }
        return ((bracket + 1)..<close, destination, destinationClose + 1)
    }

    /// `<scheme:…>` or `<user@host>` at `index`: the address and the index after `>`.
    func autolink(_ text: ArraySlice<Character>, _ index: Int) -> (String, Int)? {
        guard let close = text[index...].firstIndex(of: ">") else { return nil }
        let inner = String(text[(index + 1)..<close])
        guard !inner.isEmpty, !inner.contains(where: { $0.isWhitespace || $0 == "<" || $0 == InlineRenderer.open }) else { return nil }
        if let colon = inner.firstIndex(of: ":") {
            let scheme = inner[..<colon]
            guard (2...32).contains(scheme.count), scheme.first?.isLetter == true,
                  scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) }) else { return nil }
            return (inner, close + 1)
        }
        let parts = inner.split(separator: "@")
        guard parts.count == 2, parts[1].contains(".") else { return nil }
        return (inner, close + 1)
    }
}

// MARK: - Helpers

/// `text` with `&`, `<`, `>` and `"` escaped for HTML text and attribute values.
public func htmlEscape(_ text: String) -> String {
    escaped(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"])
}

/// Inline Markdown reduced to plain text (for titles, slugs and alt text): markers dropped, mathematics kept as TeX.
func plainText(_ markdown: String) -> String {
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
    // Drop link destinations: "label(url)" is rare in titles; keep the text simple.
    return text.replacingNewlines()
}

/// A URL fragment for a heading: lower-case letters, digits and hyphens.
func slug(_ text: String) -> String {
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
