import DerivationKit
import Foundation

/// Everything the `verify` command was asked to do, already parsed.
public struct VerifyRequest: Sendable {
    /// Files and folders to verify.
    public var paths: [String]
    /// How to run.
    public var options = VerificationOptions()
    /// Only list the blocks found; run nothing.
    public var listOnly = false
    /// Print the JSON report instead of the human one.
    public var json = false
    /// Also write JUnit XML here.
    public var junitPath: String? = nil
    /// Also render HTML pages into this folder.
    public var renderDirectory: String? = nil
    /// Check that the pages in this folder match their sources, instead of verifying.
    public var checkDocsDirectory: String? = nil
    /// Run the mutation analysis instead of verifying.
    public var mutate = false
    /// With ``mutate``: fail when a file's score (percent of caught among caught and missed mutants) is below its
    /// floor (`--min-score 80`, or `--min-score derivations/x.md=80` for one file).
    public var minimumScores = MinimumScores()
    /// Writes and checks rendered pages (``renderDirectory``, ``checkDocsDirectory``); the `Pages` module provides one.
    public var pages: (any PagePublisher)? = nil
    /// Print the versions of the tool, MPFR, GMP and the compiler; run nothing else.
    public var showVersion = false
    /// Verify only this part of the files (`--shard I/N`); the JSON report then says which part of which run.
    public var shard: Shard? = nil
    /// Verify again each file (or a file it includes) that changes on disk, until interrupted.
    public var watch = false

    public init(paths: [String]) { self.paths = paths }
}

/// What the driver needs from the rendered pages, which live in a layer above the verifier.
public protocol PagePublisher: Sendable {
    /// Writes the pages of `run` (verified from `sources`) into `folder`, marking the missed mutants of
    /// `mutations`; returns notes for the person running `verify` (for example that a layout tool is missing
    /// and what was drawn instead).
    func write(run: RunReport, sources: [ScannedFile], mutations: [MutationFileReport], to folder: String) throws -> [String]
    /// One line per page of `folder` that no longer matches its source (empty when all match).
    func staleSources(in folder: String) throws -> [String]
}

/// The exit statuses of `verify`.
public enum VerifyExitStatus: Int32, Sendable {
    /// Every claim passed (or the listing / docs check succeeded).
    case passed = 0
    /// Some claim or file did not pass, or the docs are stale.
    case failed = 1
    /// Usage or input error: missing path, unreadable file, unclosed fence.
    case inputError = 2
}

/// Carries out a request, writing the report to standard output and problems to standard error (or to `console`).
public func perform(_ request: VerifyRequest, console: Console = .standard) -> VerifyExitStatus {
    func fail(_ message: String) -> VerifyExitStatus {
        console.writeError("verify: " + message + "\n")
        return .inputError
    }
    if request.showVersion {
        console.write(versionText())
        return .passed
    }
    if request.watch {
        endChildrenOnInterrupt()
        do { return try Watcher(request: request).run(console: console) } catch { return fail("\(error)") }
    }
    if let folder = request.checkDocsDirectory {
        guard let pages = request.pages else { return fail("--check-docs needs the page renderer, which this build lacks") }
        do {
            let stale = try pages.staleSources(in: folder)
            if stale.isEmpty { console.write("docs in \(folder) match their sources\n"); return .passed }
            for line in stale { console.write(line + "\n") }
            return .failed
        } catch {
            return fail("\(error)")
        }
    }
    // A path that names nothing, or a file that cannot be read or scanned, is reported as a failed file; every
    // other file is still verified, and the exit status is 2.
    let (allPaths, allPathErrors) = Verifier.findFiles(request.paths)
    var paths = allPaths, pathErrors = allPathErrors
    let index = try? ClaimIndex(directory: Toolchain.locate().cacheDirectory)
    var request = request
    if let shard = request.shard {
        request.options.keepsIndexTimings = true
        // Paths that name nothing are reported by the first shard alone.
        paths = shard.files(of: allPaths) { index?.entry(for: $0)?.seconds }
        if shard.index > 1 { pathErrors = [] }
    }
    let (scanned, scanErrors) = Verifier.scanAll(paths)
    let inputErrors = pathErrors + scanErrors
    for error in inputErrors { console.writeError("verify: \(error)\n") }
    let finalStatus = { (status: VerifyExitStatus) in inputErrors.isEmpty ? status : .inputError }
    if request.listOnly {
        for file in scanned { console.write(listing(file, index: index)) }
        return finalStatus(.passed)
    }
    let reporter = HumanReporter(sources: scanned, colour: console.colour && !request.json,
                                 width: (scanned.map(\.displayPath) + inputErrors.map(\.file)).map(\.count).max() ?? 0)
    if request.mutate {
        guard !scanned.isEmpty else { return .inputError }
        let unknown = request.minimumScores.perFile.keys.filter { path in !scanned.contains { MinimumScores.samePath($0.displayPath, path) } }
        if !unknown.isEmpty {
            return fail("--min-score names \(unknown.sorted().joined(separator: ", ")), which is not among the files analysed: check the path")
        }
        let run: MutationRunReport
        do {
            run = try withVerifier(request, console: console, reporter: reporter, files: scanned.count, streamsResults: false) { verifier, events in
                verifier.mutate(scanned, events: events)
            }
        } catch { return fail("\(error)") }
        if request.json {
            guard let text = try? prettyJSON(run) else { return fail("could not encode the JSON report") }
            console.write(text + "\n")
        } else {
            console.write(mutationReport(run))
        }
        var status = VerifyExitStatus.passed
        for file in run.files {
            if file.problem != nil || file.refutedEquivalences > 0 { status = .failed }
            if let minimum = request.minimumScores.floor(for: file.file), (file.score ?? 0) < minimum {
                console.writeError("verify: \(file.file): mutation score \(file.score.map { String(format: "%.1f", $0) } ?? "n/a") % is below the required \(minimum) %\n")
                status = .failed
            }
        }
        return finalStatus(status)
    }
    var run: RunReport
    // The human report streams each file's result as it finishes; the JSON report is written whole at the end.
    let streams = !request.json
    if scanned.isEmpty {
        run = RunReport(files: inputErrors.map(Verifier.inputFailure), versions: [:], seconds: 0)
        if streams { for file in run.files { console.write(reporter.fileText(file)) } }
    } else {
        do {
            run = try withVerifier(request, console: console, reporter: reporter, files: scanned.count + inputErrors.count,
                                   streamsResults: streams) { verifier, events in
                verifier.verify(scanned, inputErrors: inputErrors, events: events)
            }
        } catch { return fail("\(error)") }
    }
    if let shard = request.shard { run.shard = ShardInfo(index: shard.index, count: shard.count, files: allPaths) }
    if request.json {
        guard let text = try? jsonReport(run) else { return fail("could not encode the JSON report") }
        console.write(text + "\n")
    } else {
        console.write(reporter.summary(run) + "\n")
    }
    var status = run.passed ? VerifyExitStatus.passed : .failed
    if let filter = request.options.filter, request.shard == nil, run.files.allSatisfy({ $0.problems.isEmpty }),
       run.totals.claims > 0, run.totals.claims == run.totals.claimsFiltered {
        console.writeError("verify: --filter \(filter.pattern) matched no claim ID or label: `verify --list` shows the IDs the last run saw\n")
        status = .failed
    }
    if let path = request.junitPath {
        do { try junitReport(run, sources: scanned).write(toFile: path, atomically: true, encoding: .utf8) } catch {
            return fail("cannot write the JUnit report to \(path): \(error)")
        }
    }
    if let folder = request.renderDirectory, !scanned.isEmpty {
        guard let pages = request.pages else { return fail("--render needs the page renderer, which this build lacks") }
        do {
            // Missed mutants from an earlier `verify --mutate` of the same files, when the cache holds it.
            let mutations = request.options.useCache
                ? ((try? Toolchain.locate()).map { Verifier(toolchain: $0, options: request.options).cachedMutations(scanned) } ?? []) : []
            for note in try pages.write(run: run, sources: scanned, mutations: mutations, to: folder) {
                console.writeError("verify: \(note)\n")
            }
        } catch {
            return fail("cannot render pages into \(folder): \(error)")
        }
    }
    return finalStatus(status)
}

/// The `--list` lines of one file: its blocks, then the claims the last run of it saw, or how to get them.
func listing(_ file: ScannedFile, index: ClaimIndex?) -> String {
    var text = ""
    for block in file.blocks {
        let language = block.language.isEmpty ? "(none)" : block.language
        text += "\(file.displayPath):\(block.fenceLine)  \(language)  \(block.role.summary)\n"
    }
    guard let entry = index?.entry(for: file.displayPath) else {
        return text + "\(file.displayPath): no claims seen yet: verify the file once to list its claim IDs\n"
    }
    let changed = entry.contentHash == SHA256.hex(of: file.text) ? "" : " (the file changed since: IDs may differ)"
    for claim in entry.claims {
        text += "\(file.displayPath):\(claim.line)  claim  \(claim.id)  \(claim.label)  [last run: \(claim.verdict.rawValue)\(changed)]\n"
    }
    return text
}

/// `verify merge`: merges the JSON reports of the shards of one run into the report an unsharded run would give
/// (human summary, or JSON with `json`, and JUnit at `junitPath`).
public func performMerge(_ reports: [String], json: Bool, junitPath: String?, console: Console = .standard) -> VerifyExitStatus {
    func fail(_ message: String) -> VerifyExitStatus {
        console.writeError("verify merge: " + message + "\n")
        return .inputError
    }
    var shards: [(path: String, report: RunReport)] = []
    for path in reports {
        guard let data = FileManager.default.contents(atPath: path) else { return fail("cannot read \(path)") }
        do { shards.append((path, try RecordCoding.decoder().decode(RunReport.self, from: data))) } catch {
            return fail("\(path) is not a verify JSON report (schema version 3, written with --json): \(error)")
        }
    }
    let run: RunReport
    do { run = try ShardMerge.merge(shards) } catch { return fail("\(error)") }
    if json {
        guard let text = try? jsonReport(run) else { return fail("could not encode the JSON report") }
        console.write(text + "\n")
    } else {
        console.write(HumanReporter(sources: [], colour: console.colour).render(run))
    }
    if let junitPath {
        do { try junitReport(run).write(toFile: junitPath, atomically: true, encoding: .utf8) } catch {
            return fail("cannot write the JUnit report to \(junitPath): \(error)")
        }
    }
    if run.files.contains(where: { $0.problems.contains { $0.kind == .input } }) { return .inputError }
    return run.passed ? .passed : .failed
}

/// Runs `body` with a verifier on the located toolchain, showing its events live on `console` (each finished file's
/// result when `streamsResults`, and the progress line), and ending the children `verify` starts if it is
/// interrupted. Throws when the toolchain cannot be found.
func withVerifier<Result>(_ request: VerifyRequest, console: Console, reporter: HumanReporter, files: Int, streamsResults: Bool,
                          _ body: (Verifier, @escaping VerificationEvents) -> Result) throws -> Result {
    let toolchain = try Toolchain.locate()
    endChildrenOnInterrupt()
    var live = console
    live.progressLine = console.progressLine && !request.json
    let report = LiveReport(console: live, reporter: reporter, total: files, streamsResults: streamsResults)
    defer { report.clear() }
    return body(Verifier(toolchain: toolchain, options: request.options)) { event in report.handle(event) }
}

/// `verify install PREFIX`: copies the running `verify` with the modules, objects and MPFR shim that derivation
/// programs compile against into `prefix` (see ``InstalledLayout``).
public func performInstall(prefix: String, console: Console = .standard) -> VerifyExitStatus {
    do {
        let target = URL(fileURLWithPath: prefix).standardizedFileURL
        let written = try InstalledLayout.install(into: target, toolchain: try Toolchain.locate(), executable: Toolchain.runningExecutable)
        console.write("installed \(written.joined(separator: " and ")); put \(target.appendingPathComponent("bin").path) on PATH and run `verify FILE.md` anywhere\n")
        return .passed
    } catch {
        console.writeError("verify install: \(error)\n")
        return .inputError
    }
}

/// The mutation score each file must reach (`--min-score`): one floor for every file, and floors for single files.
public struct MinimumScores: Sendable, Equatable {
    /// The floor of every file not named on its own.
    public var everyFile: Double? = nil
    /// Floors by file, as named on the command line.
    public var perFile: [String: Double] = [:]

    public init() {}

    /// Reads `--min-score` values: `80` for every file, `PATH=80` for one file.
    public init(_ values: [String]) throws {
        for value in values {
            let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
            guard let score = Double(parts.last ?? ""), score >= 0, score <= 100 else {
                throw MinimumScoreError(value: value)
            }
            if parts.count == 2 { perFile[parts[0]] = score } else { everyFile = score }
        }
    }

    /// The floor for the file `path`.
    public func floor(for path: String) -> Double? {
        perFile.first { Self.samePath($0.key, path) }?.value ?? everyFile
    }

    /// Whether two spellings name the same file (`./a.md` and `a.md`).
    static func samePath(_ a: String, _ b: String) -> Bool {
        URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }
}

/// A `--min-score` value that is neither a percentage nor `PATH=percentage`.
public struct MinimumScoreError: Error, CustomStringConvertible, Sendable {
    public var value: String
    public var description: String {
        "--min-score takes a percentage between 0 and 100, or PATH=percentage for one file; got '\(value)'"
    }
}
