import Foundation
import Testing
@testable import Verifier

/// The exact-rational oracle of the two Akyürek derivations, written by `scripts/generate-akyurek-oracle.py`
/// (Python `fractions`, an independent implementation of the primitives and chains) as `Fixtures/akyurek-oracle.json`.
struct AkyurekOracle: Decodable {
    struct Entry: Decodable, CustomStringConvertible {
        let file: String
        let id: String
        let what: String
        /// The exact value, "numerator/denominator".
        let value: String
        /// The value correctly rounded to `digits` significant digits, in the notation of a record's `lhs`.
        let expected: String
        var description: String { "\(id): \(what)" }
    }
    let digits: Int
    let entries: [Entry]

    static func load() throws -> AkyurekOracle {
        let url = Paths.fixtures.appendingPathComponent("akyurek-oracle.json")
        return try JSONDecoder().decode(AkyurekOracle.self, from: Data(contentsOf: url))
    }
}

@Suite("The Akyürek derivations against the exact-rational oracle")
struct AkyurekOracleTests {
    @Test("both chains (d = 3, w ≠ 0, λ ≠ 0) and the stacked ridge blocks compute the oracle's values",
          arguments: ["derivations/one-step-gd-construction.md", "derivations/sherman-morrison-construction.md"])
    func chainValues(_ file: String) throws {
        let oracle = try AkyurekOracle.load()
        let entries = oracle.entries.filter { $0.file == file }
        #expect(entries.count >= 3)
        var options = VerificationOptions()
        options.useCache = false
        options.ladder = false
        options.timeout = 600
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: options)
        let report = verifier.verify(try Verifier.scan(Paths.packageRoot.appendingPathComponent(file).path))
        for entry in entries {
            let claim = try #require(report.claims.first { $0.id == entry.id }, "\(file) has no claim \(entry.id)")
            // The claim compares the derivation's own chain value (left) with the exact rational (right).
            #expect(claim.passed, "\(entry): \(claim.verdict) \(claim.detail)")
            #expect(claim.records.first?.lhs == entry.expected, "\(entry): the chain gives \(claim.records.first?.lhs ?? "?")")
            #expect(claim.records.first?.rhs == entry.expected, "\(entry): the stated value is \(claim.records.first?.rhs ?? "?")")
        }
    }
}
