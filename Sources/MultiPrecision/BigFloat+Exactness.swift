import CMPFR

/// How a ``BigFloat`` came to hold its value: whether any MPFR operation in its history rounded.
///
/// Every MPFR operation returns a *ternary* value: 0 when the result is exactly the real number the
/// operation denotes, positive when the stored result lies above it and negative when below. A value's
/// history combines the ternaries of every operation that produced it, transitively through the
/// operands:
///
/// - *exact*: no operation rounded, so the value is exactly the real number the computation denotes
///   (given exact inputs);
/// - *rounded once* (up or down): one correctly rounded operation on exact operands rounded, in a known
///   direction; the true value then lies strictly between the value and its neighbour on that side, at
///   the precision of that operation;
/// - *unknown*: rounded more than once, an inexact operand was rounded again or combined, the value came
///   from raw MPFR access, or it is NaN. Nothing about the error's sign or size is known beyond
///   ``lowestPrecision``.
///
/// The history is stored next to the storage pointer in the ``BigFloat`` struct (five bytes), so copies
/// carry it, in-place operations update it, and marking interval ends as exact needs no copy.
@usableFromInline
struct RoundingHistory: Sendable, Equatable {
    /// The state of a history.
    @usableFromInline
    enum State: UInt8, Sendable {
        case exact = 0
        /// Rounded once, from exact operands, to a value above the true value (ternary > 0).
        case roundedUpOnce
        /// Rounded once, from exact operands, to a value below the true value (ternary < 0).
        case roundedDownOnce
        /// Anything else that is not exact.
        case unknown
    }

    /// The sentinel of ``lowestPrecision`` for a history without rounding.
    @usableFromInline static let noRounding = Int32.max

    /// The smallest precision (bits) of an operation that rounded; ``noRounding`` when none did.
    ///
    /// Precisions of 2³¹ − 1 bits or more are recorded as 2³¹ − 2, a smaller (more pessimistic) value.
    @usableFromInline var lowestPrecision: Int32
    /// The state.
    @usableFromInline var state: State

    @inlinable
    init(lowestPrecision: Int32, state: State) {
        self.lowestPrecision = lowestPrecision
        self.state = state
    }

    /// The history of a value no operation rounded.
    @inlinable static var exact: RoundingHistory { RoundingHistory(lowestPrecision: noRounding, state: .exact) }

    /// The history of a value about which nothing is known, at `precision` bits (raw MPFR access, NaN).
    @inlinable
    static func unknown(precision: Int) -> RoundingHistory {
        RoundingHistory(lowestPrecision: clamped(precision), state: .unknown)
    }

    @inlinable
    static func clamped(_ precision: Int) -> Int32 { Int32(truncatingIfNeeded: Swift.min(precision, Int(Int32.max) - 1)) }

    /// Whether no operation rounded.
    @inlinable var isExact: Bool { state == .exact }

    /// This history as the operand of a further operation: exact stays exact, anything else becomes
    /// unknown (a rounded value that enters an operation is no longer "rounded once").
    @inlinable
    var asOperand: RoundingHistory {
        state == .exact ? self : RoundingHistory(lowestPrecision: lowestPrecision, state: .unknown)
    }

    /// The history of the operands of an operation: exact if both are, otherwise unknown with the smaller
    /// lowest precision (an inexact operand entering any operation loses the "rounded once" knowledge).
    @inlinable
    static func merge(_ a: RoundingHistory, _ b: RoundingHistory) -> RoundingHistory {
        if a.state == .exact && b.state == .exact { return .exact }
        return RoundingHistory(lowestPrecision: Swift.min(a.lowestPrecision, b.lowestPrecision), state: .unknown)
    }

    /// The history of the result of an operation on operands with this (merged) history, which returned
    /// `ternary` at `precision` bits.
    @inlinable
    func after(ternary: Int32, precision: Int) -> RoundingHistory {
        if ternary == 0 { return self }
        let bits = RoundingHistory.clamped(precision)
        if state == .exact { return RoundingHistory(lowestPrecision: bits, state: ternary > 0 ? .roundedUpOnce : .roundedDownOnce) }
        return RoundingHistory(lowestPrecision: Swift.min(lowestPrecision, bits), state: .unknown)
    }

    /// The history of the result of an operation that returned `ternary` at `precision` bits and whose
    /// result is `result`; a NaN result is never exact.
    @inlinable
    func after(ternary: Int32, precision: Int, result: mpfr_srcptr) -> RoundingHistory {
        if ternary == 0 && cmpfr_nan_p(result) != 0 {
            return RoundingHistory(lowestPrecision: Swift.min(lowestPrecision, RoundingHistory.clamped(precision)), state: .unknown)
        }
        return after(ternary: ternary, precision: precision)
    }

    /// This history (of c) replaced by that of a·b + c computed in place by one operation that returned `ternary`
    /// at `precision` bits into `result`: `merge(merge(a, b), self).after(ternary:precision:result:)`, written
    /// out for the inner loops of linear algebra.
    @inlinable @inline(__always)
    mutating func fuse(_ a: RoundingHistory, _ b: RoundingHistory, ternary: Int32, precision: Int, result: mpfr_srcptr) {
        if a.state == .exact && b.state == .exact && state == .exact {
            if ternary == 0 && cmpfr_nan_p(result) == 0 { return }
        } else {
            state = .unknown
            lowestPrecision = Swift.min(lowestPrecision, Swift.min(a.lowestPrecision, b.lowestPrecision))
        }
        self = after(ternary: ternary, precision: precision, result: result)
    }

    /// The history of −x (or of x·2ⁿ, n any, for `flipped` false) when that operation was exact: a single
    /// rounding stays a single rounding, in the opposite direction for a negation.
    @inlinable
    func exactlyTransformed(flipped: Bool) -> RoundingHistory {
        guard flipped else { return self }
        switch state {
        case .roundedUpOnce: return RoundingHistory(lowestPrecision: lowestPrecision, state: .roundedDownOnce)
        case .roundedDownOnce: return RoundingHistory(lowestPrecision: lowestPrecision, state: .roundedUpOnce)
        case .exact, .unknown: return self
        }
    }
}

extension BigFloat {
    /// Whether this value is exactly the real number its computation denotes.
    ///
    /// True when every MPFR operation that produced this value, transitively through its operands,
    /// returned the ternary value 0 (no rounding happened), given exact inputs: integers, dyadic
    /// `mantissa·2^exponent` values, and `Double`s taken as the binary64 numbers they are. Rational and
    /// decimal constructors are exact only when the number is representable (1/4 is, 1/3 and 0.1 are not).
    /// NaN is never exact; a value changed through ``withMutableMPFR(_:)`` is treated as rounded.
    /// Exactness does not take part in `==` or hashing.
    @inlinable public var isExact: Bool { history.isExact }

    /// The smallest precision, in bits, of any operation in this value's history that rounded; `nil` when
    /// the value is exact (``isExact``).
    ///
    /// The error of the value is bounded in terms of this precision, not of ``precision``: a quotient
    /// computed at 256 bits and then multiplied at 576 bits carries 256-bit rounding error.
    @inlinable public var lowestRoundingPrecision: Int? {
        history.isExact ? nil : Int(history.lowestPrecision)
    }

    /// +1 when this value was rounded exactly once, from exact operands, by a correctly rounded operation,
    /// to a value above the true value; −1 for once below; 0 when exact; `nil` when unknown.
    var roundedOnceDirection: Int? {
        switch history.state {
        case .exact: return 0
        case .roundedUpOnce: return 1
        case .roundedDownOnce: return -1
        case .unknown: return nil
        }
    }

    /// The same number with its history reset to exact: for values that are exact by definition,
    /// such as the ends of an interval (exact bounds) or generated test inputs.
    @inlinable
    func markedExact() -> BigFloat { BigFloat(storage: storage, history: .exact) }
}
