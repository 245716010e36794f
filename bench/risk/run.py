"""bench/risk: cumulative-risk evaluation — "incremental p95 ≤ 10 ms; a full rescan of 10M events ≤ 5 minutes".

Times, on PostgreSQL holding BENCH_PEOPLE people in households of two adults and two children, with
BENCH_EVENTS_PER_PERSON events each over the three years before the reference date (kinds and concern categories
drawn so that every default rule has something to find), loaded by this script with bulk inserts:
- incremental: the whole live rule set evaluated for the patterns one person is part of, as when an event about
  them lands (`risk_evaluate(people=[pk])`, alerts raised included), for children and adults drawn at random;
- rescan: every live rule over everyone (`risk_evaluate()`, set-based), once;
both as at the reference date, each inside a transaction rolled back so a run changes nothing. The reference, in
the same run: a primary-key read of one person through Django.

  .venv/bin/python bench/risk/run.py                       # 100,000 people, 1M events, loaded the first time
  BENCH_PEOPLE=1000000 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cylch_bench_risk_1m ...

Only 127.0.0.1 is used. Results: bench/results/risk.json.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cylch_bench_risk")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cylch.settings")
sys.path.insert(0, str(ROOT / "src"))

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "500"))
EVENTS_PER_PERSON = int(os.environ.get("BENCH_EVENTS_PER_PERSON", "10"))
RESCAN = os.environ.get("BENCH_RESCAN", "1") == "1"  # BENCH_RESCAN=0: the incremental figures only
REFERENCE_DATE = datetime.date(2026, 3, 31)
SEED = 7
BATCH = 20_000
# Kinds and how often (per 100 events), with the concern categories a concern carries.
KINDS = [
    ("home_visit", 30, None),
    ("appointment_attended", 20, None),
    ("was_not_brought", 8, None),
    ("school_attendance", 8, None),
    ("emergency_attendance", 5, None),
    ("police_incident", 4, None),
    ("domestic_abuse_incident", 4, None),
    ("missing_episode", 3, None),
    ("information_sharing", 6, ["neglect"]),
    ("concern", 4, ["poor_home_conditions"]),
    ("concern", 3, ["domestic_abuse"]),
    ("concern", 2, ["criminal_exploitation"]),
    ("threshold_decision", 3, None),
]

if TYPE_CHECKING:
    from cylch.risk.services import EvaluationResult


def database_ensure(url: str) -> None:
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"bench/risk only uses 127.0.0.1, not {parts.hostname}")
    name = parts.path.lstrip("/")
    args = ["-h", "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    query = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608  # our own constant
    exists = subprocess.run(
        ["psql", *args, "-d", "postgres", "-Atc", query], capture_output=True, text=True, check=True
    )
    if not exists.stdout.strip():
        subprocess.run(["createdb", *args, name], check=True)


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(sorted(samples_ms), n=100, method="inclusive")
    return {
        "n": len(samples_ms),
        "mean": round(statistics.fmean(samples_ms), 3),
        "p50": round(cuts[49], 3),
        "p95": round(cuts[94], 3),
        "p99": round(cuts[98], 3),
        "max": round(max(samples_ms), 3),
    }


def region_load() -> None:
    """Households of two adults and two children, a few on the register, and their events, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from cylch.accounts.models import Agency, LocalAuthority, Region
    from cylch.chronology.models import ChronologyEvent
    from cylch.people.models import Household, HouseholdMembership, Person, StatutoryStatus

    rng = random.Random(SEED)
    end = timezone.make_aware(datetime.datetime.combine(REFERENCE_DATE, datetime.time(12)))
    weighted = [(kind, categories) for kind, weight, categories in KINDS for _ in range(weight)]
    with transaction.atomic():
        region = Region.objects.create(code="BENCH", name="Bench region")
        authority = LocalAuthority.objects.create(code="W06BENCH", name="Bench council", region=region)
        agencies = [
            Agency.objects.create(name=f"Bench agency {n}", kind="health_visiting", local_authority=authority)
            for n in range(20)
        ]
    for first in range(0, PEOPLE, BATCH):
        with transaction.atomic():
            count = min(BATCH, PEOPLE - first) // 4
            homes = Household.objects.bulk_create(
                Household(address_line_1=f"{first + n} Bench Road", town="Bench", postcode="CF10 1AA",
                          local_authority=authority)
                for n in range(count)
            )  # fmt: skip
            people = []
            for n in range(count * 4):
                age_days = rng.randint(20 * 365, 45 * 365) if n % 4 < 2 else rng.randint(30, 17 * 365)
                people.append(
                    Person(cylch_id=f"B{first + n:09d}", given_name="Bench", family_name=f"P{first + n}",
                           date_of_birth=REFERENCE_DATE - datetime.timedelta(days=age_days))
                )  # fmt: skip
            people = Person.objects.bulk_create(people)
            HouseholdMembership.objects.bulk_create(
                HouseholdMembership(household=homes[n // 4], person=person, start_date=datetime.date(2015, 1, 1))
                for n, person in enumerate(people)
            )
            StatutoryStatus.objects.bulk_create(
                StatutoryStatus(person=person, kind="cp_register", category="NEG", local_authority=authority,
                                start_date=datetime.date(2025, 1, 1))
                for n, person in enumerate(people) if n % 4 >= 2 and rng.random() < 0.01
            )  # fmt: skip
            events = []
            for person in people:
                for _ in range(EVENTS_PER_PERSON):
                    kind, categories = rng.choice(weighted)
                    occurred = end - datetime.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
                    details = {"categories": categories, "concern": f"B-{person.pk}-{rng.randint(0, 3)}"}
                    if kind == "threshold_decision":
                        details = {"concern": details["concern"], "outcome": rng.choice(["nfa", "iaa", "assessment"])}
                    events.append(
                        ChronologyEvent(person=person, agency=rng.choice(agencies), kind=kind, occurred_at=occurred,
                                        recorded_at=occurred, summary=kind, details=details if categories or
                                        kind == "threshold_decision" else {})
                    )  # fmt: skip
            ChronologyEvent.objects.bulk_create(events, batch_size=5000)
        print(f"  {first + count * 4} people", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    database_ensure(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from cylch.chronology.models import ChronologyEvent
    from cylch.people.models import Person
    from cylch.risk.services import risk_evaluate

    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        started = time.perf_counter()
        region_load()
        print(f"loaded {PEOPLE} people in {time.perf_counter() - started:.0f} s", flush=True)
    as_of = timezone.make_aware(datetime.datetime.combine(REFERENCE_DATE, datetime.time(23, 59)))
    events = ChronologyEvent.objects.count()
    people = list(Person.objects.filter(chronology_events__isnull=False).values_list("pk", flat=True).distinct())
    chosen = random.Random(SEED).sample(people, min(QUERIES, len(people)))

    def rolled_back(work: Callable[[], EvaluationResult]) -> EvaluationResult:
        with transaction.atomic():
            result = work()
            transaction.set_rollback(True)
        return result

    reference = []
    for pk in chosen[:200]:
        started = time.perf_counter()
        Person.objects.get(pk=pk)
        reference.append((time.perf_counter() - started) * 1000)
    for pk in chosen[:20]:  # warm-up: plans and caches
        rolled_back(lambda pk=pk: risk_evaluate(people=[pk], as_of=as_of))
    incremental, raised = [], 0
    for pk in chosen:
        started = time.perf_counter()
        result = rolled_back(lambda pk=pk: risk_evaluate(people=[pk], as_of=as_of))
        incremental.append((time.perf_counter() - started) * 1000)
        raised += len(result.raised)
    rescan_seconds, rescan_raised = None, None
    if RESCAN:
        started = time.perf_counter()
        rescan_raised = len(rolled_back(lambda: risk_evaluate(as_of=as_of)).raised)
        rescan_seconds = time.perf_counter() - started
    report = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "database": urlsplit(DATABASE_URL).path.lstrip("/"),
        "people": Person.objects.count(),
        "events": events,
        "as_of": as_of.isoformat(),
        "incremental_ms": percentiles(incremental),
        "incremental_alerts_raised": raised,
        "rescan_seconds": None if rescan_seconds is None else round(rescan_seconds, 2),
        "rescan_alerts_raised": rescan_raised,
        "rescan_events_per_second": None if rescan_seconds is None else round(events / rescan_seconds),
        "reference_pk_read_ms": percentiles(reference),
        "targets": {"incremental_p95_ms": 10, "rescan_10m_events_seconds": 300},
    }
    out = ROOT / "bench" / "results" / "risk.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
