"""Feeds benchmark: `cylch feed import` on PostgreSQL, beside pgbench's single-row INSERT rate in the same run.

1. (Re)creates the database `cylch_bench_feeds` on 127.0.0.1, migrates it and loads PEOPLE people (default
   100,000; the issue's design point is 1M: BENCH_PEOPLE=1000000), each with a police record (`local_id` P<n>),
   and builds the blocking index, as intake would have.
2. Events by `local_id` (people the police sent before): RUNS files of EVENTS events each (default 3 × 20,000),
   each imported by `cylch feed import` in a process of its own; the rate is items over the command's wall time
   (Django's start-up included). Target: ≥ 2,000 events/s. The median is reported.
3. A nightly extract: EXTRACT events (default 100,000) of which NEW people (default 10,000) are new to Cylch,
   each new person's first event carrying their identifying details (so each is matched against everyone): names
   from the synthetic region's lists, postcodes made as its households' are across Mid and West Wales's towns,
   an NHS number on 12 % (a police force's share).
   Target: ≤ 5 minutes.
   Before each timed import the tables imports write are ANALYZEd (not timed): the bench server runs with
   autovacuum off, and statistics taken while those tables were empty (or 60,000 rows ago) make the planner read
   whole tables for a chunk's few thousand rows; production's autovacuum analyzes a table once a tenth of it has
   changed, so this stands in for it.
   The chunk is the command's default (BENCH_CHUNK to set one).
   Risk is evaluated on the worker for fed events (queued in each chunk's transaction): after the runs, and after
   the extract, `cylch db_worker --batch` drains what they queued, and the drain is timed (events evaluated per
   second: the rate at which the worker keeps up with the imports).
4. pgbench's single-row INSERT for 10 s with 1 client (a single stream, like the importer), before and after the
   imports (the machine's load moves: the ratio is taken to their mean), and with 8 clients after, on the same
   server.
Writes bench/results/feeds.json. Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from cylch.people.validators import nhs_check_digit
from cylch.synthetic.names import (
    ENGLISH_FEMALE,
    ENGLISH_MALE,
    ENGLISH_SURNAMES,
    WELSH_FEMALE,
    WELSH_MALE,
    WELSH_SURNAMES,
)
from cylch.synthetic.places import INWARD_LETTERS, MID_AND_WEST_WALES, STREET_NAMES

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
DB = os.environ.get("BENCH_DB", "cylch_bench_feeds")
PG = ["-h", "127.0.0.1", "-U", "postgres"]
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "20000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
EXTRACT = int(os.environ.get("BENCH_EXTRACT", "100000"))
NEW = int(os.environ.get("BENCH_NEW", "10000"))
REUSE = os.environ.get("BENCH_REUSE") == "1"  # keep an already loaded database
CHUNK = os.environ.get("BENCH_CHUNK", "")  # empty: the command's default
ENV = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}", "CYLCH_LOG_LEVEL": "WARNING"}
AGENCY = "Bench police"
KINDS = ["police_incident", "domestic_abuse_incident", "missing_episode", "arrest", "note"]

LOAD_PEOPLE = """
import django, datetime, random
django.setup()
from django.db import transaction
from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Region
from cylch.core.bulk import rows_insert
from cylch.linkage.relink import blocking_index_rebuild
from cylch.people.models import Person, SourceRecord
from cylch.people.text import phonetic_key
from cylch.core.codes import new_code

region, _ = Region.objects.get_or_create(code="BENCH", defaults={"name": "Bench region"})
la, _ = LocalAuthority.objects.get_or_create(code="W06BENCH", defaults={"name": "Bench council", "region": region})
police, _ = Agency.objects.get_or_create(name="Bench police", local_authority=la, defaults={"kind": AgencyKind.POLICE})
rng = random.Random(1)
given = ["Cerys", "Dylan", "Ffion", "Osian", "Mia", "Jac", "Alys", "Harri", "Seren", "Tomos", "Nia", "Elis"]
family = ["Jones", "Davies", "Williams", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths"]
keys = {name: phonetic_key(name) for name in given + family}


def columns(model, template):
    # Every column with the value a new instance would have (its default), so plain rows need name only the rest.
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = datetime.datetime.now(datetime.UTC)
    stamped = {f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)}
    return [f.attname for f in fields], {
        f.attname: now if f.attname in stamped else getattr(template, f.attname) for f in fields
    }


person_columns, person_row = columns(Person, Person())
record_columns, record_row = columns(SourceRecord, SourceRecord(agency=police, postcode="CF10 1AA"))
codes = set()
for start in range(0, PEOPLE, 20000):
    people = []
    for n in range(start, min(PEOPLE, start + 20000)):
        g, f = rng.choice(given), rng.choice(family)
        code = new_code(10)
        while code in codes:
            code = new_code(10)
        codes.add(code)
        born = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(6000))
        people.append({**person_row, "cylch_id": code, "given_name": g, "family_name": f, "date_of_birth": born,
            "given_name_key": keys[g], "family_name_key": keys[f]})
    with transaction.atomic():
        ids = rows_insert(Person, person_columns, [[p[c] for c in person_columns] for p in people])
        records = [
            {**record_row, "local_id": f"P{start + i}", "person_id": pk, "given_name": p["given_name"],
                "family_name": p["family_name"], "date_of_birth": p["date_of_birth"]}
            for i, (pk, p) in enumerate(zip(ids, people))
        ]
        rows_insert(SourceRecord, record_columns, [[r[c] for c in record_columns] for r in records])
    print(f"  {start + len(people):,} people", flush=True)
blocking_index_rebuild()
print(police.pk)
"""

# New people's names as the region's are spread (the generator's lists), not a dozen names shared by thousands.
GIVEN = (*WELSH_FEMALE, *WELSH_MALE, *ENGLISH_FEMALE, *ENGLISH_MALE)
FAMILY = (*WELSH_SURNAMES, *ENGLISH_SURNAMES)
# Their homes across one region's towns, weighted by population, postcodes made as the synthetic region's
# households' are (`cylch.synthetic.generator.people`); a police force records an NHS number on about one record
# in eight (bench/linkage/fresh.py's agencies: 12 %).
TOWNS = [(a, t) for a in MID_AND_WEST_WALES.authorities for t in a.towns]
TOWN_WEIGHTS = [a.population * t.weight for a, t in TOWNS]
WITH_NHS_NUMBER = 0.12


def postcode(rng: random.Random) -> str:
    """A household's postcode as the synthetic region's generator writes it."""
    _authority, town = rng.choices(TOWNS, TOWN_WEIGHTS)[0]
    street, number = rng.randrange(len(STREET_NAMES)), rng.randint(1, 140)
    code = (street * 31 + number // 12) * 7 + len(town.name)
    district = rng.choice(town.districts)
    return f"{district} {code % 9 + 1}{INWARD_LETTERS[code % 20]}{INWARD_LETTERS[code // 20 % 20]}"


def nhs_number(rng: random.Random) -> str:
    """A valid NHS number in the 999 test range."""
    while True:
        body = f"999{rng.randrange(1_000_000):06d}"
        digit = nhs_check_digit(body)
        if digit is not None:
            return f"{body}{digit}"


def sh(*args: str, check: bool = True) -> str:
    return subprocess.run(list(args), check=check, capture_output=True, text=True, env=ENV).stdout


def prepare() -> None:
    sh("dropdb", *PG, "--if-exists", DB)
    sh("createdb", *PG, DB)
    sh(str(BIN / "cylch"), "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "python"), "-c", f"PEOPLE = {PEOPLE}\n" + LOAD_PEOPLE],
        check=True,
        env={**ENV, "DJANGO_SETTINGS_MODULE": "cylch.settings"},
    )
    sh("psql", *PG, "-d", DB, "-c", "ANALYZE")
    print(f"loaded {PEOPLE:,} people in {time.perf_counter() - started:.1f} s", flush=True)


def event(item_id: str, person: dict[str, object], rng: random.Random) -> str:
    day = rng.randrange(1, 300)
    return json.dumps(
        {
            "type": "event",
            "id": item_id,
            "person": person,
            "kind": rng.choice(KINDS),
            "occurred_at": f"2025-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T{rng.randrange(24):02d}:15:00Z",
            "summary": "Benchmark event: officers attended",
            "sensitivity": "standard",
        }
    )


def events_file(path: Path, prefix: str, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w") as out:
        for n in range(count):
            out.write(event(f"{prefix}-{n}", {"local_id": f"P{rng.randrange(PEOPLE)}"}, rng) + "\n")


def extract_file(path: Path, prefix: str, count: int, new: int, seed: int) -> None:
    """`count` events; `new` of them introduce a new person (details and a new local_id), the rest name people
    the agency sent before, new ones included once introduced."""
    rng = random.Random(seed)
    introduced: list[str] = []
    introduce_at = set(rng.sample(range(count), new))
    with path.open("w") as out:
        for n in range(count):
            if n in introduce_at:
                local_id = f"{prefix}-NEW{len(introduced)}"
                introduced.append(local_id)
                person: dict[str, object] = {
                    "local_id": local_id,
                    "given_name": rng.choice(GIVEN),
                    "family_name": rng.choice(FAMILY),
                    "date_of_birth": f"{rng.randint(2008, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "postcode": postcode(rng),
                }
                if rng.random() < WITH_NHS_NUMBER:
                    person["nhs_number"] = nhs_number(rng)
            elif introduced and rng.random() < 0.1:
                person = {"local_id": rng.choice(introduced)}
            else:
                person = {"local_id": f"P{rng.randrange(PEOPLE)}"}
            out.write(event(f"{prefix}-{n}", person, rng) + "\n")


def median_of(values: list[float]) -> float:
    """The median, 0 for none (BENCH_RUNS=0: a load, or an extract alone)."""
    return statistics.median(values) if values else 0.0


def feed_import(path: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the importing process (user + system: what this machine's load does not
    inflate as much as the wall time) and its summary line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    chunk = ["--chunk", CHUNK] if CHUNK else []
    out = sh(str(BIN / "cylch"), "feed", "import", str(path), "--agency", AGENCY, *chunk)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.strip().splitlines()[-1]


# What a feed writes, analyzed before each timed import as autovacuum would have (the server's is off).
FED_TABLES = (
    "chronology_chronologyevent",
    "feeds_feeditem",
    "audit_accesslogentry",
    "people_sourcerecord",
    "people_person",
    "risk_riskfactor",
    "django_tasks_database_dbtaskresult",
)


def analyze() -> None:
    sh("psql", *PG, "-d", DB, "-c", f"ANALYZE {', '.join(FED_TABLES)}")


def psql_row(query: str) -> list[str]:
    return sh("psql", *PG, "-d", DB, "-Atc", query).strip().split("|")


# The risk evaluations fed events queue: (ready tasks, their people, other ready tasks, failed ones so far).
QUEUE = """
SELECT count(*) FILTER (WHERE status = 'READY' AND task_path = 'cylch.risk.tasks.people_evaluate_task'),
       coalesce(sum(jsonb_array_length(args_kwargs->'args'->0))
           FILTER (WHERE status = 'READY' AND task_path = 'cylch.risk.tasks.people_evaluate_task'), 0),
       count(*) FILTER (WHERE status = 'READY' AND task_path <> 'cylch.risk.tasks.people_evaluate_task'),
       count(*) FILTER (WHERE status = 'FAILED' AND task_path = 'cylch.risk.tasks.people_evaluate_task')
FROM django_tasks_database_dbtaskresult
"""
# Seconds from the first of the drained tasks' start to the last one's finish (the worker's start-up left out).
SPAN = """
SELECT coalesce(extract(epoch FROM max(finished_at) - min(started_at)), 0) FROM django_tasks_database_dbtaskresult
WHERE task_path = 'cylch.risk.tasks.people_evaluate_task' AND started_at >= now() - interval '1 hour'
  AND finished_at >= (SELECT now() - interval '1 second' * %s)
"""


def worker_drain() -> dict[str, float | int]:
    """Run the worker until the queue is empty (`cylch db_worker --batch`, what `cylch worker` runs, without the
    periodic chains' start): the risk evaluations the imports queued, timed. Ready tasks of other kinds, if any,
    are counted apart."""
    tasks, people, others, failed_before = (int(v) for v in psql_row(QUEUE))
    started = time.perf_counter()
    sh(str(BIN / "cylch"), "db_worker", "--batch", "--no-startup-delay", "-v", "0")
    seconds = time.perf_counter() - started
    span = float(psql_row(SPAN % (int(seconds) + 2))[0] or 0)
    _tasks, _people, _others, failed = (int(v) for v in psql_row(QUEUE))
    return {
        "tasks": tasks,
        "people": people,
        "other_ready_tasks": others,
        "seconds": round(seconds, 1),
        "seconds_first_start_to_last_finish": round(span, 1),
        "failed": failed - failed_before,
    }


def pgbench_inserts(clients: int) -> float:
    """Single-row INSERTs per second by `clients` connections: with one, a single stream of statements as the
    importer is (the like-for-like reference); with eight, what the server can take."""
    sh("psql", *PG, "-d", DB, "-c", "create table if not exists bench_insert (id bigserial primary key, payload text)")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("INSERT INTO bench_insert (payload) VALUES ('benchmark row');\n")
    threads = str(min(clients, 2))
    out = sh("pgbench", *PG, "-n", "-f", script.name, "-T", "10", "-c", str(clients), "-j", threads, DB)
    match = re.search(r"tps = ([\d.]+)", out)
    return float(match.group(1)) if match else 0.0


def main() -> None:
    if not REUSE:
        prepare()
    work = Path(tempfile.mkdtemp(prefix="cylch-bench-feeds-"))
    stamp = int(time.time())
    empty = work / "empty.ndjson"
    empty.write_text("")
    _seconds, start_cpu, _summary = feed_import(empty)  # Django's start-up: what every import pays once
    print(f"the importer's start-up alone: {start_cpu:.2f} s CPU", flush=True)
    tps_one_before = pgbench_inserts(1)
    rates = []
    cpu_ms = []
    steady_ms = []
    for run in range(RUNS):
        path = work / f"events-{run}.ndjson"
        events_file(path, f"E{stamp}-{run}", EVENTS, seed=stamp + run)
        analyze()
        seconds, cpu, summary = feed_import(path)
        rates.append(EVENTS / seconds)
        cpu_ms.append(1000 * cpu / EVENTS)
        steady_ms.append(1000 * (cpu - start_cpu) / EVENTS)
        rate = EVENTS / seconds
        print(
            f"events by local_id, run {run + 1}: {EVENTS:,} in {seconds:.1f} s = {rate:,.0f}/s,"
            f" {cpu_ms[-1]:.2f} ms CPU each in the importer ({steady_ms[-1]:.2f} without its start-up); {summary}",
            flush=True,
        )
    analyze()
    drain_runs = worker_drain()
    # Events evaluated a second over the worker's whole run, start-up included (none queued: the code evaluated
    # them in the importer).
    drain_runs_rate = RUNS * EVENTS / drain_runs["seconds"] if drain_runs["tasks"] and drain_runs["seconds"] else 0.0
    print(
        f"worker: {drain_runs['tasks']} tasks ({drain_runs['people']:,} people) queued by the runs' {RUNS * EVENTS:,}"
        f" events drained in {drain_runs['seconds']} s = {drain_runs_rate:,.0f} events/s; {drain_runs}",
        flush=True,
    )
    extract = work / "extract.ndjson"
    extract_file(extract, f"X{stamp}", EXTRACT, NEW, seed=stamp)
    analyze()
    extract_seconds, extract_cpu, extract_summary = feed_import(extract)
    print(
        f"extract: {EXTRACT:,} events, {NEW:,} new people in {extract_seconds:.1f} s,"
        f" {extract_cpu:.1f} s CPU in the importer; {extract_summary}",
        flush=True,
    )
    analyze()
    drain_extract = worker_drain()
    print(f"worker after the extract: {drain_extract}", flush=True)
    tps_one_after = pgbench_inserts(1)
    tps_one = (tps_one_before + tps_one_after) / 2
    tps = pgbench_inserts(8)
    median = median_of(rates)
    figures = {
        "people": PEOPLE,
        "events_per_run": EVENTS,
        "events_by_local_id_per_second": [round(r, 1) for r in rates],
        "events_by_local_id_per_second_median": round(median, 1),
        "importer_cpu_ms_per_event_median": round(median_of(cpu_ms), 3),
        "importer_start_up_cpu_seconds": round(start_cpu, 2),
        "importer_cpu_ms_per_event_without_start_up_median": round(median_of(steady_ms), 3),
        "target_events_per_second": 2000,
        "extract_events": EXTRACT,
        "extract_new_people": NEW,
        "extract_seconds": round(extract_seconds, 1),
        "extract_importer_cpu_seconds": round(extract_cpu, 1),
        # What each new person cost beyond an event by local_id (the runs' figure without start-up).
        "extract_importer_cpu_ms_per_new_person": round(
            1000 * (extract_cpu - start_cpu - (EXTRACT - NEW) * median_of(steady_ms) / 1000) / NEW, 2
        )
        if NEW
        else None,
        "target_extract_seconds": 300,
        "chunk": CHUNK or "command default",
        "worker_drain_after_runs": drain_runs,
        "worker_drain_after_runs_events_per_second": round(drain_runs_rate, 1),
        "worker_drain_after_extract": drain_extract,
        "pgbench_single_row_insert_tps": round(tps, 1),
        "ratio_events_to_pgbench_inserts": round(median / tps, 4) if tps else None,
        "pgbench_single_row_insert_tps_one_client_before_and_after": [
            round(tps_one_before, 1),
            round(tps_one_after, 1),
        ],
        "pgbench_single_row_insert_tps_one_client": round(tps_one, 1),
        "ratio_events_to_one_client_inserts": round(median / tps_one, 4) if tps_one else None,
        "ratio_extract_events_per_second_to_one_client_inserts": (
            round(EXTRACT / extract_seconds / tps_one, 4) if tps_one else None
        ),
        "load_average_at_end": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(figures, indent=2))
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "feeds.json").write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
