import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MultiPrecision
import Synchronization

/// The settings of the running derivation program, read once from its command line.
///
/// The verifier starts a program as `program --precision BITS` with the record channel's descriptor
/// number in the environment variable `VERIFY_RECORD_FD`. Run by hand without them, a program uses
/// 576 bits and writes its records to standard error.
public struct DerivationRun: Sendable {
    /// The working precision of this run, in bits.
    public let precision: Int

    /// The settings of this process.
    public static let current: DerivationRun = {
        let arguments = CommandLine.arguments
        var precision = 576
        if let index = arguments.firstIndex(of: "--precision"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
            precision = value
        }
        return DerivationRun(precision: precision)
    }()
}

/// The working precision of the running derivation, in bits (576 and then 1152 by default).
///
/// Use it for every constant a derivation creates, e.g. `BigFloat.pi(precision: workingPrecision)`,
/// or use ``number(_:)-(Int)``.
public let workingPrecision: Int = DerivationRun.current.precision

/// Writes claim records and program events as JSON lines on the record channel, flushing after each one
/// so that a crash or a timeout keeps everything written before it.
///
/// The channel is a descriptor the verifier opened for the program and named in `VERIFY_RECORD_FD`. On
/// first use the sink moves it to a high descriptor number chosen at random, closes the original, and
/// removes the variable, so that code in a block cannot write to it by accident. Standard output stays
/// the blocks' own: the verifier keeps what they print, apart from the records.
final class RecordSink: Sendable {
    static let shared = RecordSink()

    private struct State {
        var descriptor: Int32
        var ordinal = 0
        var lastInstant = ContinuousClock.now
    }
    private let state: Mutex<State>
    /// The working precision, read when the sink opens (before the first block runs).
    let precision: Int

    private init() {
        var descriptor = STDERR_FILENO
        if let text = ProcessInfo.processInfo.environment["VERIFY_RECORD_FD"], let given = Int32(text) {
            let high = fcntl(given, F_DUPFD_CLOEXEC, Int32.random(in: 300...900))
            if high >= 0 {
                close(given)
                descriptor = high
            } else {
                descriptor = given
            }
            unsetenv("VERIFY_RECORD_FD")
        }
        state = Mutex(State(descriptor: descriptor))
        precision = workingPrecision
    }

    /// The next claim ordinal (1, 2, 3… in the order the claims are made).
    func nextOrdinal() -> Int {
        state.withLock { state in
            state.ordinal += 1
            return state.ordinal
        }
    }

    /// Seconds since the previous record or block event, restarting the clock.
    func lap() -> Double {
        state.withLock { state in
            let now = ContinuousClock.now
            let elapsed = now - state.lastInstant
            state.lastInstant = now
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        }
    }

    /// Writes one record. Encoding cannot fail (non-finite numbers are strings); if it did, a record saying so
    /// is written instead, so that no claim goes missing.
    func write<T: Encodable>(_ value: T) {
        var data = (try? RecordCoding.encoder().encode(value))
            ?? Data(#"{"type":"unencodable"}"#.utf8)
        data.append(0x0A)
        state.withLock { state in
            data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(state.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { if errno == EINTR { continue }; break }
                    offset += written
                }
            }
        }
    }
}

/// The byte offset of standard output after flushing it (nil when standard output cannot seek, e.g. a terminal).
func standardOutputOffset() -> Int? {
    fflush(nil)  // every output stream, standard output among them
    let offset = lseek(STDOUT_FILENO, 0, SEEK_CUR)
    return offset >= 0 ? Int(offset) : nil
}

/// Marks the start of a Markdown block. Only the generated `main` calls this, before each block's code.
@_spi(GeneratedProgram)
public func _enterBlock(_ index: Int, line: Int, seal: String) {
    // Line-buffered standard output (set before anything is printed), so that what a block printed before a trap
    // reaches the report instead of dying in the buffer.
    if index == 0 { lineBufferStandardOutput() }
    _ = RecordSink.shared.lap()
    RecordSink.shared.write(ProgramEvent(type: .block, index: index, line: line, seal: seal, outputOffset: standardOutputOffset()))
}

/// Marks the normal end of the program after its last block. Only the generated `main` calls this.
@_spi(GeneratedProgram)
public func _finishProgram(blocks: Int, seal: String) {
    _ = RecordSink.shared.lap()
    RecordSink.shared.write(ProgramEvent(type: .end, index: blocks, line: 0, seal: seal, outputOffset: standardOutputOffset()))
    if recordsCoverage { RecordSink.shared.write(CoverageEvent(reached: reachedMutants.withLock { $0.sorted() })) }
}

/// A slug of `label` usable as an ID: lower-case ASCII letters, digits and single dashes.
public func slug(_ label: String) -> String {
    var result = ""
    for scalar in label.lowercased().unicodeScalars {
        if scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar)) {
            result.unicodeScalars.append(scalar)
        } else if !result.isEmpty && !result.hasSuffix("-") {
            result.append("-")
        }
    }
    while result.hasSuffix("-") { result.removeLast() }
    return result.isEmpty ? "claim" : String(result.prefix(60))
}

/// Where a claim was written: the Markdown file, line and column of the call.
struct CallSite {
    var file: StaticString
    var line: UInt
    var column: UInt
}

func newRecord(label: String, id: String?, kind: ClaimKind, at site: CallSite) -> ClaimRecord {
    var record = ClaimRecord(id: id, label: label, file: "\(site.file)", line: Int(site.line), column: Int(site.column),
                             kind: kind, precision: RecordSink.shared.precision, seconds: RecordSink.shared.lap())
    record.ordinal = RecordSink.shared.nextOrdinal()
    record.outputOffset = standardOutputOffset()
    return record
}

// MARK: - Numbers at the working precision

/// The integer `value` at the working precision (exact).
public func number(_ value: Int) -> BigFloat { BigFloat(value, precision: workingPrecision) }

/// The rational p/q at the working precision, rounded once.
public func number(_ numerator: Int, over denominator: Int) -> BigFloat {
    BigFloat(numerator: numerator, denominator: denominator, precision: workingPrecision)
}

/// The decimal number `text` at the working precision, rounded once; stops the program at the
/// calling line when `text` is not a number.
public func number(_ text: String, file: StaticString = #file, line: UInt = #line) -> BigFloat {
    do {
        return try BigFloat(text, precision: workingPrecision)
    } catch {
        fatalError("\(error)", file: file, line: line)
    }
}

extension SeededInputs {
    /// A generator started from `seed`, producing values at the working precision.
    public init(seed: UInt64) { self.init(seed: seed, precision: workingPrecision) }
}

// MARK: - Mutation analysis

/// The mutant this run switches on (`VERIFY_MUTANT`; 0, the default, runs the derivation as written).
let activeMutant: Int = ProcessInfo.processInfo.environment["VERIFY_MUTANT"].flatMap(Int.init) ?? 0

/// Whether the run stops at the first claim that does not hold (`VERIFY_STOP_AT_FAILURE=1`): a mutant is caught
/// as soon as one claim fails.
let stopsAtFirstFailure: Bool = ProcessInfo.processInfo.environment["VERIFY_STOP_AT_FAILURE"] == "1"

/// The exit status of a run stopped at its first failing claim.
public let stoppedAtFailureStatus: Int32 = 75

/// The mutated value when mutant `id` is active, the original otherwise; only the chosen one is evaluated.
/// Only the generated mutant schema calls this.
@_spi(GeneratedProgram)
@inline(__always)
public func _mutant<T>(_ id: Int, _ mutated: @autoclosure () throws -> T, _ original: @autoclosure () throws -> T) rethrows -> T {
    try _mutantActive(id) ? mutated() : original()
}

/// Whether mutant `id` is active. Only the generated mutant schema calls this.
@_spi(GeneratedProgram)
public func _mutantActive(_ id: Int) -> Bool {
    if recordsCoverage { reachedMutants.withLock { _ = $0.insert(id) } }
    return id == activeMutant
}

/// Whether the run records which mutant sites it reached (`VERIFY_MUTANT_COVERAGE=1`, with no mutant active).
let recordsCoverage: Bool = ProcessInfo.processInfo.environment["VERIFY_MUTANT_COVERAGE"] == "1"

/// The mutant sites this run evaluated.
let reachedMutants = Mutex<Set<Int>>([])

/// What a coverage run reports at its end: the mutant sites it reached.
public struct CoverageEvent: Codable, Sendable {
    /// Always "coverage".
    public var type = "coverage"
    /// The numbers of the mutant sites evaluated, ascending.
    public var reached: [Int]
}

/// Passes a claim's outcome through, ending the run when it failed and the run stops at the first failure.
func claimOutcome(_ holds: Bool) -> Bool {
    if !holds && stopsAtFirstFailure {
        fflush(nil)
        _exit(stoppedAtFailureStatus)
    }
    return holds
}
