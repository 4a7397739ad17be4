import Foundation
import Verifier

/// The pages as the `verify` command writes and checks them (`--render`, `--check-docs`).
public struct PagePublishing: PagePublisher {
    public init() {}

    public func write(run: RunReport, sources: [ScannedFile], to folder: String) throws -> [String] {
        try HTMLRenderer(run: run, sources: sources).write(to: folder)
    }

    public func staleSources(in folder: String) throws -> [String] {
        try DocsChecker.staleSources(in: folder)
    }
}
