"""bench/risk: cumulative-risk evaluation — "incremental p95 ≤ 10 ms; a full rescan of 10M events ≤ 5 minutes".

Times, on PostgreSQL holding BENCH_PEOPLE people in households of two adults and two children, with
BENCH_EVENTS_PER_PERSON events each over the three years before the reference date (kinds and concern categories
drawn so that every default rule has something to find), loaded by this script with bulk inserts:
- incremental: the whole live rule set evaluated for the patterns one person is part of, as when an event about
  them lands (`risk_evaluate(people=[pk])`, alerts raised included), for children and adults drawn at random;
- rescan: every live rule over everyone (`risk_evaluate()`, set-based), once;
- fed batches: every risk step for 1,000 people drawn at random, as the worker runs them for a chunk of an
  agency's feed (`services.people_evaluate`), BENCH_FED_BATCHES times (default 5);
both as at the reference date, each inside a transaction rolled back so a run changes nothing. The reference, in
the same run: a primary-key read of one person through Django. Beside the wall times, the process's CPU time
(`time.process_time`: what a shared machine's load does not inflate) and the statements each incremental evaluation
sends (Django's CaptureQueriesContext, in an untimed pass over the same people).

  .venv/bin/python bench/risk/run.py                       # 100,000 people, 1M events, loaded the first time
  BENCH_PEOPLE=1000000 BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cylch_bench_risk_1m ...

Only 127.0.0.1 is used. Results: bench/results/risk.json.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
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
# A fed chunk's people (1,000 events about as many people) as the worker evaluates them: this many chunks.
FED_BATCHES = int(os.environ.get("BENCH_FED_BATCHES", "5"))
FED_BATCH_PEOPLE = 1_000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # the incremental sample, timed this many times
PGBENCH_SECONDS = int(os.environ.get("BENCH_PGBENCH_SECONDS", "5"))
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


def _kind_table() -> str:
    """KINDS as SQL rows (kind, categories as JSON or NULL, the upper end of its share of 0..100)."""
    rows, upper = [], 0
    for kind, weight, categories in KINDS:
        upper += weight
        cats = "NULL" if categories is None else "'" + json.dumps(categories) + "'::jsonb"
        rows.append(f"('{kind}', {cats}, {upper})")
    return ", ".join(rows)


def region_load() -> None:
    """Households of two adults and two children, a few children on the register, and their events, generated
    by the database itself in batches (set-based: 10M events load in minutes, not the hours of Python objects).
    `setseed` makes every load of the same size the same region."""
    from django.db import connection, transaction
    from django.utils import timezone

    from cylch.accounts.models import Agency, LocalAuthority, Region

    with transaction.atomic():
        region = Region.objects.create(code="BENCH", name="Bench region")
        authority = LocalAuthority.objects.create(code="W06BENCH", name="Bench council", region=region)
        agencies = [
            Agency.objects.create(name=f"Bench agency {n}", kind="health_visiting", local_authority=authority)
            for n in range(20)
        ]
    steps = [
        # Households h: people 4h-3 .. 4h (cylch ids B<n>), the first two adults, the other two children.
        """INSERT INTO people_household (address_line_1, address_line_2, town, postcode, created_at,
                local_authority_id)
            SELECT 'B' || h || ' Bench Road', '', 'Bench', 'CF10 1AA', now(), %(authority)s
            FROM generate_series(%(low)s / 4 + 1, %(high)s / 4) h ORDER BY h""",
        """INSERT INTO people_person (cylch_id, given_name, middle_names, family_name, given_name_key,
                family_name_key, is_unborn, date_of_birth, sex, gender, ethnicity, first_language,
                interpreter_needed, nhs_number, created_at, updated_at)
            SELECT 'B' || lpad(n::text, 9, '0'), 'Bench', '', 'P' || n, '', '', false,
                %(reference)s::date - CASE WHEN n %% 4 IN (1, 2) THEN 20 * 365 + floor(random() * 25 * 365)::int
                                           ELSE 30 + floor(random() * (17 * 365 - 30))::int END,
                'not_known', '', 'NOBT', 'en', false, '', now(), now()
            FROM generate_series(%(low)s + 1, %(high)s) n ORDER BY n""",
        """INSERT INTO people_householdmembership (household_id, person_id, start_date, end_date)
            SELECT h.id, p.id, date '2015-01-01', NULL
            FROM people_person p
            JOIN people_household h
              ON h.address_line_1 = 'B' || ((substr(p.cylch_id, 2)::int + 3) / 4) || ' Bench Road'
            WHERE p.cylch_id BETWEEN %(first_id)s AND %(last_id)s""",
        """INSERT INTO people_statutorystatus (person_id, kind, category, local_authority_id, start_date)
            SELECT p.id, 'cp_register', 'NEG', %(authority)s, date '2025-01-01'
            FROM people_person p
            WHERE substr(p.cylch_id, 2)::int %% 4 IN (3, 0) AND random() < 0.01
              AND p.cylch_id BETWEEN %(first_id)s AND %(last_id)s""",
        # The kinds' table is this file's own constant.
        f"""WITH drawn AS (
                SELECT p.id AS person_id, (%(agencies)s::bigint[])[1 + floor(random() * %(n_agencies)s)::int]
                       AS agency_id, random() * 100 AS share,
                       %(end)s - floor(random() * 3 * 365 * 24 * 60) * interval '1 minute' AS occurred_at,
                       floor(random() * 4)::int AS concern, random() AS outcome
                FROM people_person p, generate_series(1, %(per_person)s)
                WHERE p.cylch_id BETWEEN %(first_id)s AND %(last_id)s)
            INSERT INTO chronology_chronologyevent (person_id, agency_id, kind, occurred_at, recorded_at, summary,
                details, sensitivity, child_words)
            SELECT d.person_id, d.agency_id, k.kind, d.occurred_at, d.occurred_at, k.kind,
                CASE WHEN k.categories IS NOT NULL THEN jsonb_build_object('categories', k.categories,
                         'concern', 'B-' || d.person_id || '-' || d.concern)
                     WHEN k.kind = 'threshold_decision' THEN jsonb_build_object(
                         'concern', 'B-' || d.person_id || '-' || d.concern,
                         'outcome', (ARRAY['nfa', 'iaa', 'assessment'])[1 + floor(d.outcome * 3)::int])
                     ELSE '{{}}'::jsonb END,
                'standard', ''
            FROM drawn d
            CROSS JOIN LATERAL (SELECT kind, categories FROM (VALUES {_kind_table()}) AS t(kind, categories, upper)
                                WHERE d.share < t.upper ORDER BY t.upper LIMIT 1) k""",  # noqa: S608
    ]
    params: dict[str, Any] = {
        "authority": authority.pk,
        "reference": REFERENCE_DATE,
        "agencies": [a.pk for a in agencies],
        "n_agencies": len(agencies),
        "end": timezone.make_aware(datetime.datetime.combine(REFERENCE_DATE, datetime.time(12))),
        "per_person": EVENTS_PER_PERSON,
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7)")
    for low in range(0, PEOPLE, BATCH):
        high = min(low + BATCH, PEOPLE) // 4 * 4
        ids = {"first_id": f"B{low + 1:09d}", "last_id": f"B{high:09d}"}
        batch: dict[str, Any] = {**params, "low": low, "high": high, **ids}
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in steps:
                cursor.execute(sql, batch)
        print(f"  {high} people", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pgbench_reference(seconds: int) -> dict[str, float]:
    """pgbench select-only, one client, on its own small database on the same server: how fast the machine
    answers a trivial indexed query right now (it is shared)."""
    parts = urlsplit(DATABASE_URL)
    args = ["-h", "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    name = "cylch_bench_pgbench"
    database_ensure(f"postgres://{parts.username or 'postgres'}@127.0.0.1:{parts.port or 5432}/{name}")
    tables = subprocess.run(
        ["psql", *args, "-d", name, "-Atc", "SELECT to_regclass('pgbench_accounts') IS NOT NULL"],
        capture_output=True,
        text=True,
        check=True,
    )
    if tables.stdout.strip() != "t":
        subprocess.run(["pgbench", *args, "-i", "-q", "-s", "10", name], check=True, capture_output=True)
    out = subprocess.run(
        ["pgbench", *args, "-n", "-S", "-c", "1", "-j", "1", "-T", str(seconds), name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tps = re.search(r"tps = ([\d.]+)", out)
    latency = re.search(r"latency average = ([\d.]+) ms", out)
    if tps is None or latency is None:
        raise SystemExit(f"pgbench said: {out}")
    return {"tps": round(float(tps.group(1)), 1), "latency_ms": float(latency.group(1)), "seconds": seconds}


def risk_evaluate_all(as_of: datetime.datetime) -> Callable[[], EvaluationResult]:
    from cylch.risk.services import risk_evaluate

    return functools.partial(risk_evaluate, as_of=as_of)


def main() -> int:
    database_ensure(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from cylch.chronology.models import ChronologyEvent
    from cylch.people.models import Person
    from cylch.risk.services import people_evaluate, risk_evaluate

    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        started = time.perf_counter()
        region_load()
        print(f"loaded {PEOPLE} people in {time.perf_counter() - started:.0f} s", flush=True)
    # Every run's rolled-back alerts leave dead rows behind, and this server runs without autovacuum: left there,
    # they slow each later run's alert lookups (12 ms a lookup after a few runs, against 0.1 ms).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE risk_alert, risk_alertsubject, risk_alertevent")
    as_of = timezone.make_aware(datetime.datetime.combine(REFERENCE_DATE, datetime.time(23, 59)))
    events = ChronologyEvent.objects.count()
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    chosen = random.Random(SEED).sample(people, min(QUERIES, len(people)))

    def rolled_back(work: Callable[[], EvaluationResult]) -> EvaluationResult:
        with transaction.atomic():
            result = work()
            transaction.set_rollback(True)
        return result

    for pk in chosen[:20] if ROUNDS else []:  # warm-up: plans and caches
        rolled_back(functools.partial(risk_evaluate, people=[pk], as_of=as_of))
    rounds: list[dict[str, Any]] = []
    raised = 0
    for _round in range(ROUNDS):  # the machine is shared: each round beside its own references
        reference = []
        for pk in chosen[:200]:
            started = time.perf_counter()
            Person.objects.get(pk=pk)
            reference.append((time.perf_counter() - started) * 1000)
        pgbench = pgbench_reference(PGBENCH_SECONDS)
        incremental, cpu = [], []
        for pk in chosen:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = rolled_back(functools.partial(risk_evaluate, people=[pk], as_of=as_of))
            incremental.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            raised += len(result.raised)
        timed = percentiles(incremental)
        rounds.append(
            {
                "incremental_ms": timed,
                "incremental_cpu_ms": percentiles(cpu),
                "reference_pk_read_ms": percentiles(reference),
                "pgbench_select_only": pgbench,
                "p95_over_pgbench_latency": round(timed["p95"] / pgbench["latency_ms"], 1),
            }
        )
        print(json.dumps(rounds[-1]), flush=True)
    statements: dict[str, list[int]] = {"raising": [], "not_raising": []}
    for pk in chosen:  # untimed: capturing costs time of its own
        with CaptureQueriesContext(connection) as captured:
            result = rolled_back(functools.partial(risk_evaluate, people=[pk], as_of=as_of))
        statements["raising" if result.raised or result.escalated else "not_raising"].append(len(captured))
    rescan_seconds, rescan_cpu, rescan_raised = None, None, None
    if RESCAN:
        started, started_cpu = time.perf_counter(), time.process_time()
        rescan_raised = len(rolled_back(risk_evaluate_all(as_of)).raised)
        rescan_seconds = time.perf_counter() - started
        rescan_cpu = time.process_time() - started_cpu

    # The worker's share of an agency's feed (`tasks.people_evaluate_task`): every risk step for a chunk's people,
    # as of today like the task; how fast it drains a nightly file on a database of this size.
    fed_seconds = []
    for batch in range(FED_BATCHES):
        people_fed = random.Random(SEED + batch).sample(people, min(FED_BATCH_PEOPLE, len(people)))
        started = time.perf_counter()
        with transaction.atomic():
            people_evaluate(people_fed)
            transaction.set_rollback(True)
        fed_seconds.append(time.perf_counter() - started)

    def median(path: tuple[str, str]) -> float:
        return round(statistics.median(float(r[path[0]][path[1]]) for r in rounds), 3)

    report = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "database": urlsplit(DATABASE_URL).path.lstrip("/"),
        "people": Person.objects.count(),
        "events": events,
        "as_of": as_of.isoformat(),
        "rounds": rounds,
        "median_of_rounds": rounds
        and {
            "incremental_p50_ms": median(("incremental_ms", "p50")),
            "incremental_p95_ms": median(("incremental_ms", "p95")),
            "incremental_cpu_p50_ms": median(("incremental_cpu_ms", "p50")),
            "incremental_cpu_p95_ms": median(("incremental_cpu_ms", "p95")),
            "reference_pk_read_p50_ms": median(("reference_pk_read_ms", "p50")),
            "pgbench_latency_ms": median(("pgbench_select_only", "latency_ms")),
            "p95_over_pgbench_latency": statistics.median(r["p95_over_pgbench_latency"] for r in rounds),
        },
        "incremental_alerts_raised": raised,
        "statements_per_evaluation": {
            kind: counts and {"n": len(counts), "mean": round(statistics.fmean(counts), 2), "max": max(counts)}
            for kind, counts in statements.items()
        },
        "rescan_seconds": None if rescan_seconds is None else round(rescan_seconds, 2),
        "rescan_cpu_seconds": None if rescan_cpu is None else round(rescan_cpu, 2),
        "rescan_alerts_raised": rescan_raised,
        "rescan_events_per_second": None if rescan_seconds is None else round(events / rescan_seconds),
        "fed_batch_people": FED_BATCH_PEOPLE,
        "fed_batch_seconds": [round(seconds, 2) for seconds in fed_seconds],
        "fed_people_per_second_median": (
            round(FED_BATCH_PEOPLE / statistics.median(fed_seconds)) if fed_seconds else None
        ),
        "load_average_at_end": os.getloadavg(),
        "targets": {"incremental_p95_ms": 10, "rescan_10m_events_seconds": 300},
    }
    out = ROOT / "bench" / "results" / "risk.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
