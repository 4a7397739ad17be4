import Foundation

/// Writes one HTML page per derivation and an index (filled in by the rendering work).
public struct HTMLRenderer {
    public var run: RunReport
    public var sources: [ScannedFile]
    public init(run: RunReport, sources: [ScannedFile]) {
        self.run = run
        self.sources = sources
    }
    public func write(to folder: String) throws {
        throw ToolchainError("rendering is not available yet")
    }
}

/// Compares rendered pages with their sources.
public enum DocsChecker {
    public static func staleSources(in folder: String) throws -> [String] {
        throw ToolchainError("the docs check is not available yet")
    }
}
