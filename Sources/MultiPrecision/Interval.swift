import CMPFR

/// The answer of a rigorous comparison: true for every point of the enclosures, false for every
/// point, or not decided at this precision.
public enum Certainty: String, Sendable, Hashable, Codable {
    /// The relation holds for every pair of points of the two enclosures.
    case certainlyTrue
    /// The relation fails for every pair of points of the two enclosures.
    case certainlyFalse
    /// The enclosures overlap: more precision (or a tighter formula) is needed.
    case undecided
}

/// A closed interval [lower, upper] of real numbers with outward-rounded arithmetic.
///
/// Every operation rounds its lower end toward −∞ and its upper end toward +∞ (MPFR's directed
/// rounding, `MPFR_RNDD`/`MPFR_RNDU`), so if the inputs enclose real numbers x and y, the result of
/// `x ∘ y` encloses the exact real result. An inequality between two real quantities is *proved* when
/// their enclosures are disjoint. Built directly on MPFR rather than MPFI: the operations needed here are
/// few and monotone, and this keeps the dependency list to MPFR and GMP.
///
/// An interval is only ever built from bounds known to be valid: the initialisers from a ``BigFloat``
/// read its rounding history (``BigFloat/isExact``) and widen, or refuse, ends that may not enclose the
/// true value. A refused interval, or the result of an operation outside its domain (the logarithm of an
/// interval reaching 0, division by an interval containing 0, …), is *invalid*: both ends are NaN,
/// ``isValid`` is false, every operation on it gives an invalid interval again, and every comparison with
/// it is ``Certainty/undecided``, so no claim can ever be proved from it.
///
/// The ends of an interval are exact bounds: ``lower`` and ``upper`` are exact ``BigFloat`` values, so
/// `Interval(lower: x.lower, upper: x.upper)` rebuilds `x`.
public struct Interval: Sendable, Hashable {
    /// The lower end (rounded toward −∞), an exact number.
    public let lower: BigFloat
    /// The upper end (rounded toward +∞), an exact number.
    public let upper: BigFloat

    /// The interval between two bounds obtained by outward (directed) rounding, which are valid whatever
    /// their rounding history says: the ends are marked exact, and a NaN end makes the interval invalid.
    init(trustedLower lower: BigFloat, upper: BigFloat) {
        if lower.isNaN || upper.isNaN {
            let nan = BigFloat.nan(precision: Swift.max(lower.precision, upper.precision))
            self.lower = nan
            self.upper = nan
            return
        }
        precondition(lower <= upper,
                     "Interval: lower end \(lower.formatted(digits: 20)) exceeds upper end \(upper.formatted(digits: 20))")
        self.lower = lower.markedExact()
        self.upper = upper.markedExact()
    }

    /// The invalid interval (both ends NaN) at `precision` bits.
    static func invalid(precision: Int) -> Interval {
        let nan = BigFloat.nan(precision: precision)
        return Interval(trustedLower: nan, upper: nan)
    }

    /// The interval [lower, upper], each end checked against its rounding history.
    ///
    /// An end that is exact (``BigFloat/isExact``) is kept. An end rounded exactly once, from exact
    /// operands, in the safe direction (the lower end rounded down, the upper end rounded up) is kept; one
    /// rounded once the other way is moved one ulp outward (the true value lies between a correctly
    /// rounded result and its neighbour). An end with any other history (rounded twice, or from raw MPFR
    /// access) cannot be trusted, and the result is the invalid interval (see ``isValid``).
    /// Precondition: lower ≤ upper (or either is NaN, for an invalid result).
    public init(lower: BigFloat, upper: BigFloat) {
        precondition(lower.isNaN || upper.isNaN || lower <= upper,
                     "Interval(lower:upper:): lower end \(lower.formatted(digits: 20)) exceeds upper end \(upper.formatted(digits: 20))")
        guard let low = Interval.bound(lower, below: true), let high = Interval.bound(upper, below: false) else {
            self = .invalid(precision: Swift.max(lower.precision, upper.precision))
            return
        }
        self.init(trustedLower: low, upper: high)
    }

    /// A valid lower (`below`) or upper bound for the true value of `value`, or nil when none is known.
    ///
    /// The corresponding MPFR functions are `mpfr_nextbelow` and `mpfr_nextabove`.
    static func bound(_ value: BigFloat, below: Bool) -> BigFloat? {
        guard let direction = value.roundedOnceDirection else { return nil }
        // exact, or rounded once on the safe side (down for a lower bound, up for an upper bound)
        if direction == 0 || (direction < 0) == below { return value }
        // Rounded once the other way: the true value lies strictly between the value and its neighbour at
        // the precision of that rounding (the value is representable there).
        guard let bits = value.lowestRoundingPrecision, bits < Int(Int32.max) - 1 else { return nil }
        let neighbour = BigFloat(value, precision: bits)
        neighbour.storage.withUnsafeMutablePointerToHeader { below ? mpfr_nextbelow($0) : mpfr_nextabove($0) }
        return neighbour
    }

    /// The smallest interval known to contain the real number that `value` approximates.
    ///
    /// - If `value` is exact (``BigFloat/isExact``), the point interval [value, value].
    /// - If it was rounded exactly once, from exact operands, by a correctly rounded operation, the true
    ///   value lies between `value` and its neighbour on the side of the rounding: for a value rounded up
    ///   (MPFR ternary > 0) the interval is [nextBelow(value), value], for one rounded down
    ///   [value, nextAbove(value)], the neighbours taken at the precision of that rounding.
    /// - Otherwise (rounded more than once, or unknown), no enclosure is known and the result is the
    ///   *invalid* interval (NaN ends, ``isValid`` false), from which no claim can be proved. Compute the
    ///   quantity with interval arithmetic from exact inputs instead.
    ///
    /// The corresponding MPFR functions are `mpfr_nextbelow` and `mpfr_nextabove`.
    public init(_ value: BigFloat) { self.init(lower: value, upper: value) }

    /// The point interval of the integer `value` (exact when `precision` ≥ 64, enclosed otherwise).
    public init(_ value: Int, precision: Int = BigFloat.defaultPrecision) {
        self.init(trustedLower: BigFloat(value, precision: precision, rounding: .down),
                  upper: BigFloat(value, precision: precision, rounding: .up))
    }

    /// The tightest interval at `precision` bits enclosing the rational p/q.
    ///
    /// The corresponding MPFR function is `mpfr_set_q` (rounded down and up).
    public init(numerator: Int, denominator: Int, precision: Int = BigFloat.defaultPrecision) {
        self.init(trustedLower: BigFloat(numerator: numerator, denominator: denominator, precision: precision, rounding: .down),
                  upper: BigFloat(numerator: numerator, denominator: denominator, precision: precision, rounding: .up))
    }

    /// An enclosure of π. The corresponding MPFR function is `mpfr_const_pi`.
    public static func pi(precision: Int = BigFloat.defaultPrecision) -> Interval {
        Interval(trustedLower: .pi(precision: precision, rounding: .down), upper: .pi(precision: precision, rounding: .up))
    }

    /// The larger of the two ends' precisions.
    public var precision: Int { Swift.max(lower.precision, upper.precision) }
    /// upper − lower, rounded up.
    public var width: BigFloat { .apply(mpfr_sub, upper, lower, rounding: .up) }
    /// The midpoint (lower + upper)/2, rounded to nearest.
    public var midpoint: BigFloat { (lower + upper).timesPowerOfTwo(-1) }
    /// Whether the interval is a valid enclosure (both ends are numbers, not NaN).
    ///
    /// An invalid interval comes from a bound that could not be trusted (see ``init(_:)-(BigFloat)``) or
    /// from an operation outside its domain; operations on it stay invalid and comparisons with it are
    /// ``Certainty/undecided``.
    public var isValid: Bool { !lower.isNaN && !upper.isNaN }
    /// Whether `value` lies in [lower, upper].
    public func contains(_ value: BigFloat) -> Bool { lower <= value && value <= upper }
    /// Whether `other` lies inside this interval.
    public func contains(_ other: Interval) -> Bool { lower <= other.lower && other.upper <= upper }
    /// Whether 0 lies in the interval.
    public var containsZero: Bool { lower.sign <= 0 && upper.sign >= 0 }

    /// Whether every point of this interval is less than every point of `other`.
    public func isCertainlyLess(than other: Interval) -> Certainty {
        guard isValid && other.isValid else { return .undecided }
        if upper < other.lower { return .certainlyTrue }
        if lower >= other.upper { return .certainlyFalse }
        return .undecided
    }

    /// Whether every point of this interval is at most every point of `other`.
    public func isCertainlyLessOrEqual(to other: Interval) -> Certainty {
        guard isValid && other.isValid else { return .undecided }
        if upper <= other.lower { return .certainlyTrue }
        if lower > other.upper { return .certainlyFalse }
        return .undecided
    }
}

extension Interval: CustomStringConvertible {
    /// `[lower, upper]` with 20 significant digits each, rounded outward.
    public var description: String {
        "[\(lower.formatted(digits: 20, rounding: .down)), \(upper.formatted(digits: 20, rounding: .up))]"
    }
}

// MARK: - Arithmetic

extension Interval {
    static func directed(_ f: MPFRBinaryFunction, _ a: BigFloat, _ b: BigFloat) -> (BigFloat, BigFloat) {
        (.apply(f, a, b, rounding: .down), .apply(f, a, b, rounding: .up))
    }

    /// The hull of the four end-point combinations of `f`, each rounded outward.
    static func hull(_ f: MPFRBinaryFunction, _ a: Interval, _ b: Interval) -> Interval {
        let pairs = [(a.lower, b.lower), (a.lower, b.upper), (a.upper, b.lower), (a.upper, b.upper)]
        let downs = pairs.map { BigFloat.apply(f, $0.0, $0.1, rounding: .down) }
        let ups = pairs.map { BigFloat.apply(f, $0.0, $0.1, rounding: .up) }
        if downs.contains(where: \.isNaN) || ups.contains(where: \.isNaN) {
            return .invalid(precision: Swift.max(a.precision, b.precision))
        }
        return Interval(trustedLower: downs.dropFirst().reduce(downs[0], min), upper: ups.dropFirst().reduce(ups[0], max))
    }

    /// The enclosure of x + y. The corresponding MPFR function is `mpfr_add` (rounded down and up).
    public static func + (a: Interval, b: Interval) -> Interval {
        Interval(trustedLower: .apply(mpfr_add, a.lower, b.lower, rounding: .down),
                 upper: .apply(mpfr_add, a.upper, b.upper, rounding: .up))
    }
    /// The enclosure of x − y. The corresponding MPFR function is `mpfr_sub` (rounded down and up).
    public static func - (a: Interval, b: Interval) -> Interval {
        Interval(trustedLower: .apply(mpfr_sub, a.lower, b.upper, rounding: .down),
                 upper: .apply(mpfr_sub, a.upper, b.lower, rounding: .up))
    }
    /// The enclosure of −x (exact).
    public static prefix func - (a: Interval) -> Interval { Interval(trustedLower: -a.upper, upper: -a.lower) }
    /// Where an interval lies relative to 0, when its ends are finite, nonzero and of one precision.
    enum SignClass { case positive, negative, straddling }

    /// The sign class of the interval, or nil when an end is 0, infinite or NaN (or the ends' precisions differ).
    var signClass: SignClass? {
        guard lower.precision == upper.precision && lower.isFinite && upper.isFinite else { return nil }
        switch (lower.sign, upper.sign) {
        case (1, 1): return .positive
        case (-1, -1): return .negative
        case (-1, 1): return .straddling
        default: return nil
        }
    }

    /// The hull of f over the end pairs `low` (rounded down) and `high` (rounded up): the two of the four pairs
    /// where a monotone-by-sign `f` takes its least and greatest value.
    static func corners(_ f: MPFRBinaryFunction, low: (BigFloat, BigFloat), high: (BigFloat, BigFloat)) -> Interval {
        Interval(trustedLower: .apply(f, low.0, low.1, rounding: .down), upper: .apply(f, high.0, high.1, rounding: .up))
    }

    /// The enclosure of x · y. The corresponding MPFR function is `mpfr_mul` (rounded down and up).
    ///
    /// When the ends are finite, nonzero and of one precision, the signs of the ends say which two of the four
    /// end products are the least and the greatest (two multiplications instead of eight; the same result, since
    /// rounding down and up is monotone); otherwise, and when both intervals contain 0 inside, all four are taken.
    public static func * (a: Interval, b: Interval) -> Interval {
        guard let p = a.signClass, let q = b.signClass, a.precision == b.precision else { return hull(mpfr_mul, a, b) }
        let (al, ah, bl, bh) = (a.lower, a.upper, b.lower, b.upper)
        switch (p, q) {
        case (.positive, .positive): return corners(mpfr_mul, low: (al, bl), high: (ah, bh))
        case (.positive, .negative): return corners(mpfr_mul, low: (ah, bl), high: (al, bh))
        case (.negative, .positive): return corners(mpfr_mul, low: (al, bh), high: (ah, bl))
        case (.negative, .negative): return corners(mpfr_mul, low: (ah, bh), high: (al, bl))
        case (.positive, .straddling): return corners(mpfr_mul, low: (ah, bl), high: (ah, bh))
        case (.negative, .straddling): return corners(mpfr_mul, low: (al, bh), high: (al, bl))
        case (.straddling, .positive): return corners(mpfr_mul, low: (al, bh), high: (ah, bh))
        case (.straddling, .negative): return corners(mpfr_mul, low: (ah, bl), high: (al, bl))
        case (.straddling, .straddling): return hull(mpfr_mul, a, b)
        }
    }
    /// The enclosure of x / y; invalid (see ``isValid``) when y's enclosure contains 0, where the
    /// quotient is undefined. The corresponding MPFR function is `mpfr_div` (rounded down and up).
    ///
    /// As for the product, the signs of finite nonzero ends of one precision pick the two end quotients that
    /// are the least and the greatest.
    public static func / (a: Interval, b: Interval) -> Interval {
        if b.containsZero || !a.isValid || !b.isValid { return .invalid(precision: Swift.max(a.precision, b.precision)) }
        guard let p = a.signClass, let q = b.signClass, a.precision == b.precision else { return hull(mpfr_div, a, b) }
        let (al, ah, bl, bh) = (a.lower, a.upper, b.lower, b.upper)
        switch (p, q) {
        case (.positive, .positive): return corners(mpfr_div, low: (al, bh), high: (ah, bl))
        case (.negative, .positive): return corners(mpfr_div, low: (al, bl), high: (ah, bh))
        case (.straddling, .positive): return corners(mpfr_div, low: (al, bl), high: (ah, bl))
        case (.positive, .negative): return corners(mpfr_div, low: (ah, bh), high: (al, bl))
        case (.negative, .negative): return corners(mpfr_div, low: (ah, bl), high: (al, bh))
        case (.straddling, .negative): return corners(mpfr_div, low: (ah, bh), high: (al, bh))
        case (_, .straddling): return hull(mpfr_div, a, b)   // unreachable: b does not contain 0
        }
    }

    /// The enclosure of x + n.
    public static func + (a: Interval, n: Int) -> Interval { a + Interval(n, precision: a.precision) }
    /// The enclosure of n + x.
    public static func + (n: Int, a: Interval) -> Interval { Interval(n, precision: a.precision) + a }
    /// The enclosure of x − n.
    public static func - (a: Interval, n: Int) -> Interval { a - Interval(n, precision: a.precision) }
    /// The enclosure of n − x.
    public static func - (n: Int, a: Interval) -> Interval { Interval(n, precision: a.precision) - a }
    /// The enclosure of x · n (one directed multiplication per end). The corresponding MPFR function is `mpfr_mul_si`.
    public static func * (a: Interval, n: Int) -> Interval {
        let (low, high) = n >= 0 ? (a.lower, a.upper) : (a.upper, a.lower)
        return Interval(trustedLower: .apply(mpfr_mul_si, low, n, rounding: .down), upper: .apply(mpfr_mul_si, high, n, rounding: .up))
    }
    /// The enclosure of n · x.
    public static func * (n: Int, a: Interval) -> Interval { a * n }
    /// The enclosure of x / n (invalid for n = 0). The corresponding MPFR function is `mpfr_div_si`.
    public static func / (a: Interval, n: Int) -> Interval {
        if n == 0 { return .invalid(precision: a.precision) }
        let (low, high) = n > 0 ? (a.lower, a.upper) : (a.upper, a.lower)
        return Interval(trustedLower: .apply(mpfr_div_si, low, n, rounding: .down), upper: .apply(mpfr_div_si, high, n, rounding: .up))
    }
    /// The enclosure of n / x.
    public static func / (n: Int, a: Interval) -> Interval { Interval(n, precision: a.precision) / a }

    /// `a = a + b`.
    public static func += (a: inout Interval, b: Interval) { a = a + b }
    /// `a = a − b`.
    public static func -= (a: inout Interval, b: Interval) { a = a - b }
    /// `a = a · b`.
    public static func *= (a: inout Interval, b: Interval) { a = a * b }
    /// `a = a / b`.
    public static func /= (a: inout Interval, b: Interval) { a = a / b }
}

// MARK: - Functions

/// The enclosure of √x; invalid when x's lower end is negative (outside the domain).
/// The corresponding MPFR function is `mpfr_sqrt` (rounded down and up).
public func sqrt(_ x: Interval) -> Interval {
    guard x.isValid && x.lower.sign >= 0 else { return .invalid(precision: x.precision) }
    return increasing(x) { sqrt($0, rounding: $1) }
}

/// The enclosure of eˣ (increasing). The corresponding MPFR function is `mpfr_exp` (rounded down and up).
public func exp(_ x: Interval) -> Interval { increasing(x) { exp($0, rounding: $1) } }

/// The enclosure of ln x (increasing); invalid when x's lower end is ≤ 0 (outside the domain).
/// The corresponding MPFR function is `mpfr_log` (rounded down and up).
public func log(_ x: Interval) -> Interval {
    guard x.isValid && x.lower.sign > 0 else { return .invalid(precision: x.precision) }
    return increasing(x) { log($0, rounding: $1) }
}

/// The enclosure of |x|.
public func abs(_ x: Interval) -> Interval {
    guard x.isValid else { return x }
    if x.lower.sign >= 0 { return x }
    if x.upper.sign <= 0 { return -x }
    return Interval(trustedLower: BigFloat(0, precision: x.precision), upper: max(-x.lower, x.upper))
}

/// The enclosure of xⁿ for an integer n (even powers use |x|, so they are never negative); invalid for
/// n < 0 when x's enclosure contains 0. The corresponding MPFR function is `mpfr_pow_si` (rounded down and up).
public func pow(_ x: Interval, _ n: Int) -> Interval {
    guard x.isValid else { return x }
    if n == 0 { return Interval(1, precision: x.precision) }
    if n < 0 { return Interval(1, precision: x.precision) / pow(x, -n) }
    let base = n % 2 == 0 ? abs(x) : x
    return Interval(trustedLower: pow(base.lower, n, rounding: .down), upper: pow(base.upper, n, rounding: .up))
}

/// The smaller of two enclosed numbers.
public func min(_ a: Interval, _ b: Interval) -> Interval {
    guard a.isValid && b.isValid else { return .invalid(precision: Swift.max(a.precision, b.precision)) }
    return Interval(trustedLower: min(a.lower, b.lower), upper: min(a.upper, b.upper))
}
/// The larger of two enclosed numbers.
public func max(_ a: Interval, _ b: Interval) -> Interval {
    guard a.isValid && b.isValid else { return .invalid(precision: Swift.max(a.precision, b.precision)) }
    return Interval(trustedLower: max(a.lower, b.lower), upper: max(a.upper, b.upper))
}

/// The enclosure of f over x for a non-decreasing f, evaluated at the ends with outward rounding.
func increasing(_ x: Interval, _ f: (BigFloat, RoundingMode) -> BigFloat) -> Interval {
    guard x.isValid else { return x }
    return Interval(trustedLower: f(x.lower, .down), upper: f(x.upper, .up))
}

/// The enclosure of erf x (increasing). The corresponding MPFR function is `mpfr_erf` (rounded down and up).
public func erf(_ x: Interval) -> Interval { increasing(x) { erf($0, rounding: $1) } }

/// The enclosure of erfc x (decreasing). The corresponding MPFR function is `mpfr_erfc` (rounded down and up).
public func erfc(_ x: Interval) -> Interval {
    guard x.isValid else { return x }
    return Interval(trustedLower: erfc(x.upper, rounding: .down), upper: erfc(x.lower, rounding: .up))
}

/// The enclosure of tanh x (increasing). The corresponding MPFR function is `mpfr_tanh` (rounded down and up).
public func tanh(_ x: Interval) -> Interval { increasing(x) { tanh($0, rounding: $1) } }

/// The enclosure of eˣ − 1 (increasing). The corresponding MPFR function is `mpfr_expm1` (rounded down and up).
public func expm1(_ x: Interval) -> Interval { increasing(x) { expm1($0, rounding: $1) } }

/// The enclosure of ln(1 + x) (increasing); invalid when x's lower end is ≤ −1 (outside the domain).
/// The corresponding MPFR function is `mpfr_log1p` (rounded down and up).
public func log1p(_ x: Interval) -> Interval {
    guard x.isValid && x.lower > BigFloat(-1, precision: 64) else { return .invalid(precision: x.precision) }
    return increasing(x) { log1p($0, rounding: $1) }
}
