#!/usr/bin/env python3
"""Writes Tests/MultiPrecisionTests/Fixtures/functions.json, the oracle of the MultiPrecision tests.

Run once from the repository root (`python3 scripts/generate-numerics-fixtures.py`) and commit the
output; the tests never run Python. The oracle is mpmath (https://mpmath.org, pure Python, no MPFR)
plus exact rational arithmetic with Python's `fractions`, so no expected value comes from the code
under test.

Conventions shared with the Swift tests (Tests/MultiPrecisionTests/OracleFixtures.swift):

* Arguments are exact dyadic rationals `{"mantissa": "<decimal integer>", "exponent": e}` meaning
  mantissa * 2**e, or `{"special": "nan" | "inf" | "-inf" | "-0"}`. Both sides represent them
  exactly (the Swift side parses the integer at the working precision and scales by 2**e).
* `expected` strings use BigFloat.formatted(digits:)'s format: `d.ddd...e+X` with exactly `digits`
  significant digits, round-half-even, exponent omitted when 0; `nan`, `inf`, `-inf`, `0`, `-0`.
* `exact` strings use BigFloat.exactDecimal's format: the full decimal expansion of a binary value,
  trailing zeros dropped, same exponent notation.
* Real functions follow MPFR's (= IEEE 754 / C99 Annex F) conventions at special points: NaN outside
  the real domain, signed zeros for odd functions, and overflow to inf / underflow to 0 outside
  MPFR's default exponent range [1 - 2**30, 2**30 - 1] (the library never changes that range).

Every 1000-digit value is computed by mpmath at two different working precisions (3400 + 128 and
3400 + 384 bits), rounded to 1000 digits with exact integer arithmetic, and the two must agree and
lie clearly away from a rounding tie; otherwise the script stops.
"""
import json
import os
import random
import sys
from fractions import Fraction

import mpmath
from mpmath import mp, mpf
from mpmath.libmp import from_rational, from_str

DIGITS = 1000
PRECISION = 3400          # bits used by the Swift side for the 1000-digit comparisons
sys.set_int_max_str_digits(0)
EMAX = 2**30 - 1          # MPFR's default exponent range: |x| = 0.1xxx_2 * 2^E with EMIN <= E <= EMAX
EMIN = 1 - 2**30
OUTPUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "MultiPrecisionTests", "Fixtures", "functions.json")

# ----------------------------------------------------------------------------------------------
# Exact helpers


def frac_of(v):
    """The exact rational value of a finite mpf."""
    sign, man, exp, _ = v._mpf_
    f = Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)
    return -f if sign else f


def decimal_exponent(f):
    """E with 10**E <= f < 10**(E+1), for a positive Fraction f."""
    e = int((f.numerator.bit_length() - f.denominator.bit_length()) * 0.30102999566398120)
    while Fraction(10)**e > f:
        e -= 1
    while Fraction(10)**(e + 1) <= f:
        e += 1
    return e


def format_scientific(negative, digits, exponent):
    text = ("-" if negative else "") + digits[0]
    if len(digits) > 1:
        text += "." + digits[1:]
    if exponent != 0:
        text += "e" + ("+" if exponent > 0 else "") + str(exponent)
    return text


def round_decimal(f, digits, error=Fraction(0)):
    """f (a Fraction) correctly rounded (ties to even) to `digits` significant digits, in
    formatted(digits:) notation. `error` bounds |f - true value| relatively; the true value must not
    be within it of a tie."""
    if f == 0:
        return "0"
    negative = f < 0
    f = abs(f)
    e = decimal_exponent(f)
    scaled = f / Fraction(10)**(e - digits + 1)          # in [10**(digits-1), 10**digits)
    n = scaled.numerator // scaled.denominator
    rest = scaled - n
    if abs(rest - Fraction(1, 2)) <= scaled * error:
        raise SystemExit(f"too close to a decimal rounding tie: {float(f)}")
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and n % 2 == 1):
        n += 1
    if n == 10**digits:
        n //= 10
        e += 1
    return format_scientific(negative, str(n), e)


def exact_decimal(m, e):
    """The exact decimal expansion of m * 2**e in exactDecimal notation."""
    if m == 0:
        return "0"
    negative = m < 0
    m = abs(m)
    if e >= 0:
        digits, shift = str(m << e), 0
    else:
        digits, shift = str(m * 5**-e), -e
    exponent = len(digits) - 1 - shift
    return format_scientific(negative, digits.rstrip("0") or "0", exponent)


def round_fraction(f, bits, mode):
    """The exact rational f rounded to `bits` significant bits: returns (m, e), value m * 2**e.
    mode: 'n' nearest-even, 'd' toward -inf, 'u' toward +inf, 'z' toward zero, 'a' away from zero."""
    if f == 0:
        return 0, 0
    negative = f < 0
    a = abs(f)
    # 2**(k-1) <= a < 2**k
    k = a.numerator.bit_length() - a.denominator.bit_length()
    while Fraction(2)**(k - 1) > a:
        k -= 1
    while Fraction(2)**k <= a:
        k += 1
    e = k - bits
    scaled = a / Fraction(2)**e                             # in [2**(bits-1), 2**bits)
    n = scaled.numerator // scaled.denominator
    rest = scaled - n
    if rest != 0:
        if mode == "n":
            up = rest > Fraction(1, 2) or (rest == Fraction(1, 2) and n % 2 == 1)
        elif mode == "z":
            up = False
        elif mode == "a":
            up = True
        elif mode == "u":
            up = not negative
        elif mode == "d":
            up = negative
        else:
            raise ValueError(mode)
        if up:
            n += 1
    return (-n if negative else n), e


def round_real(compute, bits, mode):
    """A real number given by `compute()` (an mpmath expression) rounded to `bits` bits, using a value
    256 bits more precise and checking that it is clearly away from every rounding boundary."""
    with mp.workprec(bits + 256):
        v = compute()
    f = frac_of(v)
    m, e = round_fraction(f, bits, "z")
    # distance of f from the truncation point and from the midpoint, in units of 2**e
    t = abs(f) / Fraction(2)**e - abs(m)
    margin = Fraction(1, 2**200)
    if t < margin or abs(t - Fraction(1, 2)) < margin or 1 - t < margin:
        raise SystemExit("a constant/function value is too close to a binary rounding boundary")
    return round_fraction(f, bits, mode)


def dyadic(m, e=0):
    return {"mantissa": str(m), "exponent": e}


SPECIAL = {"nan": mpf("nan"), "inf": mpf("inf"), "-inf": mpf("-inf")}


def value_of(arg):
    """The mpmath value of an argument (exact), or a special marker."""
    if "special" in arg:
        return arg["special"]
    with mp.workprec(max(64, int(arg["mantissa"]).__abs__().bit_length() + 8)):
        return mpmath.ldexp(mpf(int(arg["mantissa"])), arg["exponent"])


# ----------------------------------------------------------------------------------------------
# Real functions with MPFR's special-point conventions

def is_nan(x): return isinstance(x, str) and x == "nan"
def is_neg_zero(x): return isinstance(x, str) and x == "-0"


def numeric(x):
    """An mpf for a finite argument or ±inf; -0 becomes 0 (its sign is handled by the caller)."""
    if isinstance(x, str):
        return mpf(0) if x == "-0" else SPECIAL[x]
    return x


def special_result(name, args):
    """The result string at points where the answer is fixed by convention, else None."""
    if name == "pow":
        x, y = args
        if not is_nan(y) and numeric(y) == 0:
            return "ONE"
        if not is_nan(x) and numeric(x) == 1 and not is_neg_zero(x):
            return "ONE"
        if is_nan(x) or is_nan(y):
            return "nan"
        xv, yv = numeric(x), numeric(y)
        y_int = mpmath.isfinite(yv) and yv == mpmath.floor(yv)
        y_odd = y_int and int(yv) % 2 == 1
        negative_x = xv < 0 or is_neg_zero(x)
        if xv == 0:
            if yv < 0:
                return "-inf" if (y_odd and negative_x) else "inf"
            return "-0" if (y_odd and negative_x) else "0"
        if mpmath.isinf(yv):
            if xv == -1:
                return "ONE"
            grows = (abs(xv) > 1) == (yv > 0)
            return "inf" if grows else "0"
        if mpmath.isinf(xv):
            if xv > 0:
                return "inf" if yv > 0 else "0"
            if yv > 0:
                return "-inf" if y_odd else "inf"
            return "-0" if y_odd else "0"
        if xv < 0 and not y_int:
            return "nan"
        return None
    (x,) = args
    if is_nan(x):
        return "nan"
    odd = {"sqrt", "expm1", "log1p", "erf", "tanh", "sin"}
    if is_neg_zero(x):
        if name in odd:
            return "-0"
        if name == "abs":
            return "0"
        if name == "log":
            return "-inf"
        return None                      # exp, cos, erfc: same as +0
    v = numeric(x)
    if name in ("sqrt", "log") and v < 0:
        return "nan"
    if name == "log1p" and v < -1:
        return "nan"
    if mpmath.isinf(v):
        positive = v > 0
        table = {
            "sqrt": ("inf", "nan"), "exp": ("inf", "0"), "expm1": ("inf", "MINUS_ONE"),
            "log": ("inf", "nan"), "log1p": ("inf", "nan"), "erf": ("ONE", "MINUS_ONE"),
            "erfc": ("0", "TWO"), "tanh": ("ONE", "MINUS_ONE"), "sin": ("nan", "nan"),
            "cos": ("nan", "nan"), "abs": ("inf", "inf"),
        }
        return table[name][0 if positive else 1]
    if v == 0:
        return {"log": "-inf", "sqrt": "0", "expm1": "0", "log1p": "0", "erf": "0", "tanh": "0",
                "sin": "0", "abs": "0", "exp": "ONE", "cos": "ONE", "erfc": "ONE"}[name]
    if name == "log1p" and v == -1:
        return "-inf"
    if name == "erfc" and v > 0 and v * v > 2**32:
        return "0"                       # erfc(x) < exp(-x^2) < 2^(EMIN - 1): underflow
    if name == "erf" and abs(v) > 2**40:
        return None                      # mpmath handles: ±1 after rounding
    return None


MPMATH = {
    "sqrt": mpmath.sqrt, "exp": mpmath.exp, "expm1": mpmath.expm1, "log": mpmath.log,
    "log1p": mpmath.log1p, "erf": mpmath.erf, "erfc": mpmath.erfc, "tanh": mpmath.tanh,
    "sin": mpmath.sin, "cos": mpmath.cos, "abs": mpmath.fabs, "pow": mpmath.power,
}


def constant_string(marker):
    one = {"ONE": 1, "MINUS_ONE": -1, "TWO": 2}[marker]
    return round_decimal(Fraction(one), DIGITS)


def evaluate(name, args):
    special = special_result(name, args)
    if special is not None:
        return constant_string(special) if special in ("ONE", "MINUS_ONE", "TWO") else special
    results = []
    for extra in (128, 384):
        with mp.workprec(PRECISION + extra):
            v = MPMATH[name](*[numeric(a) for a in args])
            if isinstance(v, mpmath.mpc):
                raise SystemExit(f"{name}{args}: complex result")
            if v == 0:
                results.append("0")
                continue
            sign, man, exp, bc = v._mpf_
            mpfr_exponent = exp + bc      # |v| = 0.1xxx_2 * 2^mpfr_exponent
            if mpfr_exponent > EMAX + 16:
                results.append("-inf" if sign else "inf")
                continue
            if mpfr_exponent < EMIN - 16:
                results.append("-0" if sign else "0")
                continue
            if not (EMIN + 16 <= mpfr_exponent <= EMAX - 16):
                raise SystemExit(f"{name}: result too close to the exponent range boundary")
            results.append(round_decimal(frac_of(v), DIGITS, Fraction(1, 2**(PRECISION + extra - 16))))
    if results[0] != results[1]:
        raise SystemExit(f"{name}{args}: mpmath disagrees with itself across precisions")
    return results[0]


# ----------------------------------------------------------------------------------------------
# The cases

TEN_100 = dyadic(5**100, 100)                  # 1e100, exact
TINY_1E_100 = dyadic((2**400) // 10**100, -400) # the dyadic just below 1e-100 with a 68-bit significand
TWO_1000 = dyadic(1, 1000)
TWO_M1000 = dyadic(1, -1000)
ONE_E22 = dyadic(5**22, 22)                    # 1e22, exact (a classic hard case for sin/cos)
NAN, INF, NINF, NZERO = ({"special": s} for s in ("nan", "inf", "-inf", "-0"))
ZERO = dyadic(0)


def d(m, e=0):
    return dyadic(m, e)


UNARY_CASES = {
    "sqrt": [ZERO, NZERO, d(2), d(4), d(3, -5), d(-1), TEN_100, TWO_1000, dyadic(1, 1001), TWO_M1000, TINY_1E_100,
             d(2**3000 + 1), INF, NINF, NAN],
    "exp": [ZERO, NZERO, d(1), d(-1), d(1, -1), d(201, 1), d(-2981, -2), TWO_M1000, d(-3, -70), d(1, 20),
            TWO_1000, d(-1, 1000), TEN_100, INF, NINF, NAN],
    "expm1": [ZERO, NZERO, TWO_M1000, d(-3, -70), d(1), d(-50), d(1, 20), TWO_1000, d(-1, 1000), INF, NINF, NAN],
    "log": [d(1), d(2), d(3, -7), d(10), TWO_1000, TWO_M1000, TEN_100, TINY_1E_100, d(2**64 + 1, -64), ZERO, NZERO,
            d(-1), INF, NINF, NAN],
    "log1p": [ZERO, NZERO, TWO_M1000, d(-1, -1), d(1), d(-3, -70), TWO_1000, d(-1), d(-2), INF, NINF, NAN],
    "erf": [ZERO, NZERO, d(1, -1), d(-3), d(1), TWO_M1000, d(30), d(-55, -1), TWO_1000, d(-1, 1000), INF, NINF, NAN],
    "erfc": [ZERO, NZERO, d(1, -1), d(-3), d(1), TWO_M1000, d(30), d(1000), d(-27), TWO_1000, d(-1, 1000), INF, NINF,
             NAN],
    "tanh": [ZERO, NZERO, d(1, -1), d(-3), TWO_M1000, d(20), d(-401, -3), TWO_1000, d(-1, 1000), INF, NINF, NAN],
    "sin": [ZERO, NZERO, d(1), d(-1, -1), d(355), d(103993), ONE_E22, TWO_1000, TEN_100, TWO_M1000, d(-7, -1000),
            INF, NINF, NAN],
    "cos": [ZERO, NZERO, d(1), d(-1, -1), d(355), d(103993), ONE_E22, TWO_1000, TEN_100, TWO_M1000, INF, NINF, NAN],
    "abs": [ZERO, NZERO, d(-3, -5), d(7), TWO_1000, d(-1, -1000), d(-(3**2000)), INF, NINF, NAN],
}

POW_CASES = [
    (d(2), d(1, -1)), (d(10), d(1, -1)), (d(3, -1), d(100)), (d(2), d(-2149, -1)), (d(-8), d(3)),
    (d(-8), d(1, -1)), (d(-3, -1), d(-7)), (d(7), d(-5, -3)), (TEN_100, d(-3, -4)), (TWO_M1000, d(1, -2)),
    (ZERO, d(3)), (ZERO, d(-1)), (NZERO, d(-1)), (NZERO, d(3)), (NZERO, d(2)), (d(1), NAN), (NAN, ZERO),
    (NAN, d(1)), (d(2), NAN), (TWO_1000, TWO_1000), (d(1, -1), d(1, 40)), (d(2), TEN_100),
    (INF, d(-1)), (NINF, d(3)), (NINF, d(-3)), (NINF, d(2)), (d(1, -1), INF), (d(2), NINF), (d(-1), INF),
    (d(-2), d(1001)),
]


def function_cases():
    cases = []
    for name, arguments in UNARY_CASES.items():
        for a in arguments:
            cases.append({"function": name, "arguments": [a], "expected": evaluate(name, [value_of(a)])})
    for a, b in POW_CASES:
        cases.append({"function": "pow", "arguments": [a, b], "expected": evaluate("pow", [value_of(a), value_of(b)])})
    return cases


def constant_cases():
    cases = []
    sources = {"pi": lambda: +mp.pi, "e": lambda: mpmath.e + 0, "ln2": lambda: +mp.ln2}
    for name, compute in sources.items():
        values = []
        for extra in (128, 384):
            with mp.workprec(PRECISION + extra):
                values.append(round_decimal(frac_of(compute()), DIGITS, Fraction(1, 2**(PRECISION + extra - 16))))
        assert values[0] == values[1]
        cases.append({"name": name, "digits": DIGITS, "expected": values[0]})
    rounded = []
    for name, compute in sources.items():
        for bits in (2, 24, 53, 64, 113, 200):
            for mode in ("n", "d", "u"):
                m, e = round_real(compute, bits, mode)
                rounded.append({"name": name, "precision": bits, "rounding": mode, "exact": exact_decimal(m, e)})
    return cases, rounded


def check_with_mpmath(f, bits, mode, m, e):
    """Cross-check the exact rounding of a rational against mpmath's own (nearest/floor/ceiling)."""
    rnd = {"n": "n", "d": "f", "u": "c", "z": "d", "a": "u"}[mode]
    sign, man, exp, _ = from_rational(f.numerator, f.denominator, bits, rnd)
    value = Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)
    value = -value if sign else value
    mine = Fraction(m * 2**e) if e >= 0 else Fraction(m, 2**-e)
    if value != mine:
        raise SystemExit(f"mpmath and the exact rounding disagree on {f} at {bits} bits")


def rational_cases():
    imax, imin = 2**63 - 1, -2**63
    pairs = [(1, 3), (2, 3), (-1, 3), (1, -3), (-7, -10), (1, 10), (22, 7), (355, 113), (imax, 3), (imin, 3),
             (imin, -1), (imax, imax - 1), (1, imax), (-1, imin), (0, 5), (123456789, 1000000000)]
    # Pairs where rounding p and q to 53 bits first, then dividing, would give a different 53-bit result:
    # the initialiser must round only once.
    rng = random.Random(20240611)
    found = 0
    while found < 4:
        p = rng.randrange(2**60, 2**63)
        q = rng.randrange(2**54, 2**63) | 1
        once = round_fraction(Fraction(p, q), 53, "n")
        mp_, ep = round_fraction(Fraction(p), 53, "n")
        mq, eq = round_fraction(Fraction(q), 53, "n")
        twice = round_fraction(Fraction(mp_ * 2**ep) / Fraction(mq * 2**eq), 53, "n")
        if once != twice:
            pairs.append((p, q))
            found += 1
    cases = []
    for p, q in pairs:
        f = Fraction(p, q)
        for bits in (53, 64, 200):
            for mode in ("n", "d", "u"):
                m, e = round_fraction(f, bits, mode)
                check_with_mpmath(f, bits, mode, m, e)
                cases.append({"numerator": str(p), "denominator": str(q), "precision": bits, "rounding": mode,
                              "exact": exact_decimal(m, e)})
        cases.append({"numerator": str(p), "denominator": str(q), "precision": PRECISION, "rounding": "n",
                      "digits": DIGITS, "expected": round_decimal(f, DIGITS)})
    return cases


def decimal_cases():
    texts = ["0.1", "-1.25e-30", "3.14159265358979323846264338327950288419716939937510", "1e22", "1e23",
             "9007199254740993", "2.5", "-0.3", "1e-100", "1e100", "6.02214076e23", "0.000001", "  42  ", "1.5e+3",
             "123456789012345678901234567890", "4.9406564584124654e-324", "1e400000", "1e-400000"]
    cases = []
    for text in texts:
        f = Fraction(text.strip())
        # Huge exponents: only the 1000-digit value (the exact expansion would be ~10^5 digits long).
        for bits in ((53, 64, 200) if abs(f) < Fraction(10)**1000 and abs(f) > Fraction(1, 10**1000) else ()):
            for mode in ("n", "d", "u"):
                m, e = round_fraction(f, bits, mode)
                if mode == "n":                                     # mpmath's own parser agrees
                    sign, man, exp, _ = from_str(text.strip(), bits, "n")
                    theirs = Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)
                    if (-theirs if sign else theirs) != (Fraction(m * 2**e) if e >= 0 else Fraction(m, 2**-e)):
                        raise SystemExit(f"mpmath parses {text} differently at {bits} bits")
                cases.append({"text": text, "precision": bits, "rounding": mode, "exact": exact_decimal(m, e)})
        cases.append({"text": text, "precision": PRECISION, "rounding": "n", "digits": DIGITS,
                      "expected": round_decimal(f, DIGITS)})
    return cases


# ----------------------------------------------------------------------------------------------
# SeededInputs: SplitMix64 and the documented mapping, re-derived here

MASK = 2**64 - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)


def seeded_cases():
    cases = []
    for seed in (0, 42, 0xDEADBEEF):
        g = SplitMix64(seed)
        bits = [str(g.next()) for _ in range(4)]
        g = SplitMix64(seed)
        uniforms = []
        for _ in range(3):
            k = (g.next() >> 11) - 2**52                 # uniform(): k / 2^52 in [-1, 1)
            uniforms.append(exact_decimal(k, -52))
        units = []
        for _ in range(2):
            units.append(exact_decimal(g.next() >> 11, -53))   # unitUniform(): in [0, 1)
        gaussians = []
        for _ in range(3):
            # Box–Muller at 64 bits, each MPFR step correctly rounded to nearest, then rounded to 53 bits.
            u1 = Fraction((g.next() >> 11) + 1, 2**53)
            u2 = Fraction(g.next() >> 11, 2**53)
            def at64(compute):
                m, e = round_real(compute, 64, "n")
                return Fraction(m) * Fraction(2)**e
            log_u1 = at64(lambda: mpmath.log(mpf(u1.numerator) / u1.denominator)) if u1 != 1 else Fraction(0)
            t = -2 * log_u1                                  # exact (power-of-two scaling)
            radius = at64(lambda: mpmath.sqrt(mpf(t.numerator) / t.denominator)) if t != 0 else Fraction(0)
            two_pi = 2 * at64(lambda: +mp.pi)                # exact doubling of the 64-bit π
            m, e = round_fraction(two_pi * u2, 64, "n") if u2 != 0 else (0, 0)
            angle = Fraction(m) * Fraction(2)**e
            cosine = at64(lambda: mpmath.cos(mpf(angle.numerator) / angle.denominator)) if angle != 0 else Fraction(1)
            m, e = round_fraction(radius * cosine, 64, "n") if radius * cosine != 0 else (0, 0)
            m, e = round_fraction(Fraction(m) * Fraction(2)**e, 53, "n") if m != 0 else (0, 0)
            gaussians.append(exact_decimal(m, e))
        cases.append({"seed": str(seed), "bits": bits, "uniform": uniforms, "unitUniform": units, "gaussian": gaussians})
    return cases


def main():
    constants, rounded_constants = constant_cases()
    fixture = {
        "generator": "scripts/generate-numerics-fixtures.py, mpmath " + mpmath.__version__,
        "digits": DIGITS,
        "precision": PRECISION,
        "functions": function_cases(),
        "constants": constants,
        "roundedConstants": rounded_constants,
        "rationals": rational_cases(),
        "decimals": decimal_cases(),
        "seededInputs": seeded_cases(),
    }
    with open(OUTPUT, "w") as out:
        json.dump(fixture, out, indent=1)
        out.write("\n")
    print(f"wrote {os.path.normpath(OUTPUT)}: {len(fixture['functions'])} function values, "
          f"{len(fixture['rationals'])} rationals, {len(fixture['decimals'])} decimals")


if __name__ == "__main__":
    main()
