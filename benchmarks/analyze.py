"""`openkam analyze` end to end beside the `lifetimes` package's pipeline, on the same file.

The file: a transactions export of ``--customers`` (200,000) customers simulated from the
published CDNOW estimates (BG/NBD: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, Fader, Hardie
& Lee 2005; Gamma-Gamma: p = 6.25, q = 3.74, gamma = 15.44, Fader & Hardie 2013): first
purchases spread over the first 12 weeks of 78 weeks, one line per purchase, dated by day, with
a customer code, a date and an amount (seed 42: about 2.8 lines a customer).

Both sides run as whole processes, alternately, ``--runs`` times each, in the same minutes (the
machine is shared: compare the ratios of neighbouring runs). Wall time is measured around the
process, CPU time (user + system) is the child's own (it moves less when other programs share
the machine); peak memory is the child's maximum RSS (``resource.getrusage(RUSAGE_CHILDREN)`` read
in a fresh wrapper process per run, so one run's peak does not hide the next).

- OpenKAM: ``openkam analyze FILE --out DIR`` (console summary, workbook with the 10,000
  customers of largest CLV, customers.csv with every customer, HTML report and the JSON file),
  and ``openkam analyze FILE --json`` (every figure as JSON on stdout, to a file).
- lifetimes 0.11.3 (in benchmarks/.venv-lifetimes, made on first use, as clv_fit.py does):
  ``pandas.read_csv``, ``summary_data_from_transaction_data`` (by day, in weeks:
  ``freq="D", freq_multiplier=7``, as analyze's default time unit), ``BetaGeoFitter``,
  ``GammaGammaFitter`` on the repeat customers, 12-month ``customer_lifetime_value`` (1 % a
  month), nothing written.

Goal (issue 16, goal 1): analyze at least 2x faster than lifetimes with a lower peak memory.

    .venv/bin/python benchmarks/analyze.py [--customers 200000] [--runs 3] [--seed 42]
        [--keep DIR] [--no-json] [--no-lifetimes]

At 2,000,000 customers (goal 2: the workbook keeps the summaries and the top customers, the
full customer table goes to a CSV beside it, as at 200,000) the file has about 5.6 million
lines: more than the default IMPORT_MAX_ROWS (5,000,000), which this script raises for its own
runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LIFETIMES_VENV = ROOT / "benchmarks" / ".venv-lifetimes"
LIFETIMES_REQUIREMENTS = ["lifetimes==0.11.3", "pandas==1.5.3", "numpy==1.26.4", "scipy==1.11.4"]
BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}
WEEKS = 78.0
BIRTH_WEEKS = 12.0
START = dt.date(2024, 1, 1)
HORIZON_MONTHS = 12
DISCOUNT_MONTHLY = 0.01


# --- the file ------------------------------------------------------------------------------------


def simulate_lines(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(customer index, day number from START, amount) of every purchase of n customers."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(BGNBD["r"], 1.0 / BGNBD["alpha"], n)
    dropout = rng.beta(BGNBD["a"], BGNBD["b"], n)
    nu = rng.gamma(GAMMA_GAMMA["q"], 1.0 / GAMMA_GAMMA["gamma"], n)
    birth = rng.uniform(0.0, BIRTH_WEEKS, n)
    customers, times = [np.arange(n)], [birth]
    clock = birth.copy()
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        clock[idx] += rng.exponential(1.0 / rate[idx])
        bought = clock[idx] <= WEEKS
        active[idx[~bought]] = False
        idx = idx[bought]
        customers.append(idx)
        times.append(clock[idx].copy())
        # BG/NBD: after each repeat purchase the customer drops out with probability p.
        active[idx[rng.random(idx.size) < dropout[idx]]] = False
    who = np.concatenate(customers)
    when = np.floor(np.concatenate(times) * 7.0).astype(np.int64)
    amount = np.round(rng.gamma(GAMMA_GAMMA["p"], 1.0 / nu[who]) * 10.0, 2)  # spend in yuan
    order = np.lexsort((when, who))
    return who[order], when[order], amount[order]


def write_file(path: Path, n: int, seed: int) -> int:
    """The export as CSV (customer_id, date, amount); returns its number of lines."""
    import polars as pl

    who, when, amount = simulate_lines(n, seed)
    frame = pl.DataFrame(
        {
            "customer_id": pl.Series(who).cast(pl.String).str.zfill(8).str.replace(r"^", "C"),
            "date": pl.Series((np.datetime64(START, "D") + when).astype("datetime64[D]")),
            "amount": amount,
        }
    )
    frame.write_csv(path, date_format="%Y-%m-%d", float_precision=2)
    return frame.height


# --- the two pipelines, each in its own process --------------------------------------------------


def lifetimes_pipeline(path: Path) -> None:
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    lines = pd.read_csv(path, parse_dates=["date"])
    summary = summary_data_from_transaction_data(
        lines, "customer_id", "date", monetary_value_col="amount", freq="D", freq_multiplier=7
    )
    bgf = BetaGeoFitter().fit(summary["frequency"], summary["recency"], summary["T"])
    repeat = summary[summary["frequency"] > 0]
    ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    clv = ggf.customer_lifetime_value(
        bgf,
        summary["frequency"],
        summary["recency"],
        summary["T"],
        summary["monetary_value"],
        time=HORIZON_MONTHS,
        discount_rate=DISCOUNT_MONTHLY,
        freq="W",
    )
    print(f"lifetimes: {len(summary):,} customers, total CLV {clv.sum():,.0f}", file=sys.stderr)


def measured(command: list[str], stdout: Path | None, env: dict[str, str]) -> dict[str, float]:
    """Runs ``command`` in a fresh wrapper process; its wall seconds and the child's peak RSS."""
    wrapper = [sys.executable, __file__, "--measure", json.dumps(command)]
    if stdout is not None:
        wrapper += ["--stdout", str(stdout)]
    done = subprocess.run(wrapper, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(command: list[str], stdout: str | None) -> None:
    started = time.perf_counter()
    with open(stdout or os.devnull, "wb") as out:
        done = subprocess.run(command, stdout=out, stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise SystemExit(f"failed: {' '.join(command)}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mib": usage.ru_maxrss / 1024.0}))


def ensure_lifetimes_venv() -> Path:
    python = LIFETIMES_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LIFETIMES_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", *LIFETIMES_REQUIREMENTS], check=True
        )
    return python


# --- the run -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", type=Path, help="keep the file and the outputs in this folder")
    parser.add_argument("--file", type=Path, help="use this file instead of generating one")
    parser.add_argument("--no-json", action="store_true", help="skip the --json runs")
    parser.add_argument("--no-lifetimes", action="store_true", help="run analyze only")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--stdout", help=argparse.SUPPRESS)
    parser.add_argument("--lifetimes-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(json.loads(args.measure), args.stdout)
        return 0
    if args.lifetimes_worker:
        lifetimes_pipeline(args.lifetimes_worker)
        return 0

    folder = args.keep or Path(tempfile.mkdtemp(prefix="openkam-bench-analyze-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = args.file or folder / f"transactions-{args.customers}.csv"
    if not path.exists():
        started = time.perf_counter()
        lines = write_file(path, args.customers, args.seed)
        print(f"wrote {path}: {lines:,} lines, {path.stat().st_size / 2**20:.1f} MiB "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    else:
        print(f"using {path} ({path.stat().st_size / 2**20:.1f} MiB)")
    env = {
        **os.environ,
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "IMPORT_MAX_ROWS": "20000000",
        "IMPORT_MAX_FILE_MB": "4096",
    }
    openkam = [str(ROOT / ".venv" / "bin" / "openkam"), "analyze", str(path)]
    sides: dict[str, tuple[list[str], Path | None]] = {
        "analyze": ([*openkam, "--out", str(folder / "out")], None),
    }
    if not args.no_json:
        sides["analyze --json"] = ([*openkam, "--json"], folder / "analysis-stdout.json")
    if not args.no_lifetimes:
        python = ensure_lifetimes_venv()
        sides["lifetimes"] = ([str(python), __file__, "--lifetimes-worker", str(path)], None)
    figures: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
    print(f"load average before the runs: {_load()}")
    for run in range(1, args.runs + 1):
        for side, (command, stdout) in sides.items():
            figure = measured(command, stdout, env)
            figures[side].append(figure)
            print(f"run {run} {side:16} {figure['seconds']:8.1f} s {figure['cpu']:8.1f} s CPU "
                  f"{figure['peak_mib']:8.0f} MiB", flush=True)  # fmt: skip
    print(f"load average after the runs: {_load()}")
    report(f"{args.customers:,} customers" if args.file is None else str(path), figures)
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _load() -> str:
    """The 1, 5 and 15 minute load averages: on a shared machine, how far to trust wall time."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def report(what: str, figures: dict[str, list[dict[str, float]]]) -> None:
    print(f"\n{what}; each run: seconds / peak MiB, and lifetimes / OpenKAM")
    print(
        f"{'':18}" + "".join(f"{'run ' + str(k + 1):>22}" for k in range(len(figures["analyze"])))
    )
    for side, runs in figures.items():
        print(f"{side:18}" + "".join(f"{r['seconds']:>12.1f}s{r['peak_mib']:>8.0f}M" for r in runs))
    if "lifetimes" not in figures:
        return
    baseline = figures["lifetimes"]
    for side in (s for s in figures if s != "lifetimes"):
        speed = [b["seconds"] / r["seconds"] for r, b in zip(figures[side], baseline, strict=True)]
        cpu = [b["cpu"] / r["cpu"] for r, b in zip(figures[side], baseline, strict=True)]
        memory = [
            b["peak_mib"] / r["peak_mib"] for r, b in zip(figures[side], baseline, strict=True)
        ]
        print(f"{'ratio ' + side:18}" + "".join(f"{s:>12.2f}x{m:>7.2f}x" for s, m in
                                                zip(speed, memory, strict=True)))  # fmt: skip
        print(f"  {side}: CPU seconds ratio {min(cpu):.2f}-{max(cpu):.2f}x (steadier when the "
              "machine is shared)")  # fmt: skip
        met = min(speed) >= 2 and min(memory) > 1
        print(f"  {side}: speed-up {min(speed):.2f}-{max(speed):.2f}x (goal >= 2x), "
              f"memory {min(memory):.2f}-{max(memory):.2f}x less (goal > 1): "
              f"{'met' if met else 'NOT MET'}")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
