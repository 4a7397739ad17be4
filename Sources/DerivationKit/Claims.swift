import MultiPrecision
import CMPFR

// The claim vocabulary of a derivation. Each call records exactly one claim, with its label, optional stable
// ID and the Markdown file, line and column of the call; the verifier decides the verdict from the records of
// every rung of the precision ladder. Each returns whether the claim looks satisfied in this run (a hint for
// the derivation's own control flow; the verdict is the verifier's).
//
// Arguments that would make a check vacuous (a NaN or infinite side, a scale that is not a positive finite
// number, digits the precision cannot show, a rate tolerance too wide to say anything, an operand rounded
// below the working precision, an invalid enclosure) record a *problem*: the claim is an error, never a pass.

/// Claims that `lhs` equals `rhs`: to the working precision (default), or to `digits` decimal digits.
///
/// Entry by entry, the residual of entry i is |lhsᵢ − rhsᵢ| / max(|lhsᵢ|, |rhsᵢ|); with `scale`, the
/// denominator is max(|lhsᵢ|, |rhsᵢ|, |scale|) (pass the size of the terms that cancel when something
/// vanishes); without it, an entry that is exactly zero on one side is compared absolutely. The claim's
/// residual is the largest entry residual, reported with its entry. Without `digits` the claim *agrees* only
/// if the residual is within the working precision at every rung of the ladder and fell when the precision
/// doubled (or is exactly zero); with `digits` (1 up to what the precision can show) it must be at most
/// 10^−digits at every rung. Sides of different shapes are refuted; empty sides are an error.
@discardableResult
public func claimEqual<T: ClaimValue>(_ label: String, _ lhs: T, _ rhs: T, digits: Int? = nil, scale: BigFloat? = nil,
                                      id: String? = nil, file: StaticString = #filePath, line: UInt = #line,
                                      column: UInt = #column) -> Bool {
    claimOutcome(recordEquality(label, lhs, rhs, kind: digits == nil ? .equality : .equalityToDigits, digits: digits,
                                scale: scale, id: id, at: CallSite(file: file, line: line, column: column)))
}

/// Claims that two integers are equal (an exact fact, such as a count of hidden rows).
@discardableResult
public func claimEqual(_ label: String, _ lhs: Int, _ rhs: Int, id: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    var record = newRecord(label: label, id: id, kind: .integerEquality, at: CallSite(file: file, line: line, column: column))
    record.lhs = String(lhs)
    record.rhs = String(rhs)
    record.difference = String(Int128(lhs) - Int128(rhs))
    record.certainty = lhs == rhs ? .certainlyTrue : .certainlyFalse
    RecordSink.shared.write(record)
    return claimOutcome(lhs == rhs && record.problem == nil)
}

/// Claims that two lists of integers are equal, entry by entry (an exact fact, such as a layout).
@discardableResult
public func claimEqual(_ label: String, _ lhs: [Int], _ rhs: [Int], id: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    var record = newRecord(label: label, id: id, kind: .integerEquality, at: CallSite(file: file, line: line, column: column))
    record.lhs = lhs.description
    record.rhs = rhs.description
    let firstDifference = zip(lhs, rhs).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? (lhs.count == rhs.count ? nil : min(lhs.count, rhs.count))
    record.difference = firstDifference.map { "first difference at index \($0)" } ?? "none"
    if lhs.isEmpty && rhs.isEmpty { record.problem = "both lists are empty: nothing is compared" }
    record.certainty = lhs == rhs ? .certainlyTrue : .certainlyFalse
    RecordSink.shared.write(record)
    return claimOutcome(lhs == rhs && record.problem == nil)
}

/// Records a known-false equality (a paper's erratum or a tempting mistake): it passes only if the two
/// sides clearly differ, by more than the working precision, at every rung of the ladder.
///
/// The residual is the one of ``claimEqual(_:_:_:digits:scale:id:file:line:column:)``. NaN or infinite sides,
/// sides of different shapes and empty sides are errors, not refutations. Put it next to the corrected
/// claim that holds.
///
/// With `margin` (for sides that are only approximations: a value at a finite N, a measured order, a result
/// computed in a lower precision), the refutation must hold *because of the mathematics*: some entry must
/// differ by more than `margin`, i.e. max |lhsᵢ − rhsᵢ| (the difference rounded toward zero) > `margin`, at
/// every rung. Pass a bound on the approximation error (or a gap the mathematics guarantees, such as 1/2
/// between the orders 3 and 4): a statement that is true up to that error then *holds* and the claim fails.
/// `margin` must be a positive finite number (otherwise the claim is an error).
@discardableResult
public func claimRefuted<T: ClaimValue>(_ label: String, _ lhs: T, _ rhs: T, scale: BigFloat? = nil, margin: BigFloat? = nil,
                                        id: String? = nil,
                                        file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    claimOutcome(!recordEquality(label, lhs, rhs, kind: .knownFalse, digits: nil, scale: scale, margin: margin, id: id,
                                 at: CallSite(file: file, line: line, column: column)))
}

func recordEquality<T: ClaimValue>(_ label: String, _ lhs: T, _ rhs: T, kind: ClaimKind, digits: Int?, scale: BigFloat?,
                                   margin: BigFloat? = nil, id: String?, at site: CallSite) -> Bool {
    var record = newRecord(label: label, id: id, kind: kind, at: site)
    record.digitsRequested = digits
    let left = lhs.claimEntries, right = rhs.claimEntries
    if left.count != right.count || lhs.claimShape != rhs.claimShape {
        record.shapeMismatch = true
        record.note = "the two sides have different shapes: \(lhs.claimShape) and \(rhs.claimShape)"
        if kind == .knownFalse { record.problem = record.note! + " (a refutation must compare like with like)" }
        RecordSink.shared.write(record)
        return false
    }
    record.problem = equalityArgumentProblem(lhs, rhs, scale: scale, digits: digits)
        ?? margin.flatMap { marginProblem($0) }
    if record.problem != nil {
        RecordSink.shared.write(record)
        return false
    }
    let residual = Residual(left, right, scale: scale)
    if let index = residual.underflowIndex {
        record.problem = "the residual of \(lhs.claimEntryName(index)) underflowed to zero although the sides differ "
            + "(the numbers are at the edge of MPFR's exponent range, or the scale is too large): it cannot be judged"
        RecordSink.shared.write(record)
        return false
    }
    record.residualIsRelative = residual.isRelative
    record.residualIsZero = residual.value.isZero
    record.residual = residual.value.formatted(digits: 6)
    if !residual.value.isZero { record.residualLog10 = log10(residual.value).doubleValue }
    let worst = residual.worstIndex
    if left.count > 1 { record.worstEntry = lhs.claimEntryName(worst) }
    record.lhs = left[worst].formatted(digits: 20)
    record.rhs = right[worst].formatted(digits: 20)
    record.difference = (left[worst] - right[worst]).formatted(digits: 6)
    if let margin {
        let largest = largestDifference(left, right)
        record.refutationMargin = margin.formatted(digits: 6, rounding: .up)
        record.largestDifference = largest.formatted(digits: 6, rounding: .down)
        record.exceedsMargin = largest > margin
        RecordSink.shared.write(record)
        return !(largest > margin)
    }
    RecordSink.shared.write(record)
    let threshold = digits.map { -Double($0) } ?? ClaimTolerance.log10(precision: workingPrecision)
    return residual.value.isZero || (record.residualLog10 ?? .infinity) <= threshold
}

/// Why the operands of an equality cannot be judged, or nil.
func equalityArgumentProblem<T: ClaimValue>(_ lhs: T, _ rhs: T, scale: BigFloat?, digits: Int?) -> String? {
    if lhs.claimEntries.isEmpty { return "both sides are empty (\(lhs.claimShape)): nothing is compared" }
    if let problem = operandProblem(lhs.claimEntries, side: "the left side", name: lhs.claimEntryName)
        ?? operandProblem(rhs.claimEntries, side: "the right side", name: rhs.claimEntryName) {
        return problem
    }
    if let scale {
        if !scale.isFinite || scale.sign <= 0 {
            return "scale: must be a positive finite number (the size of the terms that cancel), got \(scale.formatted(digits: 6))"
        }
        if let problem = operandProblem([scale], side: "the scale", name: { _ in "the value" }) { return problem }
    }
    if let digits {
        let most = ClaimTolerance.maximumDigits(precision: workingPrecision)
        if digits < 1 || digits > most {
            return "digits: \(digits) is outside 1…\(most), the digits that \(workingPrecision) bits can show "
                + "(omit digits: to claim agreement to the working precision)"
        }
    }
    return nil
}

/// Why a refutation margin cannot be used, or nil.
func marginProblem(_ margin: BigFloat) -> String? {
    if !margin.isFinite || margin.sign <= 0 {
        return "margin: must be a positive finite number (a bound on the approximation error), got \(margin.formatted(digits: 6))"
    }
    return nil
}

/// max |lhsᵢ − rhsᵢ|, each difference rounded toward zero (so that it never exceeds the true difference).
func largestDifference(_ left: [BigFloat], _ right: [BigFloat]) -> BigFloat {
    let precision = (left + right).map(\.precision).max() ?? workingPrecision
    var largest = BigFloat(0, precision: precision)
    for (a, b) in zip(left, right) {
        let difference: BigFloat = a >= b ? .apply(mpfr_sub, a, b, rounding: .towardZero) : .apply(mpfr_sub, b, a, rounding: .towardZero)
        if difference > largest { largest = difference }
    }
    return largest
}

// MARK: - Certified inequalities

/// The relation of a certified inequality claim.
enum InequalityRelation: String {
    case less = "<", lessOrEqual = "≤", greater = ">", greaterOrEqual = "≥"

    /// Whether the relation holds between every pair of points of the enclosures.
    func certainty(_ a: Interval, _ b: Interval) -> Certainty {
        switch self {
        case .less: return a.isCertainlyLess(than: b)
        case .lessOrEqual: return a.isCertainlyLessOrEqual(to: b)
        case .greater: return b.isCertainlyLess(than: a)
        case .greaterOrEqual: return b.isCertainlyLessOrEqual(to: a)
        }
    }

    /// The gap between the enclosures in the claimed direction (negative when they overlap), rounded down.
    func margin(_ a: Interval, _ b: Interval) -> BigFloat {
        switch self {
        case .less, .lessOrEqual: return .apply(mpfr_sub, b.lower, a.upper, rounding: .down)
        case .greater, .greaterOrEqual: return .apply(mpfr_sub, a.lower, b.upper, rounding: .down)
        }
    }
}

func recordInequality(_ label: String, _ lhs: Interval, _ rhs: Interval, _ relation: InequalityRelation,
                      id: String?, at site: CallSite) -> Bool {
    var record = newRecord(label: label, id: id, kind: .inequality, at: site)
    record.relation = relation.rawValue
    record.lhsEnclosure = lhs.description
    record.rhsEnclosure = rhs.description
    for (side, interval) in [("left", lhs), ("right", rhs)] where !interval.isValid {
        record.problem = "the \(side) enclosure is invalid: it was made from a value rounded more than once, or by a function "
            + "outside its domain (log or sqrt of an interval reaching below 0, division by an interval containing 0); "
            + "compute it with Interval arithmetic from exact inputs"
        record.certainty = .undecided
        RecordSink.shared.write(record)
        return false
    }
    let certainty = relation.certainty(lhs, rhs)
    record.certainty = certainty
    record.margin = relation.margin(lhs, rhs).formatted(digits: 6, rounding: .down)
    RecordSink.shared.write(record)
    return certainty == .certainlyTrue
}

/// Claims a < b for every point of the two enclosures: *proved* only when a's upper end lies below b's lower end.
@discardableResult
public func claimLess(_ label: String, _ a: Interval, _ b: Interval, id: String? = nil,
                      file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    claimOutcome(recordInequality(label, a, b, .less, id: id, at: CallSite(file: file, line: line, column: column)))
}

/// Claims a ≤ b for every point of the two enclosures.
@discardableResult
public func claimLessOrEqual(_ label: String, _ a: Interval, _ b: Interval, id: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    claimOutcome(recordInequality(label, a, b, .lessOrEqual, id: id, at: CallSite(file: file, line: line, column: column)))
}

/// Claims a > b for every point of the two enclosures.
@discardableResult
public func claimGreater(_ label: String, _ a: Interval, _ b: Interval, id: String? = nil,
                         file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    claimOutcome(recordInequality(label, a, b, .greater, id: id, at: CallSite(file: file, line: line, column: column)))
}

/// Claims a ≥ b for every point of the two enclosures.
@discardableResult
public func claimGreaterOrEqual(_ label: String, _ a: Interval, _ b: Interval, id: String? = nil,
                                file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    claimOutcome(recordInequality(label, a, b, .greaterOrEqual, id: id, at: CallSite(file: file, line: line, column: column)))
}

// MARK: - Rates

/// Claims err(N) ≈ C·N^−p: for every consecutive pair of sizes after the first `burnIn` sizes, the local order
/// log(errₖ/errₖ₊₁)/log(Nₖ₊₁/Nₖ) is within `tolerance` of `order`; and, when `constant` is given,
/// N^p·err(N) at the last size is within relative `constantTolerance` (default: `tolerance`) of it.
///
/// Bounds that keep the claim meaningful (otherwise it is an error): `order` > 0; 0 < `tolerance` ≤ `order`/4
/// (default min(0.1, `order`/4)); 0 < `constantTolerance` ≤ 0.5; at least two pairs after the burn-in; sizes
/// positive and increasing; errors finite (an error that is not positive fails the claim).
@discardableResult
public func claimRate(_ label: String, sizes: [BigFloat], errors: [BigFloat], order: Double, constant: BigFloat? = nil,
                      tolerance: Double? = nil, constantTolerance: Double? = nil, burnIn: Int = 0, id: String? = nil,
                      file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    var record = newRecord(label: label, id: id, kind: .algebraicRate, at: CallSite(file: file, line: line, column: column))
    let tolerance = tolerance ?? (order.isFinite && order > 0 ? min(0.1, order / 4) : 0.1)
    let constantTolerance = constantTolerance ?? tolerance
    record.statedRate = order
    record.tolerance = tolerance
    record.burnIn = burnIn
    record.statedConstant = constant?.formatted(digits: 10)
    record.holds = false
    if !(order.isFinite && order > 0) {
        record.problem = "order: must be a positive finite number, got \(order)"
    } else if !(tolerance > 0 && tolerance <= order / 4) {
        record.problem = "tolerance: \(tolerance) must lie in (0, order/4 = \(format(order / 4))]: a wider band does not tell the order apart"
    } else if constant != nil, !(constantTolerance > 0 && constantTolerance <= 0.5) {
        record.problem = "constantTolerance: \(constantTolerance) must lie in (0, 0.5]"
    } else if let constant, !constant.isFinite || constant.isZero {
        record.problem = "constant: must be a finite non-zero number, got \(constant.formatted(digits: 6))"
    }
    guard record.problem == nil, let logs = rateLogarithms(sizes: sizes, errors: errors, burnIn: burnIn, record: &record) else {
        RecordSink.shared.write(record)
        return claimOutcome(false)
    }
    let estimates = localRates(logs.errors) { k in logs.sizes[k + 1] - logs.sizes[k] }
    record.rateEstimates = estimates
    record.estimatedRate = estimates.last
    let checked = Array(estimates.indices.dropFirst(burnIn))
    let failing = checked.filter { !((estimates[$0] - order).magnitude <= tolerance) }
    var holds = failing.isEmpty
    if !holds { record.note = failingPairsNote(failing, estimates, sizes: sizes, name: "order", expected: "\(format(order)) ± \(format(tolerance))") }
    let last = sizes.count - 1
    let precision = max(sizes[last].precision, errors[last].precision)
    let settled = pow(sizes[last], BigFloat(order, precision: precision)) * errors[last]
    record.constant = settled.formatted(digits: 10)
    if let constant, holds {
        let gap = abs(settled / constant - 1).doubleValue
        holds = gap <= constantTolerance  // false for a NaN gap
        if !holds {
            record.note = "N^p·err(N) settles at \(settled.formatted(digits: 8)), not at the stated \(constant.formatted(digits: 8)) ± \(format(constantTolerance * 100)) %"
        }
    }
    record.holds = holds
    RecordSink.shared.write(record)
    return claimOutcome(holds)
}

/// ``claimRate(_:sizes:errors:order:constant:tolerance:constantTolerance:burnIn:id:file:line:column:)`` with integer sizes.
@discardableResult
public func claimRate(_ label: String, sizes: [Int], errors: [BigFloat], order: Double, constant: BigFloat? = nil,
                      tolerance: Double? = nil, constantTolerance: Double? = nil, burnIn: Int = 0, id: String? = nil,
                      file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    claimRate(label, sizes: sizes.map { BigFloat($0, precision: workingPrecision) }, errors: errors, order: order,
              constant: constant, tolerance: tolerance, constantTolerance: constantTolerance, burnIn: burnIn, id: id,
              file: file, line: line, column: column)
}

/// Claims err(N) ≈ C·exp(−cN): for every consecutive pair of sizes after the first `burnIn` sizes, the local rate
/// log(errₖ/errₖ₊₁)/(Nₖ₊₁ − Nₖ) is within relative `tolerance` of `rate`; without a stated rate, every local
/// rate is positive and each agrees with the previous one to relative `tolerance` (the rate has settled).
///
/// Bounds (otherwise the claim is an error): `rate` > 0 when given; 0 < `tolerance` ≤ 0.25; at least two pairs
/// after the burn-in.
@discardableResult
public func claimExponentialRate(_ label: String, sizes: [BigFloat], errors: [BigFloat], rate: Double? = nil,
                                 tolerance: Double = 0.1, burnIn: Int = 0, id: String? = nil,
                                 file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    var record = newRecord(label: label, id: id, kind: .exponentialRate, at: CallSite(file: file, line: line, column: column))
    record.statedRate = rate
    record.tolerance = tolerance
    record.burnIn = burnIn
    record.holds = false
    if let rate, !(rate.isFinite && rate > 0) {
        record.problem = "rate: must be a positive finite number, got \(rate)"
    } else if !(tolerance > 0 && tolerance <= 0.25) {
        record.problem = "tolerance: \(tolerance) must lie in (0, 0.25] (relative to the rate)"
    }
    guard record.problem == nil, let logs = rateLogarithms(sizes: sizes, errors: errors, burnIn: burnIn, record: &record) else {
        RecordSink.shared.write(record)
        return claimOutcome(false)
    }
    let estimates = localRates(logs.errors) { k in (sizes[k + 1] - sizes[k]).doubleValue }
    record.rateEstimates = estimates
    record.estimatedRate = estimates.last
    let checked = Array(estimates.indices.dropFirst(burnIn))
    let failing: [Int]
    let expected: String
    if let rate {
        failing = checked.filter { !((estimates[$0] - rate).magnitude <= tolerance * rate) }
        expected = "\(format(rate)) ± \(format(tolerance * rate))"
    } else {
        failing = checked.filter { (k: Int) -> Bool in
            let estimate: Double = estimates[k]
            if !(estimate > 0) { return true }
            guard k > checked[0] else { return false }
            let change: Double = (estimate - estimates[k - 1]).magnitude
            return !(change <= tolerance * estimate)
        }
        expected = "positive and settled to \(format(tolerance * 100)) %"
    }
    let holds = failing.isEmpty
    if !holds { record.note = failingPairsNote(failing, estimates, sizes: sizes, name: "rate", expected: expected) }
    record.holds = holds
    RecordSink.shared.write(record)
    return claimOutcome(holds)
}

/// ``claimExponentialRate(_:sizes:errors:rate:tolerance:burnIn:id:file:line:column:)`` with integer sizes.
@discardableResult
public func claimExponentialRate(_ label: String, sizes: [Int], errors: [BigFloat], rate: Double? = nil,
                                 tolerance: Double = 0.1, burnIn: Int = 0, id: String? = nil,
                                 file: StaticString = #filePath, line: UInt = #line, column: UInt = #column) -> Bool {
    claimExponentialRate(label, sizes: sizes.map { BigFloat($0, precision: workingPrecision) }, errors: errors,
                         rate: rate, tolerance: tolerance, burnIn: burnIn, id: id, file: file, line: line, column: column)
}

/// The local rates (log errₖ − log errₖ₊₁) / stepₖ of consecutive pairs.
func localRates(_ logErrors: [Double], step: (Int) -> Double) -> [Double] {
    var rates: [Double] = []
    for k in 0..<(logErrors.count - 1) {
        let drop: Double = logErrors[k] - logErrors[k + 1]
        rates.append(drop / step(k))
    }
    return rates
}

/// "the local order between N = 8 and 16 is 1.2, …, not 2 ± 0.1" for the failing pairs.
func failingPairsNote(_ failing: [Int], _ estimates: [Double], sizes: [BigFloat], name: String, expected: String) -> String {
    let pairs = failing.prefix(4).map { k in
        "\(format(estimates[k])) between N = \(sizes[k].formatted(digits: 6)) and \(sizes[k + 1].formatted(digits: 6))"
    }
    let more = failing.count > 4 ? " and \(failing.count - 4) more pairs" : ""
    return "the local \(name) is \(pairs.joined(separator: ", "))\(more), not \(expected)"
}

/// Natural logarithms of sizes and errors, or nil (with a note, or a problem for arguments that cannot define a
/// rate) when the data cannot define one.
func rateLogarithms(sizes: [BigFloat], errors: [BigFloat], burnIn: Int,
                    record: inout ClaimRecord) -> (sizes: [Double], errors: [Double])? {
    guard sizes.count == errors.count else {
        record.problem = "\(sizes.count) sizes but \(errors.count) errors"
        return nil
    }
    guard burnIn >= 0 else {
        record.problem = "burnIn: must be 0 or more, got \(burnIn)"
        return nil
    }
    guard sizes.count - burnIn >= 3 else {
        record.problem = "a rate needs at least three sizes after the burn-in of \(burnIn), got \(sizes.count)"
        return nil
    }
    guard sizes.allSatisfy(\.isFinite), zip(sizes, sizes.dropFirst()).allSatisfy({ $0 < $1 }), sizes[0].sign > 0 else {
        record.problem = "the sizes must be finite, positive and increasing"
        return nil
    }
    if let problem = operandProblem(errors, side: "an error", name: { "at N = \(sizes[$0].formatted(digits: 6))" },
                                    atWorkingPrecision: false) {
        record.problem = problem
        return nil
    }
    guard errors.allSatisfy({ $0.sign > 0 }) else {
        record.note = "every error must be positive (an exactly zero error has no rate: claim equality instead)"
        return nil
    }
    let logs = (sizes: sizes.map { log($0).doubleValue }, errors: errors.map { log($0).doubleValue })
    record.rateSizes = sizes.map(\.doubleValue)
    record.rateLog10Errors = logs.errors.map { $0 / 2.302585092994045684 }  // ln 10
    return logs
}

func format(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return String(rounded)
}
