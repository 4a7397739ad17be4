import Foundation
import MultiPrecision
import Testing
@testable import Verifier

/// One value of `Fixtures/oracle/ren-liu.json`, computed by `scripts/generate-ren-liu-oracle.py` (mpmath).
struct RenLiuOracleValue: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let value: String
    /// Significant digits compared, when fewer than the fixture's default (a value the derivation computes at 64 bits).
    let digits: Int?
    var description: String { name }
}

struct RenLiuOracle: Decodable, Sendable {
    let digits: Int
    let values: [RenLiuOracleValue]

    static let cached: Result<RenLiuOracle, any Error> = Result {
        let url = Paths.fixtures.appendingPathComponent("oracle/ren-liu.json")
        return try JSONDecoder().decode(RenLiuOracle.self, from: Data(contentsOf: url))
    }

    static func load() throws -> RenLiuOracle { try cached.get() }

    /// The derivation that prints a value named `bound.…` or `softmax.…`.
    static func derivation(of name: String) -> String {
        name.hasPrefix("bound.") ? "generalization-bound.md" : "softmax-attention-kernel-dual.md"
    }

    /// Both derivations, run once at the working precision; what they print is kept per block.
    static let run: Result<RunReport, any Error> = Result {
        var options = VerificationOptions()
        options.ladder = false
        let verifier = Verifier(toolchain: try Toolchain.locate(), options: options)
        let paths = ["generalization-bound.md", "softmax-attention-kernel-dual.md"].map {
            Paths.packageRoot.appendingPathComponent("derivations/\($0)").path
        }
        let (scanned, errors) = Verifier.scanAll(paths)
        guard errors.isEmpty else { throw FixtureFailure(description: "\(errors)") }
        return verifier.verify(scanned)
    }

    /// The value a derivation printed on a line `oracle NAME VALUE`, or nil.
    static func printed(_ name: String) throws -> String? {
        let report = try run.get()
        let file = try #require(report.files.first { $0.file.hasSuffix(derivation(of: name)) })
        for block in file.output {
            for line in block.text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count == 3, fields[0] == "oracle", fields[1] == name { return String(fields[2]) }
            }
        }
        return nil
    }
}

struct FixtureFailure: Error, CustomStringConvertible {
    var description: String
}

@Suite("Ren & Liu derivations against the mpmath oracle")
struct RenLiuOracleTests {
    @Test("the oracle covers at least three quantities of each derivation")
    func coverage() throws {
        let names = try RenLiuOracle.load().values.map(\.name)
        #expect(names.filter { $0.hasPrefix("bound.") }.count >= 3)
        #expect(names.filter { $0.hasPrefix("softmax.") }.count >= 3)
    }

    @Test("each derivation prints the quantity and it agrees with mpmath", arguments: try RenLiuOracle.load().values)
    func agrees(_ expected: RenLiuOracleValue) throws {
        let digits = try expected.digits ?? RenLiuOracle.load().digits
        let text = try #require(try RenLiuOracle.printed(expected.name), "\(RenLiuOracle.derivation(of: expected.name)) does not print \(expected.name)")
        let precision = 512
        let value = try BigFloat(text, precision: precision)
        let reference = try BigFloat(expected.value, precision: precision)
        let relative = abs(value - reference) / abs(reference)
        let tolerance = try BigFloat("1e-\(digits)", precision: precision)
        #expect(relative <= tolerance, "\(expected.name): derivation \(text), mpmath \(expected.value)")
    }
}
