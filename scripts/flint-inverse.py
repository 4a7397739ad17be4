#!/usr/bin/env python3
"""The inverse row of numerics-bench in python-flint (Arb ball arithmetic).

    python3 scripts/flint-inverse.py BITS N REPETITIONS

Inverts A = 1/(i+j+1) + 64·δᵢⱼ (entries exact rationals rounded to BITS) with `arb_mat.inv` at BITS bits of
working precision, REPETITIONS times after one warm-up, and prints one line: `median_ms radius` (the largest
radius of an entry of the last inverse). Exits with status 3 and a message when python-flint is not installed
(`pip install python-flint`).
"""
import sys
import time

try:
    import flint
except ImportError:
    print("python-flint is not installed (pip install python-flint)", file=sys.stderr)
    sys.exit(3)

bits, n, repetitions = (int(x) for x in sys.argv[1:4])
flint.ctx.prec = bits
a = flint.arb_mat(n, n, [flint.arb(flint.fmpq(1 + 64 * (i + j + 1) if i == j else 1, i + j + 1))
                         for i in range(n) for j in range(n)])
times = []
inverse = None
for repetition in range(repetitions + 1):
    start = time.perf_counter_ns()
    inverse = a.inv()
    elapsed = time.perf_counter_ns() - start
    if repetition > 0:
        times.append(elapsed / 1e6)
times.sort()
radius = max(float(inverse[i, j].rad()) for i in range(n) for j in range(n))
print(f"{times[len(times) // 2]:.3f} {radius:.3e}")
