import Foundation

/// A Swift file shared by several derivations, pulled into a block by a line `{{#include PATH}}` (in the spirit of
/// mdBook's include). PATH is relative to the Markdown file's folder.
///
/// The included code runs where the line stands, in the block's scope. It is compiled under its own name, so compile
/// errors, traps and claims inside it point at `PATH:line`; the cache keys on its content; rendered pages show it
/// folded under the line. Included files cannot include others.
public struct IncludedFile: Equatable, Sendable, Codable {
    /// The path as written after `{{#include`.
    public var written: String
    /// The path reports name it by: the Markdown file's folder (as named) joined with ``written``.
    public var displayPath: String
    /// Its text.
    public var text: String

    /// Its lines.
    public var lines: [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).droppingFinalEmpty }

    /// The path written in an include line (`{{#include PATH}}` alone on its line, spaces around allowed), else nil.
    public static func directivePath(in line: String) -> String? {
        // Most lines hold no brace at all: they are passed over by one `memchr`, without Foundation's trimming (the
        // slow part of reading a file whose report is cached, in the debug build the README's command runs).
        var line = line
        let brace = line.withUTF8 { bytes in bytes.isEmpty ? false : memchr(bytes.baseAddress!, Int32(UInt8(ascii: "{")), bytes.count) != nil }
        guard brace else { return nil }
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("{{#include "), trimmed.hasSuffix("}}") else { return nil }
        let path = trimmed.dropFirst("{{#include ".count).dropLast(2).trimmingCharacters(in: .whitespaces)
        return path.isEmpty ? nil : path
    }

    /// Reads the files that the runnable blocks of `markdownPath` include, attaching each to its block. Throws an
    /// ``InputError`` at the include line for a file that cannot be read, or at the included file's line for a
    /// nested include.
    static func resolve(_ blocks: [CodeBlock], markdownPath: String) throws -> [CodeBlock] {
        let folder = (markdownPath as NSString).deletingLastPathComponent
        return try blocks.map { block in
            guard block.role.runs else { return block }
            var block = block
            for (offset, line) in block.lines.enumerated() {
                guard let written = directivePath(in: line) else { continue }
                let markdownLine = block.firstContentLine + offset
                let joined = folder.isEmpty ? written : (folder as NSString).appendingPathComponent(written)
                let displayPath = written.hasPrefix("/") ? written : (joined as NSString).standardizingPath
                guard let data = FileManager.default.contents(atPath: displayPath) else {
                    throw InputError(file: markdownPath, line: markdownLine,
                                     message: "cannot read the included file \(displayPath): {{#include PATH}} takes a path relative to the Markdown file's folder")
                }
                guard let text = String(data: data, encoding: .utf8) else {
                    throw InputError(file: markdownPath, line: markdownLine, message: "the included file \(displayPath) is not UTF-8 text")
                }
                let included = IncludedFile(written: written, displayPath: displayPath, text: text)
                if let nested = included.lines.firstIndex(where: { directivePath(in: $0) != nil }) {
                    throw InputError(file: displayPath, line: nested + 1,
                                     message: "an included file cannot include another: include both from the Markdown file (\(markdownPath):\(markdownLine))")
                }
                block.includes[written] = included
            }
            return block
        }
    }
}

extension Array where Element == String {
    /// Without the empty string a final newline leaves.
    var droppingFinalEmpty: [String] { last == "" ? Array(dropLast()) : self }
}
