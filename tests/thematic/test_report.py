"""The analysis as files, in English and Welsh, from the command and the same functions the page uses."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from cylch.thematic.analysis import ReviewFilter
from cylch.thematic.models import CodedReview
from cylch.thematic.report import analysis_file
from cylch.thematic.selectors import review_analysis
from tests.thematic.factories import reviews_with_structure

pytestmark = pytest.mark.django_db


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def analysis():
    reviews_with_structure(12)
    return review_analysis(review_filter=ReviewFilter())


def test_descriptives_csv_has_every_code_with_its_count(analysis):
    rows = _rows(str(analysis_file(analysis, "descriptives.csv", language="en")))
    assert list(rows[0]) == ["code", "label", "group", "n", "percent", "total"]
    neglect = next(row for row in rows if row["code"] == "vuln_neglect")
    assert neglect == {
        "code": "vuln_neglect",
        "label": "Neglect",
        "group": "vulnerability",
        "n": "6",
        "percent": "50.0",
        "total": "12",
    }
    assert len(rows) == len(analysis.frame.codes)


def test_descriptives_labels_are_welsh_in_welsh(analysis):
    rows = _rows(str(analysis_file(analysis, "descriptives.csv", language="cy")))
    assert next(row for row in rows if row["code"] == "vuln_neglect")["label"] == "Esgeulustod"


def test_cooccurrence_csv_has_the_columns_of_the_format(analysis):
    rows = _rows(str(analysis_file(analysis, "cooccurrence.csv", language="en")))
    assert list(rows[0]) == ["code_a", "code_b", "n_both", "phi", "p_fisher", "p_adjusted"]
    pair = next(row for row in rows if {row["code_a"], row["code_b"]} == {"vuln_neglect", "vuln_physical_abuse"})
    assert (pair["n_both"], pair["phi"]) == ("6", "1.000")


def test_clusters_and_timeliness_csv(analysis):
    clusters = _rows(str(analysis_file(analysis, "clusters.csv", language="en")))
    assert {row["code"] for row in clusters} >= {"vuln_neglect", "vuln_self_esteem"}
    times = _rows(str(analysis_file(analysis, "timeliness.csv", language="en")))
    assert len(times) == 12
    first = times[0]
    assert first["review_id"] == "T-00"
    assert (first["referral_to_completion_months"], first["within_6_months_of_referral"]) == ("3.9", "1")
    assert first["incident_to_learning_event_months"] == ""


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["What stands out", "Clusters of child vulnerabilities", "Neglect", "Method"]),
        ("cy", ["Esgeulustod", "Agweddau ar fregusrwydd y plentyn"]),
    ],
)
def test_the_report_renders_in_both_languages(analysis, language, words):
    html = str(analysis_file(analysis, "report.html", language=language))
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html
    assert "<svg" in html


def test_the_pdf_report_is_a_pdf(analysis):
    assert bytes(analysis_file(analysis, "report.pdf", language="cy")).startswith(b"%PDF")


def test_the_dendrogram_is_an_svg_that_says_its_n(analysis):
    svg = str(analysis_file(analysis, "dendrogram.svg", language="en"))
    assert svg.startswith("<svg")
    assert "n = 12 reviews" in svg


def test_cylch_reviews_import_then_analyse_writes_every_file(tmp_path):
    source = tmp_path / "reviews.csv"
    lines = [
        "review_id,review_type,incident_date,referral_date,completion_date,vuln_neglect,vuln_physical_abuse,vuln_self_esteem"
    ]
    lines += [f"R-{n},cpr_concise,2021-01-0{n},2021-03-01,2022-01-01,{n % 2},{n % 2},{1 - n % 2}" for n in range(1, 7)]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("reviews", "import", str(source), stdout=out)
    assert "6 new, 0 updated" in out.getvalue()
    call_command(
        "reviews",
        "analyse",
        "--type",
        "cpr_concise",
        "--out",
        str(tmp_path / "out"),
        "--language",
        "cy",
        stdout=io.StringIO(),
    )
    written = {path.name for path in (tmp_path / "out").iterdir()}
    assert written == {
        "descriptives.csv",
        "cooccurrence.csv",
        "clusters.csv",
        "dendrogram.svg",
        "timeliness.csv",
        "report.html",
        "report.pdf",
    }
    assert '<html lang="cy">' in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_cylch_reviews_import_names_each_problem_and_stores_nothing(tmp_path):
    source = tmp_path / "reviews.csv"
    source.write_text("review_id,vuln_neglect\nR-1,2\n", encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("reviews", "import", str(source), stderr=errors)
    assert "Row 2, column vuln_neglect: Must be 0 or 1" in errors.getvalue()
    assert not CodedReview.objects.exists()


def test_cylch_reviews_analyse_of_fewer_than_two_reviews_explains(tmp_path):
    with pytest.raises(CommandError, match="needs at least 2"):
        call_command("reviews", "analyse", "--out", str(tmp_path))
