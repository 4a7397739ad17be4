import Foundation

/// Reads the compiler's and the program's error output and points each problem at its Markdown line.
struct CompilerDiagnostics {
    /// The Markdown file as named in `#sourceLocation` (it may contain `:` or `"`).
    var displayPath: String
    /// The Swift files its blocks include (`{{#include}}`), as named in `#sourceLocation`.
    var includedPaths: [String] = []

    init(displayPath: String, includedPaths: [String] = []) {
        self.displayPath = displayPath
        self.includedPaths = includedPaths
    }

    /// The diagnostics of `file`'s program: its Markdown file and the files it includes.
    init(_ file: ScannedFile) { self.init(displayPath: file.displayPath, includedPaths: file.includedFiles.map(\.displayPath)) }

    /// The compiler's errors that point into the Markdown file, or one clear line for a compiler crash, or the
    /// tail of its output when nothing points anywhere.
    func problems(_ outcome: ProcessOutcome) -> [FileProblem] {
        if outcome.timedOut {
            return [FileProblem(kind: .compile, line: nil, message: "the compiler ran past the time limit: raise --timeout, or split long expressions and annotate their types")]
        }
        let text = outcome.errors + outcome.output
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if isCrash(text) {
            let line = lines.lazy.compactMap { markdownLocation(in: $0) }.first
            return [FileProblem(kind: .compile, line: line,
                                message: "the Swift compiler crashed on this file (a compiler bug, not an error in the derivation)"
                                    + (line.map { " while handling line \($0)" } ?? "")
                                    + ": simplify that code (split long expressions, add type annotations) and run verify again")]
        }
        // The compiler writes LLVM-style diagnostics (`-diagnostic-style llvm`): a header `PATH:LINE:COLUMN: error: …`,
        // the source line, a caret line (`^~~~`), and a fix-it line when the compiler proposes one; notes are
        // headers of their own. Each error keeps its notes and fix-its, each said once.
        var problems: [FileProblem] = []
        var seen = Set<String>()
        var current: Int? = nil          // the problem that notes and fix-its attach to
        var excerpt: Substring? = nil    // the source line under the last header
        var caret: Substring? = nil      // the caret line under it
        func attach(_ text: String) {
            guard let current, !problems[current].message.contains(text) else { return }
            problems[current].message += "\n  " + text
        }
        for line in lines {
            if let header = header(in: line) {
                excerpt = nil
                caret = nil
                switch header.severity {
                case "error":
                    let message = "compile error: " + header.message
                    guard let (file, lineNumber) = header.location else { current = nil; continue }
                    if seen.insert("\(file ?? "")\u{0}\(lineNumber)\u{0}\(message)").inserted {
                        problems.append(FileProblem(kind: .compile, line: lineNumber, file: file, message: message))
                        current = problems.count - 1
                    } else {
                        current = nil
                    }
                case "note":
                    let place = header.location.map { " (\($0.file ?? displayPath):\($0.line))" } ?? ""
                    attach("note: \(header.message)\(place)")
                default:
                    current = nil
                }
                continue
            }
            if excerpt == nil { excerpt = line; continue }
            if caret == nil, !line.isEmpty, line.allSatisfy({ " ^~".contains($0) }) { caret = line; continue }
            if let caretLine = caret, let source = excerpt, !line.trimmingCharacters(in: .whitespaces).isEmpty {
                attach(Self.fixIt(source: source, caret: caretLine, replacement: line))
                caret = nil
            }
        }
        if problems.isEmpty {
            let tail = lines.filter { !$0.isEmpty }.suffix(15).joined(separator: "\n")
            problems.append(FileProblem(kind: .compile, line: nil, message: "the program did not compile or link:\n\(tail)"))
        }
        return problems
    }

    /// A diagnostic header `PATH:LINE:COLUMN: SEVERITY: MESSAGE`, with its location when PATH is the Markdown file
    /// (file nil) or an included file (file named).
    func header(in line: Substring) -> (severity: String, message: String, location: (file: String?, line: Int)?)? {
        for severity in ["error", "warning", "note", "remark"] {
            guard let range = line.range(of: ": \(severity): ") else { continue }
            let prefix = line[..<range.lowerBound]
            guard prefix.split(separator: ":").count >= 3 || prefix.hasPrefix("<unknown>") else { continue }
            let message = String(line[range.upperBound...])
            let located = diagnostic(in: line).map { (file: String?.none, line: $0.0) } ?? includedPaths.lazy.compactMap { path in
                CompilerDiagnostics(displayPath: path).diagnostic(in: line).map { (file: Optional(path), line: $0.0) }
            }.first
            return (severity, message, located)
        }
        return nil
    }

    /// A fix-it as a sentence. The replacement line starts at the fix-it's column; when the caret line highlights
    /// text from there on (`^~~~`), that text is replaced, otherwise the replacement is inserted there.
    static func fixIt(source: Substring, caret: Substring, replacement: Substring) -> String {
        let text = replacement.trimmingCharacters(in: .whitespaces)
        let start = replacement.prefix { $0 == " " }.count
        let caretStart = caret.prefix { $0 == " " }.count
        let end = caretStart + caret.dropFirst(caretStart).prefix { $0 == "^" || $0 == "~" }.count
        let characters = Array(source)
        guard end - caretStart > 1, start < end, end <= characters.count else { return "fix-it: insert `\(text)`" }
        return "fix-it: replace `\(String(characters[start..<end]))` with `\(text)`"
    }

    /// Whether the compiler's output shows a crash rather than diagnostics.
    func isCrash(_ text: String) -> Bool {
        ["Stack dump:", "compile command failed due to signal", "PLEASE submit a bug report", "LLVM ERROR:"].contains { text.contains($0) }
    }

    /// The spellings of the Markdown file's path in the compiler's messages: as named, and as written inside the
    /// `#sourceLocation` string literal (the compiler prints a `"` in the name as `\"`).
    var spellings: [String] {
        let literal = String(swiftStringLiteral(displayPath).dropFirst().dropLast())
        return literal == displayPath ? [displayPath] : [displayPath, literal]
    }

    /// `(line, "error: …")` for a diagnostic line `PATH:LINE:COLUMN: error: …` about the Markdown file.
    func diagnostic(in line: Substring) -> (Int, Substring)? {
        located(line).map { ($0.line, $0.rest) }
    }

    /// An error the compiler placed in the Markdown file: its line, its column (1-based, in UTF-8 bytes of the
    /// compiled line) and its message.
    struct ErrorLocation: Equatable, Sendable {
        /// The included file it is in; nil for the Markdown file.
        var file: String? = nil
        var line: Int
        var column: Int?
        var message: String
    }

    /// Every error of the compiler's output `text` that points into the Markdown file, with its column.
    func errorLocations(_ text: String) -> [ErrorLocation] {
        text.split(separator: "\n").compactMap { line in
            let found = located(line).map { (file: String?.none, $0) } ?? includedPaths.lazy.compactMap { path in
                CompilerDiagnostics(displayPath: path).located(line).map { (file: Optional(path), $0) }
            }.first
            guard let (file, place) = found, place.rest.hasPrefix("error: ") else { return nil }
            return ErrorLocation(file: file, line: place.line, column: place.column, message: String(place.rest.dropFirst("error: ".count)))
        }
    }

    /// The line, column and the rest of a diagnostic line `PATH:LINE[:COLUMN]: …` about the Markdown file.
    private func located(_ line: Substring) -> (line: Int, column: Int?, rest: Substring)? {
        guard let path = spellings.first(where: { line.hasPrefix($0 + ":") }) else { return nil }
        let rest = line.dropFirst(path.count + 1)
        let number = rest.prefix { $0.isNumber }
        guard let lineNumber = Int(number) else { return nil }
        var after = rest.dropFirst(number.count)
        if after.hasPrefix(":") { after = after.dropFirst() }
        let columnDigits = after.prefix { $0.isNumber }
        after = after.dropFirst(columnDigits.count)
        if after.hasPrefix(":") { after = after.dropFirst() }
        return (lineNumber, Int(columnDigits), after.drop { $0 == " " })
    }

    /// The Markdown line named anywhere in `line` as `PATH:LINE`.
    func markdownLocation(in line: Substring) -> Int? {
        guard let range = spellings.lazy.compactMap({ line.range(of: $0 + ":", options: .backwards) }).first else { return nil }
        return Int(line[range.upperBound...].prefix { $0.isNumber })
    }

    /// The Markdown line and message of a runtime error: the line from the `Fatal error` message when it names
    /// the Markdown file, or the call named by an error the library threw (`(thrown at PATH:LINE)`, as in
    /// `Fatal error: Error raised at top level: the matrix is singular: … (thrown at x.md:12)`), else the first
    /// backtrace frame in the Markdown file (programs are compiled with `-g`, and `#sourceLocation` maps their line
    /// table to the `.md`), else the running block. Memory exhaustion is named as such.
    /// A trap inside an included file is placed there: the third value names it (nil for the Markdown file).
    func trapLocation(_ errors: String, fallback: Int?) -> (Int?, String?, String?) {
        let names = [(displayPath, String?.none)] + includedPaths.map { ($0, Optional($0)) }
        var message: String? = nil
        var line: Int? = nil
        var file: String? = nil
        /// The line after `NAME:` in `text` for the first source named there.
        func located(_ text: Substring) -> (Int, String?)? {
            for (path, source) in names {
                let name = URL(fileURLWithPath: path).lastPathComponent
                if let location = text.range(of: "\(name):", options: .backwards),
                   let number = Int(text[location.upperBound...].prefix { $0.isNumber }) { return (number, source) }
            }
            return nil
        }
        for text in errors.split(separator: "\n") {
            // "Fatal error: …" (the marker dropped), "Precondition failed: …", "Assertion failed: …" (kept).
            let marker = [("Fatal error: ", true), ("Precondition failed: ", false), ("Assertion failed: ", false)]
                .lazy.compactMap { name, drops in text.range(of: name).map { ($0, drops) } }.first
            if message == nil, let (range, drops) = marker {
                message = String(text[(drops ? range.upperBound : range.lowerBound)...])
                if let (number, source) = located(text[..<range.lowerBound]) { (line, file) = (number, source) }
                // An error thrown at top level names no place in the message's prefix; the library's errors name
                // the call that threw (`… (thrown at PATH:LINE)`), which is the line to point at.
                if let thrown = text.range(of: "(thrown at ", options: .backwards), let (number, source) = located(text[thrown.upperBound...]) {
                    (line, file) = (number, source)
                }
            }
            if line == nil, let at = text.range(of: " at ", options: .backwards), let (number, source) = located(text[at.upperBound...]) {
                (line, file) = (number, source)
            }
        }
        if errors.contains("Cannot allocate memory") || errors.contains("out of memory") || errors.contains("failed to allocate") {
            message = "the program ran out of memory" + (line == nil ? "" : " allocating at this line")
                + ": make the computation smaller, or check for a runaway loop"
        }
        if message == nil {
            let lastLines = errors.split(separator: "\n").filter { !$0.isEmpty }.prefix(3).joined(separator: " / ")
            message = lastLines.isEmpty ? nil : lastLines
        }
        return (line ?? fallback, message, line == nil ? nil : file)
    }
}
