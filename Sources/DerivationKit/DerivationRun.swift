import Foundation
import MultiPrecision
import Synchronization

/// The settings of the running derivation program, read once from its command line.
///
/// The verifier starts a program as `program --precision BITS --results PATH`. Run by hand without
/// arguments, a program uses 576 bits and writes its records to standard output.
public struct DerivationRun: Sendable {
    /// The working precision of this run, in bits.
    public let precision: Int
    /// Where records go (nil: standard output).
    public let resultsPath: String?

    /// The settings of this process.
    public static let current: DerivationRun = {
        let arguments = CommandLine.arguments
        func value(after flag: String) -> String? {
            guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let precision = value(after: "--precision").flatMap(Int.init) ?? 576
        return DerivationRun(precision: precision, resultsPath: value(after: "--results"))
    }()
}

/// The working precision of the running derivation, in bits (576 and then 1152 by default).
///
/// Use it for every constant a derivation creates, e.g. `BigFloat.pi(precision: workingPrecision)`,
/// or use ``number(_:)-(Int)``.
public let workingPrecision: Int = DerivationRun.current.precision

/// Writes claim records and progress events as JSON lines, flushing after each one so that a crash
/// or a timeout keeps everything written before it.
final class RecordSink: Sendable {
    static let shared = RecordSink()

    private struct State {
        var handle: FileHandle
        var usedIDs: [String: Int] = [:]
        var lastInstant = ContinuousClock.now
    }
    private let state: Mutex<State>

    private init() {
        var handle = FileHandle.standardOutput
        if let path = DerivationRun.current.resultsPath {
            if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
            if let opened = FileHandle(forWritingAtPath: path) {
                opened.seekToEndOfFile()
                handle = opened
            }
        }
        state = Mutex(State(handle: handle))
    }

    /// A unique ID within this program: `proposed`, or `proposed-2`, `proposed-3`… on repeats.
    func uniqueID(_ proposed: String) -> String {
        state.withLock { state in
            let count = (state.usedIDs[proposed] ?? 0) + 1
            state.usedIDs[proposed] = count
            return count == 1 ? proposed : "\(proposed)-\(count)"
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

    func write<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var data = try? encoder.encode(value) else { return }
        data.append(0x0A)
        state.withLock { state in
            state.handle.write(data)
            try? state.handle.synchronize()
        }
    }
}

/// Marks the start of a Markdown block; the generated program calls this before each block's code.
public func enterBlock(file: String, line: Int) {
    _ = RecordSink.shared.lap()
    RecordSink.shared.write(BlockEvent(file: file, line: line))
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

func newRecord(label: String, id: String?, kind: ClaimKind, file: StaticString, line: UInt) -> ClaimRecord {
    ClaimRecord(id: RecordSink.shared.uniqueID(id ?? slug(label)), label: label, file: "\(file)", line: Int(line),
                kind: kind, precision: workingPrecision, seconds: RecordSink.shared.lap())
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
