// The block structure of a Markdown document: headings, paragraphs, fenced code, lists, tables, quotes.
//
// Lines keep their numbers in the file through every level of nesting, so that a fenced block found here
// can be matched with the ``CodeBlock`` that ``FenceScanner`` found at the same line, and claims can be
// placed after the block that holds their line.

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
            if MarkdownLine.isBlank(line.text) { index += 1; continue }
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
            if let (level, text) = MarkdownLine.atxHeading(line.text) {
                nodes.append(BlockNode(block: .heading(level: level, text: text), first: line.number, last: line.number))
                index += 1
                continue
            }
            if MarkdownLine.isThematicBreak(line.text) {
                nodes.append(BlockNode(block: .rule, first: line.number, last: line.number))
                index += 1
                continue
            }
            if MarkdownLine.quoteContent(line.text) != nil {
                var inner: [SourceLine] = []
                var cursor = index
                while cursor < lines.count {
                    let text = lines[cursor].text
                    if let content = MarkdownLine.quoteContent(text) {
                        inner.append(SourceLine(number: lines[cursor].number, text: content))
                    } else if !MarkdownLine.isBlank(text), let previous = inner.last, !MarkdownLine.isBlank(previous.text), !startsBlock(text) {
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
                if MarkdownLine.isBlank(next) { break }
                let mathOpen = MarkdownLine.displayMathIsOpen(text)
                if !mathOpen, let level = MarkdownLine.setextUnderline(next) { setextLevel = level; break }
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
              !MarkdownLine.isThematicBreak(lines[index].text) {
            // The item's lines: the first without its marker, then indented, blank, or lazy continuation lines.
            var inner: [SourceLine] = []
            let firstText = lines[index].text
            let content = marker.isEmpty ? Substring("") : firstText.dropFirst(min(marker.contentOffset, firstText.count))
            inner.append(SourceLine(number: lines[index].number, text: content))
            var cursor = index + 1
            while cursor < lines.count {
                let text = lines[cursor].text
                let indentation = text.prefix { $0 == " " }.count
                if MarkdownLine.isBlank(text) {
                    // A blank line belongs to the item only if an indented line follows.
                    var look = cursor + 1
                    while look < lines.count, MarkdownLine.isBlank(lines[look].text) { look += 1 }
                    guard look < lines.count, lines[look].text.prefix(while: { $0 == " " }).count >= marker.contentOffset else { break }
                    inner.append(SourceLine(number: lines[cursor].number, text: ""))
                } else if indentation >= marker.contentOffset {
                    inner.append(SourceLine(number: lines[cursor].number, text: text.dropFirst(marker.contentOffset)))
                } else if let previous = inner.last, !MarkdownLine.isBlank(previous.text),
                          MarkdownLine.displayMathIsOpen(inner.map(\.text).joined(separator: "\n")) || !startsBlock(text) {
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
                    if inner.contains(where: { $0.number > a.last && $0.number < b.first && MarkdownLine.isBlank($0.text) }) { tight = false }
                }
            }
            items.append(itemNodes)
            lastLine = inner.last?.number ?? lastLine
            index = cursor
            // Blank lines between items make the list loose; blank lines after the last item end it.
            var look = index
            while look < lines.count, MarkdownLine.isBlank(lines[look].text) { look += 1 }
            if look > index, look < lines.count, let next = ListMarker(lines[look].text), next.isSibling(of: first),
               !MarkdownLine.isThematicBreak(lines[look].text) {
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
        let header = MarkdownLine.splitTableRow(headerLine)
        guard let alignments = delimiterRow(lines[start + 1].text), alignments.count == header.count else { return nil }
        var rows: [[String]] = []
        var cursor = start + 2
        while cursor < lines.count {
            let text = lines[cursor].text
            if MarkdownLine.isBlank(text) || !text.contains("|") || startsBlock(text) { break }
            var cells = MarkdownLine.splitTableRow(text)
            if cells.count < header.count { cells += Array(repeating: "", count: header.count - cells.count) }
            rows.append(Array(cells.prefix(header.count)))
            cursor += 1
        }
        return (BlockNode(block: .table(header: header, alignments: alignments, rows: rows),
                          first: lines[start].number, last: lines[cursor - 1].number), cursor)
    }

    /// The alignments of a delimiter row (`|:--|--:|`), or nil when the line is not one.
    func delimiterRow(_ line: Substring) -> [String?]? {
        let cells = MarkdownLine.splitTableRow(line)
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
        return alignments.count == MarkdownLine.splitTableRow(lines[index].text).count
    }

    /// Whether `line` starts a block other than a list item: a fence, a heading, a thematic break, a quote or a comment.
    func startsNonListBlock(_ line: Substring) -> Bool {
        Fence(opening: line) != nil || MarkdownLine.atxHeading(line) != nil || MarkdownLine.isThematicBreak(line) || MarkdownLine.quoteContent(line) != nil
            || line.trimmingCharacters().hasPrefix("<!--")
    }

    /// Whether `line` starts a block that ends a lazy continuation.
    func startsBlock(_ line: Substring) -> Bool { ListMarker(line) != nil || startsNonListBlock(line) }

    /// Whether `line` ends a paragraph (CommonMark: an ordered list interrupts only when it starts at 1,
    /// and an empty item never does).
    func interruptsParagraph(_ line: Substring) -> Bool {
        if let marker = ListMarker(line) { return !marker.isEmpty && (!marker.ordered || marker.start == 1) }
        return startsNonListBlock(line)
    }
}

/// Tests on single lines of Markdown, shared by the block parser and the page renderer.
enum MarkdownLine {
    static func isBlank(_ line: Substring) -> Bool { line.allSatisfy { $0 == " " || $0 == "\t" } }

    /// `# Title` (one to six #, then a space or the end): the level and the text without closing #s.
    static func atxHeading(_ line: Substring) -> (Int, String)? {
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
    static func isThematicBreak(_ line: Substring) -> Bool {
        let indentation = line.prefix { $0 == " " }.count
        guard indentation <= 3 else { return false }
        let marks = line.filter { $0 != " " && $0 != "\t" }
        guard let first = marks.first, first == "-" || first == "*" || first == "_" else { return false }
        return marks.count >= 3 && marks.allSatisfy { $0 == first }
    }

    /// A setext underline (`===` for level 1, `---` for level 2).
    static func setextUnderline(_ line: Substring) -> Int? {
        let indentation = line.prefix { $0 == " " }.count
        guard indentation <= 3 else { return nil }
        let text = line.trimmingCharacters()
        guard let first = text.first, first == "=" || first == "-", text.allSatisfy({ $0 == first }) else { return nil }
        return first == "=" ? 1 : 2
    }

    /// The content of a block-quote line (`> text`), or nil.
    static func quoteContent(_ line: Substring) -> Substring? {
        let indentation = line.prefix { $0 == " " }.count
        guard indentation <= 3, line.dropFirst(indentation).first == ">" else { return nil }
        let rest = line.dropFirst(indentation + 1)
        return rest.first == " " ? rest.dropFirst() : rest
    }

    /// The cells of a table row: split at `|` outside code spans, mathematics and `\|`, outer pipes removed.
    static func splitTableRow(_ line: Substring) -> [String] {
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
    static func displayMathIsOpen(_ text: String) -> Bool {
        guard text.contains("$$") else { return false }
        return InlineSpans(text).pieces.contains { if case .unclosedDisplay = $0 { return true } else { return false } }
    }
}

extension String {
    func replacingNewlines() -> String { split(separator: "\n").joined(separator: " ") }
}
