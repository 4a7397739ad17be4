import MultiPrecision

/// What a claim asserts.
public enum ClaimKind: String, Codable, Sendable, CaseIterable {
    /// Both sides agree to the working precision, and the residual falls when the precision is raised.
    case equality
    /// Both sides agree to a stated number of digits.
    case equalityToDigits = "equality-to-digits"
    /// Two integers are equal (decided exactly).
    case integerEquality = "integer-equality"
    /// A known-false equality: it must be refuted.
    case knownFalse = "known-false"
    /// A certified strict or non-strict inequality between enclosures.
    case inequality
    /// An error that decays like C·N^−p.
    case algebraicRate = "algebraic-rate"
    /// An error that decays like C·exp(−cN).
    case exponentialRate = "exponential-rate"
}

/// One claim as measured in one run of a derivation program at one precision.
///
/// The program writes these as JSON lines; the verifier pairs the records of the two rungs of the
/// precision ladder by ``id`` and decides the verdict.
public struct ClaimRecord: Codable, Sendable, Equatable {
    /// Always "claim" (distinguishes the line from progress events).
    public var type = "claim"
    /// The stable identifier: given by the author, or the label's slug (made unique within the file).
    public var id: String
    /// The short human label.
    public var label: String
    /// The Markdown file of the claim.
    public var file: String
    /// The Markdown line of the claim.
    public var line: Int
    /// What the claim asserts.
    public var kind: ClaimKind
    /// The working precision of this run, in bits.
    public var precision: Int
    /// Seconds spent since the previous claim (or the start of the block).
    public var seconds: Double

    /// Equalities: log₁₀ of the residual (−∞ encoded as nil with ``residualIsZero``).
    public var residualLog10: Double?
    /// Equalities: whether the residual is exactly zero.
    public var residualIsZero: Bool?
    /// Equalities: the residual, 6 significant digits.
    public var residual: String?
    /// Whether the residual is relative (true) or absolute (one side was exactly zero and no scale was given).
    public var residualIsRelative: Bool?
    /// Equalities: the left side to 20 significant digits (for vectors and matrices, the entry of largest difference).
    public var lhs: String?
    /// Equalities: the right side to 20 significant digits.
    public var rhs: String?
    /// Equalities: lhs − rhs to 6 significant digits (same entry).
    public var difference: String?
    /// Stated digits, for ``ClaimKind/equalityToDigits``.
    public var digitsRequested: Int?

    /// Inequalities: the relation, "<" or "≤".
    public var relation: String?
    /// Inequalities and integer equalities: the decision in this run.
    public var certainty: Certainty?
    /// Inequalities: the two enclosures (20 digits).
    public var lhsEnclosure: String?
    /// Inequalities: the right enclosure.
    public var rhsEnclosure: String?
    /// Inequalities: the gap between the enclosures (lower end of rhs − upper end of lhs), 6 digits.
    public var margin: String?

    /// Rates: the order p (algebraic) or rate c (exponential) the claim states, if any.
    public var statedRate: Double?
    /// Rates: the estimate from the last two points.
    public var estimatedRate: Double?
    /// Rates: the estimates from each consecutive pair.
    public var rateEstimates: [Double]?
    /// Rates: the settled constant C (N^p·err(N) at the last point), 10 digits.
    public var constant: String?
    /// Rates: the stated constant, if any.
    public var statedConstant: String?
    /// Rates: the tolerance used.
    public var tolerance: Double?
    /// Rates: whether this run satisfies the claim.
    public var holds: Bool?
    /// A sentence for the reader when something is off (e.g. why a rate does not hold).
    public var note: String?

    /// A record with only the common fields set.
    public init(id: String, label: String, file: String, line: Int, kind: ClaimKind, precision: Int, seconds: Double) {
        self.id = id
        self.label = label
        self.file = file
        self.line = line
        self.kind = kind
        self.precision = precision
        self.seconds = seconds
    }
}

/// A progress event: the program entered the block that starts at `line` of `file`.
public struct BlockEvent: Codable, Sendable, Equatable {
    /// Always "block".
    public var type = "block"
    /// The Markdown file.
    public var file: String
    /// The line of the block's opening fence.
    public var line: Int

    /// An event for the block at `file:line`.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}
