import MultiPrecision

/// A value whose two sides a claim can compare entry by entry: a scalar, a vector or a matrix.
public protocol ClaimValue {
    /// The entries compared, in a fixed order.
    var claimEntries: [BigFloat] { get }
    /// The shape, for messages ("scalar", "vector of 4", "3×3 matrix").
    var claimShape: String { get }
    /// How to name entry `index` of ``claimEntries`` in messages ("entry 3", "row 2, column 1"), counting from 0.
    func claimEntryName(_ index: Int) -> String
}

extension ClaimValue {
    public func claimEntryName(_ index: Int) -> String { "entry \(index)" }
}

extension BigFloat: ClaimValue {
    public var claimEntries: [BigFloat] { [self] }
    public var claimShape: String { "scalar" }
    public func claimEntryName(_ index: Int) -> String { "the value" }
}

extension Vector: ClaimValue {
    public var claimEntries: [BigFloat] { elements }
    public var claimShape: String { "vector of \(count)" }
}

extension Matrix: ClaimValue {
    public var claimEntries: [BigFloat] { elements }
    public var claimShape: String { "\(rowCount)×\(columnCount) matrix" }
    public func claimEntryName(_ index: Int) -> String {
        columnCount > 0 ? "row \(index / columnCount), column \(index % columnCount)" : "entry \(index)"
    }
}

extension Array: ClaimValue where Element == BigFloat {
    public var claimEntries: [BigFloat] { self }
    public var claimShape: String { "list of \(count)" }
}

/// The tolerance of an equality at a precision: a residual of at most 2^−(p − g) with g = max(16, p/16) guard bits.
public enum ClaimTolerance {
    /// log₁₀ of the tolerance at `precision` bits (at 576 bits: −162.6).
    public static func log10(precision: Int) -> Double {
        -Double(precision - Swift.max(16, precision / 16)) * log10Of2
    }

    /// The most decimal digits a `digits:` claim may ask for at `precision` bits: those the tolerance can show.
    public static func maximumDigits(precision: Int) -> Int { Int((-log10(precision: precision)).rounded(.down)) }

    /// log₁₀ 2.
    public static let log10Of2 = 0.30102999566398120
}

/// What stops a claim's operands from being judged, or nil when they can be: a NaN or infinite entry, or (for
/// equalities, whose verdict reports digits at the working precision) an entry rounded below the working precision.
func operandProblem(_ entries: [BigFloat], side: String, name: (Int) -> String, atWorkingPrecision: Bool = true) -> String? {
    for (index, entry) in entries.enumerated() {
        if entry.isNaN { return "\(side) (\(name(index))) is NaN: a claim needs finite numbers on both sides" }
        if entry.isInfinite { return "\(side) (\(name(index))) is \(entry.sign < 0 ? "−∞" : "+∞"): a claim needs finite numbers on both sides (did something overflow?)" }
        if atWorkingPrecision, let rounded = entry.lowestRoundingPrecision, rounded < workingPrecision {
            return "\(side) (\(name(index))) was rounded at \(rounded) bits, below the working precision of \(workingPrecision) bits: "
                + "make its numbers with number(…) or with precision: workingPrecision"
        }
    }
    return nil
}

/// The residual of an equality claim and the entry that shows it.
///
/// Entry by entry: rᵢ = |lᵢ − rᵢ| / sᵢ with sᵢ = max(|lᵢ|, |rᵢ|), or max(|lᵢ|, |rᵢ|, |scale|) when a scale is
/// given. When no scale is given and exactly one side of an entry is zero, sᵢ = 1 (the residual of that entry
/// is absolute); when both are zero the entry agrees exactly. The residual is the largest rᵢ.
struct Residual {
    var value: BigFloat
    var isRelative: Bool
    var worstIndex: Int
    /// An entry whose difference or residual underflowed to zero although its two sides differ.
    var underflowIndex: Int?

    init(_ left: [BigFloat], _ right: [BigFloat], scale: BigFloat?) {
        let precision = (left + right).map(\.precision).max() ?? workingPrecision
        value = BigFloat(0, precision: precision)
        isRelative = true
        worstIndex = 0
        let floor = scale.map { abs($0) }
        for index in left.indices {
            let difference = abs(left[index] - right[index])
            if difference.isZero {
                if left[index] != right[index] && underflowIndex == nil { underflowIndex = index }
                continue
            }
            var size = max(abs(left[index]), abs(right[index]))
            var relative = true
            if let floor {
                size = max(size, floor)
            } else if left[index].isZero || right[index].isZero {
                size = BigFloat(1, precision: precision)
                relative = false
            }
            let entry = difference / size
            if entry.isZero && underflowIndex == nil { underflowIndex = index }
            if entry > value {
                value = entry
                isRelative = relative
                worstIndex = index
            }
        }
    }
}
