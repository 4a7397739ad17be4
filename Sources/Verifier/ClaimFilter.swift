import Foundation

/// `--filter PATTERN`: which claims are judged. The file still runs whole (its blocks are one program); the
/// claims that do not match are reported with the verdict `filtered`, never as passed.
///
/// A pattern with `*`, `?` or `[` is a shell glob matched against the whole ID or the whole label; any other pattern
/// matches an ID or label that contains it. Both ignore case.
public struct ClaimFilter: Sendable, Equatable, Codable {
    /// The pattern as given.
    public var pattern: String

    public init(_ pattern: String) { self.pattern = pattern }

    /// Whether the pattern is a glob rather than a substring.
    var isGlob: Bool { pattern.contains { "*?[".contains($0) } }

    /// Whether a claim with this ID or label is judged.
    public func matches(id: String, label: String) -> Bool {
        let pattern = self.pattern.lowercased()
        return [id.lowercased(), label.lowercased()].contains { (text: String) -> Bool in
            isGlob ? fnmatch(pattern, text, 0) == 0 : text.contains(pattern)
        }
    }

    /// `report` with the claims that do not match marked `filtered` (their measurements dropped), and passed and the
    /// minimum digits recomputed over the claims still judged.
    public func apply(to report: FileReport) -> FileReport {
        var report = report
        for index in report.claims.indices where !matches(id: report.claims[index].id, label: report.claims[index].label) {
            var claim = report.claims[index]
            claim.verdict = .filtered
            claim.passed = false
            claim.digits = nil
            claim.records = []
            claim.output = nil
            claim.detail = "not judged: --filter \(pattern) matches neither its ID nor its label"
            report.claims[index] = claim
        }
        let judged = report.claims.filter { $0.verdict != .filtered }
        report.passed = report.problems.isEmpty && judged.allSatisfy(\.passed)
        report.minimumDigits = judged.filter { $0.kind == .equality && $0.passed }.compactMap(\.digits).min()
        return report
    }
}
