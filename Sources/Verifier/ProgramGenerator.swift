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
                                "claimGreaterOrEqual", "claimRate", "claimExponentialRate", "_enterBlock", "_finishProgram"]
    /// Values of the vocabulary that a block uses but may not declare anew.
    static let reservedValues: Set<String> = ["number", "workingPrecision"]

    /// The seal of a program made of `blocks`: SHA-256 of the file's name and the runnable blocks' code.
    public func seal(for blocks: [CodeBlock]) -> String {
        let parts = [displayPath] + blocks.filter(\.role.runs).map { "\($0.fenceLine)\u{0}\($0.code)" }
        return SHA256.hex(of: parts.joined(separator: "\u{1}"))
    }

    /// The program's source text; `code` replaces the runnable blocks' code, in order, and `includes` the text of
    /// included files by path, when given (the mutant schema).
    public func source(for blocks: [CodeBlock], code: [String]? = nil, includes: [String: String] = [:]) -> String {
        let path = swiftStringLiteral(displayPath)
        let seal = swiftStringLiteral(self.seal(for: blocks))
        let runnable = blocks.filter(\.role.runs)
        var text = "// Generated from \(displayPath) by the verifier: the file's runnable Swift blocks, in order.\n"
        text += "import DerivationKit\n@_spi(GeneratedProgram) import DerivationKit\n"
        for (index, block) in runnable.enumerated() {
            text += "_enterBlock(\(index), line: \(block.fenceLine), seal: \(seal))\n"
            text += "#sourceLocation(file: \(path), line: \(block.firstContentLine))\n"
            text += expandingIncludes(code?[index] ?? block.code, of: block, replacing: includes)
            text += "\n#sourceLocation()\n"
        }
        text += "_finishProgram(blocks: \(runnable.count), seal: \(seal))\n"
        return text
    }

    /// `code` with each `{{#include PATH}}` line of `block` replaced by the included file, compiled under the included
    /// file's own name and lines, and the block's Markdown lines resumed after it.
    func expandingIncludes(_ code: String, of block: CodeBlock, replacing replaced: [String: String] = [:]) -> String {
        guard !block.includes.isEmpty else { return code }
        let lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines.enumerated().map { offset, line in
            guard let included = IncludedFile.directivePath(in: line).flatMap({ block.includes[$0] }) else { return line }
            return "#sourceLocation(file: \(swiftStringLiteral(included.displayPath)), line: 1)\n"
                + (replaced[included.displayPath] ?? included.lines.joined(separator: "\n"))
                + "\n#sourceLocation(file: \(swiftStringLiteral(displayPath)), line: \(block.firstContentLine + offset + 1))"
        }.joined(separator: "\n")
    }

    /// Uses of the claim vocabulary's names that are not plain calls (`func claimEqual`, `struct claimLess`,
    /// `let (_, claimRefuted) = …`, `claimEqual` passed as a value), and declarations of `number`, each at its
    /// Markdown line. Strings and comments are not looked at.
    /// Included files are read too; their findings carry the included file's path (nil for the Markdown file).
    public func reservedNameDeclarations(in blocks: [CodeBlock]) -> [(line: Int, name: String, file: String?)] {
        let declarationKeywords: Set<String> = ["func", "let", "var", "struct", "class", "enum", "typealias", "case", "protocol", "actor"]
        var found: [(Int, String, String?)] = []
        let runnable = blocks.filter(\.role.runs)
        var seen = Set<String>()
        let included = runnable.flatMap { $0.includes.values.sorted { $0.displayPath < $1.displayPath } }.filter { seen.insert($0.displayPath).inserted }
        let sources = runnable.map { (code: $0.code, firstLine: $0.firstContentLine, file: String?.none) }
            + included.map { (code: $0.text, firstLine: 1, file: Optional($0.displayPath)) }
        for source in sources {
            let tokens = SwiftLexer.tokens(source.code)
            let significant = tokens.indices.filter { ![.whitespace, .newline, .comment].contains(tokens[$0].kind) }
            for (position, index) in significant.enumerated() {
                let token = tokens[index]
                guard token.kind == .identifier else { continue }
                let before = position > 0 ? tokens[significant[position - 1]] : nil
                let after = position + 1 < significant.count ? tokens[significant[position + 1]] : nil
                let declared = before.map { $0.kind == .keyword && declarationKeywords.contains($0.text) } ?? false
                if Self.reservedNames.contains(token.text) {
                    let isMember = before?.kind == .punctuation && before?.text == "."
                    let isCall = after?.kind == .punctuation && after?.text == "("
                    if declared || (!isCall && !isMember) { found.append((source.firstLine + token.line, token.text, source.file)) }
                } else if Self.reservedValues.contains(token.text) && declared {
                    found.append((source.firstLine + token.line, token.text, source.file))
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
