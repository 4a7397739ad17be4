import CMPFR

/// The MPFR signature of a correctly rounded binary operation `r = f(a, b)`.
public typealias MPFRBinaryFunction = (mpfr_ptr?, mpfr_srcptr?, mpfr_srcptr?, mpfr_rnd_t) -> Int32
/// The MPFR signature of a correctly rounded unary operation `r = f(a)`.
public typealias MPFRUnaryFunction = (mpfr_ptr?, mpfr_srcptr?, mpfr_rnd_t) -> Int32
/// The MPFR signature of an operation with a machine integer, `r = f(a, n)`.
public typealias MPFRIntegerFunction = (mpfr_ptr?, mpfr_srcptr?, Int, mpfr_rnd_t) -> Int32

// Every operation reads MPFR's ternary value and records it in the result's rounding history (see
// ``BigFloat/isExact``); `f` must be an MPFR function that returns one (all correctly rounded MPFR
// operations do).

extension BigFloat {
    /// `f(a, b)` at the larger precision of the two operands, rounded as `rounding` says.
    @inlinable
    public static func apply(_ f: MPFRBinaryFunction, _ a: BigFloat, _ b: BigFloat,
                             rounding: RoundingMode = .toNearest) -> BigFloat {
        .make(precision: Swift.max(a.precision, b.precision), operands: .merge(a.history, b.history)) { r in
            a.withMPFR { ap in b.withMPFR { bp in f(r, ap, bp, rounding.mpfr) } }
        }
    }

    /// `f(a)` at `precision` bits (the operand's precision by default).
    @inlinable
    public static func apply(_ f: MPFRUnaryFunction, _ a: BigFloat, precision: Int? = nil,
                             rounding: RoundingMode = .toNearest) -> BigFloat {
        .make(precision: precision ?? a.precision, operands: a.history.asOperand) { r in a.withMPFR { f(r, $0, rounding.mpfr) } }
    }

    /// `f(a, n)` at the operand's precision.
    @inlinable
    public static func apply(_ f: MPFRIntegerFunction, _ a: BigFloat, _ n: Int,
                             rounding: RoundingMode = .toNearest) -> BigFloat {
        .make(precision: a.precision, operands: a.history.asOperand) { r in a.withMPFR { f(r, $0, n, rounding.mpfr) } }
    }

    /// Replaces `self` by `f(self, b)` in place when the storage is unique and wide enough.
    ///
    /// No allocation happens when `self` is uniquely referenced and at least as precise as `b`;
    /// otherwise the result is built in fresh storage, exactly as the non-mutating form would.
    @inlinable
    public mutating func formApply(_ f: MPFRBinaryFunction, _ b: BigFloat, rounding: RoundingMode = .toNearest) {
        if precision >= b.precision && isKnownUniquelyReferenced(&storage) {
            let operands = RoundingHistory.merge(history, b.history)
            let bits = precision
            history = storage.withUnsafeMutablePointerToHeader { r in
                operands.after(ternary: b.withMPFR { f(r, r, $0, rounding.mpfr) }, precision: bits, result: r)
            }
        } else {
            self = BigFloat.apply(f, self, b, rounding: rounding)
        }
    }

    /// Replaces `self` by `f(self, n)` in place when the storage is unique.
    @inlinable
    public mutating func formApply(_ f: MPFRIntegerFunction, _ n: Int, rounding: RoundingMode = .toNearest) {
        if isKnownUniquelyReferenced(&storage) {
            let operands = history.asOperand
            let bits = precision
            history = storage.withUnsafeMutablePointerToHeader { r in
                operands.after(ternary: f(r, r, n, rounding.mpfr), precision: bits, result: r)
            }
        } else {
            self = BigFloat.apply(f, self, n, rounding: rounding)
        }
    }
}

// MARK: - Operators

extension BigFloat {
    /// The correctly rounded sum. The corresponding MPFR function is `mpfr_add`.
    @inlinable public static func + (a: BigFloat, b: BigFloat) -> BigFloat { apply(mpfr_add, a, b) }
    /// The correctly rounded difference. The corresponding MPFR function is `mpfr_sub`.
    @inlinable public static func - (a: BigFloat, b: BigFloat) -> BigFloat { apply(mpfr_sub, a, b) }
    /// The correctly rounded product. The corresponding MPFR function is `mpfr_mul`.
    @inlinable public static func * (a: BigFloat, b: BigFloat) -> BigFloat { apply(mpfr_mul, a, b) }
    /// The correctly rounded quotient (±∞ or NaN on division by zero). The corresponding MPFR function is `mpfr_div`.
    @inlinable public static func / (a: BigFloat, b: BigFloat) -> BigFloat { apply(mpfr_div, a, b) }
    /// The negation (exact; a value rounded once stays rounded once, in the opposite direction).
    /// The corresponding MPFR function is `mpfr_neg`.
    @inlinable public static prefix func - (a: BigFloat) -> BigFloat { a.exactlyTransformed(cmpfr_neg, flipped: true) }

    /// In-place sum; allocates nothing when `a` is uniquely referenced. The corresponding MPFR function is `mpfr_add`.
    @inlinable public static func += (a: inout BigFloat, b: BigFloat) { a.formApply(mpfr_add, b) }
    /// In-place difference. The corresponding MPFR function is `mpfr_sub`.
    @inlinable public static func -= (a: inout BigFloat, b: BigFloat) { a.formApply(mpfr_sub, b) }
    /// In-place product. The corresponding MPFR function is `mpfr_mul`.
    @inlinable public static func *= (a: inout BigFloat, b: BigFloat) { a.formApply(mpfr_mul, b) }
    /// In-place quotient. The corresponding MPFR function is `mpfr_div`.
    @inlinable public static func /= (a: inout BigFloat, b: BigFloat) { a.formApply(mpfr_div, b) }

    // Mixed operations with machine integers: the integer is exact, the result has `a`'s precision.

    /// `a + n`, rounded once. The corresponding MPFR function is `mpfr_add_si`.
    @inlinable public static func + (a: BigFloat, n: Int) -> BigFloat { apply(mpfr_add_si, a, n) }
    /// `n + a`, rounded once. The corresponding MPFR function is `mpfr_add_si`.
    @inlinable public static func + (n: Int, a: BigFloat) -> BigFloat { apply(mpfr_add_si, a, n) }
    /// `a − n`, rounded once. The corresponding MPFR function is `mpfr_sub_si`.
    @inlinable public static func - (a: BigFloat, n: Int) -> BigFloat { apply(mpfr_sub_si, a, n) }
    /// `n − a`, rounded once. The corresponding MPFR function is `mpfr_si_sub`.
    @inlinable public static func - (n: Int, a: BigFloat) -> BigFloat {
        .make(precision: a.precision, operands: a.history.asOperand) { r in a.withMPFR { mpfr_si_sub(r, n, $0, MPFR_RNDN) } }
    }
    /// `a · n`, rounded once. The corresponding MPFR function is `mpfr_mul_si`.
    @inlinable public static func * (a: BigFloat, n: Int) -> BigFloat { apply(mpfr_mul_si, a, n) }
    /// `n · a`, rounded once. The corresponding MPFR function is `mpfr_mul_si`.
    @inlinable public static func * (n: Int, a: BigFloat) -> BigFloat { apply(mpfr_mul_si, a, n) }
    /// `a / n`, rounded once. The corresponding MPFR function is `mpfr_div_si`.
    @inlinable public static func / (a: BigFloat, n: Int) -> BigFloat { apply(mpfr_div_si, a, n) }
    /// `n / a`, rounded once. The corresponding MPFR function is `mpfr_si_div`.
    @inlinable public static func / (n: Int, a: BigFloat) -> BigFloat {
        .make(precision: a.precision, operands: a.history.asOperand) { r in a.withMPFR { mpfr_si_div(r, n, $0, MPFR_RNDN) } }
    }
    /// In-place `a += n`. The corresponding MPFR function is `mpfr_add_si`.
    @inlinable public static func += (a: inout BigFloat, n: Int) { a.formApply(mpfr_add_si, n) }
    /// In-place `a -= n`. The corresponding MPFR function is `mpfr_sub_si`.
    @inlinable public static func -= (a: inout BigFloat, n: Int) { a.formApply(mpfr_sub_si, n) }
    /// In-place `a *= n`. The corresponding MPFR function is `mpfr_mul_si`.
    @inlinable public static func *= (a: inout BigFloat, n: Int) { a.formApply(mpfr_mul_si, n) }
    /// In-place `a /= n`. The corresponding MPFR function is `mpfr_div_si`.
    @inlinable public static func /= (a: inout BigFloat, n: Int) { a.formApply(mpfr_div_si, n) }
}

// MARK: - Fused multiply–add

/// `a·b + c` with a single rounding, at the largest of the three precisions.
///
/// The corresponding MPFR function is `mpfr_fma`.
@inlinable
public func fma(_ a: BigFloat, _ b: BigFloat, _ c: BigFloat, rounding: RoundingMode = .toNearest) -> BigFloat {
    .make(precision: max(a.precision, b.precision, c.precision),
          operands: .merge(.merge(a.history, b.history), c.history)) { r in
        a.withMPFR { ap in b.withMPFR { bp in c.withMPFR { cp in mpfr_fma(r, ap, bp, cp, rounding.mpfr) } } }
    }
}

extension BigFloat {
    /// Adds `a·b` to this value with a single rounding: `self = a·b + self`.
    ///
    /// Allocates nothing when the storage is uniquely referenced and at least as precise as the factors,
    /// which makes it the building block of dot products. The corresponding MPFR function is `mpfr_fma`.
    @inlinable
    public mutating func addProduct(_ a: BigFloat, _ b: BigFloat, rounding: RoundingMode = .toNearest) {
        if precision >= Swift.max(a.precision, b.precision) && isKnownUniquelyReferenced(&storage) {
            let operands = RoundingHistory.merge(.merge(a.history, b.history), history)
            let bits = precision
            history = storage.withUnsafeMutablePointerToHeader { r in
                let ternary = a.withMPFR { ap in b.withMPFR { bp in mpfr_fma(r, ap, bp, r, rounding.mpfr) } }
                return operands.after(ternary: ternary, precision: bits, result: r)
            }
        } else {
            self = fma(a, b, self, rounding: rounding)
        }
    }
}

extension BigFloat {
    /// `f(self)` for an operation that is exact unless it over- or underflows (negation, absolute value,
    /// scaling by a power of two): when it is exact, a value rounded once stays rounded once (in the
    /// opposite direction when `flipped`); otherwise the usual rule applies.
    @inlinable
    func exactlyTransformed(_ f: MPFRUnaryFunction, flipped: Bool) -> BigFloat {
        let storage = MPFRStorage.make(precision: precision)
        let operand = history
        let bits = precision
        let result = storage.withUnsafeMutablePointerToHeader { r in
            withMPFR { x -> RoundingHistory in
                let ternary = f(r, x, MPFR_RNDN)
                if ternary == 0 && cmpfr_nan_p(r) == 0 { return operand.exactlyTransformed(flipped: flipped) }
                return operand.asOperand.after(ternary: ternary, precision: bits, result: r)
            }
        }
        return BigFloat(storage: storage, history: result)
    }
}
