import ArgumentParser
import Foundation
import Pages
import Verifier

/// `verify`: runs the Swift blocks of Markdown derivations in arbitrary precision and judges every claim.
@main
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Swift blocks of Markdown derivations through MPFR and judge every claim.",
        discussion: """
        Each Markdown file's ```swift blocks run in order in one scope, at --precision bits and again at twice \
        that (the precision ladder). Exit status: 0 when every claim passes, 1 when any does not, 2 for \
        usage or input errors. `verify merge SHARD.json…` merges the --json reports of `--shard I/N` runs \
        (`verify merge --help`); `verify install PREFIX` installs verify to run anywhere (`verify install --help`).
        """)

    @Argument(help: "Markdown files, or folders searched recursively for *.md.")
    var paths: [String] = []

    @Flag(help: "Print the versions of verify, MPFR, GMP and the Swift compiler, and exit.")
    var version = false

    @Flag(help: "Verify the files, then again each one whose text or included files change, until Ctrl-C.")
    var watch = false

    @Flag(help: "List the fenced blocks found (file:line, language, role) and the claim IDs the last run saw, without running anything.")
    var list = false

    @Option(help: ArgumentHelp("Judge only the claims whose ID or label matches (a substring, or a glob with * ? [); the others are reported as filtered.", valueName: "pattern"))
    var filter: String?

    @Option(help: ArgumentHelp("Verify only part I of N of the files (balanced by the last run's timings); merge the shards' --json reports with `verify merge`.", valueName: "I/N"))
    var shard: String?

    @Option(help: "Working precision of the first rung, in bits.")
    var precision = 576

    @Flag(help: "Run one rung only (equalities are then not shown to fall with precision).")
    var noLadder = false

    @Option(help: "Files verified at once (default: the number of cores).")
    var jobs: Int?

    @Option(help: "Seconds a file may run before it is killed.")
    var timeout: Double = 300

    @Flag(help: "Recompile and rerun files even when unchanged.")
    var noCache = false

    @Flag(help: "Print the JSON report (schema in docs/report-schema.md) instead of the human one.")
    var json = false

    @Option(help: "Also write a JUnit XML report to this file.")
    var junit: String?

    @Option(help: "Also write rendered HTML pages and an index into this folder.")
    var render: String?

    @Option(help: "Check that the rendered pages in this folder match their Markdown sources; run nothing else.")
    var checkDocs: String?

    @Flag(help: "Mutation analysis: run every mutant of each file's code and report which ones its claims catch.")
    var mutate = false

    @Option(help: ArgumentHelp("With --mutate: exit 1 when a file's mutation score (percent) is below this.",
                               discussion: "Repeat as PATH=SCORE to give single files their own floor.", valueName: "[PATH=]SCORE"))
    var minScore: [String] = []

    /// The largest first-rung precision accepted (bits): the ladder doubles it, and MPFR and memory must follow.
    static let maximumPrecision = 1 << 24

    func validate() throws {
        if paths.isEmpty && checkDocs == nil && !version { throw ValidationError("name at least one Markdown file or folder") }
        if precision < 64 || precision > Self.maximumPrecision {
            throw ValidationError("--precision must be between 64 and \(Self.maximumPrecision) bits, got \(precision)")
        }
        if let filter, filter.isEmpty { throw ValidationError("--filter needs a pattern: part of a claim ID or label, or a glob such as 'softmax-*'") }
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard must be I/N with 1 ≤ I ≤ N ≤ 1000 (for example 2/3), got \(shard)")
        }
        if watch && (json || junit != nil || render != nil || mutate || list || shard != nil || checkDocs != nil) {
            throw ValidationError("--watch prints results for a person: it takes no --json, --junit, --render, --mutate, --list, --shard or --check-docs")
        }
        if filter != nil && (render != nil || mutate) { throw ValidationError("--filter works with verification reports only (pages and mutation analysis judge every claim)") }
        if shard != nil && (render != nil || mutate) { throw ValidationError("--shard works with verification reports only (not --render or --mutate)") }
        if let jobs, jobs < 1 || jobs > 1024 { throw ValidationError("--jobs must be between 1 and 1024, got \(jobs)") }
        do { _ = try MinimumScores(minScore) } catch { throw ValidationError("\(error)") }
        if !minScore.isEmpty && !mutate { throw ValidationError("--min-score needs --mutate") }
        if !(timeout.isFinite && timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds between 0 and 86400, got \(timeout)")
        }
    }

    /// Parses the command line and runs (`verify merge …` is the merge command); usage errors exit with status 2, as
    /// documented (not the parser's 64).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "merge" { runExitingOnUsageError(Merge.self, Array(arguments.dropFirst())) }
        if arguments.first == "install" { runExitingOnUsageError(Install.self, Array(arguments.dropFirst())) }
        runExitingOnUsageError(Verify.self, arguments)
    }

    func run() throws {
        var request = VerifyRequest(paths: paths)
        request.options.precision = precision
        request.options.ladder = !noLadder
        if let jobs { request.options.jobs = jobs }
        request.options.timeout = timeout
        request.options.useCache = !noCache
        request.listOnly = list
        request.json = json
        request.junitPath = junit
        request.renderDirectory = render
        request.checkDocsDirectory = checkDocs
        request.mutate = mutate
        request.minimumScores = (try? MinimumScores(minScore)) ?? MinimumScores()
        request.pages = PagePublishing()
        request.showVersion = version
        request.watch = watch
        request.options.filter = filter.map(ClaimFilter.init)
        request.shard = shard.flatMap(Shard.init(parsing:))
        let status = perform(request)
        if status != .passed { throw ExitCode(status.rawValue) }
    }
}

/// `verify merge`: one report from the JSON reports of the shards of a run.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify merge",
        abstract: "Merge the --json reports of every shard (verify --shard I/N --json) into the report of the whole run.",
        discussion: "Exit status: 0 when every claim passes, 1 when any does not, 2 when the reports are not the shards of one run.")

    @Argument(help: "The JSON reports of the shards, one per shard.")
    var reports: [String] = []

    @Flag(help: "Print the merged JSON report instead of the human one.")
    var json = false

    @Option(help: "Also write the merged JUnit XML report to this file.")
    var junit: String?

    func validate() throws {
        if reports.isEmpty { throw ValidationError("name the JSON report of every shard") }
    }

    func run() throws {
        let status = performMerge(reports, json: json, junitPath: junit)
        if status != .passed { throw ExitCode(status.rawValue) }
    }
}

/// Parses `arguments` as `Command` and runs it; usage errors exit with status 2.
func runExitingOnUsageError<Command: ParsableCommand>(_ type: Command.Type, _ arguments: [String]) -> Never {
    do {
        var command = try Command.parse(arguments)
        try command.run()
        Foundation.exit(0)
    } catch {
        let status = Command.exitCode(for: error)
        if status == .validationFailure {
            FileHandle.standardError.write(Data((Command.fullMessage(for: error) + "\n").utf8))
            Foundation.exit(VerifyExitStatus.inputError.rawValue)
        }
        Command.exit(withError: error)
    }
}

/// `verify install PREFIX`: this verify, with what derivation programs compile against, into a prefix.
struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify install",
        abstract: "Install this verify into PREFIX (bin/verify, lib/verify) to run on Markdown anywhere, with no clone of its sources.",
        discussion: "Build it first in release mode: `swift run -c release verify install ~/.local`. The prefix may be moved whole.")

    @Argument(help: "The prefix, e.g. ~/.local or /usr/local.")
    var prefix: String

    func run() throws {
        let status = performInstall(prefix: prefix)
        if status != .passed { throw ExitCode(status.rawValue) }
    }
}
