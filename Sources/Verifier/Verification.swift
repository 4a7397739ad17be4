import DerivationKit
import Foundation
import Foundation
import Synchronization

/// How a run of the verifier is configured.
public struct VerificationOptions: Sendable, Equatable, Codable {
    /// The working precision of the first rung, in bits.
    public var precision: Int = 576
    /// Whether to run a second rung at twice the precision (the precision ladder).
    public var ladder: Bool = true
    /// How many files run at once.
    public var jobs: Int = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Seconds a file may run (both rungs together) before it is killed.
    public var timeout: Double = 300
    /// Whether unchanged files reuse their cached reports.
    public var useCache: Bool = true
    /// Seconds one mutant may run (`--mutate`); nil: five times the file's verification, at least 10 s, at most
    /// ``timeout``.
    public var mutantTimeout: Double? = nil
    /// Which claims are judged (`--filter`); nil: all. Applied after the cache, which keeps whole reports.
    public var filter: ClaimFilter? = nil
    /// Whether the claim index keeps the times it already has (a sharded run: every shard must balance by the
    /// same times, so the shards run first must not change them for those run later).
    public var keepsIndexTimings = false
    /// Whether mutants fork from the unmutated run at their first evaluation (`--mutate`; the default), or each
    /// runs in a process of its own from the start (slower; the same outcomes).
    public var forkMutants: Bool = true
    /// Whether mutants that the code's types rule out are left out of the mutant schema before it is compiled
    /// (`--mutate`; the default), or found by compiling it (slower; the same outcomes).
    public var ruleOutByTypes: Bool = true

    public init() {}

    /// The precisions of the rungs.
    public var precisions: [Int] { ladder ? [precision, 2 * precision] : [precision] }
}

/// A Markdown file read and scanned, ready to verify.
public struct ScannedFile: Sendable {
    /// The path as named (relative paths stay relative, so messages read `derivations/x.md:12`).
    public var displayPath: String
    /// The text.
    public var text: String
    /// Its fenced blocks.
    public var blocks: [CodeBlock]

    /// The file's lines, 1-based access by `line(n)`.
    public var lines: [Substring] { markdownLines(text) }

    /// The files its blocks include, each once, in the order first included.
    public var includedFiles: [IncludedFile] {
        var seen = Set<String>()
        return blocks.flatMap { block in block.lines.compactMap { IncludedFile.directivePath(in: $0).flatMap { block.includes[$0] } } }
            .filter { seen.insert($0.displayPath).inserted }
    }
}

/// Finds, scans, compiles and runs derivations, and judges their claims.
public struct Verifier: Sendable {
    public var toolchain: Toolchain
    public var options: VerificationOptions

    public init(toolchain: Toolchain, options: VerificationOptions) {
        self.toolchain = toolchain
        self.options = options
    }

    // MARK: Input

    /// The Markdown files named by `paths`: files as given, folders searched recursively for `*.md`
    /// (sorted). Throws every problem at once (missing or unreadable paths, folders with no Markdown).
    public static func collectFiles(_ paths: [String]) throws -> [String] {
        let (files, problems) = findFiles(paths)
        if !problems.isEmpty { throw InputErrors(problems) }
        return files
    }

    /// The Markdown files named by `paths` and, apart, the paths that name none (missing, or a folder with no
    /// `*.md`), so that one bad path never stops the others. A file named twice is verified once.
    public static func findFiles(_ paths: [String]) -> (files: [String], problems: [InputError]) {
        var files: [String] = []
        var problems: [InputError] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                problems.append(InputError(file: path, message: "no such file or folder"))
                continue
            }
            if isFolder.boolValue {
                let base = path.hasSuffix("/") ? String(path.dropLast()) : path
                let found = (FileManager.default.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.hasSuffix(".md") }.sorted().map { "\(base)/\($0)" }
                if found.isEmpty { problems.append(InputError(file: path, message: "the folder holds no .md files")) }
                files += found
            } else {
                files.append(path)
            }
        }
        var seen = Set<String>()
        files = files.filter { seen.insert(URL(fileURLWithPath: $0).resolvingSymlinksInPath().standardizedFileURL.path).inserted }
        return (files, problems)
    }

    /// The report of a file that could not be read or scanned: failed, with its input error as the problem.
    public static func inputFailure(_ error: InputError) -> FileReport {
        FileReport(file: error.file, contentHash: "", passed: false, claims: [],
                   problems: [FileProblem(kind: .input, line: error.line, message: error.message)],
                   precisions: [], minimumDigits: nil, seconds: 0, cached: false, blockCounts: [:])
    }

    /// Reads and scans one file. Throws ``InputError`` when it cannot be read or has a bad fence.
    public static func scan(_ path: String) throws -> ScannedFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "the file is not UTF-8 text")
        }
        let blocks = try IncludedFile.resolve(try FenceScanner(file: path).blocks(in: text), markdownPath: path)
        return ScannedFile(displayPath: path, text: text, blocks: blocks)
    }

    /// Scans every file: the files that scanned, and the input errors of those that did not.
    public static func scanAll(_ paths: [String]) -> (files: [ScannedFile], errors: [InputError]) {
        var scanned: [ScannedFile] = []
        var problems: [InputError] = []
        for path in paths {
            do { scanned.append(try scan(path)) } catch let error as InputError {
                problems.append(error)
            } catch {
                problems.append(InputError(file: path, message: "\(error)"))
            }
        }
        return (scanned, problems)
    }

    // MARK: Running

    /// Verifies `files`, at most ``VerificationOptions/jobs`` jobs at once; `events` hears each file start, each rung
    /// and claim, and each file end (files that could not be read end last).
    ///
    /// A job is either a file's preparation (cache look-up and compilation) or one rung of a compiled file: the rungs
    /// of a file are independent runs of its program and run side by side. Rungs go ahead of files not yet started,
    /// so files finish in turn. A rung after one with problems is still run, but its result is dropped (and not
    /// announced), as when the rungs run one after the other.
    public func verify(_ files: [ScannedFile], inputErrors: [InputError] = [],
                       events: @escaping VerificationEvents = { _ in }) -> RunReport {
        let start = Date()
        let results = Mutex<[Int: FileReport]>([:])
        let queue = JobQueue()
        for index in files.indices {
            queue.add {
                let file = files[index]
                events(.fileStarted(file: file.displayPath))
                switch prepare(file) {
                case .done(let report):
                    results.withLock { $0[index] = announce(report, of: file, events: events) }
                case .ready(let prepared):
                    let rungs = Mutex<[Int: RungRun]>([:])
                    let precisions = options.precisions
                    queue.add(first: precisions.indices.map { position in {
                        let run = runRung(prepared, precision: precisions[position])
                        let all = rungs.withLock { done -> [RungRun]? in
                            done[position] = run
                            return done.count == precisions.count ? precisions.indices.compactMap { done[$0] } : nil
                        }
                        guard let all else { return }
                        let report = finish(prepared, rungs: all, events: events)
                        results.withLock { $0[index] = announce(report, of: file, events: events) }
                    } })
                }
            }
        }
        queue.run(workers: max(1, options.jobs))
        let failures = inputErrors.map(Verifier.inputFailure)
        for failure in failures { events(.fileFinished(file: failure.file, report: failure)) }
        let reports = results.withLock { dictionary in (0..<files.count).compactMap { dictionary[$0] } } + failures
        return RunReport(files: reports, versions: versions, seconds: Date().timeIntervalSince(start))
    }

    /// The library and toolchain versions stated in reports.
    public var versions: [String: String] {
        ["mpfr": mpfrVersion, "gmp": gmpVersion, "swiftc": toolchain.compilerVersion.split(separator: "\n").first.map(String.init) ?? "",
         "library": String(toolchain.libraryFingerprint.prefix(12))]
    }

    /// Verifies one file: cache, compile, run every rung, judge; `events` hears it start, each rung and claim, and
    /// its end.
    public func verify(_ file: ScannedFile, events: VerificationEvents = { _ in }) -> FileReport {
        events(.fileStarted(file: file.displayPath))
        return announce(verifyUnannounced(file, events: events), of: file, events: events)
    }

    /// Records a file's report in the claim index, applies the claim filter, and announces its claims and its end.
    func announce(_ report: FileReport, of file: ScannedFile, events: VerificationEvents) -> FileReport {
        var report = report
        if options.useCache {  // --no-cache writes nothing into the cache folder, the claim index included
            ClaimIndex(directory: toolchain.cacheDirectory).record(report, path: file.displayPath, keepingTimings: options.keepsIndexTimings)
        }
        if let filter = options.filter { report = filter.apply(to: report) }
        for claim in report.claims { events(.claimJudged(claim)) }
        events(.fileFinished(file: file.displayPath, report: report))
        return report
    }

    /// ``verify(_:events:)`` without the start, claim and end events: the rungs run one after the other, stopping at
    /// the first with problems.
    func verifyUnannounced(_ file: ScannedFile, events: VerificationEvents) -> FileReport {
        switch prepare(file) {
        case .done(let report): return report
        case .ready(let prepared):
            var rungs: [RungRun] = []
            for precision in options.precisions {
                rungs.append(runRung(prepared, precision: precision))
                if !rungs[rungs.count - 1].problems.isEmpty { break }
            }
            return finish(prepared, rungs: rungs, events: events)
        }
    }

    /// A file compiled and ready to run its rungs.
    struct PreparedFile: Sendable {
        var file: ScannedFile
        /// The report so far (file, hash, block counts, compile time).
        var report: FileReport
        var executable: URL
        var expected: ExpectedProgram
        var cacheFile: URL
        /// When the file's verification started (its time limit counts from here).
        var start: Date
    }

    /// What preparing a file gave: its final report (cached, or a problem before running), or a compiled program.
    enum Preparation: Sendable {
        case done(FileReport)
        case ready(PreparedFile)
    }

    /// Looks the file up in the cache and compiles its program.
    func prepare(_ file: ScannedFile) -> Preparation {
        let start = Date()
        let contentHash = SHA256.hex(of: file.text)
        var blockCounts: [String: Int] = [:]
        for block in file.blocks where block.role != .ignored {
            let name: String
            switch block.role {
            case .run: name = "run"
            case .setup: name = "setup"
            default: name = "no-run"
            }
            blockCounts[name, default: 0] += 1
        }
        var report = FileReport(file: file.displayPath, contentHash: contentHash, passed: false, claims: [], problems: [],
                                precisions: options.precisions, minimumDigits: nil, seconds: 0, cached: false,
                                blockCounts: blockCounts)
        guard file.blocks.contains(where: { $0.role.runs }) else {
            report.problems.append(FileProblem(kind: .noClaims, line: nil, message: "the file has no runnable ```swift blocks: nothing is checked"))
            return .done(report)
        }
        // Only reports of files that passed the checks below are cached, so a cached report comes first.
        let cacheFile = cacheFile("reports", for: file, contentHash: contentHash)
        if var cached = cached(FileReport.self, at: cacheFile) {
            cached.cached = true
            return .done(cached)
        }
        let generator = ProgramGenerator(displayPath: file.displayPath)
        let reserved = generator.reservedNameDeclarations(in: file.blocks)
        guard reserved.isEmpty else {
            report.problems = reserved.map { found in
                FileProblem(kind: .compile, line: found.line, file: found.file,
                            message: "a block declares or rebinds `\(found.name)`, a name of the claim vocabulary: rename it and only call `\(found.name)(…)` (a block's own version would decide its own verdict)")
            }
            return .done(report)
        }

        let source = generator.source(for: file.blocks)
        let compileStart = Date()
        let compiled = compile(source, file: file)
        report.compileSeconds = Date().timeIntervalSince(compileStart)
        switch compiled {
        case .success(let executable):
            let expected = ExpectedProgram(blocks: file.blocks.filter(\.role.runs), seal: generator.seal(for: file.blocks))
            return .ready(PreparedFile(file: file, report: report, executable: executable, expected: expected,
                                       cacheFile: cacheFile, start: start))
        case .failure(let problems, _):
            report.problems = problems
            report.seconds = Date().timeIntervalSince(start)
            return .done(report)
        }
    }

    /// Runs one rung of a prepared file, with what remains of the file's time limit.
    func runRung(_ prepared: PreparedFile, precision: Int) -> RungRun {
        let remaining = options.timeout - Date().timeIntervalSince(prepared.start)
        return runProgram(prepared.executable, precision: precision, timeout: max(1, remaining), file: prepared.file,
                          expected: prepared.expected)
    }

    /// What a run that made no claim is told (a normal run, and a mutant's).
    static let noClaimsMessage = "the blocks ran but made no claims"

    /// Judges the rungs of a prepared file (in ladder order; those after the first with problems are dropped),
    /// announces each kept rung, and caches the report unless a rung timed out.
    func finish(_ prepared: PreparedFile, rungs all: [RungRun], events: VerificationEvents) -> FileReport {
        var report = prepared.report
        let kept = all.firstIndex { !$0.problems.isEmpty }.map { Array(all[...$0]) } ?? all
        for rung in kept {
            report.rungSeconds.append(rung.seconds)
            events(.rungFinished(file: prepared.file.displayPath, precision: rung.precision, seconds: rung.seconds))
        }
        report.problems += kept.flatMap(\.problems)
        report.output = kept.first?.output ?? []
        report.claims = judge(kept)
        if report.claims.isEmpty && report.problems.isEmpty {
            report.problems.append(FileProblem(kind: .noClaims, line: nil, message: "\(Self.noClaimsMessage): nothing is checked"))
        }
        report.minimumDigits = report.claims.filter { $0.kind == .equality && $0.passed }.compactMap(\.digits).min()
        report.passed = report.problems.isEmpty && !report.claims.isEmpty && report.claims.allSatisfy(\.passed)
        report.seconds = Date().timeIntervalSince(prepared.start)
        if !report.problems.contains(where: { $0.kind == .timeout }) { store(report, at: prepared.cacheFile) }
        return report
    }

    // MARK: Cache

    /// The cache file in `folder` ("reports", "mutations") for `file` as it is now, under this library, verifier,
    /// compiler and options.
    /// `contentHash` is the SHA-256 of the file's text, when already computed.
    func cacheFile(_ folder: String, for file: ScannedFile, contentHash: String? = nil, settings: [String] = []) -> URL {
        let text = contentHash ?? SHA256.hex(of: file.text)
        let key = SHA256.hex(of: ([folder, file.displayPath, text, toolchain.libraryFingerprint, toolchain.verifierFingerprint,
                                   toolchain.compilerVersion, String(options.precision), String(options.ladder)] + settings
                                  + file.includedFiles.flatMap { [$0.displayPath, $0.text] }).joined(separator: "\u{0}"))
        return toolchain.cacheDirectory.appendingPathComponent("\(folder)/\(key).json")
    }

    /// The value cached at `url`, when the cache is on and holds one.
    func cached<T: Decodable>(_ type: T.Type, at url: URL) -> T? {
        guard options.useCache, let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? RecordCoding.decoder().decode(type, from: data)
    }

    /// Stores `value` at `url` when the cache is on (atomically: concurrent verifiers may share the cache).
    func store<T: Encodable>(_ value: T, at url: URL) {
        guard options.useCache, let data = try? RecordCoding.encoder().encode(value) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? data.write(to: url, options: .atomic)
    }

    /// Pairs the records of the rungs and judges each claim: exactly one verdict per claim call.
    ///
    /// A record's key is its call site (file, line, column) and its occurrence there (the k-th call from that
    /// site), which cannot collide. A claim that some rung did not make (the rung stopped early, or made it fewer
    /// times), claims made in a different order, of a different kind, or a record whose precision is not its
    /// rung's are errors at the claim's line. Claims come in the first rung's order; claims made only by a later
    /// rung follow.
    func judge(_ rungs: [RungRun]) -> [ClaimResult] {
        struct Key: Hashable { var file: String; var line: Int; var column: Int; var occurrence: Int }
        func keys(_ rung: RungRun) -> [Key] {
            var seen: [Key: Int] = [:]
            return rung.claims.map { record in
                let site = Key(file: record.file, line: record.line, column: record.column, occurrence: 0)
                let occurrence = seen[site, default: 0]
                seen[site] = occurrence + 1
                return Key(file: record.file, line: record.line, column: record.column, occurrence: occurrence)
            }
        }
        let keyed = rungs.map { rung in Dictionary(zip(keys(rung), rung.claims.indices), uniquingKeysWith: { a, _ in a }) }
        var order: [Key] = []
        var listed = Set<Key>()
        for rung in rungs { for key in keys(rung) where listed.insert(key).inserted { order.append(key) } }
        // Keys made by every rung must come in the same order on each.
        let madeByAll = { (key: Key) in keyed.allSatisfy { $0[key] != nil } }
        var misordered = Set<Key>()
        for rung in rungs.dropFirst() {
            for (a, b) in zip(keys(rungs[0]).filter(madeByAll), keys(rung).filter(madeByAll)) where a != b {
                misordered.insert(a)
                misordered.insert(b)
            }
        }
        let stopped = rungs.contains { !$0.problems.isEmpty } || rungs.count < options.precisions.count
        var results: [ClaimResult] = []
        for key in order {
            let present = zip(rungs, keyed).compactMap { rung, index in index[key].map { rung.claims[$0] } }
            let first = present[0]
            func error(_ detail: String) -> ClaimResult {
                var result = VerdictRules.judge(present, ladder: false)
                result.verdict = .error
                result.passed = false
                result.detail = detail
                return result
            }
            let reached = zip(rungs, keyed).filter { $0.1[key] != nil }.map { "\($0.0.precision)-bit" }.joined(separator: " and ")
            let counts = rungs.map { "\($0.claims.count) at \($0.precision) bits" }.joined(separator: ", ")
            var result: ClaimResult
            if present.count < rungs.count || (options.ladder && rungs.count < 2) {
                result = stopped
                    ? error("only the \(reached) run reached this claim: the file did not finish every rung")
                    : error("only the \(reached) run made this claim (claims made: \(counts)): make the same claims at every precision")
            } else if misordered.contains(key) {
                result = error("the rungs made their claims in different orders around this one: make the same claims, in the same order, at every precision")
            } else if let other = present.first(where: { $0.kind != first.kind }) {
                result = error("a \(first.kind.rawValue) claim at \(first.precision) bits but a \(other.kind.rawValue) claim at \(other.precision) bits")
            } else if let (record, rung) = zip(present, rungs).first(where: { $0.0.precision != $0.1.precision }) {
                result = error("the record says \(record.precision) bits but its run was at \(rung.precision) bits: the working precision was changed inside the program")
            } else {
                result = VerdictRules.judge(present, ladder: options.ladder)
            }
            if !result.passed, let rung = rungs.first, let position = keyed[0][key], !rung.claimOutputs[position].isEmpty {
                result.output = rung.claimOutputs[position]
            }
            results.append(result)
        }
        assignIDs(&results)
        return results
    }

    /// Gives every claim a unique ID: the author's `id:` where it is unique, otherwise the label's slug, with
    /// `-2`, `-3`… appended while the name is taken.
    func assignIDs(_ results: inout [ClaimResult]) {
        var taken = Set<String>()
        var keeps = [Bool](repeating: false, count: results.count)
        for (index, result) in results.enumerated() {
            if let given = result.records.first?.id, !taken.contains(given) {
                taken.insert(given)
                keeps[index] = true
                results[index].id = given
            }
        }
        for index in results.indices where !keeps[index] {
            let proposed = results[index].records.first?.id ?? slug(results[index].label)
            var candidate = proposed
            var suffix = 2
            while taken.contains(candidate) {
                candidate = "\(proposed)-\(suffix)"
                suffix += 1
            }
            taken.insert(candidate)
            results[index].id = candidate
        }
    }

    // MARK: Compiling

    enum CompileOutcome {
        case success(URL)
        /// The problems, and where the compiler placed each error (for the mutant schema, which needs columns).
        case failure([FileProblem], locations: [CompilerDiagnostics.ErrorLocation] = [])

        /// A compiler run that failed: its errors as the file's problems, and where the compiler placed each.
        static func failed(_ outcome: ProcessOutcome, file: ScannedFile) -> CompileOutcome {
            let diagnostics = CompilerDiagnostics(file)
            return .failure(diagnostics.problems(outcome), locations: diagnostics.errorLocations(outcome.errors + outcome.output))
        }

        /// The compiler could not be started (or its scratch files written).
        static func notRun(_ error: Error) -> CompileOutcome {
            .failure([FileProblem(kind: .compile, line: nil, message: "could not run the compiler: \(error)")])
        }
    }

    /// Compiles the program, reusing a cached executable for identical source, library, compiler and `arguments`
    /// (extra compiler arguments).
    func compile(_ source: String, file: ScannedFile, arguments: [String] = [], timeout: Double? = nil) -> CompileOutcome {
        let key = SHA256.hex(of: ([source, toolchain.libraryFingerprint, toolchain.compilerVersion] + arguments).joined(separator: "\u{0}"))
        let folder = toolchain.cacheDirectory.appendingPathComponent("programs/\(key)")
        let executable = folder.appendingPathComponent("derivation")
        if options.useCache && FileManager.default.isExecutableFile(atPath: executable.path) { return .success(executable) }
        do {
            let work = folder.appendingPathComponent("build-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let sourceURL = work.appendingPathComponent("main.swift"), output = work.appendingPathComponent("derivation")
            try source.write(to: sourceURL, atomically: true, encoding: .utf8)
            // LLVM-style diagnostics carry fix-its as text, which the reports keep.
            let outcome = try runProcess(toolchain.swiftc, toolchain.compileArguments(source: sourceURL, executable: output)
                                            + ["-diagnostic-style", "llvm"] + arguments, timeout: timeout ?? options.timeout)
            guard outcome.succeeded else { return .failed(outcome, file: file) }
            // rename(2) replaces the destination atomically: a concurrent verifier placing the same program, or
            // starting it, never sees the path missing.
            guard rename(output.path, executable.path) == 0 else {
                return .failure([FileProblem(kind: .compile, line: nil, message: "could not place the compiled program in \(folder.path): \(String(cString: strerror(errno)))")])
            }
            return .success(executable)
        } catch {
            return .notRun(error)
        }
    }

    /// Type-checks the program without building it: nil when it type-checks, else its problems and where the compiler
    /// placed each error, as ``compile(_:file:arguments:timeout:)`` reports them.
    func typeCheckFailure(_ source: String, file: ScannedFile, arguments: [String] = [], timeout: Double? = nil) -> CompileOutcome? {
        do {
            let outcome = try runTypeChecker(source, arguments: ["-typecheck"] + arguments, timeout: timeout ?? options.timeout)
            guard outcome.succeeded else { return .failed(outcome, file: file) }
            return nil
        } catch {
            return .notRun(error)
        }
    }

    /// Type-checks `source` (a program of this file) without building it, with extra compiler `arguments`
    /// (`-dump-ast`, `-typecheck`): whether it succeeded, the compiler's errors and its output. Nil when the compiler
    /// could not run.
    func typeCheck(_ source: String, arguments: [String]) -> (succeeded: Bool, errors: String, output: String)? {
        guard let outcome = try? runTypeChecker(source, arguments: arguments, timeout: max(options.timeout, 600)) else { return nil }
        return (outcome.succeeded, outcome.errors, outcome.output)
    }

    /// Runs the compiler's front end on `source`, written to a scratch folder, with extra `arguments`.
    private func runTypeChecker(_ source: String, arguments: [String], timeout: Double) throws -> ProcessOutcome {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("verify-typecheck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let sourceURL = work.appendingPathComponent("main.swift")
        try source.write(to: sourceURL, atomically: true, encoding: .utf8)
        return try runProcess(toolchain.swiftc, toolchain.typeCheckArguments(source: sourceURL) + ["-diagnostic-style", "llvm"] + arguments, timeout: timeout)
    }

    // MARK: Running one rung

    /// What the generated program must write on its record channel.
    struct ExpectedProgram: Sendable {
        /// The runnable blocks, in order.
        var blocks: [CodeBlock]
        /// The seal of the generated program.
        var seal: String
    }

    /// The records and problems of one rung.
    struct RungRun {
        var precision: Int
        var claims: [ClaimRecord] = []
        /// For each claim, what its block printed before it.
        var claimOutputs: [String] = []
        /// What each block printed.
        var output: [BlockOutput] = []
        var problems: [FileProblem] = []
        /// The run ended at its first failing claim (mutation runs only).
        var stoppedAtFailure = false
        /// Wall-clock seconds of the run.
        var seconds: Double = 0
        /// The mutant sites a coverage run reached.
        var reachedMutants: Set<Int>? = nil
        /// This is the unmutated run standing in for a mutant whose code it never reached (mutation runs only).
        var isUnmutatedStandIn = false
    }

    /// The most output kept per block (bytes); the rest is cut with a note.
    static let outputLimit = 16_384

    /// Runs the compiled program at one precision and reads its record channel, checking that the generated
    /// program wrote it: every block entered once, in order, with the program's seal; claims numbered 1, 2, 3…
    /// between the first block and the end; the sealed end after the last block, and nothing after it.
    /// `lines`, when given, keeps every line this run decodes (a fork server's run: its mutants' record files start
    /// with its lines).
    func runProgram(_ executable: URL, precision: Int, timeout: Double, file: ScannedFile, expected: ExpectedProgram,
                    environment: [String: String] = [:], lines: RecordLines? = nil) -> RungRun {
        var run = RungRun(precision: precision)
        let outcome: ProcessOutcome
        do {
            let variables = environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 }
            outcome = try runProcess(executable.path, ["--precision", String(precision)], timeout: timeout,
                                     environment: variables, recordChannel: true)
            run.seconds = outcome.seconds
        } catch {
            run.problems.append(FileProblem(kind: .runtime, line: nil, message: "could not start the program: \(error)"))
            return run
        }
        return interpretRun(outcome, precision: precision, file: file, expected: expected,
                            stopsAtFailure: environment["VERIFY_STOP_AT_FAILURE"] == "1", lines: lines)
    }

    /// What one run of the program did: its claims, its blocks' output, and its problems (a trap, a timeout, an
    /// early exit, a record channel not written by the generated program alone). `stopsAtFailure`: the run was
    /// asked to end with status 75 at its first failing claim, which is then not a problem. A line found in `lines`
    /// is taken decoded from there; when `lines` is recording, every line decoded here is added to it.
    func interpretRun(_ outcome: ProcessOutcome, precision: Int, file: ScannedFile, expected: ExpectedProgram,
                      stopsAtFailure: Bool, lines: RecordLines? = nil) -> RungRun {
        var run = RungRun(precision: precision)
        run.seconds = outcome.seconds
        let printed = Array(outcome.output.utf8)
        // What was printed from byte `start` to byte `end`. The offsets come from the program, which may report one
        // smaller than an earlier one (a forked mutant's output goes nowhere; a block may truncate its output): then
        // nothing.
        func text(_ start: Int, _ end: Int) -> String {
            let lower = max(0, min(start, printed.count)), upper = max(lower, min(end, printed.count))
            let clamped = lower..<upper
            guard !clamped.isEmpty else { return "" }
            let kept = clamped.prefix(Self.outputLimit)
            let cut = clamped.count > kept.count ? "\n… (\(clamped.count - kept.count) more bytes)" : ""
            return String(decoding: printed[kept], as: UTF8.self) + cut
        }
        var lastBlock: Int? = nil
        var blockStart = 0
        var entered = 0
        var finished = false
        var violations: [String] = []
        let decoder = RecordCoding.decoder()
        for line in outcome.records.split(separator: "\n") {
            let decoded = lines?.decoded(line, decoder: decoder) ?? RecordLine(line, decoder: decoder)
            if case .claim(let record) = decoded {
                if finished { violations.append("a claim at \(record.file):\(record.line) was recorded after the program's end") }
                if lastBlock == nil { violations.append("a claim at \(record.file):\(record.line) was recorded before the first block") }
                if record.ordinal != run.claims.count + 1 { violations.append("claim records are out of order at \(record.file):\(record.line)") }
                run.claims.append(record)
                run.claimOutputs.append(text(blockStart, record.outputOffset ?? blockStart))
            } else if case .program(let event) = decoded {
                guard event.seal == expected.seal else {
                    violations.append("a program event without the generated program's seal (did a block call _enterBlock or _finishProgram?)")
                    continue
                }
                let offset = event.outputOffset ?? printed.count
                if let lastBlock, let index = expected.blocks.firstIndex(where: { $0.fenceLine == lastBlock }) {
                    run.output[index].text = text(blockStart, offset)
                }
                if finished { violations.append("a program event after the program's end") }
                if event.type == .end {
                    if event.index != expected.blocks.count || entered != expected.blocks.count {
                        violations.append("the program ended after \(entered) of its \(expected.blocks.count) blocks")
                    }
                    finished = true
                    lastBlock = nil
                } else {
                    guard event.index == entered, entered < expected.blocks.count, expected.blocks[entered].fenceLine == event.line else {
                        violations.append("block \(event.index) (line \(event.line)) was entered out of order")
                        continue
                    }
                    run.output.append(BlockOutput(line: event.line, text: ""))
                    entered += 1
                    lastBlock = event.line
                }
                blockStart = offset
            } else if case .coverage(let reached) = decoded, finished {
                run.reachedMutants = Set(reached)
            } else {
                violations.append("an unreadable line on the record channel: \(line.prefix(120))")
            }
        }
        if let lastBlock, let index = expected.blocks.firstIndex(where: { $0.fenceLine == lastBlock }), index < run.output.count {
            run.output[index].text = text(blockStart, printed.count)
        }
        let whereItWas = lastBlock.map { "in the block at \(file.displayPath):\($0)" } ?? "before the first block"
        if stopsAtFailure && !outcome.wasSignalled && outcome.status == stoppedAtFailureStatus {
            run.stoppedAtFailure = true
        } else if outcome.timedOut {
            run.problems.append(FileProblem(kind: .timeout, line: lastBlock,
                                            message: "killed after \(Int(options.timeout.rounded())) s at \(precision) bits, \(whereItWas): raise --timeout or make the block cheaper"))
        } else if !outcome.succeeded {
            let (line, message, includedFile) = CompilerDiagnostics(file).trapLocation(outcome.errors, fallback: lastBlock)
            let how = outcome.wasSignalled ? "trapped (signal \(outcome.status))" : "exited with status \(outcome.status)"
            run.problems.append(FileProblem(kind: .runtime, line: line, file: includedFile,
                                            message: "the program \(how) at \(precision) bits \(whereItWas)\(message.map { ": \($0)" } ?? "")"))
        } else if !finished {
            run.problems.append(FileProblem(kind: .incomplete, line: lastBlock,
                                            message: "the program exited before its last block finished, \(whereItWas) (does a block call exit()?): every block must run to its end"))
        }
        if let first = violations.first {
            let more = violations.count > 1 ? " (and \(violations.count - 1) more)" : ""
            run.problems.append(FileProblem(kind: .records, line: nil, message: "the record channel was not written by the generated program alone: \(first)\(more)"))
        }
        return run
    }
}

/// One line of a program's record channel, decoded.
enum RecordLine {
    case claim(ClaimRecord)
    /// A block entered, or the program's end.
    case program(ProgramEvent)
    /// The mutant sites a coverage run reached.
    case coverage([Int])
    case unreadable

    init(_ line: Substring, decoder: JSONDecoder) {
        struct Tag: Decodable { var type: String }
        let data = Data(line.utf8)
        switch (try? decoder.decode(Tag.self, from: data))?.type {
        case "claim": self = (try? decoder.decode(ClaimRecord.self, from: data)).map(Self.claim) ?? .unreadable
        case "block", "end": self = (try? decoder.decode(ProgramEvent.self, from: data)).map(Self.program) ?? .unreadable
        case "coverage": self = (try? decoder.decode(CoverageEvent.self, from: data)).map { .coverage($0.reached) } ?? .unreadable
        default: self = .unreadable
        }
    }
}

/// Record lines decoded once for many runs: a fork server's mutants each start their record file with the lines
/// the server wrote before it forked them, byte for byte. Not thread-safe: one reader at a time.
final class RecordLines {
    private var known: [Substring: RecordLine] = [:]
    /// Whether lines decoded through ``decoded(_:decoder:)`` are kept (the server's run) or only looked up.
    var isRecording = true

    /// `line` decoded, from the lines kept when it is one of them.
    func decoded(_ line: Substring, decoder: JSONDecoder) -> RecordLine {
        if let found = known[line] { return found }
        let decoded = RecordLine(line, decoder: decoder)
        if isRecording { known[line] = decoded }
        return decoded
    }
}

/// Jobs run by a fixed number of worker threads; a job may add further jobs, which the workers also run.
final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    /// Jobs added and not yet finished.
    private var unfinished = 0

    /// Adds a job at the back of the queue.
    func add(_ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            jobs.append(job)
            unfinished += 1
            condition.signal()
        }
    }

    /// Adds jobs at the front of the queue, in order, ahead of everything waiting.
    func add(first newJobs: [@Sendable () -> Void]) {
        condition.withLock {
            jobs.insert(contentsOf: newJobs, at: 0)
            unfinished += newJobs.count
            condition.broadcast()
        }
    }

    /// Runs every job, and every job they add, on `workers` threads; returns when all have finished.
    func run(workers: Int) {
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            Thread.detachNewThread { [self] in
                while let job = next() {
                    job()
                    condition.withLock {
                        unfinished -= 1
                        if unfinished == 0 { condition.broadcast() }
                    }
                }
                group.leave()
            }
        }
        group.wait()
    }

    /// The next job, waiting while running jobs may still add some; nil when everything has finished.
    private func next() -> (@Sendable () -> Void)? {
        condition.withLock {
            while jobs.isEmpty && unfinished > 0 { condition.wait() }
            return jobs.isEmpty ? nil : jobs.removeFirst()
        }
    }
}

/// Several input errors found together.
public struct InputErrors: Error, CustomStringConvertible, Sendable {
    /// The errors, in the order found.
    public var errors: [InputError]
    public init(_ errors: [InputError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
