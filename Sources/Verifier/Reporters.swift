import Foundation
import DerivationKit

/// Renders a run for a person at a terminal.
public struct HumanReporter: Sendable {
    /// The scanned files, to quote the Markdown around a failure.
    public var sources: [String: ScannedFile]
    /// Colours, when the output is a terminal.
    var palette: Palette
    /// The width file names are padded to (0: the longest name of the run rendered).
    var width: Int

    /// A reporter quoting `sources`, with ANSI colours when `colour`, padding file names to `width` characters.
    public init(sources: [ScannedFile], colour: Bool = false, width: Int = 0) {
        self.sources = Dictionary(sources.map { ($0.displayPath, $0) }, uniquingKeysWith: { a, _ in a })
        palette = Palette(enabled: colour)
        self.width = width
    }

    /// One summary line per file, each failure with its location, values and excerpt, and a closing line.
    public func render(_ run: RunReport) -> String {
        var reporter = self
        if width == 0 { reporter.width = run.files.map(\.file.count).max() ?? 0 }
        return run.files.map(reporter.fileText).joined() + reporter.summary(run) + "\n"
    }

    /// A file's result: its summary line, then each problem and each failing claim with what its block printed.
    public func fileText(_ file: FileReport) -> String {
        var text = fileLine(file, width: width) + "\n"
        for problem in file.problems { text += problemText(problem, in: file) }
        for claim in file.claims where !claim.passed && claim.verdict != .filtered { text += claimText(claim) }
        return text
    }

    func fileLine(_ file: FileReport, width: Int) -> String {
        let name = file.file.padding(toLength: max(width, file.file.count), withPad: " ", startingAt: 0)
        let judged = file.claims.filter { $0.verdict != .filtered }
        var parts = [name, counted(judged.count, "claim"), "\(file.passedCount) ✓"]
        let failed = judged.count - file.passedCount
        if failed > 0 { parts.append(palette.fail("\(failed) ✗")) }
        if judged.count < file.claims.count { parts.append("\(file.claims.count - judged.count) filtered") }
        if !file.problems.isEmpty { parts.append(palette.fail(counted(file.problems.count, "error"))) }
        if let digits = file.minimumDigits { parts.append("min \(Int(digits)) digits") }
        if !file.precisions.isEmpty { parts.append("\(file.precisions.map(String.init).joined(separator: "/")) bits") }
        parts.append(String(format: "%.1f s", file.seconds) + (file.cached ? " (cached)" : ""))
        return (file.passed ? palette.pass("PASS") : palette.fail("FAIL")) + " " + parts.joined(separator: "  ")
    }

    func problemText(_ problem: FileProblem, in report: FileReport) -> String {
        let file = problem.file ?? report.file
        let location = problem.line.map { "\(file):\($0)" } ?? file
        var text = "  \(palette.fail("✗")) \(location): \(problem.kind.rawValue): \(problem.message)\n"
        if let block = Self.blockOutput(for: problem, in: report) {
            text += printed("printed by the block at line \(block.line):", block.text)
        }
        if let line = problem.line { text += excerpt(file: file, line: line) }
        return text
    }

    /// What the block that a run-time problem happened in printed: the block holding the problem's line, else the
    /// last block that ran. Nil for problems before anything ran (input, compile) and for blocks that printed nothing.
    static func blockOutput(for problem: FileProblem, in report: FileReport) -> BlockOutput? {
        guard [.runtime, .timeout, .incomplete, .records].contains(problem.kind) else { return nil }
        let block = problem.line.flatMap { line in report.output.last { $0.line <= line } } ?? report.output.last
        return block.flatMap { $0.text.isEmpty ? nil : $0 }
    }

    /// `text` indented under `heading`, its last 12 lines.
    func printed(_ heading: String, _ text: String) -> String {
        "      \(heading)\n" + text.split(separator: "\n", omittingEmptySubsequences: false).suffix(12)
            .map { "      │ \($0)" }.joined(separator: "\n") + "\n"
    }

    func claimText(_ claim: ClaimResult) -> String {
        var text = "  \(palette.fail("✗")) \(claim.file):\(claim.line) [\(claim.id)] \(claim.label): \(claim.verdict.rawValue)"
        if claim.expectsRefutation { text += " (a known-false claim must be refuted)" }
        text += "\n      \(claim.detail)\n"
        let shown = claim.records.max { ($0.residualLog10 ?? -.infinity) < ($1.residualLog10 ?? -.infinity) }
        if claim.verdict != .error, let record = shown, let lhs = record.lhs, let rhs = record.rhs {
            if claim.records.count > 1 { text += "      at \(record.precision) bits:\n" }
            text += "      lhs         \(lhs)\n      rhs         \(rhs)\n"
            if let difference = record.difference { text += "      difference  \(difference)\n" }
        }
        if let output = claim.output, !output.isEmpty {
            text += printed("printed before the claim:", output)
        }
        return text + excerpt(file: claim.file, line: claim.line)
    }

    /// "1 claim", "3 claims".
    func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The lines around `line` of `file` (a Markdown file of the run, else any text file on disk), numbered.
    func excerpt(file: String, line: Int) -> String {
        let text = sources[file]?.text ?? FileManager.default.contents(atPath: file).flatMap { String(data: $0, encoding: .utf8) }
        guard let text else { return "" }
        let lines = markdownLines(text)
        let range = max(1, line - 2)...min(lines.count, line + 1)
        guard !range.isEmpty else { return "" }
        return range.map { number in
            let marker = number == line ? ">" : " "
            return "      \(marker) \(String(number).padding(toLength: 5, withPad: " ", startingAt: 0))| \(lines[number - 1])"
        }.joined(separator: "\n") + "\n"
    }

    func summary(_ run: RunReport) -> String {
        let t = run.totals
        let verdicts = ["agrees", "proved", "refuted", "undecided", "error"].compactMap { key in
            t.byVerdict[key].map { "\($0) \(key)" }
        }.joined(separator: ", ")
        let filtered = t.claimsFiltered > 0 ? ", \(t.claimsFiltered) filtered" : ""
        return (run.passed ? palette.pass("passed") : palette.fail("FAILED")) + ": \(counted(t.files, "file")) (\(t.files - t.filesPassed) failed), "
            + "\(counted(t.claims, "claim")): \(t.claimsPassed) passed, \(t.claimsFailed) failed\(filtered) [\(verdicts)] in "
            + String(format: "%.1f s", run.seconds)
    }
}

/// Encodes a run as the documented JSON report (docs/report-schema.md, keys sorted).
public func jsonReport(_ run: RunReport) throws -> String { try prettyJSON(run) }

/// `value` as pretty-printed JSON with sorted keys (non-finite numbers as strings).
func prettyJSON<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try RecordCoding.encoder(pretty: true).encode(value), as: UTF8.self)
}

/// `text` with the five XML special characters escaped, and the characters XML 1.0 cannot carry at all (control
/// characters other than tab, newline and carriage return, such as a terminal escape a block printed) written as `�`.
func xmlEscape(_ text: String) -> String {
    let legal = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
        scalar.value < 0x20 && ![0x09, 0x0A, 0x0D].contains(scalar.value) || (0xFFFE...0xFFFF).contains(scalar.value)
            ? "\u{FFFD}" : scalar
    }))
    return escaped(legal, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;", "\r": "&#13;"])
}
