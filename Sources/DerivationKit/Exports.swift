/// Derivation programs import this module alone; it brings the numerics with it.
@_exported import MultiPrecision
