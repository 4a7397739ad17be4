import MultiPrecision

/// A value whose two sides a claim can compare entry by entry: a scalar, a vector or a matrix.
public protocol ClaimValue {
    /// The entries compared, in a fixed order.
    var claimEntries: [BigFloat] { get }
    /// The shape, for messages ("scalar", "vector of 4", "3×3 matrix").
    var claimShape: String { get }
}

extension BigFloat: ClaimValue {
    public var claimEntries: [BigFloat] { [self] }
    public var claimShape: String { "scalar" }
}

extension Vector: ClaimValue {
    public var claimEntries: [BigFloat] { elements }
    public var claimShape: String { "vector of \(count)" }
}

extension Matrix: ClaimValue {
    public var claimEntries: [BigFloat] { elements }
    public var claimShape: String { "\(rowCount)×\(columnCount) matrix" }
}

extension Array: ClaimValue where Element == BigFloat {
    public var claimEntries: [BigFloat] { self }
    public var claimShape: String { "list of \(count)" }
}

/// The residual of an equality claim and the entry that shows it.
struct Residual {
    /// max |lᵢ − rᵢ| divided by the scale (or undivided when absolute).
    var value: BigFloat
    var isRelative: Bool
    var worstIndex: Int
    var note: String?

    /// The residual of lhs = rhs: max-norm of the difference over the max-norm of the larger side,
    /// or over `scale` when given; absolute when one side is exactly zero and no scale is given.
    init<T: ClaimValue>(_ lhs: T, _ rhs: T, scale: BigFloat?) {
        let left = lhs.claimEntries, right = rhs.claimEntries
        let precision = (left + right).map(\.precision).max() ?? workingPrecision
        guard left.count == right.count, lhs.claimShape == rhs.claimShape else {
            value = .infinity(precision: precision)
            isRelative = false
            worstIndex = 0
            note = "the two sides have different shapes: \(lhs.claimShape) and \(rhs.claimShape)"
            return
        }
        var largestDifference = BigFloat(0, precision: precision)
        var worst = 0
        var leftSize = BigFloat(0, precision: precision)
        var rightSize = BigFloat(0, precision: precision)
        for index in left.indices {
            let difference = abs(left[index] - right[index])
            if difference > largestDifference || difference.isNaN { largestDifference = difference; worst = index }
            leftSize = max(leftSize, abs(left[index]))
            rightSize = max(rightSize, abs(right[index]))
        }
        worstIndex = worst
        note = nil
        if let scale {
            value = largestDifference / abs(scale)
            isRelative = true
        } else if leftSize.isZero || rightSize.isZero {
            value = largestDifference
            isRelative = false
        } else {
            value = largestDifference / max(leftSize, rightSize)
            isRelative = true
        }
    }
}
