import Testing
import MultiPrecision

/// Values at 1000 digits and exact roundings, checked against the mpmath oracle in `Fixtures/functions.json`.
@Suite("Values against the mpmath oracle")
struct OracleValueTests {
    @Test("the fixture loads and covers every function, constant and special argument")
    func fixtureCoverage() throws {
        let fixtures = try OracleFixtures.load()
        #expect(fixtures.digits == 1000)
        let names = Set(fixtures.functions.map(\.function))
        #expect(names == ["sqrt", "exp", "expm1", "log", "log1p", "pow", "erf", "erfc", "tanh", "sin", "cos", "abs"])
        for name in names {
            let arguments = fixtures.functions.filter { $0.function == name }.flatMap(\.arguments)
            for special in ["nan", "inf", "-inf", "-0"] {
                #expect(arguments.contains { $0.special == special }, "\(name) has no \(special) argument")
            }
            #expect(arguments.contains { $0.mantissa == "0" || $0.special == "-0" }, "\(name) has no zero argument")
        }
        #expect(Set(fixtures.constants.map(\.name)) == ["pi", "e", "ln2"])
        #expect(!fixtures.rationals.isEmpty && !fixtures.decimals.isEmpty && !fixtures.seededInputs.isEmpty)
    }

    @Test("every function, correctly rounded to 1000 digits", arguments: try OracleFixtures.load().functions)
    func function(_ testCase: FunctionCase) throws {
        let precision = try OracleFixtures.load().precision
        let digits = try OracleFixtures.load().digits
        let arguments = try testCase.arguments.map { try $0.value(precision: precision) }
        let value = try FunctionCase.evaluate(testCase.function, arguments)
        #expect(value.precision == precision)
        #expect(value.formatted(digits: digits) == testCase.expected)
    }

    /// At ⌈1000 / log₁₀2⌉ = 3322 bits, plus a little, the result carries 999 correct digits against the oracle.
    @Test("every function at 3330 bits has at least 999 correct digits", arguments: try OracleFixtures.load().functions)
    func functionCorrectDigits(_ testCase: FunctionCase) throws {
        let fixtures = try OracleFixtures.load()
        let arguments = try testCase.arguments.map { try $0.value(precision: fixtures.precision) }
        let value = try FunctionCase.evaluate(testCase.function, arguments.map { BigFloat($0, precision: 3330) })
        #expect(value.precision == 3330)
        guard value.isFinite, !["nan", "inf", "-inf"].contains(testCase.expected) else {
            #expect(value.formatted(digits: fixtures.digits) == testCase.expected)
            return
        }
        let reference = try BigFloat(testCase.expected, precision: fixtures.precision)
        #expect(correctDigits(value, reference: reference) >= 999)
    }

    @Test("π, e and ln 2 to 1000 digits", arguments: try OracleFixtures.load().constants)
    func constantDigits(_ testCase: ConstantCase) throws {
        let precision = try OracleFixtures.load().precision
        #expect(try constant(testCase.name, precision: precision).formatted(digits: testCase.digits) == testCase.expected)
    }

    @Test("π, e and ln 2 correctly rounded at small precisions in every direction",
          arguments: try OracleFixtures.load().roundedConstants)
    func roundedConstant(_ testCase: RoundedConstantCase) throws {
        let value = try constant(testCase.name, precision: testCase.precision, rounding: roundingMode(testCase.rounding))
        #expect(value.precision == testCase.precision)
        #expect(value.exactDecimal == testCase.exact)
    }

    @Test("p/q is rounded once, in the requested direction", arguments: try OracleFixtures.load().rationals)
    func rational(_ testCase: RationalCase) throws {
        let p = try #require(Int(testCase.numerator))
        let q = try #require(Int(testCase.denominator))
        let value = BigFloat(numerator: p, denominator: q, precision: testCase.precision,
                             rounding: try roundingMode(testCase.rounding))
        #expect(value.precision == testCase.precision)
        if let exact = testCase.exact { #expect(value.exactDecimal == exact) }
        if let digits = testCase.digits, let expected = testCase.expected { #expect(value.formatted(digits: digits) == expected) }
    }

    @Test("decimal strings are parsed with one correct rounding", arguments: try OracleFixtures.load().decimals)
    func decimal(_ testCase: DecimalCase) throws {
        let value = try BigFloat(testCase.text, precision: testCase.precision, rounding: roundingMode(testCase.rounding))
        #expect(value.precision == testCase.precision)
        if let exact = testCase.exact { #expect(value.exactDecimal == exact) }
        if let digits = testCase.digits, let expected = testCase.expected { #expect(value.formatted(digits: digits) == expected) }
    }
}
