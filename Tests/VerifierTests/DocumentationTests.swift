import Foundation
import Testing
@testable import Verifier

@Suite("API reference of MultiPrecision and DerivationKit (DocC)")
struct DocumentationTests {
    @Test("every public symbol declared in the sources has a doc comment", arguments: ["MultiPrecision", "DerivationKit"])
    func everySymbolDocumented(module: String) throws {
        let extractor = try #require(findOnPath("swift-symbolgraph-extract"))
        let folder = try temporaryFolder()
        let modules = try Toolchain.locate().binDirectory.appendingPathComponent("Modules").path
        let target = try runProcess(try #require(findOnPath("swiftc")), ["-print-target-info"]).output
        let triple = try #require(target.split(separator: "\"").drop { $0 != "triple" }.dropFirst(2).first)
        let outcome = try runProcess(extractor, ["-module-name", module, "-I", modules, "-I", Paths.packageRoot.appendingPathComponent("Sources/CMPFR").path,
                                                 "-target", String(triple), "-minimum-access-level", "public", "-output-dir", folder.path])
        #expect(outcome.succeeded, "\(outcome.errors)")
        let data = try Data(contentsOf: folder.appendingPathComponent("\(module).symbols.json"))
        let graph = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let symbols = try #require(graph["symbols"] as? [[String: Any]])
        #expect(symbols.count > 50)
        // Symbols with a source location are declared in this package; the others are synthesized (Hashable's
        // members of a raw-value enum, a task-local's projected value).
        let undocumented = symbols.filter { $0["location"] != nil && $0["docComment"] == nil }.compactMap {
            ($0["pathComponents"] as? [String])?.joined(separator: ".")
        }
        #expect(undocumented.isEmpty, "public symbols without /// docs: \(undocumented)")
    }

    @Test("the DocC catalogs build with the toolchain's docc and no warning")
    func catalogsBuild() throws {
        let output = try temporaryFolder()
        let outcome = try runProcess("/bin/bash", [Paths.packageRoot.appendingPathComponent("scripts/build-docs.sh").path, output.path], timeout: 600)
        #expect(outcome.succeeded, "\(outcome.output) \(outcome.errors)")
        for module in ["MultiPrecision", "DerivationKit"] {
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("\(module).doccarchive/data/documentation").path))
        }
        #expect(FileManager.default.fileExists(
            atPath: output.appendingPathComponent("DerivationKit.doccarchive/data/documentation/derivationkit/writingaderivation.json").path))
    }
}
