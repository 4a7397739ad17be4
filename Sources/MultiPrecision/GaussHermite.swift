/// The n-point Gauss–Hermite rule for the standard normal weight: nodes and weights with
/// E f(T) ≈ Σₘ λₘ f(tₘ), T ~ 𝒩(0, 1), exact for polynomials of degree ≤ 2n − 1.
///
/// The nodes t₁ < … < tₙ are the roots of the probabilists' Hermite polynomial Heₙ and the weights are
/// λₘ = 1 / (n · ĥₙ₋₁(tₘ)²), where ĥₖ = Heₖ/√(k!) are the orthonormal Hermite polynomials,
/// ĥₖ₊₁(t) = (t·ĥₖ(t) − √k·ĥₖ₋₁(t)) / √(k+1). The roots are bracketed by a sign scan of ĥₙ over
/// [−√(4n+2), √(4n+2)] and bisected in binary64 (starting values only), then refined by Newton's method
/// t ← t − ĥₙ(t) / (√n·ĥₙ₋₁(t)) at `precision` bits until the step is below the last bit. The results are
/// rounded values at `precision` bits (the nodes are irrational for n ≥ 2).
///
/// - Precondition: 1 ≤ n ≤ 200 (the binary64 scan separates the roots up to there).
public func gaussHermiteRule(points n: Int, precision: Int) -> (nodes: [BigFloat], weights: [BigFloat]) {
    precondition(n >= 1 && n <= 200, "gaussHermiteRule: points must lie in 1...200")
    func orthonormal(_ t: Double) -> Double {
        var previous = 0.0, current = 1.0
        for k in 0..<n {
            let next = (t * current - Double(k).squareRoot() * previous) / Double(k + 1).squareRoot()
            previous = current
            current = next
        }
        return current
    }
    let bound = Double(4 * n + 2).squareRoot()
    let cells = Int(2 * bound / 0.004) + 1
    let width = 2 * bound / Double(cells)
    var seeds: [Double] = []
    var left = -bound
    var fLeft = orthonormal(left)
    for cell in 1...cells {
        let right = -bound + Double(cell) * width
        let fRight = orthonormal(right)
        if (fLeft < 0) != (fRight < 0) {
            var a = left, b = right, fa = fLeft
            for _ in 0..<60 {
                let m = (a + b) / 2
                let fm = orthonormal(m)
                if (fm < 0) == (fa < 0) { a = m; fa = fm } else { b = m }
            }
            seeds.append((a + b) / 2)
        }
        left = right
        fLeft = fRight
    }
    precondition(seeds.count == n, "gaussHermiteRule: found \(seeds.count) roots of He_\(n)")
    let roots = (0...n).map { sqrt(BigFloat($0, precision: precision)) }
    func evaluate(_ t: BigFloat) -> (BigFloat, BigFloat) {     // (ĥₙ(t), ĥₙ₋₁(t))
        var previous = BigFloat(0, precision: precision), current = BigFloat(1, precision: precision)
        for k in 0..<n {
            let next = (t * current - roots[k] * previous) / roots[k + 1]
            previous = current
            current = next
        }
        return (current, previous)
    }
    let lastBit = BigFloat(mantissa: 1, exponent: -precision - 4, precision: precision)
    var nodes: [BigFloat] = [], weights: [BigFloat] = []
    for seed in seeds {
        var t = BigFloat(exactly: seed, precision: precision)
        for _ in 0..<40 {
            let (value, below) = evaluate(t)
            let step = value / (roots[n] * below)
            t = t - step
            if abs(step) <= lastBit * max(abs(t), BigFloat(1, precision: precision)) { break }
        }
        let below = evaluate(t).1
        nodes.append(t)
        weights.append(1 / (BigFloat(n, precision: precision) * below * below))
    }
    return (nodes, weights)
}
