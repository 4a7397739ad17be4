import DerivationKit
import Foundation
import Synchronization

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
    /// With ``mutate``: fail when a file's score (percent of caught among caught and missed mutants) is below this.
    public var minimumScore: Double? = nil
    /// Writes and checks rendered pages (``renderDirectory``, ``checkDocsDirectory``); the `Pages` module provides one.
    public var pages: (any PagePublisher)? = nil

    public init(paths: [String]) { self.paths = paths }
}

/// What the driver needs from the rendered pages, which live in a layer above the verifier.
public protocol PagePublisher: Sendable {
    /// Writes the pages of `run` (verified from `sources`) into `folder`; returns notes for the person running
    /// `verify` (for example that a layout tool is missing and what was drawn instead).
    func write(run: RunReport, sources: [ScannedFile], to folder: String) throws -> [String]
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

/// Carries out a request, writing the report to standard output and problems to standard error.
public func perform(_ request: VerifyRequest) -> VerifyExitStatus {
    let standardError = FileHandle.standardError
    func fail(_ message: String) -> VerifyExitStatus {
        standardError.write(Data(("verify: " + message + "\n").utf8))
        return .inputError
    }
    if let folder = request.checkDocsDirectory {
        guard let pages = request.pages else { return fail("--check-docs needs the page renderer, which this build lacks") }
        do {
            let stale = try pages.staleSources(in: folder)
            if stale.isEmpty { print("docs in \(folder) match their sources"); return .passed }
            for line in stale { print(line) }
            return .failed
        } catch {
            return fail("\(error)")
        }
    }
    // A path that names nothing, or a file that cannot be read or scanned, is reported as a failed file; every
    // other file is still verified, and the exit status is 2.
    let (paths, pathErrors) = Verifier.findFiles(request.paths)
    let (scanned, scanErrors) = Verifier.scanAll(paths)
    let inputErrors = pathErrors + scanErrors
    for error in inputErrors { standardError.write(Data("verify: \(error)\n".utf8)) }
    let finalStatus = { (status: VerifyExitStatus) in inputErrors.isEmpty ? status : .inputError }
    if request.listOnly {
        for file in scanned {
            for block in file.blocks {
                let language = block.language.isEmpty ? "(none)" : block.language
                print("\(file.displayPath):\(block.fenceLine)  \(language)  \(block.role.summary)")
            }
        }
        return finalStatus(.passed)
    }
    if request.mutate {
        guard !scanned.isEmpty else { return .inputError }
        let run: MutationRunReport
        do { run = try withVerifier(request, files: scanned.count) { verifier, progress in verifier.mutate(scanned, progress: progress) } }
        catch { return fail("\(error)") }
        if request.json {
            guard let text = try? prettyJSON(run) else { return fail("could not encode the JSON report") }
            print(text)
        } else {
            print(mutationReport(run), terminator: "")
        }
        var status = VerifyExitStatus.passed
        for file in run.files {
            if file.problem != nil { status = .failed }
            if let minimum = request.minimumScore, (file.score ?? 0) < minimum {
                standardError.write(Data("verify: \(file.file): mutation score \(file.score.map { String(format: "%.1f", $0) } ?? "n/a") % is below the required \(minimum) %\n".utf8))
                status = .failed
            }
        }
        return finalStatus(status)
    }
    let run: RunReport
    if scanned.isEmpty {
        run = RunReport(files: inputErrors.map(Verifier.inputFailure), versions: [:], seconds: 0)
    } else {
        do {
            run = try withVerifier(request, files: scanned.count) { verifier, progress in
                verifier.verify(scanned, inputErrors: inputErrors, progress: progress)
            }
        } catch { return fail("\(error)") }
    }
    if request.json {
        guard let text = try? jsonReport(run) else { return fail("could not encode the JSON report") }
        print(text)
    } else {
        print(HumanReporter(sources: scanned).render(run), terminator: "")
    }
    if let path = request.junitPath {
        do { try junitReport(run).write(toFile: path, atomically: true, encoding: .utf8) } catch {
            return fail("cannot write the JUnit report to \(path): \(error)")
        }
    }
    if let folder = request.renderDirectory, !scanned.isEmpty {
        guard let pages = request.pages else { return fail("--render needs the page renderer, which this build lacks") }
        do {
            for note in try pages.write(run: run, sources: scanned, to: folder) {
                standardError.write(Data("verify: \(note)\n".utf8))
            }
        } catch {
            return fail("cannot render pages into \(folder): \(error)")
        }
    }
    return finalStatus(run.passed ? .passed : .failed)
}

/// Runs `body` with a verifier on the located toolchain and a progress line on the terminal (not with `--json`),
/// ending the children `verify` starts if it is interrupted. Throws when the toolchain cannot be found.
func withVerifier<Result>(_ request: VerifyRequest, files: Int,
                          _ body: (Verifier, @escaping @Sendable (String) -> Void) -> Result) throws -> Result {
    let toolchain = try Toolchain.locate()
    endChildrenOnInterrupt()
    let progress = ProgressLine(total: files, enabled: isatty(STDERR_FILENO) != 0 && !request.json)
    defer { progress.clear() }
    return body(Verifier(toolchain: toolchain, options: request.options)) { event in progress.update(event) }
}

/// A one-line, self-erasing progress display on a terminal.
final class ProgressLine: Sendable {
    let total: Int
    let enabled: Bool
    let state = Mutex<(finished: Int, running: [String])>((0, []))

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ event: String) {
        guard enabled else { return }
        let line: String = state.withLock { state in
            if event.hasPrefix("started ") { state.running.append(String(event.dropFirst(8))) }
            if event.hasPrefix("finished ") {
                state.finished += 1
                state.running.removeAll { $0 == String(event.dropFirst(9)) }
            }
            return "[\(state.finished)/\(total)] running \(state.running.joined(separator: ", "))"
        }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
