import CMPFR
import Testing
import MultiPrecision

/// Outward rounding encloses the exact result: checked against values at 4× the precision.
///
/// The reference argument: if a 64-bit interval [lo, hi] contains the real f(x), then so does it contain
/// f(x) correctly rounded to 256 bits, because rounding is monotone and lo, hi are representable at 256 bits.
/// For results that are not exactly representable, outward rounding must also give lo < f(x) < hi strictly.
@Suite("Intervals")
struct IntervalTests {
    static let low = 64
    static let high = 256

    /// Sample dyadic points of an interval with 64-bit ends (exact at 256 bits): the ends and interior points.
    func samples(_ x: Interval) -> [BigFloat] {
        let lo = BigFloat(x.lower, precision: Self.high), hi = BigFloat(x.upper, precision: Self.high)
        let width = hi - lo
        return [lo, hi, lo + width.timesPowerOfTwo(-1), lo + width.timesPowerOfTwo(-2), hi - width.timesPowerOfTwo(-3)]
    }

    /// Random intervals with 53-bit dyadic ends, some points, some wide, of both signs.
    func randomIntervals(seed: UInt64, count: Int, positive: Bool = false) -> [Interval] {
        var inputs = SeededInputs(seed: seed, precision: Self.low)
        return (0..<count).map { k in
            var a = inputs.gaussian().timesPowerOfTwo(inputs.int(in: -4...4))
            if positive { a = abs(a) + BigFloat(mantissa: 1, exponent: -20, precision: Self.low) }
            if k % 3 == 0 { return Interval(a) }
            let w = abs(inputs.uniform()).timesPowerOfTwo(-inputs.int(in: 0...30))
            return Interval(lower: a, upper: BigFloat(a + w, precision: Self.low, rounding: .up))
        }
    }

    func expectEncloses(_ result: Interval, _ reference: BigFloat, _ what: @autoclosure () -> String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.precision == Self.low, sourceLocation: sourceLocation)
        #expect(result.lower <= reference && reference <= result.upper, "\(what()): \(result) ∌ \(reference.formatted(digits: 25))",
                sourceLocation: sourceLocation)
        if BigFloat(reference, precision: Self.low) != reference {      // not representable: strictly inside
            #expect(result.lower < reference && reference < result.upper, "\(what()) is not rounded outward", sourceLocation: sourceLocation)
        }
    }

    @Test("+ − × ÷ enclose the 256-bit results at every sample point")
    func arithmetic() {
        let xs = randomIntervals(seed: 1, count: 60), ys = randomIntervals(seed: 2, count: 60)
        for (x, y) in zip(xs, ys) {
            let sum = x + y, difference = x - y, product = x * y
            let quotient = y.containsZero ? nil : x / y
            for a in samples(x) {
                for b in samples(y) {
                    expectEncloses(sum, a + b, "\(x) + \(y)")
                    expectEncloses(difference, a - b, "\(x) − \(y)")
                    expectEncloses(product, a * b, "\(x) × \(y)")
                    if let quotient { expectEncloses(quotient, a / b, "\(x) ÷ \(y)") }
                }
            }
            // Tight: a point result is at most a couple of units in the last place wide.
            if x.lower == x.upper && y.lower == y.upper {
                let ulp = abs(product.upper).timesPowerOfTwo(1 - Self.low)
                #expect(product.width <= ulp)
            }
        }
    }

    @Test("sqrt, exp, log and integer powers enclose the 256-bit results")
    func functions() {
        for x in randomIntervals(seed: 3, count: 60, positive: true) {
            let r = sqrt(x), e = exp(x), l = log(x)
            for a in samples(x) {
                expectEncloses(r, sqrt(a), "sqrt \(x)")
                expectEncloses(e, exp(a), "exp \(x)")
                expectEncloses(l, log(a), "log \(x)")
            }
        }
        for x in randomIntervals(seed: 4, count: 60) {
            for n in [2, 3, 5, -1, -2] where !(n < 0 && x.containsZero) {
                let p = pow(x, n)
                for a in samples(x) { expectEncloses(p, pow(a, n), "\(x)^\(n)") }
            }
            for n in [3, -7] {
                let scaled = x * n, divided = x / n
                for a in samples(x) {
                    expectEncloses(scaled, a * n, "\(x) · \(n)")
                    expectEncloses(divided, a / n, "\(x) / \(n)")
                }
            }
        }
    }

    @Test("rational and constant enclosures contain the higher-precision values")
    func rationalEnclosures() {
        for (p, q) in [(1, 3), (-2, 7), (22, 7), (1, 10), (Int.max, 3)] {
            let x = Interval(numerator: p, denominator: q, precision: Self.low)
            expectEncloses(x, BigFloat(numerator: p, denominator: q, precision: Self.high), "\(p)/\(q)")
            expectEncloses(x * 3 - Interval(p, precision: Self.low) * 3 / q, BigFloat(0, precision: Self.high), "\(p)/\(q)·3 − 3p/q")
        }
        expectEncloses(Interval.pi(precision: Self.low), BigFloat.pi(precision: Self.high), "π")
        let third = Interval(numerator: 1, denominator: 3, precision: Self.low)
        expectEncloses(exp(third) * log(third + 1), exp(BigFloat(numerator: 1, denominator: 3, precision: Self.high))
                       * log(BigFloat(numerator: 4, denominator: 3, precision: Self.high)), "e^(1/3)·ln(4/3)")
    }

    @Test("exp of the interval [1, 1] at 64 bits contains e computed at 2000 bits")
    func containsE() {
        let e2000 = BigFloat.e(precision: 2000)
        let enclosure = exp(Interval(1, precision: 64))
        #expect(enclosure.contains(e2000))
        #expect(enclosure.width <= BigFloat(mantissa: 1, exponent: -62, precision: 64))
        #expect(exp(Interval(BigFloat(1, precision: 64))).contains(e2000))
        // exp(1) rounded once to nearest is not an enclosure by itself: the interval built from it is widened by
        // one ulp on the side of the true value, so it contains e and is one ulp wide.
        let rounded = exp(BigFloat(1, precision: 64))
        #expect(!rounded.isExact && rounded != BigFloat(e2000, precision: 2000 + 64))
        #expect(Interval(rounded).contains(e2000))
        #expect(Interval(rounded).width == BigFloat(mantissa: 1, exponent: -62, precision: 64))
    }

    @Test("certainty: disjoint, touching and overlapping intervals")
    func certainty() {
        func interval(_ a: Int, _ b: Int) -> Interval {
            Interval(lower: BigFloat(a, precision: 64), upper: BigFloat(b, precision: 64))
        }
        #expect(interval(1, 2).isCertainlyLess(than: interval(3, 4)) == .certainlyTrue)
        #expect(interval(3, 4).isCertainlyLess(than: interval(1, 2)) == .certainlyFalse)
        #expect(interval(1, 3).isCertainlyLess(than: interval(2, 4)) == .undecided)
        #expect(interval(1, 2).isCertainlyLess(than: interval(2, 3)) == .undecided)       // x = y = 2 is possible
        #expect(interval(1, 2).isCertainlyLessOrEqual(to: interval(2, 3)) == .certainlyTrue)
        #expect(interval(2, 3).isCertainlyLess(than: interval(1, 2)) == .certainlyFalse)
        #expect(interval(2, 3).isCertainlyLessOrEqual(to: interval(1, 2)) == .undecided)
        #expect(interval(3, 4).isCertainlyLessOrEqual(to: interval(1, 2)) == .certainlyFalse)
        #expect(interval(1, 5).isCertainlyLessOrEqual(to: interval(2, 3)) == .undecided)
        let invalid = Interval(lower: .nan(precision: 64), upper: .nan(precision: 64))
        #expect(invalid.isCertainlyLess(than: interval(1, 2)) == .undecided)
        #expect(interval(1, 2).isCertainlyLessOrEqual(to: invalid) == .undecided)
        // π < 355/113 (they differ by 2.7·10⁻⁷): proved at 64 bits, undecided at 16.
        #expect(Interval.pi(precision: 64).isCertainlyLess(than: Interval(numerator: 355, denominator: 113, precision: 64)) == .certainlyTrue)
        #expect(Interval.pi(precision: 16).isCertainlyLess(than: Interval(numerator: 355, denominator: 113, precision: 16)) == .undecided)
    }

    @Test("division by an interval containing 0 is invalid")
    func divisionByZero() {
        func interval(_ a: Int, _ b: Int) -> Interval {
            Interval(lower: BigFloat(a, precision: 64), upper: BigFloat(b, precision: 64))
        }
        for divisor in [interval(-1, 1), interval(0, 1), interval(-1, 0), interval(0, 0)] {
            let q = interval(1, 2) / divisor
            #expect(!q.isValid, "\(divisor)")
            #expect(q.isCertainlyLess(than: interval(100, 101)) == .undecided)
        }
        #expect(!(interval(1, 2) / 0).isValid)
        #expect(!(3 / interval(-1, 1)).isValid)
        let q = interval(1, 2) / interval(2, 4)
        #expect(q.lower == BigFloat(mantissa: 1, exponent: -2, precision: 64) && q.upper == BigFloat(1, precision: 64))
        #expect(!pow(interval(-1, 2), -1).isValid)
        #expect(!pow(interval(0, 2), -2).isValid)
        #expect(pow(interval(2, 4), -1) == interval(1, 2) / 4)                  // [1/4, 1/2]
    }

    @Test("× and ÷ are the tightest enclosures for every sign of the ends, zero and infinite ends included")
    func tightProductsAndQuotients() {
        // Ends of every sign class (positive, negative, containing 0 inside, touching 0, unbounded), 53-bit
        // dyadic, so each end product is exact at 256 bits: the tightest enclosure of x·y is the least and the
        // greatest of the four end products, rounded down and up to 64 bits. The quotient's reference is the
        // least and greatest of the four end quotients, each rounded outward at 64 bits (the definition).
        var inputs = SeededInputs(seed: 7, precision: Self.low)
        func end() -> BigFloat { inputs.gaussian().timesPowerOfTwo(inputs.int(in: -3...3)) }
        let zero = BigFloat(0, precision: Self.low), infinity = BigFloat.infinity(precision: Self.low)
        var intervals: [Interval] = []
        for _ in 0..<12 {
            let (p, q) = (abs(end()), abs(end()))
            let (small, large) = (min(p, q), max(p, q))
            intervals += [Interval(lower: small, upper: large), Interval(lower: -large, upper: -small),
                          Interval(lower: -p, upper: q), Interval(lower: zero, upper: p), Interval(lower: -p, upper: zero),
                          Interval(lower: small, upper: small)]
        }
        intervals += [Interval(lower: zero, upper: zero), Interval(lower: zero, upper: infinity),
                      Interval(lower: -infinity, upper: -abs(end())), Interval(lower: abs(end()), upper: infinity)]
        func ends(_ x: Interval) -> [BigFloat] { [x.lower, x.upper].map { BigFloat($0, precision: Self.high) } }
        for x in intervals {
            for y in intervals {
                let products = ends(x).flatMap { a in ends(y).map { b in a * b } }
                if !products.contains(where: \.isNaN) {   // 0 · ∞ has no value: the product is then invalid
                    let tightest = Interval(lower: BigFloat(products.min()!, precision: Self.low, rounding: .down),
                                            upper: BigFloat(products.max()!, precision: Self.low, rounding: .up))
                    #expect(x * y == tightest, "\(x) × \(y)")
                } else {
                    #expect(!(x * y).isValid, "\(x) × \(y)")
                }
                guard !y.containsZero && (ends(x) + ends(y)).allSatisfy(\.isFinite) else { continue }
                let downs = [x.lower, x.upper].flatMap { a in [y.lower, y.upper].map { b in
                    BigFloat.apply(mpfr_div, a, b, rounding: .down) } }
                let ups = [x.lower, x.upper].flatMap { a in [y.lower, y.upper].map { b in
                    BigFloat.apply(mpfr_div, a, b, rounding: .up) } }
                #expect(x / y == Interval(lower: downs.min()!, upper: ups.max()!), "\(x) ÷ \(y)")
            }
        }
    }

    @Test("signs, hulls and the remaining operations")
    func shapes() {
        func interval(_ a: Int, _ b: Int) -> Interval {
            Interval(lower: BigFloat(a, precision: 64), upper: BigFloat(b, precision: 64))
        }
        #expect(interval(-1, 2) * interval(-3, 4) == interval(-6, 8))
        #expect(interval(-2, -1) * interval(3, 4) == interval(-8, -3))
        #expect(-interval(1, 2) == interval(-2, -1))
        #expect(pow(interval(-2, 1), 2) == interval(0, 4))
        #expect(pow(interval(-2, 1), 3) == interval(-8, 1))
        #expect(pow(interval(-2, 1), 0) == interval(1, 1))
        #expect(abs(interval(-3, 2)) == interval(0, 3))
        #expect(sqrt(interval(0, 4)) == interval(0, 2))
        #expect(!sqrt(interval(-1, 4)).isValid)
        #expect(!sqrt(interval(-4, -1)).isValid)
        #expect(interval(1, 3).midpoint == BigFloat(2, precision: 64) && interval(1, 3).width == BigFloat(2, precision: 64))
        #expect(interval(1, 3).contains(interval(2, 3)) && !interval(1, 3).contains(interval(0, 2)))
        #expect(min(interval(1, 4), interval(2, 3)) == interval(1, 3) && max(interval(1, 4), interval(2, 3)) == interval(2, 4))
        var x = interval(1, 2)
        x += interval(1, 1); x -= interval(0, 1); x *= interval(2, 2); x /= interval(2, 2)
        #expect(x == interval(1, 3))
        #expect(1 + interval(1, 2) == interval(2, 3) && interval(1, 2) - 1 == interval(0, 1) && 3 - interval(1, 2) == interval(1, 2))
        #expect(2 * interval(-1, 2) == interval(-2, 4) && interval(-1, 2) * -2 == interval(-4, 2))
        #expect(6 / interval(2, 3) == interval(2, 3))
    }
}
