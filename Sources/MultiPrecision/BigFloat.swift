import CMPFR

/// The storage of one MPFR number: the `__mpfr_struct` header and its limbs in a single allocation.
///
/// The significand lives in the same heap block as the header (`mpfr_custom_init_set`), so a
/// value costs one allocation and needs no `mpfr_clear`. The object never moves, so the header
/// pointer handed to MPFR stays valid while the object is alive.
@usableFromInline
final class MPFRStorage: ManagedBuffer<__mpfr_struct, mp_limb_t> {
    /// A new storage of `precision` bits holding +0.
    @inlinable
    static func make(precision: Int) -> MPFRStorage {
        precondition(precision >= Int(MPFR_PREC_MIN) && precision <= Int(cmpfr_prec_max()),
                     "BigFloat precision \(precision) is outside MPFR's range \(MPFR_PREC_MIN)...\(cmpfr_prec_max())")
        let limbs = (cmpfr_custom_get_size(mpfr_prec_t(precision)) + MemoryLayout<mp_limb_t>.stride - 1)
            / MemoryLayout<mp_limb_t>.stride
        let buffer = MPFRStorage.create(minimumCapacity: limbs) { _ in __mpfr_struct() }
        let storage = unsafeDowncast(buffer, to: MPFRStorage.self)
        storage.withUnsafeMutablePointers { header, limbs in
            cmpfr_custom_init(limbs, mpfr_prec_t(precision))
            cmpfr_custom_init_set_zero(header, mpfr_prec_t(precision), limbs)
        }
        return storage
    }
}

/// An arbitrary-precision binary floating-point number backed by GNU MPFR.
///
/// `BigFloat` is a value type with copy-on-write storage: copies share storage until one of them is
/// mutated, and a mutation never changes another value. Every value carries its own precision in bits;
/// the result of a binary operation has the larger of the operands' precisions, and every operation is
/// correctly rounded by MPFR (round-to-nearest unless a ``RoundingMode`` is given). There is no global
/// precision: constructors without an operand to take it from accept `precision:` explicitly, defaulting
/// to the task-local ``defaultPrecision``.
///
/// Every value also carries how it was rounded (``isExact``, ``lowestRoundingPrecision``), read from the
/// ternary value of each MPFR call that produced it; copies carry it and in-place operations update it.
/// It does not take part in equality or hashing.
///
/// Values are safe to share between concurrent tasks: MPFR state that is thread-local (default
/// precision, rounding mode) is never consulted.
public struct BigFloat: @unchecked Sendable {
    @usableFromInline
    var storage: MPFRStorage
    /// Whether and how the operations that produced this value rounded.
    @usableFromInline
    var history: RoundingHistory

    @inlinable
    init(storage: MPFRStorage, history: RoundingHistory) {
        self.storage = storage
        self.history = history
    }

    /// A value of `precision` bits holding +0 (exact), to be overwritten by an MPFR call.
    @inlinable
    init(zeroWithPrecision precision: Int) {
        storage = MPFRStorage.make(precision: precision)
        history = .exact
    }

    /// The precision used where no operand provides one, scoped to the current task.
    ///
    /// Bind it with `BigFloat.$defaultPrecision.withValue(1024) { ... }`. It is read only by
    /// constructors (never inside arithmetic operators). The default is 256 bits.
    @TaskLocal public static var defaultPrecision: Int = 256

    /// The number of bits of this value's significand.
    ///
    /// Read through the header pointer rather than `ManagedBuffer.header`: the stored property would cost a
    /// dynamic exclusivity check (`swift_beginAccess`) on every read, which dominated in-place loops.
    /// The corresponding MPFR function is `mpfr_get_prec`.
    @inlinable
    public var precision: Int { Int(storage.withUnsafeMutablePointerToHeader { $0.pointee._mpfr_prec }) }

    /// Calls `body` with a read-only pointer to the MPFR number.
    @inlinable
    public func withMPFR<R>(_ body: (mpfr_srcptr) throws -> R) rethrows -> R {
        try storage.withUnsafeMutablePointerToHeader { try body(UnsafePointer($0)) }
    }

    /// Calls `body` with a mutable pointer to the MPFR number, first copying storage that is shared.
    ///
    /// What `body` does cannot be known, so the value is afterwards treated as rounded at its precision
    /// (``isExact`` is false).
    @inlinable
    public mutating func withMutableMPFR<R>(_ body: (mpfr_ptr) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) {
            let copy = MPFRStorage.make(precision: precision)
            copy.withUnsafeMutablePointerToHeader { target in
                storage.withUnsafeMutablePointerToHeader { source in _ = cmpfr_set(target, source, MPFR_RNDN) }
            }
            storage = copy
        }
        history = RoundingHistory.merge(history, .unknown(precision: precision))
        return try storage.withUnsafeMutablePointerToHeader { try body($0) }
    }

    /// Makes a value of `precision` bits by letting `body` write into fresh storage; `body` returns
    /// MPFR's ternary value, which updates `operands` (the merged history of the operands).
    @inlinable
    static func make(precision: Int, operands: RoundingHistory = .exact, _ body: (mpfr_ptr) -> Int32) -> BigFloat {
        let storage = MPFRStorage.make(precision: precision)
        let history = storage.withUnsafeMutablePointerToHeader { pointer in
            operands.after(ternary: body(pointer), precision: precision, result: pointer)
        }
        return BigFloat(storage: storage, history: history)
    }
}

// MARK: - Initialisers

extension BigFloat {
    /// The integer `value`, exact whenever `precision` ≥ 64 (otherwise correctly rounded once).
    ///
    /// The integer goes to MPFR directly, never through `Double`.
    /// The corresponding MPFR function is `mpfr_set_si`.
    @inlinable
    public init(_ value: Int, precision: Int = BigFloat.defaultPrecision, rounding: RoundingMode = .toNearest) {
        self = .make(precision: precision) { mpfr_set_si($0, value, rounding.mpfr) }
    }

    /// The binary64 value `value`, exact whenever `precision` ≥ 53.
    ///
    /// A Swift `Double` literal is already rounded to binary64: `BigFloat(0.1, precision: 256)` is
    /// 0.1000000000000000055511151231257827…, not one tenth. Use ``init(_:precision:rounding:file:line:)``
    /// or ``init(numerator:denominator:precision:rounding:)`` for decimal and rational inputs.
    /// The corresponding MPFR function is `mpfr_set_d`.
    ///
    /// Exactness (``isExact``): a `Double` whose significand needs more than 32 bits is taken as a rounded
    /// result (a decimal literal such as `0.1`, or a value exported through ``doubleValue``) and marks the
    /// value as rounded at 53 bits; shorter dyadic values (`0.5`, `1.25`, integers) are exact.
    @inlinable
    public init(_ value: Double, precision: Int = BigFloat.defaultPrecision, rounding: RoundingMode = .toNearest) {
        self = .make(precision: precision) { mpfr_set_d($0, value, rounding.mpfr) }
        // A binary64 number that needs all (or nearly all) of its 53 bits is most likely a rounded result
        // (0.1, a `doubleValue`): it counts as rounded at 53 bits. Short dyadics (0.5, 1.25, integers) stay exact.
        if value.isFinite && value.significandWidth > 31 {
            history = RoundingHistory.merge(history, .unknown(precision: 53))
        }
    }

    /// The binary64 value `value` taken as an exact input (a Newton seed, or the output of a computation done in
    /// `Double` on purpose), whatever its number of significant bits.
    ///
    /// Unlike ``init(_:precision:rounding:)-(Double,_,_)``, which counts a full 53-bit `Double` as a rounded
    /// result, this says that the binary64 number itself is the quantity meant. Exact whenever `precision` ≥ 53.
    /// The corresponding MPFR function is `mpfr_set_d`.
    public init(exactly value: Double, precision: Int = BigFloat.defaultPrecision) {
        self = .make(precision: precision) { mpfr_set_d($0, value, MPFR_RNDN) }
    }

    /// The value `mantissa · 2^exponent`, exact whenever `precision` ≥ 64.
    ///
    /// This is the exact path for test inputs: dyadic rationals are represented identically at every
    /// working precision. The corresponding MPFR function is `mpfr_set_si_2exp`.
    @inlinable
    public init(mantissa: Int, exponent: Int, precision: Int = BigFloat.defaultPrecision,
                rounding: RoundingMode = .toNearest) {
        self = .make(precision: precision) { mpfr_set_si_2exp($0, mantissa, exponent, rounding.mpfr) }
    }

    /// The rational `numerator / denominator`, rounded once.
    ///
    /// The fraction is formed exactly as a GMP rational and then rounded a single time, so the result
    /// is the correctly rounded value of p/q. The corresponding MPFR function is `mpfr_set_q`.
    public init(numerator: Int, denominator: Int, precision: Int = BigFloat.defaultPrecision,
                rounding: RoundingMode = .toNearest) {
        precondition(denominator != 0, "BigFloat(numerator:denominator:): the denominator is zero")
        self = .make(precision: precision) { target in
            withExactRational(numerator, denominator) { mpfr_set_q(target, $0, rounding.mpfr) }
        }
    }

    /// A copy of `value` rounded to `precision` bits.
    ///
    /// A copy that does not round keeps `value`'s rounding history. The corresponding MPFR function is `mpfr_set`.
    @inlinable
    public init(_ value: BigFloat, precision: Int, rounding: RoundingMode = .toNearest) {
        let storage = MPFRStorage.make(precision: precision)
        let ternary = storage.withUnsafeMutablePointerToHeader { target in
            value.withMPFR { cmpfr_set(target, $0, rounding.mpfr) }
        }
        self.init(storage: storage,
                  history: ternary == 0 ? value.history : value.history.asOperand.after(ternary: ternary, precision: precision))
    }

    /// Not a number, at `precision` bits (never exact). The corresponding MPFR function is `mpfr_set_nan`.
    public static func nan(precision: Int = BigFloat.defaultPrecision) -> BigFloat {
        .make(precision: precision) { mpfr_set_nan($0); return 0 }
    }

    /// +∞ or −∞ (for `sign` < 0), at `precision` bits. The corresponding MPFR function is `mpfr_set_inf`.
    public static func infinity(sign: Int = 1, precision: Int = BigFloat.defaultPrecision) -> BigFloat {
        .make(precision: precision) { mpfr_set_inf($0, sign < 0 ? -1 : 1); return 0 }
    }
}

/// Calls `body` with a canonical GMP rational p/q (q ≠ 0), cleared afterwards.
func withExactRational<R>(_ numerator: Int, _ denominator: Int, _ body: (mpq_srcptr) -> R) -> R {
    let q = UnsafeMutablePointer<__mpq_struct>.allocate(capacity: 1)
    defer { __gmpq_clear(q); q.deallocate() }
    __gmpq_init(q)
    // q = numerator / |denominator|, then the denominator's sign moves to the numerator.
    __gmpq_set_si(q, numerator, denominator.magnitude)
    __gmpq_canonicalize(q)
    if denominator < 0 { __gmpq_neg(q, q) }
    return body(q)
}

/// The error thrown when a string is not a decimal number, with the place of the call that read it.
public struct NumberParseError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The text that failed to parse.
    public var text: String
    /// Why it failed.
    public var reason: String
    /// The call of ``BigFloat/init(_:precision:rounding:file:line:)`` that threw.
    public var site: CallSite

    /// The failure to read `text`, for the call at `file`:`line` (by default the place of the call).
    public init(text: String, reason: String, file: StaticString = #filePath, line: UInt = #line) {
        self.text = text
        self.reason = reason
        site = CallSite(file: file, line: line)
    }

    /// What went wrong and where: `cannot read "TEXT" as a number: REASON (thrown at FILE:LINE)`.
    public var description: String { "cannot read \"\(text)\" as a number: \(reason) (thrown at \(site))" }
}

extension BigFloat {
    /// The decimal number written in `text`, correctly rounded to `precision` bits.
    ///
    /// Accepts an optional sign, digits with an optional point, and an optional exponent
    /// (`"0.1"`, `"-1.25e-30"`, `"1e400000"`), as well as `"inf"`, `"-inf"` and `"nan"`. Surrounding
    /// white space is ignored; anything else throws ``NumberParseError``, naming `file`:`line` (by default the
    /// place of the call).
    /// The corresponding MPFR function is `mpfr_strtofr`.
    public init(_ text: String, precision: Int = BigFloat.defaultPrecision, rounding: RoundingMode = .toNearest,
                file: StaticString = #filePath, line: UInt = #line) throws {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw NumberParseError(text: text, reason: "the text is empty", file: file, line: line) }
        guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isLetter || "+-.".contains($0)) }) else {
            throw NumberParseError(text: text, reason: "it contains characters other than digits, sign, point and exponent",
                                   file: file, line: line)
        }
        var parsed = true
        let value = BigFloat.make(precision: precision) { target in
            trimmed.withCString { start in
                var end: UnsafeMutablePointer<CChar>? = nil
                let ternary = mpfr_strtofr(target, start, &end, 10, rounding.mpfr)
                parsed = end.map { $0 == UnsafeMutablePointer(mutating: start) + trimmed.utf8.count } ?? false
                return ternary
            }
        }
        guard parsed else { throw NumberParseError(text: text, reason: "it is not a decimal number (e.g. 0.1, -1.25e-30)", file: file, line: line) }
        self = value
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}

// MARK: - Constants

extension BigFloat {
    /// π correctly rounded to `precision` bits. The corresponding MPFR function is `mpfr_const_pi`.
    public static func pi(precision: Int = BigFloat.defaultPrecision, rounding: RoundingMode = .toNearest) -> BigFloat {
        .make(precision: precision) { mpfr_const_pi($0, rounding.mpfr) }
    }

    /// Euler's number e = exp(1) correctly rounded to `precision` bits. The corresponding MPFR function is `mpfr_exp`.
    public static func e(precision: Int = BigFloat.defaultPrecision, rounding: RoundingMode = .toNearest) -> BigFloat {
        let one = BigFloat(1, precision: precision)
        return .make(precision: precision) { target in one.withMPFR { mpfr_exp(target, $0, rounding.mpfr) } }
    }

    /// ln 2 correctly rounded to `precision` bits. The corresponding MPFR function is `mpfr_const_log2`.
    public static func ln2(precision: Int = BigFloat.defaultPrecision, rounding: RoundingMode = .toNearest) -> BigFloat {
        .make(precision: precision) { mpfr_const_log2($0, rounding.mpfr) }
    }
}

// MARK: - Classification

extension BigFloat {
    /// Whether this value is NaN. The corresponding MPFR function is `mpfr_nan_p`.
    @inlinable public var isNaN: Bool { withMPFR { cmpfr_nan_p($0) != 0 } }
    /// Whether this value is +∞ or −∞. The corresponding MPFR function is `mpfr_inf_p`.
    @inlinable public var isInfinite: Bool { withMPFR { cmpfr_inf_p($0) != 0 } }
    /// Whether this value is +0 or −0. The corresponding MPFR function is `mpfr_zero_p`.
    @inlinable public var isZero: Bool { withMPFR { cmpfr_zero_p($0) != 0 } }
    /// Whether this value is finite (neither NaN nor ±∞). The corresponding MPFR function is `mpfr_number_p`.
    @inlinable public var isFinite: Bool { withMPFR { mpfr_number_p($0) != 0 } }
    /// −1, 0 or +1 by the sign of the value (0 for ±0 and NaN). The corresponding MPFR function is `mpfr_sgn`.
    @inlinable public var sign: Int { isNaN ? 0 : Int(withMPFR { cmpfr_sgn($0) }.signum()) }
    /// The nearest binary64 value. The corresponding MPFR function is `mpfr_get_d`.
    @inlinable public var doubleValue: Double { withMPFR { mpfr_get_d($0, MPFR_RNDN) } }
    /// The binary exponent e with value = m·2^e, 1/2 ≤ |m| < 1 (finite non-zero values only).
    /// The corresponding MPFR function is `mpfr_get_exp`.
    @inlinable public var exponent: Int { Int(withMPFR { cmpfr_get_exp($0) }) }
}
