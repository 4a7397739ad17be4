import CMPFR

/// A dense column vector of ``BigFloat`` values.
///
/// A value type: copies share element storage until one is mutated (each element is itself
/// copy-on-write), so mutating a copy never changes the original.
public struct Vector: Sendable, Hashable {
    /// The entries, in order.
    public var elements: [BigFloat]

    /// The vector with these entries.
    public init(_ elements: [BigFloat]) { self.elements = elements }

    /// The zero vector of length `count` (the entries share one stored zero until changed: copy-on-write).
    public init(zeros count: Int, precision: Int = BigFloat.defaultPrecision) {
        elements = Array(repeating: BigFloat(0, precision: precision), count: count)
    }

    /// The vector whose i-th entry is `entry(i)`.
    public init(count: Int, _ entry: (Int) throws -> BigFloat) rethrows {
        elements = try (0..<count).map(entry)
    }

    /// The number of entries.
    public var count: Int { elements.count }

    /// The largest precision among the entries (the default precision for an empty vector).
    public var precision: Int {
        guard var largest = elements.first?.precision else { return BigFloat.defaultPrecision }
        for element in elements where element.precision > largest { largest = element.precision }
        return largest
    }

    /// The i-th entry (0-based).
    public subscript(index: Int) -> BigFloat {
        get { elements[index] }
        set { elements[index] = newValue }
    }

    /// The entries in `range`, as a vector.
    public subscript(range: Range<Int>) -> Vector { Vector(Array(elements[range])) }

    /// The vector of `transform` applied to each entry.
    public func map(_ transform: (BigFloat) throws -> BigFloat) rethrows -> Vector { Vector(try elements.map(transform)) }

    /// The sum of the entries, accumulated in place.
    public var sum: BigFloat {
        var total = BigFloat(0, precision: precision)
        for element in elements { total += element }
        return total
    }

    /// ‖v‖² = Σ vᵢ², accumulated with fused multiply–adds.
    public var normSquared: BigFloat { dot(self, self) }

    /// The Euclidean norm ‖v‖₂ = √(Σ vᵢ²).
    public var norm: BigFloat { sqrt(normSquared) }

    /// The largest absolute entry ‖v‖∞ (0 for an empty vector).
    public var maxNorm: BigFloat {
        elements.reduce(BigFloat(0, precision: precision)) { max($0, abs($1)) }
    }

    static func elementwise(_ a: Vector, _ b: Vector, _ name: String, _ op: (BigFloat, BigFloat) -> BigFloat) -> Vector {
        precondition(a.count == b.count, "Vector \(name): lengths \(a.count) and \(b.count) differ")
        return Vector(zip(a.elements, b.elements).map(op))
    }

    /// The entrywise sum.
    public static func + (a: Vector, b: Vector) -> Vector { elementwise(a, b, "+") { $0 + $1 } }
    /// The entrywise difference.
    public static func - (a: Vector, b: Vector) -> Vector { elementwise(a, b, "-") { $0 - $1 } }
    /// The negation.
    public static prefix func - (a: Vector) -> Vector { a.map { -$0 } }
    /// The scaled vector s·v.
    public static func * (s: BigFloat, v: Vector) -> Vector { v.map { s * $0 } }
    /// The scaled vector v·s.
    public static func * (v: Vector, s: BigFloat) -> Vector { v.map { $0 * s } }
    /// The scaled vector n·v.
    public static func * (n: Int, v: Vector) -> Vector { v.map { $0 * n } }
    /// The scaled vector v·n.
    public static func * (v: Vector, n: Int) -> Vector { v.map { $0 * n } }
    /// The vector v/s.
    public static func / (v: Vector, s: BigFloat) -> Vector { v.map { $0 / s } }
    /// The vector v/n.
    public static func / (v: Vector, n: Int) -> Vector { v.map { $0 / n } }
    /// `a = a + b`.
    public static func += (a: inout Vector, b: Vector) {
        precondition(a.count == b.count, "Vector +=: lengths \(a.count) and \(b.count) differ")
        for index in a.elements.indices { a.elements[index] += b.elements[index] }
    }
    /// `a = a − b`.
    public static func -= (a: inout Vector, b: Vector) {
        precondition(a.count == b.count, "Vector -=: lengths \(a.count) and \(b.count) differ")
        for index in a.elements.indices { a.elements[index] -= b.elements[index] }
    }
}

extension Vector: CustomStringConvertible {
    /// The entries with 20 significant digits each.
    public var description: String { "[" + elements.map { $0.formatted(digits: 20) }.joined(separator: ", ") + "]" }
}

/// The inner product aᵀb = Σ aᵢbᵢ, accumulated with one fused multiply–add per term.
///
/// The corresponding MPFR function is `mpfr_fma`.
public func dot(_ a: Vector, _ b: Vector) -> BigFloat {
    precondition(a.count == b.count, "dot: lengths \(a.count) and \(b.count) differ")
    return a.elements.withUnsafeBufferPointer { x in
        b.elements.withUnsafeBufferPointer { y in
            fusedSum(x, 0, 1, y, 0, 1, count: x.count, precision: max(a.precision, b.precision))
        }
    }
}

/// Σₖ x[xStart + k·xStride] · y[yStart + k·yStride] for k < count, accumulated in a fresh value of `precision` bits
/// (at least every factor's) by one in-place `mpfr_fma` per term: the value and rounding history of
/// `total.addProduct(xₖ, yₖ)` repeated from an exact zero. The kernel of ``dot(_:_:)`` and the matrix products.
func fusedSum(_ x: UnsafeBufferPointer<BigFloat>, _ xStart: Int, _ xStride: Int,
              _ y: UnsafeBufferPointer<BigFloat>, _ yStart: Int, _ yStride: Int,
              count: Int, precision: Int) -> BigFloat {
    // The entries are read through buffer pointers, which spares a retain/release pair per entry in this, the
    // hottest loop of the library. The rounding history is computed without work in the loop beyond counting
    // roundings: with exact factors the sum is exact if no step rounded, rounded once if only the last step did
    // (an earlier rounding is carried into later steps), and unknown otherwise; NaN is absorbing, so one check at
    // the end finds it.
    var total = BigFloat(0, precision: precision)
    let (operands, roundings, lastTernary) = total.storage.withUnsafeMutablePointerToHeader { r in
        var roundings = 0
        var ternary: Int32 = 0
        var states: UInt8 = 0   // RoundingHistory.State.exact is 0
        var lowest = RoundingHistory.noRounding
        for k in 0..<count {
            // Entries are read in place (binding one to a constant would retain and release its storage).
            let i = xStart + k * xStride, j = yStart + k * yStride
            states |= x[i].history.state.rawValue | y[j].history.state.rawValue
            lowest = Swift.min(lowest, Swift.min(x[i].history.lowestPrecision, y[j].history.lowestPrecision))
            ternary = Unmanaged.passUnretained(x[i].storage)._withUnsafeGuaranteedRef { xs in
                Unmanaged.passUnretained(y[j].storage)._withUnsafeGuaranteedRef { ys in
                    xs.withUnsafeMutablePointerToHeader { xp in
                        ys.withUnsafeMutablePointerToHeader { yp in mpfr_fma(r, xp, yp, r, MPFR_RNDN) }
                    }
                }
            }
            if ternary != 0 { roundings &+= 1 }
        }
        let operands = states == 0 ? RoundingHistory.exact : RoundingHistory(lowestPrecision: lowest, state: .unknown)
        return (operands, roundings, ternary)
    }
    let history: RoundingHistory
    if roundings == 0 || (roundings == 1 && lastTernary != 0) {
        history = operands.after(ternary: lastTernary, precision: precision)
    } else {
        history = RoundingHistory.merge(operands, .unknown(precision: precision))
    }
    total.history = total.storage.withUnsafeMutablePointerToHeader { history.after(ternary: 0, precision: precision, result: $0) }
    return total
}

/// The outer product a bᵀ, an `a.count × b.count` matrix.
public func outer(_ a: Vector, _ b: Vector) -> Matrix {
    Matrix(rows: a.count, columns: b.count) { i, j in a.elements[i] * b.elements[j] }
}
