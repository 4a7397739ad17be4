import Foundation

/// The outcome of running a child process.
public struct ProcessOutcome: Sendable {
    /// The exit status, or the signal number when ``wasSignalled``.
    public var status: Int32
    /// Whether the process ended by a signal (a trap, or our kill at the timeout).
    public var wasSignalled: Bool
    /// Whether it was killed because it ran past its time limit.
    public var timedOut: Bool
    /// What it wrote on standard output.
    public var output: String
    /// What it wrote on standard error.
    public var errors: String
    /// Wall-clock seconds.
    public var seconds: Double

    /// Whether it exited normally with status 0.
    public var succeeded: Bool { !wasSignalled && !timedOut && status == 0 }
}

/// Runs `executable` with `arguments`, killing it (and reporting a timeout) after `timeout` seconds.
///
/// Output goes through temporary files rather than pipes, so a chatty child cannot block on a full pipe.
public func runProcess(_ executable: String, _ arguments: [String], timeout: Double? = nil,
                       workingDirectory: String? = nil, environment: [String: String]? = nil) throws -> ProcessOutcome {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outputURL = scratch.appendingPathComponent("stdout"), errorURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
    let outputHandle = try FileHandle(forWritingTo: outputURL), errorHandle = try FileHandle(forWritingTo: errorURL)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = outputHandle
    process.standardError = errorHandle
    process.standardInput = FileHandle.nullDevice
    if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
    if let environment { process.environment = environment }
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    let start = Date()
    try process.run()
    var timedOut = false
    if let timeout {
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
        }
    } else {
        finished.wait()
    }
    try? outputHandle.close()
    try? errorHandle.close()
    let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
    return ProcessOutcome(status: process.terminationStatus, wasSignalled: process.terminationReason == .uncaughtSignal,
                          timedOut: timedOut, output: read(outputURL), errors: read(errorURL),
                          seconds: Date().timeIntervalSince(start))
}

/// The full path of `name` found on PATH, or nil.
func findOnPath(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
        let candidate = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
