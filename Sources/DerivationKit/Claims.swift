import MultiPrecision
import CMPFR

// The claim vocabulary of a derivation. Each function records one claim, with its label, stable ID and
// the Markdown line it is written on; the verifier decides the verdict from the records of both rungs of
// the precision ladder. Each returns whether the claim looks satisfied in this run (a hint for the
// derivation's own control flow; the verdict is the verifier's).

/// Claims that `lhs` equals `rhs`: to the working precision (default), or to `digits` decimal digits.
///
/// The residual is max|lhsᵢ − rhsᵢ| / max(‖lhs‖∞, ‖rhs‖∞), or divided by `scale` when given; when one side
/// is exactly zero and no scale is given it is absolute. Without `digits` the claim *agrees* only if the
/// residual is within the working precision at both rungs of the ladder and fell when the precision
/// doubled (or is exactly zero); with `digits` it must be at most 10^−digits at both rungs.
@discardableResult
public func claimEqual<T: ClaimValue>(_ label: String, _ lhs: T, _ rhs: T, digits: Int? = nil, scale: BigFloat? = nil,
                                      id: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> Bool {
    recordEquality(label, lhs, rhs, kind: digits == nil ? .equality : .equalityToDigits, digits: digits, scale: scale,
                   id: id, file: file, line: line)
}

/// Claims that two integers are equal (an exact fact, such as a count of hidden rows).
@discardableResult
public func claimEqual(_ label: String, _ lhs: Int, _ rhs: Int, id: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) -> Bool {
    var record = newRecord(label: label, id: id, kind: .integerEquality, file: file, line: line)
    record.lhs = String(lhs)
    record.rhs = String(rhs)
    record.difference = String(lhs - rhs)
    record.certainty = lhs == rhs ? .certainlyTrue : .certainlyFalse
    RecordSink.shared.write(record)
    return lhs == rhs
}

/// Claims that two lists of integers are equal, entry by entry (an exact fact, such as a layout).
@discardableResult
public func claimEqual(_ label: String, _ lhs: [Int], _ rhs: [Int], id: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) -> Bool {
    var record = newRecord(label: label, id: id, kind: .integerEquality, file: file, line: line)
    record.lhs = lhs.description
    record.rhs = rhs.description
    let firstDifference = zip(lhs, rhs).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        ?? (lhs.count == rhs.count ? nil : min(lhs.count, rhs.count))
    record.difference = firstDifference.map { "first difference at index \($0)" } ?? "none"
    record.certainty = lhs == rhs ? .certainlyTrue : .certainlyFalse
    RecordSink.shared.write(record)
    return lhs == rhs
}

/// Records a known-false equality (a paper's erratum or a tempting mistake): it passes only if the two
/// sides clearly differ, by more than the working precision, at both rungs of the ladder.
///
/// Put it next to the corrected claim that holds.
@discardableResult
public func claimRefuted<T: ClaimValue>(_ label: String, _ lhs: T, _ rhs: T, scale: BigFloat? = nil, id: String? = nil,
                                        file: StaticString = #filePath, line: UInt = #line) -> Bool {
    !recordEquality(label, lhs, rhs, kind: .knownFalse, digits: nil, scale: scale, id: id, file: file, line: line)
}

func recordEquality<T: ClaimValue>(_ label: String, _ lhs: T, _ rhs: T, kind: ClaimKind, digits: Int?, scale: BigFloat?,
                                   id: String?, file: StaticString, line: UInt) -> Bool {
    var record = newRecord(label: label, id: id, kind: kind, file: file, line: line)
    let residual = Residual(lhs, rhs, scale: scale)
    record.digitsRequested = digits
    record.residualIsRelative = residual.isRelative
    record.residualIsZero = residual.value.isZero
    record.residual = residual.value.formatted(digits: 6)
    if residual.value.isNaN {
        record.note = "the residual is NaN (a side is NaN, or the scale is zero)"
    } else if !residual.value.isZero {
        record.residualLog10 = residual.value.isInfinite ? Double.infinity : log10(residual.value).doubleValue
    }
    if let note = residual.note { record.note = note }
    let left = lhs.claimEntries, right = rhs.claimEntries
    if residual.worstIndex < min(left.count, right.count) {
        record.lhs = left[residual.worstIndex].formatted(digits: 20)
        record.rhs = right[residual.worstIndex].formatted(digits: 20)
        record.difference = (left[residual.worstIndex] - right[residual.worstIndex]).formatted(digits: 6)
    }
    RecordSink.shared.write(record)
    let threshold = digits.map { -Double($0) } ?? -Double(workingPrecision) * 0.30103 * 0.9
    return residual.value.isZero || (record.residualLog10 ?? .infinity) <= threshold
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
                      id: String?, file: StaticString, line: UInt) -> Bool {
    var record = newRecord(label: label, id: id, kind: .inequality, file: file, line: line)
    let certainty = relation.certainty(lhs, rhs)
    record.relation = relation.rawValue
    record.certainty = certainty
    record.lhsEnclosure = lhs.description
    record.rhsEnclosure = rhs.description
    record.margin = relation.margin(lhs, rhs).formatted(digits: 6, rounding: .down)
    RecordSink.shared.write(record)
    return certainty == .certainlyTrue
}

/// Claims a < b for every point of the two enclosures: *proved* only when a's upper end lies below b's lower end.
@discardableResult
public func claimLess(_ label: String, _ a: Interval, _ b: Interval, id: String? = nil,
                      file: StaticString = #filePath, line: UInt = #line) -> Bool {
    recordInequality(label, a, b, .less, id: id, file: file, line: line)
}

/// Claims a ≤ b for every point of the two enclosures.
@discardableResult
public func claimLessOrEqual(_ label: String, _ a: Interval, _ b: Interval, id: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) -> Bool {
    recordInequality(label, a, b, .lessOrEqual, id: id, file: file, line: line)
}

/// Claims a > b for every point of the two enclosures.
@discardableResult
public func claimGreater(_ label: String, _ a: Interval, _ b: Interval, id: String? = nil,
                         file: StaticString = #filePath, line: UInt = #line) -> Bool {
    recordInequality(label, a, b, .greater, id: id, file: file, line: line)
}

/// Claims a ≥ b for every point of the two enclosures.
@discardableResult
public func claimGreaterOrEqual(_ label: String, _ a: Interval, _ b: Interval, id: String? = nil,
                                file: StaticString = #filePath, line: UInt = #line) -> Bool {
    recordInequality(label, a, b, .greaterOrEqual, id: id, file: file, line: line)
}

// MARK: - Rates

/// Claims err(N) ≈ C·N^−p: the local order log(errₖ/errₖ₊₁)/log(Nₖ₊₁/Nₖ) of the last two sizes is within
/// `tolerance` of `order`, and, when `constant` is given, N^p·err(N) at the last size is within relative
/// `tolerance` of it. Give at least three sizes, increasing; errors must be positive.
@discardableResult
public func claimRate(_ label: String, sizes: [BigFloat], errors: [BigFloat], order: Double, constant: BigFloat? = nil,
                      tolerance: Double = 0.1, id: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> Bool {
    var record = newRecord(label: label, id: id, kind: .algebraicRate, file: file, line: line)
    record.statedRate = order
    record.tolerance = tolerance
    record.statedConstant = constant?.formatted(digits: 10)
    guard let logs = rateLogarithms(sizes: sizes, errors: errors, record: &record) else {
        RecordSink.shared.write(record)
        return false
    }
    var estimates: [Double] = []
    for k in 0..<(sizes.count - 1) {
        let errorDrop: Double = logs.errors[k] - logs.errors[k + 1]
        let sizeGrowth: Double = logs.sizes[k + 1] - logs.sizes[k]
        estimates.append(errorDrop / sizeGrowth)
    }
    let last = sizes.count - 1
    let precision = max(sizes[last].precision, errors[last].precision)
    let settled = pow(sizes[last], BigFloat(order, precision: precision)) * errors[last]
    record.rateEstimates = estimates
    record.estimatedRate = estimates.last
    record.constant = settled.formatted(digits: 10)
    let lastEstimate: Double = estimates[estimates.count - 1]
    var holds = (lastEstimate - order).magnitude <= tolerance
    if !holds { record.note = "the last local order is \(format(estimates.last!)), not \(format(order)) ± \(format(tolerance))" }
    if let constant, holds {
        let gap = abs(settled / constant - 1).doubleValue
        holds = gap <= tolerance
        if !holds { record.note = "N^p·err(N) settles at \(settled.formatted(digits: 8)), not at the stated \(constant.formatted(digits: 8))" }
    }
    record.holds = holds
    RecordSink.shared.write(record)
    return holds
}

/// ``claimRate(_:sizes:errors:order:constant:tolerance:id:file:line:)`` with integer sizes.
@discardableResult
public func claimRate(_ label: String, sizes: [Int], errors: [BigFloat], order: Double, constant: BigFloat? = nil,
                      tolerance: Double = 0.1, id: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> Bool {
    claimRate(label, sizes: sizes.map { BigFloat($0, precision: workingPrecision) }, errors: errors, order: order,
              constant: constant, tolerance: tolerance, id: id, file: file, line: line)
}

/// Claims err(N) ≈ C·exp(−cN): the local rate log(errₖ/errₖ₊₁)/(Nₖ₊₁ − Nₖ) of the last two sizes is within
/// relative `tolerance` of `rate`; without a stated rate, it must be positive and settled (the last two
/// local rates agree to relative `tolerance`).
@discardableResult
public func claimExponentialRate(_ label: String, sizes: [BigFloat], errors: [BigFloat], rate: Double? = nil,
                                 tolerance: Double = 0.1, id: String? = nil,
                                 file: StaticString = #filePath, line: UInt = #line) -> Bool {
    var record = newRecord(label: label, id: id, kind: .exponentialRate, file: file, line: line)
    record.statedRate = rate
    record.tolerance = tolerance
    guard let logs = rateLogarithms(sizes: sizes, errors: errors, record: &record) else {
        RecordSink.shared.write(record)
        return false
    }
    var estimates: [Double] = []
    for k in 0..<(sizes.count - 1) {
        let errorDrop: Double = logs.errors[k] - logs.errors[k + 1]
        let sizeStep: Double = (sizes[k + 1] - sizes[k]).doubleValue
        estimates.append(errorDrop / sizeStep)
    }
    record.rateEstimates = estimates
    record.estimatedRate = estimates.last
    let last: Double = estimates[estimates.count - 1]
    let previous: Double = estimates[estimates.count - 2]
    let holds: Bool
    if let rate {
        let allowed: Double = tolerance * rate.magnitude
        holds = (last - rate).magnitude <= allowed
        if !holds { record.note = "the last local rate is \(format(last)), not \(format(rate)) ± \(format(allowed))" }
    } else {
        let allowed: Double = tolerance * last
        holds = last > 0 && (last - previous).magnitude <= allowed
        if !holds { record.note = "the local rates \(format(previous)) and \(format(last)) have not settled" }
    }
    record.holds = holds
    RecordSink.shared.write(record)
    return holds
}

/// ``claimExponentialRate(_:sizes:errors:rate:tolerance:id:file:line:)`` with integer sizes.
@discardableResult
public func claimExponentialRate(_ label: String, sizes: [Int], errors: [BigFloat], rate: Double? = nil,
                                 tolerance: Double = 0.1, id: String? = nil,
                                 file: StaticString = #filePath, line: UInt = #line) -> Bool {
    claimExponentialRate(label, sizes: sizes.map { BigFloat($0, precision: workingPrecision) }, errors: errors,
                         rate: rate, tolerance: tolerance, id: id, file: file, line: line)
}

/// Natural logarithms of sizes and errors, or nil (with a note) when the data cannot define a rate.
func rateLogarithms(sizes: [BigFloat], errors: [BigFloat], record: inout ClaimRecord) -> (sizes: [Double], errors: [Double])? {
    record.holds = false
    guard sizes.count == errors.count else {
        record.note = "\(sizes.count) sizes but \(errors.count) errors"
        return nil
    }
    guard sizes.count >= 3 else {
        record.note = "a rate needs at least three sizes, got \(sizes.count)"
        return nil
    }
    guard zip(sizes, sizes.dropFirst()).allSatisfy({ $0 < $1 }), sizes[0].sign > 0 else {
        record.note = "the sizes must be positive and increasing"
        return nil
    }
    guard errors.allSatisfy({ $0.sign > 0 && $0.isFinite }) else {
        record.note = "every error must be positive and finite (an exactly zero error has no rate: claim equality instead)"
        return nil
    }
    return (sizes.map { log($0).doubleValue }, errors.map { log($0).doubleValue })
}

func format(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return String(rounded)
}

/// Marks the normal end of the program: every block ran.
public func finishDerivation() {
    _ = RecordSink.shared.lap()
    RecordSink.shared.write(["type": "end"])
}
