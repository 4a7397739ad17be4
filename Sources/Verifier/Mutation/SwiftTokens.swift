/// One lexical token of Swift source, as the mutation analysis sees it.
///
/// A lexical approximation, not a parser: string literals (with their interpolations, multi-line and raw forms)
/// and comments (nested block comments) are single tokens, so nothing inside them is ever mutated.
public struct SwiftToken: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case identifier, keyword, number, string, comment, `operator`, punctuation, whitespace, newline
    }
    public var kind: Kind
    public var text: String
    /// The 0-based line within the lexed text.
    public var line: Int
    /// The 1-based column (in characters) of the token's first character on its line.
    public var column: Int
}

/// Splits Swift source into tokens (the mutation analysis and the pages' dependency graphs use them).
public struct SwiftLexer {
    static let keywords: Set<String> = [
        "let", "var", "func", "struct", "class", "enum", "extension", "protocol", "typealias", "init", "subscript",
        "import", "static", "mutating", "inout", "private", "fileprivate", "internal", "public", "final", "lazy",
        "for", "in", "while", "repeat", "if", "else", "guard", "switch", "case", "default", "where", "break",
        "continue", "return", "throw", "throws", "rethrows", "try", "catch", "do", "defer", "as", "is", "self",
        "Self", "super", "true", "false", "nil", "async", "await", "some", "any",
    ]
    static let operatorCharacters: Set<Character> = ["/", "=", "-", "+", "!", "*", "%", "<", ">", "&", "|", "^", "~", "?"]

    /// The tokens of `source`; concatenating their texts gives `source` back.
    public static func tokens(_ source: String) -> [SwiftToken] {
        let characters = Array(source)
        var tokens: [SwiftToken] = []
        var index = 0
        var line = 0
        var lineStart = 0
        func starts(_ text: String, at position: Int) -> Bool {
            var offset = position
            for character in text {
                guard offset < characters.count, characters[offset] == character else { return false }
                offset += 1
            }
            return true
        }
        func emit(_ kind: SwiftToken.Kind, from start: Int) {
            let text = String(characters[start..<index])
            tokens.append(SwiftToken(kind: kind, text: text, line: line, column: start - lineStart + 1))
            for (offset, character) in text.enumerated() where character == "\n" || character == "\r\n" {
                line += 1
                lineStart = start + offset + 1
            }
        }
        /// Skips a string literal starting at `index` (after any `#`s), with `hashes` raw delimiters.
        func skipString(hashes: Int) {
            let closingHashes = String(repeating: "#", count: hashes)
            let multiline = starts("\"\"\"", at: index)
            let quote = multiline ? "\"\"\"" : "\""
            index += quote.count
            while index < characters.count {
                if characters[index] == "\\" && starts("\\" + closingHashes, at: index) {
                    index += 1 + hashes
                    if index < characters.count && characters[index] == "(" {
                        // An interpolation: skip to its balancing parenthesis (strings inside it included).
                        var depth = 0
                        while index < characters.count {
                            if characters[index] == "\"" { skipString(hashes: 0); continue }
                            if characters[index] == "(" { depth += 1 }
                            if characters[index] == ")" { depth -= 1; if depth == 0 { index += 1; break } }
                            index += 1
                        }
                    } else {
                        index += 1
                    }
                    continue
                }
                if starts(quote + closingHashes, at: index) { index += quote.count + hashes; return }
                if !multiline && (characters[index] == "\n" || characters[index] == "\r\n") { return }
                index += 1
            }
        }
        while index < characters.count {
            let start = index
            let character = characters[index]
            if character == "\n" || character == "\r\n" {
                index += 1
                emit(.newline, from: start)
            } else if character == " " || character == "\t" || character == "\r" {
                while index < characters.count, [" ", "\t", "\r"].contains(characters[index]) { index += 1 }
                emit(.whitespace, from: start)
            } else if starts("//", at: index) {
                while index < characters.count, characters[index] != "\n", characters[index] != "\r\n" { index += 1 }
                emit(.comment, from: start)
            } else if starts("/*", at: index) {
                var depth = 0
                while index < characters.count {
                    if starts("/*", at: index) { depth += 1; index += 2 }
                    else if starts("*/", at: index) { depth -= 1; index += 2; if depth == 0 { break } }
                    else { index += 1 }
                }
                emit(.comment, from: start)
            } else if character == "\"" || (character == "#" && (starts("#\"", at: index) || starts("##", at: index))) {
                var hashes = 0
                while index < characters.count && characters[index] == "#" { hashes += 1; index += 1 }
                if index < characters.count && characters[index] == "\"" { skipString(hashes: hashes) }
                emit(.string, from: start)
            } else if character.isNumber && character.isASCII {
                if starts("0x", at: index) || starts("0b", at: index) || starts("0o", at: index) {
                    index += 2
                    while index < characters.count, characters[index].isHexDigit || characters[index] == "_" { index += 1 }
                } else {
                    while index < characters.count, (characters[index].isASCII && characters[index].isNumber) || characters[index] == "_" { index += 1 }
                    if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isASCII, characters[index + 1].isNumber {
                        index += 1
                        while index < characters.count, (characters[index].isASCII && characters[index].isNumber) || characters[index] == "_" { index += 1 }
                    }
                    if index < characters.count, characters[index] == "e" || characters[index] == "E" {
                        var next = index + 1
                        if next < characters.count, characters[next] == "+" || characters[next] == "-" { next += 1 }
                        if next < characters.count, characters[next].isASCII, characters[next].isNumber {
                            index = next
                            while index < characters.count, characters[index].isASCII && characters[index].isNumber { index += 1 }
                        }
                    }
                }
                emit(.number, from: start)
            } else if character.isLetter || character == "_" || character == "$" || character == "`" {
                if character == "`" {
                    index += 1
                    while index < characters.count, characters[index] != "`" { index += 1 }
                    index = min(index + 1, characters.count)
                } else {
                    while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" || characters[index] == "$" { index += 1 }
                }
                let word = String(characters[start..<index])
                emit(keywords.contains(word) ? .keyword : .identifier, from: start)
            } else if character == "@" || character == "#" {
                index += 1
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" { index += 1 }
                emit(.keyword, from: start)
            } else if character == "." && index + 1 < characters.count && characters[index + 1] == "." {
                while index < characters.count, characters[index] == "." || characters[index] == "<" { index += 1 }
                emit(.operator, from: start)
            } else if operatorCharacters.contains(character) {
                while index < characters.count, operatorCharacters.contains(characters[index]), !starts("//", at: index), !starts("/*", at: index) { index += 1 }
                emit(.operator, from: start)
            } else {
                index += 1
                emit(.punctuation, from: start)
            }
        }
        return tokens
    }
}
