// Inline Markdown: code spans, mathematics and escapes protected first, then emphasis, links and escaping.

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
                        let alt = htmlEscape(inlinePlainText(String(text[link.label])))
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
