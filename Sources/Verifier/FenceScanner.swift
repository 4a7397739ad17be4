import CCommonMark

/// Finds the fenced code blocks of a Markdown document with the CommonMark reference parser (cmark-gfm).
///
/// - Every fenced code block of the document counts, wherever it is: at the top level, in list items
///   (however deeply nested) and in block quotes. Indented code blocks, and fences inside HTML blocks such
///   as comments, are not fenced code blocks and are not found.
/// - The info string is cmark's (trimmed, backslash escapes and entities resolved). Its first word, up to
///   the first space or tab, is the language; options follow after any spaces or tabs.
/// - The content lines are cmark's: without list indentation, block-quote markers or the fence's own
///   indentation. Content line `i` (0-based) is line `fenceLine + 1 + i` of the file.
/// - An unclosed fence is an error at its opening line (CommonMark runs it to the end of its container;
///   for a verifier that silently swallows the rest of the file or list item, so it is refused).
public struct FenceScanner {
    /// The file name used in error messages.
    public var file: String

    public init(file: String) { self.file = file }

    /// The blocks of `text`, in order. Throws ``InputError`` for an unclosed fence or an unknown block option.
    public func blocks(in text: String) throws -> [CodeBlock] {
        let source = Array(text.utf8)
        let document = CommonMarkFences(parsing: source)
        let sourceLines = splitLines(source[...])
        var blocks: [CodeBlock] = []
        for fence in document.fences {
            let content = fence.contentLines
            guard document.isClosed(fence, sourceLines: sourceLines) else {
                let character = fence.character == UInt8(ascii: "`") ? "`" : "~"
                throw InputError(file: file, line: fence.startLine,
                                 message: "unclosed code fence \(String(repeating: character, count: fence.length)): close it with a line of at least \(fence.length) \(character == "`" ? "backticks" : "tildes")")
            }
            let info = String(fence.info.trimmingCharacters())
            let language = String(info.prefix { !$0.isInfoStringSpace })
            let options = String(info.dropFirst(language.count).trimmingCharacters())
            blocks.append(CodeBlock(fenceLine: fence.startLine, closingLine: fence.endLine, language: language, info: info,
                                    role: try role(language: language, options: options, line: fence.startLine),
                                    lines: content))
        }
        return blocks
    }

    /// The role named by a block's language (any case of `swift`) and the options after it.
    func role(language: String, options: String, line: Int) throws -> BlockRole {
        guard language.lowercased() == "swift" else {
            // `swift,setup` or `swift:setup` is a typo, not another language: refuse it rather than skip its claims.
            if language.lowercased().hasPrefix("swift"), let next = language.dropFirst(5).first, !next.isLetter, !next.isNumber {
                throw InputError(file: file, line: line,
                                 message: "unknown language \"\(language)\": separate the options with a space (```swift setup, ```swift no-run: REASON)")
            }
            return .ignored
        }
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

/// The fenced code blocks of a document as cmark parsed them, and the lines where its blocks start.
struct CommonMarkFences {
    /// One fenced code block.
    struct Fence {
        /// The line of the opening fence (1-based).
        var startLine: Int
        /// The last line cmark gave the block: the closing fence, or for an unclosed fence the line where its
        /// container ended (which may belong to the next block) or the last line of the document.
        var endLine: Int
        /// The fence character, `` ` `` or `~`.
        var character: UInt8
        /// The number of fence characters of the opening fence.
        var length: Int
        /// The info string.
        var info: String
        /// The content, one string per line, without line endings.
        var contentLines: [String]
    }

    /// The fenced code blocks, in document order.
    var fences: [Fence] = []
    /// The lines on which some block node (other than the document) starts.
    var blockStartLines: Set<Int> = []

    /// Parses `source` (UTF-8) with cmark's default options. NUL bytes become U+FFFD, as CommonMark asks.
    init(parsing source: [UInt8]) {
        let parsed: OpaquePointer? = source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return nil }
                return cmark_parse_document(base, chars.count, CMARK_OPT_DEFAULT)
            }
        }
        guard let document = parsed else { return }
        defer { cmark_node_free(document) }
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator),
                  ccommonmark_node_is_block(node) != 0, node != document else { continue }
            blockStartLines.insert(Int(cmark_node_get_start_line(node)))
            guard cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK else { continue }
            var length: Int32 = 0
            var offset: Int32 = 0
            var character: CChar = 0
            guard cmark_node_get_fenced(node, &length, &offset, &character) != 0 else { continue }
            let literal = cmark_node_get_literal(node).map { Array(String(cString: $0).utf8) } ?? []
            var lines = splitLines(literal[...])
            if lines.last?.isEmpty == true { lines.removeLast() }
            fences.append(Fence(startLine: Int(cmark_node_get_start_line(node)), endLine: Int(cmark_node_get_end_line(node)),
                                character: UInt8(bitPattern: character), length: Int(length),
                                info: cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "",
                                contentLines: lines.map { String(decoding: $0, as: UTF8.self) }))
        }
    }

    /// Whether `fence` ends with a closing fence rather than at the end of its container or of the document.
    ///
    /// cmark does not record this, so it is read from the source: the block's last line must come right after
    /// its content, no other block may start on it (when a list item or block quote ends, cmark ends the open
    /// fence on the line that starts the next block), and that line, without block-quote markers and
    /// indentation, must be a run of the fence character at least as long as the opening one followed only by
    /// spaces or tabs.
    func isClosed(_ fence: Fence, sourceLines: [ArraySlice<UInt8>]) -> Bool {
        guard fence.endLine == fence.startLine + fence.contentLines.count + 1, fence.endLine <= sourceLines.count,
              !blockStartLines.contains(fence.endLine) else { return false }
        let line = sourceLines[fence.endLine - 1].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: ">") }
        let run = line.prefix { $0 == fence.character }.count
        return run >= fence.length && line.dropFirst(run).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }
}

/// The lines of UTF-8 `bytes`, split where CommonMark ends a line: at LF, CRLF or a lone CR.
/// Text ending with a line ending has an empty last line.
func splitLines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
    var lines: [ArraySlice<UInt8>] = []
    var start = bytes.startIndex
    var index = bytes.startIndex
    while index < bytes.endIndex {
        let byte = bytes[index]
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            lines.append(bytes[start..<index])
            if byte == UInt8(ascii: "\r"), index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "\n") { index += 1 }
            start = index + 1
        }
        index += 1
    }
    lines.append(bytes[start..<bytes.endIndex])
    return lines
}

extension Character {
    /// Whether the character separates words of an info string (CommonMark whitespace within a line).
    var isInfoStringSpace: Bool { self == " " || self == "\t" || self == "\u{0B}" || self == "\u{0C}" }
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
