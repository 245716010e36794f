"""bench/token_auth: is the hand-written token authentication worth keeping over the ORM?

Every API call authenticates, and nearly every one then reads the practitioner's agency (a concern is stored
under the agency's authority). Times, in-process on PostgreSQL, many times each and interleaved so the machine's
noise falls on both alike:
- `orm`: the same hashed-token check through the ORM: the token by its prefix with
  `select_related("practitioner__agency")`, the hash compared, expiry and revocation checked;
- `cylch`: `PractitionerTokenAuthentication.authenticate_credentials` (token, practitioner and agency in one
  written-once query).
(Before API tokens were hashed this compared DRF's own `TokenAuthentication`, plaintext key and a second query
for the agency; DRF's token app is no longer installed.)
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
    import hmac

    from django.utils import timezone

    from cylch.accounts.authentication import PractitionerTokenAuthentication
    from cylch.accounts.models import Agency, AgencyKind, ApiToken, LocalAuthority, Practitioner, Region, api_key_hash
    from cylch.accounts.scopes import PRACTITIONER_SCOPES
    from cylch.accounts.services import api_token_create

    region, _ = Region.objects.get_or_create(code="BENCH", defaults={"name": "Bench region"})
    authority, _ = LocalAuthority.objects.get_or_create(
        code="B0000001", defaults={"name": "Bench council", "region": region}
    )
    agency, _ = Agency.objects.get_or_create(name="Bench school", kind=AgencyKind.SCHOOL, local_authority=authority)
    user, _ = Practitioner.objects.get_or_create(username="bench.token", defaults={"agency": agency})
    key = api_token_create(practitioner=user, scopes=PRACTITIONER_SCOPES, name="bench").key
    cylch = PractitionerTokenAuthentication()

    def with_orm() -> None:
        token = ApiToken.objects.select_related("practitioner__agency").get(prefix=key[: ApiToken.PREFIX_LENGTH])
        assert hmac.compare_digest(token.key_hash, api_key_hash(key))
        assert token.revoked_at is None
        assert token.expires_at > timezone.now()
        assert token.practitioner.is_active
        assert token.practitioner.agency.pk == agency.pk

    def with_cylch() -> None:
        found, _token = cylch.authenticate_credentials(key)
        assert found.agency is not None
        assert found.agency.pk == agency.pk

    def primary_key_read() -> None:
        Practitioner.objects.get(pk=user.pk)

    results: dict[str, list[float]] = {"orm": [], "cylch": [], "primary_key_read": []}
    for call in (with_orm, with_cylch, primary_key_read):
        _milliseconds(call, 200)  # warm up: prepared statements, caches
    for _ in range(10):  # interleaved rounds
        for name, call in (("orm", with_orm), ("cylch", with_cylch), ("primary_key_read", primary_key_read)):
            results[name] += _milliseconds(call, REPEATS // 10)
    summary = {name: round(statistics.median(times), 4) for name, times in results.items()}
    summary["saving_ms"] = round(summary["orm"] - summary["cylch"], 4)
    summary["orm_per_primary_key_read"] = round(summary["orm"] / summary["primary_key_read"], 2)
    summary["cylch_per_primary_key_read"] = round(summary["cylch"] / summary["primary_key_read"], 2)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "token_auth.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
