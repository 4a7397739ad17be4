/// Turns the runnable blocks of one Markdown file into the `main.swift` of one program.
///
/// The blocks become top-level code in their order, so they share one scope. Each block is wrapped in
/// `#sourceLocation(file:line:)`, so compile errors, traps and claims name the Markdown file and line, and
/// is preceded by a progress event so that a crash or a timeout can say which block was running.
public struct ProgramGenerator {
    /// The path written into `#sourceLocation` and claim records (as the user named the file).
    public var displayPath: String

    public init(displayPath: String) { self.displayPath = displayPath }

    /// The program's source text.
    public func source(for blocks: [CodeBlock]) -> String {
        let path = swiftStringLiteral(displayPath)
        var text = "// Generated from \(displayPath) by the verifier: the file's runnable Swift blocks, in order.\nimport DerivationKit\n"
        for block in blocks where block.role.runs {
            text += "enterBlock(file: \(path), line: \(block.fenceLine))\n"
            text += "#sourceLocation(file: \(path), line: \(block.firstContentLine))\n"
            text += block.code
            text += "\n#sourceLocation()\n"
        }
        text += "finishDerivation()\n"
        return text
    }
}

/// `text` as a Swift string literal.
func swiftStringLiteral(_ text: String) -> String {
    "\"" + escaped(text, ["\\": "\\\\", "\"": "\\\"", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\r\n": "\\r\\n"]) + "\""
}

/// `text` with each character found in `replacements` replaced by its replacement.
func escaped(_ text: String, _ replacements: [Character: String]) -> String {
    var result = ""
    for character in text {
        if let replacement = replacements[character] { result += replacement } else { result.append(character) }
    }
    return result
}
