import Foundation
import Testing
import MultiPrecision

/// The Gauss–Hermite rules against mpmath (Golub–Welsch), from `scripts/generate-ren-liu-oracle.py`.
struct GaussHermiteFixture: Decodable, Sendable {
    struct Rule: Decodable, Sendable, CustomStringConvertible {
        let points: Int
        let nodes: [String]
        let weights: [String]
        var description: String { "\(points) points" }
    }
    let digits: Int
    let rules: [Rule]

    static let cached: Result<GaussHermiteFixture, any Error> = Result {
        guard let url = Bundle.module.url(forResource: "gauss-hermite", withExtension: "json", subdirectory: "Fixtures") else {
            throw FixtureError(description: "Fixtures/gauss-hermite.json is missing from the test bundle")
        }
        return try JSONDecoder().decode(GaussHermiteFixture.self, from: Data(contentsOf: url))
    }
}

@Suite("Gauss–Hermite rules against mpmath")
struct GaussHermiteTests {
    @Test("nodes and weights agree with the eigenvalues of the Jacobi matrix", arguments: try GaussHermiteFixture.cached.get().rules)
    func rule(_ expected: GaussHermiteFixture.Rule) throws {
        let digits = try GaussHermiteFixture.cached.get().digits
        let precision = 256
        let rule = gaussHermiteRule(points: expected.points, precision: precision)
        #expect(rule.nodes.count == expected.points && rule.weights.count == expected.points)
        let tolerance = try BigFloat("1e-\(digits)", precision: precision)
        // Nodes absolutely (a node can be 0), weights relatively (the outer weights are tiny).
        for (value, text) in zip(rule.nodes, expected.nodes) {
            let reference = try BigFloat(text, precision: precision)
            #expect(abs(value - reference) <= tolerance, "\(expected.points) points: node \(value.formatted(digits: 30)) against \(text)")
        }
        for (value, text) in zip(rule.weights, expected.weights) {
            let reference = try BigFloat(text, precision: precision)
            #expect(abs(value - reference) <= tolerance * reference, "\(expected.points) points: weight \(value.formatted(digits: 30)) against \(text)")
        }
        #expect(rule.nodes.allSatisfy(\.isFinite) && rule.weights.allSatisfy { $0.sign > 0 })
    }
}
