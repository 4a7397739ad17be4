import CMPFR

// Elementary and special functions, each correctly rounded at the argument's precision.

/// The square root √x (NaN for x < 0). The corresponding MPFR function is `mpfr_sqrt`.
@inlinable public func sqrt(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_sqrt, x, rounding: rounding) }
/// The exponential eˣ. The corresponding MPFR function is `mpfr_exp`.
@inlinable public func exp(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_exp, x, rounding: rounding) }
/// eˣ − 1, accurate for tiny x. The corresponding MPFR function is `mpfr_expm1`.
@inlinable public func expm1(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_expm1, x, rounding: rounding) }
/// The natural logarithm ln x (−∞ at 0, NaN for x < 0). The corresponding MPFR function is `mpfr_log`.
@inlinable public func log(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_log, x, rounding: rounding) }
/// ln(1 + x), accurate for tiny x. The corresponding MPFR function is `mpfr_log1p`.
@inlinable public func log1p(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_log1p, x, rounding: rounding) }
/// The base-2 logarithm. The corresponding MPFR function is `mpfr_log2`.
@inlinable public func log2(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_log2, x, rounding: rounding) }
/// The base-10 logarithm. The corresponding MPFR function is `mpfr_log10`.
@inlinable public func log10(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_log10, x, rounding: rounding) }
/// The error function erf x = (2/√π) ∫₀ˣ e^{−t²} dt. The corresponding MPFR function is `mpfr_erf`.
@inlinable public func erf(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_erf, x, rounding: rounding) }
/// The complementary error function erfc x = 1 − erf x, accurate for large x. The corresponding MPFR function is `mpfr_erfc`.
@inlinable public func erfc(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_erfc, x, rounding: rounding) }
/// The hyperbolic tangent. The corresponding MPFR function is `mpfr_tanh`.
@inlinable public func tanh(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_tanh, x, rounding: rounding) }
/// The sine (x in radians). The corresponding MPFR function is `mpfr_sin`.
@inlinable public func sin(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_sin, x, rounding: rounding) }
/// The cosine (x in radians). The corresponding MPFR function is `mpfr_cos`.
@inlinable public func cos(_ x: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_cos, x, rounding: rounding) }
/// The absolute value |x| (exact; a value rounded once stays rounded once, in the opposite direction when
/// x < 0). The corresponding MPFR function is `mpfr_abs`.
@inlinable public func abs(_ x: BigFloat) -> BigFloat { x.exactlyTransformed(cmpfr_abs, flipped: x.withMPFR { cmpfr_signbit($0) } != 0) }
/// xʸ with MPFR's IEEE 754 special cases. The corresponding MPFR function is `mpfr_pow`.
@inlinable public func pow(_ x: BigFloat, _ y: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_pow, x, y, rounding: rounding) }
/// xⁿ for a machine integer n, rounded once. The corresponding MPFR function is `mpfr_pow_si`.
@inlinable public func pow(_ x: BigFloat, _ n: Int, rounding: RoundingMode = .toNearest) -> BigFloat { .apply(mpfr_pow_si, x, n, rounding: rounding) }

extension BigFloat {
    /// The magnitude |x| (exact). The corresponding MPFR function is `mpfr_abs`.
    @inlinable public var magnitude: BigFloat { abs(self) }

    /// `x · 2ⁿ` (exact unless it over- or underflows; a value rounded once then stays rounded once).
    /// The corresponding MPFR function is `mpfr_mul_2si`.
    @inlinable public func timesPowerOfTwo(_ n: Int) -> BigFloat {
        let storage = MPFRStorage.make(precision: precision)
        let operand = history
        let bits = precision
        let result = storage.withUnsafeMutablePointerToHeader { r in
            withMPFR { x -> RoundingHistory in
                let ternary = mpfr_mul_2si(r, x, n, MPFR_RNDN)
                if ternary == 0 && cmpfr_nan_p(r) == 0 { return operand }
                return operand.asOperand.after(ternary: ternary, precision: bits, result: r)
            }
        }
        return BigFloat(storage: storage, history: result)
    }
}
