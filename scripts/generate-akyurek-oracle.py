#!/usr/bin/env python3
"""Writes Tests/VerifierTests/Fixtures/akyurek-oracle.json, the exact-rational oracle of the two
Akyürek derivations (derivations/one-step-gd-construction.md, derivations/sherman-morrison-construction.md).

Run once from the repository root (`python3 scripts/generate-akyurek-oracle.py`) and commit the output;
the tests never run Python. Everything here is exact rational arithmetic (Python's `fractions`),
written independently of the Swift code of the derivations: the hidden-state matrix, the primitives
mov / aff / mul / div and the operator chains of App. A and App. B are re-implemented below from the
paper's definitions, and every chain value is also checked here against its closed form (one GD step,
Sherman–Morrison, the ridge solution by Gauss–Jordan elimination), so that the fixture holds values the
mathematics fixes, not values the derivations print.

The inputs (d = 3, w ≠ 0, λ ≠ 0) are the ones the derivations' "oracle" blocks state with number(p, over: q);
each fixture entry names the claim ID whose left side (the derivation's own chain value) must equal the
value here. `expected` is that value correctly rounded (ties to even) to 20 significant digits in
BigFloat.formatted(digits:) notation, the notation of a claim record's `lhs`.
"""
import json
import os
from fractions import Fraction as F

OUTPUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "VerifierTests", "Fixtures", "akyurek-oracle.json")
DIGITS = 20


# ----------------------------------------------------------------------------------------------
# Decimal formatting (BigFloat.formatted(digits:) notation)

def decimal_exponent(f):
    e = 0
    while F(10) ** e > f:
        e -= 1
    while F(10) ** (e + 1) <= f:
        e += 1
    return e


def formatted(f, digits=DIGITS):
    """f correctly rounded (ties to even) to `digits` significant digits: d.ddd…e±X (exponent omitted when 0)."""
    if f == 0:
        return "0"
    negative, f = f < 0, abs(f)
    e = decimal_exponent(f)
    scaled = f / F(10) ** (e - digits + 1)
    n = scaled.numerator // scaled.denominator
    rest = scaled - n
    # A value within 10^-100 (relative) of a tie could round either way in a 576-bit run.
    if abs(rest - F(1, 2)) < scaled * F(1, 10**100):
        raise SystemExit(f"too close to a decimal rounding tie: {float(f)}")
    if rest > F(1, 2) or (rest == F(1, 2) and n % 2 == 1):
        n += 1
    if n == 10 ** digits:
        n //= 10
        e += 1
    text = ("-" if negative else "") + str(n)[0]
    if digits > 1:
        text += "." + str(n)[1:]
    if e != 0:
        text += "e" + ("+" if e > 0 else "") + str(e)
    return text


# ----------------------------------------------------------------------------------------------
# Linear algebra over the rationals

def zeros(r, c):
    return [[F(0)] * c for _ in range(r)]


def identity(n):
    return [[F(int(i == j)) for j in range(n)] for i in range(n)]


def matmul(a, b):
    return [[sum((a[i][k] * b[k][j] for k in range(len(b))), F(0)) for j in range(len(b[0]))] for i in range(len(a))]


def matvec(a, v):
    return [sum((a[i][k] * v[k] for k in range(len(v))), F(0)) for i in range(len(a))]


def dot(u, v):
    return sum((a * b for a, b in zip(u, v)), F(0))


def outer(u, v):
    return [[a * b for b in v] for a in u]


def add(a, b, s=F(1)):
    return [[x + s * y for x, y in zip(r, q)] for r, q in zip(a, b)]


def inverse(a):
    """Gauss–Jordan elimination with exact pivots."""
    n = len(a)
    m = [list(r) + [F(int(i == j)) for j in range(n)] for i, r in enumerate(a)]
    for col in range(n):
        pivot = next(r for r in range(col, n) if m[r][col] != 0)
        m[col], m[pivot] = m[pivot], m[col]
        p = m[col][col]
        m[col] = [x / p for x in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col])]
    return [r[n:] for r in m]


def vec(a):
    return [x for r in a for x in r]


# ----------------------------------------------------------------------------------------------
# The hidden state and the primitives (paper §3.1; rows 0-based, ranges half-open, row-major blocks)

class State:
    def __init__(self, rows, columns):
        self.h = zeros(rows, columns)

    def column(self, i):
        return [r[i] for r in self.h]

    def mov(self, s, t, rows):
        assert t >= s, "mov needs t ≥ s"
        for r in rows:
            self.h[r][t] = self.h[r][s]

    def columnwise(self, compute, out):
        new = [compute(self.column(i)) for i in range(len(self.h[0]))]
        for i, values in enumerate(new):
            assert len(values) == len(out)
            for r, value in zip(out, values):
                self.h[r][i] = value

    def aff(self, out, terms, bias=None):
        def compute(h):
            values = [F(0)] * len(out)
            for rows, weight in terms:
                for m in range(len(out)):
                    values[m] += sum((weight[m][k] * h[r] for k, r in enumerate(rows)), F(0))
            if bias is not None:
                values = [v + b for v, b in zip(values, bias)]
            return values
        self.columnwise(compute, out)

    def mul(self, a, b, c, left, right, out):
        assert len(left) == a * b and len(right) == b * c and len(out) == a * c, "mul size conditions"
        def compute(h):
            A = [[h[left[p * b + k]] for k in range(b)] for p in range(a)]
            B = [[h[right[k * c + q]] for q in range(c)] for k in range(b)]
            return vec(matmul(A, B))
        self.columnwise(compute, out)

    def div(self, num, den, out):
        self.columnwise(lambda h: [h[r] / abs(h[den]) for r in num], out)


def rows(i, j):
    return list(range(i, j))


# ----------------------------------------------------------------------------------------------
# Theorem 1: one GD step (App. A, corrected: B = +λI in step 6)

def theorem1(x1, y1, x2, w, alpha, lam, step6):
    d = len(x1)
    st = State(3 + 4 * d, 3)
    st.h[0][1] = y1
    for k in range(d):
        st.h[1 + k][0] = x1[k]
        st.h[1 + k][2] = x2[k]
    I = identity(d)
    X, WX, RES = rows(1, 1 + d), [1 + d], [2 + d]
    XR, W, HG = rows(3 + d, 3 + 2 * d), rows(3 + 2 * d, 3 + 3 * d), rows(3 + 3 * d, 3 + 4 * d)
    st.mov(0, 1, X)
    st.aff(WX, [(X, [w])])
    st.aff(RES, [(WX, [[F(1)]]), ([0], [[F(-1)]])])
    st.mul(d, 1, 1, X, RES, XR)
    st.aff(W, [], bias=w)
    st.aff(HG, [(XR, I), (W, [[step6 * x for x in r] for r in I])])
    st.aff(W, [(W, I), (HG, [[-2 * alpha * x for x in r] for r in I])])
    st.mov(1, 2, W)
    st.mul(1, d, 1, W, X, [3 + 3 * d])
    return st.h[3 + 3 * d][2]


def gd_step(w, x, y, alpha, lam):
    g = [xi * (dot(x, w) - y) + lam * wi for xi, wi in zip(x, w)]
    return [wi - 2 * alpha * gi for wi, gi in zip(w, g)]


# ----------------------------------------------------------------------------------------------
# Theorem 2: one Sherman–Morrison update (App. B, corrected final mul(1, d, 1)), from any A0⁻¹ = B

class Layout2:
    def __init__(self, d):
        self.d = d
        self.y = [0]
        self.x = rows(1, 1 + d)
        self.xy = rows(1 + d, 1 + 2 * d)
        self.inv = rows(1 + 2 * d, 1 + 2 * d + d * d)
        self.u = rows(self.inv[-1] + 1, self.inv[-1] + 1 + d)
        self.v = rows(self.u[-1] + 1, self.u[-1] + 1 + d)
        self.uv = rows(self.v[-1] + 1, self.v[-1] + 1 + d * d)
        self.den = self.uv[-1] + 1
        self.corr = rows(self.den + 1, self.den + 1 + d * d)
        self.w = rows(self.corr[-1] + 1, self.corr[-1] + 1 + d)
        self.out = self.w[-1] + 1
        self.acc = rows(self.out + 1, self.out + 1 + d)      # the stacked chains' running Xᵀy
        self.data = self.out + 1
        assert self.data == 3 + 5 * d + 3 * d * d


def sherman_morrison_steps(st, L, c_unused=None):
    """Steps 4–10 of App. B: from inv = A⁻¹ and x, leave (A + xxᵀ)⁻¹ in inv (every column)."""
    d = L.d
    I = identity(d * d)
    st.mul(d, d, 1, L.inv, L.x, L.u)
    st.mul(1, d, d, L.x, L.inv, L.v)
    st.mul(d, 1, d, L.u, L.v, L.uv)
    st.mul(1, d, 1, L.v, L.x, [L.den])
    st.aff([L.den], [([L.den], [[F(1)]])], bias=[F(1)])
    st.div(L.uv, L.den, L.corr)
    st.aff(L.inv, [(L.inv, I), (L.corr, [[-x for x in r] for r in I])])


def prompt(L, xs, ys, query, extra=0):
    n = len(xs)
    st = State(L.data + extra, 2 * n + 1)
    for k, (x, y) in enumerate(zip(xs, ys)):
        st.h[0][2 * k + 1] = y
        for i in range(L.d):
            st.h[1 + i][2 * k] = x[i]
    for i in range(L.d):
        st.h[1 + i][2 * n] = query[i]
    return st


def theorem2(x1, y1, x2, B):
    d = len(x1)
    L = Layout2(d)
    st = prompt(L, [x1], [y1], x2)
    st.mov(0, 1, L.x)
    st.mul(d, 1, 1, L.x, L.y, L.xy)
    st.aff(L.inv, [], bias=vec(B))
    sherman_morrison_steps(st, L)
    st.mul(d, d, 1, L.inv, L.x, L.w)
    st.mul(d, 1, 1, L.w, L.y, L.w)
    st.mov(1, 2, L.w)
    st.mul(1, d, 1, L.w, L.x, [L.out])
    return st.h[L.out][2]


def stacked(xs, ys, query, lam, carry):
    """n blocks, one per example; the inverse is handed on from block to block. With `carry`, each block also
    accumulates x_k y_k into the acc rows and the last computes w = A_n⁻¹·acc; verbatim, each block ends
    with w = A_k⁻¹x_k·y_k (steps 11–12) and the last block's w is read."""
    d, n = len(xs[0]), len(xs)
    L = Layout2(d)
    st = prompt(L, xs, ys, query, extra=d)
    I = identity(d)
    for k in range(n):
        c = 2 * k + 1
        st.mov(c - 1, c, L.x)
        st.mul(d, 1, 1, L.x, L.y, L.xy)
        if k == 0:
            st.aff(L.inv, [], bias=vec([[x / lam for x in r] for r in I]))
            if carry:
                st.aff(L.acc, [(L.xy, I)])
        else:
            st.mov(c - 2, c, L.inv)
            if carry:
                st.mov(c - 2, c, L.acc)
                st.aff(L.acc, [(L.acc, I), (L.xy, I)])
        sherman_morrison_steps(st, L)
        if not carry:
            st.mul(d, d, 1, L.inv, L.x, L.w)
            st.mul(d, 1, 1, L.w, L.y, L.w)
    c = 2 * n - 1
    if carry:
        st.mul(d, d, 1, L.inv, L.acc, L.w)
    st.mov(c, 2 * n, L.w)
    st.mul(1, d, 1, L.w, L.x, [L.out])
    return st.h[L.out][2 * n]


def ridge(xs, ys, lam):
    d = len(xs[0])
    gram = add(matmul([list(r) for r in zip(*xs)], xs), identity(d), lam)
    moment = [sum((x[i] * y for x, y in zip(xs, ys)), F(0)) for i in range(d)]
    return matvec(inverse(gram), moment)


# ----------------------------------------------------------------------------------------------
# The instances (the same numbers as the derivations' oracle blocks)

def main():
    entries = []

    def record(file, claim_id, value, what):
        entries.append({"file": file, "id": claim_id, "what": what,
                        "value": f"{value.numerator}/{value.denominator}", "expected": formatted(value)})

    gd = "derivations/one-step-gd-construction.md"
    x1 = [F(1, 2), F(-3, 4), F(5, 4)]
    x2 = [F(3, 2), F(1, 4), F(-1)]
    w = [F(1, 4), F(-1, 2), F(3, 4)]
    y1, alpha, lam = F(7, 8), F(3, 8), F(5, 4)
    target = dot(gd_step(w, x1, y1, alpha, lam), x2)
    corrected = theorem1(x1, y1, x2, w, alpha, lam, lam)
    assert corrected == target, "the corrected Theorem 1 chain is one GD step"
    printed = theorem1(x1, y1, x2, w, alpha, lam, -lam)
    assert printed - target == 4 * alpha * lam * dot(w, x2)
    trace = theorem1(x1, y1, x2, w, alpha, lam, -2 * lam)
    assert trace - target == 6 * alpha * lam * dot(w, x2)
    assert dot(w, x2) != 0
    record(gd, "AK-T1-oracle", corrected, "Theorem 1 chain, B = +λI: w′ᵀx₂")
    record(gd, "AK-T1-oracle-printed", printed, "Theorem 1 chain as printed, B = −λI")
    record(gd, "AK-T1-oracle-trace", trace, "Theorem 1 chain with the trace's −2λ")

    sm = "derivations/sherman-morrison-construction.md"
    x1 = [F(1, 2), F(-1), F(3, 4)]
    x2 = [F(1), F(1, 2), F(-3, 2)]
    y1, lam = F(5, 4), F(3, 4)
    scalar = [[x / lam for x in r] for r in identity(3)]
    spd = [[F(2), F(1, 2), F(0)], [F(1, 2), F(1), F(-1, 4)], [F(0), F(-1, 4), F(3, 2)]]
    skew = [[F(1), F(1, 2), F(0)], [F(-1, 4), F(3, 2), F(1, 2)], [F(1, 4), F(0), F(1)]]
    for name, B in [("scalar", scalar), ("spd", spd), ("nonsymmetric", skew)]:
        assert 1 + dot(x1, matvec(B, x1)) > 0, "div's |·| is harmless only for a positive denominator"
        value = theorem2(x1, y1, x2, B)
        A1 = inverse(add(inverse(B), outer(x1, x1)))
        assert value == dot(matvec(A1, [x * y1 for x in x1]), x2), "Sherman–Morrison from " + name
        record(sm, f"AK-T2-oracle-{name}", value, f"Theorem 2 chain from A₀⁻¹ = {name}: w′ᵀx₂")
    assert theorem2(x1, y1, x2, scalar) == y1 * dot(x1, x2) / (lam + dot(x1, x1))
    assert spd == [list(r) for r in zip(*spd)] and spd != scalar
    assert skew != [list(r) for r in zip(*skew)]

    xs = [[F(1, 2), F(-1), F(3, 4)], [F(-1, 4), F(1, 2), F(1)], [F(3, 2), F(1, 4), F(-1, 2)]]
    ys = [F(5, 4), F(-3, 4), F(1, 2)]
    query = [F(1), F(1, 2), F(-3, 2)]
    for n in (2, 3):
        carried = stacked(xs[:n], ys[:n], query, lam, carry=True)
        assert carried == dot(ridge(xs[:n], ys[:n], lam), query), "the carrying stack is ridge"
        verbatim = stacked(xs[:n], ys[:n], query, lam, carry=False)
        An = inverse(add(matmul([list(r) for r in zip(*xs[:n])], xs[:n]), identity(3), lam))
        assert verbatim == dot(matvec(An, [x * ys[n - 1] for x in xs[n - 1]]), query)
        assert verbatim != carried
        record(sm, f"AK-T2-oracle-stacked-n{n}", carried, f"{n} stacked blocks carrying Xᵀy: ridge prediction")
        record(sm, f"AK-T2-oracle-verbatim-n{n}", verbatim, f"{n} blocks stacked verbatim: A_n⁻¹x_n y_n · x_q")

    with open(OUTPUT, "w") as out:
        json.dump({"digits": DIGITS, "entries": entries}, out, indent=1, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
