import Testing
import CMPFR
import MultiPrecision

/// Exactness tracking and the enclosures built from it.
///
/// The oracles are exact facts about rationals: 1/4, 5, 2 are dyadic (representable, so exact); 1/3, 1/7,
/// √2, π are not dyadic (so any binary value of them was rounded). Containment of a rational p/q in
/// [lo, hi] is checked as q·lo ≤ p ≤ q·hi, with the products formed at a precision where they are exact
/// (asserted with `isExact`).
@Suite("Exactness")
struct ExactnessTests {
    static let bits = 576

    /// Whether [x.lower, x.upper] contains p/q, by exact integer-multiple comparisons.
    func contains(_ x: Interval, numerator p: Int, denominator q: Int) -> Bool {
        let wide = x.precision + 64
        let low = BigFloat(x.lower, precision: wide) * q, high = BigFloat(x.upper, precision: wide) * q
        #expect(low.isExact && high.isExact, "q·lower and q·upper must be exact at \(wide) bits")
        let target = BigFloat(p, precision: wide)
        return low <= target && target <= high
    }

    @Test("a quotient is exact exactly when it is dyadic")
    func quotients() {
        let quarter = BigFloat(1, precision: Self.bits) / BigFloat(4, precision: Self.bits)
        #expect(quarter.isExact && quarter.lowestRoundingPrecision == nil)
        let third = BigFloat(1, precision: Self.bits) / BigFloat(3, precision: Self.bits)
        #expect(!third.isExact && third.lowestRoundingPrecision == Self.bits)
        #expect(BigFloat(numerator: 1, denominator: 4, precision: Self.bits).isExact)
        #expect(BigFloat(numerator: 1, denominator: 3, precision: Self.bits).lowestRoundingPrecision == Self.bits)
        #expect((BigFloat(2, precision: Self.bits) + BigFloat(3, precision: Self.bits)).isExact)
        #expect((BigFloat(7, precision: Self.bits) / 3).lowestRoundingPrecision == Self.bits)
        #expect((1 / BigFloat(8, precision: Self.bits)).isExact && !(1 / BigFloat(10, precision: Self.bits)).isExact)
        #expect((2 - BigFloat(5, precision: Self.bits)).isExact && (BigFloat(5, precision: Self.bits) * 6).isExact)
    }

    @Test("a 256-bit rounding survives a later 576-bit operation")
    func lowestPrecision() {
        let third256 = BigFloat(1, precision: 256) / BigFloat(3, precision: 256)
        let product = third256 * BigFloat(3, precision: Self.bits)
        #expect(product.precision == Self.bits)
        #expect(product.lowestRoundingPrecision == 256)
        // Two roundings: the smaller precision is kept.
        let mixed = (BigFloat(1, precision: Self.bits) / 7) + third256
        #expect(mixed.lowestRoundingPrecision == 256)
        // A copy to a lower precision that rounds records that precision.
        #expect(BigFloat(BigFloat(numerator: 1, denominator: 4, precision: Self.bits), precision: 53).isExact)
        #expect(BigFloat(BigFloat(1, precision: Self.bits) / 3, precision: 100).lowestRoundingPrecision == 100)
        // The integer 2⁶⁰ + 1 needs 61 bits.
        #expect(BigFloat((1 << 60) + 1, precision: 53).lowestRoundingPrecision == 53)
        #expect(BigFloat((1 << 60) + 1, precision: 64).isExact)
    }

    @Test("functions and constants: exact only at exact results")
    func functions() {
        #expect(sqrt(BigFloat(4, precision: Self.bits)).isExact)
        #expect(!sqrt(BigFloat(2, precision: Self.bits)).isExact)
        #expect(exp(BigFloat(0, precision: Self.bits)).isExact && !exp(BigFloat(1, precision: Self.bits)).isExact)
        #expect(log(BigFloat(1, precision: Self.bits)).isExact && !log(BigFloat(2, precision: Self.bits)).isExact)
        #expect(pow(BigFloat(3, precision: Self.bits), 4).isExact && !pow(BigFloat(3, precision: Self.bits), -1).isExact)
        #expect(BigFloat.pi(precision: Self.bits).lowestRoundingPrecision == Self.bits)
        #expect(!BigFloat.e(precision: Self.bits).isExact && !BigFloat.ln2(precision: Self.bits).isExact)
        #expect(!sin(BigFloat(1, precision: Self.bits)).isExact && sin(BigFloat(0, precision: Self.bits)).isExact)
        // Negation and absolute value are exact; scaling by 2ⁿ is exact.
        let x = BigFloat(-5, precision: Self.bits)
        #expect((-x).isExact && abs(x).isExact && x.timesPowerOfTwo(-300).isExact)
        // NaN is never exact; infinity is an exact value.
        #expect(!sqrt(BigFloat(-1, precision: Self.bits)).isExact && !BigFloat.nan(precision: Self.bits).isExact)
        #expect(BigFloat.infinity(precision: Self.bits).isExact)
    }

    @Test("constructors: Double, mantissa/exponent, String")
    func constructors() throws {
        #expect(BigFloat(exactly: 0.1, precision: Self.bits).isExact)       // the binary64 number 0.1 is dyadic
        #expect(BigFloat(0.1, precision: Self.bits).lowestRoundingPrecision == 53)  // but taken as a rounded result
        #expect(BigFloat(0.1, precision: 24).lowestRoundingPrecision == 24)
        #expect(BigFloat(mantissa: 3, exponent: -700, precision: Self.bits).isExact)
        #expect(try BigFloat("0.5", precision: Self.bits).isExact)
        #expect(try BigFloat("-1.25e-3", precision: Self.bits).lowestRoundingPrecision == Self.bits)   // 1/800
        #expect(try BigFloat("0.1", precision: Self.bits).lowestRoundingPrecision == Self.bits)
        #expect(try BigFloat("1024", precision: Self.bits).isExact)
    }

    @Test("in-place operations update the history; copies do not share it")
    func inPlace() {
        var x = BigFloat(1, precision: Self.bits)
        x /= 4
        #expect(x.isExact)
        let copy = x
        x /= 3
        #expect(!x.isExact && x.lowestRoundingPrecision == Self.bits)
        #expect(copy.isExact && copy == BigFloat(numerator: 1, denominator: 4, precision: Self.bits))
        x *= 3
        #expect(!x.isExact)                                                  // rounding is never undone
        var y = BigFloat(1, precision: Self.bits)
        y += BigFloat(2, precision: Self.bits); y -= 1; y *= 5; y.addProduct(y, BigFloat(3, precision: Self.bits))
        #expect(y.isExact && y == BigFloat(40, precision: Self.bits))
        y.addProduct(BigFloat(1, precision: Self.bits) / 3, BigFloat(1, precision: Self.bits))
        #expect(!y.isExact)
        var raw = BigFloat(1, precision: Self.bits)
        let before = raw
        raw.withMutableMPFR { _ = mpfr_set_si($0, 2, MPFR_RNDN) }
        #expect(!raw.isExact && raw.lowestRoundingPrecision == Self.bits && before.isExact)
        // Exactness takes no part in equality or hashing.
        let exactThird = BigFloat(numerator: 1, denominator: 3, precision: Self.bits)
        let computedThird = BigFloat(1, precision: Self.bits) / 3
        #expect(exactThird == computedThird && exactThird.hashValue == computedThird.hashValue)
    }

    @Test("min and max carry the chosen operand's history")
    func minMax() {
        let third = BigFloat(1, precision: Self.bits) / 3
        let two = BigFloat(2, precision: Self.bits)
        #expect(!min(third, two).isExact && max(third, two).isExact)
        #expect(Interval(min(third, two)).isValid)                          // still rounded once
    }

    @Test("inverse of an integer matrix: exact only when the inverse is dyadic")
    func inverse() throws {
        let a = Matrix([[2, 1], [1, 2]].map { $0.map { BigFloat($0, precision: Self.bits) } })   // A⁻¹ = (1/3)[[2, −1], [−1, 2]]
        let inverse = try a.inverse()
        #expect(inverse.elements.contains { !$0.isExact })
        let identity = try Matrix.identity(4, precision: Self.bits).inverse()
        #expect(identity.elements.allSatisfy { $0.isExact })
        let b = Matrix([[2, 0], [0, 4]].map { $0.map { BigFloat($0, precision: Self.bits) } })
        #expect(try b.inverse().elements.allSatisfy { $0.isExact })
        #expect(dot(Vector([two, two]), Vector([two, two])).isExact)
        #expect(!dot(Vector([two, third]), Vector([two, two])).isExact)
    }

    var two: BigFloat { BigFloat(2, precision: Self.bits) }
    var third: BigFloat { BigFloat(1, precision: Self.bits) / 3 }
}

@Suite("Enclosures from rounded values")
struct EnclosureTests {
    static let bits = 576

    func contains(_ x: Interval, numerator p: Int, denominator q: Int) -> Bool {
        ExactnessTests().contains(x, numerator: p, denominator: q)
    }

    @Test("Interval of 1/3 rounded once contains 1/3")
    func once() {
        for rounding in RoundingMode.allCases {
            let third = BigFloat(numerator: 1, denominator: 3, precision: Self.bits, rounding: rounding)
            let x = Interval(third)
            #expect(x.isValid && contains(x, numerator: 1, denominator: 3), "\(rounding)")
            #expect(x.lower < x.upper, "1/3 is not dyadic, so the enclosure is not a point")
            // One ulp wide: 1/3 = 0.666…·2⁻¹, so an ulp at 576 bits is 2^(−1−576).
            #expect(x.width == BigFloat(mantissa: 1, exponent: -1 - Self.bits, precision: 64), "\(rounding)")
        }
        // Negating or scaling a once-rounded value keeps a valid enclosure.
        let third = BigFloat(1, precision: Self.bits) / 3
        #expect(contains(Interval(-third), numerator: -1, denominator: 3))
        #expect(contains(Interval(third.timesPowerOfTwo(-5)), numerator: 1, denominator: 96))
        // Copied exactly to a higher precision: the widening uses the ulp of the rounding precision.
        #expect(contains(Interval(BigFloat(third, precision: 2000)), numerator: 1, denominator: 3))
        // An exact value gives the point.
        let quarter = BigFloat(numerator: 1, denominator: 4, precision: Self.bits)
        #expect(Interval(quarter) == Interval(lower: quarter, upper: quarter) && Interval(quarter).width.isZero)
    }

    @Test("Interval of a value rounded twice is invalid and proves nothing")
    func twice() {
        let x = (BigFloat(1, precision: Self.bits) / 3) * (BigFloat(1, precision: Self.bits) / 7)
        let interval = Interval(x)
        #expect(!interval.isValid)
        #expect(interval.isCertainlyLess(than: Interval(1, precision: Self.bits)) == .undecided)
        // The unsound claim of the past: 1/3 > 1/3 from a rounded point.
        let third = Interval(numerator: 1, denominator: 3, precision: Self.bits)
        let roundedThird = Interval(BigFloat(1, precision: 256) / BigFloat(3, precision: 256) * BigFloat(1, precision: Self.bits))
        #expect(!roundedThird.isValid)
        #expect(third.isCertainlyLess(than: roundedThird) == .undecided && roundedThird.isCertainlyLess(than: third) == .undecided)
        // Raw MPFR access is never trusted.
        var raw = BigFloat(1, precision: Self.bits)
        raw.withMutableMPFR { _ = mpfr_set_si($0, 1, MPFR_RNDN) }
        #expect(!Interval(raw).isValid)
    }

    @Test("Interval(lower:upper:) keeps safe ends and widens ends rounded the wrong way")
    func ends() {
        let up = BigFloat(numerator: 1, denominator: 3, precision: Self.bits, rounding: .up)
        let down = BigFloat(numerator: 1, denominator: 3, precision: Self.bits, rounding: .down)
        // Lower end rounded up: widened one ulp below; upper end rounded up: kept.
        let x = Interval(lower: up, upper: up)
        #expect(x.upper == up && x.lower < up && contains(x, numerator: 1, denominator: 3))
        #expect(x.lower == down)                                             // the neighbour below is the downward rounding
        // Upper end rounded down: widened one ulp above.
        let y = Interval(lower: down, upper: down)
        #expect(y.lower == down && y.upper == up)
        // Both ends on the safe side: kept as they are.
        #expect(Interval(lower: down, upper: up) == y)
        // The ends of an interval are exact bounds, so an interval can be rebuilt from them.
        let third = Interval(numerator: 1, denominator: 3, precision: Self.bits)
        #expect(third.lower.isExact && third.upper.isExact)
        #expect(Interval(lower: third.lower, upper: third.upper) == third)
        // An end rounded twice is refused.
        let twice = up * up
        #expect(!Interval(lower: BigFloat(0, precision: Self.bits), upper: twice).isValid)
    }

    @Test("outside the domain: invalid, and never certainly less")
    func domains() {
        func interval(_ a: Int, _ b: Int) -> Interval {
            Interval(lower: BigFloat(a, precision: Self.bits), upper: BigFloat(b, precision: Self.bits))
        }
        let big = interval(1000, 1001)
        let cases: [(String, Interval)] = [
            ("log [0, 1]", log(interval(0, 1))), ("log [−1, 2]", log(interval(-1, 2))),
            ("sqrt [−1, 4]", sqrt(interval(-1, 4))), ("log1p [−1, 0]", log1p(interval(-1, 0))),
            ("log1p [−2, 3]", log1p(interval(-2, 3))), ("1 / [−1, 1]", interval(1, 1) / interval(-1, 1)),
            ("1 / [0, 0]", interval(1, 1) / interval(0, 0)), ("[0, 2]⁻¹", pow(interval(0, 2), -1)),
        ]
        for (name, x) in cases {
            #expect(!x.isValid, "\(name)")
            #expect(x.isCertainlyLess(than: big) == .undecided, "\(name)")
            #expect(x.isCertainlyLessOrEqual(to: big) == .undecided, "\(name)")
            // Anything computed from an invalid interval stays invalid.
            for derived in [x + big, big - x, x * big, big / x, exp(x), -x, abs(x), pow(x, 0), pow(x, 2), min(x, big),
                            max(big, x), sqrt(x), erfc(x), x * 2, x / 3] {
                #expect(!derived.isValid, "\(name)")
            }
        }
        // Inside the domain (including its edge for sqrt) the results are valid.
        #expect(sqrt(interval(0, 4)).isValid && log(interval(1, 2)).isValid)
        #expect(log1p(Interval(numerator: -1, denominator: 2, precision: Self.bits)).isValid)
    }

    @Test("interval arithmetic stays valid and encloses")
    func arithmetic() {
        let third = Interval(numerator: 1, denominator: 3, precision: Self.bits)
        let ninth = third / Interval(3, precision: Self.bits)
        #expect(ninth.isValid && contains(ninth, numerator: 1, denominator: 9))
        #expect(ninth.lower.isExact && ninth.upper.isExact)
        let sum = third + Interval(numerator: 1, denominator: 7, precision: Self.bits)   // 10/21
        #expect(contains(sum, numerator: 10, denominator: 21))
        let product = third * Interval(numerator: -3, denominator: 7, precision: Self.bits)   // −1/7
        #expect(contains(product, numerator: -1, denominator: 7))
        let difference = third - Interval(numerator: 1, denominator: 2, precision: Self.bits)  // −1/6
        #expect(contains(difference, numerator: -1, denominator: 6))
        #expect(contains(pow(third, -2), numerator: 9, denominator: 1))
        #expect(contains(third * 5 / 7, numerator: 5, denominator: 21))
        // 1/3 < 1/3 can never be proved, whether 1/3 comes from a rational enclosure or a rounded point.
        #expect(third.isCertainlyLess(than: third) == .undecided)
        let pointThird = Interval(BigFloat(numerator: 1, denominator: 3, precision: Self.bits))
        #expect(pointThird.isCertainlyLess(than: third) == .undecided && third.isCertainlyLess(than: pointThird) == .undecided)
    }
}

@Suite("Exactness at signed zeros and through Double")
struct ExactnessEdgeTests {
    @Test("|x| of a negative value that underflowed to −0 is rounded down, so its enclosure holds the true |x| > 0")
    func absoluteValueOfNegativeZero() {
        // −e^(−2·10⁹) underflows to −0 rounded up (the true value is below −0).
        let x = -exp(BigFloat(-2_000_000_000, precision: 128))
        #expect(x.isZero)
        let enclosure = Interval(abs(x))
        #expect(enclosure.isValid)
        #expect(enclosure.upper.sign > 0, "the true |x| > 0 must lie inside")
    }

    @Test("a full-width Double counts as rounded at 53 bits; a short dyadic and BigFloat(exactly:) are exact")
    func doubles() {
        #expect(BigFloat(0.1, precision: 256).lowestRoundingPrecision == 53)
        #expect(BigFloat(0.75, precision: 256).isExact)
        #expect(BigFloat(exactly: 0.1, precision: 256).isExact)
    }
}
