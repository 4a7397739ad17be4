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
        if !problems.isEmpty { throw InputErrors(problems) }
        return files
    }

    /// Reads and scans one file. Throws ``InputError`` when it cannot be read or has a bad fence.
    public static func scan(_ path: String) throws -> ScannedFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file (check its permissions)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "the file is not UTF-8 text")
        }
        return ScannedFile(displayPath: path, text: text, blocks: try FenceScanner(file: path).blocks(in: text))
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

    /// Verifies `files`, at most ``VerificationOptions/jobs`` at once; `progress` hears each file start and end.
    public func verify(_ files: [ScannedFile], progress: @escaping @Sendable (String) -> Void = { _ in }) -> RunReport {
        let start = Date()
        let results = Mutex<[Int: FileReport]>([:])
        let next = Mutex(0)
        let workers = max(1, min(options.jobs, files.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            Thread.detachNewThread {
                while true {
                    let index = next.withLock { value -> Int in defer { value += 1 }; return value }
                    guard index < files.count else { break }
                    progress("started \(files[index].displayPath)")
                    let report = verify(files[index])
                    results.withLock { $0[index] = report }
                    progress("finished \(files[index].displayPath)")
                }
                group.leave()
            }
        }
        group.wait()
        let reports = results.withLock { dictionary in (0..<files.count).compactMap { dictionary[$0] } }
        return RunReport(files: reports, versions: versions, seconds: Date().timeIntervalSince(start))
    }

    /// The library and toolchain versions stated in reports.
    public var versions: [String: String] {
        ["mpfr": mpfrVersion, "gmp": gmpVersion, "swiftc": toolchain.compilerVersion.split(separator: "\n").first.map(String.init) ?? "",
         "library": String(toolchain.libraryFingerprint.prefix(12))]
    }

    /// Verifies one file: cache, compile, run every rung, judge.
    public func verify(_ file: ScannedFile) -> FileReport {
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
            return report
        }
        let cacheKey = SHA256.hex(of: [file.displayPath, file.text, toolchain.libraryFingerprint, toolchain.compilerVersion,
                                       String(options.precision), String(options.ladder)].joined(separator: "\u{0}"))
        let cacheFile = toolchain.cacheDirectory.appendingPathComponent("reports/\(cacheKey).json")
        if options.useCache, let data = FileManager.default.contents(atPath: cacheFile.path),
           var cached = try? JSONDecoder().decode(FileReport.self, from: data) {
            cached.cached = true
            return cached
        }

        let source = ProgramGenerator(displayPath: file.displayPath).source(for: file.blocks)
        let executable: URL
        let compileStart = Date()
        let compiled = compile(source)
        report.compileSeconds = Date().timeIntervalSince(compileStart)
        switch compiled {
        case .success(let url): executable = url
        case .failure(let problems):
            report.problems = problems
            report.seconds = Date().timeIntervalSince(start)
            return report
        }

        var recordsByRung: [[ClaimRecord]] = []
        for precision in options.precisions {
            let remaining = options.timeout - Date().timeIntervalSince(start)
            let rungStart = Date()
            let run = runProgram(executable, precision: precision, timeout: max(1, remaining), file: file)
            report.rungSeconds.append(Date().timeIntervalSince(rungStart))
            recordsByRung.append(run.claims)
            report.problems += run.problems
            if !run.problems.isEmpty { break }
        }
        report.claims = judge(recordsByRung)
        if report.claims.isEmpty && report.problems.isEmpty {
            report.problems.append(FileProblem(kind: .noClaims, line: nil, message: "the blocks ran but made no claims: nothing is checked"))
        }
        report.minimumDigits = report.claims.filter { $0.kind == .equality && $0.passed }.compactMap(\.digits).min()
        report.passed = report.problems.isEmpty && !report.claims.isEmpty && report.claims.allSatisfy(\.passed)
        report.seconds = Date().timeIntervalSince(start)
        if options.useCache && !report.problems.contains(where: { $0.kind == .timeout }),
           let data = try? JSONEncoder().encode(report) {
            try? FileManager.default.createDirectory(at: cacheFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? data.write(to: cacheFile, options: .atomic)
        }
        return report
    }

    /// Pairs the records of the rungs by ID and judges each claim.
    func judge(_ rungs: [[ClaimRecord]]) -> [ClaimResult] {
        guard let first = rungs.first else { return [] }
        let later = rungs.dropFirst().map { Dictionary($0.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }) }
        return first.map { record in
            let matches = later.compactMap { $0[record.id] }
            if matches.count < later.count || (options.ladder && rungs.count < 2) {
                var result = VerdictRules.judge([record], ladder: false)
                result.verdict = .error
                result.passed = false
                result.detail = "only the \(record.precision)-bit run reached this claim: the file did not finish both rungs"
                return result
            }
            return VerdictRules.judge([record] + matches, ladder: options.ladder)
        }
    }

    // MARK: Compiling

    enum CompileOutcome {
        case success(URL)
        case failure([FileProblem])
    }

    /// Compiles the program, reusing a cached executable for identical source, library and compiler.
    func compile(_ source: String) -> CompileOutcome {
        let key = SHA256.hex(of: [source, toolchain.libraryFingerprint, toolchain.compilerVersion].joined(separator: "\u{0}"))
        let folder = toolchain.cacheDirectory.appendingPathComponent("programs/\(key)")
        let executable = folder.appendingPathComponent("derivation")
        if options.useCache && FileManager.default.isExecutableFile(atPath: executable.path) { return .success(executable) }
        do {
            let work = folder.appendingPathComponent("build-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let sourceURL = work.appendingPathComponent("main.swift"), output = work.appendingPathComponent("derivation")
            try source.write(to: sourceURL, atomically: true, encoding: .utf8)
            let outcome = try runProcess(toolchain.swiftc, toolchain.compileArguments(source: sourceURL, executable: output),
                                         timeout: options.timeout)
            guard outcome.succeeded else { return .failure(compileProblems(outcome)) }
            // Another verifier may have placed the same program meanwhile; either copy is the same program.
            do {
                try? FileManager.default.removeItem(at: executable)
                try FileManager.default.moveItem(at: output, to: executable)
            } catch where FileManager.default.isExecutableFile(atPath: executable.path) {}
            return .success(executable)
        } catch {
            return .failure([FileProblem(kind: .compile, line: nil, message: "could not run the compiler: \(error)")])
        }
    }

    /// The compiler's errors that point into the Markdown file, or its whole output when none does.
    func compileProblems(_ outcome: ProcessOutcome) -> [FileProblem] {
        if outcome.timedOut { return [FileProblem(kind: .compile, line: nil, message: "the compiler ran past the time limit")] }
        let text = outcome.errors + outcome.output
        var problems: [FileProblem] = []
        for line in text.split(separator: "\n") where line.contains(": error: ") {
            let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0].hasSuffix(".md"), let lineNumber = Int(parts[1]) else { continue }
            let message = parts[3].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "error: ", with: "")
            problems.append(FileProblem(kind: .compile, line: lineNumber, message: "compile error: \(message)"))
        }
        if problems.isEmpty {
            let tail = text.split(separator: "\n").suffix(15).joined(separator: "\n")
            problems.append(FileProblem(kind: .compile, line: nil, message: "the program did not compile or link:\n\(tail)"))
        }
        return problems
    }

    // MARK: Running one rung

    struct RungRun {
        var claims: [ClaimRecord] = []
        var problems: [FileProblem] = []
    }

    /// Runs the compiled program at one precision and reads its records.
    func runProgram(_ executable: URL, precision: Int, timeout: Double, file: ScannedFile) -> RungRun {
        var run = RungRun()
        let results = FileManager.default.temporaryDirectory.appendingPathComponent("verify-results-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: results) }
        let outcome: ProcessOutcome
        do {
            outcome = try runProcess(executable.path, ["--precision", String(precision), "--results", results.path], timeout: timeout)
        } catch {
            run.problems.append(FileProblem(kind: .runtime, line: nil, message: "could not start the program: \(error)"))
            return run
        }
        let text = (try? String(contentsOf: results, encoding: .utf8)) ?? ""
        var lastBlock: Int? = nil
        var finished = false
        let decoder = JSONDecoder()
        for line in text.split(separator: "\n") {
            let data = Data(line.utf8)
            if line.contains("\"type\":\"claim\""), let record = try? decoder.decode(ClaimRecord.self, from: data) {
                run.claims.append(record)
            } else if line.contains("\"type\":\"block\""), let event = try? decoder.decode(BlockEvent.self, from: data) {
                lastBlock = event.line
            } else if line.contains("\"type\":\"end\"") {
                finished = true
            }
        }
        let whereItWas = lastBlock.map { "in the block at \(file.displayPath):\($0)" } ?? "before the first block"
        if outcome.timedOut {
            run.problems.append(FileProblem(kind: .timeout, line: lastBlock,
                                            message: "killed after \(Int(options.timeout.rounded())) s at \(precision) bits, \(whereItWas)"))
        } else if !outcome.succeeded || !finished {
            let (line, message) = trapLocation(outcome.errors, file: file, fallback: lastBlock)
            let how = outcome.wasSignalled ? "trapped (signal \(outcome.status))" : "exited with status \(outcome.status)"
            run.problems.append(FileProblem(kind: .runtime, line: line,
                                            message: "the program \(how) at \(precision) bits \(whereItWas)\(message.map { ": \($0)" } ?? "")"))
        }
        return run
    }

    /// The Markdown line and message of a runtime error: the line from the `Fatal error` message when it names
    /// the Markdown file, else the first backtrace frame in the Markdown file (programs are compiled with `-g`,
    /// and `#sourceLocation` maps their line table to the `.md`), else the running block.
    func trapLocation(_ errors: String, file: ScannedFile, fallback: Int?) -> (Int?, String?) {
        let name = URL(fileURLWithPath: file.displayPath).lastPathComponent
        var message: String? = nil
        var line: Int? = nil
        for text in errors.split(separator: "\n") {
            if message == nil, let range = text.range(of: "Fatal error: ") {
                message = String(text[range.upperBound...])
                let prefix = text[..<range.lowerBound]
                if let location = prefix.range(of: "\(name):", options: .backwards) {
                    line = Int(prefix[location.upperBound...].prefix { $0.isNumber })
                }
            }
            if line == nil, let at = text.range(of: " at ", options: .backwards),
               let location = text[at.upperBound...].range(of: "\(name):", options: .backwards) {
                line = Int(text[location.upperBound...].prefix { $0.isNumber })
            }
        }
        if message == nil {
            let lastLines = errors.split(separator: "\n").filter { !$0.isEmpty }.prefix(3).joined(separator: " / ")
            message = lastLines.isEmpty ? nil : lastLines
        }
        return (line ?? fallback, message)
    }
}

/// Several input errors found together.
public struct InputErrors: Error, CustomStringConvertible, Sendable {
    /// The errors, in the order found.
    public var errors: [InputError]
    public init(_ errors: [InputError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
