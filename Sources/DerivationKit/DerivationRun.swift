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
        /// Every line written so far, kept while mutants may be forked from this run (they start with them).
        var history: [Data]? = nil
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
        state = Mutex(State(descriptor: descriptor, history: MutantForks.enabled ? [] : nil))
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
            state.history?.append(data)
            Self.writeAll(data, to: state.descriptor)
        }
    }

    /// Moves the channel to `descriptor` (a forked mutant's own file), writing there first every line this run
    /// wrote before, so that the file holds the mutant's whole run. The old descriptor is closed.
    func restart(on descriptor: Int32) {
        state.withLock { state in
            close(state.descriptor)
            state.descriptor = descriptor
            for line in state.history ?? [] { Self.writeAll(line, to: descriptor) }
            state.history = nil
        }
    }

    private static func writeAll(_ data: Data, to descriptor: Int32) {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue }; break }
                offset += written
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
    if index == 0 {
        lineBufferStandardOutput()
        MutantForks.startStandaloneMutant()
    }
    _ = RecordSink.shared.lap()
    RecordSink.shared.write(ProgramEvent(type: .block, index: index, line: line, seal: seal, outputOffset: standardOutputOffset()))
}

/// Marks the normal end of the program after its last block. Only the generated `main` calls this.
@_spi(GeneratedProgram)
public func _finishProgram(blocks: Int, seal: String) {
    _ = RecordSink.shared.lap()
    MutantForks.finish()
    RecordSink.shared.write(ProgramEvent(type: .end, index: blocks, line: 0, seal: seal, outputOffset: standardOutputOffset()))
    // The coverage goes out when the process exits: a top-level `defer` of the last block runs after this call, and
    // the mutant sites it evaluates are reached too.
    if MutantForks.recordsCoverage { atexit { RecordSink.shared.write(CoverageEvent(reached: MutantForks.reached.sorted())) } }
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

/// Passes a claim's outcome through, ending the run when it failed and the run stops at the first failure.
func claimOutcome(_ holds: Bool) -> Bool {
    if !holds && MutantForks.stopsAtFirstFailure {
        fflush(nil)
        _exit(stoppedAtFailureStatus)
    }
    return holds
}
