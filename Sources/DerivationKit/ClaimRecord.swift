import Foundation
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
/// The program writes these as JSON lines on the verifier's record channel; the verifier pairs the
/// records of the rungs of the precision ladder by ``ordinal`` (checking that the call site and kind agree)
/// and decides the verdict.
public struct ClaimRecord: Codable, Sendable, Equatable {
    /// Always "claim" (distinguishes the line from progress events).
    public var type = "claim"
    /// The position of this claim call among all claim calls of the run, from 1.
    public var ordinal: Int = 0
    /// The identifier the author gave with `id:`, if any (the verifier makes the reported IDs unique).
    public var id: String?
    /// The short human label.
    public var label: String
    /// The Markdown file of the claim.
    public var file: String
    /// The Markdown line of the claim.
    public var line: Int
    /// The column of the claim call on its line (tells apart two claims written on one line).
    public var column: Int = 0
    /// The byte offset of the program's standard output when the claim was made (to show the output printed before it).
    public var outputOffset: Int?
    /// Why the claim cannot be judged as written (a NaN side, an invalid scale, an operand below the
    /// working precision, an invalid enclosure…): a claim with a problem is an error, never a pass.
    public var problem: String?
    /// Equalities: the two sides have different shapes (both are named in ``note``).
    public var shapeMismatch: Bool?
    /// Equalities: where the residual is largest ("entry 3", "row 2, column 1"), for vectors and matrices.
    public var worstEntry: String?
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
    /// Known-false claims with a margin: the stated margin, 6 digits rounded up.
    public var refutationMargin: String?
    /// Known-false claims with a margin: max |lhsᵢ − rhsᵢ|, each difference rounded toward zero, 6 digits rounded down.
    public var largestDifference: String?
    /// Known-false claims with a margin: whether the largest difference exceeds the margin in this run.
    public var exceedsMargin: Bool?

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
    /// Rates: the sizes N, in order (as Doubles, for plots).
    public var rateSizes: [Double]?
    /// Rates: log₁₀ of each error, in the order of the sizes (for plots; errors below Double's range stay finite).
    public var rateLog10Errors: [Double]?
    /// Rates: the settled constant C (N^p·err(N) at the last point), 10 digits.
    public var constant: String?
    /// Rates: the stated constant, if any.
    public var statedConstant: String?
    /// Rates: the tolerance used.
    public var tolerance: Double?
    /// Rates: how many leading sizes are a burn-in, excluded from the check.
    public var burnIn: Int?
    /// Rates: whether this run satisfies the claim.
    public var holds: Bool?
    /// A sentence for the reader when something is off (e.g. why a rate does not hold).
    public var note: String?

    /// A record with only the common fields set.
    public init(id: String?, label: String, file: String, line: Int, column: Int = 0, kind: ClaimKind, precision: Int,
                seconds: Double) {
        self.id = id
        self.label = label
        self.file = file
        self.line = line
        self.column = column
        self.kind = kind
        self.precision = precision
        self.seconds = seconds
    }
}

/// A structural event of the generated program: it entered a block, or it finished the last one.
///
/// Only the generated `main` writes these, sealed with a digest of the program's blocks that code inside
/// a block cannot know; the verifier checks that every block was entered once, in order, and that the
/// end came after the last block.
public struct ProgramEvent: Codable, Sendable, Equatable {
    /// What happened.
    public enum Kind: String, Codable, Sendable {
        /// The program entered a block.
        case block
        /// The program finished its last block.
        case end
    }
    /// "block" or "end".
    public var type: Kind
    /// The block's position among the runnable blocks, from 0 (for the end: the number of blocks).
    public var index: Int
    /// The line of the block's opening fence (for the end: 0).
    public var line: Int
    /// The seal the generated program passed.
    public var seal: String
    /// The byte offset of the program's standard output at this point.
    public var outputOffset: Int?

    /// An event of the given kind for block `index` (the block count for the end) at Markdown `line`.
    public init(type: Kind, index: Int, line: Int, seal: String, outputOffset: Int?) {
        self.type = type
        self.index = index
        self.line = line
        self.seal = seal
        self.outputOffset = outputOffset
    }
}

/// The JSON coding of records: sorted keys, and non-finite numbers as the strings "+inf", "-inf" and
/// "nan", so that no record can fail to encode.
public enum RecordCoding {
    /// An encoder for records and reports.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder matching ``encoder(pretty:)``.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}
