"""`cylch link`: batch linkage of a file on DuckDB and on Spark, re-linking everyone, and re-training the model.

The Spark test starts a local Spark (a JVM) and takes tens of seconds: it is marked slow, and skips only
when pyspark or a Java runtime is missing.
"""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Q

from cylch.linkage import relink, training
from cylch.linkage.batch import link_file, link_rows, read_rows, spark_available
from cylch.linkage.merging import person_merge, person_unmerge
from cylch.linkage.models import BlockingKey, MatchReview, MergeDecision
from cylch.linkage.relink import blocking_index_rebuild, person_index_relink
from cylch.linkage.scoring import CURRENT_MODEL, load_model, model_from_dict
from cylch.people.models import Person
from cylch.synthetic.files import region_files_write
from cylch.synthetic.generator import RegionConfig
from tests.factories import PersonFactory, PractitionerFactory, SourceRecordFactory

HEADER = ("record_id", "given_name", "family_name", "date_of_birth", "sex", "postcode", "address", "nhs_number")

# The cases under test; ids 1-6 are the people the assertions are about.
CASES = [
    ("1", "Rhiannon", "Cooper", "2016-02-03", "female", "NP12 3DR", "74 Maes Glas, Blackwood", ""),
    ("2", "Rhiannon", "Coopper", "2016-02-03", "female", "NP12 3DR", "74 Maes Glas, Blackwood", ""),  # a typo
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


def test_link_writes_each_pair_to_review_with_why_in_words(tmp_path: Path):
    records = tmp_path / "records.csv"
    with records.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(
            [
                HEADER,
                ("1", "Gwenllian", "Pritchard", "2017-06-09", "female", "CF10 1AA", "", ""),
                ("2", "Gwenllian", "Pritchard", "1986-03-02", "female", "CF10 1AA", "", ""),  # her mother
            ]
        )
    reviews = tmp_path / "reviews.csv"
    call_command("link", str(records), out=tmp_path / "clusters.csv", reviews=reviews)
    with reviews.open(newline="", encoding="utf-8") as handle:
        [row] = csv.DictReader(handle)
    assert (row["record_id"], row["possible_match"]) == ("1", "2")
    assert row["why"].startswith("Agreed: Given name; Family name; Postcode; Sex. Disagreed: Date of birth.")
    assert "a parent and a child can share a name and a home" in row["why"]


def test_link_adapt_links_with_parameters_estimated_from_the_file(records: Path, tmp_path: Path):
    out = tmp_path / "clusters.csv"
    call_command("link", str(records), out=out, adapt=True)
    _assert_cases(_clusters(out))


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


def _person(given: str, family: str, dob: datetime.date, postcode: str) -> Person:
    """A person recorded without linking (as a bulk load does): no blocking keys, no decisions."""
    person = PersonFactory(given_name=given, family_name=family, date_of_birth=dob, nhs_number="")
    SourceRecordFactory(person=person, postcode=postcode)
    return person


@pytest.mark.django_db
def test_link_all_merges_duplicates_queues_possible_matches_and_leaves_twins(capsys: pytest.CaptureFixture[str]):
    dob = datetime.date(2016, 2, 3)
    first = _person("Rhiannon", "Cooper", dob, "NP12 3DR")
    copy = _person("Rhiannon", "Coopper", dob, "NP12 3DR")
    lily, lila = _person("Lily", "Evans", dob, "CF10 1AA"), _person("Lila", "Evans", dob, "CF10 1AA")
    megan, bethan = _person("Megan", "Pritchard", dob, "CF83 1AB"), _person("Bethan", "Pritchard", dob, "CF83 1AB")
    call_command("link", all=True)
    assert "re-scored 5 people: 1 merged automatically, 1 queued for review" in capsys.readouterr().out
    assert Person.objects.get(pk=copy.pk).merged_into == first
    assert MergeDecision.objects.get(merged=copy).automatic
    assert list(MatchReview.objects.values_list("person", "candidate", "status")) == [(lila.pk, lily.pk, "pending")]
    twins = Q(person__in=[megan, bethan]) | Q(candidate__in=[megan, bethan])
    assert not MatchReview.objects.filter(twins).exists()
    assert Person.objects.filter(pk__in=[megan.pk, bethan.pk], merged_into__isnull=True).count() == 2
    # The merged record is now found under the survivor, and a second run has nothing left to do.
    assert set(BlockingKey.objects.filter(person=copy).values_list("pk", flat=True)) == set()
    keys = BlockingKey.objects.count()
    call_command("link", all=True)
    assert "re-scored 5 people: 0 merged automatically, 0 queued for review" in capsys.readouterr().out
    assert BlockingKey.objects.count() == keys


@pytest.mark.django_db
def test_link_all_never_merges_a_pair_a_practitioner_kept_apart():
    dob = datetime.date(2016, 2, 3)
    first, copy = _person("Rhiannon", "Cooper", dob, "NP12 3DR"), _person("Rhiannon", "Coopper", dob, "NP12 3DR")
    manager = PractitionerFactory(roles=["front_door_manager"])
    decision = person_merge(survivor=first, merged=copy, decided_by=manager, reason="Same child")
    person_unmerge(decision=decision, decided_by=manager, reason="Different children: the school checked")
    person_index_relink()
    assert Person.objects.get(pk=copy.pk).merged_into is None


@pytest.mark.django_db
def test_the_index_files_records_under_the_end_of_a_merge_chain():
    survivor = PersonFactory()
    middle = PersonFactory(merged_into=survivor)
    record = SourceRecordFactory(person=PersonFactory(merged_into=middle))
    blocking_index_rebuild()
    assert set(BlockingKey.objects.filter(source_record=record).values_list("person", flat=True)) == {survivor.pk}


@pytest.mark.django_db
def test_a_failed_rebuild_leaves_the_old_index_in_place(monkeypatch: pytest.MonkeyPatch):
    SourceRecordFactory(), SourceRecordFactory()
    blocking_index_rebuild()
    before = BlockingKey.objects.count()
    filed: list[object] = []

    def fail_on_the_second_record(parts):
        if filed:
            raise RuntimeError("the index could not be rebuilt")
        filed.append(parts)
        return ["k:1"]

    monkeypatch.setattr(relink, "keys_to_store", fail_on_the_second_record)
    with pytest.raises(RuntimeError, match="could not be rebuilt"):
        blocking_index_rebuild()
    assert BlockingKey.objects.count() == before


def test_link_train_writes_a_model_that_links_as_well(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    region_files_write(config=RegionConfig(people=400, seed=11), out_dir=tmp_path)
    written = tmp_path / "models"
    written.mkdir()
    shipped = training.model_path
    # Read the shipped base model, but write the trained one under tmp_path rather than into the package.
    monkeypatch.setattr(training, "model_path", lambda v: shipped(v) if v == CURRENT_MODEL else written / f"{v}.json")
    records, truth = tmp_path / "linkage_records.csv", tmp_path / "linkage_truth.csv"
    call_command("link", "train", records=records, truth=truth, model_version="vtest", data_seed=11)
    data = json.loads((written / "vtest.json").read_text(encoding="utf-8"))
    assert data["version"] == "vtest"
    assert data["training"] | {"trained_on": None} == {
        "method": "labelled",
        "records": sum(1 for _ in records.open()) - 1,
        "source": "linkage_records.csv",
        "labels": "linkage_truth.csv",
        "seed": 1,
        "prior_model": None,
        "prior_pairs": None,
        "data_seed": 11,
        "trained_on": None,
    }
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


def test_link_train_without_labels_estimates_a_model_with_the_current_one_as_prior(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    region_files_write(config=RegionConfig(people=400, seed=11), out_dir=tmp_path)
    written = tmp_path / "models"
    written.mkdir()
    shipped = training.model_path
    monkeypatch.setattr(training, "model_path", lambda v: shipped(v) if v == CURRENT_MODEL else written / f"{v}.json")
    records = tmp_path / "linkage_records.csv"
    call_command("link", "train", records=records, model_version="vem", seed=23)
    data = json.loads((written / "vem.json").read_text(encoding="utf-8"))
    training_run = data["training"]
    assert (training_run["method"], training_run["seed"], training_run["labels"]) == ("em_with_prior", 23, None)
    assert training_run["prior_model"] == CURRENT_MODEL
    assert data["training"]["records"] == sum(1 for _ in records.open()) - 1
    model = model_from_dict(data)
    assert model.levels != load_model().levels  # estimated from this file, not copied from the shipped model
    for field in ("given_name", "family_name", "date_of_birth", "postcode"):
        exact = model.levels[field]["exact"]
        assert exact.m > 0.5 > exact.u, field


def test_training_from_a_model_without_the_misspelt_level_estimates_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    region_files_write(config=RegionConfig(people=400, seed=11), out_dir=tmp_path)
    written = tmp_path / "models"
    written.mkdir()
    shipped = training.model_path
    monkeypatch.setattr(training, "CURRENT_MODEL", "v2")  # v2 has no misspelt level
    monkeypatch.setattr(training, "model_path", lambda v: shipped(v) if v == "v2" else written / f"{v}.json")
    records, truth = tmp_path / "linkage_records.csv", tmp_path / "linkage_truth.csv"
    call_command("link", "train", records=records, truth=truth, model_version="vnew")
    misspelt = model_from_dict(json.loads((written / "vnew.json").read_text(encoding="utf-8"))).level(
        "given_name", "misspelt"
    )
    assert misspelt.m > 10 * misspelt.u  # counted from the generator's typos, not left at its neutral start
