import DerivationKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Synchronization
import Testing
@testable import Verifier

/// What `verify` wrote, each piece with the time it was written.
final class CapturedConsole: Sendable {
    let writes = Mutex<[(at: Date, text: String, isError: Bool)]>([])

    func console(colour: Bool = false) -> Console {
        Console(write: { text in self.writes.withLock { $0.append((Date(), text, false)) } },
                writeError: { text in self.writes.withLock { $0.append((Date(), text, true)) } },
                colour: colour, progressLine: false)
    }

    var output: String { writes.withLock { $0.filter { !$0.isError }.map(\.text).joined() } }

    /// When the first piece of standard output containing `text` was written.
    func firstWrite(containing text: String) -> Date? {
        writes.withLock { $0.first { !$0.isError && $0.text.contains(text) }?.at }
    }
}

func liveFixture(_ name: String) -> String { Paths.fixture("live/\(name)") }

/// Runs `verify` on the live fixtures `names` with no cache, `jobs` files at once; what it wrote, and its status.
func performLive(_ names: [String], jobs: Int = 1, colour: Bool = false) -> (CapturedConsole, VerifyExitStatus) {
    let captured = CapturedConsole()
    var request = VerifyRequest(paths: names.map(liveFixture))
    request.options.useCache = false
    request.options.jobs = jobs
    return (captured, perform(request, console: captured.console(colour: colour)))
}

@Suite("Runs people can follow: version, streamed results, colour, block output")
struct LiveReportTests {
    @Test("--version names the tool, and the MPFR, GMP and compiler versions that pkg-config and swiftc state")
    func version() throws {
        let outcome = try runVerify(["--version"])
        #expect(outcome.status == 0)
        let lines = outcome.output.split(separator: "\n").map(String.init)
        let mpfr = try runProcess("/usr/bin/env", ["pkg-config", "--modversion", "mpfr"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let gmp = try runProcess("/usr/bin/env", ["pkg-config", "--modversion", "gmp"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let swiftc = try runProcess("/usr/bin/env", ["swiftc", "--version"]).output.split(separator: "\n").first.map(String.init) ?? "?"
        #expect(lines.count == 5)
        #expect(lines.last == "derivation modules \(try Toolchain.locate().binDirectory.appendingPathComponent("Modules").path)")
        #expect(lines.first?.hasPrefix("verify ") == true && lines.first?.split(separator: ".").count == 3)
        #expect(lines.contains("MPFR \(mpfr)"))
        #expect(lines.contains("GMP \(gmp)"))
        #expect(lines.contains("swiftc \(swiftc)"))
    }

    @Test("each file's result is written as soon as it finishes, the summary last")
    func streamsResults() throws {
        let (captured, status) = performLive(["slow.md", "printed-output.md"], jobs: 3)
        #expect(status == .failed)
        // slow.md sleeps 3 s on each of its two rungs, which run side by side as two jobs; the third job runs
        // printed-output.md, which takes well under a second per rung.
        let fast = try #require(captured.firstWrite(containing: "FAIL \(liveFixture("printed-output.md"))"))
        let slow = try #require(captured.firstWrite(containing: "PASS \(liveFixture("slow.md"))"))
        #expect(slow.timeIntervalSince(fast) > 2.5)
        let summary = try #require(captured.firstWrite(containing: "FAILED: 2 files (1 failed)"))
        #expect(summary >= slow)
        #expect(!captured.output.contains("\u{1B}["), "no colour when the console is not a terminal")
    }

    @Test("the verifier's events come typed and in order for each file")
    func events() throws {
        let seen = Mutex<[VerificationEvent]>([])
        var options = VerificationOptions()
        options.useCache = false
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: options)
        let report = verifier.verify(try Verifier.scan(liveFixture("printed-output.md"))) { event in seen.withLock { $0.append(event) } }
        let events = seen.withLock { $0 }
        let summary = events.map { event -> String in
            switch event {
            case .fileStarted: "started"
            case .rungFinished(_, let precision, _): "rung \(precision)"
            case .claimJudged(let claim): "claim \(claim.line)"
            case .fileFinished(_, let finished): "finished \(finished?.passed == false)"
            }
        }
        #expect(summary == ["started", "rung 576", "rung 1152", "claim 5", "claim 12", "claim 13", "finished true"])
        #expect(events.allSatisfy { $0.file == liveFixture("printed-output.md") })
        #expect(!report.passed)
    }

    @Test("one claim and one file are singular")
    func grammar() throws {
        let (captured, _) = performLive(["prints-then-traps.md"])
        let lines = captured.output.split(separator: "\n")
        #expect(lines.first?.contains("  1 claim  0 ✓  1 ✗  1 error  ") == true, "\(lines)")
        #expect(lines.last?.hasPrefix("FAILED: 1 file (1 failed), 1 claim: 0 passed, 1 failed") == true, "\(lines)")
    }

    @Test("colour on a terminal unless NO_COLOR is set to something")
    func colour() throws {
        #expect(Console.wantsColour(isTerminal: true, environment: [:]))
        #expect(Console.wantsColour(isTerminal: true, environment: ["NO_COLOR": ""]))
        #expect(!Console.wantsColour(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(!Console.wantsColour(isTerminal: false, environment: [:]))
        let (captured, _) = performLive(["prints-then-traps.md"], colour: true)
        #expect(captured.output.hasPrefix("\u{1B}[1;31mFAIL\u{1B}[0m "))
        #expect(captured.output.contains("\u{1B}[1;31mFAILED\u{1B}[0m: 1 file"))
        // A pipe is not a terminal: the binary writes no escape codes.
        let piped = try runVerify([liveFixture("prints-then-traps.md")])
        #expect(piped.output.hasPrefix("FAIL ") && !piped.output.contains("\u{1B}"))
    }

    @Test("what a block printed is shown under the failing claim and under the trap in its block")
    func blockOutput() throws {
        let (captured, _) = performLive(["printed-output.md", "prints-then-traps.md"])
        let text = captured.output
        #expect(text.contains("      printed before the claim:\n      │ two and three are 2 3\n"))
        #expect(text.contains("      printed by the block at line 7:\n      │ about to read past the end\n"))
    }
}

@Suite("JUnit reports: exact counts, bodies, output, valid against the Jenkins schema")
struct JUnitReportTests {
    /// The JUnit report of a run over `paths`.
    func junit(_ paths: [String]) throws -> String {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("junit.xml")
        var request = VerifyRequest(paths: paths)
        request.options.useCache = false
        request.junitPath = file.path
        _ = perform(request, console: CapturedConsole().console())
        return try String(contentsOf: file, encoding: .utf8)
    }

    @Test("counts are exact at every level, bodies carry both sides at both rungs and the excerpt, output is system-out")
    func counts() throws {
        let xml = try junit([liveFixture("printed-output.md"), liveFixture("prints-then-traps.md"), "/no/such/file.md"])
        let document = try XMLDocument(xmlString: xml)
        let root = try #require(document.rootElement())
        func attribute(_ element: XMLElement, _ name: String) -> String? { element.attribute(forName: name)?.stringValue }
        // printed-output.md: one passing claim, one refuted (failure), one with a vacuous digits: argument (error).
        // prints-then-traps.md: the trap (error) and the claim before it, reached by one rung only (error).
        // The missing file: one input error.
        #expect(attribute(root, "tests") == "6" && attribute(root, "failures") == "1" && attribute(root, "errors") == "4")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.map { attribute($0, "tests") } == ["3", "2", "1"])
        #expect(suites.map { attribute($0, "failures") } == ["1", "0", "0"])
        #expect(suites.map { attribute($0, "errors") } == ["1", "2", "1"])
        #expect(suites.map { attribute($0, "skipped") } == ["0", "0", "0"])
        for suite in suites {
            let cases = suite.elements(forName: "testcase")
            #expect(attribute(suite, "tests") == String(cases.count))
            #expect(attribute(suite, "failures") == String(cases.filter { !$0.elements(forName: "failure").isEmpty }.count))
            #expect(attribute(suite, "errors") == String(cases.filter { !$0.elements(forName: "error").isEmpty }.count))
        }
        let failure = try #require(suites[0].elements(forName: "testcase").compactMap { $0.elements(forName: "failure").first }.first)
        let body = failure.stringValue ?? ""
        #expect(body.contains("at 576 bits:") && body.contains("at 1152 bits:"))
        #expect(body.contains("lhs         2.0000000000000000000") && body.contains("rhs         3.0000000000000000000"))
        #expect(body.contains("> 12   | claimEqual(\"two is three\""))
        let outputs = suites.flatMap { $0.elements(forName: "testcase") }.flatMap { $0.elements(forName: "system-out") }.map { $0.stringValue ?? "" }
        #expect(outputs.contains("two and three are 2 3\n"))
        #expect(outputs.contains("about to read past the end\n"))
    }

    @Test("the report validates against the Jenkins JUnit schema (xmllint)")
    func validates() throws {
        let xmllint = try #require(findOnPath("xmllint"), "xmllint is needed (apt-get install libxml2-utils; .ci/run installs it)")
        let folder = try temporaryFolder()
        let report = folder.appendingPathComponent("junit.xml")
        // Control characters a block printed, and markup characters in labels, must still make valid XML.
        let odd = folder.appendingPathComponent("odd <&> \"name\".md")
        try "# Odd\n\n```swift\nprint(\"bell \\u{07} escape \\u{1B}[1m <tag> & more\")\nclaimEqual(\"a < b & \\\"c\\\"\", number(1), number(2))\n```\n"
            .write(to: odd, atomically: true, encoding: .utf8)
        try junit([liveFixture("printed-output.md"), liveFixture("prints-then-traps.md"), odd.path, "/no/such/file.md"])
            .write(to: report, atomically: true, encoding: .utf8)
        let outcome = try runProcess(xmllint, ["--noout", "--schema", Paths.fixture("junit/junit-4.xsd"), report.path])
        #expect(outcome.succeeded, "\(outcome.errors)")
        #expect(outcome.errors.contains("validates"))
    }
}
