import CMPFR

/// A reproducible source of test inputs whose values are identical at every working precision.
///
/// Every value is a dyadic rational with a significand of at most 53 bits, so it is represented exactly at
/// any precision ≥ 53 bits: a derivation run at p and at 2p bits computes the same mathematical quantity
/// from the same inputs. The generator is SplitMix64 (Steele, Lea & Flood 2014); Gaussian-like values use
/// the Box–Muller transform evaluated by MPFR at a fixed 64-bit precision (correctly rounded, hence the
/// same on every machine) and then rounded to 53 bits.
public struct SeededInputs: Sendable {
    private var state: UInt64
    /// The precision (bits, ≥ 53) of the values produced.
    public let precision: Int

    /// A generator started from `seed`, producing values at `precision` bits.
    public init(seed: UInt64, precision: Int = BigFloat.defaultPrecision) {
        precondition(precision >= 53, "SeededInputs needs precision ≥ 53 bits so that its values are exact")
        state = seed
        self.precision = precision
    }

    /// The next 64 random bits (SplitMix64).
    public mutating func nextBits() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform dyadic value k/2⁵² in [−1, 1).
    public mutating func uniform() -> BigFloat {
        let k = Int(nextBits() >> 11) - (1 << 52)   // in [−2⁵², 2⁵²)
        return BigFloat(mantissa: k, exponent: -52, precision: precision)
    }

    /// A uniform dyadic value in [0, 1), with 53 random bits.
    public mutating func unitUniform() -> BigFloat {
        BigFloat(mantissa: Int(nextBits() >> 11), exponent: -53, precision: precision)
    }

    /// A standard-normal-like value: Box–Muller at 64 bits, rounded to a 53-bit dyadic.
    public mutating func gaussian() -> BigFloat {
        let u1 = BigFloat(mantissa: Int(nextBits() >> 11) + 1, exponent: -53, precision: 64)  // (0, 1]
        let u2 = BigFloat(mantissa: Int(nextBits() >> 11), exponent: -53, precision: 64)      // [0, 1)
        let radius = sqrt(-2 * log(u1))
        let angle = 2 * BigFloat.pi(precision: 64) * u2
        let sample = BigFloat(radius * cos(angle), precision: 53)
        // The input *is* this 53-bit dyadic number (Box–Muller only chooses it), so it is exact.
        return BigFloat(sample, precision: precision).markedExact()
    }

    /// An integer drawn uniformly from `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        // The number of values, computed modulo 2^64 (0 stands for all 2^64 values of Int.min...Int.max),
        // and the offset added with wrapping arithmetic, so that ranges wider than Int.max work.
        let width = UInt64(UInt(bitPattern: range.upperBound &- range.lowerBound)) &+ 1
        let offset = width == 0 ? nextBits() : nextBits() % width
        return Int(bitPattern: UInt(bitPattern: range.lowerBound) &+ UInt(offset))
    }

    /// A vector of `count` Gaussian-like entries.
    public mutating func vector(_ count: Int) -> Vector { Vector((0..<count).map { _ in gaussian() }) }

    /// A vector of `count` uniform entries in [−1, 1).
    public mutating func uniformVector(_ count: Int) -> Vector { Vector((0..<count).map { _ in uniform() }) }

    /// A rows×columns matrix of Gaussian-like entries (filled row by row).
    public mutating func matrix(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in gaussian() })
    }

    /// A rows×columns matrix of uniform entries in [−1, 1).
    public mutating func uniformMatrix(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, elements: (0..<(rows * columns)).map { _ in uniform() })
    }
}
