// numerics-bench: BigFloat next to the same loop in C calling MPFR directly (not a timed test).
//
//     swift run -c release numerics-bench
//
// For every operation and precision, each side runs the loop `iterations` times per repetition
// (iterations chosen so that a repetition of the C loop takes about 20 ms), after one warm-up
// repetition; the C and Swift repetitions alternate, and the median of the repetitions is reported.
// Time is read from CLOCK_MONOTONIC through `cbench_now_ns` on both sides. The operands are the same
// correctly rounded values on both sides (see Sources/CMPFRBench/include/bench.h).
//
// For profiling one loop alone (e.g. under `valgrind --tool=callgrind`), pass a word of the operation
// and optionally a precision: `numerics-bench dot 256` runs only the matching rows and skips the inverse.

import CMPFRBench
import Foundation
import MultiPrecision

/// Keeps results alive so that no loop can be optimised away.
nonisolated(unsafe) var sinkCount = 0
@inline(never) func sink(_ x: BigFloat) { sinkCount &+= x.precision }

let repetitions = 9
let targetNanoseconds = 20_000_000.0

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Median ns per operation of the Swift and the C loop; each closure runs `n` operations and returns
/// the elapsed nanoseconds.
func compare(operationsPerIteration: Int, swift: (Int) -> UInt64, c: (Int) -> UInt64) -> (swift: Double, c: Double) {
    // Calibrate on the C loop.
    var n = 16
    while true {
        let elapsed = Double(c(n))
        if elapsed > targetNanoseconds / 8 || n > 1 << 26 {
            n = Swift.max(1, Int(Double(n) * targetNanoseconds / Swift.max(elapsed, 1)))
            break
        }
        n *= 4
    }
    _ = c(n)
    _ = swift(n)
    var swiftTimes: [Double] = [], cTimes: [Double] = []
    for _ in 0..<repetitions {
        cTimes.append(Double(c(n)) / Double(n * operationsPerIteration))
        swiftTimes.append(Double(swift(n)) / Double(n * operationsPerIteration))
    }
    return (median(swiftTimes), median(cTimes))
}

struct Row {
    var operation: String
    var bits: Int
    var swift: Double
    var c: Double
    var target: Double?
    var ratio: Double { swift / c }
}

func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let padding = String(repeating: " ", count: Swift.max(0, width - text.count))
    return left ? padding + text : text + padding
}

func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        if have < decimals { text += String(repeating: "0", count: decimals - have) }
        if decimals == 0 { text = String(text[..<dot]) }
    }
    return text
}

var rows: [Row] = []
let dotLength = 1000
let arguments = CommandLine.arguments.dropFirst()
let only = arguments.first
let onlyBits = arguments.dropFirst().first.flatMap { Int($0) }

/// Whether the row `operation` at `bits` is selected by the command line.
@MainActor func selected(_ operation: String, _ bits: Int) -> Bool {
    (only.map { operation.contains($0) } ?? true) && (onlyBits.map { $0 == bits } ?? true)
}

/// Measures one row if the command line selects it.
@MainActor func run(_ operation: String, _ bits: Int, target: Double? = nil, swift: (Int) -> UInt64, c: (Int) -> UInt64) {
    guard selected(operation, bits) else { return }
    let result = compare(operationsPerIteration: 1, swift: swift, c: c)
    rows.append(Row(operation: operation, bits: bits, swift: result.swift, c: result.c, target: target))
}

for bits in [128, 256, 1024] {
    let a = BigFloat(numerator: 1, denominator: 3, precision: bits)
    let b = BigFloat(numerator: 1, denominator: 7, precision: bits)
    let nearOne = BigFloat(numerator: 3 << 30 + 1, denominator: 3 << 30, precision: bits)

    run("mul  r = a * b (allocating)", bits, target: bits == 128 ? 2.5 : nil, swift: { n in
        var r = a * b
        let start = cbench_now_ns()
        for _ in 0..<n { r = a * b }
        let elapsed = cbench_now_ns() - start
        sink(r)
        return elapsed
    }, c: { n in cbench_mul(bits, n) })

    run("mul  r *= b (in place)", bits, swift: { n in
        var r = BigFloat(a, precision: bits)
        let start = cbench_now_ns()
        for _ in 0..<n { r *= nearOne }
        let elapsed = cbench_now_ns() - start
        sink(r)
        return elapsed
    }, c: { n in cbench_mul_inplace(bits, n) })

    run("add  r = a + b (allocating)", bits, swift: { n in
        var r = a + b
        let start = cbench_now_ns()
        for _ in 0..<n { r = a + b }
        let elapsed = cbench_now_ns() - start
        sink(r)
        return elapsed
    }, c: { n in cbench_add(bits, n) })

    run("add  r += b (in place)", bits, swift: { n in
        var r = BigFloat(a, precision: bits)
        let start = cbench_now_ns()
        for _ in 0..<n { r += b }
        let elapsed = cbench_now_ns() - start
        sink(r)
        return elapsed
    }, c: { n in cbench_add_inplace(bits, n) })

    let x = Vector((0..<dotLength).map { BigFloat(numerator: $0 + 1, denominator: 7, precision: bits) })
    let y = Vector((0..<dotLength).map { BigFloat(numerator: 1, denominator: $0 + 2, precision: bits) })
    run("dot  n = 1000, fma in place (per dot)", bits, target: bits == 128 ? 1.5 : bits == 256 ? 1.2 : nil, swift: { n in
        var s = dot(x, y)
        let start = cbench_now_ns()
        for _ in 0..<n { s = dot(x, y) }
        let elapsed = cbench_now_ns() - start
        sink(s)
        return elapsed
    }, c: { n in cbench_dot(bits, dotLength, n) })

    run("exp  r = exp(a) (allocating)", bits, target: 1.1, swift: { n in
        var r = exp(a)
        let start = cbench_now_ns()
        for _ in 0..<n { r = exp(a) }
        let elapsed = cbench_now_ns() - start
        sink(r)
        return elapsed
    }, c: { n in cbench_exp(bits, n) })
}

print("BigFloat vs C calling MPFR directly: median of \(repetitions) repetitions, ns per operation")
print(pad("operation", 40) + pad("bits", 6, left: true) + pad("Swift ns", 12, left: true) + pad("C ns", 12, left: true)
      + pad("ratio", 8, left: true) + pad("target", 8, left: true) + "  ")
for row in rows {
    let status = row.target.map { row.ratio <= $0 ? "met" : "MISSED" } ?? ""
    print(pad(row.operation, 40) + pad(String(row.bits), 6, left: true) + pad(fixed(row.swift, 1), 12, left: true)
          + pad(fixed(row.c, 1), 12, left: true) + pad(fixed(row.ratio, 2), 8, left: true)
          + pad(row.target.map { "≤ " + fixed($0, 1) } ?? "", 8, left: true) + "  " + status)
}

// The 64×64 inverse at 100 significant digits (⌈100 / log₁₀2⌉ = 333 bits) of A = 1/(i+j+1) + 64·δᵢⱼ, next to
// the same LU-and-substitution algorithm in C on raw MPFR and to python-flint's `arb_mat.inv` (Arb).
if selected("inverse", 333) {
    let bits = 333, n = 64
    let matrix = Matrix(rows: n, columns: n) { i, j in
        BigFloat(numerator: i == j ? 1 + 64 * (i + j + 1) : 1, denominator: i + j + 1, precision: bits)
    }
    var swiftTimes: [Double] = [], cTimes: [Double] = []
    var inverse = matrix
    var cDigest: UInt64 = 0
    for repetition in 0...repetitions {   // the first repetition is the warm-up
        let c = Double(cbench_inverse(bits, n, 1, &cDigest)) / 1e6
        let start = cbench_now_ns()
        inverse = try matrix.inverse()
        let swift = Double(cbench_now_ns() - start) / 1e6
        if repetition > 0 { cTimes.append(c); swiftTimes.append(swift) }
    }
    let residual = (matrix * inverse - Matrix.identity(n, precision: bits)).maxNorm
    let swiftDigest = digest(inverse.elements)
    let swiftMedian = median(swiftTimes), cMedian = median(cTimes)
    print("")
    print("64×64 inverse at \(bits) bits (100 digits), A = 1/(i+j+1) + 64·δᵢⱼ: median of \(repetitions) repetitions, ms")
    print(pad("implementation", 40) + pad("ms", 10, left: true) + pad("ratio to C", 12, left: true) + pad("target", 8, left: true))
    print(pad("C on raw MPFR (same algorithm)", 40) + pad(fixed(cMedian, 2), 10, left: true) + pad("1.00", 12, left: true))
    let met = swiftMedian / cMedian <= 1.15
    print(pad("Matrix.inverse()", 40) + pad(fixed(swiftMedian, 2), 10, left: true)
          + pad(fixed(swiftMedian / cMedian, 2), 12, left: true) + pad("≤ 1.15", 8, left: true) + "  " + (met ? "met" : "MISSED"))
    if let flint = flintInverse(bits: bits, n: n, repetitions: repetitions) {
        print(pad("python-flint arb_mat.inv (Arb)", 40) + pad(fixed(flint, 2), 10, left: true)
              + pad(fixed(flint / cMedian, 2), 12, left: true) + "          "
              + (swiftMedian < flint ? "Matrix.inverse() is faster" : "Matrix.inverse() is SLOWER"))
    }
    print("Swift and C inverses identical digit for digit: \(swiftDigest == cDigest ? "yes" : "NO"); "
          + "max |A·A⁻¹ − I| = \(residual.formatted(digits: 3))")
    sink(residual)
}

/// The digest of `values` as `cbench_digest` computes it (equal digests: equal values, digit for digit).
func digest(_ values: [BigFloat]) -> UInt64 {
    var pointers: [UnsafeRawPointer?] = []
    for value in values { value.withMPFR { pointers.append(UnsafeRawPointer($0)) } }
    return withExtendedLifetime(values) { cbench_digest(pointers, pointers.count) }
}

/// The median milliseconds of python-flint's inverse (`scripts/flint-inverse.py`), or nil with a message when
/// python3 or python-flint is missing.
func flintInverse(bits: Int, n: Int, repetitions: Int) -> Double? {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/flint-inverse.py")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path, String(bits), String(n), String(repetitions)]
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    do { try process.run() } catch {
        print("python-flint: skipped (cannot start python3: \(error))")
        return nil
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0, let milliseconds = text.split(separator: " ").first.flatMap({ Double($0) }) else {
        print("python-flint: skipped (\(message.trimmingCharacters(in: .whitespacesAndNewlines)))")
        return nil
    }
    return milliseconds
}
