import Foundation

/// `verify --watch`: verifies the named Markdown files, then again each one whose text, or the text of a file it
/// includes, changes on disk, printing its result as soon as it is known.
///
/// Files are polled (size and modification time) every ``pollInterval`` seconds; an unchanged file is never rerun,
/// and a changed one is verified through the cache like any run (so reverting an edit is instant). A file that does
/// not scan while it is being edited (an unclosed fence) is reported and watched on.
public struct Watcher: Sendable {
    /// The request: its paths, options and reports (`--json` is not watched).
    public var request: VerifyRequest
    /// Seconds between two looks at the files.
    public var pollInterval: Double = 0.1

    public init(request: VerifyRequest) { self.request = request }

    /// What identifies a version of a file on disk: its size and modification time (nil when it is missing).
    static func stamp(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "\(size):\(date)"
    }

    /// Watches until `stop` returns true (checked after every look), writing each result on `console`.
    /// Returns the status of the last results (0 when every watched file last passed).
    public func run(console: Console, stop: @escaping @Sendable () -> Bool = { false }) throws -> VerifyExitStatus {
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: request.options)
        var stamps: [String: [String: String?]] = [:]  // Markdown file → (it and its includes → stamp)
        var passed: [String: Bool] = [:]
        var announced = false
        while !stop() {
            let (paths, pathErrors) = Verifier.findFiles(request.paths)
            if !announced {
                for error in pathErrors { console.writeError("verify: \(error)\n") }
                console.write("watching \(paths.count) file\(paths.count == 1 ? "" : "s") (Ctrl-C to stop)\n")
                announced = true
            }
            for path in paths {
                let watched = stamps[path].map { Array($0.keys) } ?? [path]
                let now = Dictionary(uniqueKeysWithValues: watched.map { ($0, Self.stamp($0)) })
                if let before = stamps[path], before == now { continue }
                do {
                    let file = try Verifier.scan(path)
                    let files = [path] + file.includedFiles.map(\.displayPath)
                    stamps[path] = Dictionary(uniqueKeysWithValues: files.map { ($0, Self.stamp($0)) })
                    let reporter = HumanReporter(sources: [file], colour: console.colour)
                    let live = LiveReport(console: console, reporter: reporter, total: 1, streamsResults: true)
                    let report = verifier.verify(file) { live.handle($0) }
                    passed[path] = report.passed
                } catch {
                    stamps[path] = now
                    passed[path] = false
                    console.write("FAIL \(error)\n")
                }
            }
            Thread.sleep(forTimeInterval: pollInterval)
        }
        return passed.values.allSatisfy { $0 } ? .passed : .failed
    }
}
