"""An analysis as files: the four CSVs, the dendrogram, and the board's report as HTML and PDF, in English or Welsh.

The page's downloads and `cylch reviews analyse --out DIR` both come from `analysis_files`, so they cannot differ.
CSV headers are the machine names of docs/thematic.md in either language; labels follow the language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from cylch.core.spreadsheets import csv_document
from cylch.records.exports import render_pdf
from cylch.thematic.analysis import Analysis, plain_summary
from cylch.thematic.charts import dendrogram_svg, timeliness_svg

LANGUAGES = ("en", "cy")
REPORT_TEMPLATE = "thematic/report.html"


def _csv(header: list[str], rows: list[list[object]]) -> str:
    return csv_document([header, *rows])


def _p(value: float) -> str:
    return f"{value:.4g}"


def descriptives_csv(analysis: Analysis) -> str:
    frame = analysis.frame
    return _csv(
        ["code", "label", "group", "n", "percent", "total"],
        [
            [c.code, frame.by_key[c.code].label, frame.by_key[c.code].group, c.n, f"{c.percent:.1f}", c.total]
            for c in analysis.counts
        ],
    )


def cooccurrence_csv(analysis: Analysis) -> str:
    return _csv(
        ["code_a", "code_b", "n_both", "phi", "p_fisher", "p_adjusted"],
        [
            [p.code_a, p.code_b, p.n_both, f"{p.phi:.3f}", _p(p.p_fisher), _p(p.p_adjusted)]
            for p in analysis.associations
        ],
    )


def clusters_csv(analysis: Analysis) -> str:
    clustering = analysis.clustering
    rows: list[list[object]] = [] if clustering is None else [[c, clustering.cluster[c]] for c in clustering.codes]
    return _csv(["code", "cluster"], rows)


def timeliness_csv(analysis: Analysis) -> str:
    keys = ["incident_to_referral", "referral_to_completion", "incident_to_learning_event", "incident_to_completion"]

    def cell(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    def within(value: bool | None) -> str:
        return "" if value is None else str(int(value))

    return _csv(
        ["review_id", *(f"{key}_months" for key in keys), "within_6_months_of_referral"],
        [[t.review_id, *(cell(t.months[key]) for key in keys), within(t.within_expected)] for t in analysis.times],
    )


def dendrogram_file(analysis: Analysis) -> str:
    if analysis.clustering is None:
        return ""
    labels = {code: analysis.label(code) for code in analysis.clustering.codes}
    return str(dendrogram_svg(analysis.clustering, labels, total=analysis.total))


def report_context(analysis: Analysis) -> dict[str, Any]:
    """What the report (and the page) show, with labels and sentences in the active language."""
    return {
        "analysis": analysis,
        "summary": plain_summary(analysis),
        "dendrogram": dendrogram_file(analysis),
        "timeliness_chart": timeliness_svg(analysis.measure_rows),
        "significant": [
            (pair, analysis.label(pair.code_a), analysis.label(pair.code_b)) for pair in analysis.significant
        ],
    }


def report_html(analysis: Analysis) -> str:
    return render_to_string(REPORT_TEMPLATE, report_context(analysis))


def report_pdf(analysis: Analysis) -> bytes:
    return render_pdf(REPORT_TEMPLATE, report_context(analysis))


# file name -> (what makes it, its content type)
FILES: dict[str, tuple[Callable[[Analysis], str | bytes], str]] = {
    "descriptives.csv": (descriptives_csv, "text/csv; charset=utf-8"),
    "cooccurrence.csv": (cooccurrence_csv, "text/csv; charset=utf-8"),
    "clusters.csv": (clusters_csv, "text/csv; charset=utf-8"),
    "dendrogram.svg": (dendrogram_file, "image/svg+xml"),
    "timeliness.csv": (timeliness_csv, "text/csv; charset=utf-8"),
    "report.html": (report_html, "text/html; charset=utf-8"),
    "report.pdf": (report_pdf, "application/pdf"),
}


def analysis_file(analysis: Analysis, name: str, *, language: str) -> str | bytes:
    """One file of the analysis in `language` ('en' or 'cy')."""
    make, _content_type = FILES[name]
    with translation.override(language):
        return make(analysis)


def analysis_files(analysis: Analysis, *, language: str) -> dict[str, str | bytes]:
    """Every file of the analysis (no dendrogram when there were too few vulnerabilities to cluster)."""
    files = {name: analysis_file(analysis, name, language=language) for name in FILES}
    return {name: content for name, content in files.items() if content}
