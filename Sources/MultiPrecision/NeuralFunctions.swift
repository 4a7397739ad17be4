// Generic functions of neural-network layers, at the precision of their arguments.

/// softmax(v)ᵢ = exp(vᵢ − m) / Σⱼ exp(vⱼ − m) with m = maxⱼ vⱼ (the shift changes nothing mathematically
/// and keeps every exponent ≤ 0).
public func softmax(_ v: Vector) -> Vector {
    precondition(v.count > 0, "softmax of an empty vector")
    let shift = v.elements.dropFirst().reduce(v[0], max)
    let weights = v.map { exp($0 - shift) }
    return weights / weights.sum
}

/// The Gaussian error linear unit in its exact (erf) form: GeLU(x) = x·Φ(x) = (x/2)·(1 + erf(x/√2)).
///
/// The corresponding MPFR function is `mpfr_erf`.
public func gelu(_ x: BigFloat) -> BigFloat {
    let scaled = x / sqrt(BigFloat(2, precision: x.precision))
    return x.timesPowerOfTwo(-1) * (1 + erf(scaled))
}

/// LayerNorm without gain, bias or ε: (v − mean(v)) / √var(v), with the population variance
/// var(v) = (1/n) Σ (vᵢ − mean)². Undefined (NaN) for a constant vector.
public func layerNorm(_ v: Vector) -> Vector {
    precondition(v.count > 0, "layerNorm of an empty vector")
    let mean = v.sum / v.count
    let centred = v.map { $0 - mean }
    let variance = centred.normSquared / v.count
    return centred / sqrt(variance)
}
