/// Turns the runnable blocks of one Markdown file into the `main.swift` of one program.
///
/// The blocks become top-level code in their order, so they share one scope. Each block is wrapped in
/// `#sourceLocation(file:line:)`, so compile errors, traps and claims name the Markdown file and line, and
/// is preceded by a program event so that a crash or a timeout can say which block was running. The events
/// and the end-of-run marker carry a *seal*, a digest of the blocks that code inside a block cannot know, and
/// only the generated code writes them: the verifier accepts a run only if every block was entered once, in
/// order, and the sealed end came after the last one.
public struct ProgramGenerator {
    /// The path written into `#sourceLocation` and claim records (as the user named the file).
    public var displayPath: String

    public init(displayPath: String) { self.displayPath = displayPath }

    /// The names of the claim vocabulary, which a block may not declare anew (a block's own `claimEqual`
    /// would shadow the verifier's and could pass anything).
    static let reservedNames = ["claimEqual", "claimRefuted", "claimLess", "claimLessOrEqual", "claimGreater",
                                "claimGreaterOrEqual", "claimRate", "claimExponentialRate", "workingPrecision",
                                "_enterBlock", "_finishProgram"]

    /// The seal of a program made of `blocks`: SHA-256 of the file's name and the runnable blocks' code.
    public func seal(for blocks: [CodeBlock]) -> String {
        let parts = [displayPath] + blocks.filter(\.role.runs).map { "\($0.fenceLine)\u{0}\($0.code)" }
        return SHA256.hex(of: parts.joined(separator: "\u{1}"))
    }

    /// The program's source text; `code` replaces the runnable blocks' code, in order, when given (the mutant schema).
    public func source(for blocks: [CodeBlock], code: [String]? = nil) -> String {
        let path = swiftStringLiteral(displayPath)
        let seal = swiftStringLiteral(self.seal(for: blocks))
        let runnable = blocks.filter(\.role.runs)
        var text = "// Generated from \(displayPath) by the verifier: the file's runnable Swift blocks, in order.\n"
        text += "import DerivationKit\n@_spi(GeneratedProgram) import DerivationKit\n"
        for (index, block) in runnable.enumerated() {
            text += "_enterBlock(\(index), line: \(block.fenceLine), seal: \(seal))\n"
            text += "#sourceLocation(file: \(path), line: \(block.firstContentLine))\n"
            text += code?[index] ?? block.code
            text += "\n#sourceLocation()\n"
        }
        text += "_finishProgram(blocks: \(runnable.count), seal: \(seal))\n"
        return text
    }

    /// Declarations in the blocks that reuse a name of the claim vocabulary (`func claimEqual`, `let claimLess`…),
    /// each at its Markdown line.
    public func reservedNameDeclarations(in blocks: [CodeBlock]) -> [(line: Int, name: String)] {
        var found: [(Int, String)] = []
        for block in blocks where block.role.runs {
            for (offset, line) in block.lines.enumerated() {
                let words = line.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") })
                for (position, word) in words.enumerated().dropFirst()
                where Self.reservedNames.contains(String(word)) && ["func", "let", "var"].contains(String(words[position - 1])) {
                    found.append((block.firstContentLine + offset, String(word)))
                }
            }
        }
        return found
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
