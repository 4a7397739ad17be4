import Foundation
import Verifier

/// The pages as the `verify` command writes and checks them (`--render`, `--check-docs`).
public struct PagePublishing: PagePublisher {
    public init() {}

    public func write(run: RunReport, sources: [ScannedFile], mutations: [MutationFileReport], to folder: String) throws -> [String] {
        var renderer = HTMLRenderer(run: run, sources: sources)
        renderer.mutations = mutations
        return try renderer.write(to: folder)
    }

    public func staleSources(in folder: String) throws -> [String] {
        try DocsChecker.staleSources(in: folder)
    }
}
