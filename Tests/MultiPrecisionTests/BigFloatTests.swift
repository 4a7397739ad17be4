import CMPFR
import Testing
import MultiPrecision

@Suite("BigFloat initialisers")
struct BigFloatInitializerTests {
    @Test("Int converts exactly, Int.max and Int.min included")
    func integers() {
        #expect(BigFloat(Int.max, precision: 64).exactDecimal == "9.223372036854775807e+18")
        #expect(BigFloat(Int.min, precision: 64).exactDecimal == "-9.223372036854775808e+18")
        #expect(BigFloat(Int.max, precision: 1000).exactDecimal == "9.223372036854775807e+18")
        #expect(BigFloat(0, precision: 64).exactDecimal == "0")
        #expect(BigFloat(-1, precision: 2).exactDecimal == "-1")
        // Not through Double: Int.max is not a binary64 number (Double(Int.max) = 2^63).
        #expect(BigFloat(Int.max, precision: 64) != BigFloat(Double(Int.max), precision: 64))
        #expect(BigFloat(Int.max, precision: 64) + 1 == BigFloat(mantissa: 1, exponent: 63, precision: 64))
        // Fewer bits than the integer: rounded once, in the requested direction.
        #expect(BigFloat(Int.max, precision: 53).exactDecimal == "9.223372036854775808e+18")
        #expect(BigFloat(Int.max, precision: 53, rounding: .down).exactDecimal == "9.223372036854774784e+18")
    }

    @Test("Double converts exactly as binary64")
    func doubles() {
        let expected = "1.000000000000000055511151231257827021181583404541015625e-1"
        #expect(BigFloat(0.1, precision: 53).exactDecimal == expected)
        #expect(BigFloat(0.1, precision: 256).exactDecimal == expected)   // 0.1000000000000000055511151231257827021181583404541015625
        #expect(BigFloat(0.1, precision: 256) != BigFloat(numerator: 1, denominator: 10, precision: 256))
        #expect(BigFloat(-2.5, precision: 64).exactDecimal == "-2.5")
        let subnormal = BigFloat(Double.leastNonzeroMagnitude, precision: 53).exactDecimal   // 2^-1074, 751 digits
        #expect(subnormal.hasPrefix("4.9406564584124654417656879286") && subnormal.hasSuffix("e-324") && subnormal.count == 757)
        #expect(BigFloat(Double.infinity, precision: 64).isInfinite)
        #expect(BigFloat(Double.nan, precision: 64).isNaN)
        #expect(BigFloat(-0.0, precision: 64).exactDecimal == "-0")
        #expect(BigFloat(0.1, precision: 53).doubleValue == 0.1)
    }

    @Test("dyadic mantissa·2^exponent is exact at every precision ≥ 64")
    func dyadic() {
        let a = BigFloat(mantissa: Int.max, exponent: -70, precision: 64)
        let b = BigFloat(mantissa: Int.max, exponent: -70, precision: 4096)
        #expect(a == b)
        #expect(a.exactDecimal == b.exactDecimal)
        #expect(BigFloat(mantissa: 3, exponent: -2, precision: 64).exactDecimal == "7.5e-1")
        #expect(BigFloat(mantissa: 1, exponent: 1000, precision: 64).exactDecimal
                == "1.0715086071862673209484250490600018105614048117055336074437503883703510511249361224931983788156958581275946729175531468251871452856923140435984577574698574803934567774824230985421074605062371141877954182153046474983581941267398767559165543946077062914571196477686542167660429831652624386837205668069376e+301")
    }

    @Test("a parse failure names the caller's file and line")
    func parseFailureCallSite() {
        let line = #line; let error = #expect(throws: NumberParseError.self) { try BigFloat("1,5", precision: 64) }
        #expect(error?.site.file == #filePath && error?.site.line == line)
        #expect(error?.description == "cannot read \"1,5\" as a number: it contains characters other than digits, sign, point and exponent (thrown at \(#filePath):\(line))")
        let explicit = #expect(throws: NumberParseError.self) { try BigFloat("x", file: "notes/x.md", line: 40) }
        #expect(explicit?.site == CallSite(file: "notes/x.md", line: 40))
    }

    @Test("string parse failures throw NumberParseError", arguments: ["", "   ", "abc", "1.2.3", "1e", "1e+", "-", "+", ".",
                                                                  "e5", "1,5", "0x10", "1_000", "nan(1)", "١٢", "1 2", "--1"])
    func parseFailure(_ text: String) {
        #expect(throws: NumberParseError.self) { try BigFloat(text, precision: 64) }
        do {
            _ = try BigFloat(text, precision: 64)
        } catch let error as NumberParseError {
            #expect(error.text == text)
            #expect(!error.description.isEmpty)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("accepted spellings of numbers")
    func parseAccepted() throws {
        #expect(try BigFloat(" 42 ", precision: 64) == BigFloat(42, precision: 64))
        #expect(try BigFloat("+7", precision: 64) == BigFloat(7, precision: 64))
        #expect(try BigFloat(".5", precision: 64) == BigFloat(mantissa: 1, exponent: -1, precision: 64))
        #expect(try BigFloat("5.", precision: 64) == BigFloat(5, precision: 64))
        #expect(try BigFloat("1E3", precision: 64) == BigFloat(1000, precision: 64))
        #expect(try BigFloat("-1.25e-3", precision: 64) == BigFloat(numerator: -1, denominator: 800, precision: 64))
        #expect(try BigFloat("inf", precision: 64).isInfinite)
        #expect(try BigFloat("-inf", precision: 64) < BigFloat(0, precision: 64))
        #expect(try BigFloat("nan", precision: 64).isNaN)
        #expect(try BigFloat("0.1", precision: 256) == BigFloat(numerator: 1, denominator: 10, precision: 256))
    }

    @Test("p/q with negative and extreme operands")
    func rationalSigns() {
        #expect(BigFloat(numerator: 1, denominator: -3, precision: 64) == -BigFloat(numerator: 1, denominator: 3, precision: 64))
        #expect(BigFloat(numerator: -6, denominator: -4, precision: 64).exactDecimal == "1.5")
        #expect(BigFloat(numerator: Int.min, denominator: -1, precision: 64).exactDecimal == "9.223372036854775808e+18")
        #expect(BigFloat(numerator: Int.min, denominator: Int.min, precision: 64).exactDecimal == "1")
        #expect(BigFloat(numerator: 0, denominator: -5, precision: 64).isZero)
        // Round once: directed roundings bracket the value and differ by one unit in the last place.
        let down = BigFloat(numerator: 1, denominator: 3, precision: 10, rounding: .down)
        let up = BigFloat(numerator: 1, denominator: 3, precision: 10, rounding: .up)
        #expect(down < up)
        #expect(up - down == BigFloat(mantissa: 1, exponent: -11, precision: 64))
        #expect(BigFloat(down, precision: 64) * 3 < BigFloat(1, precision: 64))
        #expect(BigFloat(up, precision: 64) * 3 > BigFloat(1, precision: 64))
    }

    @Test("precision is explicit or comes from the task-local default")
    func precisionSources() {
        #expect(BigFloat(1).precision == 256)
        BigFloat.$defaultPrecision.withValue(1024) {
            #expect(BigFloat(1).precision == 1024)
            #expect(BigFloat.pi().precision == 1024)
            #expect(BigFloat(1, precision: 80).precision == 80)
        }
        let a = BigFloat(1, precision: 64), b = BigFloat(3, precision: 300)
        #expect((a + b).precision == 300)
        #expect((b / a).precision == 300)
        #expect(fma(a, a, b).precision == 300)
        #expect((a * 5).precision == 64)
        #expect(BigFloat(b, precision: 20).precision == 20)
    }
}

@Suite("BigFloat comparison, hashing and classification")
struct BigFloatComparisonTests {
    let nan = BigFloat.nan(precision: 64)
    let one = BigFloat(1, precision: 64)

    @Test("comparisons are numeric across precisions")
    func acrossPrecisions() {
        let a = BigFloat(mantissa: 3, exponent: -1, precision: 64)
        let b = BigFloat(mantissa: 3, exponent: -1, precision: 200)
        #expect(a == b)
        #expect(a <= b && a >= b && !(a < b) && !(a > b))
        let slightlyMore = BigFloat(1, precision: 200) + BigFloat(mantissa: 1, exponent: -100, precision: 200)
        #expect(slightlyMore > one)
        #expect(one < slightlyMore)
        #expect(BigFloat(slightlyMore, precision: 64) == one)
        let third64 = BigFloat(numerator: 1, denominator: 3, precision: 64)
        let third200 = BigFloat(numerator: 1, denominator: 3, precision: 200)
        #expect(third64 != third200)
        #expect(BigFloat.compareMagnitudes(-third200, third64) != 0)
        #expect(BigFloat.compareMagnitudes(-a, b) == 0)
        #expect(BigFloat.infinity(precision: 2) > BigFloat(mantissa: 1, exponent: 100_000, precision: 4096))
        #expect(BigFloat.infinity(sign: -1, precision: 2) < -BigFloat(mantissa: 1, exponent: 100_000, precision: 4096))
    }

    @Test("NaN compares false with everything, itself included")
    func nanSemantics() {
        for other in [nan, one, BigFloat.infinity(precision: 64), BigFloat.nan(precision: 500)] {
            #expect(!(nan == other) && nan != other)
            #expect(!(nan < other) && !(nan > other) && !(nan <= other) && !(nan >= other))
            #expect(!(other < nan) && !(other > nan) && !(other <= nan) && !(other >= nan))
        }
        #expect(min(nan, one).isNaN && min(one, nan).isNaN && max(nan, one).isNaN && max(one, nan).isNaN)
        #expect(nan.sign == 0)
        #expect((nan + one).isNaN)
        #expect((BigFloat(0, precision: 64) / BigFloat(0, precision: 64)).isNaN)
    }

    @Test("signed zeros are equal; min and max")
    func zerosAndOrder() {
        let zero = BigFloat(0, precision: 64), negativeZero = -zero
        #expect(zero == negativeZero && !(negativeZero < zero))
        #expect(negativeZero.formatted(digits: 3) == "-0")
        let two = BigFloat(2, precision: 128)
        #expect(min(one, two) == one && max(one, two) == two)
        #expect(max(one, two).precision == 128)
        #expect([two, one, -two, zero].sorted() == [-two, zero, one, two])
    }

    @Test("hashes agree whenever values are equal, across precisions")
    func hashing() {
        let a = BigFloat(mantissa: 3, exponent: -1, precision: 64)
        let b = BigFloat(mantissa: 3, exponent: -1, precision: 200)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
        #expect(BigFloat(0, precision: 64).hashValue == (-BigFloat(0, precision: 300)).hashValue)
        #expect(BigFloat.infinity(precision: 64).hashValue == BigFloat.infinity(precision: 3000).hashValue)
        var inputs = SeededInputs(seed: 9, precision: 53)
        for _ in 0..<200 {
            let x = inputs.gaussian().timesPowerOfTwo(inputs.int(in: -300...300))
            for precision in [53, 64, 65, 127, 128, 129, 1000] {
                let y = BigFloat(x, precision: precision)
                #expect(y == x && y.hashValue == x.hashValue)
            }
        }
        let distinct: Set<BigFloat> = [one, -one, one + BigFloat(mantissa: 1, exponent: -150, precision: 200), BigFloat(2, precision: 64)]
        #expect(distinct.count == 4)
    }

    @Test("classification")
    func classification() {
        #expect(nan.isNaN && !nan.isFinite && !nan.isInfinite && !nan.isZero)
        let inf = BigFloat.infinity(sign: -1, precision: 64)
        #expect(inf.isInfinite && !inf.isFinite && inf.sign == -1)
        #expect(BigFloat(0, precision: 64).isZero && BigFloat(0, precision: 64).sign == 0)
        #expect(one.isFinite && one.sign == 1 && (-one).sign == -1)
        #expect(BigFloat(mantissa: 3, exponent: 5, precision: 64).exponent == 7)   // 96 = 0.75·2^7
        #expect(BigFloat(mantissa: 3, exponent: -1, precision: 64).doubleValue == 1.5)
        #expect(abs(-one) == one && (-one).magnitude == one)
    }
}

@Suite("BigFloat decimal output and correct digits")
struct BigFloatFormattingTests {
    @Test("formatted(digits:) rounds correctly")
    func formatted() throws {
        let twoThirds = BigFloat(numerator: 2, denominator: 3, precision: 64)
        #expect(twoThirds.formatted(digits: 5) == "6.6667e-1")
        #expect((-twoThirds).formatted(digits: 5) == "-6.6667e-1")
        #expect(twoThirds.formatted(digits: 5, rounding: .down) == "6.6666e-1")
        #expect(twoThirds.formatted(digits: 1) == "7e-1")
        #expect(BigFloat(numerator: 1, denominator: 3, precision: 64).formatted(digits: 5) == "3.3333e-1")
        // Exact ties go to the even digit.
        #expect(BigFloat(mantissa: 1, exponent: -3, precision: 64).formatted(digits: 2) == "1.2e-1")    // 0.125
        #expect(BigFloat(mantissa: 3, exponent: -3, precision: 64).formatted(digits: 2) == "3.8e-1")    // 0.375
        #expect(try BigFloat("9.99996", precision: 64).formatted(digits: 5) == "1.0000e+1")
        #expect(BigFloat(mantissa: 3, exponent: -1, precision: 64).formatted(digits: 3) == "1.50")
        #expect(BigFloat(mantissa: 1, exponent: 1000, precision: 64).formatted(digits: 5) == "1.0715e+301")
        #expect(BigFloat(12345, precision: 64).formatted(digits: 3) == "1.23e+4")
        #expect(BigFloat.nan(precision: 64).formatted(digits: 3) == "nan")
        #expect(BigFloat.infinity(sign: -1, precision: 64).formatted(digits: 3) == "-inf")
        #expect(BigFloat.pi(precision: 64).description == "3.141592653589793239")     // ⌊64·log₁₀2⌋ = 19 digits
        #expect(BigFloat(mantissa: 3, exponent: -1, precision: 64).debugDescription == "1.5000000000000000000 [64 bits]")
    }

    @Test("exactDecimal is the full expansion, whatever the binary exponent")
    func exactDecimal() {
        #expect(BigFloat(mantissa: 1, exponent: -1074, precision: 53).exactDecimal.count > 750)
        #expect(BigFloat(mantissa: 5, exponent: 64, precision: 3).exactDecimal == "9.223372036854775808e+19")
        #expect(BigFloat(mantissa: 3, exponent: 200, precision: 2).exactDecimal
                == "4.820814132776970826625886277023487807566608981348378505904128e+60")
        #expect(BigFloat(-1, precision: 64).exactDecimal == "-1")
        #expect(BigFloat(100, precision: 64).exactDecimal == "1e+2")
    }

    @Test("correctDigits on known cases")
    func correctDigitsCases() throws {
        let pi = BigFloat.pi(precision: 256)
        let approx = try BigFloat("3.14159", precision: 256)
        let digits = correctDigits(approx, reference: pi)        // |3.14159 − π|/π = 8.45e-7
        #expect(digits > 6.07 && digits < 6.08)
        #expect(correctDigits(pi, reference: pi) == .infinity)
        #expect(correctDigits(BigFloat.pi(precision: 64), reference: BigFloat.pi(precision: 64)) == .infinity)
        let d64 = correctDigits(BigFloat.pi(precision: 64), reference: BigFloat.pi(precision: 1000))
        #expect(d64 > 19 && d64 < 21)
        // Absolute rule at a zero reference.
        let tiny = BigFloat(mantissa: 1, exponent: -100, precision: 64)   // 7.9e-31
        let zeroDigits = correctDigits(tiny, reference: BigFloat(0, precision: 64))
        #expect(zeroDigits > 30.1 && zeroDigits < 30.2)
        // Never negative; NaN gives 0.
        #expect(correctDigits(BigFloat(-5, precision: 64), reference: BigFloat(1, precision: 64)) == 0)
        #expect(correctDigits(BigFloat.nan(precision: 64), reference: pi) == 0)
        #expect(correctDigits(pi, reference: BigFloat.nan(precision: 64)) == 0)
        #expect(correctDigits(BigFloat.infinity(precision: 64), reference: pi) == 0)
        // Relative: scale-invariant.
        let big = correctDigits(approx.timesPowerOfTwo(500), reference: pi.timesPowerOfTwo(500))
        #expect(Swift.abs(big - digits) < 1e-9)
    }
}

@Suite("BigFloat arithmetic: in-place forms agree with allocating forms")
struct BigFloatArithmeticTests {
    /// Pairs of operands at equal and at different precisions.
    static let pairs: [(Int, Int)] = [(64, 64), (64, 200), (200, 64), (128, 1000)]

    func operands(_ pa: Int, _ pb: Int) -> (BigFloat, BigFloat) {
        (BigFloat(numerator: 22, denominator: 7, precision: pa), BigFloat(numerator: -13, denominator: 11, precision: pb))
    }

    @Test("+= −= *= /= give the allocating result, unique or shared storage", arguments: pairs)
    func compound(_ precisions: (Int, Int)) {
        let (a, b) = operands(precisions.0, precisions.1)
        let ops: [(String, (BigFloat, BigFloat) -> BigFloat, (inout BigFloat, BigFloat) -> Void)] = [
            ("+", { $0 + $1 }, { $0 += $1 }), ("-", { $0 - $1 }, { $0 -= $1 }),
            ("*", { $0 * $1 }, { $0 *= $1 }), ("/", { $0 / $1 }, { $0 /= $1 }),
        ]
        for (name, allocating, inPlace) in ops {
            let expected = allocating(a, b)
            var unique = BigFloat(a, precision: a.precision)
            inPlace(&unique, b)
            #expect(unique == expected && unique.precision == expected.precision, "\(name) unique")
            var shared = a
            let keep = shared
            inPlace(&shared, b)
            #expect(shared == expected && shared.precision == expected.precision, "\(name) shared")
            #expect(keep == a && keep.exactDecimal == a.exactDecimal)
        }
    }

    @Test("operations with Int agree with the BigFloat forms", arguments: [64, 300])
    func integerOperations(_ precision: Int) {
        let a = BigFloat(numerator: 22, denominator: 7, precision: precision)
        let n = -37, bn = BigFloat(n, precision: precision)
        #expect(a + n == a + bn && n + a == bn + a)
        #expect(a - n == a - bn && n - a == bn - a)
        #expect(a * n == a * bn && n * a == bn * a)
        #expect(a / n == a / bn && n / a == bn / a)
        var x = a; x += n; #expect(x == a + n)
        x = a; x -= n; #expect(x == a - n)
        x = a; x *= n; #expect(x == a * n)
        x = a; x /= n; #expect(x == a / n)
        #expect((n - a).precision == precision && (n / a).precision == precision)
        #expect(pow(a, 2) == a * a)
        #expect(a.timesPowerOfTwo(-3) == a / 8)
    }

    @Test("addProduct equals fma, in place or not", arguments: pairs)
    func addProduct(_ precisions: (Int, Int)) {
        let (a, b) = operands(precisions.0, precisions.1)
        for accumulatorPrecision in [53, 64, 200, 2000] {
            let c = BigFloat(numerator: 5, denominator: 3, precision: accumulatorPrecision)
            let expected = fma(a, b, c)
            var unique = BigFloat(c, precision: c.precision)
            unique.addProduct(a, b)
            #expect(unique == expected && unique.precision == expected.precision)
            var shared = c
            shared.addProduct(a, b)
            #expect(shared == expected && c == BigFloat(numerator: 5, denominator: 3, precision: accumulatorPrecision))
            // One rounding: differs from the separately rounded a·b + c in general, never from the exact value by more than ½ ulp.
            let exact = BigFloat(a, precision: 4000) * BigFloat(b, precision: 4000) + BigFloat(c, precision: 4000)
            #expect(BigFloat(exact, precision: expected.precision) == expected)
        }
    }

    @Test("aliasing: an operand that is the target itself")
    func aliasing() {
        var a = BigFloat(numerator: 22, denominator: 7, precision: 100)
        let original = a
        a += a
        #expect(a == original * 2)
        a = original
        a *= a
        #expect(a == original * original)
        a = original
        a.addProduct(a, a)
        #expect(a == fma(original, original, original))
        #expect(original == BigFloat(numerator: 22, denominator: 7, precision: 100))
    }

    @Test("every rounding mode maps to a distinct MPFR mode and rounds as named")
    func roundingModes() {
        #expect(Set(RoundingMode.allCases.map { $0.mpfr.rawValue }).count == RoundingMode.allCases.count)
        let x = BigFloat(numerator: -1, denominator: 3, precision: 8, rounding: .towardZero)
        let y = BigFloat(numerator: -1, denominator: 3, precision: 8, rounding: .awayFromZero)
        let down = BigFloat(numerator: -1, denominator: 3, precision: 8, rounding: .down)
        let up = BigFloat(numerator: -1, denominator: 3, precision: 8, rounding: .up)
        #expect(x == up && y == down && down < up)
        let a = BigFloat(1, precision: 8), b = BigFloat(3, precision: 8)
        #expect(BigFloat.apply(mpfr_div, a, b, rounding: .down) == BigFloat(numerator: 1, denominator: 3, precision: 8, rounding: .down))
        #expect(sqrt(BigFloat(2, precision: 8), rounding: .up) > sqrt(BigFloat(2, precision: 8), rounding: .down))
    }
}
