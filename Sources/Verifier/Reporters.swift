import Foundation
import DerivationKit

/// Renders a run for a person at a terminal.
public struct HumanReporter {
    /// The scanned files, to quote the Markdown around a failure.
    public var sources: [String: ScannedFile]

    public init(sources: [ScannedFile]) {
        self.sources = Dictionary(sources.map { ($0.displayPath, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// One summary line per file, each failure with its location, values and excerpt, and a closing line.
    public func render(_ run: RunReport) -> String {
        var text = ""
        let width = run.files.map(\.file.count).max() ?? 0
        for file in run.files {
            text += fileLine(file, width: width) + "\n"
            for problem in file.problems { text += problemText(problem, file: file.file) }
            for claim in file.claims where !claim.passed { text += claimText(claim) }
        }
        text += summary(run) + "\n"
        return text
    }

    func fileLine(_ file: FileReport, width: Int) -> String {
        let name = file.file.padding(toLength: width, withPad: " ", startingAt: 0)
        var parts = [name, counted(file.claims.count, "claim"), "\(file.passedCount) ✓"]
        let failed = file.claims.count - file.passedCount
        if failed > 0 { parts.append("\(failed) ✗") }
        if !file.problems.isEmpty { parts.append("\(file.problems.count) error\(file.problems.count == 1 ? "" : "s")") }
        if let digits = file.minimumDigits { parts.append("min \(Int(digits)) digits") }
        parts.append("\(file.precisions.map(String.init).joined(separator: "/")) bits")
        parts.append(String(format: "%.1f s", file.seconds) + (file.cached ? " (cached)" : ""))
        return (file.passed ? "PASS " : "FAIL ") + parts.joined(separator: "  ")
    }

    func problemText(_ problem: FileProblem, file: String) -> String {
        let location = problem.line.map { "\(file):\($0)" } ?? file
        var text = "  ✗ \(location): \(problem.kind.rawValue): \(problem.message)\n"
        if let line = problem.line { text += excerpt(file: file, line: line) }
        return text
    }

    func claimText(_ claim: ClaimResult) -> String {
        var text = "  ✗ \(claim.file):\(claim.line) [\(claim.id)] \(claim.label): \(claim.verdict.rawValue)"
        if claim.expectsRefutation { text += " (a known-false claim must be refuted)" }
        text += "\n      \(claim.detail)\n"
        let shown = claim.records.max { ($0.residualLog10 ?? -.infinity) < ($1.residualLog10 ?? -.infinity) }
        if claim.verdict != .error, let record = shown, let lhs = record.lhs, let rhs = record.rhs {
            if claim.records.count > 1 { text += "      at \(record.precision) bits:\n" }
            text += "      lhs         \(lhs)\n      rhs         \(rhs)\n"
            if let difference = record.difference { text += "      difference  \(difference)\n" }
        }
        if let output = claim.output, !output.isEmpty {
            text += "      printed before the claim:\n" + output.split(separator: "\n", omittingEmptySubsequences: false).suffix(12)
                .map { "      │ \($0)" }.joined(separator: "\n") + "\n"
        }
        return text + excerpt(file: claim.file, line: claim.line)
    }

    /// "1 claim", "3 claims".
    func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The Markdown lines around `line`, numbered.
    func excerpt(file: String, line: Int) -> String {
        guard let source = sources[file] else { return "" }
        let lines = source.lines
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
        let failedFiles = t.files - t.filesPassed
        let claimsFailed = t.claims - t.claimsPassed
        return "\(run.passed ? "passed" : "FAILED"): \(t.files) file\(t.files == 1 ? "" : "s") (\(failedFiles) failed), "
            + "\(counted(t.claims, "claim")): \(t.claimsPassed) passed, \(claimsFailed) failed [\(verdicts)] in "
            + String(format: "%.1f s", run.seconds)
    }
}

/// Encodes a run as the documented JSON report (schema version 2, keys sorted).
public func jsonReport(_ run: RunReport) throws -> String { try prettyJSON(run) }

/// `value` as pretty-printed JSON with sorted keys (non-finite numbers as strings).
func prettyJSON<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try RecordCoding.encoder(pretty: true).encode(value), as: UTF8.self)
}

/// Renders a run as JUnit XML: one test suite per file, one test case per claim, file problems as errors.
public func junitReport(_ run: RunReport) -> String {
    var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    let failures = run.totals.claims - run.totals.claimsPassed
    xml += "<testsuites name=\"verify\" tests=\"\(run.totals.claims)\" failures=\"\(failures)\" time=\"\(run.seconds)\">\n"
    for file in run.files {
        let fileFailures = file.claims.count - file.passedCount
        xml += "  <testsuite name=\"\(xmlEscape(file.file))\" tests=\"\(file.claims.count)\" failures=\"\(fileFailures)\" errors=\"\(file.problems.count)\" time=\"\(file.seconds)\">\n"
        for problem in file.problems {
            let location = problem.line.map { "\(file.file):\($0)" } ?? file.file
            xml += "    <testcase classname=\"\(xmlEscape(file.file))\" name=\"\(xmlEscape(problem.kind.rawValue))\">\n"
            xml += "      <error message=\"\(xmlEscape(location + ": " + problem.message))\"/>\n    </testcase>\n"
        }
        for claim in file.claims {
            xml += "    <testcase classname=\"\(xmlEscape(file.file))\" name=\"\(xmlEscape(claim.id + ": " + claim.label))\" file=\"\(xmlEscape(claim.file))\" line=\"\(claim.line)\" time=\"\(claim.seconds)\""
            if claim.passed {
                xml += "/>\n"
            } else {
                xml += ">\n      <failure type=\"\(claim.verdict.rawValue)\" message=\"\(xmlEscape("\(claim.file):\(claim.line): \(claim.verdict.rawValue): \(claim.detail)"))\"/>\n    </testcase>\n"
            }
        }
        xml += "  </testsuite>\n"
    }
    return xml + "</testsuites>\n"
}

/// `text` with the five XML special characters escaped.
func xmlEscape(_ text: String) -> String {
    escaped(text, ["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&apos;"])
}
