"""bench/single_view: "single child view server time p95 ≤ 50 ms for a child with 500 events in a database of
10M events".

Times the person page for a child with 500 chronology events, two ways, many times each:
`cylch.records.selectors.person.person_record` (every query the page makes, and the access-log write) and the
whole rendered page through Django's test client (middleware, view, templates). The reference, measured
in the same run on the same server: a primary-key read of one person through Django, and pgbench's
select-only rate on its own database. Beside them, with no target of its own: a name-only person search for
the database's commonest surnames (the page a practitioner finds the child through).

The database is the one bench/match loads (1M synthetic people, whose agencies record ~10M events); if it
holds fewer than BENCH_EVENTS events, it is topped up in SQL with events spread over its people. The child
is given exactly 500 events the same way. Re-running reuses everything.

  .venv/bin/python bench/single_view/run.py
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cylch_bench_match BENCH_EVENTS=10000000 BENCH_REPEATS=300 ...

Only 127.0.0.1 is used.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cylch_bench_match")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cylch.settings")
sys.path.insert(0, str(ROOT / "src"))

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))  # only if the database is empty
EVENTS = int(os.environ.get("BENCH_EVENTS", "10000000"))
CHILD_EVENTS = 500
REPEATS = int(os.environ.get("BENCH_REPEATS", "300"))
WARM_UP = 20
MAX_SECONDS = float(os.environ.get("BENCH_MAX_SECONDS", "600"))
TARGET_P95_MS = 50.0
USERNAME = "bench.single_view"
SEARCHES = int(os.environ.get("BENCH_SEARCHES", "50"))


def _pg() -> dict[str, str]:
    parts = urlsplit(DATABASE_URL)
    if (parts.hostname or "127.0.0.1") not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"bench/single_view only uses 127.0.0.1, not {parts.hostname}")
    return {"host": "127.0.0.1", "port": str(parts.port or 5432), "user": parts.username or "postgres"}


def _psql(database: str, sql: str) -> str:
    pg = _pg()
    command = ["psql", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-d", database, "-Atc", sql]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()


def database_ensure(name: str) -> None:
    if not _psql("postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):  # noqa: S608 - our own name
        pg = _pg()
        subprocess.run(["createdb", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], name], check=True)


def pgbench_reference(seconds: int = 10) -> dict[str, float]:
    """pgbench select-only, one client, on its own small database on the same server."""
    pg = _pg()
    name = "cylch_bench_pgbench"
    database_ensure(name)
    args = ["-h", pg["host"], "-p", pg["port"], "-U", pg["user"]]
    if _psql(name, "SELECT to_regclass('pgbench_accounts') IS NOT NULL") != "t":
        subprocess.run(["pgbench", *args, "-i", "-q", "-s", "10", name], check=True, capture_output=True)
    out = subprocess.run(
        ["pgbench", *args, "-n", "-S", "-c", "1", "-j", "1", "-T", str(seconds), name],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))  # type: ignore[union-attr]
    return {"tps": round(tps, 1), "latency_ms": round(latency, 4), "seconds": seconds}


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "mean": round(statistics.fmean(ordered), 3),
        "p50": round(cuts[49], 3),
        "p95": round(cuts[94], 3),
        "p99": round(cuts[98], 3),
        "max": round(ordered[-1], 3),
    }


# Events made up in SQL: a kind, an agency and a time from the rows already there, so the page renders them
# like any other. `details` marks them so a re-run counts rather than adds.
TOP_UP_SQL = """
INSERT INTO chronology_chronologyevent
    (person_id, agency_id, kind, occurred_at, recorded_at, summary, details, sensitivity, child_words)
SELECT p.id, a.id, k.kind, t.occurred_at, t.occurred_at + interval '1 day',
       'Bench event ' || g, '{"bench": "single_view"}'::jsonb, 'standard', ''
FROM generate_series(1::bigint, %(n)s) AS g
CROSS JOIN LATERAL (SELECT %(first_person)s + ((g * 7919 + %(salt)s) %% %(people)s) AS id) AS p
CROSS JOIN LATERAL (SELECT (ARRAY[%(agencies)s])[1 + (g %% %(agency_count)s)] AS id) AS a
CROSS JOIN LATERAL (SELECT (ARRAY[%(kinds)s])[1 + (g %% %(kind_count)s)] AS kind) AS k
CROSS JOIN LATERAL (SELECT timestamptz '2015-01-01' + (g %% 3650) * interval '1 day' AS occurred_at) AS t
"""


def main() -> int:
    database_ensure(urlsplit(DATABASE_URL).path.lstrip("/"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cylch.accounts.models import Agency, Practitioner, Role, RoleCode
    from cylch.chronology.models import ChronologyEvent, EventKind
    from cylch.people.models import Person
    from cylch.records.selectors.person import person_record
    from cylch.records.selectors.search import person_search
    from cylch.synthetic.services import synthetic_region_load

    if connection.vendor != "postgresql":
        raise SystemExit("bench/single_view measures PostgreSQL: set BENCH_DATABASE_URL to a postgres:// URL")
    call_command("migrate", verbosity=0)
    prepared: dict[str, float] = {}
    if not Person.objects.exists():
        started = time.perf_counter()
        synthetic_region_load(people=PEOPLE, seed=1)
        prepared["synth_seconds"] = round(time.perf_counter() - started, 1)
    table = ChronologyEvent._meta.db_table
    assert table == "chronology_chronologyevent"
    with connection.cursor() as cursor:
        # Fresh statistics everywhere, as autovacuum would have after a bulk load: without them the planner
        # guesses thousands of rows per household and starts parallel workers for a three-row answer.
        cursor.execute("ANALYZE")
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
        estimate = int(cursor.fetchone()[0])
    events = ChronologyEvent.objects.count() if estimate < EVENTS * 1.1 else estimate
    people = Person.objects.aggregate(first=django.db.models.Min("pk"), last=django.db.models.Max("pk"))
    agencies = list(Agency.objects.order_by("pk").values_list("pk", flat=True)[:50])
    kinds = [str(k) for k in EventKind]
    params = {
        "agencies": ", ".join(str(a) for a in agencies),
        "agency_count": len(agencies),
        "kinds": ", ".join("'" + k.replace("'", "''") + "'" for k in kinds),
        "kind_count": len(kinds),
    }
    if events < EVENTS:
        started = time.perf_counter()
        sql = TOP_UP_SQL % {  # only numbers and the app's own choice values: nothing from outside
            **params,
            "n": EVENTS - events,
            "first_person": people["first"],
            "people": people["last"] - people["first"] + 1,
            "salt": events,
        }
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.execute(f"ANALYZE {table}")
        prepared["events_added"] = EVENTS - events
        prepared["top_up_seconds"] = round(time.perf_counter() - started, 1)
        events = EVENTS
        print(f"added {prepared['events_added']:,} events in {prepared['top_up_seconds']} s", flush=True)

    # The child: the youngest-but-not-baby child with the most events, given exactly CHILD_EVENTS in all.
    child = (
        Person.objects.filter(date_of_birth__year__gte=2012, merged_into__isnull=True, is_unborn=False)
        .order_by("pk")
        .first()
    )
    assert child is not None
    have = ChronologyEvent.objects.filter(person=child).count()
    if have < CHILD_EVENTS:
        sql = TOP_UP_SQL % {**params, "n": CHILD_EVENTS - have, "first_person": child.pk, "people": 1, "salt": 0}
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    child_events = ChronologyEvent.objects.filter(person=child).count()

    user = Practitioner.objects.filter(username=USERNAME).first()
    if user is None:
        user = Practitioner.objects.create(username=USERNAME, first_name="Bench", last_name="Front door")
        user.roles.add(Role.objects.get_or_create(code=RoleCode.FRONT_DOOR)[0])
    # The test client's host name, and static URLs without `collectstatic`'s manifest (as in the tests).
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=plain_static).enable()
    client = Client()
    client.force_login(user)
    # The page as a practitioner who has passed two-factor sign-in sees it: the session names their authenticator.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = f"/people/{child.cylch_id}/"
    first = client.get(url)
    if first.status_code != 200:
        raise SystemExit(f"GET {url} answered {first.status_code}")

    rng = random.Random(1)
    selector_ms: list[float] = []
    page_ms: list[float] = []
    pk_ms: list[float] = []
    deadline = time.perf_counter() + MAX_SECONDS
    for n in range(REPEATS + WARM_UP):
        if time.perf_counter() > deadline:
            print(f"stopped after {MAX_SECONDS:.0f} s", flush=True)
            break
        started = time.perf_counter()
        record = person_record(user=user, cylch_id=child.cylch_id, page="person-detail")
        selector = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        response = client.get(url)
        page = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        Person.objects.filter(pk=rng.randint(people["first"], people["last"])).first()
        pk = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        assert len(record.chronology) == child_events
        if n >= WARM_UP:
            selector_ms.append(selector)
            page_ms.append(page)
            pk_ms.append(pk)

    # Beside it, untargeted: a name-only person search (the page a practitioner uses to find the child first),
    # for surnames common and rare among the database's own people.
    surnames = [
        family
        for family, _count in Person.objects.values_list("family_name")
        .annotate(n=django.db.models.Count("pk"))
        .order_by("-n")[:5]
    ]
    search_ms: list[float] = []
    for n in range(SEARCHES):
        typed = f"{rng.choice(['Sarah', 'Dylan', 'Cerys', 'Tom'])} {surnames[n % len(surnames)]}"
        started = time.perf_counter()
        person_search(user=user, name=typed)
        search_ms.append((time.perf_counter() - started) * 1000)

    results: dict[str, object] = {
        "database": urlsplit(DATABASE_URL).path.lstrip("/"),
        "target_p95_ms": TARGET_P95_MS,
        "persons": Person.objects.count(),
        "chronology_events": events,
        "child_events": child_events,
        "prepared": prepared,
        "person_record_ms": percentiles(selector_ms),
        "rendered_page_ms": percentiles(page_ms),
        "pk_read_ms": percentiles(pk_ms),
        "name_search_ms": percentiles(search_ms),
        "page_bytes": len(first.content),
        "pgbench_select_only": pgbench_reference(),
    }
    page_p = results["rendered_page_ms"]
    pk_p = results["pk_read_ms"]
    pgbench = results["pgbench_select_only"]
    assert isinstance(page_p, dict)
    assert isinstance(pk_p, dict)
    assert isinstance(pgbench, dict)
    results["ratios"] = {
        "page_p95_over_pk_read_p50": round(page_p["p95"] / pk_p["p50"], 1),
        "page_p95_over_pgbench_latency": round(page_p["p95"] / pgbench["latency_ms"], 1),
    }
    results["meets_target"] = page_p["p95"] <= TARGET_P95_MS
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench/results/single_view.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))
    selector_p = results["person_record_ms"]
    assert isinstance(selector_p, dict)
    print(
        f"single view, child with {child_events} events among {events:,}: page p50 {page_p['p50']} ms, "
        f"p95 {page_p['p95']} ms (selector p95 {selector_p['p95']} ms; target p95 ≤ {TARGET_P95_MS:g} ms: "
        f"{'met' if results['meets_target'] else 'NOT met'}); reference pk read p50 {pk_p['p50']} ms, "
        f"pgbench -S {pgbench['tps']:,} tps"
    )
    search_p = results["name_search_ms"]
    assert isinstance(search_p, dict)
    print(
        f"name-only person search ({SEARCHES} searches, common surnames): "
        f"p50 {search_p['p50']} ms, p95 {search_p['p95']} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
