"""bench/match: incremental match latency — "p95 ≤ 20 ms with 1M persons on PostgreSQL".

Times what `person_link` and `POST /api/v1/persons/match` do before they write anything: blocking
lookup in the `BlockingKey` index plus Fellegi–Sunter scoring of every candidate
(`cylch.linkage.matching.match_candidates`, which only reads). The queries are agency records already in
the database, distorted as a second agency would record them (a typo, a day/month swap, no NHS number,
no postcode) plus people nobody has seen. The reference, measured in the same run on the same server:
a primary-key read of one person through Django, and pgbench's select-only rate on its own database.

A database already loaded (by an earlier run, or by `cylch synth` + `cylch link --all`) is reused:

  BENCH_PEOPLE=1000000 .venv/bin/python bench/match/run.py
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cylch_bench_match BENCH_QUERIES=3000 ...

Only 127.0.0.1 is used. Loading 1M people takes tens of minutes on a small machine; the timing itself a minute.
"""

from __future__ import annotations

import datetime
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

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
SEED = int(os.environ.get("BENCH_SEED", "1"))
QUERIES = int(os.environ.get("BENCH_QUERIES", "3000"))
WARM_UP = 200
MAX_SECONDS = float(os.environ.get("BENCH_MAX_SECONDS", "600"))  # the timed phase stops by itself
TARGET_P95_MS = 20.0


def _pg(url: str) -> dict[str, str]:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    if host not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"bench/match only uses 127.0.0.1, not {host}")
    return {"host": "127.0.0.1", "port": str(parts.port or 5432), "user": parts.username or "postgres"}


def _psql_args(pg: dict[str, str]) -> list[str]:
    return ["-h", pg["host"], "-p", pg["port"], "-U", pg["user"]]


def database_ensure(url: str) -> None:
    pg = _pg(url)
    name = urlsplit(url).path.lstrip("/")
    exists = subprocess.run(
        ["psql", *_psql_args(pg), "-d", "postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["createdb", *_psql_args(pg), name], check=True)


def pgbench_reference(url: str, seconds: int = 10) -> dict[str, float]:
    """pgbench select-only, one client, on its own small database on the same server."""
    pg = _pg(url)
    name = "cylch_bench_pgbench"
    database_ensure(f"postgres://{pg['user']}@127.0.0.1:{pg['port']}/{name}")
    initialised = subprocess.run(
        ["psql", *_psql_args(pg), "-d", name, "-Atc", "SELECT to_regclass('pgbench_accounts') IS NOT NULL"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if initialised != "t":
        subprocess.run(["pgbench", *_psql_args(pg), "-i", "-q", "-s", "10", name], check=True, capture_output=True)
    out = subprocess.run(
        ["pgbench", *_psql_args(pg), "-n", "-S", "-c", "1", "-j", "1", "-T", str(seconds), name],
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


def main() -> int:
    database_ensure(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from cylch.linkage.matching import match_candidates
    from cylch.linkage.models import BlockingKey
    from cylch.linkage.relink import blocking_index_rebuild
    from cylch.linkage.scoring import load_model
    from cylch.linkage.services import PersonDetails
    from cylch.people.models import Person, SourceRecord
    from cylch.synthetic.services import synthetic_region_load

    if connection.vendor != "postgresql":
        raise SystemExit("bench/match measures PostgreSQL: set BENCH_DATABASE_URL to a postgres:// URL")
    results: dict[str, object] = {"database": urlsplit(DATABASE_URL).path.lstrip("/"), "target_p95_ms": TARGET_P95_MS}
    call_command("migrate", verbosity=0)
    load: dict[str, float] = {}
    if not Person.objects.exists():
        started = time.perf_counter()
        loaded = synthetic_region_load(people=PEOPLE, seed=SEED)
        load["synth_seconds"] = round(time.perf_counter() - started, 1)
        print(f"loaded {loaded.counts['person']:,} people in {load['synth_seconds']} s", flush=True)
    if not BlockingKey.objects.exists():
        started = time.perf_counter()
        blocking_index_rebuild()
        load["index_seconds"] = round(time.perf_counter() - started, 1)
        print(f"built the blocking index in {load['index_seconds']} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have after a bulk load
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [BlockingKey._meta.db_table])
        keys = cursor.fetchone()[0]
    persons, records = Person.objects.count(), SourceRecord.objects.count()
    results.update(persons=persons, source_records=records, blocking_keys_estimate=keys, load=load)
    print(f"{persons:,} persons, {records:,} source records, ~{keys:,} blocking keys", flush=True)

    rng = random.Random(SEED)
    top = SourceRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    wanted = QUERIES + WARM_UP
    sample_ids = rng.sample(range(1, top + 1), min(top, wanted * 2))
    sample = list(
        SourceRecord.objects.filter(pk__in=sample_ids).values_list(
            "person_id", "given_name", "family_name", "date_of_birth", "sex", "nhs_number", "postcode"
        )
    )
    rng.shuffle(sample)
    queries: list[tuple[str, int | None, PersonDetails]] = []
    for person_id, given, family, dob, sex, nhs, postcode in sample[:wanted]:
        kind = rng.choices(["same", "typo", "swap", "no_nhs", "no_postcode", "unknown"], [3, 2, 1, 2, 1, 1])[0]
        if kind == "typo" and len(given) > 3:
            i = rng.randrange(1, len(given) - 2)
            given = given[:i] + given[i + 1] + given[i] + given[i + 2 :]
        if kind == "swap" and dob and dob.day <= 12 and dob.day != dob.month:
            dob = datetime.date(dob.year, dob.day, dob.month)
        if kind in {"typo", "swap", "no_nhs", "unknown"}:
            nhs = ""
        if kind == "no_postcode":
            postcode = ""
        truth: int | None = person_id
        if kind == "unknown":  # someone nobody has recorded: a name and date of birth from two other records
            other = sample[rng.randrange(len(sample))]
            family, dob, truth = other[2], other[3], None
        details = PersonDetails(
            given_name=given, family_name=family, date_of_birth=dob, sex=sex, nhs_number=nhs, postcode=postcode
        )
        queries.append((kind, truth, details))

    model = load_model()
    pk_top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    timings: list[float] = []
    pk_timings: list[float] = []
    candidates: list[int] = []
    found = correct_top = with_truth = 0
    deadline = time.perf_counter() + MAX_SECONDS
    for n, (_kind, truth, details) in enumerate(queries):
        if time.perf_counter() > deadline:
            print(f"stopped after {MAX_SECONDS:.0f} s", flush=True)
            break
        started = time.perf_counter()
        matched = match_candidates(details=details, model=model)
        elapsed = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        Person.objects.filter(pk=rng.randint(1, pk_top)).first()  # the reference: one indexed read, same path
        pk_elapsed = (time.perf_counter() - started) * 1000
        if n < WARM_UP:
            continue
        timings.append(elapsed)
        pk_timings.append(pk_elapsed)
        candidates.append(len(matched))
        if truth is not None:
            with_truth += 1
            ids = [c.person.pk for c in matched]
            found += truth in ids
            correct_top += bool(ids) and ids[0] == truth
    results["match_ms"] = percentiles(timings)
    results["pk_read_ms"] = percentiles(pk_timings)
    results["candidates"] = {"mean": round(statistics.fmean(candidates), 1), "max": max(candidates)}
    results["accuracy"] = {
        "queries_of_known_people": with_truth,
        "true_person_among_candidates": round(found / with_truth, 4) if with_truth else None,
        "true_person_ranked_first": round(correct_top / with_truth, 4) if with_truth else None,
    }
    results["pgbench_select_only"] = pgbench_reference(DATABASE_URL)
    match_ms, pk_ms = results["match_ms"], results["pk_read_ms"]
    assert isinstance(match_ms, dict)
    assert isinstance(pk_ms, dict)
    pgbench = results["pgbench_select_only"]
    assert isinstance(pgbench, dict)
    results["ratios"] = {
        "match_p95_over_pk_read_p50": round(match_ms["p95"] / pk_ms["p50"], 1),
        "match_p95_over_pgbench_latency": round(match_ms["p95"] / pgbench["latency_ms"], 1),
    }
    results["meets_target"] = match_ms["p95"] <= TARGET_P95_MS
    (ROOT / "bench/results").mkdir(parents=True, exist_ok=True)
    (ROOT / "bench/results/match.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1))
    print(
        f"match over {persons:,} persons: p50 {match_ms['p50']} ms, p95 {match_ms['p95']} ms, p99 {match_ms['p99']} ms "
        f"(target p95 ≤ {TARGET_P95_MS:g} ms: {'met' if results['meets_target'] else 'NOT met'}); "
        f"reference pk read p50 {pk_ms['p50']} ms, pgbench -S {pgbench['tps']:,} tps"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
