import Foundation

/// `--shard I/N`: one of N deterministic, balanced parts of the files, so that N CI runners cover every file once.
public struct Shard: Sendable, Equatable, Codable, CustomStringConvertible {
    /// This shard, 1…count.
    public var index: Int
    /// How many shards there are.
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 1 ≤ I ≤ N ≤ 1000; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, count <= 1000,
              index >= 1, index <= count else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// The files of this shard, in their original order.
    ///
    /// Longest first, each file goes to the shard with the least total time so far (the lowest-numbered on a tie);
    /// a file's time is its last run's from `timings`, or the mean of the known times when it has none (1 s when
    /// none is known). The same files and timings give every runner the same partition: runners that share no cache
    /// all see no timings and agree; `verify merge` refuses shards whose file lists differ or overlap.
    public func files(of paths: [String], timings: (String) -> Double?) -> [String] {
        let known = paths.compactMap(timings)
        let fallback = known.isEmpty ? 1 : known.reduce(0, +) / Double(known.count)
        let weighted = paths.enumerated().map { (position: $0.offset, weight: timings($0.element) ?? fallback) }
        let order = weighted.sorted { a, b in a.weight != b.weight ? a.weight > b.weight : a.position < b.position }
        var loads = [Double](repeating: 0, count: count)
        var mine: [Int] = []
        for item in order {
            let target = loads.indices.min { loads[$0] != loads[$1] ? loads[$0] < loads[$1] : $0 < $1 }!
            loads[target] += item.weight
            if target == index - 1 { mine.append(item.position) }
        }
        return mine.sorted().map { paths[$0] }
    }
}

/// What a shard's JSON report says about the run it is part of.
public struct ShardInfo: Codable, Sendable, Equatable {
    /// This shard, 1…count.
    public var index: Int
    /// How many shards there are.
    public var count: Int
    /// Every file of the whole run, in the order an unsharded run reports them.
    public var files: [String]
}

/// `verify merge`: one run report from the JSON reports of every shard.
public enum ShardMerge {
    /// Why shard reports cannot be merged.
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// The run an unsharded run would report: the same files in the same order (each from the shard that verified
    /// it), totals over all of them, the slowest shard's wall-clock time. Throws when a report is not a shard of the
    /// same run, a shard is missing or given twice, or a file is missing or verified twice.
    public static func merge(_ shards: [(path: String, report: RunReport)]) throws -> RunReport {
        guard let first = shards.first else { throw Error(description: "name the JSON reports of the shards to merge") }
        for (path, report) in shards where report.shard == nil {
            throw Error(description: "\(path) is not a shard report: write each shard's report with `verify --shard I/N --json`")
        }
        let info = first.report.shard!
        for (path, report) in shards where report.shard!.count != info.count || report.shard!.files != info.files {
            throw Error(description: "\(path) is a shard of another run than \(first.path) (other files or another shard count): run every shard on the same paths with the same N")
        }
        let indices = shards.map { $0.report.shard!.index }
        let missing = Set(1...info.count).subtracting(indices).sorted()
        guard missing.isEmpty else { throw Error(description: "shard \(missing.map { "\($0)/\(info.count)" }.joined(separator: ", ")) missing: merge the reports of all \(info.count) shards") }
        let repeated = Dictionary(grouping: shards, by: { $0.report.shard!.index }).filter { $0.value.count > 1 }
        if let (index, copies) = repeated.first {
            throw Error(description: "shard \(index)/\(info.count) given twice (\(copies.map(\.path).joined(separator: ", ")))")
        }
        var byFile: [String: FileReport] = [:]
        var extra: [FileReport] = []
        for (path, report) in shards.sorted(by: { $0.report.shard!.index < $1.report.shard!.index }) {
            for file in report.files {
                if !info.files.contains(file.file) { extra.append(file); continue }
                if byFile[file.file] != nil {
                    throw Error(description: "\(file.file) was verified by two shards (\(path) among them): the shards saw different timings; give every runner the same verify cache, or none")
                }
                byFile[file.file] = file
            }
        }
        let absent = info.files.filter { byFile[$0] == nil }
        guard absent.isEmpty else {
            throw Error(description: "no shard verified \(absent.joined(separator: ", ")): the shards saw different timings; give every runner the same verify cache, or none")
        }
        let reports = info.files.map { byFile[$0]! }
        let isInput = { (file: FileReport) in file.problems.contains { $0.kind == .input } }
        let ordered = reports.filter { !isInput($0) } + extra + reports.filter(isInput)
        // An empty shard (more shards than files) has no versions to tell.
        let versions = shards.map(\.report.versions).first { !$0.isEmpty } ?? [:]
        var merged = RunReport(files: ordered, versions: versions,
                               seconds: shards.map(\.report.seconds).max() ?? 0)
        merged.shard = nil
        return merged
    }
}
