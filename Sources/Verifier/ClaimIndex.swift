import DerivationKit
import Foundation

/// What the last run saw of each file: its claims (ID, label, line, verdict) and how long it took. `--list` shows the
/// claim IDs from it (to pick a `--filter`), and `--shard` balances shards by its timings.
///
/// One small JSON file per Markdown file (keyed by its absolute path) under the cache folder's `claims/`.
public struct ClaimIndex: Sendable {
    /// The folder holding the entries.
    public var directory: URL

    public init(directory: URL) { self.directory = directory.appendingPathComponent("claims") }

    /// One file's entry.
    public struct Entry: Codable, Sendable, Equatable {
        /// One claim as last seen.
        public struct Claim: Codable, Sendable, Equatable {
            public var id: String
            public var label: String
            public var line: Int
            public var verdict: Verdict
        }
        /// SHA-256 of the file's bytes when it was seen.
        public var contentHash: String
        /// Its claims, in the order they ran.
        public var claims: [Claim]
        /// Seconds compiling and running it took (of the run that made its report, when served from the cache).
        public var seconds: Double
    }

    func url(for path: String) -> URL {
        let absolute = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        return directory.appendingPathComponent(SHA256.hex(of: absolute) + ".json")
    }

    /// Remembers what a (whole, unfiltered) report saw; reports of files that failed before any claim are not kept.
    /// With `keepingTimings`, a file already seen keeps its time (the shards of one run must all see the same times).
    public func record(_ report: FileReport, path: String, keepingTimings: Bool = false) {
        guard !report.claims.isEmpty || report.problems.isEmpty else { return }
        let known = keepingTimings ? entry(for: path)?.seconds : nil
        let entry = Entry(contentHash: report.contentHash,
                          claims: report.claims.map { Entry.Claim(id: $0.id, label: $0.label, line: $0.line, verdict: $0.verdict) },
                          seconds: known ?? report.seconds)
        guard let data = try? RecordCoding.encoder().encode(entry) else { return }
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? data.write(to: url(for: path), options: .atomic)
    }

    /// The entry of `path`, if a run saw it.
    public func entry(for path: String) -> Entry? {
        guard let data = FileManager.default.contents(atPath: url(for: path).path) else { return nil }
        return try? RecordCoding.decoder().decode(Entry.self, from: data)
    }
}
