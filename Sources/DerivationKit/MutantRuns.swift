import Foundation
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Mutation analysis
//
// `verify --mutate` compiles every mutant of a file into one program, the mutant schema, and switches one on at a
// time. A run with mutant k switched on does exactly what the unmutated run does until the schema first asks
// whether k is active, so the verifier runs the schema once unmutated as a *fork server*: at the first evaluation
// of each mutant's code the run forks, and the child goes on as that mutant (its record channel a file of its own,
// starting with every record written before the fork). No mutant repeats the work before its change.

/// The exit status of a run stopped at its first failing claim.
public let stoppedAtFailureStatus: Int32 = 75

/// The mutated value when mutant `id` is active, the original otherwise; only the chosen one is evaluated.
/// Only the generated mutant schema calls this.
@_spi(GeneratedProgram)
@inline(__always)
public func _mutant<T>(_ id: Int, _ mutated: @autoclosure () throws -> T, _ original: @autoclosure () throws -> T) rethrows -> T {
    try _mutantActive(id) ? mutated() : original()
}

/// The value of an element of the mutant schema that holds several mutants: `switched` returns the active
/// mutant's value or the original's. `like` is never called: it holds the original element, whose type, solved
/// together with the surrounding expression, gives the type every branch of `switched` is checked against one by
/// one. Only the generated mutant schema calls this.
@_spi(GeneratedProgram)
@inline(__always)
public func _mutants<T>(like _: () throws -> T, _ switched: () throws -> T) rethrows -> T {
    try switched()
}

/// An empty slot for the value of `like`, which is never called: it gives the slot its type, so that each mutant's
/// copy of a declaration's value is assigned to it, and checked by the compiler, on its own. Only the generated
/// mutant schema calls this.
@_spi(GeneratedProgram)
@inline(__always)
public func _mutantSlot<T>(_ like: () throws -> T) -> T? {
    nil
}

/// A numeric literal with one mutant: `value` when mutant `id` is active, `original` otherwise. The literal
/// mutants of a token are switched at the token itself, so they cost the compiler no copy of their statement.
/// Only the generated mutant schema calls these.
@_spi(GeneratedProgram)
@inline(__always)
public func _literal1<T>(_ original: T, _ id: Int, _ value: @autoclosure () -> T) -> T {
    _mutantActive(id) ? value() : original
}

/// A numeric literal with two mutants (see ``_literal1(_:_:_:)``).
@_spi(GeneratedProgram)
@inline(__always)
public func _literal2<T>(_ original: T, _ id1: Int, _ value1: @autoclosure () -> T, _ id2: Int, _ value2: @autoclosure () -> T) -> T {
    _mutantActive(id1) ? value1() : _literal1(original, id2, value2())
}

/// A numeric literal with three mutants (see ``_literal1(_:_:_:)``).
@_spi(GeneratedProgram)
@inline(__always)
public func _literal3<T>(_ original: T, _ id1: Int, _ value1: @autoclosure () -> T, _ id2: Int, _ value2: @autoclosure () -> T,
                         _ id3: Int, _ value3: @autoclosure () -> T) -> T {
    _mutantActive(id1) ? value1() : _literal2(original, id2, value2(), id3, value3())
}

/// A numeric literal with four mutants (see ``_literal1(_:_:_:)``).
@_spi(GeneratedProgram)
@inline(__always)
public func _literal4<T>(_ original: T, _ id1: Int, _ value1: @autoclosure () -> T, _ id2: Int, _ value2: @autoclosure () -> T,
                         _ id3: Int, _ value3: @autoclosure () -> T, _ id4: Int, _ value4: @autoclosure () -> T) -> T {
    _mutantActive(id1) ? value1() : _literal3(original, id2, value2(), id3, value3(), id4, value4())
}

/// Whether mutant `id` is active. Only the generated mutant schema calls this.
@_spi(GeneratedProgram)
public func _mutantActive(_ id: Int) -> Bool {
    if activeMutantIsSettled { return id == settledActiveMutant }
    return MutantForks.isActive(id)
}

/// Whether ``settledActiveMutant`` answers ``_mutantActive(_:)`` on its own: no coverage is recorded and no fork
/// server runs. A schema asks millions of times per run; these plain globals with constant initialisers are read
/// without the lazy initialisation of `MutantForks`'s settings (a `swift_once` per read) or an exclusivity check.
@exclusivity(unchecked) nonisolated(unsafe) private var activeMutantIsSettled = false
/// The active mutant once it is settled (0: none).
@exclusivity(unchecked) nonisolated(unsafe) private var settledActiveMutant = 0

/// What a coverage run reports at its end: the mutant sites it reached.
public struct CoverageEvent: Codable, Sendable {
    /// Always "coverage".
    public var type = "coverage"
    /// The numbers of the mutant sites evaluated, ascending.
    public var reached: [Int]
}

/// The mutation settings of this run, read from the environment the verifier gives it, and the fork server.
///
/// - `VERIFY_MUTANT=k`: mutant k is active (0, the default, runs the derivation as written).
/// - `VERIFY_STOP_AT_FAILURE=1`: the run ends with status 75 at its first failing claim.
/// - `VERIFY_MUTANT_COVERAGE=1`: the run reports the mutant sites it reached after its end event.
/// - `VERIFY_MUTANT_FORK_DIR=DIR`: the run is a fork server. It forks at the first evaluation of every mutant
///   listed in `DIR/mutants` (one number per line; every mutant when the file is absent), at most
///   `VERIFY_MUTANT_JOBS` children at a time. A child is the mutant: its records go to `DIR/k.records`, its standard
///   error to `DIR/k.stderr`, its standard output nowhere; it stops at its first failing claim when
///   `VERIFY_MUTANT_STOP=1`, and is killed by `SIGPROF` after `VERIFY_MUTANT_TIME_LIMIT` seconds of processor time
///   (by `SIGALRM` after four times that in wall-clock time). Before its own end
///   the server waits for every child and writes `DIR/statuses`: one line per child, `k exit STATUS SECONDS` or
///   `k signal NUMBER SECONDS`.
enum MutantForks {
    private static let environment = ProcessInfo.processInfo.environment
    /// The fork server's folder, when this run is one.
    static let folder: String? = environment["VERIFY_MUTANT_FORK_DIR"]
    static var enabled: Bool { folder != nil }

    nonisolated(unsafe) private static var active: Int = environment["VERIFY_MUTANT"].flatMap(Int.init) ?? 0
    nonisolated(unsafe) private(set) static var stopsAtFirstFailure: Bool = environment["VERIFY_STOP_AT_FAILURE"] == "1"
    nonisolated(unsafe) private(set) static var recordsCoverage: Bool = environment["VERIFY_MUTANT_COVERAGE"] == "1"
    /// The mutant sites this run evaluated (kept when `recordsCoverage`).
    nonisolated(unsafe) private(set) static var reached: Set<Int> = []

    nonisolated(unsafe) private static var forking: Bool = folder != nil
    nonisolated(unsafe) private static var forked: Set<Int> = []
    nonisolated(unsafe) private static var children: [pid_t: (id: Int, start: ContinuousClock.Instant)] = [:]
    nonisolated(unsafe) private static var statuses: [String] = []
    private static let wanted: Set<Int>? = folder.flatMap { try? String(contentsOfFile: $0 + "/mutants", encoding: .utf8) }
        .map { Set($0.split(separator: "\n").compactMap { Int($0) }) }
    private static let jobs = max(1, environment["VERIFY_MUTANT_JOBS"].flatMap(Int.init) ?? 1)
    private static let timeLimit = environment["VERIFY_MUTANT_TIME_LIMIT"].flatMap(Double.init) ?? 0
    private static let childrenStop = environment["VERIFY_MUTANT_STOP"] == "1"

    /// Guards the coverage and the fork bookkeeping: derivation code may evaluate mutant sites on several threads.
    private static let lock = NSLock()

    /// Whether mutant `id` is active; a fork server forks here the first time it meets a wanted mutant, and the
    /// child answers yes.
    ///
    /// A fork copies only the thread that calls it, so the server forks only from its main thread while it is the
    /// process's only thread: a site first met on a worker thread, or while other threads exist, is not forked, and
    /// the verifier runs that mutant in a process of its own from the start.
    static func isActive(_ id: Int) -> Bool {
        guard recordsCoverage || forking else {
            settle()
            return id == active
        }
        lock.lock()
        defer { lock.unlock() }
        if recordsCoverage { reached.insert(id) }
        if forking, !forked.contains(id), wanted?.contains(id) ?? true {
            forked.insert(id)
            if Thread.isMainThread, isOnlyThread(), forkChild(id) { return true }
        }
        return id == active
    }

    /// From here on ``_mutantActive(_:)`` answers from the active mutant alone (no coverage, no forking).
    private static func settle() {
        settledActiveMutant = active
        activeMutantIsSettled = true
    }

    /// Whether the process has a single thread (Linux: the thread count of `/proc/self/stat`; elsewhere assumed).
    private static func isOnlyThread() -> Bool {
        #if os(Linux)
        let descriptor = open("/proc/self/stat", O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 1024)
        let count = read(descriptor, &buffer, buffer.count)
        guard count > 0 else { return false }
        // Fields after the command name, which ends at the last ')': state is the 3rd field, num_threads the 20th.
        guard let close = buffer[..<count].lastIndex(of: UInt8(ascii: ")")) else { return false }
        let fields = buffer[(close + 1)..<count].split(separator: UInt8(ascii: " "))
        guard fields.count > 17, let threads = Int(String(decoding: fields[17], as: UTF8.self)) else { return false }
        return threads == 1
        #else
        return true
        #endif
    }

    /// Forks the child that runs as mutant `id`: true in the child, false in the server.
    private static func forkChild(_ id: Int) -> Bool {
        while children.count >= jobs { reapOne() }
        guard let folder else { return false }
        fflush(nil)
        let pid = fork()
        if pid < 0 {
            statuses.append("\(id) unforked \(errno) 0")
            return false
        }
        guard pid == 0 else {
            children[pid] = (id, .now)
            return false
        }
        // The child: mutant `id` from here on, and a server no more.
        forking = false
        recordsCoverage = false
        children = [:]
        statuses = []
        active = id
        settle()
        stopsAtFirstFailure = childrenStop
        let records = open("\(folder)/\(id).records", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let errors = open("\(folder)/\(id).stderr", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let nowhere = open("/dev/null", O_WRONLY)
        if nowhere >= 0 { dup2(nowhere, STDOUT_FILENO); close(nowhere) }
        if errors >= 0 { dup2(errors, STDERR_FILENO); close(errors) }
        if records < 0 { _exit(71) }
        RecordSink.shared.restart(on: records)
        limitMemory()
        if timeLimit > 0 {
            // The limit is on processor time (`SIGPROF`), which other processes on the machine do not stretch; a
            // child that waits instead of computing is stopped by `SIGALRM` at four times the limit in wall time.
            func arm(_ timer: Int32, _ seconds: Double) {
                let whole = Int(seconds)
                var value = itimerval(it_interval: timeval(tv_sec: 0, tv_usec: 0),
                                      it_value: timeval(tv_sec: whole, tv_usec: Int((seconds - Double(whole)) * 1e6)))
                setitimer(__itimer_which_t(UInt32(timer)), &value, nil)
            }
            arm(Int32(ITIMER_PROF.rawValue), timeLimit)
            arm(Int32(ITIMER_REAL.rawValue), 4 * timeLimit)
        }
        return true
    }

    /// Caps the address space of a mutant's process at four times what it uses when the mutant starts, and at least
    /// 2 GiB: a mutant that allocates without bound (a loop that appends forever) fails on its own instead of taking
    /// the machine's memory from the other processes. A run that exceeds it fails like a trap.
    static func limitMemory() {
        #if os(Linux)
        var used = 0
        if let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8), let pages = text.split(separator: " ").first.flatMap({ Int($0) }) {
            used = pages * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
        let bytes = rlim_t(max(2 << 30, 4 * used))
        var limit = rlimit(rlim_cur: bytes, rlim_max: bytes)
        setrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
        #endif
    }

    /// At the start of a run of one mutant in a process of its own (not forked): its memory is capped as a forked
    /// mutant's is.
    static func startStandaloneMutant() {
        if active != 0 && !forking { limitMemory() }
    }

    /// Waits for one child and notes how it ended.
    private static func reapOne() {
        var status: Int32 = 0
        let pid = waitpid(-1, &status, 0)
        if pid < 0 {
            if errno == EINTR { return }
            // No child left to wait for: note the lost ones instead of waiting forever.
            for (_, child) in children { statuses.append("\(child.id) lost \(errno) 0") }
            children = [:]
            return
        }
        guard let child = children.removeValue(forKey: pid) else { return }
        let elapsed = ContinuousClock.now - child.start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let signal = status & 0x7f
        statuses.append(signal == 0 ? "\(child.id) exit \((status >> 8) & 0xff) \(seconds)" : "\(child.id) signal \(signal) \(seconds)")
    }

    /// At the server's end: waits for every child and writes the statuses.
    static func finish() {
        guard forking, let folder else { return }
        while !children.isEmpty { reapOne() }
        forking = false
        try? (statuses.joined(separator: "\n") + "\n").write(toFile: folder + "/statuses", atomically: true, encoding: .utf8)
    }
}
