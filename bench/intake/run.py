"""Intake benchmark: POST /api/v1/concerns against gunicorn + PostgreSQL holding 100k people.

1. (Re)creates the database `cylch_bench_intake` on 127.0.0.1, migrates it and loads 100,000 people
   (`cylch synth --people 100000 --seed 1` with BENCH_SYNTH=1, otherwise a fast bulk load of synthetic persons).
2. Starts gunicorn on 127.0.0.1:8765 (4 sync workers) and, from a second process, sends REQUESTS submissions
   over CONCURRENCY connections at a time (each with its own Idempotency-Key), half naming a known child by NHS
   number and half a new child. The requests are built before the clock starts. It stops by itself.
   Then, for scale, the same stack's cheap authenticated call: a practitioner with no concerns lists theirs.
3. Runs pgbench's single-row INSERT for 10 s with 8 clients on the same server, as the reference.
4. Prints and writes bench/results/intake.json: submissions/s, p50/p95/p99 latency, pgbench TPS, the ratio,
   and where the CPU went: milliseconds of CPU per submission in the gunicorn workers and in the PostgreSQL
   backends serving them (from /proc), and the rate those two alone would allow on this machine's cores.
Traffic goes only to 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing import Process, Queue
from pathlib import Path

from cylch.synthetic.names import ENGLISH_FEMALE, ENGLISH_MALE, ENGLISH_SURNAMES, WELSH_FEMALE, WELSH_MALE

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
DB = os.environ.get("BENCH_DB", "cylch_bench_intake")
PG = ["-h", "127.0.0.1", "-U", "postgres"]
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "100000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "5000"))
REFERENCE_REQUESTS = int(os.environ.get("BENCH_REFERENCE_REQUESTS", "4000"))
FIRST = int(os.environ.get("BENCH_FIRST", "0"))  # which payloads: with BENCH_REUSE, a new FIRST means new children
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))  # above 1: gunicorn's gthread workers (keep-alive)
REUSE = os.environ.get("BENCH_REUSE") == "1"  # keep an already loaded database (iterating on the code)
# Persistent connections outlive the run, so each PostgreSQL backend serving gunicorn is the same process
# throughout and its CPU time can be read from /proc.
ENV = {
    **os.environ,
    "DATABASE_URL": DATABASE_URL,
    "CYLCH_LOG_LEVEL": "WARNING",
    "CYLCH_PLAIN_STATIC": "1",
    "CYLCH_DB_CONN_MAX_AGE": "3600",
    # One token sends every submission: the per-token rate limit would measure itself, not intake.
    "CYLCH_API_TOKEN_RATE": "1000000/s",
}

# Loads people the way intake would have indexed them: each with its name keys (the function `Person.save` uses)
# and one agency record, then files every record under its blocking keys with the linkage's own index rebuild.
LOAD_PEOPLE = """
import django, datetime, random
django.setup()
from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Region
from cylch.linkage.relink import blocking_index_rebuild
from cylch.people.models import Person, SourceRecord
from cylch.people.text import phonetic_key
from cylch.people.validators import nhs_check_digit
from cylch.core.codes import new_code

region, _ = Region.objects.get_or_create(code="BENCH", defaults={"name": "Bench region"})
la, _ = LocalAuthority.objects.get_or_create(code="W06BENCH", defaults={"name": "Bench council", "region": region})
health, _ = Agency.objects.get_or_create(
    name="Bench health board", local_authority=la, defaults={"kind": AgencyKind.HEALTH_VISITING}
)
rng = random.Random(1)
given = ["Cerys", "Dylan", "Ffion", "Osian", "Mia", "Jac", "Alys", "Harri", "Seren", "Tomos", "Nia", "Elis"]
family = ["Jones", "Davies", "Williams", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths"]


def flush(batch):
    people = Person.objects.bulk_create(batch)
    SourceRecord.objects.bulk_create(
        SourceRecord(agency=health, local_id=p.cylch_id, person=p, given_name=p.given_name,
            family_name=p.family_name, date_of_birth=p.date_of_birth, nhs_number=p.nhs_number)
        for p in people
    )


batch = []
n = 0
body = 999_000_000
while n < PEOPLE:
    body += 1
    digit = nhs_check_digit(str(body))
    if digit is None:
        continue
    n += 1
    g, f = rng.choice(given), rng.choice(family)
    batch.append(Person(cylch_id=new_code(10), given_name=g, family_name=f,
        date_of_birth=datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(6000)),
        nhs_number=f"{body}{digit}", given_name_key=phonetic_key(g), family_name_key=phonetic_key(f)))
    if len(batch) == 5000:
        flush(batch); batch = []
flush(batch)
blocking_index_rebuild()
print(Person.objects.count())
"""

SETUP_ACCOUNT = """
import django
django.setup()
from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Practitioner, Region, Role
from cylch.accounts.scopes import PRACTITIONER_SCOPES
from cylch.accounts.services import api_token_create
region, _ = Region.objects.get_or_create(code="BENCH", defaults={"name": "Bench region"})
la, _ = LocalAuthority.objects.get_or_create(code="W06BENCH", defaults={"name": "Bench council", "region": region})
school, _ = Agency.objects.get_or_create(name="Bench school", local_authority=la, defaults={"kind": AgencyKind.SCHOOL})
user, _ = Practitioner.objects.get_or_create(
    username="bench.school", defaults={"agency": school, "email": "bench@school.example"}
)
user.roles.add(Role.objects.get_or_create(code="agency_practitioner")[0])
print(api_token_create(practitioner=user, scopes=PRACTITIONER_SCOPES, name="bench").key)
# The reference call's caller: a practitioner at the same school who has raised nothing.
idle, _ = Practitioner.objects.get_or_create(
    username="bench.idle", defaults={"agency": school, "email": "idle@school.example"}
)
idle.roles.add(Role.objects.get_or_create(code="agency_practitioner")[0])
print(api_token_create(practitioner=idle, scopes=PRACTITIONER_SCOPES, name="bench").key)
"""


def sh(*args: str, env: dict[str, str] | None = None, check: bool = True) -> str:
    return subprocess.run(list(args), check=check, capture_output=True, text=True, env=env or ENV).stdout


def django_script(code: str) -> str:
    return sh(
        str(BIN / "python"),
        "-c",
        f"PEOPLE = {PEOPLE}\n" + code,
        env={**ENV, "DJANGO_SETTINGS_MODULE": "cylch.settings"},
    )


def prepare() -> None:
    sh("dropdb", *PG, "--if-exists", DB)
    sh("createdb", *PG, DB)
    sh(str(BIN / "cylch"), "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    if os.environ.get("BENCH_SYNTH") == "1":
        sh(str(BIN / "cylch"), "synth", "--people", str(PEOPLE), "--seed", "1")
    else:
        django_script(LOAD_PEOPLE)
    sh("psql", *PG, "-d", DB, "-c", "ANALYZE")  # fresh statistics, as autovacuum would have after a bulk load
    print(f"loaded {PEOPLE} people in {time.perf_counter() - started:.1f}s", flush=True)


def known_nhs_numbers(limit: int = 2000) -> list[str]:
    query = f"select nhs_number from people_person where nhs_number <> '' limit {int(limit)}"  # noqa: S608
    out = sh("psql", *PG, "-d", DB, "-tA", "-c", query)
    return [line for line in out.splitlines() if line]


def payload(i: int, known: list[str]) -> dict[str, object]:
    """A realistic concern: half about a child already known by NHS number, half about a child described by
    Welsh or English names and a date of birth (so matching does real work, as at a real front door)."""
    rng = random.Random(i)
    given = rng.choice((*WELSH_FEMALE, *WELSH_MALE, *ENGLISH_FEMALE, *ENGLISH_MALE))
    family = rng.choice(ENGLISH_SURNAMES)
    born = f"{rng.randint(2009, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    child: dict[str, object] = {"given_name": given, "family_name": family, "date_of_birth": born}
    if i % 2 == 0 and known:
        child["nhs_number"] = known[i % len(known)]
    parent = {"role": "household_member", "given_name": rng.choice(ENGLISH_FEMALE), "family_name": family}
    return {
        "kind": "marf",
        "categories": ["neglect"],
        "what_happened": "Benchmark concern: came to school hungry.",
        "family_aware": "yes",
        "subjects": [child, parent],
    }


def request_bytes(token: str, body: bytes | None = None) -> bytes:
    """One whole HTTP request: a submission with its own Idempotency-Key, or (no body) a read of the caller's
    own concerns."""
    if body is None:
        head = f"GET /api/v1/concerns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Token {token}\r\n"
        return (head + "Connection: close\r\n\r\n").encode()
    head = (
        "POST /api/v1/concerns HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Token {token}\r\nContent-Type: application/json\r\n"
        f"Idempotency-Key: {uuid.uuid4()}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def submissions(token: str, known: list[str], count: int, first: int) -> list[list[bytes]]:
    """`count` submissions (payloads `first` onwards) split among CONCURRENCY connections."""
    per_thread = count // CONCURRENCY
    return [
        [
            request_bytes(token, json.dumps(payload(first + t * per_thread + k, known)).encode())
            for k in range(per_thread)
        ]
        for t in range(CONCURRENCY)
    ]


def drive(prepared: list[list[bytes]], expect: bytes, results: Queue) -> None:  # type: ignore[type-arg]
    """The load generator, in its own process. Every request was built before the clock starts; one thread per
    list sends its requests, each over a fresh connection (gunicorn's sync workers close it after each response),
    and reads the response whole. So the generator's own CPU, on the same two cores as the server, stays small;
    it is measured and reported beside the server's."""

    def worker(requests: list[bytes]) -> tuple[list[float], int]:
        latencies, failures = [], 0
        for raw in requests:
            started = time.perf_counter()
            with socket.create_connection(("127.0.0.1", PORT), timeout=30) as connection:
                connection.sendall(raw)
                response = bytearray()
                while chunk := connection.recv(65536):
                    response += chunk
            latencies.append(time.perf_counter() - started)
            if not response.startswith(expect):
                failures += 1
        return latencies, failures

    cpu_started, started = time.process_time(), time.perf_counter()
    with ThreadPoolExecutor(len(prepared)) as pool:
        outcomes = list(pool.map(worker, prepared))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    latencies = sorted(x for lat, _f in outcomes for x in lat)
    failures = sum(f for _l, f in outcomes)
    results.put({"elapsed": elapsed, "latencies": latencies, "failures": failures, "cpu": cpu})


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of `pids` so far, from /proc (processes that have gone count nothing)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def worker_pids(server: int) -> list[int]:
    children = Path(f"/proc/{server}/task/{server}/children").read_text().split()
    return [server, *map(int, children)]


def backend_pids() -> list[int]:
    query = f"select pid from pg_stat_activity where datname = '{DB}' and pid <> pg_backend_pid()"  # noqa: S608
    return [int(line) for line in sh("psql", *PG, "-d", DB, "-tA", "-c", query).split()]


def pgbench_inserts() -> float:
    sh(
        "psql",
        *PG,
        "-d",
        DB,
        "-c",
        "create table if not exists bench_insert (id bigserial primary key, payload text, at timestamptz)",
    )
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("INSERT INTO bench_insert (payload) VALUES ('benchmark row');\n")
    out = sh("pgbench", *PG, "-n", "-f", script.name, "-T", "10", "-c", "8", "-j", "2", DB)
    match = re.search(r"tps = ([\d.]+)", out)
    return float(match.group(1)) if match else 0.0


@dataclass(frozen=True)
class Run:
    """One measured load: how fast, how long each request took, and the CPU each took on each side."""

    rate: float
    latencies: list[float]
    failures: int
    app_ms: float
    database_ms: float
    generator_ms: float

    def pct(self, p: float) -> float:
        return round(1000 * self.latencies[min(len(self.latencies) - 1, int(p * len(self.latencies)))], 1)

    def cpu(self) -> dict[str, float]:
        return {
            "gunicorn_workers": round(self.app_ms, 2),
            "postgresql_backends": round(self.database_ms, 2),
            "load_generator": round(self.generator_ms, 2),
            "ceiling_per_second": round(1000 * (os.cpu_count() or 1) / (self.app_ms + self.database_ms), 1),
        }


def measure(server: subprocess.Popen[bytes], prepared: list[list[bytes]], expect: bytes) -> Run:
    app, database = worker_pids(server.pid), backend_pids()
    before = cpu_seconds(app), cpu_seconds(database)
    results: Queue = Queue()  # type: ignore[type-arg]
    process = Process(target=drive, args=(prepared, expect, results))
    process.start()
    run = results.get()
    process.join()
    count = len(run["latencies"])
    app_ms, database_ms = (
        1000 * (cpu_seconds(pids) - b) / count for pids, b in zip((app, database), before, strict=True)
    )
    return Run(
        rate=count / run["elapsed"],
        latencies=run["latencies"],
        failures=run["failures"],
        app_ms=app_ms,
        database_ms=database_ms,
        generator_ms=1000 * run["cpu"] / count,
    )


def main() -> int:
    if not (REUSE and DB in sh("psql", *PG, "-lqt")):
        prepare()
    token, idle_token = django_script(SETUP_ACCOUNT).splitlines()[:2]
    known = known_nhs_numbers()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "cylch.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--threads",
            str(THREADS),
            "--log-level",
            "warning",
            "--keep-alive",
            "30",
        ],
        env=ENV,
    )
    created, read = b"HTTP/1.1 201 ", b"HTTP/1.1 200 "
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/health/")
                break
            except OSError:
                time.sleep(0.2)
        # Warm up every worker (imports, connections) before measuring, with payloads far from the measured ones.
        measure(server, submissions(token, known, CONCURRENCY * 10, first=10**7), created)
        reference_requests = [[request_bytes(idle_token)] * (REFERENCE_REQUESTS // CONCURRENCY)] * CONCURRENCY
        measure(server, reference_requests[:1], read)
        intake = measure(server, submissions(token, known, REQUESTS, first=FIRST), created)
        reference = measure(server, reference_requests, read)
    finally:
        server.terminate()
        server.wait(timeout=30)
    tps = pgbench_inserts()
    figures = {
        "people": PEOPLE,
        "requests": len(intake.latencies),
        "failures": intake.failures,
        "concurrency": CONCURRENCY,
        "gunicorn_workers": WORKERS,
        "gunicorn_threads": THREADS,
        "submissions_per_second": round(intake.rate, 1),
        "latency_ms": {
            "p50": intake.pct(0.50),
            "p95": intake.pct(0.95),
            "p99": intake.pct(0.99),
            "mean": round(1000 * statistics.mean(intake.latencies), 1),
        },
        "cpu_ms_per_submission": intake.cpu(),
        "pgbench_single_row_insert_tps": round(tps, 1),
        "ratio_submissions_to_pgbench_inserts": round(intake.rate / tps, 4) if tps else None,
        # A cheap authenticated call on the same stack, for scale: a practitioner with no concerns lists theirs
        # (token authentication, a count and an empty page). Not a pure floor: its two queries are most of it.
        "reference_empty_list_of_own_concerns": {
            "requests_per_second": round(reference.rate, 1),
            "failures": reference.failures,
            "p50_ms": reference.pct(0.50),
            "cpu_ms_per_request": reference.cpu(),
        },
        "target": {"submissions_per_second": 200, "p95_ms": 100},
        "cpu_count": os.cpu_count(),
    }
    out = ROOT / "bench" / "results" / "intake.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 0 if intake.failures == reference.failures == 0 else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    random.seed(1)
    sys.exit(main())
