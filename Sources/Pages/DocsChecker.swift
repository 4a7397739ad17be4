import Foundation
import Verifier

/// Compares rendered pages with their sources, so that CI can keep a committed `docs/` folder honest.
///
/// Each page of `verify --render` records its source (relative to the repository root) and the source's
/// SHA-256 in `<meta>` elements. A folder is stale when:
/// - a page's source changed since the page was rendered (the hashes differ), or no longer exists;
/// - two pages record the same source (one is left over);
/// - a Markdown file sits next to a rendered source (in the same folder) but has no page;
/// - `index.html` or the KaTeX copy (`katex/katex.min.js`) is missing, or the folder holds no page at all.
///
/// Sources are found from the repository root above the docs folder (the nearest folder with
/// `Package.swift` or `.git`), else from the current folder.
public enum DocsChecker {
    /// One line per stale page or missing file, naming the source and the command that fixes it; empty when
    /// the folder is up to date. Throws when the folder cannot be read.
    public static func staleSources(in folder: String) throws -> [String] {
        let url = URL(fileURLWithPath: folder)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw RenderError("\(folder): no such folder (render it first with `swift run verify derivations/ --render \(folder)`)")
        }
        let shown = folder.hasSuffix("/") && folder.count > 1 ? String(folder.dropLast()) : folder
        let pages = try PageSummary.all(in: url)
        guard !pages.isEmpty else {
            return ["\(shown) holds no rendered pages: run `swift run verify derivations/ --render \(shown)/`"]
        }
        let absolute = url.standardizedFileURL
        let root = RepositoryPath.root(above: absolute) ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func resolve(_ source: String) -> URL {
            source.hasPrefix("/") ? URL(fileURLWithPath: source) : root.appendingPathComponent(source)
        }
        var stale: [String] = []
        var sourceFolders: Set<String> = []
        for page in pages {
            let sourceURL = resolve(page.source)
            sourceFolders.insert(sourceURL.deletingLastPathComponent().standardizedFileURL.path)
            guard let data = FileManager.default.contents(atPath: sourceURL.path) else {
                stale.append("\(shown)/\(page.fileName): its source \(page.source) no longer exists: delete the page, then run `swift run verify --check-docs \(shown)/` again")
                continue
            }
            let hash = SHA256.hex(of: Array(data))
            if hash != page.sourceHash {
                stale.append("\(shown)/\(page.fileName): \(page.source) changed since the page was rendered (SHA-256 \(page.sourceHash.prefix(12))… recorded, \(hash.prefix(12))… now): run `swift run verify \(page.source) --render \(shown)/`")
            }
        }
        // Two pages of one source: one of them is left over (a renamed page).
        for (source, group) in Dictionary(grouping: pages, by: \.source) where group.count > 1 {
            let names = group.map { "\(shown)/\($0.fileName)" }.joined(separator: ", ")
            stale.append("\(names) all record the source \(source): delete the ones left over, then run `swift run verify \(source) --render \(shown)/`")
        }
        // Derivations next to rendered ones that have no page.
        let rendered = Set(pages.map { resolve($0.source).standardizedFileURL.path })
        for sourceFolder in sourceFolders.sorted() {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: sourceFolder)) ?? []
            for name in names.sorted() where name.hasSuffix(".md") {
                let path = URL(fileURLWithPath: sourceFolder).appendingPathComponent(name).standardizedFileURL.path
                guard !rendered.contains(path) else { continue }
                let relative = RepositoryPath.relative(path)
                stale.append("\(relative) has no page in \(shown)/: run `swift run verify \(relative) --render \(shown)/`")
            }
        }
        if !FileManager.default.fileExists(atPath: url.appendingPathComponent("index.html").path) {
            stale.append("\(shown)/index.html is missing: run `swift run verify derivations/ --render \(shown)/`")
        }
        if !FileManager.default.fileExists(atPath: url.appendingPathComponent("katex/katex.min.js").path) {
            stale.append("\(shown)/katex/ is missing (the pages cannot typeset mathematics): install libjs-katex and run `swift run verify derivations/ --render \(shown)/`")
        }
        return stale
    }
}
