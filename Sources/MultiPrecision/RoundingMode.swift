import CMPFR

/// A rounding direction for a single MPFR operation.
///
/// Every operation that can round takes one of these explicitly (round-to-nearest by default);
/// nothing reads MPFR's thread-local default rounding mode.
public enum RoundingMode: Sendable, Hashable, CaseIterable {
    /// Round to nearest, ties to even (IEEE 754 `roundTiesToEven`). The corresponding MPFR mode is `MPFR_RNDN`.
    case toNearest
    /// Round toward zero (truncate). The corresponding MPFR mode is `MPFR_RNDZ`.
    case towardZero
    /// Round toward +∞. The corresponding MPFR mode is `MPFR_RNDU`.
    case up
    /// Round toward −∞. The corresponding MPFR mode is `MPFR_RNDD`.
    case down
    /// Round away from zero. The corresponding MPFR mode is `MPFR_RNDA`.
    case awayFromZero

    /// The MPFR constant for this mode.
    @inlinable
    public var mpfr: mpfr_rnd_t {
        switch self {
        case .toNearest: return MPFR_RNDN
        case .towardZero: return MPFR_RNDZ
        case .up: return MPFR_RNDU
        case .down: return MPFR_RNDD
        case .awayFromZero: return MPFR_RNDA
        }
    }
}
