"""Charts drawn on the server as SVG: the same markup on the page, in the HTML report and in the PDF (WeasyPrint
draws inline SVG), with no script. Each chart has a title and a description for screen readers, and every page
that shows one also shows its figures as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cylch.thematic.dates import EXPECTED_MONTHS
from cylch.thematic.statistics import Clustering, MeasureSummary

BLUE, BLACK, GREY, RED = "#1d70b8", "#0b0c0c", "#505a5f", "#d4351c"
# Cluster colours (GOV.UK palette); each leaf also carries its cluster's number, so colour is never the only cue.
PALETTE = ("#1d70b8", "#d4351c", "#00703c", "#f47738", "#4c2c92", "#b58840", "#28a197", "#912b88")
FONT = 'font-family="Arial, sans-serif" font-size="13"'
ROW = 22
LABEL_WIDTH = 330
PLOT_WIDTH = 360
MARGIN = 10


def _text(x: float, y: float, content: str, *, anchor: str = "start", fill: str = BLACK, extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" {FONT}{extra}>{escape(content)}</text>'


def _svg(width: int, height: int, title: str, description: str, body: list[str], dom_id: str) -> SafeString:
    return SafeString(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{dom_id}-title {dom_id}-desc" class="thematic-chart">'
        f'<title id="{dom_id}-title">{escape(title)}</title><desc id="{dom_id}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def dendrogram_svg(clustering: Clustering, labels: dict[str, str], *, total: int) -> SafeString:
    """The tree on its side: leaves (vulnerabilities) down the left, Jaccard distance across (0 to 1), a dashed
    line where the tree was cut, each leaf coloured and numbered by its cluster."""
    top, axis_gap = 30, 40
    height = top + ROW * len(clustering.codes) + axis_gap
    width = LABEL_WIDTH + PLOT_WIDTH + 2 * MARGIN

    def x(distance: float) -> float:
        return LABEL_WIDTH + PLOT_WIDTH * min(max(distance, 0.0), 1.0)

    def y(position: float) -> float:  # scipy puts leaf i at 10 i + 5
        return top + (position - 5) / 10 * ROW + ROW / 2

    body = [_text(MARGIN, 18, _("n = %(count)s reviews") % {"count": total}, fill=GREY)]
    for index, code in enumerate(clustering.codes):
        number = clustering.cluster[code]
        colour = PALETTE[(number - 1) % len(PALETTE)]
        row_y = y(10 * index + 5)
        body.append(f'<rect x="{MARGIN}" y="{row_y - 7:.1f}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(MARGIN + 16, row_y + 4, f"{number} · {labels[code]}"))
    for icoord, dcoord in zip(clustering.icoord, clustering.dcoord, strict=True):
        points = " ".join(f"{x(d):.1f},{y(i):.1f}" for i, d in zip(icoord, dcoord, strict=True))
        body.append(f'<polyline points="{points}" fill="none" stroke="{BLACK}" stroke-width="1.5"/>')
    cut = x(clustering.cut_height)
    bottom = top + ROW * len(clustering.codes)
    body.append(
        f'<line x1="{cut:.1f}" y1="{top - 6}" x2="{cut:.1f}" y2="{bottom}" stroke="{RED}" stroke-dasharray="5,4"/>'
    )
    body.append(
        _text(cut, top - 10, _("cut: %(count)s clusters") % {"count": clustering.count}, anchor="middle", fill=RED)
    )
    body.append(f'<line x1="{x(0)}" y1="{bottom + 4}" x2="{x(1)}" y2="{bottom + 4}" stroke="{GREY}"/>')
    for tick in (0, 0.25, 0.5, 0.75, 1):
        body.append(_text(x(tick), bottom + 20, f"{tick:g}", anchor="middle", fill=GREY))
    body.append(
        _text(x(0.5), bottom + 36, _("Jaccard distance (0: always found together)"), anchor="middle", fill=GREY)
    )
    description = _(
        "Dendrogram of child vulnerabilities from average-linkage clustering on Jaccard distance, cut into "
        "%(count)s clusters."
    ) % {"count": clustering.count}
    return _svg(width, height + 4, _("Clusters of child vulnerabilities"), description, body, "dendrogram")


def timeliness_svg(rows: Sequence[tuple[str, str, MeasureSummary]]) -> SafeString:
    """For each interval: its range as a line, its median as a dot, its mean as a bar, with n, and a dashed line
    at the 6-month expectation (which applies to referral to completion)."""
    known = [summary for _key, _label, summary in rows if summary.maximum is not None]
    scale = max([float(EXPECTED_MONTHS * 2), *(summary.maximum or 0 for summary in known)])
    scale = math.ceil(scale / 6) * 6
    top, height = 20, 20 + 34 * len(rows) + 52
    width = LABEL_WIDTH + PLOT_WIDTH + 2 * MARGIN

    def x(months: float) -> float:
        return LABEL_WIDTH + PLOT_WIDTH * months / scale

    body: list[str] = []
    for index, (_key, label, summary) in enumerate(rows):
        row_y = top + 34 * index + 14
        n_text = _("n = %(count)s") % {"count": summary.n}
        if summary.too_small:
            n_text += " " + _("(too few to generalise)")
        body.append(_text(MARGIN, row_y, label))
        body.append(_text(MARGIN, row_y + 15, n_text, fill=GREY))
        if summary.minimum is None or summary.maximum is None or summary.median is None:
            body.append(_text(x(0) + 4, row_y + 4, _("no review has both dates"), fill=GREY))
            continue
        body.append(
            f'<line x1="{x(summary.minimum):.1f}" y1="{row_y}" x2="{x(summary.maximum):.1f}" y2="{row_y}" '
            f'stroke="{GREY}" stroke-width="2"/>'
        )
        if summary.mean is not None:
            body.append(f'<rect x="{x(summary.mean) - 1.5:.1f}" y="{row_y - 9}" width="3" height="18" fill="{BLACK}"/>')
        body.append(f'<circle cx="{x(summary.median):.1f}" cy="{row_y}" r="5" fill="{BLUE}"/>')
    bottom = top + 34 * len(rows)
    expected = x(EXPECTED_MONTHS)
    body.append(
        f'<line x1="{expected:.1f}" y1="{top - 8}" x2="{expected:.1f}" y2="{bottom}" stroke="{RED}" '
        f'stroke-dasharray="5,4"/>'
    )
    body.append(f'<line x1="{x(0)}" y1="{bottom + 4}" x2="{x(scale)}" y2="{bottom + 4}" stroke="{GREY}"/>')
    step = 6 if scale <= 36 else 12  # a tick every 6 months up to 3 years, then yearly
    for tick in range(0, int(scale) + 1, step):
        body.append(_text(x(tick), bottom + 20, str(tick), anchor="middle", fill=GREY))
    body.append(_text(MARGIN, bottom + 20, _("Months"), fill=GREY))
    body.append(
        _text(MARGIN, bottom + 40, _("Dot: median; bar: mean; line: range; dashed: the 6-month expectation"), fill=GREY)
    )
    description = _("How long the reviews took, in months, for each interval, against the 6-month expectation.")
    return _svg(width, height, _("How long the reviews took"), description, body, "timeliness")
