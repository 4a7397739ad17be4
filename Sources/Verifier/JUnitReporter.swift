import DerivationKit
import Foundation

/// Renders a run as JUnit XML, valid against the JUnit schema Jenkins reads (`junit-4.xsd`, a test fixture).
///
/// One `<testsuite>` per Markdown file, one `<testcase>` per claim and one per file problem. A claim that is refuted
/// or undecided is a `<failure>`; a claim that could not be judged (verdict `error`) and a file problem (compile error,
/// trap, timeout, unreadable file…) are `<error>`s; a claim left out by `--filter` is `<skipped>`. Counts are exact
/// at every level: `tests` counts every test case, skipped ones included, and `failures`, `errors` and `skipped` the
/// test cases of each kind. A failure's body gives the detail, both sides at every rung, and the Markdown excerpt;
/// what the block printed is the test case's `<system-out>`, and every block's output the suite's.
public struct JUnitReporter {
    /// The scanned files, to quote the Markdown around a failure (files not given are read from disk if they exist).
    public var sources: [String: ScannedFile]

    public init(sources: [ScannedFile] = []) {
        self.sources = Dictionary(sources.map { ($0.displayPath, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The counts of one suite or of the whole run.
    struct Counts {
        var tests = 0, failures = 0, errors = 0, skipped = 0
        static func + (a: Counts, b: Counts) -> Counts {
            Counts(tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped)
        }
    }

    /// The test case kind of a claim.
    enum Outcome { case passed, failure, error, skipped }

    static func outcome(_ claim: ClaimResult) -> Outcome {
        if claim.verdict == .filtered { return .skipped }
        if claim.passed { return .passed }
        return claim.verdict == .error ? .error : .failure
    }

    /// The counts of one file's suite.
    static func counts(_ file: FileReport) -> Counts {
        var counts = Counts(tests: file.claims.count + file.problems.count, errors: file.problems.count)
        for claim in file.claims {
            switch outcome(claim) {
            case .passed: break
            case .failure: counts.failures += 1
            case .error: counts.errors += 1
            case .skipped: counts.skipped += 1
            }
        }
        return counts
    }

    /// The XML document.
    public func render(_ run: RunReport) -> String {
        let total = run.files.map(Self.counts).reduce(Counts(), +)
        // The schema allows no `skipped` on <testsuites>: each suite carries its own.
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"verify\" tests=\"\(total.tests)\" failures=\"\(total.failures)\" errors=\"\(total.errors)\" time=\"\(Self.time(run.seconds))\">\n"
        for file in run.files { xml += suite(file) }
        return xml + "</testsuites>\n"
    }

    func suite(_ file: FileReport) -> String {
        let counts = Self.counts(file)
        let name = xmlEscape(file.file)
        var xml = "  <testsuite name=\"\(name)\" tests=\"\(counts.tests)\" failures=\"\(counts.failures)\" errors=\"\(counts.errors)\" skipped=\"\(counts.skipped)\" time=\"\(Self.time(file.seconds))\">\n"
        for problem in file.problems {
            let path = problem.file ?? file.file
            let location = problem.line.map { "\(path):\($0)" } ?? path
            var body = problem.message + "\n"
            if let line = problem.line { body += excerpt(path, line) }
            xml += "    <testcase classname=\"\(name)\" name=\"\(xmlEscape("\(problem.kind.rawValue) at \(location)"))\" time=\"0.000\">\n"
            xml += "      <error type=\"\(problem.kind.rawValue)\" message=\"\(xmlEscape(location + ": " + problem.message))\">\(xmlEscape(body))</error>\n"
            if let block = HumanReporter.blockOutput(for: problem, in: file) {
                xml += "      <system-out>\(xmlEscape(block.text))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        for claim in file.claims {
            xml += "    <testcase classname=\"\(name)\" name=\"\(xmlEscape(claim.id + ": " + claim.label))\" time=\"\(Self.time(claim.seconds))\""
            let message = xmlEscape("\(claim.file):\(claim.line): \(claim.verdict.rawValue): \(claim.detail)")
            switch Self.outcome(claim) {
            case .passed:
                xml += "/>\n"
                continue
            case .skipped:
                xml += ">\n      <skipped/>\n"
            case .failure:
                xml += ">\n      <failure type=\"\(claim.verdict.rawValue)\" message=\"\(message)\">\(xmlEscape(body(claim)))</failure>\n"
            case .error:
                xml += ">\n      <error type=\"\(claim.verdict.rawValue)\" message=\"\(message)\">\(xmlEscape(body(claim)))</error>\n"
            }
            if let output = claim.output, !output.isEmpty { xml += "      <system-out>\(xmlEscape(output))</system-out>\n" }
            xml += "    </testcase>\n"
        }
        let printed = file.output.filter { !$0.text.isEmpty }
        if !printed.isEmpty {
            let text = printed.map { "--- block at \(file.file):\($0.line) ---\n\($0.text)" }.joined(separator: "\n")
            xml += "    <system-out>\(xmlEscape(text))</system-out>\n"
        }
        return xml + "  </testsuite>\n"
    }

    /// A failing claim's explanation: the detail, what each rung measured, the Markdown excerpt.
    func body(_ claim: ClaimResult) -> String {
        var text = "\(claim.file):\(claim.line) [\(claim.id)] \(claim.label): \(claim.verdict.rawValue)\n\(claim.detail)\n"
        for record in claim.records {
            var lines: [String] = []
            if let lhs = record.lhs { lines.append("lhs         \(lhs)") }
            if let rhs = record.rhs { lines.append("rhs         \(rhs)") }
            if let difference = record.difference { lines.append("difference  \(difference)") }
            if let lhs = record.lhsEnclosure { lines.append("lhs ∈       \(lhs)") }
            if let rhs = record.rhsEnclosure { lines.append("rhs ∈       \(rhs)") }
            if let estimated = record.estimatedRate { lines.append("estimated rate \(estimated)") }
            if let problem = record.problem { lines.append("problem     \(problem)") }
            if let note = record.note { lines.append("note        \(note)") }
            if !lines.isEmpty { text += "at \(record.precision) bits:\n" + lines.map { "  " + $0 }.joined(separator: "\n") + "\n" }
        }
        return text + excerpt(claim.file, claim.line)
    }

    /// The lines around `line` of `file`, numbered (nothing when the file is not at hand).
    func excerpt(_ file: String, _ line: Int) -> String {
        HumanReporter(sources: Array(sources.values)).excerpt(file: file, line: line)
    }

    /// Seconds as the schema's time type: digits, a point, three decimals.
    static func time(_ seconds: Double) -> String { String(format: "%.3f", seconds.isFinite ? max(0, seconds) : 0) }
}

/// Renders a run as JUnit XML (see ``JUnitReporter``).
public func junitReport(_ run: RunReport, sources: [ScannedFile] = []) -> String { JUnitReporter(sources: sources).render(run) }
