import DerivationKit

/// The rules that turn the records of the precision ladder's rungs into a verdict.
///
/// Tolerance at p bits: a relative residual of at most 2^−(p − g) with g = max(16, p/16) guard bits
/// (at the default 576 bits: 10^−162.6). An equality *agrees* when the residual is within tolerance at every rung and
/// fell by at least half the added bits when the precision doubled (or is exactly zero); a residual that
/// stays put is the mark of an identity that holds only approximately.
public enum VerdictRules {
    /// log₁₀ of the tolerance at `precision` bits.
    public static func toleranceLog10(precision: Int) -> Double { ClaimTolerance.log10(precision: precision) }

    static let log10Of2 = ClaimTolerance.log10Of2

    /// The verdict on the records of one claim, lowest precision first.
    public static func judge(_ records: [ClaimRecord], ladder: Bool) -> ClaimResult {
        let first = records[0]
        var result = ClaimResult(id: first.id ?? slug(first.label), label: first.label, file: first.file, line: first.line, kind: first.kind,
                                 verdict: .undecided, passed: false, expectsRefutation: first.kind == .knownFalse,
                                 digits: nil, precisions: records.map(\.precision), seconds: first.seconds,
                                 detail: "", records: records)
        let (verdict, detail, digits) = decide(records, ladder: ladder)
        result.verdict = verdict
        result.detail = detail
        result.digits = digits
        switch (first.kind, verdict) {
        case (.knownFalse, .refuted): result.passed = true
        case (.knownFalse, _): result.passed = false
        case (_, .proved), (_, .agrees): result.passed = true
        default: result.passed = false
        }
        if first.kind == .knownFalse && verdict == .refuted {
            result.detail = "refuted, as expected: " + detail
        } else if first.kind == .knownFalse && verdict == .agrees {
            result.detail = "this known-false claim holds (\(detail)): the inputs do not expose the mistake"
        }
        return result
    }

    static func decide(_ records: [ClaimRecord], ladder: Bool) -> (Verdict, String, Double?) {
        let kind = records[0].kind
        if let problem = records.compactMap(\.problem).first {
            return (.error, problem, nil)
        }
        if records.contains(where: { $0.shapeMismatch == true }) {
            return (.refuted, records.compactMap(\.note).first ?? "the two sides have different shapes", nil)
        }
        if kind == .knownFalse, records.contains(where: { $0.refutationMargin != nil }) { return decideMargin(records) }
        switch kind {
        case .equality, .knownFalse: return decideEquality(records, ladder: ladder)
        case .equalityToDigits: return decideDigits(records)
        case .integerEquality:
            let holds = records.allSatisfy { $0.certainty == .certainlyTrue }
            let r = records[0]
            return holds ? (.agrees, "exactly: \(r.lhs ?? "?") = \(r.rhs ?? "?")", nil)
                : (.refuted, "\(r.lhs ?? "?") ≠ \(r.rhs ?? "?")", nil)
        case .inequality: return decideInequality(records)
        case .algebraicRate, .exponentialRate: return decideRate(records)
        }
    }

    /// Agreement digits of a residual at `precision` bits (capped at the precision's digits for zero).
    static func digits(_ record: ClaimRecord) -> Double {
        let cap = Double(record.precision) * log10Of2
        if record.residualIsZero == true { return cap }
        return min(cap, -(record.residualLog10 ?? .infinity))
    }

    static func decideEquality(_ records: [ClaimRecord], ladder: Bool) -> (Verdict, String, Double?) {
        let within = records.map { $0.residualIsZero == true || ($0.residualLog10 ?? .infinity) <= toleranceLog10(precision: $0.precision) }
        let reached = digits(records[0])
        let kindOfResidual = records[0].residualIsRelative == false ? "absolute residual" : "residual"
        let described = records.map { "\($0.residual ?? "?") at \($0.precision) bits" }.joined(separator: ", ")
            + (records.last?.worstEntry.map { ", largest at \($0)" } ?? "")
        guard ladder, records.count >= 2 else {
            if within[0] { return (.agrees, "\(kindOfResidual) \(described) (ladder off: not shown to fall with precision)", reached) }
            return (.refuted, "\(kindOfResidual) \(described) exceeds the working precision", reached)
        }
        let low = records[0], high = records[1]
        let addedDigits = Double(high.precision - low.precision) * log10Of2
        let fell: Bool
        if low.residualIsZero == true || high.residualIsZero == true {
            fell = true
        } else {
            fell = (high.residualLog10 ?? 0) <= (low.residualLog10 ?? 0) - addedDigits / 2
        }
        if within.allSatisfy({ $0 }) && fell {
            return (.agrees, "\(kindOfResidual) \(described)", reached)
        }
        if within[0] && (!within[1] || !fell) {
            return (.undecided, "\(kindOfResidual) \(described) did not keep falling with the precision: the identity holds only approximately", reached)
        }
        let stable = (high.residualLog10 ?? 0) > (low.residualLog10 ?? 0) - addedDigits / 4
        if !within[0] && !within[1] && stable {
            return (.refuted, "\(kindOfResidual) \(described), stable under the precision ladder", reached)
        }
        return (.undecided, "\(kindOfResidual) \(described): above the working precision but falling with it (ill-conditioned, or inputs that are not exact)", reached)
    }

    /// A refutation with a margin: refuted when the largest difference exceeds the margin at every rung; a
    /// difference within the margin at every rung means the statement holds up to the approximation error.
    static func decideMargin(_ records: [ClaimRecord]) -> (Verdict, String, Double?) {
        let r = records[0]
        let described = records.map { "\($0.largestDifference ?? "?") at \($0.precision) bits" }.joined(separator: ", ")
        let margin = r.refutationMargin ?? "?"
        if records.allSatisfy({ $0.exceedsMargin == true }) {
            return (.refuted, "the sides differ by more than the margin \(margin): largest difference \(described)", nil)
        }
        if records.allSatisfy({ $0.exceedsMargin == false }) {
            return (.agrees, "within the margin \(margin): largest difference \(described)", nil)
        }
        return (.undecided, "the rungs disagree on the margin \(margin): largest difference \(described)", nil)
    }

    static func decideDigits(_ records: [ClaimRecord]) -> (Verdict, String, Double?) {
        let wanted = Double(records[0].digitsRequested ?? 0)
        let reached = records.map(digits).min() ?? 0
        let described = records.map { "\($0.residual ?? "?") at \($0.precision) bits" }.joined(separator: ", ")
        let holds = records.map { digits($0) >= wanted }
        if holds.allSatisfy({ $0 }) { return (.agrees, "to \(Int(wanted)) stated digits: residual \(described)", reached) }
        if holds.allSatisfy({ !$0 }) { return (.refuted, "fewer than the stated \(Int(wanted)) digits: residual \(described)", reached) }
        return (.undecided, "the rungs disagree on \(Int(wanted)) digits: residual \(described)", reached)
    }

    static func decideInequality(_ records: [ClaimRecord]) -> (Verdict, String, Double?) {
        let r = records[0]
        let relation = "\(r.lhsEnclosure ?? "?") \(r.relation ?? "?") \(r.rhsEnclosure ?? "?")"
        if records.allSatisfy({ $0.certainty == .certainlyTrue }) {
            return (.proved, "enclosures disjoint, margin \(records.last?.margin ?? "?"): \(relation)", nil)
        }
        if records.contains(where: { $0.certainty == .certainlyFalse }) {
            return (.refuted, "certainly false: \(relation)", nil)
        }
        return (.undecided, "the enclosures overlap: \(relation)", nil)
    }

    static func decideRate(_ records: [ClaimRecord]) -> (Verdict, String, Double?) {
        let r = records[records.count - 1]
        let name = r.kind == .algebraicRate ? "order" : "rate"
        let estimate = r.estimatedRate.map { String(format3($0)) } ?? "?"
        let stated = r.statedRate.map { " (stated \(format3($0)) ± \(format3((r.tolerance ?? 0) * (r.kind == .algebraicRate ? 1 : abs($0)))))" } ?? ""
        let constant = r.constant.map { ", N^p·err → \($0)" } ?? ""
        let summary = "\(name) \(estimate)\(stated)\(constant)"
        if records.allSatisfy({ $0.holds == true }) { return (.agrees, summary, nil) }
        let note = records.compactMap(\.note).first.map { ": " + $0 } ?? ""
        if records.allSatisfy({ $0.holds == false }) { return (.refuted, summary + note, nil) }
        return (.undecided, "the rungs disagree: " + summary + note, nil)
    }

    static func format3(_ value: Double) -> String { String((value * 1000).rounded() / 1000) }
}
