import ArgumentParser
import Foundation
import Verifier

/// `verify`: runs the Swift blocks of Markdown derivations in arbitrary precision and judges every claim.
@main
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Swift blocks of Markdown derivations through MPFR and judge every claim.",
        discussion: """
        Each Markdown file's ```swift blocks run in order in one scope, at --precision bits and again at twice \
        that (the precision ladder). Exit status: 0 when every claim passes, 1 when any does not, 2 for \
        usage or input errors.
        """)

    @Argument(help: "Markdown files, or folders searched recursively for *.md.")
    var paths: [String] = []

    @Flag(help: "List the fenced blocks found (file:line, language, role) without running anything.")
    var list = false

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

    func validate() throws {
        if paths.isEmpty && checkDocs == nil { throw ValidationError("name at least one Markdown file or folder") }
        if precision < 64 { throw ValidationError("--precision must be at least 64 bits") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if timeout <= 0 { throw ValidationError("--timeout must be positive") }
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
        let status = perform(request)
        if status != .passed { throw ExitCode(status.rawValue) }
    }
}
