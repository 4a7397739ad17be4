/// Colours Swift source for rendered pages, one line at a time: comments, strings, numbers, keywords,
/// attributes, type names and the claim functions of `DerivationKit`.
///
/// A lexical approximation, not a parser: block comments (nested) and multi-line string literals carry
/// over between lines; interpolations inside strings stay string-coloured. The output is HTML-escaped
/// text with `<span class="…">` around tokens (classes `c`, `s`, `n`, `k`, `a`, `t`, `f`).
struct SwiftHighlighter {
    var commentDepth = 0
    var inMultilineString = false

    static let keywords: Set<String> = [
        "let", "var", "func", "struct", "class", "enum", "extension", "protocol", "typealias", "associatedtype",
        "init", "deinit", "subscript", "operator", "import", "static", "mutating", "nonmutating", "inout", "private",
        "fileprivate", "internal", "public", "open", "final", "lazy", "weak", "unowned", "override", "required",
        "convenience", "indirect", "some", "any", "for", "in", "while", "repeat", "if", "else", "guard", "switch",
        "case", "default", "where", "break", "continue", "fallthrough", "return", "throw", "throws", "rethrows",
        "try", "catch", "do", "defer", "as", "is", "self", "Self", "super", "true", "false", "nil", "async", "await",
        "get", "set", "willSet", "didSet", "consuming", "borrowing",
    ]

    /// The HTML of one line.
    mutating func highlight(_ line: String) -> String {
        let characters = Array(line)
        var html = ""
        var index = 0
        func span(_ cls: String, _ range: Range<Int>) {
            html += "<span class=\"\(cls)\">\(htmlEscape(String(characters[range])))</span>"
        }
        /// Advances past the rest of a (nested) block comment whose depth is `commentDepth`.
        func skipBlockComment() {
            while index < characters.count && commentDepth > 0 {
                if starts("*/", at: index) { commentDepth -= 1; index += 2 }
                else if starts("/*", at: index) { commentDepth += 1; index += 2 }
                else { index += 1 }
            }
        }
        func starts(_ text: String, at position: Int) -> Bool {
            let needle = Array(text)
            return position + needle.count <= characters.count && Array(characters[position..<(position + needle.count)]) == needle
        }
        while index < characters.count {
            if commentDepth > 0 {
                let start = index
                skipBlockComment()
                span("c", start..<index)
                continue
            }
            if inMultilineString {
                let start = index
                while index < characters.count {
                    if characters[index] == "\\" { index += 2; continue }
                    if starts("\"\"\"", at: index) { inMultilineString = false; index += 3; break }
                    index += 1
                }
                span("s", start..<min(index, characters.count))
                continue
            }
            let character = characters[index]
            if starts("//", at: index) {
                span("c", index..<characters.count)
                break
            }
            if starts("/*", at: index) {
                commentDepth = 1
                let start = index
                index += 2
                skipBlockComment()
                span("c", start..<index)
                continue
            }
            if starts("\"\"\"", at: index) {
                inMultilineString = true
                let start = index
                index += 3
                while index < characters.count {
                    if starts("\"\"\"", at: index) { inMultilineString = false; index += 3; break }
                    index += 1
                }
                span("s", start..<min(index, characters.count))
                continue
            }
            if character == "\"" {
                let start = index
                index += 1
                var depth = 0  // parentheses inside an interpolation
                while index < characters.count {
                    if characters[index] == "\\" {
                        if index + 1 < characters.count && characters[index + 1] == "(" { depth += 1 }
                        index += 2
                        continue
                    }
                    if depth > 0 {
                        if characters[index] == "(" { depth += 1 }
                        if characters[index] == ")" { depth -= 1 }
                        index += 1
                        continue
                    }
                    if characters[index] == "\"" { index += 1; break }
                    index += 1
                }
                span("s", start..<min(index, characters.count))
                continue
            }
            let previousIsWord = index > 0 && (characters[index - 1].isLetter || characters[index - 1].isNumber || characters[index - 1] == "_")
            if character.isASCII && character.isNumber && !previousIsWord {
                let start = index
                if starts("0x", at: index) || starts("0b", at: index) || starts("0o", at: index) {
                    index += 2
                    while index < characters.count && (characters[index].isHexDigit || characters[index] == "_") { index += 1 }
                } else {
                    while index < characters.count && ((characters[index].isASCII && characters[index].isNumber) || characters[index] == "_") { index += 1 }
                    if index + 1 < characters.count && characters[index] == "." && characters[index + 1].isASCII && characters[index + 1].isNumber {
                        index += 1
                        while index < characters.count && characters[index].isASCII && characters[index].isNumber { index += 1 }
                    }
                    if index < characters.count && (characters[index] == "e" || characters[index] == "E") {
                        var look = index + 1
                        if look < characters.count && (characters[look] == "+" || characters[look] == "-") { look += 1 }
                        if look < characters.count && characters[look].isASCII && characters[look].isNumber {
                            index = look
                            while index < characters.count && characters[index].isASCII && characters[index].isNumber { index += 1 }
                        }
                    }
                }
                span("n", start..<index)
                continue
            }
            if (character.isLetter || character == "_" || character == "@" || character == "#") && !previousIsWord {
                let start = index
                index += 1
                while index < characters.count && (characters[index].isLetter || characters[index].isNumber || characters[index] == "_") { index += 1 }
                let word = String(characters[start..<index])
                if character == "@" || character == "#" {
                    span(word.count > 1 ? "a" : "p", start..<index)
                } else if SwiftHighlighter.keywords.contains(word) {
                    span("k", start..<index)
                } else if word.hasPrefix("claim") {
                    span("f", start..<index)
                } else if character.isUppercase {
                    span("t", start..<index)
                } else {
                    html += htmlEscape(word)
                }
                continue
            }
            html += htmlEscape(String(character))
            index += 1
        }
        return html
    }
}
