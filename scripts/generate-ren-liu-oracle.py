#!/usr/bin/env python3
"""Writes Tests/VerifierTests/Fixtures/oracle/ren-liu.json: independent values of key quantities of the two
Ren & Liu derivations (derivations/generalization-bound.md and derivations/softmax-attention-kernel-dual.md).

It also writes Tests/MultiPrecisionTests/Fixtures/gauss-hermite.json, the nodes and weights of the Gauss-Hermite
rules of the numerics library (`gaussHermiteRule`), from mpmath's eigenvalues of the Jacobi matrix.

Run once from the repository root (`python3 scripts/generate-ren-liu-oracle.py`) and commit the output; the
tests never run Python. The derivations print each quantity on a line `oracle NAME VALUE`; the Swift test
(Tests/VerifierTests/RenLiuOracleTests.swift) runs them and compares the printed value with the one here to
`digits` significant digits.

The oracle rebuilds each test instance from the seeds: SeededInputs (SplitMix64, Box-Muller at 64 bits rounded
to 53) is re-derived in scripts/generate-numerics-fixtures.py and reused here; everything after the inputs is
computed with mpmath at 120 digits (or with exact rationals), by other routes than the derivations take where
one exists: binomial tails by the regularized incomplete beta function, Gauss-Hermite rules by the eigenvalues
of the Jacobi matrix (Golub-Welsch), Rademacher averages by a direct sum over sign vectors.
"""
import importlib.util
import json
import math
import os
from fractions import Fraction

import mpmath
from mpmath import mp, mpf

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "..", "Tests", "VerifierTests", "Fixtures", "oracle", "ren-liu.json")
GAUSS_HERMITE = os.path.join(HERE, "..", "Tests", "MultiPrecisionTests", "Fixtures", "gauss-hermite.json")
DIGITS = 50               # significant digits compared
mp.dps = 120

_spec = importlib.util.spec_from_file_location("numerics", os.path.join(HERE, "generate-numerics-fixtures.py"))
numerics = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(numerics)


class Seeded:
    """SeededInputs(seed:) of the MultiPrecision library, exactly (values as Fractions)."""

    def __init__(self, seed):
        self.g = numerics.SplitMix64(seed)

    def gaussian(self):
        u1 = Fraction((self.g.next() >> 11) + 1, 2**53)
        u2 = Fraction(self.g.next() >> 11, 2**53)

        def at64(compute):
            m, e = numerics.round_real(compute, 64, "n")
            return Fraction(m) * Fraction(2)**e
        log_u1 = at64(lambda: mpmath.log(mpf(u1.numerator) / u1.denominator)) if u1 != 1 else Fraction(0)
        t = -2 * log_u1
        radius = at64(lambda: mpmath.sqrt(mpf(t.numerator) / t.denominator)) if t != 0 else Fraction(0)
        two_pi = 2 * at64(lambda: +mp.pi)
        m, e = numerics.round_fraction(two_pi * u2, 64, "n") if u2 != 0 else (0, 0)
        angle = Fraction(m) * Fraction(2)**e
        cosine = at64(lambda: mpmath.cos(mpf(angle.numerator) / angle.denominator)) if angle != 0 else Fraction(1)
        m, e = numerics.round_fraction(radius * cosine, 64, "n") if radius * cosine != 0 else (0, 0)
        m, e = numerics.round_fraction(Fraction(m) * Fraction(2)**e, 53, "n") if m != 0 else (0, 0)
        return Fraction(m) * Fraction(2)**e

    def matrix(self, rows, columns):
        return [[self.gaussian() for _ in range(columns)] for _ in range(rows)]

    def vector(self, n):
        return [self.gaussian() for _ in range(n)]

    def int(self, lo, hi):
        return lo + self.g.next() % (hi - lo + 1)


def m_(x):
    return mpf(x.numerator) / x.denominator if isinstance(x, Fraction) else mpf(x)


def matvec(a, x):
    return [sum(a[i][j] * x[j] for j in range(len(x))) for i in range(len(a))]


def scaled(a, s):
    return [[v * s for v in row] for row in a]


def dot(x, y):
    return sum(a * b for a, b in zip(x, y))


def fmt(x):
    return mpmath.nstr(x, DIGITS + 10, strip_zeros=False)


# ----------------------------------------------------------------------------------------------------------
# derivations/generalization-bound.md


def bound_values():
    gen = Seeded(4042)
    wk = scaled(gen.matrix(2, 4), Fraction(1, 4))
    wv = scaled(gen.matrix(2, 4), Fraction(1, 2))
    wq = scaled(gen.matrix(2, 4), Fraction(1, 4))
    omega = gen.matrix(4, 2)
    atoms = [gen.vector(4) for _ in range(6)]
    counts = [gen.int(1, 4) for _ in range(6)]
    total = sum(counts)
    radius = mpf(2)
    keys = [[m_(v) for v in matvec(wk, a)] for a in atoms]
    values = [[m_(v) for v in matvec(wv, a)] for a in atoms]
    om = [[m_(v) for v in row] for row in omega]

    def kernel_hat(x, y):
        s = sum(mpmath.exp(dot(row, [a + b for a, b in zip(x, y)])) for row in om)
        return s * mpmath.exp(-(dot(x, x) + dot(y, y)) / 2) / 4

    def features(z):
        damping = mpmath.exp(-dot(z, z) / 2)
        return [mpmath.exp(dot(row, z)) * damping / 2 for row in om]     # sqrt(1/d_r) = 1/2

    bv = max(mpmath.sqrt(dot(v, v)) for v in values)
    bphi = max(mpmath.sqrt(kernel_hat(k, k)) for k in keys)
    out = {"bound.bv-bphi": bv * bphi}

    sampler = Seeded(77)

    def draw(n):
        idx = []
        for _ in range(n):
            r = sampler.int(0, total - 1)
            a = 0
            while r >= counts[a]:
                r -= counts[a]
                a += 1
            idx.append(a)
        return idx
    sample = draw(16)
    gram = [[dot(values[i], values[j]) * kernel_hat(keys[i], keys[j]) for j in sample] for i in sample]
    # Direct sum over the 2^15 sign vectors with sigma_16 = +1 (sigma and -sigma give the same term).
    acc = mpf(0)
    n = 16
    for mask in range(1 << (n - 1)):
        sigma = [(-1 if (mask >> i) & 1 else 1) for i in range(n - 1)] + [1]
        u = [sum(gram[i][j] * sigma[j] for j in range(n)) for i in range(n)]
        acc += mpmath.sqrt(dot(sigma, u))
    out["bound.rademacher-N16"] = radius / n * acc / (1 << (n - 1))

    # Expected excess risk on the two atoms a_1, a_2 with p = 3/10, N = 1024: binomial weights from mpmath.
    phis = [features(k) for k in keys]
    mats = [[v[i] * f[j] for i in range(2) for j in range(4)] for v, f in zip(values, phis)]
    p = mpf(3) / 10
    big = [p * a + (1 - p) * b for a, b in zip(mats[0], mats[1])]
    big_norm = mpmath.sqrt(dot(big, big))
    n = 1024
    expected = mpf(0)
    for c in range(n + 1):
        t = mpf(c) / n
        hat = [t * a + (1 - t) * b for a, b in zip(mats[0], mats[1])]
        cosine = dot(hat, big) / (mpmath.sqrt(dot(hat, hat)) * big_norm)
        expected += mpmath.binomial(n, c) * p**c * (1 - p)**(n - c) * (1 - cosine)
    out["bound.typical-excess-N1024"] = radius * big_norm * expected

    # The minority wins in the worst-case family: P(Bin(N, (1+eps)/2) <= (N-1)/2) = I_{1-p}(N - k, k + 1).
    n = 1025
    k = (n - 1) // 2
    for den, quantile in [(10, 1.2816), (100, 2.3263)]:
        eps = Fraction(int(0.95 * quantile / math.sqrt(n) * 4096), 4096)
        pw = (1 + m_(eps)) / 2
        out[f"bound.minority-N1025-{den}"] = mpmath.betainc(n - k, k + 1, 0, 1 - pw, regularized=True)

    # The radius that covers every prompt: B_V B_phi / min over key and query atoms of kappa_hat(W_K a, W_Q a').
    queries = [[m_(v) for v in matvec(wq, a)] for a in atoms]
    kernel_min = min(dot(features(k), features(q)) for k in keys for q in queries)
    out["bound.prompt-radius"] = bv * bphi / kernel_min
    return out


# ----------------------------------------------------------------------------------------------------------
# derivations/softmax-attention-kernel-dual.md


def instance(seed, d, dk, dout, n):
    """makeInstance(seed:d:dk:dout:n:): X (d x (n+1)), then W_Q, W_K scaled by 1/2 (1/4 for d >= 8), then W_V."""
    g = Seeded(seed)
    shrink = Fraction(1, 4 if d >= 8 else 2)
    x = g.matrix(d, n + 1)
    wq = scaled(g.matrix(dk, d), shrink)
    wk = scaled(g.matrix(dk, d), shrink)
    wv = g.matrix(dout, d)
    columns = [[x[i][j] for i in range(d)] for j in range(n + 1)]
    return columns, wq, wk, wv


def gauss_hermite(n):
    """Nodes and weights of the n-point rule for N(0, 1) by Golub-Welsch: the eigenvalues of the Jacobi matrix
    with off-diagonal entries sqrt(k), and the squared first components of its normalized eigenvectors."""
    jacobi = mpmath.zeros(n, n)
    for k in range(1, n):
        jacobi[k - 1, k] = jacobi[k, k - 1] = mpmath.sqrt(k)
    nodes, vectors = mpmath.eigsy(jacobi)
    return [nodes[i] for i in range(n)], [vectors[0, i]**2 for i in range(n)]


def softmax_values():
    out = {}
    # Softmax attention of the first grid instance (seed 100, d = d_k = d_o = 2, N = 1), first entry.
    tokens, wq, wk, wv = instance(100, 2, 2, 2, 1)
    toks = [[m_(v) for v in t] for t in tokens]
    q = [v / mpmath.sqrt(2) for v in matvec([[m_(v) for v in row] for row in wq], toks[-1])]
    keys = [matvec([[m_(v) for v in row] for row in wk], t) for t in toks]
    values = [matvec([[m_(v) for v in row] for row in wv], t) for t in toks]
    weights = [mpmath.exp(dot(k, q)) for k in keys]
    out["softmax.attention-grid0"] = sum(w * v[0] for w, v in zip(weights, values)) / sum(weights)

    # |phi_GH(z)|^2 for z = x + y of the first test pair (seed 600, d_k = 2, both scaled by 1/4), 64 x 64 tensor rule:
    # e^{-|z|^2} Q_64(e^{2 z_1 t}) Q_64(e^{2 z_2 t}).
    g6 = Seeded(600)
    x = [m_(v / 4) for v in g6.vector(2)]
    y = [m_(v / 4) for v in g6.vector(2)]
    z = [a + b for a, b in zip(x, y)]
    nodes, weights = gauss_hermite(64)
    factors = [sum(w * mpmath.exp(2 * c * t) for t, w in zip(nodes, weights)) for c in z]
    out["softmax.gh-self-kernel"] = mpmath.exp(-dot(z, z)) * factors[0] * factors[1]

    # The delta-method constant C of the Monte Carlo check (seed 700, d = d_k = d_o = 4, N = 3; q = W_Q x / 2,
    # keys -q + W_K x / 16).
    tokens, wq, wk, wv = instance(700, 4, 4, 4, 3)
    toks = [[m_(v) for v in t] for t in tokens]
    q = [v / 2 for v in matvec([[m_(v) for v in row] for row in wq], toks[-1])]
    keys = [[v / 16 - c for v, c in zip(matvec([[m_(v) for v in row] for row in wk], t), q)] for t in toks]
    values = [matvec([[m_(v) for v in row] for row in wv], t) for t in toks]
    weights = [mpmath.exp(dot(k, q)) for k in keys]
    big_d = sum(weights)
    h = [sum(w * v[c] for w, v in zip(weights, values)) / big_d for c in range(4)]
    c2 = mpf(0)
    for ki, vi in zip(keys, values):
        for kj, vj in zip(keys, values):
            joint = [a + b + 2 * c for a, b, c in zip(ki, kj, q)]
            moment = mpmath.exp(dot(joint, joint) / 2 - (dot(ki, ki) + dot(kj, kj)) / 2 - dot(q, q))
            c2 += dot([a - b for a, b in zip(vi, h)], [a - b for a, b in zip(vj, h)]) * moment
    out["softmax.mc-constant"] = (mpmath.sqrt(c2) / big_d, 15)     # the derivation computes it at 64 bits
    return out


def main():
    values = {}
    values.update(bound_values())
    values.update(softmax_values())
    entries = []
    for name, value in sorted(values.items()):
        if isinstance(value, tuple):
            entries.append({"name": name, "value": fmt(value[0]), "digits": value[1]})
        else:
            entries.append({"name": name, "value": fmt(value)})
    fixture = {
        "generator": "scripts/generate-ren-liu-oracle.py, mpmath " + mpmath.__version__,
        "digits": DIGITS,
        "values": entries,
    }
    os.makedirs(os.path.dirname(OUTPUT), exist_ok=True)
    with open(OUTPUT, "w") as out:
        json.dump(fixture, out, indent=1)
        out.write("\n")
    print(f"wrote {OUTPUT}: {len(values)} values")
    # The Gauss-Hermite rules of the numerics library (gaussHermiteRule), for its own tests.
    rules = []
    for n in (1, 2, 5, 20, 64):
        nodes, weights = gauss_hermite(n)
        order = sorted(range(n), key=lambda i: nodes[i])
        rules.append({"points": n, "nodes": [fmt(nodes[i]) for i in order], "weights": [fmt(weights[i]) for i in order]})
    with open(GAUSS_HERMITE, "w") as out:
        json.dump({"generator": fixture["generator"], "digits": DIGITS, "rules": rules}, out, indent=1)
        out.write("\n")
    print(f"wrote {GAUSS_HERMITE}: {len(rules)} rules")


if __name__ == "__main__":
    main()
