import Foundation
import Testing
import MultiPrecision

/// The values computed by the independent oracle (mpmath and exact rationals) in
/// `scripts/generate-numerics-fixtures.py`, committed as `Fixtures/functions.json`.
///
/// See the script's header for the conventions: arguments are exact dyadic rationals m·2^e (or a
/// special value), `expected` strings are in ``BigFloat/formatted(digits:rounding:)`` notation and
/// `exact` strings in ``BigFloat/exactDecimal`` notation.
struct OracleFixtures: Decodable, Sendable {
    /// Significant decimal digits of every `expected` string (1000).
    let digits: Int
    /// The working precision in bits at which the Swift side computes the `expected` values.
    let precision: Int
    let functions: [FunctionCase]
    let constants: [ConstantCase]
    let roundedConstants: [RoundedConstantCase]
    let rationals: [RationalCase]
    let decimals: [DecimalCase]
    let seededInputs: [SeededCase]

    /// Loaded once from the test bundle.
    static let cached: Result<OracleFixtures, any Error> = Result {
        guard let url = Bundle.module.url(forResource: "functions", withExtension: "json", subdirectory: "Fixtures") else {
            throw FixtureError(description: "Fixtures/functions.json is missing from the test bundle")
        }
        return try JSONDecoder().decode(OracleFixtures.self, from: Data(contentsOf: url))
    }

    /// The fixtures, or the error that prevented loading them.
    static func load() throws -> OracleFixtures { try cached.get() }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
}

/// An exact argument: `mantissa · 2^exponent`, or one of `nan`, `inf`, `-inf`, `-0`.
struct Argument: Decodable, Sendable, CustomStringConvertible {
    let mantissa: String?
    let exponent: Int?
    let special: String?

    var description: String {
        if let special { return special }
        let m = mantissa ?? "?"
        let shown = m.count > 24 ? String(m.prefix(10)) + "…(\(m.count) digits)" : m
        return exponent == 0 ? shown : "\(shown)·2^\(exponent ?? 0)"
    }

    /// The argument as a BigFloat of `precision` bits (exact: the mantissa has fewer bits than that).
    func value(precision: Int) throws -> BigFloat {
        switch special {
        case "nan": return .nan(precision: precision)
        case "inf": return .infinity(sign: 1, precision: precision)
        case "-inf": return .infinity(sign: -1, precision: precision)
        case "-0": return -BigFloat(0, precision: precision)
        case nil: break
        case let other?: throw FixtureError(description: "unknown special argument \(other)")
        }
        guard let mantissa, let exponent else { throw FixtureError(description: "argument without mantissa/exponent") }
        let integer = try BigFloat(mantissa, precision: precision, rounding: .towardZero)
        // The integer must have been read exactly; rounding toward zero and away from zero agree only then.
        let check = try BigFloat(mantissa, precision: precision, rounding: .awayFromZero)
        guard integer == check else { throw FixtureError(description: "mantissa \(mantissa) does not fit in \(precision) bits") }
        return integer.timesPowerOfTwo(exponent)
    }
}

struct FunctionCase: Decodable, Sendable, CustomTestStringConvertible {
    let function: String
    let arguments: [Argument]
    let expected: String

    var testDescription: String { "\(function)(\(arguments.map(\.description).joined(separator: ", ")))" }

    /// The library function named by `function`, applied to `values`.
    static func evaluate(_ name: String, _ values: [BigFloat]) throws -> BigFloat {
        switch (name, values.count) {
        case ("sqrt", 1): return sqrt(values[0])
        case ("exp", 1): return exp(values[0])
        case ("expm1", 1): return expm1(values[0])
        case ("log", 1): return log(values[0])
        case ("log1p", 1): return log1p(values[0])
        case ("erf", 1): return erf(values[0])
        case ("erfc", 1): return erfc(values[0])
        case ("tanh", 1): return tanh(values[0])
        case ("sin", 1): return sin(values[0])
        case ("cos", 1): return cos(values[0])
        case ("abs", 1): return abs(values[0])
        case ("pow", 2): return pow(values[0], values[1])
        default: throw FixtureError(description: "no function \(name) of \(values.count) arguments")
        }
    }
}

struct ConstantCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let digits: Int
    let expected: String
    var testDescription: String { name }
}

/// A rounding letter of the fixtures: n (nearest), d (down, toward −∞), u (up, toward +∞).
func roundingMode(_ letter: String) throws -> RoundingMode {
    switch letter {
    case "n": return .toNearest
    case "d": return .down
    case "u": return .up
    case "z": return .towardZero
    case "a": return .awayFromZero
    default: throw FixtureError(description: "unknown rounding \(letter)")
    }
}

func constant(_ name: String, precision: Int, rounding: RoundingMode = .toNearest) throws -> BigFloat {
    switch name {
    case "pi": return .pi(precision: precision, rounding: rounding)
    case "e": return .e(precision: precision, rounding: rounding)
    case "ln2": return .ln2(precision: precision, rounding: rounding)
    default: throw FixtureError(description: "unknown constant \(name)")
    }
}

struct RoundedConstantCase: Decodable, Sendable, CustomTestStringConvertible {
    let name: String
    let precision: Int
    let rounding: String
    let exact: String
    var testDescription: String { "\(name) at \(precision) bits, rounding \(rounding)" }
}

struct RationalCase: Decodable, Sendable, CustomTestStringConvertible {
    let numerator: String
    let denominator: String
    let precision: Int
    let rounding: String
    /// The exact decimal expansion of the rounded value (small precisions).
    let exact: String?
    /// The correctly rounded decimal at `digits` digits (working precision cases).
    let digits: Int?
    let expected: String?
    var testDescription: String { "\(numerator)/\(denominator) at \(precision) bits, rounding \(rounding)" }
}

struct DecimalCase: Decodable, Sendable, CustomTestStringConvertible {
    let text: String
    let precision: Int
    let rounding: String
    let exact: String?
    let digits: Int?
    let expected: String?
    var testDescription: String { "\"\(text)\" at \(precision) bits, rounding \(rounding)" }
}

/// First values of SeededInputs for a seed, derived in Python from SplitMix64 and the documented mapping.
struct SeededCase: Decodable, Sendable, CustomTestStringConvertible {
    let seed: String
    /// The first four outputs of `nextBits()`.
    let bits: [String]
    /// From a fresh generator: three `uniform()`, then two `unitUniform()`, then three `gaussian()`.
    let uniform: [String]
    let unitUniform: [String]
    let gaussian: [String]
    var testDescription: String { "seed \(seed)" }
}
