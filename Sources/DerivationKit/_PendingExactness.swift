import MultiPrecision
extension BigFloat { var lowestRoundingPrecision: Int? { nil } }
