"""BG/NBD + Gamma-Gamma fit and CLV prediction on 1,000,000 synthetic customers: OpenKAM's
analytics library beside the `lifetimes` package (0.11.3) on the same data, in the same run.

Customers are drawn from the published CDNOW estimates (BG/NBD: r = 0.243, alpha = 4.414,
a = 0.793, b = 2.426, Fader, Hardie & Lee 2005; Gamma-Gamma: p = 6.25, q = 3.74, gamma = 15.44,
Fader & Hardie 2013) over a 39-week calibration period with first purchases spread over the
first 12 weeks, as in the CDNOW cohort. Purchases happen in continuous time but are recorded by
day, as in a ledger and in CDNOW: t_x and T are rounded to whole days (``--resolution day``, the
default; ``--resolution continuous`` keeps the exact times, where no two customers share a row).
Both sides get the same rows, one per customer.

Pareto/NBD is fitted on the first ``--pareto-customers`` (10,000) of them, on both sides, and
reported apart from the goal (SMC 1987 is much slower to fit than BG/NBD).

Each side runs in its own child process (peak memory = that process's max RSS); `lifetimes`
runs in its own virtualenv (benchmarks/.venv-lifetimes, made on first use) because it needs
older pandas and NumPy than the project. Goal: parameters agree to 1e-3 relative; OpenKAM at
least 10x faster with less peak memory.

    .venv/bin/python benchmarks/clv_fit.py [--customers 1000000] [--seed 42]
        [--resolution day|continuous] [--pareto-customers 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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
WEEKS = 39.0
HORIZON_MONTHS = 12
DISCOUNT_MONTHLY = 0.01  # lifetimes takes a monthly rate; 1 % a month = 12.68 % a year
PARETO_NBD = ("r", "alpha", "s", "beta")


def recorded_by_day(data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """t_x and T in whole days (still in weeks): what a ledger of order dates gives."""
    return {**data, "t_x": np.round(data["t_x"] * 7.0) / 7.0, "T": np.round(data["T"] * 7.0) / 7.0}


def simulate(n: int, seed: int) -> dict[str, np.ndarray]:
    """x, t_x, T and mean repeat spend for n customers of a BG/NBD + Gamma-Gamma world."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(BGNBD["r"], 1.0 / BGNBD["alpha"], n)
    dropout = rng.beta(BGNBD["a"], BGNBD["b"], n)
    T = WEEKS - rng.uniform(0.0, 12.0, n)
    x = np.zeros(n, dtype=np.int64)
    t_x = np.zeros(n)
    clock = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        clock[idx] += rng.exponential(1.0 / rate[idx])
        bought = clock[idx] <= T[idx]
        active[idx[~bought]] = False
        idx = idx[bought]
        x[idx] += 1
        t_x[idx] = clock[idx]
        # BG/NBD: after each repeat purchase the customer becomes inactive with probability p
        # (so a customer without repeat purchases is alive, FHL 2005 section 2).
        active[idx[rng.random(idx.size) < dropout[idx]]] = False
    nu = rng.gamma(GAMMA_GAMMA["q"], 1.0 / GAMMA_GAMMA["gamma"], n)
    spend_total = rng.gamma(np.maximum(x, 1) * GAMMA_GAMMA["p"], 1.0 / nu)
    m_x = np.where(x > 0, spend_total / np.maximum(x, 1), 0.0)
    return {"x": x.astype(np.float64), "t_x": t_x, "T": T, "m_x": m_x}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker_openkam(data: dict[str, np.ndarray]) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    from openkam.analytics.bgnbd import BGNBDModel
    from openkam.analytics.clv import customer_lifetime_value
    from openkam.analytics.gammagamma import GammaGammaModel
    from openkam.analytics.paretonbd import ParetoNBDModel

    x, t_x, T, m_x = data["x"], data["t_x"], data["T"], data["m_x"]
    few = int(data["pareto_customers"])
    start = time.perf_counter()
    bgf = BGNBDModel().fit(x, t_x, T)
    fitted_bg = time.perf_counter()
    ggf = GammaGammaModel().fit(x[x > 0], m_x[x > 0])
    fitted_gg = time.perf_counter()
    value = customer_lifetime_value(
        bgf,
        ggf,
        x,
        t_x,
        T,
        np.where(x > 0, m_x, 0.0),
        horizon_months=HORIZON_MONTHS,
        annual_discount_rate=(1 + DISCOUNT_MONTHLY) ** 12 - 1,
        time_unit="week",
    )
    done = time.perf_counter()
    pnbd = ParetoNBDModel().fit(x[:few], t_x[:few], T[:few])
    pareto_done = time.perf_counter()
    return {
        "bgnbd": {k: float(getattr(bgf.params_, k)) for k in BGNBD},
        "gamma_gamma": {k: float(getattr(ggf.params_, k)) for k in GAMMA_GAMMA},
        "pareto_nbd": {k: float(getattr(pnbd.params_, k)) for k in PARETO_NBD},
        "seconds": {
            "bgnbd_fit": fitted_bg - start,
            "gamma_gamma_fit": fitted_gg - fitted_bg,
            "clv_predict": done - fitted_gg,
            "total": done - start,
            "pareto_nbd_fit": pareto_done - done,
        },
        "clv_total": float(np.sum(value.clv)),
        "peak_rss_mib": peak_rss_mib(),
    }


def worker_lifetimes(data: dict[str, np.ndarray]) -> dict[str, object]:
    import pandas as pd
    from lifetimes import BetaGeoFitter, GammaGammaFitter, ParetoNBDFitter

    frame = pd.DataFrame(
        {"frequency": data["x"], "recency": data["t_x"], "T": data["T"], "monetary": data["m_x"]}
    )
    start = time.perf_counter()
    bgf = BetaGeoFitter().fit(frame["frequency"], frame["recency"], frame["T"])
    fitted_bg = time.perf_counter()
    repeaters = frame[frame["frequency"] > 0]
    ggf = GammaGammaFitter().fit(repeaters["frequency"], repeaters["monetary"])
    fitted_gg = time.perf_counter()
    clv = ggf.customer_lifetime_value(
        bgf,
        frame["frequency"],
        frame["recency"],
        frame["T"],
        frame["monetary"],
        time=HORIZON_MONTHS,
        discount_rate=DISCOUNT_MONTHLY,
        freq="W",
    )
    done = time.perf_counter()
    few = frame.iloc[: int(data["pareto_customers"])]
    pnbd = ParetoNBDFitter().fit(few["frequency"], few["recency"], few["T"])
    pareto_done = time.perf_counter()
    return {
        "bgnbd": {k: float(bgf.params_[k]) for k in BGNBD},
        "gamma_gamma": {k: float(ggf.params_[k if k != "gamma" else "v"]) for k in GAMMA_GAMMA},
        "pareto_nbd": {k: float(pnbd.params_[k]) for k in PARETO_NBD},
        "seconds": {
            "bgnbd_fit": fitted_bg - start,
            "gamma_gamma_fit": fitted_gg - fitted_bg,
            "clv_predict": done - fitted_gg,
            "total": done - start,
            "pareto_nbd_fit": pareto_done - done,
        },
        "clv_total": float(np.sum(clv.to_numpy())),
        "peak_rss_mib": peak_rss_mib(),
    }


def ensure_lifetimes_venv() -> Path:
    python = LIFETIMES_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(LIFETIMES_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", *LIFETIMES_REQUIREMENTS], check=True
        )
    return python


def run_worker(python: Path, side: str, data_file: Path) -> dict[str, object]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [str(python), __file__, "--worker", side, "--data", str(data_file)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def relative_gap(ours: dict[str, float], theirs: dict[str, float]) -> float:
    return max(abs(ours[k] - theirs[k]) / abs(theirs[k]) for k in ours)


def report(n: int, resolution: str, pareto_n: int, ours: dict, theirs: dict) -> bool:
    print(
        f"\nBG/NBD + Gamma-Gamma + 12-month CLV on {n:,} synthetic CDNOW customers, times "
        f"recorded {'by day' if resolution == 'day' else 'exactly'}; Pareto/NBD fit on the first "
        f"{pareto_n:,}\n"
    )
    print(f"{'':24}{'OpenKAM':>14}{'lifetimes':>14}{'ratio':>10}")
    for step in ("bgnbd_fit", "gamma_gamma_fit", "clv_predict", "total", "pareto_nbd_fit"):
        a, b = ours["seconds"][step], theirs["seconds"][step]
        print(f"{step + ' (s)':24}{a:14.3f}{b:14.3f}{b / a:9.1f}x")
    a, b = ours["peak_rss_mib"], theirs["peak_rss_mib"]
    print(f"{'peak memory (MiB)':24}{a:14.0f}{b:14.0f}{b / a:9.1f}x")
    print(f"\n{'parameters':20}{'OpenKAM':13}{'lifetimes':13}published (simulated from)")
    for model, published in (("bgnbd", BGNBD), ("gamma_gamma", GAMMA_GAMMA)):
        for key, value in published.items():
            print(
                f"{model + '.' + key:20}{ours[model][key]:<13.5f}{theirs[model][key]:<13.5f}{value}"
            )
    pareto_gap = relative_gap(ours["pareto_nbd"], theirs["pareto_nbd"])
    print(f"{'pareto_nbd':20}" + "  ".join(f"{k} {ours['pareto_nbd'][k]:.5f}" for k in PARETO_NBD))
    gap = max(relative_gap(ours[m], theirs[m]) for m in ("bgnbd", "gamma_gamma"))
    clv_gap = abs(ours["clv_total"] - theirs["clv_total"]) / abs(theirs["clv_total"])
    speed = theirs["seconds"]["total"] / ours["seconds"]["total"]
    memory = theirs["peak_rss_mib"] / ours["peak_rss_mib"]
    print(f"\nlargest relative parameter difference: {gap:.2e} (goal <= 1e-3)")
    print(f"relative difference of total CLV:      {clv_gap:.2e}")
    print(f"largest relative Pareto/NBD difference: {pareto_gap:.2e} (reported, not a goal)")
    print(f"speed-up: {speed:.1f}x (goal >= 10x); peak memory ratio: {memory:.2f}x (goal > 1)")
    return gap <= 1e-3 and speed >= 10 and memory > 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--resolution", choices=["day", "continuous"], default="day")
    parser.add_argument("--pareto-customers", type=int, default=10_000)
    parser.add_argument("--worker", choices=["openkam", "lifetimes"])
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    if args.worker:
        data = dict(np.load(args.data))
        work = worker_openkam if args.worker == "openkam" else worker_lifetimes
        print(json.dumps(work(data)))
        return 0
    data = simulate(args.customers, args.seed)
    if args.resolution == "day":
        data = recorded_by_day(data)
    pareto_n = min(args.pareto_customers, args.customers)
    with tempfile.TemporaryDirectory() as tmp:
        data_file = Path(tmp) / "customers.npz"
        np.savez(
            data_file,
            x=data["x"],
            t_x=data["t_x"],
            T=data["T"],
            m_x=data["m_x"],
            pareto_customers=np.array(pareto_n),
        )
        lifetimes_python = ensure_lifetimes_venv()
        ours = run_worker(Path(sys.executable), "openkam", data_file)
        theirs = run_worker(lifetimes_python, "lifetimes", data_file)
    met = report(args.customers, args.resolution, pareto_n, ours, theirs)
    print("goals met" if met else "GOALS NOT MET")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
