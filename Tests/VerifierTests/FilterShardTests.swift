import DerivationKit
import Foundation
import Testing
@testable import Verifier

/// The JSON report of `verify` on `request`, decoded, with what it wrote on standard error.
func jsonRun(_ request: VerifyRequest) throws -> (status: VerifyExitStatus, run: RunReport, errors: String) {
    var request = request
    request.json = true
    let captured = CapturedConsole()
    let status = perform(request, console: captured.console())
    let errors = captured.writes.withLock { $0.filter(\.isError).map(\.text).joined() }
    return (status, try RecordCoding.decoder().decode(RunReport.self, from: Data(captured.output.utf8)), errors)
}

@Suite("--filter and --list")
struct FilterTests {
    @Test("a substring matches IDs and labels in any case; a glob matches a whole ID or label")
    func matching() {
        let filter = ClaimFilter("Two")
        #expect(filter.matches(id: "two-is-three", label: "x"))
        #expect(filter.matches(id: "x", label: "between two and three"))
        #expect(!filter.matches(id: "one", label: "one is one"))
        let glob = ClaimFilter("two-*")
        #expect(glob.matches(id: "two-is-three", label: "x"))
        #expect(!glob.matches(id: "the-two-is-three", label: "x"))
        #expect(ClaimFilter("*three").matches(id: "x", label: "two is THREE"))
        #expect(ClaimFilter("one-is-on?").matches(id: "one-is-one", label: ""))
    }

    @Test("the file still runs; claims left out are filtered, never passed, and JUnit skips them")
    func filtered() throws {
        var request = VerifyRequest(paths: [liveFixture("printed-output.md")])
        request.options.useCache = false
        request.options.filter = ClaimFilter("two")
        let (status, run, _) = try jsonRun(request)
        #expect(status == .failed)
        let verdicts = run.files[0].claims.map { "\($0.id) \($0.verdict.rawValue) \($0.passed)" }
        #expect(verdicts == ["one-is-one filtered false", "two-is-three refuted false",
                             "asks-for-more-digits-than-the-precision-holds filtered false"])
        #expect(run.totals.claims == 3 && run.totals.claimsPassed == 0 && run.totals.claimsFiltered == 2 && run.totals.claimsFailed == 1)
        #expect(run.files[0].claims.filter { $0.verdict == .filtered }.allSatisfy { $0.records.isEmpty && $0.digits == nil })

        request.options.filter = ClaimFilter("one is one")
        let (passing, only, _) = try jsonRun(request)
        #expect(passing == .passed)
        #expect(only.files[0].passed && only.totals.claimsPassed == 1 && only.totals.claimsFiltered == 2)
        let xml = junitReport(only)
        #expect(xml.contains("tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"2\""))
        #expect(xml.components(separatedBy: "<skipped/>").count == 3)
    }

    @Test("a pattern that matches no claim fails the run and says how to see the IDs")
    func matchesNothing() throws {
        var request = VerifyRequest(paths: [liveFixture("printed-output.md")])
        request.options.filter = ClaimFilter("no-such-claim")
        let (status, run, errors) = try jsonRun(request)
        #expect(status == .failed)
        #expect(run.totals.claimsFiltered == 3)
        #expect(errors.contains("--filter no-such-claim matched no claim ID or label: `verify --list` shows the IDs"))
    }

    @Test("--list shows the claim IDs the last run saw, and says when the file changed since")
    func listsClaims() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("two-claims.md")
        try "# Two claims\n\n```swift\nclaimEqual(\"first\", number(1), number(1), id: \"alpha\")\nclaimEqual(\"second claim\", number(2), number(2))\n```\n"
            .write(to: file, atomically: true, encoding: .utf8)
        var listing = VerifyRequest(paths: [file.path])
        listing.listOnly = true
        let before = CapturedConsole()
        #expect(perform(listing, console: before.console()) == .passed)
        #expect(before.output.contains("\(file.path): no claims seen yet: verify the file once to list its claim IDs"))

        var run = VerifyRequest(paths: [file.path])
        run.options.useCache = true  // the claim index lives in the cache folder
        #expect(perform(run, console: CapturedConsole().console()) == .passed)
        let after = CapturedConsole()
        _ = perform(listing, console: after.console())
        #expect(after.output.contains("\(file.path):4  claim  alpha  first  [last run: agrees]\n"))
        #expect(after.output.contains("\(file.path):5  claim  second-claim  second claim  [last run: agrees]\n"))

        try "# Two claims, edited\n\n```swift\nclaimEqual(\"first\", number(1), number(1), id: \"alpha\")\n```\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let edited = CapturedConsole()
        _ = perform(listing, console: edited.console())
        #expect(edited.output.contains("alpha  first  [last run: agrees (the file changed since: IDs may differ)]"))
    }
}

@Suite("--shard and verify merge")
struct ShardTests {
    @Test("I/N is parsed strictly")
    func parsing() {
        #expect(Shard(parsing: "2/3") == Shard(index: 2, count: 3))
        for bad in ["0/3", "4/3", "3", "1/0", "a/b", "1/2/3", "-1/2", "1/1001", ""] { #expect(Shard(parsing: bad) == nil, "\(bad)") }
    }

    @Test("shards cover every file once; with no timings they alternate, with timings the longest file is balanced alone")
    func partition() {
        let paths = (1...11).map { "f\($0).md" }
        for count in 1...5 {
            let parts = (1...count).map { Shard(index: $0, count: count).files(of: paths) { _ in nil } }
            #expect(parts.flatMap { $0 }.sorted() == paths.sorted())
            #expect(Set(parts.flatMap { $0 }).count == paths.count)
        }
        #expect(Shard(index: 1, count: 2).files(of: paths) { _ in nil } == ["f1.md", "f3.md", "f5.md", "f7.md", "f9.md", "f11.md"])
        // f1 takes 10 s and every other file 1 s: 10 s against 10 × 1 s is the balanced split.
        let timings = { (path: String) -> Double? in path == "f1.md" ? 10 : 1 }
        #expect(Shard(index: 1, count: 2).files(of: paths, timings: timings) == ["f1.md"])
        #expect(Shard(index: 2, count: 2).files(of: paths, timings: timings) == Array(paths.dropFirst()))
        // Unknown times count as the mean of the known ones: f2 and f3 weigh (10 + 1) / 2 = 5.5 s, so f1 (10 s) goes to
        // shard 1, f2 and f3 to shard 2 (11 s), and f4 (1 s) joins the lighter shard 1.
        let partial = { (path: String) -> Double? in ["f1.md": 10, "f4.md": 1][path] ?? nil }
        let four = Array(paths.prefix(4))
        #expect(Shard(index: 1, count: 2).files(of: four, timings: partial) == ["f1.md", "f4.md"])
        #expect(Shard(index: 2, count: 2).files(of: four, timings: partial) == ["f2.md", "f3.md"])
    }

    /// What must be identical between a merged and a whole run: every file and claim outcome and the totals.
    func outcome(_ run: RunReport) -> [String] {
        run.files.map { file in
            "\(file.file) \(file.passed) \(file.problems.map { "\($0.kind):\($0.line ?? 0):\($0.message)" })"
                + file.claims.map { " \($0.id)=\($0.verdict.rawValue)/\($0.digits.map { String(Int($0)) } ?? "-")" }.joined()
        } + ["\(run.totals.files) \(run.totals.filesPassed) \(run.totals.claims) \(run.totals.claimsPassed) \(run.totals.byVerdict.sorted { $0.key < $1.key })"]
    }

    /// `xml` without its times.
    func timeless(_ xml: String) -> String {
        xml.replacingOccurrences(of: #"time="[0-9.]+""#, with: "", options: .regularExpression)
    }

    // Serialized: each case's whole run records the timings its shards balance by, and must not do so while the
    // other case's shards run.
    @Test("derivations/ in 2 and in 3 shards merge into the report of the whole run", .serialized, arguments: [2, 3])
    func mergeEqualsWhole(count: Int) throws {
        let paths = [Paths.packageRoot.appendingPathComponent("derivations").path, "/no/such/derivation.md"]
        let whole = try jsonRun(VerifyRequest(paths: paths))
        var shards: [(path: String, report: RunReport)] = []
        for index in 1...count {
            var request = VerifyRequest(paths: paths)
            request.shard = Shard(index: index, count: count)
            let shard = try jsonRun(request)
            #expect(shard.run.shard?.index == index && shard.run.shard?.count == count)
            shards.append(("shard-\(index).json", shard.run))
        }
        #expect(shards.map { $0.report.files.count }.reduce(0, +) == 5)
        let merged = try ShardMerge.merge(shards.reversed())
        #expect(outcome(merged) == outcome(whole.run))
        #expect(merged.files.map(\.file) == whole.run.files.map(\.file))
        #expect(timeless(junitReport(merged)) == timeless(junitReport(whole.run)))
        #expect(merged.totals.claims > 500)
    }

    @Test("merging refuses a missing shard, a repeated shard, a report of another run and an unsharded report")
    func mergeRefuses() throws {
        func shard(_ index: Int, _ count: Int, files: [String] = ["a.md", "b.md"]) -> (String, RunReport) {
            var run = RunReport(files: [], versions: [:], seconds: 0)
            run.shard = ShardInfo(index: index, count: count, files: files)
            return ("s\(index).json", run)
        }
        func message(_ shards: [(String, RunReport)]) -> String {
            do { _ = try ShardMerge.merge(shards.map { (path: $0.0, report: $0.1) }); return "" } catch { return "\(error)" }
        }
        #expect(message([shard(1, 2)]).contains("shard 2/2 missing"))
        #expect(message([shard(1, 2), shard(1, 2), shard(2, 2)]).contains("shard 1/2 given twice"))
        #expect(message([shard(1, 2), shard(2, 2, files: ["a.md"])]).contains("is a shard of another run"))
        #expect(message([("whole.json", RunReport(files: [], versions: [:], seconds: 0))]).contains("is not a shard report"))
        #expect(message([shard(1, 2), shard(2, 2)]).contains("no shard verified a.md, b.md"))
    }
}
