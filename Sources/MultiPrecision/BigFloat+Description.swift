import CMPFR

extension BigFloat: CustomStringConvertible, CustomDebugStringConvertible {
    /// The value correctly rounded to as many significant decimal digits as its precision carries
    /// (⌊precision · log₁₀2⌋), in scientific notation.
    public var description: String { formatted(digits: Swift.max(1, Int(Double(precision) * 0.30102999566398120))) }

    /// The value with its precision, for debugging: `1.5 [64 bits]`.
    public var debugDescription: String { "\(formatted(digits: 20)) [\(precision) bits]" }

    /// The value correctly rounded to `digits` significant decimal digits, as `-1.2345e-67`.
    ///
    /// Zero prints as `0` (or `-0`), infinities as `inf`/`-inf`, NaN as `nan`.
    /// The corresponding MPFR function is `mpfr_get_str`.
    public func formatted(digits: Int, rounding: RoundingMode = .toNearest) -> String {
        precondition(digits >= 1, "formatted(digits:) needs at least one digit")
        if let special = specialDescription { return special }
        let (mantissa, exponent) = decimalDigits(count: digits, rounding: rounding)
        let negative = mantissa.hasPrefix("-")
        let body = negative ? mantissa.dropFirst() : Substring(mantissa)
        var text = negative ? "-" : ""
        text += String(body.prefix(1))
        if body.count > 1 { text += "." + body.dropFirst() }
        let decimalExponent = exponent - 1
        if decimalExponent != 0 { text += "e" + (decimalExponent > 0 ? "+" : "") + String(decimalExponent) }
        return text
    }

    /// The exact decimal expansion of the binary value (every binary fraction is a finite decimal).
    ///
    /// For a value m·2^e with an integer significand m of p bits, the expansion has at most
    /// (p + max(0, e))·log₁₀2 + max(0, −e)·log₁₀5 + 2 significant digits (an integer below 2^(p+e) when
    /// e ≥ 0, and m·5^(−e) / 10^(−e) when e < 0); this many are requested, so no rounding happens, and
    /// trailing zeros are dropped. The corresponding MPFR function is `mpfr_get_str`.
    public var exactDecimal: String {
        if let special = specialDescription { return special }
        let integerExponent = exponent - precision   // value = m · 2^integerExponent with m < 2^precision
        let digitBound = Double(precision + Swift.max(0, integerExponent)) * 0.30103
            + Double(Swift.max(0, -integerExponent)) * 0.69898 + 3
        let (mantissa, decimalExponent) = decimalDigits(count: Int(digitBound.rounded(.up)), rounding: .towardZero)
        let negative = mantissa.hasPrefix("-")
        var body = String(negative ? mantissa.dropFirst() : Substring(mantissa))
        while body.count > 1 && body.hasSuffix("0") { body.removeLast() }
        var text = negative ? "-" : ""
        text += String(body.prefix(1))
        if body.count > 1 { text += "." + body.dropFirst() }
        if decimalExponent - 1 != 0 { text += "e" + (decimalExponent > 1 ? "+" : "") + String(decimalExponent - 1) }
        return text
    }

    var specialDescription: String? {
        if isNaN { return "nan" }
        if isInfinite { return sign > 0 ? "inf" : "-inf" }
        if isZero { return withMPFR { cmpfr_signbit($0) } != 0 ? "-0" : "0" }
        return nil
    }

    /// MPFR's digit string and exponent: value ≈ 0.d₁d₂… × 10^exponent.
    func decimalDigits(count: Int, rounding: RoundingMode) -> (String, Int) {
        var exponent: mpfr_exp_t = 0
        let text: String = withMPFR { x in
            guard let raw = mpfr_get_str(nil, &exponent, 10, count, x, rounding.mpfr) else { return "" }
            defer { mpfr_free_str(raw) }
            return String(cString: raw)
        }
        return (text, Int(exponent))
    }
}

/// The number of correct significant decimal digits of `approximation` against `reference`.
///
/// Relative: −log₁₀(|x − r| / |r|); at a zero reference the rule is absolute: −log₁₀|x|.
/// Returns `.infinity` when the two are equal, and 0 (never a negative count) when they disagree in the
/// first digit. NaN inputs give 0.
public func correctDigits(_ approximation: BigFloat, reference: BigFloat) -> Double {
    if approximation.isNaN || reference.isNaN { return 0 }
    if approximation == reference { return .infinity }
    let precision = Swift.max(approximation.precision, reference.precision) + 64
    let difference = abs(BigFloat(approximation, precision: precision) - BigFloat(reference, precision: precision))
    let error = reference.isZero ? difference : difference / abs(reference)
    return Swift.max(0, -log10(error).doubleValue)
}
