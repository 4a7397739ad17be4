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
public struct Interval: Sendable, Hashable {
    /// The lower end (rounded toward −∞).
    public let lower: BigFloat
    /// The upper end (rounded toward +∞).
    public let upper: BigFloat

    /// The interval [lower, upper]. Precondition: lower ≤ upper (or either is NaN, for an invalid result).
    public init(lower: BigFloat, upper: BigFloat) {
        precondition(lower.isNaN || upper.isNaN || lower <= upper,
                     "Interval(lower:upper:): lower end \(lower.formatted(digits: 20)) exceeds upper end \(upper.formatted(digits: 20))")
        self.lower = lower
        self.upper = upper
    }

    /// The point interval holding exactly the value of `value` (a binary float is an exact real number).
    public init(_ value: BigFloat) { self.init(lower: value, upper: value) }

    /// The point interval of the integer `value` (exact when `precision` ≥ 64, enclosed otherwise).
    public init(_ value: Int, precision: Int = BigFloat.defaultPrecision) {
        self.init(lower: BigFloat(value, precision: precision, rounding: .down),
                  upper: BigFloat(value, precision: precision, rounding: .up))
    }

    /// The tightest interval at `precision` bits enclosing the rational p/q.
    ///
    /// The corresponding MPFR function is `mpfr_set_q` (rounded down and up).
    public init(numerator: Int, denominator: Int, precision: Int = BigFloat.defaultPrecision) {
        self.init(lower: BigFloat(numerator: numerator, denominator: denominator, precision: precision, rounding: .down),
                  upper: BigFloat(numerator: numerator, denominator: denominator, precision: precision, rounding: .up))
    }

    /// An enclosure of π. The corresponding MPFR function is `mpfr_const_pi`.
    public static func pi(precision: Int = BigFloat.defaultPrecision) -> Interval {
        Interval(lower: .pi(precision: precision, rounding: .down), upper: .pi(precision: precision, rounding: .up))
    }

    /// The larger of the two ends' precisions.
    public var precision: Int { Swift.max(lower.precision, upper.precision) }
    /// upper − lower, rounded up.
    public var width: BigFloat { .apply(mpfr_sub, upper, lower, rounding: .up) }
    /// The midpoint (lower + upper)/2, rounded to nearest.
    public var midpoint: BigFloat { (lower + upper).timesPowerOfTwo(-1) }
    /// Whether both ends are numbers (not NaN).
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
            let p = Swift.max(a.precision, b.precision)
            return Interval(lower: .nan(precision: p), upper: .nan(precision: p))
        }
        return Interval(lower: downs.dropFirst().reduce(downs[0], min), upper: ups.dropFirst().reduce(ups[0], max))
    }

    /// The enclosure of x + y. The corresponding MPFR function is `mpfr_add` (rounded down and up).
    public static func + (a: Interval, b: Interval) -> Interval {
        Interval(lower: .apply(mpfr_add, a.lower, b.lower, rounding: .down),
                 upper: .apply(mpfr_add, a.upper, b.upper, rounding: .up))
    }
    /// The enclosure of x − y. The corresponding MPFR function is `mpfr_sub` (rounded down and up).
    public static func - (a: Interval, b: Interval) -> Interval {
        Interval(lower: .apply(mpfr_sub, a.lower, b.upper, rounding: .down),
                 upper: .apply(mpfr_sub, a.upper, b.lower, rounding: .up))
    }
    /// The enclosure of −x (exact).
    public static prefix func - (a: Interval) -> Interval { Interval(lower: -a.upper, upper: -a.lower) }
    /// The enclosure of x · y. The corresponding MPFR function is `mpfr_mul` (rounded down and up).
    public static func * (a: Interval, b: Interval) -> Interval { hull(mpfr_mul, a, b) }
    /// The enclosure of x / y; the whole line (−∞, +∞) when y's enclosure contains 0.
    /// The corresponding MPFR function is `mpfr_div` (rounded down and up).
    public static func / (a: Interval, b: Interval) -> Interval {
        if b.containsZero {
            let p = Swift.max(a.precision, b.precision)
            return Interval(lower: .infinity(sign: -1, precision: p), upper: .infinity(sign: 1, precision: p))
        }
        return hull(mpfr_div, a, b)
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
        return Interval(lower: .apply(mpfr_mul_si, low, n, rounding: .down), upper: .apply(mpfr_mul_si, high, n, rounding: .up))
    }
    /// The enclosure of n · x.
    public static func * (n: Int, a: Interval) -> Interval { a * n }
    /// The enclosure of x / n (whole line for n = 0). The corresponding MPFR function is `mpfr_div_si`.
    public static func / (a: Interval, n: Int) -> Interval {
        if n == 0 { return a / Interval(0, precision: a.precision) }
        let (low, high) = n > 0 ? (a.lower, a.upper) : (a.upper, a.lower)
        return Interval(lower: .apply(mpfr_div_si, low, n, rounding: .down), upper: .apply(mpfr_div_si, high, n, rounding: .up))
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

/// The enclosure of √x over the non-negative part of x (NaN if x is entirely negative).
/// The corresponding MPFR function is `mpfr_sqrt` (rounded down and up).
public func sqrt(_ x: Interval) -> Interval {
    let zero = BigFloat(0, precision: x.precision)
    return Interval(lower: sqrt(max(x.lower, zero), rounding: .down), upper: sqrt(x.upper, rounding: .up))
}

/// The enclosure of eˣ (increasing). The corresponding MPFR function is `mpfr_exp` (rounded down and up).
public func exp(_ x: Interval) -> Interval { increasing(x) { exp($0, rounding: $1) } }

/// The enclosure of ln x (monotone; −∞ at a lower end ≤ 0). The corresponding MPFR function is `mpfr_log` (rounded down and up).
public func log(_ x: Interval) -> Interval {
    let lower = x.lower.sign <= 0 ? BigFloat.infinity(sign: -1, precision: x.precision) : log(x.lower, rounding: .down)
    return Interval(lower: lower, upper: log(x.upper, rounding: .up))
}

/// The enclosure of |x|.
public func abs(_ x: Interval) -> Interval {
    if x.lower.sign >= 0 { return x }
    if x.upper.sign <= 0 { return -x }
    return Interval(lower: BigFloat(0, precision: x.precision), upper: max(-x.lower, x.upper))
}

/// The enclosure of xⁿ for an integer n (even powers use |x|, so they are never negative).
/// The corresponding MPFR function is `mpfr_pow_si` (rounded down and up).
public func pow(_ x: Interval, _ n: Int) -> Interval {
    if n == 0 { return Interval(1, precision: x.precision) }
    if n < 0 { return Interval(1, precision: x.precision) / pow(x, -n) }
    let base = n % 2 == 0 ? abs(x) : x
    return Interval(lower: pow(base.lower, n, rounding: .down), upper: pow(base.upper, n, rounding: .up))
}

/// The smaller of two enclosed numbers.
public func min(_ a: Interval, _ b: Interval) -> Interval { Interval(lower: min(a.lower, b.lower), upper: min(a.upper, b.upper)) }
/// The larger of two enclosed numbers.
public func max(_ a: Interval, _ b: Interval) -> Interval { Interval(lower: max(a.lower, b.lower), upper: max(a.upper, b.upper)) }

/// The enclosure of f over x for a non-decreasing f, evaluated at the ends with outward rounding.
func increasing(_ x: Interval, _ f: (BigFloat, RoundingMode) -> BigFloat) -> Interval {
    Interval(lower: f(x.lower, .down), upper: f(x.upper, .up))
}

/// The enclosure of erf x (increasing). The corresponding MPFR function is `mpfr_erf` (rounded down and up).
public func erf(_ x: Interval) -> Interval { increasing(x) { erf($0, rounding: $1) } }

/// The enclosure of erfc x (decreasing). The corresponding MPFR function is `mpfr_erfc` (rounded down and up).
public func erfc(_ x: Interval) -> Interval {
    Interval(lower: erfc(x.upper, rounding: .down), upper: erfc(x.lower, rounding: .up))
}

/// The enclosure of tanh x (increasing). The corresponding MPFR function is `mpfr_tanh` (rounded down and up).
public func tanh(_ x: Interval) -> Interval { increasing(x) { tanh($0, rounding: $1) } }

/// The enclosure of eˣ − 1 (increasing). The corresponding MPFR function is `mpfr_expm1` (rounded down and up).
public func expm1(_ x: Interval) -> Interval { increasing(x) { expm1($0, rounding: $1) } }

/// The enclosure of ln(1 + x) (increasing; −∞ at a lower end ≤ −1). The corresponding MPFR function is `mpfr_log1p`.
public func log1p(_ x: Interval) -> Interval { increasing(x) { log1p($0, rounding: $1) } }
