/// Finds the fenced code blocks of a Markdown document, following CommonMark's rules for fences.
///
/// - An opening fence is a run of at least three backticks or three tildes, indented by at most three
///   spaces. Its info string is the rest of the line, trimmed; a backtick fence's info string may not
///   contain a backtick (then the line is not a fence). The first word is the language.
/// - The block ends at a closing fence: the same character, at least as long as the opening run, indented by
///   at most three spaces, followed only by spaces or tabs. Anything else, including other fences, is content.
/// - Content lines lose up to as many leading spaces as the opening fence was indented.
/// - An unclosed fence is an error at its opening line (CommonMark would run it to the end of the document;
///   for a verifier that silently swallows the rest of the file, so it is refused).
///
/// Fences inside block quotes are not recognised.
public struct FenceScanner {
    /// The file name used in error messages.
    public var file: String

    public init(file: String) { self.file = file }

    /// The blocks of `text`, in order. Throws ``InputError`` for an unclosed fence or an unknown block option.
    public func blocks(in text: String) throws -> [CodeBlock] {
        let lines = markdownLines(text)
        var blocks: [CodeBlock] = []
        var index = 0
        while index < lines.count {
            guard let opening = Fence(opening: lines[index]) else { index += 1; continue }
            let fenceLine = index + 1
            var content: [String] = []
            var closing: Int? = nil
            var cursor = index + 1
            while cursor < lines.count {
                if opening.isClosed(by: lines[cursor]) { closing = cursor; break }
                content.append(String(opening.removingIndentation(from: lines[cursor])))
                cursor += 1
            }
            guard let closingIndex = closing else {
                throw InputError(file: file, line: fenceLine,
                                 message: "unclosed code fence \(String(repeating: opening.character, count: opening.length)): close it with a line of at least \(opening.length) \(opening.character == "`" ? "backticks" : "tildes")")
            }
            let language = opening.info.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            blocks.append(CodeBlock(fenceLine: fenceLine, closingLine: closingIndex + 1, language: language,
                                    info: opening.info, role: try role(info: opening.info, language: language, line: fenceLine),
                                    lines: content))
            index = closingIndex + 1
        }
        return blocks
    }

    /// The role named by the info string of a block in `language`.
    func role(info: String, language: String, line: Int) throws -> BlockRole {
        guard language == "swift" else { return .ignored }
        let options = info.dropFirst(language.count).trimmingCharacters()
        if options.isEmpty { return .run }
        if options == "setup" { return .setup }
        if options.hasPrefix("no-run") {
            let rest = options.dropFirst("no-run".count).trimmingCharacters()
            guard rest.hasPrefix(":"), !rest.dropFirst().trimmingCharacters().isEmpty else {
                throw InputError(file: file, line: line, message: "a no-run block needs a reason: write ```swift no-run: why it is not run")
            }
            return .noRun(reason: String(rest.dropFirst().trimmingCharacters()))
        }
        throw InputError(file: file, line: line,
                         message: "unknown block option \"\(options)\": write ```swift, ```swift setup, or ```swift no-run: REASON")
    }
}

/// An opening code fence.
struct Fence {
    var character: Character
    var length: Int
    var indentation: Int
    var info: String

    /// The fence opened by `line`, or nil when the line opens none.
    init?(opening line: Substring) {
        let indentation = line.prefix { $0 == " " }.count
        guard indentation <= 3 else { return nil }
        let rest = line.dropFirst(indentation)
        guard let first = rest.first, first == "`" || first == "~" else { return nil }
        let run = rest.prefix { $0 == first }.count
        guard run >= 3 else { return nil }
        let info = rest.dropFirst(run).trimmingCharacters()
        if first == "`" && info.contains("`") { return nil }
        character = first
        length = run
        self.indentation = indentation
        self.info = String(info)
    }

    /// Whether `line` closes this fence.
    func isClosed(by line: Substring) -> Bool {
        let indentation = line.prefix { $0 == " " }.count
        guard indentation <= 3 else { return false }
        let rest = line.dropFirst(indentation)
        let run = rest.prefix { $0 == character }.count
        return run >= length && rest.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// `line` without up to `indentation` leading spaces.
    func removingIndentation(from line: Substring) -> Substring {
        line.dropFirst(min(indentation, line.prefix { $0 == " " }.count))
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingCharacters() -> Substring {
        let text = Substring(self)
        let start = text.firstIndex { $0 != " " && $0 != "\t" } ?? text.endIndex
        let end = text.lastIndex { $0 != " " && $0 != "\t" }.map { text.index(after: $0) } ?? start
        return text[start..<end]
    }
}

/// The lines of `text`, split at LF and CRLF ("\r\n" is a single Character in Swift).
func markdownLines(_ text: String) -> [Substring] {
    text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
}
