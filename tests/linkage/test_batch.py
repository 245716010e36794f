"""`cylch link`: batch linkage of a file on DuckDB and on Spark, re-indexing everyone, and re-training the model.

The Spark test starts a local Spark (a JVM) and takes tens of seconds: it is marked slow, and skips only
when pyspark or a Java runtime is missing.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from cylch.linkage import training
from cylch.linkage.batch import link_file, link_rows, read_rows, spark_available
from cylch.linkage.matching import match_candidates
from cylch.linkage.models import BlockingKey
from cylch.linkage.scoring import model_from_dict
from cylch.linkage.services import PersonDetails
from cylch.people.models import SourceRecord
from cylch.synthetic.files import region_files_write
from cylch.synthetic.generator import RegionConfig
from cylch.synthetic.services import synthetic_region_load

HEADER = ("record_id", "given_name", "family_name", "date_of_birth", "sex", "postcode", "address", "nhs_number")

# The cases under test; ids 1-6 are the people the assertions are about.
CASES = [
    ("1", "Rhiannon", "Cooper", "2016-02-03", "female", "NP12 3DR", "74 Maes Glas, Blackwood", ""),
    ("2", "Rhianon", "Cooper", "2016-02-03", "female", "NP12 3DR", "74 Maes Glas, Blackwood", ""),  # a typo
    ("3", "Megan", "Pritchard", "2018-07-21", "female", "CF83 1AB", "3 Heol y Felin, Caerphilly", ""),  # twins:
    ("4", "Bethan", "Pritchard", "2018-07-21", "female", "CF83 1AB", "3 Heol y Felin, Caerphilly", ""),  # not one
    ("5", "Dylan", "Hughes", "2012-11-05", "male", "NP44 2QP", "9 Cwrt Coch, Cwmbran", "9434765919"),
    ("6", "Dylan", "Hughes", "2012-05-11", "male", "NP44 2QP", "9 Cwrt Coch, Cwmbran", ""),  # day and month swapped
]
GIVEN = ["Aled", "Carys", "Osian", "Ffion", "Gethin", "Lowri", "Iwan", "Mali", "Rhys", "Seren", "Tomos", "Elin"]
FAMILY = ["Evans", "Price", "Morgan", "Watkins", "Bevan", "Jenkins", "Prosser", "Owen", "Harries", "Probert"]


def _fillers() -> list[tuple[str, ...]]:
    """Unrelated people, so term frequencies and the prior behave as they do on a real file."""
    rows = []
    for i in range(40):
        given, family = GIVEN[i % len(GIVEN)], FAMILY[(i * 7) % len(FAMILY)]
        dob = f"{2005 + i % 15}-{1 + i % 12:02d}-{1 + (i * 5) % 28:02d}"
        rows.append(
            (str(100 + i), given, family, dob, "female" if i % 2 else "male", f"SA{i % 9 + 1} {i % 9}XY", "", "")
        )
    return rows


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "records.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(CASES + _fillers())
    return path


def _clusters(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["record_id"]: row["cluster_id"] for row in csv.DictReader(handle)}


def _assert_cases(clusters: dict[str, str]) -> None:
    assert clusters["1"] == clusters["2"], "a typo'd duplicate is one person"
    assert clusters["3"] != clusters["4"], "twins are never merged"
    assert clusters["5"] == clusters["6"], "a day/month swap with everything else the same is one person"
    assert len({clusters[str(100 + i)] for i in range(40)}) == 40, "unrelated people stay apart"
    assert len(set(clusters.values())) == 40 + 4


def test_link_on_duckdb_clusters_a_file(records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out = tmp_path / "clusters.csv"
    call_command("link", str(records), out=out)
    _assert_cases(_clusters(out))
    assert "46 records -> 44 people" in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.skipif(bool(spark_available()), reason=f"--engine spark cannot run here: {spark_available()}")
def test_link_on_spark_agrees_with_duckdb(records: Path, tmp_path: Path):
    duckdb_out, spark_out = tmp_path / "duckdb.csv", tmp_path / "spark.csv"
    duckdb = link_file(records, duckdb_out, engine="duckdb")
    call_command("link", str(records), out=spark_out, engine="spark")
    _assert_cases(_clusters(spark_out))
    assert spark_out.read_text(encoding="utf-8") == duckdb_out.read_text(encoding="utf-8")
    assert duckdb.records == 46


@pytest.mark.django_db
def test_link_all_files_every_source_record_under_its_blocking_keys(capsys: pytest.CaptureFixture[str]):
    synthetic_region_load(people=150, seed=7)
    assert not BlockingKey.objects.exists()  # the loader writes rows directly, without linking them
    call_command("link", all=True)
    records = SourceRecord.objects.count()
    assert f"Re-indexed {records:,} linked records" in capsys.readouterr().out
    indexed = set(BlockingKey.objects.values_list("source_record_id", flat=True))
    keys = BlockingKey.objects.count()
    assert indexed <= set(SourceRecord.objects.values_list("pk", flat=True))
    assert len(indexed) >= 0.95 * records  # all but records too sparse to block on (no name, no NHS number)
    # A record with a date of birth and a name is found again by the matcher under the person it belongs to.
    record = SourceRecord.objects.filter(date_of_birth__isnull=False).exclude(family_name="").order_by("pk").first()
    assert record is not None
    details = PersonDetails(
        given_name=record.given_name,
        family_name=record.family_name,
        date_of_birth=record.date_of_birth,
        postcode=record.postcode,
        nhs_number=record.nhs_number,
    )
    assert record.person_id in {c.person.pk for c in match_candidates(details=details)}
    call_command("link", all=True)  # re-running replaces the index rather than adding to it
    assert BlockingKey.objects.count() == keys


def test_link_train_writes_a_model_that_links_as_well(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    region_files_write(config=RegionConfig(people=400, seed=11), out_dir=tmp_path)
    written = tmp_path / "models"
    written.mkdir()
    shipped = training.model_path
    # Read the shipped base model, but write the trained one under tmp_path rather than into the package.
    monkeypatch.setattr(training, "model_path", lambda v: shipped(v) if v == "v1" else written / f"{v}.json")
    records, truth = tmp_path / "linkage_records.csv", tmp_path / "linkage_truth.csv"
    call_command("link", "train", records=records, truth=truth, model_version="vtest")
    data = json.loads((written / "vtest.json").read_text(encoding="utf-8"))
    assert data["version"] == "vtest"
    assert "linkage_records.csv" in data["description"]
    model = model_from_dict(data)
    for field in ("given_name", "family_name", "date_of_birth", "postcode"):
        exact = model.levels[field]["exact"]
        assert exact.m > 0.5 > exact.u, field  # agreement is common among true matches, rare otherwise
    assert model.term_frequencies["family_name"]
    # The trained model still tells the planted cases apart.
    cases = tmp_path / "cases.csv"
    with cases.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER, *CASES, *_fillers()])
    result = link_rows(list(read_rows(cases)), model=model)
    _assert_cases(result.clusters_by_record)
