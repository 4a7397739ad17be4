import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

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
    /// What it wrote on the record channel (descriptor `VERIFY_RECORD_FD`), when one was asked for.
    public var records: String = ""
    /// Wall-clock seconds.
    public var seconds: Double

    /// Whether it exited normally with status 0.
    public var succeeded: Bool { !wasSignalled && !timedOut && status == 0 }
}

/// Why a child process could not be started.
public struct SpawnError: Error, CustomStringConvertible, Sendable {
    /// The program.
    public var executable: String
    /// The `errno` of `posix_spawn`.
    public var code: Int32
    public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
}

/// The process groups of the children running now, so that an interrupted `verify` can end them.
final class RunningChildren: Sendable {
    static let shared = RunningChildren()
    private let groups = Mutex<Set<pid_t>>([])

    func insert(_ group: pid_t) { groups.withLock { _ = $0.insert(group) } }
    func remove(_ group: pid_t) { groups.withLock { _ = $0.remove(group) } }

    /// Kills every running child's process group.
    func killAll() {
        for group in groups.withLock({ $0 }) { kill(-group, SIGKILL) }
    }
}

/// Makes SIGINT and SIGTERM end every running child (compiler, derivation program) before `verify` exits with
/// 128 + the signal's number. Children run in process groups of their own, so a terminal's Ctrl-C reaches
/// `verify` alone and this handler passes it on.
public func endChildrenOnInterrupt() {
    for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
        source.setEventHandler {
            RunningChildren.shared.killAll()
            exit(128 + signalNumber)
        }
        source.resume()
        interruptSources.keep(source)
    }
}

/// Keeps the signal sources alive for the life of the process.
private final class SignalSources: @unchecked Sendable {
    private let lock = NSLock()
    private var sources: [any DispatchSourceSignal] = []
    func keep(_ source: any DispatchSourceSignal) { lock.withLock { sources.append(source) } }
}

private let interruptSources = SignalSources()

/// Runs `executable` with `arguments` in a process group of its own, killing the group (and reporting a timeout)
/// after `timeout` seconds.
///
/// Output goes through temporary files rather than pipes, so a chatty child cannot block on a full pipe. With
/// `recordChannel`, the child also inherits the write end of a pipe, named in its environment as
/// `VERIFY_RECORD_FD`, which a thread of this process drains; what the child wrote there comes back in
/// ``ProcessOutcome/records``. The child can neither read back nor rewrite what it wrote.
public func runProcess(_ executable: String, _ arguments: [String], timeout: Double? = nil,
                       environment: [String: String]? = nil,
                       recordChannel: Bool = false) throws -> ProcessOutcome {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("verify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let paths = ["stdout", "stderr"].map { scratch.appendingPathComponent($0).path }
    let descriptors = paths.map { open($0, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }
    defer { for descriptor in descriptors where descriptor >= 0 { close(descriptor) } }
    if let failed = descriptors.firstIndex(where: { $0 < 0 }) {
        throw SpawnError(executable: paths[failed], code: errno)
    }
    let recordDescriptor: Int32 = 3
    var channel: [Int32] = [-1, -1]
    if recordChannel {
        guard pipe(&channel) == 0 else { throw SpawnError(executable: executable, code: errno) }
        for end in channel { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    }
    defer { for end in channel where end >= 0 { close(end) } }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, descriptors[0], 1)
    posix_spawn_file_actions_adddup2(&actions, descriptors[1], 2)
    if recordChannel { posix_spawn_file_actions_adddup2(&actions, channel[1], recordDescriptor) }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, signalNumber) }
    var unblocked = sigset_t()
    sigemptyset(&unblocked)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &unblocked)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    var variables = environment ?? ProcessInfo.processInfo.environment
    if recordChannel { variables["VERIFY_RECORD_FD"] = String(recordDescriptor) }
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { for pointer in argv + envp { free(pointer) } }

    let start = Date()
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard spawned == 0 else { throw SpawnError(executable: executable, code: spawned) }
    let child = pid
    RunningChildren.shared.insert(child)
    defer { RunningChildren.shared.remove(child) }
    let records = RecordChannelReader(descriptor: channel[0])
    if recordChannel {
        close(channel[1])
        channel[1] = -1
        records.start()
    }

    let finished = DispatchSemaphore(value: 0)
    let status = Mutex<Int32>(0)
    Thread.detachNewThread {
        var value: Int32 = 0
        while waitpid(child, &value, 0) < 0 && errno == EINTR {}
        status.withLock { $0 = value }
        finished.signal()
    }
    var timedOut = false
    if let timeout, finished.wait(timeout: .now() + max(0, timeout)) == .timedOut {
        timedOut = true
        kill(-child, SIGKILL)
        finished.wait()
    } else if timeout == nil {
        finished.wait()
    }
    // Anything the child left running in its group (helpers of the compiler, say) ends with it.
    kill(-child, SIGKILL)
    let raw = status.withLock { $0 }
    let recordText = recordChannel ? records.finish() : ""
    let signalled = (raw & 0x7f) != 0 && (raw & 0x7f) != 0x7f
    let read = { (path: String) in
        (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
    return ProcessOutcome(status: signalled ? raw & 0x7f : (raw >> 8) & 0xff, wasSignalled: signalled, timedOut: timedOut,
                          output: read(paths[0]), errors: read(paths[1]), records: recordText,
                          seconds: Date().timeIntervalSince(start))
}

/// Drains the read end of a record channel on a thread of its own until every writer has closed it.
final class RecordChannelReader: @unchecked Sendable {
    private let descriptor: Int32
    private let lock = NSLock()
    private var data = Data()
    private var stopping = false
    private let done = DispatchSemaphore(value: 0)

    init(descriptor: Int32) { self.descriptor = descriptor }

    func start() {
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, 100)
                if ready < 0 && errno == EINTR { continue }
                if ready == 0 {
                    if lock.withLock({ stopping }) { break }
                    continue
                }
                let count = read(descriptor, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                lock.withLock { data.append(contentsOf: buffer[0..<count]) }
            }
            done.signal()
        }
    }

    /// Everything read, once the writers have closed the channel (or, when something that outlived the child
    /// still holds it open, once it has been quiet for a moment).
    func finish() -> String {
        if done.wait(timeout: .now() + 2) == .timedOut {
            lock.withLock { stopping = true }
            done.wait()
        }
        return lock.withLock { String(decoding: data, as: UTF8.self) }
    }
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
