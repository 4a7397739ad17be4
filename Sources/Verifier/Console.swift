import Foundation
import Synchronization

/// Where `verify` writes: its report on standard output, problems and the progress line on standard error.
///
/// Tests capture both streams by giving their own writers.
public struct Console: Sendable {
    /// Writes to standard output.
    public var write: @Sendable (String) -> Void
    /// Writes to standard error.
    public var writeError: @Sendable (String) -> Void
    /// Whether results are coloured (standard output is a terminal and `NO_COLOR` is unset or empty).
    public var colour: Bool
    /// Whether a self-erasing progress line is drawn on standard error (it is a terminal).
    public var progressLine: Bool

    public init(write: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
                colour: Bool = false, progressLine: Bool = false) {
        self.write = write
        self.writeError = writeError
        self.colour = colour
        self.progressLine = progressLine
    }

    /// The process's standard output and error, coloured and with a progress line where they are terminals.
    public static var standard: Console {
        Console(write: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
                writeError: { text in FileHandle.standardError.write(Data(text.utf8)) },
                colour: wantsColour(isTerminal: isatty(STDOUT_FILENO) != 0, environment: ProcessInfo.processInfo.environment),
                progressLine: isatty(STDERR_FILENO) != 0)
    }

    /// Colour on a terminal unless `NO_COLOR` is set to a non-empty value (https://no-color.org).
    public static func wantsColour(isTerminal: Bool, environment: [String: String]) -> Bool {
        isTerminal && (environment["NO_COLOR"] ?? "").isEmpty
    }
}

/// ANSI colours for the human report, or none.
struct Palette: Sendable {
    var enabled: Bool
    func paint(_ text: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func pass(_ text: String) -> String { paint(text, "1;32") }
    func fail(_ text: String) -> String { paint(text, "1;31") }
    func dim(_ text: String) -> String { paint(text, "2") }
}

/// Shows a run as it happens: each file's result (its line, its problems and failing claims) as soon as the file
/// finishes, and a one-line progress display on standard error that the results never tear.
final class LiveReport: Sendable {
    let console: Console
    let reporter: HumanReporter
    let total: Int
    /// Whether finished files are written as they finish (the human report), or only counted (JSON, mutation).
    let streamsResults: Bool
    let state = Mutex<(finished: Int, running: [String], drawn: Bool)>((0, [], false))

    init(console: Console, reporter: HumanReporter, total: Int, streamsResults: Bool) {
        self.console = console
        self.reporter = reporter
        self.total = total
        self.streamsResults = streamsResults
    }

    /// Takes one event from the verifier.
    func handle(_ event: VerificationEvent) {
        state.withLock { state in
            switch event {
            case .fileStarted(let file):
                state.running.append(file)
            case .rungFinished, .claimJudged:
                return
            case .fileFinished(let file, let report):
                state.finished += 1
                if let index = state.running.firstIndex(of: file) { state.running.remove(at: index) }
                if streamsResults, let report {
                    erase(&state)
                    console.write(reporter.fileText(report))
                }
            }
            guard console.progressLine, state.finished < total else { return erase(&state) }
            console.writeError("\r\u{1B}[K[\(state.finished)/\(total)] running \(state.running.joined(separator: ", "))")
            state.drawn = true
        }
    }

    /// Removes the progress line.
    func clear() { state.withLock { erase(&$0) } }

    private func erase(_ state: inout (finished: Int, running: [String], drawn: Bool)) {
        if state.drawn { console.writeError("\r\u{1B}[K") }
        state.drawn = false
    }
}
