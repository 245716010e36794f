"""`make bench`: run every benchmark under bench/*/run.py in turn and print where each wrote its figures.

Benchmarks measure against a reference taken in the same run (pgbench, Splink) because this
machine is shared and noisy; each writes JSON into bench/results/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(BENCH_DIR.glob("*/run.py"))
    only = set(sys.argv[1:])
    failures = 0
    for script in scripts:
        name = script.parent.name
        if only and name not in only:
            continue
        print(f"=== bench/{name}", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)
        if result.returncode != 0:
            print(f"bench/{name} failed with exit code {result.returncode}", flush=True)
            failures += 1
    print(f"Results are in {BENCH_DIR / 'results'}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
