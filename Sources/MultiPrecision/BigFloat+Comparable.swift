import CMPFR

extension BigFloat: Comparable {
    /// Numeric equality across precisions with IEEE semantics: NaN ≠ NaN and +0 = −0.
    ///
    /// The corresponding MPFR function is `mpfr_equal_p`.
    @inlinable
    public static func == (a: BigFloat, b: BigFloat) -> Bool {
        a.withMPFR { ap in b.withMPFR { bp in mpfr_equal_p(ap, bp) != 0 } }
    }

    /// Numeric order across precisions; false whenever either side is NaN.
    ///
    /// The corresponding MPFR function is `mpfr_less_p`.
    @inlinable
    public static func < (a: BigFloat, b: BigFloat) -> Bool {
        a.withMPFR { ap in b.withMPFR { bp in mpfr_less_p(ap, bp) != 0 } }
    }

    /// `a ≤ b` numerically; false whenever either side is NaN. The corresponding MPFR function is `mpfr_lessequal_p`.
    @inlinable
    public static func <= (a: BigFloat, b: BigFloat) -> Bool {
        a.withMPFR { ap in b.withMPFR { bp in mpfr_lessequal_p(ap, bp) != 0 } }
    }

    /// `a > b` numerically; false whenever either side is NaN. The corresponding MPFR function is `mpfr_greater_p`.
    @inlinable
    public static func > (a: BigFloat, b: BigFloat) -> Bool {
        a.withMPFR { ap in b.withMPFR { bp in mpfr_greater_p(ap, bp) != 0 } }
    }

    /// `a ≥ b` numerically; false whenever either side is NaN. The corresponding MPFR function is `mpfr_greaterequal_p`.
    @inlinable
    public static func >= (a: BigFloat, b: BigFloat) -> Bool {
        a.withMPFR { ap in b.withMPFR { bp in mpfr_greaterequal_p(ap, bp) != 0 } }
    }

    /// Compares |a| with |b|: negative, zero or positive. The corresponding MPFR function is `mpfr_cmpabs`.
    @inlinable
    public static func compareMagnitudes(_ a: BigFloat, _ b: BigFloat) -> Int {
        Int(a.withMPFR { ap in b.withMPFR { bp in mpfr_cmpabs(ap, bp) } })
    }
}

extension BigFloat: Hashable {
    /// Hashes the exact value, independent of precision, so that `a == b` implies equal hashes.
    ///
    /// The value is reduced to a canonical form: sign, binary exponent, and the significand limbs
    /// from the most significant down, with trailing zero limbs dropped. ±0 hash alike; NaNs hash alike.
    public func hash(into hasher: inout Hasher) {
        if isNaN { hasher.combine(0x7ff8); return }
        if isZero { hasher.combine(0); return }
        if isInfinite { hasher.combine(sign > 0 ? 0x7ff0 : -0x7ff0); return }
        hasher.combine(sign)
        hasher.combine(exponent)
        storage.withUnsafeMutablePointers { header, limbs in
            let count = (Int(header.pointee._mpfr_prec) + Int(cmpfr_bits_per_limb()) - 1) / Int(cmpfr_bits_per_limb())
            var lowest = 0
            while lowest < count && limbs[lowest] == 0 { lowest += 1 }
            for index in stride(from: count - 1, through: lowest, by: -1) { hasher.combine(limbs[index]) }
        }
    }
}

/// The smaller of two values; NaN if either is NaN. The result carries the chosen operand's rounding
/// history. The corresponding MPFR function is `mpfr_min`.
@inlinable public func min(_ a: BigFloat, _ b: BigFloat) -> BigFloat {
    if a.isNaN || b.isNaN { return .nan(precision: max(a.precision, b.precision)) }
    let pickB = a.isZero && b.isZero ? b.withMPFR { cmpfr_signbit($0) } != 0 : b < a   // min(+0, −0) = −0
    return .chosen(pickB ? b : a, precision: max(a.precision, b.precision))
}
/// The larger of two values; NaN if either is NaN. The result carries the chosen operand's rounding
/// history. The corresponding MPFR function is `mpfr_max`.
@inlinable public func max(_ a: BigFloat, _ b: BigFloat) -> BigFloat {
    if a.isNaN || b.isNaN { return .nan(precision: max(a.precision, b.precision)) }
    let pickB = a.isZero && b.isZero ? b.withMPFR { cmpfr_signbit($0) } == 0 : a < b   // max(−0, +0) = +0
    return .chosen(pickB ? b : a, precision: max(a.precision, b.precision))
}

extension BigFloat {
    /// `value` at `precision` (≥ its own, so exactly), sharing its storage when the precision is the same.
    @inlinable
    static func chosen(_ value: BigFloat, precision: Int) -> BigFloat {
        value.precision == precision ? value : BigFloat(value, precision: precision)
    }
}
