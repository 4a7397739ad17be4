/// What the verifier does with a fenced block, chosen in its info string.
///
/// ```` ```swift ```` runs and is shown; ```` ```swift setup ```` runs but is hidden from rendered pages;
/// ```` ```swift no-run: REASON ```` is shown but never compiled. Blocks in other languages are ignored.
public enum BlockRole: Equatable, Sendable, Codable {
    /// Shown in rendered pages and run.
    case run
    /// Run, but hidden in rendered pages (boilerplate, helpers).
    case setup
    /// Shown, never compiled; the reason is shown beside it.
    case noRun(reason: String)
    /// Not a Swift block: left alone.
    case ignored

    /// Whether the block's code goes into the program.
    public var runs: Bool { self == .run || self == .setup }

    /// A short name for listings: `run`, `setup`, `no-run (reason)`, `ignored`.
    public var summary: String {
        switch self {
        case .run: return "run"
        case .setup: return "setup"
        case .noRun(let reason): return "no-run (\(reason))"
        case .ignored: return "ignored"
        }
    }
}

/// One fenced code block of a Markdown file.
public struct CodeBlock: Equatable, Sendable {
    /// The line of the opening fence (1-based).
    public var fenceLine: Int
    /// The line of the first content line (fenceLine + 1).
    public var firstContentLine: Int { fenceLine + 1 }
    /// The line of the closing fence.
    public var closingLine: Int
    /// The first word of the info string ("" when there is none).
    public var language: String
    /// The whole info string, trimmed.
    public var info: String
    /// What the verifier does with the block.
    public var role: BlockRole
    /// The content lines, with the fence's indentation removed.
    public var lines: [String]
    /// The files its `{{#include PATH}}` lines pull in, by the path as written (runnable blocks only).
    public var includes: [String: IncludedFile] = [:]

    /// The content as one string.
    public var code: String { lines.joined(separator: "\n") }
}

/// A problem with the input that stops verification before anything runs (exit status 2).
public struct InputError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file, as given.
    public var file: String
    /// The line (nil when the whole file is concerned).
    public var line: Int?
    /// What is wrong and what to do.
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
