/// What the verifier reports while it works, in the order it happens for each file: the terminal's progress line,
/// the results streamed as files finish, and `--watch` all read these events.
///
/// Files run in parallel, so events of different files interleave; the events of one file always come as
/// `fileStarted`, then each `rungFinished` and `claimJudged`, then `fileFinished`.
public enum VerificationEvent: Sendable {
    /// A file began (it may still be served from the cache).
    case fileStarted(file: String)
    /// One rung of a file's ladder finished running, at `precision` bits, in `seconds`.
    case rungFinished(file: String, precision: Int, seconds: Double)
    /// A claim received its verdict.
    case claimJudged(ClaimResult)
    /// A file is done; its report is final (`nil` for runs that make no verification report, such as mutation).
    case fileFinished(file: String, report: FileReport?)

    /// The file the event is about.
    public var file: String {
        switch self {
        case .fileStarted(let file), .rungFinished(let file, _, _), .fileFinished(let file, _): file
        case .claimJudged(let claim): claim.file
        }
    }
}

/// Hears the verifier's events (called from the worker threads).
public typealias VerificationEvents = @Sendable (VerificationEvent) -> Void
