import Testing
import MultiPrecision

@Suite("softmax, GeLU and LayerNorm")
struct NeuralFunctionsTests {
    func v(_ values: [Int], precision: Int = 256) -> Vector { Vector(values.map { BigFloat($0, precision: precision) }) }

    @Test("softmax: shift invariance, known values, sums to one")
    func softmaxValues() {
        let equal = softmax(v([5, 5]))
        #expect(equal == Vector([BigFloat(mantissa: 1, exponent: -1, precision: 256), BigFloat(mantissa: 1, exponent: -1, precision: 256)]))
        let s = softmax(v([0, 1, 2]))
        let e = BigFloat.e(precision: 256)
        let denominator = 1 + e + e * e
        #expect(correctDigits(s[2], reference: e * e / denominator) > 75)
        #expect(correctDigits(s.sum, reference: BigFloat(1, precision: 256)) > 75)
        #expect(softmax(v([1000, 1001, 1002])) == s)          // shifted by the maximum: no overflow
    }

    @Test("GeLU: zero, odd part, large arguments")
    func geluValues() {
        #expect(gelu(BigFloat(0, precision: 256)).isZero)
        let x = BigFloat(numerator: 3, denominator: 2, precision: 256)
        #expect(correctDigits(gelu(x) - gelu(-x), reference: x) > 75)        // Φ(x) + Φ(−x) = 1
        let big = BigFloat(40, precision: 256)
        #expect(correctDigits(gelu(big), reference: big) > 75)
        // x·Φ(x) at x = 1: Φ(1) = (1 + erf(1/√2))/2.
        let one = BigFloat(1, precision: 256)
        #expect(correctDigits(gelu(one), reference: (1 + erf(one / sqrt(BigFloat(2, precision: 256)))) / 2) > 75)
    }

    @Test("LayerNorm of (1, 2, 3) is (−√1.5, 0, √1.5)")
    func layerNormValues() {
        let n = layerNorm(v([1, 2, 3]))
        let root = sqrt(BigFloat(numerator: 3, denominator: 2, precision: 256))
        #expect(correctDigits(n[0], reference: -root) > 75 && n[1].isZero && correctDigits(n[2], reference: root) > 75)
        #expect(layerNorm(v([4, 4])).elements.allSatisfy { $0.isNaN })
    }
}
