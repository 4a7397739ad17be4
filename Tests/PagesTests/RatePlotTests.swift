import DerivationKit
import Foundation
import Testing
@testable import Pages
@testable import Verifier

/// Rate plots from recorded points: err(N) = 3·N⁻² exactly at N = 10, 20, 40, 80, and 2⁻ᴺ at N = 4, 8, 12, 16.
@Suite("Rate plots: the measured points at both rungs, and the stated law beside them")
struct RatePlotTests {
    func claim(kind: ClaimKind, sizes: [Double], log10Errors: [Double], rate: Double, constant: String?, burnIn: Int = 0) -> ClaimResult {
        let records = [576, 1152].map { precision -> ClaimRecord in
            var record = ClaimRecord(id: "r", label: "rate", file: "x.md", line: 7, kind: kind, precision: precision, seconds: 0)
            record.rateSizes = sizes
            record.rateLog10Errors = log10Errors
            record.statedRate = rate
            record.statedConstant = constant
            record.burnIn = burnIn
            return record
        }
        return ClaimResult(id: "r", label: "rate", file: "x.md", line: 7, kind: kind, verdict: .agrees, passed: true,
                           expectsRefutation: false, digits: nil, precisions: [576, 1152], seconds: 0, detail: "", records: records)
    }

    /// The pixel centres of the points of one rung, read back from the SVG.
    func points(_ svg: String, rung: Int) -> [(n: String, error: String, x: Double, y: Double)] {
        svg.components(separatedBy: "<circle class=\"point\" ").dropFirst().compactMap { element in
            func attribute(_ name: String) -> String? {
                element.range(of: "\(name)=\"").flatMap { start in element[start.upperBound...].split(separator: "\"").first.map(String.init) }
            }
            guard attribute("data-rung") == String(rung), let n = attribute("data-n"), let error = attribute("data-log10-error"),
                  let x = attribute("cx").flatMap(Double.init), let y = attribute("cy").flatMap(Double.init) else { return nil }
            return (n, error, x, y)
        }
    }

    @Test("an algebraic rate: log–log points at their values, and the stated line N ↦ 3N⁻² through them")
    func algebraic() throws {
        // log₁₀(3/N²) for N = 10, 20, 40, 80 (by hand: log₁₀ 3 = 0.477121…, log₁₀ N² = 2, 2.60206, 3.20412, 3.80618).
        let sizes = [10.0, 20, 40, 80]
        let errors = [-1.522879, -2.124939, -2.726999, -3.329059]
        let plot = try #require(RatePlot(claim: claim(kind: .algebraicRate, sizes: sizes, log10Errors: errors, rate: 2, constant: "3")))
        let html = plot.html()
        #expect(html.contains("log–log axes") && html.contains("stated order p = 2, C = 3"))
        let first = points(html, rung: 576)
        #expect(first.map(\.n) == ["10", "20", "40", "80"])
        #expect(first.map(\.error) == ["-1.522879", "-2.124939", "-2.726999", "-3.329059"])
        // Equal ratios of N are equal steps on the log axis; the points fall on one line (slope −2 in data units).
        let steps = zip(first, first.dropFirst()).map { ($1.x - $0.x, $1.y - $0.y) }
        for step in steps { #expect(abs(step.0 - steps[0].0) < 0.15 && abs(step.1 - steps[0].1) < 0.15) }
        // The law's line passes through the points (3N⁻² is what they are).
        let line = try #require(html.components(separatedBy: "<line class=\"law\" ").last)
        func value(_ name: String) throws -> Double { try #require(line.range(of: "\(name)=\"").flatMap { Double(line[$0.upperBound...].prefix { $0 != "\"" }) }) }
        let (x1, y1, x2, y2) = (try value("x1"), try value("y1"), try value("x2"), try value("y2"))
        for point in first {
            let across = (x2 - x1) * (point.y - y1) - (y2 - y1) * (point.x - x1)
            #expect(abs(across) / hypot(x2 - x1, y2 - y1) < 0.2, "point N = \(point.n) is off the line")
        }
        #expect(points(html, rung: 1152).isEmpty, "the second rung is drawn with crosses")
        #expect(html.components(separatedBy: "data-rung=\"1152\"").count == 5)
    }

    @Test("an exponential rate: semi-log axes, a burn-in point hollow, the law through the last point")
    func exponential() throws {
        // log₁₀ 2⁻ᴺ = −N·0.30103 for N = 4, 8, 12, 16.
        let plot = try #require(RatePlot(claim: claim(kind: .exponentialRate, sizes: [4, 8, 12, 16],
                                                      log10Errors: [-1.20412, -2.40824, -3.61236, -4.81648], rate: M_LN2, constant: nil, burnIn: 1)))
        let html = plot.html()
        #expect(html.contains("semi-log axes") && html.contains("drawn through the last point") && html.contains("burn-in"))
        let first = points(html, rung: 576)
        #expect(first.count == 4)
        // Equal steps in N are equal steps on the axis.
        #expect(abs((first[1].x - first[0].x) - (first[3].x - first[2].x)) < 0.15)
        #expect(html.contains("fill=\"#fff\" stroke=\"#8c959f\" data-rung=\"576\" data-n=\"4\""))
    }

    @Test("no plot for other claims or without recorded points")
    func none() {
        #expect(RatePlot(claim: claim(kind: .equality, sizes: [1, 2], log10Errors: [0, 0], rate: 1, constant: nil)) == nil)
        #expect(RatePlot(claim: claim(kind: .algebraicRate, sizes: [], log10Errors: [], rate: 1, constant: nil)) == nil)
    }
}
