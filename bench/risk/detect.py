"""bench/risk detection: "report recall of the planted trajectories and alerts raised per 1,000 children that no
trajectory explains; target recall >= 0.9 with the false-alert rate stated beside it".

Generates a synthetic region (`cylch synth`, BENCH_DETECT_PEOPLE people, seed BENCH_DETECT_SEED) into a fresh
PostgreSQL database, then replays its history: every live default rule is evaluated as at the end of every
BENCH_DETECT_STEP_DAYS days over the last BENCH_DETECT_YEARS years to the region's reference date, and
deduplicated as live alerts are (one alert per rule and pattern while it keeps firing; a pattern that stops
firing and fires again is a new alert), as the try-before-live report does. Then, against the generator's
ground truth (`PlantedTrajectory`, with the rule meant to find each and whether it is a near-miss):

- recall: the share of planted trajectories (not near-misses) on whose people the rule meant for them raised an
  alert that was still firing on or after the day the trajectory started; overall and per rule;
- near-misses fired on: the share of near-misses on whose people their rule raised an alert (they should not);
- unexplained alerts per 1,000 children: alerts concerning no child of any planted trajectory, per 1,000 children
  alive in the region at the reference date (what a partnership would see as background: the background pathways
  include real-looking domestic abuse and concerns, so "unexplained" is not "wrong").

  .venv/bin/python bench/risk/detect.py                   # 30,000 people, 30-day steps over 4 years

Only 127.0.0.1 is used. Results: bench/results/risk-detection.json.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("BENCH_DETECT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cylch_bench_detect")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cylch.settings")
sys.path.insert(0, str(ROOT / "src"))

PEOPLE = int(os.environ.get("BENCH_DETECT_PEOPLE", "30000"))
SEED = int(os.environ.get("BENCH_DETECT_SEED", "1"))
STEP_DAYS = int(os.environ.get("BENCH_DETECT_STEP_DAYS", "30"))
YEARS = int(os.environ.get("BENCH_DETECT_YEARS", "4"))
TARGET_RECALL = 0.9


def database_fresh(url: str) -> None:
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"bench/risk only uses 127.0.0.1, not {parts.hostname}")
    name = parts.path.lstrip("/")
    args = ["-h", "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    subprocess.run(["dropdb", *args, "--if-exists", name], check=True)
    subprocess.run(["createdb", *args, name], check=True)


def main() -> int:
    database_fresh(DATABASE_URL)
    env = os.environ | {"DATABASE_URL": DATABASE_URL}
    cylch = str(ROOT / ".venv" / "bin" / "cylch")
    started = time.perf_counter()
    subprocess.run([cylch, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [cylch, "synth", "--skip-checks", "--people", str(PEOPLE), "--seed", str(SEED)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    load_seconds = time.perf_counter() - started

    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from cylch.people.models import Person
    from cylch.risk.engine import firings
    from cylch.risk.services import live_versions
    from cylch.synthetic.models import PlantedTrajectory, SyntheticRun

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    run = SyntheticRun.objects.latest("pk")
    today = run.reference_date or datetime.date(2025, 3, 31)
    first = today.replace(year=today.year - YEARS)
    steps = [first + datetime.timedelta(days=n) for n in range(0, (today - first).days + 1, STEP_DAYS)]
    if steps[-1] != today:
        steps.append(today)

    # Alerts per rule as the live service would have raised them: (rule, key) episodes, each with its children.
    alerts: list[tuple[str, frozenset[int], datetime.date]] = []  # rule, children, last day it fired
    started = time.perf_counter()
    for version, definition in live_versions():
        code = version.rule.code
        open_keys: dict[str, tuple[set[int], datetime.date]] = {}  # children, last day fired
        for day in steps:
            as_of = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
            fired = {f.key: f for f in firings(definition, as_of=as_of)}
            for key in set(open_keys) - set(fired):
                subjects, last = open_keys.pop(key)
                alerts.append((code, frozenset(subjects), last))
            for key, firing in fired.items():
                subjects = open_keys[key][0] if key in open_keys else set()
                open_keys[key] = (subjects | set(firing.subject_ids), day)
        alerts += [(code, frozenset(subjects), last) for subjects, last in open_keys.values()]
    replay_seconds = time.perf_counter() - started

    trajectories = list(PlantedTrajectory.objects.filter(run=run).exclude(rule_code=""))
    by_rule: dict[str, list[tuple[frozenset[int], datetime.date]]] = defaultdict(list)
    for code, concerned, last in alerts:
        by_rule[code].append((concerned, last))

    def found(trajectory: PlantedTrajectory) -> bool:
        people = set(trajectory.person_ids)
        return any(
            subjects & people and last >= trajectory.started_on for subjects, last in by_rule[trajectory.rule_code]
        )

    per_rule: dict[str, dict[str, int]] = defaultdict(lambda: {"planted": 0, "found": 0, "near_misses": 0, "fired": 0})
    for trajectory in trajectories:
        row = per_rule[trajectory.rule_code]
        hit = found(trajectory)
        if trajectory.near_miss:
            row["near_misses"] += 1
            row["fired"] += hit
        else:
            row["planted"] += 1
            row["found"] += hit
    planted = sum(r["planted"] for r in per_rule.values())
    detected = sum(r["found"] for r in per_rule.values())
    near_misses = sum(r["near_misses"] for r in per_rule.values())
    near_fired = sum(r["fired"] for r in per_rule.values())
    explained_people = {pk for t in trajectories if not t.near_miss for pk in t.person_ids}
    unexplained = [a for a in alerts if not a[1] & explained_people]
    adult_born = today.replace(year=today.year - 18)
    children = (
        Person.objects.filter(merged_into__isnull=True, date_of_death__isnull=True)
        .filter(date_of_birth__gt=adult_born)
        .count()
        + Person.objects.filter(is_unborn=True).count()
    )
    recall = detected / planted if planted else 0.0
    report = {
        "date": timezone.now().isoformat(timespec="seconds"),
        "people": Person.objects.count(),
        "children": children,
        "seed": SEED,
        "reference_date": today.isoformat(),
        "replay": {"from": first.isoformat(), "step_days": STEP_DAYS, "steps": len(steps)},
        "alerts": len(alerts),
        "planted": planted,
        "recall": round(recall, 3),
        "target_recall": TARGET_RECALL,
        "near_misses": near_misses,
        "near_misses_fired_on": near_fired,
        "unexplained_alerts": len(unexplained),
        "unexplained_alerts_per_1000_children": round(1000 * len(unexplained) / children, 2) if children else None,
        "unexplained_by_rule": {
            code: sum(1 for c, _s, _d in unexplained if c == code) for code in sorted({a[0] for a in alerts})
        },
        "per_rule": {
            code: row | {"recall": round(row["found"] / row["planted"], 3) if row["planted"] else None}
            for code, row in sorted(per_rule.items())
        },
        "load_seconds": round(load_seconds, 1),
        "replay_seconds": round(replay_seconds, 1),
    }
    out = ROOT / "bench" / "results" / "risk-detection.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0 if recall >= TARGET_RECALL else 1


if __name__ == "__main__":
    sys.exit(main())
