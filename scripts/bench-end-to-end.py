#!/usr/bin/env python3
"""End-to-end timings of the README's commands, with medians, next to their targets (not a timed test).

    python3 scripts/bench-end-to-end.py [--runs N] [--baseline CHECKOUT] [--callgrind] [--skip-precision] [--mutate]

Rows (each the median of N runs, wall-clock seconds and CPU seconds of verify and all its children):
  cold      `swift run verify derivations/ --no-cache` (the README's command, debug build of verify)
  cache     `swift run verify derivations/` with every report cached
  cache-verify  the same cache hit without `swift run`: `.build/debug/verify derivations/`
  swiftpm   a no-op `swift build --product verify`: SwiftPM's planning, which `swift run` does before starting verify
  3322      `swift run verify derivations/ --precision 3322 --no-cache` (about 1000 digits)
  share     with --callgrind: the share of the sherman-morrison program's instructions spent in MPFR and GMP, one
            576-bit rung under `valgrind --tool=callgrind` (instruction counts do not depend on the machine's load)
  phases    one more cold run's JSON report: each file's compile and rung seconds, and their sum against the cores
  mutate    with --mutate: one run of `swift run -c release verify --mutate derivations/ --no-cache` (the CI gate's
            command, release build), its wall and CPU seconds, mutants per second, and each file's own seconds

Before timing, it builds what the README's command uses: `swift build` (verify, debug) and
`swift build -c release --target DerivationKit` (the release library that derivation programs link against when it
is current). With --baseline, the same rows are measured, alternating, in another checkout of the package (for
example the previous commit, already built with `swift build`), and the ratios are printed side by side.
The machine's load average is printed before and after: wall-clock numbers are only comparable at equal load.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGETS = {"cold": 4.0, "cache": 0.3, "cache-verify": 0.3, "swiftpm": 0.3, "3322": 15.0, "share": 60.0, "mutate": 600.0}
BASELINE_ISSUE = {"cold": "9.6 s", "cache": "0.44 s", "cache-verify": "—", "swiftpm": "—", "3322": "24 s", "share": "25.6 %"}


def timed(command, cwd):
    """Wall and CPU seconds (user + system, children included) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} in {cwd} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def build(cwd, library):
    commands = [["swift", "build", "--product", "verify"]]
    if library:
        commands.append(["swift", "build", "-c", "release", "--target", "DerivationKit"])
    for command in commands:
        result = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} in {cwd} failed:\n{result.stdout[-2000:]}")


def rows_to_run(skip_precision):
    rows = {
        "cold": ["swift", "run", "verify", "derivations/", "--no-cache"],
        "cache": ["swift", "run", "verify", "derivations/"],
        # The two parts of a cache hit: `verify` itself, and SwiftPM's own planning before `swift run` starts it.
        "cache-verify": [os.path.join(".build", "debug", "verify"), "derivations/"],
        "swiftpm": ["swift", "build", "--product", "verify"],
    }
    if not skip_precision:
        rows["3322"] = ["swift", "run", "verify", "derivations/", "--precision", "3322", "--no-cache"]
    return rows


def measure(checkouts, runs, skip_precision):
    """{row: {checkout: [(wall, cpu)]}}, runs alternating between the checkouts."""
    results = {}
    for row, command in rows_to_run(skip_precision).items():
        results[row] = {checkout: [] for checkout in checkouts}
        for checkout in checkouts:
            if row.startswith("cache"):
                timed(["swift", "run", "verify", "derivations/"], checkout)   # fill the cache
        for _ in range(runs):
            for checkout in checkouts:
                results[row][checkout].append(timed(command, checkout))
    return results


def share(checkout):
    """Percent of the instructions of one 576-bit rung of sherman-morrison spent in libmpfr and libgmp."""
    subprocess.run(["swift", "run", "verify", "derivations/sherman-morrison-construction.md"], cwd=checkout,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    programs = os.path.join(checkout, ".build", "verify-cache", "programs")
    candidates = []
    for key in os.listdir(programs):
        path = os.path.join(programs, key, "derivation")
        if os.path.exists(path) and b"sherman-morrison-construction.md" in open(path, "rb").read():
            candidates.append((os.path.getmtime(path), path))
    program = max(candidates)[1]
    out = f"/tmp/callgrind-share-{os.getpid()}.out"
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", program, "--precision", "576"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = subprocess.run(["callgrind_annotate", out], stdout=subprocess.PIPE, text=True).stdout
    os.remove(out)
    total, numerics = 0, 0
    for line in text.splitlines():
        parts = line.split()
        if not parts or not parts[0].replace(",", "").isdigit():
            continue
        count = int(parts[0].replace(",", ""))
        if "PROGRAM TOTALS" in line:
            total = count
        elif "libmpfr" in line or "libgmp" in line:
            numerics += count
    return 100.0 * numerics / total, total


def phases(checkout):
    """Where a cold run's time goes, from its JSON report: each file's compilation and rungs (seconds of each job;
    every job is one single-threaded process, so on an otherwise idle machine these are close to its CPU seconds)."""
    result = subprocess.run(["swift", "run", "verify", "derivations/", "--no-cache", "--json"], cwd=checkout,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    report = json.loads(result.stdout)
    compile_total, rung_total = 0.0, 0.0
    for file in report["files"]:
        rungs = file.get("rungSeconds") or []
        compile_total += file.get("compileSeconds") or 0
        rung_total += sum(rungs)
        print(f"          {file['file']}: {len(file['claims'])} claims, compile {file.get('compileSeconds') or 0:.2f} s, "
              f"rungs {' + '.join(f'{r:.2f}' for r in rungs)} s")
    print(f"          compilations {compile_total:.2f} s, rungs {rung_total:.2f} s, in all {compile_total + rung_total:.2f} s "
          f"of jobs for {os.cpu_count()} cores: at least {(compile_total + rung_total) / os.cpu_count():.2f} s wall")


def mutation_row(checkout):
    """One run of the mutation analysis of the derivations (release build): wall, CPU and the JSON report's figures."""
    result = subprocess.run(["swift", "build", "-c", "release", "--product", "verify"], cwd=checkout,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if result.returncode != 0:
        sys.exit(f"swift build -c release in {checkout} failed:\n{result.stdout[-2000:]}")
    report = f"/tmp/bench-mutate-{os.getpid()}.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with open(report, "w") as output:
        subprocess.run([os.path.join(checkout, ".build", "release", "verify"), "--mutate", "derivations/", "--no-cache", "--json"],
                       cwd=checkout, stdout=output, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with open(report) as handle:
        data = json.load(handle)
    os.remove(report)
    status = "met" if wall <= TARGETS["mutate"] else "MISSED"
    print(f"mutate  {wall:9.1f}{cpu:9.1f}{'≤ 600':>9}  {status:7}  {data['mutantsPerSecond']:.1f} mutants/s")
    for file in data["files"]:
        outcomes = {key: file[key] for key in ("caught", "missed", "unviable", "timeouts", "accepted")}
        print(f"          {file['file']}: {file['seconds']:.0f} s, score {file.get('score') or 0:.1f} %, {outcomes}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", help="another checkout of the package, measured alternately")
    parser.add_argument("--callgrind", action="store_true", help="also measure the MPFR/GMP instruction share")
    parser.add_argument("--skip-precision", action="store_true", help="skip the --precision 3322 row")
    parser.add_argument("--mutate", action="store_true", help="also time the mutation analysis of the derivations (about 10 min)")
    arguments = parser.parse_args()
    checkouts = [ROOT] + ([os.path.abspath(arguments.baseline)] if arguments.baseline else [])
    for checkout in checkouts:
        build(checkout, library=checkout == ROOT)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} cores; "
          f"median of {arguments.runs} runs")
    results = measure(checkouts, arguments.runs, arguments.skip_precision)
    header = f"{'row':13}{'wall s':>9}{'CPU s':>9}{'target':>9}{'':9}{'issue (main, quiet)':>21}"
    if arguments.baseline:
        header += f"{'baseline wall':>15}{'baseline CPU':>14}{'CPU ratio':>11}"
    print(header)
    for row, per in results.items():
        wall = statistics.median(w for w, _ in per[ROOT])
        cpu = statistics.median(c for _, c in per[ROOT])
        status = "met" if wall <= TARGETS[row] else "MISSED"
        line = f"{row:13}{wall:9.2f}{cpu:9.2f}{'≤ ' + str(TARGETS[row]):>9}  {status:7}{BASELINE_ISSUE[row]:>21}"
        if arguments.baseline:
            base = per[checkouts[1]]
            base_wall = statistics.median(w for w, _ in base)
            base_cpu = statistics.median(c for _, c in base)
            line += f"{base_wall:15.2f}{base_cpu:14.2f}{cpu / base_cpu:11.2f}"
        print(line)
    print("phases (one cold run, JSON report):")
    phases(ROOT)
    if arguments.callgrind:
        for checkout in checkouts:
            percent, total = share(checkout)
            name = "share" if checkout == ROOT else "baseline share"
            status = "met" if percent >= TARGETS["share"] else "MISSED"
            print(f"{name}: {percent:.1f} % of {total:,} instructions in MPFR/GMP (target ≥ 60 %: {status}; "
                  f"issue: {BASELINE_ISSUE['share']})")
    if arguments.mutate:
        mutation_row(ROOT)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
