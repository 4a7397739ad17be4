import DerivationKit

/// The verdict on one claim.
public enum Verdict: String, Codable, Sendable {
    /// A certified inequality: the enclosures are disjoint.
    case proved
    /// An equality within the working precision at both rungs, with a residual that fell with the precision
    /// (or to the stated digits); an integer equality that holds; a rate that holds at both rungs.
    case agrees
    /// The claim is false: a stable residual above the tolerance, a certainly-false inequality, a rate that fails.
    case refuted
    /// Not decided: a residual that did not fall with the precision, overlapping enclosures, rungs disagreeing.
    case undecided
    /// The claim could not be judged (its file failed to compile, trapped, or timed out before both rungs reached it).
    case error
    /// Not judged: the claim ran but `--filter` left it out. Never counts as passed.
    case filtered
}

/// The judged claim, as reported.
public struct ClaimResult: Codable, Sendable, Equatable {
    /// The stable ID.
    public var id: String
    /// The human label.
    public var label: String
    /// The Markdown file.
    public var file: String
    /// The Markdown line.
    public var line: Int
    /// What the claim asserts.
    public var kind: ClaimKind
    /// The verdict.
    public var verdict: Verdict
    /// Whether the claim passes: proved, agrees, or an expected refutation.
    public var passed: Bool
    /// Whether the claim was recorded as known-false (an expected refutation).
    public var expectsRefutation: Bool
    /// Agreement digits at the lower rung (equalities), nil otherwise.
    public var digits: Double?
    /// The precisions (bits) of the rungs that recorded the claim.
    public var precisions: [Int]
    /// Seconds the claim's computation took at the lower rung.
    public var seconds: Double
    /// One sentence that explains the verdict.
    public var detail: String
    /// The record of each rung, lowest precision first.
    public var records: [ClaimRecord]
    /// What the claim's block printed before the claim (kept for claims that did not pass).
    public var output: String? = nil
}

/// The label prefix that marks a claim as *bookkeeping*: a check that holds by construction (a quantity compared
/// with the very expression that defines it, a precondition of a test instance). Such a claim still gets a verdict
/// and must pass, but pages and mutation reports list it apart, and it does not count as evidence.
public let bookkeepingLabelPrefix = "bookkeeping:"

extension ClaimResult {
    /// Whether the label marks the claim as bookkeeping (``bookkeepingLabelPrefix``).
    public var isBookkeeping: Bool { label.hasPrefix(bookkeepingLabelPrefix) }
}

/// What one block printed on standard output (first rung).
public struct BlockOutput: Codable, Sendable, Equatable {
    /// The line of the block's opening fence.
    public var line: Int
    /// The text printed while the block ran (cut after 16 KiB).
    public var text: String
}

/// A failure of a whole file: compile error, trap, timeout, or nothing checked.
public struct FileProblem: Codable, Sendable, Equatable {
    /// What kind of failure.
    public enum Kind: String, Codable, Sendable {
        /// The file could not be read or scanned (missing, unreadable, not UTF-8, an unclosed fence…).
        case input
        /// The program did not compile (or declares a name of the claim vocabulary).
        case compile
        /// The program trapped or exited with a failure status.
        case runtime
        /// The program ran past the time limit.
        case timeout
        /// The program exited before its last block finished.
        case incomplete
        /// The record channel holds something the generated program did not write.
        case records
        /// The file makes no claims.
        case noClaims = "no-claims"
    }
    /// What kind of failure.
    public var kind: Kind
    /// The Markdown line it points to, when known (a line of ``file`` when that is given).
    public var line: Int?
    /// The included Swift file the problem is in (`{{#include}}`); nil when it is in the Markdown file.
    public var file: String? = nil
    /// What happened.
    public var message: String

    public init(kind: Kind, line: Int?, file: String? = nil, message: String) {
        self.kind = kind
        self.line = line
        self.file = file
        self.message = message
    }
}

/// The verification of one Markdown file.
public struct FileReport: Codable, Sendable, Equatable {
    /// The file, as named on the command line (or found under a named folder).
    public var file: String
    /// SHA-256 of the file's bytes.
    public var contentHash: String
    /// Whether every claim passed and nothing failed.
    public var passed: Bool
    /// The claims in the order they ran.
    public var claims: [ClaimResult]
    /// File-level failures.
    public var problems: [FileProblem]
    /// The precisions of the ladder's rungs, in bits.
    public var precisions: [Int]
    /// The smallest number of agreement digits over the file's equalities (nil when it has none).
    public var minimumDigits: Double?
    /// Seconds for compiling and running (as measured when the report was made).
    public var seconds: Double
    /// Seconds spent compiling the program (0 when a cached program was reused).
    public var compileSeconds: Double = 0
    /// Seconds each rung of the ladder ran, in rung order.
    public var rungSeconds: [Double] = []
    /// Whether this report came from the cache.
    public var cached: Bool
    /// The number of blocks that ran, were hidden setup, or were shown only.
    public var blockCounts: [String: Int]
    /// What each block that ran printed (first rung), in block order.
    public var output: [BlockOutput] = []

    /// The number of claims that passed.
    public var passedCount: Int { claims.filter(\.passed).count }
}

/// The verification of every file of one run.
public struct RunReport: Codable, Sendable, Equatable {
    /// The version of this JSON schema.
    public var schemaVersion = 3
    /// Whether every file passed.
    public var passed: Bool
    /// The files, in the order they were named.
    public var files: [FileReport]
    /// Totals over all files.
    public var totals: Totals
    /// The library and toolchain behind the run.
    public var versions: [String: String]
    /// Wall-clock seconds of the whole run.
    public var seconds: Double
    /// For a run of one shard (`--shard I/N`): which shard, and every file of the whole run.
    public var shard: ShardInfo? = nil

    /// Totals over the files of a run.
    public struct Totals: Codable, Sendable, Equatable {
        /// Files verified (input failures included).
        public var files: Int
        /// Files that passed.
        public var filesPassed: Int
        /// Claim calls, filtered ones included.
        public var claims: Int
        /// Claims that passed.
        public var claimsPassed: Int
        /// Claims that `--filter` left unjudged.
        public var claimsFiltered: Int
        /// Claims per verdict.
        public var byVerdict: [String: Int]

        /// Claims that were judged and did not pass.
        public var claimsFailed: Int { claims - claimsPassed - claimsFiltered }
    }

    /// A run report over `files`.
    public init(files: [FileReport], versions: [String: String], seconds: Double) {
        self.files = files
        self.versions = versions
        self.seconds = seconds
        passed = files.allSatisfy(\.passed)
        let claims = files.flatMap(\.claims)
        var byVerdict: [String: Int] = [:]
        for claim in claims { byVerdict[claim.verdict.rawValue, default: 0] += 1 }
        totals = Totals(files: files.count, filesPassed: files.filter(\.passed).count, claims: claims.count,
                        claimsPassed: claims.filter(\.passed).count,
                        claimsFiltered: claims.filter { $0.verdict == .filtered }.count, byVerdict: byVerdict)
    }
}
