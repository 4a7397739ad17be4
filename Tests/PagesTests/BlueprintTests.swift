import Foundation
import Testing
@testable import Pages
@testable import Verifier

/// The blueprint graph of `Fixtures/render/blueprint.md`, whose names, uses and overrides were worked out by
/// hand (the expectations below are read from the fixture, not from the code's output).
@Suite("Blueprint graph: edges from names defined and used, colours from verdicts, failures downstream")
struct BlueprintTests {
    static let path = RenderFixture.root.appendingPathComponent("Tests/PagesTests/Fixtures/render/blueprint.md").path

    func source() throws -> ScannedFile {
        let text = try String(contentsOfFile: Self.path, encoding: .utf8)
        return ScannedFile(displayPath: Self.path, text: text, blocks: try FenceScanner(file: Self.path).blocks(in: text))
    }

    func claim(_ id: String, line: Int, verdict: Verdict, passed: Bool) -> ClaimResult {
        ClaimResult(id: id, label: id, file: Self.path, line: line, kind: .equality, verdict: verdict, passed: passed,
                    expectsRefutation: false, digits: nil, precisions: [576, 1152], seconds: 0, detail: "", records: [])
    }

    /// Block 16 fails (claim on line 18), block 21 passes (line 24), block 29 is undecided (line 32).
    func report() -> FileReport {
        FileReport(file: Self.path, contentHash: "", passed: false,
                   claims: [claim("b", line: 18, verdict: .refuted, passed: false), claim("c", line: 24, verdict: .agrees, passed: true),
                            claim("g", line: 32, verdict: .undecided, passed: false)],
                   problems: [], precisions: [576, 1152], minimumDigits: nil, seconds: 0, cached: false, blockCounts: [:])
    }

    @Test("nodes are the run blocks; each defines its top-level names (tuples, several bindings, types)")
    func nodes() throws {
        let graph = Blueprint(source: try source(), report: report(),
                              sections: [(3, "Definitions", "definitions"), (14, "Uses", "uses"), (27, "Overrides", "overrides")])
        #expect(graph.nodes.map(\.line) == [9, 16, 21, 29, 39])
        #expect(graph.nodes.map(\.defines) == [["a", "helper"], ["b"], ["c", "d", "e", "f"], ["g"], ["total", "Shape"]])
        #expect(graph.nodes.map(\.section) == ["Definitions", "Uses", "Uses", "Overrides", "Overrides"])
    }

    @Test("definitions: type annotations and nested scopes define nothing; members and declared names are not uses")
    func names() {
        let code = SwiftNames("""
        let deltas: [(Int, Int)] = [(1, 10)]
        let (p, q): (Int, Int) = (1, 2)
        var r = f(a, b), s: Double = 1
        for i in 0..<3 { let t = i }
        func g(_ x: Int) -> Int { let inner = x; return inner }
        print(r.count, q.magnitude)
        """)
        #expect(code.defines == ["deltas", "p", "q", "r", "s", "g"])
        #expect(code.uses.isSuperset(of: ["f", "a", "b", "Int", "Double", "print", "x"]))
        #expect(code.uses.isDisjoint(with: ["count", "magnitude", "t", "r", "q"]))
    }

    @Test("edges: definer to later user; `independent of` drops one, `depends on` adds a dashed one; members are not uses")
    func edges() throws {
        let graph = Blueprint(source: try source(), report: report())
        let edges = graph.edges.map { "\($0.from)->\($0.to) \($0.names.sorted().joined(separator: ","))\($0.explicit ? " explicit" : "")" }
        #expect(edges == ["9->16 a,helper", "9->21 a", "9->29 a", "16->21 b", "16->29 b explicit", "21->39 e", "29->39 g"])
        // Drawn: the transitive reduction (9->21 and 9->29 are implied through 16).
        #expect(graph.drawnEdges.map { "\($0.from)->\($0.to)" } == ["9->16", "16->21", "16->29", "21->39", "29->39"])
    }

    @Test("colours: pass, fail, undecided, no claims; everything downstream of the failing block is affected")
    func colours() throws {
        let graph = Blueprint(source: try source(), report: report())
        #expect(graph.nodes.map(\.status) == [.noClaims, .fails, .passes, .undecided, .noClaims])
        #expect(graph.nodes.filter(\.affected).map(\.line) == [21, 29, 39])
        #expect(graph.summary == "5 steps · 7 dependencies · 1 pass · 1 fail · 1 undecided · 2 without claims · 3 affected by a failure")
        let dot = graph.dot()
        #expect(dot.contains(##"b16 [label="line 16\nb\n1 of 1 not passing", fillcolor="#ffebe9", color="#cf222e", href="#block-16""##))
        #expect(dot.contains(##"b21 [label="line 21\nc, d, e, …\n1 claim ✓", fillcolor="#dafbe1""##))
        #expect(dot.contains(##"fillcolor="#fff8c5""##) && dot.contains(##"fillcolor="#f6f8fa""##))
        #expect(dot.contains(##"b16 -> b29 [tooltip="b", style=dashed, color="#cf222e""##))
        #expect(dot.contains(##"b29 [label="line 29\ng\n1 of 1 not passing", fillcolor="#fff8c5", color="#9a6700", href="#block-29", target="_top", tooltip="Block at line 29; defines g; 0 of 1 claims pass; depends on a failing step", id="bp-29", class="undecided affected", style="rounded,filled,dashed""##))
    }

    @Test("laid out by Graphviz: an inline SVG whose nodes link to their blocks",
          .enabled(if: Graphviz.executable != nil, "needs Graphviz (apt-get install -y graphviz)"))
    func svg() throws {
        let svg = try #require(try Blueprint(source: try source(), report: report()).svg())
        #expect(svg.hasPrefix("<svg class=\"blueprint-graph\""))
        for line in [9, 16, 21, 29, 39] { #expect(svg.contains("xlink:href=\"#block-\(line)\"")) }
        #expect(!svg.contains("<?xml") && !svg.contains("<!--"))
    }

    @Test("missed mutants (from `verify --mutate`) are counted on their blocks' nodes")
    func missedMutants() throws {
        // Lines 11 (block 9) and 32 (block 29) hold missed mutants.
        let graph = Blueprint(source: try source(), report: report(), missedMutantLines: [11, 32])
        #expect(graph.nodes.map(\.missedMutants) == [1, 0, 0, 1, 0])
        #expect(graph.summary.hasSuffix("3 affected by a failure · 2 missed mutants"))
        let dot = graph.dot()
        #expect(dot.contains(##"b9 [label="line 9\na, helper\nno claims\n⚠ 1 missed mutant""##))
        #expect(dot.components(separatedBy: "peripheries=2").count == 3)
    }

    @Test("`dot` is looked up on the search path; when it is missing, --render's note says what to install")
    func locateDot() throws {
        #expect(Graphviz.locate(searchPath: "/nonexistent:/also-not-there") == nil)
        #expect(Graphviz.missingNote.contains("apt-get install -y graphviz") && Graphviz.missingNote.contains("shown as lists"))
        if let dot = Graphviz.executable {
            let folder = URL(fileURLWithPath: dot).deletingLastPathComponent().path
            #expect(Graphviz.locate(searchPath: "/nonexistent:\(folder)") == dot)
        }
    }

    @Test("without Graphviz the graph is a list with the same links")
    func list() throws {
        let html = Blueprint(source: try source(), report: report()).listHTML()
        #expect(html.contains(##"<li class="fails"><a href="#block-16">line 16</a> — 0 of 1 claims pass; uses <a href="#block-9">line 9</a></li>"##))
        #expect(html.contains(##"<li class="noClaims affected">"##) == false && html.contains(##"<li class="no-claims affected"><a href="#block-39">"##))
    }
}
