"""Benchmark of the synthetic region generator: persons per second writing files and loading databases.

Run with `.venv/bin/python bench/synth/run.py [--quick]`. Each measurement runs `cylch synth` in a
fresh process (and, for the database, a fresh database), and reports the median over the runs, in persons
per second of wall time and per CPU-second of the generator process (steadier on a shared machine).
PostgreSQL is used when `psql` can reach BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432).
Results go to bench/results/synth-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CYLCH = ROOT / ".venv" / "bin" / "cylch"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "cylch_synth_bench"
RATE = re.compile(r"([\d,]+) people in ([\d.]+) s \(([\d,]+) persons/s\)")


def _synth(people: int, seed: int, env: dict[str, str], out: Path | None = None) -> dict[str, float]:
    # --skip-checks: the benchmark measures generation and loading, not Django's start-up checks.
    args = [str(CYLCH), "synth", "--skip-checks", "--people", str(people), "--seed", str(seed)]
    if out is not None:
        args += ["--out", str(out)]
    started = time.perf_counter()
    cpu_before = _children_cpu_seconds()
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=True, cwd=ROOT)
    wall = time.perf_counter() - started
    cpu = _children_cpu_seconds() - cpu_before
    match = RATE.search(result.stdout)
    if match is None:
        raise RuntimeError(result.stdout + result.stderr)
    made = int(match.group(1).replace(",", ""))
    return {"people": made, "seconds": float(match.group(2)), "persons_per_s": made / float(match.group(2)),
            "wall_seconds": wall, "cpu_seconds": round(cpu, 1),
            "persons_per_cpu_s": round(made / cpu) if cpu else 0}  # fmt: skip


def _children_cpu_seconds() -> float:
    """CPU time of finished child processes: on a shared machine, persons per CPU-second is the steadier figure."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _summarise(runs: list[dict[str, float]]) -> dict[str, object]:
    return {
        "runs": runs,
        "median_persons_per_s": round(statistics.median(r["persons_per_s"] for r in runs)),
        "median_seconds": round(statistics.median(r["seconds"] for r in runs), 1),
        "median_persons_per_cpu_s": round(statistics.median(r["persons_per_cpu_s"] for r in runs)),
    }


def files_mode(people: int, repeats: int) -> dict[str, object]:
    runs = []
    for n in range(repeats):
        out = Path(tempfile.mkdtemp(prefix="synth-bench-"))
        try:
            runs.append(_synth(people, seed=n + 1, env=dict(os.environ), out=out))
            runs[-1]["megabytes"] = round(sum(f.stat().st_size for f in out.iterdir()) / 1e6, 1)
        finally:
            shutil.rmtree(out)
    return _summarise(runs)


def _fresh_database(env: dict[str, str]) -> None:
    subprocess.run([str(CYLCH), "migrate", "-v0", "--skip-checks"], env=env, check=True, cwd=ROOT)


def sqlite_mode(people: int, repeats: int) -> dict[str, object]:
    runs = []
    for n in range(repeats):
        var = Path(tempfile.mkdtemp(prefix="synth-bench-db-"))
        env = dict(os.environ, CYLCH_VAR_DIR=str(var))
        env.pop("DATABASE_URL", None)
        try:
            _fresh_database(env)
            runs.append(_synth(people, seed=n + 1, env=env))
        finally:
            shutil.rmtree(var)
    return _summarise(runs)


def postgres_available() -> bool:
    if shutil.which("psql") is None:
        return False
    probe = subprocess.run(["psql", f"{PG_URL}/postgres", "-c", "select 1"], capture_output=True, check=False)
    return probe.returncode == 0


def postgres_mode(people: int, repeats: int) -> dict[str, object]:
    runs = []
    env = dict(os.environ, DATABASE_URL=f"{PG_URL}/{PG_DATABASE}")
    for n in range(repeats):
        subprocess.run(["psql", f"{PG_URL}/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_DATABASE}"], check=True)
        subprocess.run(["psql", f"{PG_URL}/postgres", "-qc", f"CREATE DATABASE {PG_DATABASE}"], check=True)
        _fresh_database(env)
        runs.append(_synth(people, seed=n + 1, env=env))
    subprocess.run(["psql", f"{PG_URL}/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_DATABASE}"], check=True)
    return _summarise(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k and 100k only, one run each")
    parser.add_argument("--db-million", action="store_true", help="also load 1M people into PostgreSQL")
    parser.add_argument("--only", nargs="*", default=(), help="run only these steps (files, sqlite, postgres)")
    args = parser.parse_args()
    small, large = (10_000, 100_000) if args.quick else (100_000, 1_000_000)
    repeats = 1 if args.quick else 3
    results: dict[str, object] = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    steps = [
        (f"files_{small}", lambda: files_mode(small, repeats)),
        (f"files_{large}", lambda: files_mode(large, 1)),
        (f"sqlite_{small}", lambda: sqlite_mode(small, repeats)),
    ]
    if postgres_available():
        steps.append((f"postgres_{small}", lambda: postgres_mode(small, repeats)))
        if args.db_million:
            steps.append((f"postgres_{large}", lambda: postgres_mode(large, 1)))
    if args.only:
        steps = [(name, step) for name, step in steps if name.split("_")[0] in args.only]
    for name, step in steps:
        print(f"{name} ...", flush=True)
        results[name] = step()
        summary = results[name]
        assert isinstance(summary, dict)
        print(
            f"  median {summary['median_persons_per_s']:,} persons/s ({summary['median_seconds']} s), "
            f"{summary['median_persons_per_cpu_s']:,} persons per CPU-second",
            flush=True,
        )
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"synth-{datetime.datetime.now(datetime.UTC):%Y%m%dT%H%M%S}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"Results written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
