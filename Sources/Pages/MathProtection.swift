/// Keeps `$…$` and `$$…$$` mathematics away from Markdown, so that KaTeX gets the TeX as it was written.
///
/// Mathematics is found before Markdown sees the text, following pandoc's rule for `$`: the opening `$` is
/// followed by a non-space, the closing one is preceded by a non-space and not followed by a digit; `$$…$$`
/// is display mathematics; `\$` is a dollar sign. Neither may cross a blank line. Code spans, autolinks, and
/// the lines of code blocks and HTML blocks are skipped (they hold no mathematics).
///
/// Each formula is rewritten so that CommonMark reads it as plain text: every ASCII punctuation character is
/// backslash-escaped (CommonMark turns `\_` back into `_`, `\\` into `\`, `\|` into `|` even inside a table
/// cell), so no `_`, `*`, `\\`, `<`, `|` or line-initial `+`, `-`, `#`, `>`, `1.` inside it means anything to
/// Markdown. Its delimiters become private-use characters that Markdown leaves alone, and after rendering
/// ``MathProtection/restore(_:)`` turns them into `<span class="math inline">` and `<span class="math
/// display">` around the (HTML-escaped) TeX.
enum MathProtection {
    static let inlineOpen: Character = "\u{E000}"
    static let inlineClose: Character = "\u{E001}"
    static let displayOpen: Character = "\u{E002}"
    static let displayClose: Character = "\u{E003}"
    static let marks: Set<Character> = [inlineOpen, inlineClose, displayOpen, displayClose]

    /// `markdown` with its mathematics protected. `skippedLines` (1-based) are copied unchanged: the lines of
    /// code blocks and HTML blocks. The line structure is kept (line `n` of the result is line `n` of the input).
    static func protect(_ markdown: String, skippedLines: Set<Int>) -> String {
        let lines = markdown.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { String($0.map { marks.contains($0) ? "\u{FFFD}" : $0 }) }
        var output: [String] = []
        var segment: [String] = []
        func flush() {
            guard !segment.isEmpty else { return }
            output.append(protectSegment(Array(segment.joined(separator: "\n"))))
            segment = []
        }
        for (offset, line) in lines.enumerated() {
            if skippedLines.contains(offset + 1) || isBlank(line) {
                flush()
                output.append(line)
            } else {
                segment.append(line)
            }
        }
        flush()
        return output.joined(separator: "\n")
    }

    /// A line that ends a paragraph: only spaces, tabs and block-quote markers.
    static func isBlank(_ line: String) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" || $0 == ">" }
    }

    /// One run of consecutive non-blank lines, with code spans and autolinks skipped and mathematics protected.
    static func protectSegment(_ characters: [Character]) -> String {
        var output = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count, characters[index + 1].isASCIIPunctuation {
                output.append(character)
                output.append(characters[index + 1])
                index += 2
            } else if character == "`" {
                let run = runLength(characters, index, "`")
                let end = closingBackticks(characters, from: index + run, length: run).map { $0 + run } ?? index + run
                output += String(characters[index..<end])
                index = end
            } else if character == "<", let end = autolinkEnd(characters, index) {
                output += String(characters[index..<end])
                index = end
            } else if character == "$" {
                if index + 1 < characters.count, characters[index + 1] == "$" {
                    if let close = closingDollars(characters, from: index + 2) {
                        output.append(displayOpen)
                        output += escape(characters[(index + 2)..<close], quoteDepth: quoteDepth(characters, at: index))
                        output.append(displayClose)
                        index = close + 2
                    } else {
                        output += "$$"
                        index += 2
                    }
                } else if let close = closingDollar(characters, from: index + 1) {
                    output.append(inlineOpen)
                    output += escape(characters[(index + 1)..<close], quoteDepth: quoteDepth(characters, at: index))
                    output.append(inlineClose)
                    index = close + 1
                } else {
                    output.append("$")
                    index += 1
                }
            } else {
                output.append(character)
                index += 1
            }
        }
        return output
    }

    /// TeX made literal for CommonMark: ASCII punctuation backslash-escaped, trailing spaces of its lines
    /// dropped (two would make a hard line break), and the container prefix of each continuation line (its
    /// indentation and up to `quoteDepth` block-quote markers) kept unescaped.
    static func escape(_ tex: ArraySlice<Character>, quoteDepth: Int) -> String {
        var output = ""
        var index = tex.startIndex
        while index < tex.endIndex {
            let character = tex[index]
            if character == "\n" {
                while output.last == " " || output.last == "\t" { output.removeLast() }
                output.append("\n")
                index += 1
                var quotes = 0
                while index < tex.endIndex {
                    let next = tex[index]
                    if next == " " || next == "\t" { output.append(next); index += 1 }
                    else if next == ">" && quotes < quoteDepth { output.append(next); quotes += 1; index += 1 }
                    else { break }
                }
                continue
            }
            if character.isASCIIPunctuation { output.append("\\") }
            output.append(character)
            index += 1
        }
        return output
    }

    /// The number of block-quote markers before the text on the line holding `position`.
    static func quoteDepth(_ characters: [Character], at position: Int) -> Int {
        var start = position
        while start > 0, characters[start - 1] != "\n" { start -= 1 }
        var depth = 0
        var index = start
        while index < position, characters[index] == " " || characters[index] == "\t" || characters[index] == ">" {
            if characters[index] == ">" { depth += 1 }
            index += 1
        }
        return depth
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

    /// The end of the autolink (`<scheme:…>`) starting at `start`, or nil.
    static func autolinkEnd(_ characters: [Character], _ start: Int) -> Int? {
        var index = start + 1
        let schemeStart = index
        while index < characters.count, characters[index].isASCII,
              characters[index].isLetter || characters[index].isNumber || "+.-".contains(characters[index]) { index += 1 }
        guard (2...32).contains(index - schemeStart), characters[schemeStart].isLetter, index < characters.count,
              characters[index] == ":" else { return nil }
        while index < characters.count {
            let character = characters[index]
            if character == ">" { return index + 1 }
            if character == "<" || character.isWhitespace { return nil }
            index += 1
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

    /// Rendered HTML with the protected mathematics turned into `<span class="math …">` elements. Inside a
    /// tag (an image's `alt`, a link's `title`) the delimiters become `$` and `$$` again.
    static func restore(_ html: String) -> String {
        guard html.contains(where: { marks.contains($0) }) else { return html }
        var output = ""
        var inTag = false
        for character in html {
            switch character {
            case "<": inTag = true; output.append(character)
            case ">": inTag = false; output.append(character)
            case inlineOpen: output += inTag ? "$" : "<span class=\"math inline\">"
            case displayOpen: output += inTag ? "$$" : "<span class=\"math display\">"
            case inlineClose: output += inTag ? "$" : "</span>"
            case displayClose: output += inTag ? "$$" : "</span>"
            default: output.append(character)
            }
        }
        return output
    }

    /// Plain text with the mathematics delimiters dropped (titles, slugs).
    static func strip(_ text: String) -> String {
        String(text.filter { !marks.contains($0) })
    }
}

extension Character {
    /// One of the ASCII punctuation characters CommonMark lets a backslash escape.
    var isASCIIPunctuation: Bool {
        guard let ascii = asciiValue else { return false }
        return (33...47).contains(ascii) || (58...64).contains(ascii) || (91...96).contains(ascii) || (123...126).contains(ascii)
    }
}
