import CMPFR

/// The version of the GNU MPFR library in use. The corresponding MPFR function is `mpfr_get_version`.
public var mpfrVersion: String { String(cString: cmpfr_version()) }

/// The version of GMP in use.
public var gmpVersion: String { String(cString: cmpfr_gmp_version()) }
