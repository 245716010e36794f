"""bench/token_auth: is the hand-written token authentication worth keeping over DRF's own class?

Every API call authenticates, and nearly every one then reads the practitioner's agency (a concern is stored
under the agency's authority). Times, in-process on PostgreSQL, many times each and interleaved so the machine's
noise falls on both alike:
- `drf`: DRF's `TokenAuthentication.authenticate_credentials`, then `user.agency` (a second query);
- `cylch`: `PractitionerTokenAuthentication.authenticate_credentials` (the practitioner and agency in one query).
Reference in the same run: a primary-key read of one practitioner through the ORM.

  .venv/bin/python bench/token_auth/run.py     (BENCH_REPEATS=N, default 3000)

Only 127.0.0.1 is used; the database `cylch_bench_token_auth` is created (migrated) the first time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "cylch_bench_token_auth"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cylch.settings")
sys.path.insert(0, str(ROOT / "src"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "3000"))


def _database() -> None:
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], capture_output=True, check=False)
    subprocess.run([sys.executable, "-m", "cylch", "migrate", "--noinput", "-v", "0"], check=True, cwd=ROOT)


def _milliseconds(call, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter_ns()
        call()
        times.append((time.perf_counter_ns() - start) / 1e6)
    return times


def main() -> None:
    _database()
    import django

    django.setup()
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.authtoken.models import Token

    from cylch.accounts.authentication import PractitionerTokenAuthentication
    from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Practitioner, Region

    region, _ = Region.objects.get_or_create(code="BENCH", defaults={"name": "Bench region"})
    authority, _ = LocalAuthority.objects.get_or_create(
        code="B0000001", defaults={"name": "Bench council", "region": region}
    )
    agency, _ = Agency.objects.get_or_create(name="Bench school", kind=AgencyKind.SCHOOL, local_authority=authority)
    user, _ = Practitioner.objects.get_or_create(username="bench.token", defaults={"agency": agency})
    key = Token.objects.get_or_create(user=user)[0].key
    drf, cylch = TokenAuthentication(), PractitionerTokenAuthentication()

    def with_drf() -> None:
        found, _token = drf.authenticate_credentials(key)
        assert found.agency.pk == agency.pk

    def with_cylch() -> None:
        found, _token = cylch.authenticate_credentials(key)
        assert found.agency is not None
        assert found.agency.pk == agency.pk

    def primary_key_read() -> None:
        Practitioner.objects.get(pk=user.pk)

    results: dict[str, list[float]] = {"drf": [], "cylch": [], "primary_key_read": []}
    for call in (with_drf, with_cylch, primary_key_read):
        _milliseconds(call, 200)  # warm up: prepared statements, caches
    for _ in range(10):  # interleaved rounds
        for name, call in (("drf", with_drf), ("cylch", with_cylch), ("primary_key_read", primary_key_read)):
            results[name] += _milliseconds(call, REPEATS // 10)
    summary = {name: round(statistics.median(times), 4) for name, times in results.items()}
    summary["saving_ms"] = round(summary["drf"] - summary["cylch"], 4)
    summary["drf_per_primary_key_read"] = round(summary["drf"] / summary["primary_key_read"], 2)
    summary["cylch_per_primary_key_read"] = round(summary["cylch"] / summary["primary_key_read"], 2)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "token_auth.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
