import DerivationKit
import Foundation
import Synchronization

/// What became of one mutant.
public enum MutantOutcome: String, Codable, Sendable {
    /// Some claim no longer passes, or the program failed at run time.
    case caught
    /// Every claim still passes: the derivation's checks did not notice the change.
    case missed
    /// The mutant does not compile.
    case unviable
    /// The mutant ran past its time limit.
    case timeout
    /// The author marked the line as one where this change provably changes nothing, with a reason, and no claim
    /// noticed the change when it ran; or marked the line's numbers as instance data (`// mutant-data: REASON`) or as
    /// a claim's threshold (`// mutant-threshold: REASON`) and every claim still holds with the changed number.
    case accepted
    /// The author marked the change as changing nothing, yet a claim caught it: the annotation is wrong.
    case refutedEquivalence = "refuted-equivalence"
}

/// One mutant and what became of it.
public struct MutantResult: Codable, Sendable, Equatable {
    public var site: MutantSite
    public var outcome: MutantOutcome
    /// Seconds its runs took.
    public var seconds: Double
    /// How many rungs it ran (0: not run; a mutant whose code a rung never reaches does not run there).
    public var rungs: Int = 0
    /// The claim that caught it (`file.md:line:column`), or "the program" for a run-time failure.
    public var caughtBy: String?
    /// One sentence about how it was caught, or why it is unviable.
    public var detail: String?
}

/// How many mutants one claim (one call site) caught.
public struct ClaimSensitivity: Codable, Sendable, Equatable {
    public var id: String
    public var label: String
    /// The file the claim is written in: the Markdown file, or an included Swift file.
    public var file: String?
    public var line: Int
    public var column: Int
    /// Whether the claim is a known-false statement (`claimRefuted`).
    public var expectsRefutation: Bool
    public var caught: Int
    /// Whether the label marks the claim as bookkeeping (``bookkeepingLabelPrefix``): it holds by construction.
    public var isBookkeeping: Bool { label.hasPrefix(bookkeepingLabelPrefix) }
}

/// The mutation analysis of one file.
public struct MutationFileReport: Codable, Sendable, Equatable {
    public var file: String
    /// Why no mutant was run (the derivation fails as written, the schema did not compile), if so.
    public var problem: String?
    public var mutants: [MutantResult]
    public var claims: [ClaimSensitivity]
    public var caught: Int
    public var missed: Int
    public var unviable: Int
    public var timeouts: Int
    public var accepted: Int
    /// Mutants marked equivalent that a claim caught: wrong annotations, which fail the run.
    public var refutedEquivalences: Int
    /// caught / (caught + missed), in percent (nil when nothing was caught or missed).
    public var score: Double?
    /// Claims no mutant made fail, bookkeeping claims excluded.
    public var insensitiveClaims: [ClaimSensitivity] { claims.filter { $0.caught == 0 && !$0.isBookkeeping } }
    /// Bookkeeping claims no mutant made fail (expected: they hold by construction).
    public var insensitiveBookkeepingClaims: [ClaimSensitivity] { claims.filter { $0.caught == 0 && $0.isBookkeeping } }
    public var seconds: Double
    public var cached: Bool

    init(file: String, problem: String?, mutants: [MutantResult], claims: [ClaimSensitivity], seconds: Double) {
        self.file = file
        self.problem = problem
        self.mutants = mutants
        self.claims = claims
        self.seconds = seconds
        cached = false
        let count = { (outcome: MutantOutcome) in mutants.filter { $0.outcome == outcome }.count }
        caught = count(.caught)
        missed = count(.missed)
        unviable = count(.unviable)
        timeouts = count(.timeout)
        accepted = count(.accepted)
        refutedEquivalences = count(.refutedEquivalence)
        score = caught + missed > 0 ? 100 * Double(caught) / Double(caught + missed) : nil
    }
}

/// The mutation analysis of every file of one run.
public struct MutationRunReport: Codable, Sendable, Equatable {
    public var files: [MutationFileReport]
    public var seconds: Double
    /// Mutants run (caught, missed or timed out) per second of wall-clock time.
    public var mutantsPerSecond: Double
}

extension Verifier {
    /// Seconds the type checker may spend on one expression of a mutant schema.
    static let copyTypeCheckSeconds = 2
    /// The schema that compiles is built once more optimised (the last `-O…` of the arguments wins over the
    /// derivation programs' `-Onone`): the build takes about 4× as long as an unoptimised one, once per file, and every
    /// mutant then runs about twice as fast (the derivation's own loops and generic code dominate an unoptimised
    /// program; MPFR does the arithmetic either way, and traps and overflow checks stay).
    static let schemaOptimisation = ["-O"]
    /// The environment every run of a mutant schema gets: no symbolicating crash reporter. A trapped mutant is caught
    /// whatever its backtrace says, and the runtime's reporter (`swift-backtrace`) took about 60 ms of processor time
    /// per trap, against 10–40 ms for the mutant's whole run. The runtime still prints the message of a
    /// `fatalError` or a failed precondition; a trap of a compiler-inserted check (overflow, division by zero) is
    /// then reported by its signal alone.
    static let mutantRunEnvironment = ["SWIFT_BACKTRACE": "enable=no"]
    /// What the compiler says of an expression it gave up on.
    static let typeCheckTimeLimitMessage = "unable to type-check this expression in reasonable time"

    /// Measures how sensitive each file's claims are: runs every mutant of its code and reports which were caught.
    /// Files are analysed `options.jobs` at a time (a schema compiles on one core).
    public func mutate(_ files: [ScannedFile], events: @escaping VerificationEvents = { _ in }) -> MutationRunReport {
        let start = Date()
        let results = Mutex<[Int: MutationFileReport]>([:])
        let next = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: max(1, min(options.jobs, files.count))) { _ in
            while true {
                let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                guard index < files.count else { break }
                events(.fileStarted(file: files[index].displayPath))
                let report = mutate(files[index])
                results.withLock { $0[index] = report }
                events(.fileFinished(file: files[index].displayPath, report: nil))
            }
        }
        let reports = results.withLock { finished in files.indices.compactMap { finished[$0] } }
        let seconds = Date().timeIntervalSince(start)
        let ran = reports.flatMap(\.mutants).filter { [.caught, .missed, .timeout].contains($0.outcome) }.count
        return MutationRunReport(files: reports, seconds: seconds, mutantsPerSecond: seconds > 0 ? Double(ran) / seconds : 0)
    }

    /// The mutation analysis of one file (served from the cache when the file, library and verifier are unchanged).
    public func mutate(_ file: ScannedFile) -> MutationFileReport {
        let start = Date()
        let baseline = verify(file)
        guard baseline.passed else {
            return MutationFileReport(file: file.displayPath, problem: "the derivation does not pass as written: fix it before measuring its mutants",
                                      mutants: [], claims: [], seconds: Date().timeIntervalSince(start))
        }
        let schema = MutantSchema(blocks: file.blocks)
        guard schema.annotationProblems.isEmpty else {
            let places = schema.annotationProblems.map { "\($0.file ?? file.displayPath):\($0.line): \($0.message)" }
            return MutationFileReport(file: file.displayPath, problem: "malformed mutation annotation: " + places.joined(separator: "; "),
                                      mutants: [], claims: [], seconds: Date().timeIntervalSince(start))
        }
        let generator = ProgramGenerator(displayPath: file.displayPath)
        // Time limits choose between timeout and the other outcomes: they are part of the key.
        let cacheFile = cacheFile("mutations", for: file, settings: [String(options.timeout), options.mutantTimeout.map { String($0) } ?? "-"])
        if var cached = cached(MutationFileReport.self, at: cacheFile) {
            cached.cached = true
            return cached
        }

        // Compile the schema, leaving out the sites on lines the compiler rejects (those mutants are unviable).
        var unviable: [Int: String] = [:]
        // Mutants the schema could not hold (an error in no copy was put down to them) that compile on their own: each
        // is built and run as a program of its own, whose source is kept here.
        var standalone: [Int: String] = [:]
        for site in schema.sites { if let reason = site.notSwitchedBecause { unviable[site.id] = "not switched into the schema: " + reason } }
        // Swaps the operand types rule out, found from the code as written: the schema need not carry their copies.
        let oracleStart = Date()
        let impossible = !options.ruleOutByTypes ? [:] : OperatorOracle.impossibleMutants(sites: schema.sites.filter { unviable[$0.id] == nil }, source: generator.source(for: file.blocks),
                                                          markdownPath: file.displayPath) { source, arguments in typeCheck(source, arguments: arguments) }
        unviable.merge(impossible) { first, _ in first }
        if ProcessInfo.processInfo.environment["VERIFY_TRACE_MUTATE"] != nil {
            FileHandle.standardError.write(Data("operator oracle \(String(format: "%.1f", Date().timeIntervalSince(oracleStart))) s: \(impossible.count) mutants ruled out\n".utf8))
        }
        var executable: URL? = nil
        // A copy the type checker cannot settle within a few seconds is unviable (a wrong operator between
        // overloaded types can take it minutes to rule out); should the code as written ever hit that limit, the
        // limit is lifted.
        var typeCheckLimit: [String] = ["-Xfrontend", "-solver-expression-time-threshold=\(Self.copyTypeCheckSeconds)"]
        for round in 0..<60 {
            let excluded = Set(unviable.keys).union(standalone.keys)
            let rendered = schema.renderedBlocks(excluding: excluded)
            let source = generator.source(for: file.blocks, code: rendered.blocks, includes: rendered.includes)
            let compileStart = Date()
            let compiled = compileSchema(source, file: file, typeCheckLimit: typeCheckLimit)
            if ProcessInfo.processInfo.environment["VERIFY_TRACE_MUTATE"] != nil {
                let lines: [Int]
                if case .failure(let problems, _) = compiled { lines = problems.compactMap(\.line) } else { lines = [] }
                FileHandle.standardError.write(Data("schema compile \(String(format: "%.1f", Date().timeIntervalSince(compileStart))) s, errors at \(lines.prefix(8))\n".utf8))
                try? source.write(toFile: "/tmp/verify-schema-\(round + 1).swift", atomically: true, encoding: .utf8)
            }
            switch compiled {
            case .success(let url):
                executable = url
            case .failure(let problems, let locations):
                // An error inside a mutant's copy is that mutant's: leave those out and try again.
                var charged = false
                // On a line whose code as written fails too (it compiles without mutants), a copy the type checker
                // gave up on may only suffer from an error before it (a name whose declaration failed has no type):
                // it is tried again in the next round instead of being charged.
                let place = { (location: CompilerDiagnostics.ErrorLocation) in "\(location.file ?? ""):\(location.line)" }
                var mine: [(location: CompilerDiagnostics.ErrorLocation, id: Int)] = []
                var inNoCopy: [CompilerDiagnostics.ErrorLocation] = []
                for location in locations {
                    guard let column = location.column else { continue }
                    if let id = schema.site(atLine: location.line, column: column, rendered: rendered, file: location.file) {
                        mine.append((location, id))
                    } else {
                        inNoCopy.append(location)
                    }
                }
                let poisoned = Set(inNoCopy.map(place))
                for (location, id) in mine where !excluded.contains(id) && unviable[id] == nil {
                    if location.message.contains(Self.typeCheckTimeLimitMessage) && poisoned.contains(place(location)) { continue }
                    unviable[id] = "compile error: " + location.message
                    charged = true
                }
                // An expression the type checker gave up on at a place in no copy (where the expression starts): its copies
                // together are too much for it, and which one is to blame cannot be told. The limit is lifted at once
                // (waiting for the other errors to go first would repeat the failure, at the cost of the whole limit,
                // in every round). Given up on without the limit, it waits while copies on its own lines are still being
                // left out (their errors weigh on the type checker: such an expression often compiles once they are
                // gone), and then has the copies on its lines left out. Errors elsewhere do not hold it back: each
                // round costs the give-up again.
                let givenUp = inNoCopy.filter { $0.message.contains(Self.typeCheckTimeLimitMessage) }
                let liftsLimit = !givenUp.isEmpty && !typeCheckLimit.isEmpty
                if liftsLimit {
                    typeCheckLimit = []
                    charged = true
                }
                let otherErrors = locations.filter { !$0.message.contains(Self.typeCheckTimeLimitMessage) }
                // One such expression at a time in each file, the last first: once its copies are out, an earlier one
                // in the same file often compiles. (Expressions in different files seldom share types: included files hold
                // functions and types, the Markdown file the code that uses them.)
                let lastGivenUpPerFile = liftsLimit ? [] : Dictionary(grouping: givenUp, by: { $0.file ?? "" }).values.compactMap { $0.max { $0.line < $1.line } }
                for location in lastGivenUpPerFile {
                    let lines = schema.expressionLines(file: location.file, line: location.line)
                    guard !otherErrors.contains(where: { $0.file == location.file && lines.contains($0.line) }) else { continue }
                    for site in schema.sites where site.file == location.file && lines.overlaps(site.line...(site.lastLine ?? site.line))
                        && !excluded.contains(site.id) && unviable[site.id] == nil {
                        unviable[site.id] = "compile error: the type checker gave up on the expression holding this mutant's copy with the others in it ("
                            + location.message + ")"
                        charged = true
                    }
                }
                if ProcessInfo.processInfo.environment["VERIFY_TRACE_MUTATE"] != nil {
                    for location in locations { FileHandle.standardError.write(Data("  \(location.file ?? ""):\(location.line):\(location.column ?? 0) \(location.message)\n".utf8)) }
                }
                if charged { continue }
                if !typeCheckLimit.isEmpty && locations.contains(where: { $0.message.contains(Self.typeCheckTimeLimitMessage) }) {
                    typeCheckLimit = []
                    continue
                }
                // Otherwise a syntax error can cause others further down: then leave out the sites of its line only. Type errors
                // stand alone: leave out the sites of every line that has one.
                let syntax = problems.contains { problem in
                    ["compile error: expected ", "consecutive statements", "unterminated", "extraneous", "unexpected '"]
                        .contains { problem.message.hasPrefix($0) || problem.message.contains($0) }
                }
                let placed = problems.filter { $0.line != nil }
                let first = placed.min { ($0.file ?? "", $0.line!) < ($1.file ?? "", $1.line!) }
                let errorPlaces = syntax ? (first.map { [$0] } ?? []) : placed
                let candidates = schema.sites.filter { !excluded.contains($0.id) }
                // A site answers for every line its switch spans (an element can run over several lines).
                var culprits = candidates.filter { site in
                    errorPlaces.contains { $0.file == site.file && $0.line! >= site.line && $0.line! <= (site.lastLine ?? site.line) }
                }
                if culprits.isEmpty, let first, let line = first.line {
                    let near = candidates.filter { $0.file == first.file }
                    let nearest = near.map { abs($0.line - line) }.min() ?? 0
                    culprits = near.filter { abs($0.line - line) == nearest && nearest <= 3 }
                }
                guard !culprits.isEmpty else {
                    let message = problems.first?.message ?? "unknown error"
                    return MutationFileReport(file: file.displayPath, problem: "the mutant schema did not compile: \(message)",
                                              mutants: [], claims: [], seconds: Date().timeIntervalSince(start))
                }
                // The error lies in no mutant's copy: it may be the schema's own (the code that switches the copies), so
                // each mutant it is put down to is type-checked on its own, and is unviable only if it fails there too.
                for site in culprits {
                    let alone = schema.renderedBlocks(applyingOnly: site.id)
                    let source = generator.source(for: file.blocks, code: alone.blocks, includes: alone.includes)
                    if case .failure(let problems, _)? = typeCheckFailure(source, file: file, arguments: typeCheckLimit, timeout: schemaCompileTimeout) {
                        unviable[site.id] = Self.unviableMessage(problems)
                    } else {
                        standalone[site.id] = source
                    }
                }
                if ProcessInfo.processInfo.environment["VERIFY_TRACE_MUTATE"] != nil {
                    FileHandle.standardError.write(Data("errors in no copy: \(culprits.count) mutants checked on their own, \(standalone.count) standalone so far\n".utf8))
                }
            }
            if executable != nil { break }
        }
        guard let executable else {
            return MutationFileReport(file: file.displayPath, problem: "the mutant schema did not compile after leaving out \(unviable.count) mutants",
                                      mutants: [], claims: [], seconds: Date().timeIntervalSince(start))
        }
        let expected = ExpectedProgram(blocks: file.blocks.filter(\.role.runs), seal: generator.seal(for: file.blocks))
        // A mutant may run five times as long as its rung takes as written (at least 5 s); its processor time is
        // what is limited, so that a loaded machine does not turn slow mutants into timeouts.
        let limits = options.precisions.indices.map { rung in
            options.mutantTimeout ?? min(options.timeout, max(5, 5 * (rung < baseline.rungSeconds.count ? baseline.rungSeconds[rung] : baseline.seconds)))
        }
        // Mutants marked equivalent run too: an annotation is a claim, and one that a claim refutes is an error.
        let candidates = Set(schema.sites.map(\.id)).subtracting(unviable.keys).subtracting(standalone.keys)

        // The first rung: the unmutated run is the fork server (and the coverage run); every mutant it reaches
        // runs from its first evaluation until its first failing claim.
        let precisions = options.precisions
        var server = forkServer(executable, precision: precisions[0], mutants: options.forkMutants ? nil : [], stopAtFailure: true,
                                limit: limits[0], file: file, expected: expected)
        var firstRungOnly = options
        firstRungOnly.ladder = false
        guard server.unmutated.problems.isEmpty, Verifier(toolchain: toolchain, options: firstRungOnly).judge([server.unmutated]).allSatisfy(\.passed) else {
            return MutationFileReport(file: file.displayPath, problem: "the mutant schema with no mutant active does not pass: \(server.unmutated.problems.first?.message ?? "a claim fails")",
                                      mutants: [], claims: [], seconds: Date().timeIntervalSince(start))
        }
        // A mutant whose code the unmutated run never reaches at any rung runs exactly like it: missed, without being
        // run. Reaching is taken over every rung (code under `if workingPrecision > 600` runs at the second only).
        var reached = server.unmutated.reachedMutants ?? candidates
        let siteByID = Dictionary(uniqueKeysWithValues: schema.sites.map { ($0.id, $0) })
        var finished: [Int: MutantResult] = [:]
        var rungs: [Int: [RungRun]] = [:]
        var unforked: [MutantSite] = []
        for site in schema.sites where candidates.contains(site.id) {
            // Not reached at this rung: its run is the unmutated one (which took it no time of its own).
            guard reached.contains(site.id) else { rungs[site.id] = [server.unmutated.asUnreachedMutant]; continue }
            guard let run = server.mutants[site.id] else { unforked.append(site); continue }
            // Only the runs of mutants that go on to the next rung are kept (a run holds every record of the file).
            if let result = classify(site, rungs: [run], seconds: run.seconds) { finished[site.id] = result } else { rungs[site.id] = [run] }
        }
        server.mutants = [:]
        // Every further rung, for the mutants that held on the ones before.
        for (rung, precision) in precisions.enumerated().dropFirst() {
            let survivors = rungs.keys.filter { finished[$0] == nil }
            guard !survivors.isEmpty else { break }
            let next = forkServer(executable, precision: precision, mutants: Set(survivors), stopAtFailure: false, limit: limits[rung],
                                  file: file, expected: expected)
            let reachedHere = next.unmutated.reachedMutants
            reached.formUnion(reachedHere ?? [])
            for id in survivors {
                let site = siteByID[id]!
                let run: RungRun
                if let forked = next.mutants[id] {
                    run = forked
                } else if let reachedHere, !reachedHere.contains(id), next.unmutated.problems.isEmpty {
                    run = next.unmutated.asUnreachedMutant
                } else {
                    unforked.append(site); rungs[id] = nil; continue
                }
                rungs[id]!.append(run)
                if let result = classify(site, rungs: rungs[id]!, seconds: rungs[id]!.map(\.seconds).reduce(0, +)) { finished[id] = result }
            }
        }
        for (id, runs) in rungs where finished[id] == nil {
            finished[id] = MutantResult(site: siteByID[id]!, outcome: .missed, seconds: runs.map(\.seconds).reduce(0, +), rungs: runs.ownRungs)
        }
        // A mutant the server could not fork runs on its own.
        let results = Mutex<[Int: MutantResult]>([:])
        let nextIndex = Mutex(0)
        let alone = unforked
        DispatchQueue.concurrentPerform(iterations: max(1, min(options.jobs, alone.count))) { _ in
            while true {
                let index = nextIndex.withLock { value -> Int in defer { value += 1 }; return value }
                guard index < alone.count else { break }
                let result = runMutant(alone[index], executable: executable, file: file, expected: expected, limits: limits).result
                results.withLock { $0[result.site.id] = result }
            }
        }
        finished.merge(results.withLock { $0 }) { _, alone in alone }
        // A mutant the schema could not hold runs from a program of its own. It carries no switch, so whether its
        // code runs is not recorded: a changed number on a line of instance data or thresholds whose every claim
        // record is as written is not accepted (its code may never run), but missed.
        var unchangedStandalone: Set<Int> = []
        for (id, source) in standalone.sorted(by: { $0.key < $1.key }) {
            switch compile(source, file: file, arguments: typeCheckLimit, timeout: schemaCompileTimeout) {
            case .success(let program):
                var (result, runs) = runMutant(siteByID[id]!, executable: program, file: file, expected: expected, limits: limits)
                if result.outcome == .missed, siteByID[id]!.acceptedNumberBecause != nil,
                   runs.first.map({ $0.claims.map(\.asCompared) == server.unmutated.claims.map(\.asCompared) }) == true {
                    unchangedStandalone.insert(id)
                    result.detail = "run on its own (the schema could not hold it): every claim's record is as written, so its code may never run"
                }
                finished[id] = result
            case .failure(let problems, _):
                unviable[id] = Self.unviableMessage(problems)
            }
        }
        let mutants = schema.sites.map { site -> MutantResult in
            if let message = unviable[site.id] { return MutantResult(site: site, outcome: .unviable, seconds: 0, detail: message) }
            if let reason = site.equivalentBecause {
                // A mutant marked equivalent that runs past its time limit is a timeout: it did not finish as written.
                if let result = finished[site.id], result.outcome == .timeout { return result }
                guard let result = finished[site.id], result.outcome == .caught else {
                    return MutantResult(site: site, outcome: .accepted, seconds: finished[site.id]?.seconds ?? 0, rungs: finished[site.id]?.rungs ?? 0,
                                        detail: reason)
                }
                var refuted = result
                refuted.outcome = .refutedEquivalence
                refuted.detail = "marked equivalent (\(reason)), yet caught: \(result.detail ?? "the program failed")"
                return refuted
            }
            if !reached.contains(site.id) && standalone[site.id] == nil { return MutantResult(site: site, outcome: .missed, seconds: 0, detail: "the changed code never runs") }
            guard var result = finished[site.id] else { return MutantResult(site: site, outcome: .unviable, seconds: 0, detail: "not run") }
            if result.outcome == .missed, let reason = site.acceptedNumberBecause, !unchangedStandalone.contains(site.id) {
                result.outcome = .accepted
                result.detail = reason
            }
            return result
        }
        var sensitivity: [String: ClaimSensitivity] = [:]
        var order: [String] = []
        for claim in baseline.claims {
            guard let record = claim.records.first else { continue }
            let key = "\(record.file):\(record.line):\(record.column)"
            if sensitivity[key] == nil {
                order.append(key)
                sensitivity[key] = ClaimSensitivity(id: claim.id, label: claim.label, file: record.file, line: record.line, column: record.column,
                                                    expectsRefutation: claim.expectsRefutation, caught: 0)
            }
        }
        for mutant in mutants where mutant.outcome == .caught {
            if let key = mutant.caughtBy, sensitivity[key] != nil { sensitivity[key]!.caught += 1 }
        }
        let report = MutationFileReport(file: file.displayPath, problem: nil, mutants: mutants, claims: order.compactMap { sensitivity[$0] },
                                        seconds: Date().timeIntervalSince(start))
        if ProcessInfo.processInfo.environment["VERIFY_TRACE_MUTATE"] != nil {
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            FileHandle.standardError.write(Data("verifier process CPU so far: \(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) s\n".utf8))
        }
        store(report, at: cacheFile)
        return report
    }

    /// Seconds a compilation of a mutant schema, or of one mutant on its own, may take (the file's limit, and at least
    /// half an hour: a schema holds every mutant's copy).
    var schemaCompileTimeout: Double { max(options.timeout, 1800) }

    /// Why a mutant that failed to compile is unviable: the compiler's first error placed in the code, else its first.
    static func unviableMessage(_ problems: [FileProblem]) -> String {
        problems.first { $0.line != nil }?.message ?? problems.first?.message ?? "does not compile"
    }

    /// One compile round of a mutant schema: a type check (a round that fails costs its type checking alone, and most
    /// rounds fail), then, once it type-checks, the build for the runs, optimised. Should the optimised build fail,
    /// the unoptimised build stands in, and its errors are the round's.
    func compileSchema(_ source: String, file: ScannedFile, typeCheckLimit: [String]) -> CompileOutcome {
        let timeout = schemaCompileTimeout
        if let failure = typeCheckFailure(source, file: file, arguments: typeCheckLimit, timeout: timeout) { return failure }
        let optimised = compile(source, file: file, arguments: Self.schemaOptimisation + typeCheckLimit, timeout: timeout)
        if case .success = optimised { return optimised }
        return compile(source, file: file, arguments: typeCheckLimit, timeout: timeout)
    }

    /// The outcome of a mutant after `rungs` (the first one run until its first failing claim), or nil when every
    /// claim still holds on them and further rungs are to run. A run that makes no claim at all is caught, as a normal
    /// run of that code fails ("the blocks ran but made no claims").
    ///
    /// A changed number on a line of instance data or thresholds (`// mutant-data: REASON`, `// mutant-threshold:
    /// REASON`) with which every claim holds at the first rung is not run further: it becomes `accepted`, which the
    /// score leaves out, so the rungs it skips could only have moved it from accepted to caught. This halves the cost
    /// of instance data, which runs the whole rest of the derivation on another instance. Every other survivor runs
    /// every rung, a mutant marked equivalent too: a change below the first rung's resolution (a term of size 10⁻¹⁸⁰
    /// at 576 bits) leaves that rung's records exactly as they are written and shows only when the residual fails to
    /// fall at the next, and that is where a wrong mark ("the term is negligible") is refuted.
    func classify(_ site: MutantSite, rungs: [RungRun], seconds: Double) -> MutantResult? {
        guard let run = rungs.last else { return nil }
        var result = MutantResult(site: site, outcome: .caught, seconds: seconds, rungs: rungs.ownRungs)
        if run.problems.contains(where: { $0.kind == .timeout }) {
            result.outcome = .timeout
        } else if run.stoppedAtFailure, let last = run.claims.last {
            result.caughtBy = "\(last.file):\(last.line):\(last.column)"
            result.detail = "\(last.label) fails at \(run.precision) bits"
        } else if let problem = run.problems.first {
            result.caughtBy = "the program"
            result.detail = problem.message
        } else if run.claims.isEmpty {
            result.caughtBy = "the program"
            result.detail = "\(Self.noClaimsMessage) at \(run.precision) bits"
        } else {
            let ladder = Verifier(toolchain: toolchain, options: { var o = options; o.ladder = rungs.count > 1; return o }())
            guard let failing = ladder.judge(rungs).first(where: { !$0.passed }) else {
                guard rungs.count == 1, site.acceptedNumberBecause != nil else { return nil }
                result.outcome = .missed
                result.detail = "every claim holds at \(run.precision) bits; the further rungs are not run for instance data or thresholds"
                return result
            }
            result.caughtBy = failing.records.first.map { "\($0.file):\($0.line):\($0.column)" }
            result.detail = "\(failing.label): \(failing.verdict.rawValue)"
        }
        return result
    }

    /// Runs one mutant in a process of its own: the first rung until a claim fails; if every claim held, every
    /// rung, judged as in a normal run (see ``classify(_:rungs:seconds:)``). `limits` are the seconds each rung may
    /// take. Also returns the runs.
    func runMutant(_ site: MutantSite, executable: URL, file: ScannedFile, expected: ExpectedProgram, limits: [Double]) -> (result: MutantResult, runs: [RungRun]) {
        let start = Date()
        var rungs: [RungRun] = []
        for (position, precision) in options.precisions.enumerated() {
            let environment = Self.mutantRunEnvironment.merging(["VERIFY_MUTANT": String(site.id), "VERIFY_STOP_AT_FAILURE": position == 0 ? "1" : "0"]) { $1 }
            rungs.append(runProgram(executable, precision: precision, timeout: limits[position], file: file, expected: expected, environment: environment))
            if let result = classify(site, rungs: rungs, seconds: Date().timeIntervalSince(start)) { return (result, rungs) }
        }
        return (MutantResult(site: site, outcome: .missed, seconds: Date().timeIntervalSince(start), rungs: rungs.ownRungs), rungs)
    }

    /// What a fork server run gave: the unmutated run, and each forked mutant's run.
    /// (A mutant the server never reached runs as the unmutated run: ``RungRun/asUnreachedMutant``.)
    struct ForkServerRun {
        var unmutated: RungRun
        var mutants: [Int: RungRun]
    }

    /// Runs the schema unmutated at `precision` as a fork server (see DerivationKit's `MutantForks`): each mutant in
    /// `mutants` (every one when nil) forks off at its first evaluation and runs as that mutant, `options.jobs` at a
    /// time, each for at most `limit` seconds. The unmutated run also records the mutant sites it reaches.
    func forkServer(_ executable: URL, precision: Int, mutants: Set<Int>?, stopAtFailure: Bool, limit: Double,
                    file: ScannedFile, expected: ExpectedProgram) -> ForkServerRun {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("verify-mutants-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        if let mutants {
            try? mutants.sorted().map(String.init).joined(separator: "\n").write(to: folder.appendingPathComponent("mutants"), atomically: true, encoding: .utf8)
        }
        let environment = Self.mutantRunEnvironment.merging([
            "VERIFY_MUTANT": "0", "VERIFY_MUTANT_COVERAGE": "1", "VERIFY_MUTANT_FORK_DIR": folder.path,
            "VERIFY_MUTANT_JOBS": String(options.jobs), "VERIFY_MUTANT_TIME_LIMIT": String(limit),
            "VERIFY_MUTANT_STOP": stopAtFailure ? "1" : "0"]) { $1 }
        // The server waits for its children: its own limit covers all of them.
        let count = Double(mutants?.count ?? expected.blocks.count * 100)
        let serverLines = RecordLines()
        let unmutated = runProgram(executable, precision: precision, timeout: max(options.timeout, 4 * limit * count / Double(max(1, options.jobs))),
                                   file: file, expected: expected, environment: environment, lines: serverLines)
        serverLines.isRecording = false
        var runs: [Int: RungRun] = [:]
        let statuses = (try? String(contentsOf: folder.appendingPathComponent("statuses"), encoding: .utf8)) ?? ""
        for line in statuses.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 4, let id = Int(fields[0]), let code = Int32(fields[2]), let seconds = Double(fields[3]),
                  fields[1] == "exit" || fields[1] == "signal" else { continue }
            func contents(_ name: String) -> String {
                (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
            }
            let signalled = fields[1] == "signal"
            let outcome = ProcessOutcome(status: code, wasSignalled: signalled, timedOut: signalled && (code == SIGPROF || code == SIGALRM), output: "",
                                         errors: contents("\(id).stderr"), records: contents("\(id).records"), seconds: seconds)
            runs[id] = interpretRun(outcome, precision: precision, file: file, expected: expected, stopsAtFailure: stopAtFailure, lines: serverLines)
        }
        return ForkServerRun(unmutated: unmutated, mutants: runs)
    }
}

/// Renders a mutation run for a person: per file the score, every missed mutant at its `file.md:line:column`, and
/// the claims no mutant made fail.
public func mutationReport(_ run: MutationRunReport) -> String {
    var text = ""
    for file in run.files {
        if let problem = file.problem {
            text += "ERROR \(file.file): \(problem)\n"
            continue
        }
        let score = file.score.map { String(format: "%.1f %%", $0) } ?? "n/a"
        text += "MUTATE \(file.file)  score \(score)  (\(file.caught) caught, \(file.missed) missed, \(file.unviable) unviable, "
            + "\(file.timeouts) timeout\(file.timeouts == 1 ? "" : "s"), \(file.accepted) accepted\(file.refutedEquivalences > 0 ? ", \(file.refutedEquivalences) wrongly marked equivalent" : ""))  \(file.mutants.count) mutants  "
            + String(format: "%.1f s", file.seconds) + (file.cached ? " (cached)" : "") + "\n"
        for mutant in file.mutants where mutant.outcome == .refutedEquivalence {
            let site = mutant.site
            text += "  WRONG equivalence  \(site.file ?? file.file):\(site.line):\(site.column)  \(site.original) → \(site.replacement.isEmpty ? "(removed)" : site.replacement)  "
                + "[\(site.mutationOperator.rawValue)] is marked `mutant-equivalent` but \(mutant.caughtBy.map { $0 == "the program" ? $0 : "the claim at \($0)" } ?? "the program") catches it: "
                + "remove or narrow the annotation\n"
        }
        // Accepted mutants, one line per annotated line: how many, and the author's reason.
        var acceptedLines: [(place: String, reason: String, count: Int)] = []
        for mutant in file.mutants where mutant.outcome == .accepted {
            let place = "\(mutant.site.file ?? file.file):\(mutant.site.line)", reason = mutant.detail ?? ""
            if let last = acceptedLines.indices.last, acceptedLines[last].place == place, acceptedLines[last].reason == reason {
                acceptedLines[last].count += 1
            } else {
                acceptedLines.append((place, reason, 1))
            }
        }
        for line in acceptedLines {
            text += "  accepted  \(line.place)  \(line.count) mutant\(line.count == 1 ? "" : "s")  (\(line.reason))\n"
        }
        for mutant in file.mutants where mutant.outcome == .missed {
            let site = mutant.site
            text += "  missed  \(site.file ?? file.file):\(site.line):\(site.column)  \(site.original) → \(site.replacement.isEmpty ? "(removed)" : site.replacement)  [\(site.mutationOperator.rawValue)]\n"
        }
        let insensitive = file.insensitiveClaims
        if !insensitive.isEmpty {
            text += "  insensitive claims (no mutant made them fail):\n"
            for claim in insensitive { text += "    \(claim.file ?? file.file):\(claim.line) [\(claim.id)] \(claim.label)\n" }
        }
        let bookkeeping = file.insensitiveBookkeepingClaims
        if !bookkeeping.isEmpty {
            text += "  insensitive bookkeeping claims (labelled, not evidence): "
                + bookkeeping.map(\.id).joined(separator: ", ") + "\n"
        }
    }
    let total = run.files.flatMap(\.mutants).count
    let scores = run.files.compactMap(\.score)
    text += "mutation: \(run.files.count) file\(run.files.count == 1 ? "" : "s"), \(total) mutants"
        + (scores.min().map { String(format: ", lowest score %.1f %%", $0) } ?? "")
        + String(format: " in %.1f s (%.1f mutants/s)\n", run.seconds, run.mutantsPerSecond)
    return text
}

extension ClaimRecord {
    /// The record without what differs between two runs of the same code: its time and output offset.
    var asCompared: ClaimRecord {
        var record = self
        record.seconds = 0
        record.outputOffset = nil
        return record
    }
}

extension Verifier.RungRun {
    /// This unmutated run as the run of a mutant whose code it never reached: the same records, and no time of the
    /// mutant's own (the server's seconds include waiting for every forked mutant).
    var asUnreachedMutant: Self {
        var run = self
        run.seconds = 0
        run.isUnmutatedStandIn = true
        return run
    }
}

extension [Verifier.RungRun] {
    /// How many of a mutant's rungs it ran itself (not stood in for by the unmutated run).
    var ownRungs: Int { filter { !$0.isUnmutatedStandIn }.count }
}
