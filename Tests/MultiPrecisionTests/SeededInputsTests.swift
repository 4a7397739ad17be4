import Testing
import MultiPrecision

@Suite("Seeded inputs")
struct SeededInputsTests {
    @Test("first values match the Python derivation from SplitMix64, at 64, 512 and 2048 bits",
          arguments: try OracleFixtures.load().seededInputs)
    func knownValues(_ testCase: SeededCase) throws {
        let seed = try #require(UInt64(testCase.seed))
        var bits = SeededInputs(seed: seed, precision: 64)
        #expect((0..<testCase.bits.count).map { _ in String(bits.nextBits()) } == testCase.bits)
        for precision in [64, 512, 2048] {
            var inputs = SeededInputs(seed: seed, precision: precision)
            let uniform = (0..<testCase.uniform.count).map { _ in inputs.uniform() }
            let unit = (0..<testCase.unitUniform.count).map { _ in inputs.unitUniform() }
            let gaussian = (0..<testCase.gaussian.count).map { _ in inputs.gaussian() }
            #expect(uniform.map(\.exactDecimal) == testCase.uniform, "\(precision) bits")
            #expect(unit.map(\.exactDecimal) == testCase.unitUniform, "\(precision) bits")
            #expect(gaussian.map(\.exactDecimal) == testCase.gaussian, "\(precision) bits")
            #expect((uniform + unit + gaussian).allSatisfy { $0.precision == precision })
        }
    }

    @Test("values are identical at every precision for the same seed")
    func precisionIndependent() {
        func draw(_ precision: Int) -> (Vector, Vector, Matrix, Matrix, [Int]) {
            var inputs = SeededInputs(seed: 2024, precision: precision)
            return (inputs.vector(50), inputs.uniformVector(50), inputs.matrix(5, 7), inputs.uniformMatrix(3, 3),
                    (0..<20).map { _ in inputs.int(in: -5...5) })
        }
        let a = draw(64), b = draw(512), c = draw(2048)
        #expect(a.0 == b.0 && b.0 == c.0)
        #expect(a.1 == b.1 && b.1 == c.1)
        #expect(a.2 == b.2 && b.2 == c.2)
        #expect(a.3 == b.3 && b.3 == c.3)
        #expect(a.4 == b.4 && b.4 == c.4)
        #expect(a.0.elements.map(\.exactDecimal) == c.0.elements.map(\.exactDecimal))
        #expect(c.2.precision == 2048 && a.2.rowCount == 5 && a.2.columnCount == 7)
        var other = SeededInputs(seed: 2025, precision: 64)
        #expect(other.vector(50) != a.0)
    }

    @Test("ranges: uniform in [−1, 1), unitUniform in [0, 1), int(in:) inside its range, full Int range included")
    func ranges() {
        var inputs = SeededInputs(seed: 77, precision: 64)
        let one = BigFloat(1, precision: 64), zero = BigFloat(0, precision: 64)
        var gaussianSum = BigFloat(0, precision: 64)
        for _ in 0..<1000 {
            let u = inputs.uniform()
            #expect(-one <= u && u < one)
            let v = inputs.unitUniform()
            #expect(zero <= v && v < one)
            #expect((1...6).contains(inputs.int(in: 1...6)))
            #expect(inputs.int(in: 3...3) == 3)
            gaussianSum += inputs.gaussian()
        }
        // The mean of 1000 standard normals is within 4/√1000 of 0 (overwhelmingly likely; the seed is fixed).
        #expect(abs(gaussianSum / 1000) < BigFloat(mantissa: 1, exponent: -3, precision: 64))
        for range in [Int.min...Int.max, Int.min...0, -10...Int.max, (Int.max - 1)...Int.max] {
            for _ in 0..<200 { #expect(range.contains(inputs.int(in: range))) }
        }
    }
}
