"""The 12Cs charts, drawn on the server as SVG as the thematic analysis's are: the same markup on the page and in the
PDF (WeasyPrint draws inline SVG), no script. Each chart has a title and a description for screen readers, and
every page that shows one shows its figures as a table too. The two scales are told apart by line style and marker
shape as well as colour (solid with circles, dashed with squares), and the heat map writes each cell's score in it,
so no chart relies on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cylch.assurance.definitions import Scale

BLUE, ORANGE, BLACK, GREY, LIGHT = "#1d70b8", "#b34a00", "#0b0c0c", "#505a5f", "#b1b4b6"
# One dash pattern and marker per line of a comparison, beside its colour (GOV.UK palette).
SERIES = (
    ("#1d70b8", "", "circle"),
    ("#b34a00", "6,3", "square"),
    ("#00703c", "2,3", "triangle"),
    ("#4c2c92", "8,3,2,3", "diamond"),
    ("#912b88", "", "square"),
    ("#28a197", "6,3", "circle"),
)
# The heat map's six shades of blue for scores 1 to 6; text is white on the darker three.
SHADES = ("#d2e2f1", "#a5c6e3", "#77a9d5", "#4a8dc6", "#1d70b8", "#003078")
FONT = 'font-family="Arial, sans-serif" font-size="13"'
SMALL = 'font-family="Arial, sans-serif" font-size="11"'
SCALE_STYLE = {Scale.CIW: (BLUE, "", "circle"), Scale.PROGRESS: (ORANGE, "6,4", "square")}


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "start",
    fill: str = BLACK,
    font: str = FONT,
    extra: str = "",
    full: str = "",
) -> str:
    """A label; `full` (the whole text of a shortened label) becomes its <title>, shown on hover."""
    title = f"<title>{escape(full)}</title>" if full else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" {font}{extra}>'
        f"{title}{escape(content)}</text>"
    )


def _svg(width: float, height: float, title: str, description: str, body: list[str], dom_id: str) -> SafeString:
    """The chart scales to its container (width 100%, the viewBox keeping its shape; `cylch-chart` caps it at
    700px and sets the height to follow), so it never runs off a phone's screen."""
    return SafeString(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" aria-labelledby="{dom_id}-title {dom_id}-desc" '
        f'class="assurance-chart cylch-chart"><title id="{dom_id}-title">{escape(title)}</title>'
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    if shape == "square":
        side = 2 * size
        return f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{side:.1f}" height="{side:.1f}" fill="{colour}"/>'
    if shape == "triangle":
        points = f"{x:.1f},{y - size - 1:.1f} {x - size - 1:.1f},{y + size:.1f} {x + size + 1:.1f},{y + size:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "diamond":
        far = size + 1
        points = f"{x:.1f},{y - far:.1f} {x + far:.1f},{y:.1f} {x:.1f},{y + far:.1f} {x - far:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" fill="{colour}"/>'


def _line(
    points: Sequence[tuple[float, float]], colour: str, dash: str, *, closed: bool = False, fill: str = "none"
) -> str:
    if not points:
        return ""
    tag = "polygon" if closed else "polyline"
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return f'<{tag} points="{coords}" fill="{fill}" fill-opacity="0.12" stroke="{colour}" stroke-width="2.5"{dashes}/>'


def _legend(x: float, y: float, entries: Sequence[tuple[str, tuple[str, str, str]]]) -> list[str]:
    """One row per entry: a short line in the entry's dash, its marker, and its name."""
    body = []
    for index, (label, (colour, dash, shape)) in enumerate(entries):
        row = y + 20 * index
        body.append(_line([(x, row), (x + 34, row)], colour, dash))
        body.append(_marker(shape, x + 17, row, colour))
        body.append(_text(x + 44, row + 4, label))
    return body


LABEL_CHARACTERS = 26  # what fits in the heat map's 200-unit label column at 13px


def ellipsised(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis showing it was cut (the chart gives the full name in a
    <title>, the table beside it in full)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_label(label: str) -> str:
    """'C5 Congruence in strategy and operations' -> 'C5 Congruence': what fits beside a chart's axis."""
    return " ".join(label.split()[:2]).rstrip(",")


# --- radar -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScorePoint:
    code: str
    label: str
    ciw: int | None
    progress: int | None


def _runs(vertices: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """The scored vertices round the circle in unbroken runs: an unscored C breaks the line (a gap, not a dip to
    the centre, which would read as a score below 1)."""
    if None not in vertices:
        return [[v for v in vertices if v is not None]]
    start = vertices.index(None)
    runs: list[list[tuple[float, float]]] = [[]]
    for vertex in [*vertices[start:], *vertices[:start]]:
        if vertex is None:
            runs.append([])
        else:
            runs[-1].append(vertex)
    return [run for run in runs if run]


def unscored_note(point: ScorePoint) -> str:
    """What the radar writes beside a C not scored on one scale or both ("" if scored on both)."""
    if point.ciw is None and point.progress is None:
        return _("not scored")
    if point.ciw is None:
        return _("not scored (Care Inspectorate Wales)")
    if point.progress is None:
        return _("not scored (12Cs progress)")
    return ""


def radar_svg(points: Sequence[ScorePoint], *, dom_id: str = "radar") -> SafeString:
    """The 12 Cs round a circle, scores 1 (centre ring) to 6 (outer ring); one polygon per scale. An unscored C has
    no vertex: the scale's line breaks there, the C's label says "not scored", and so does the description."""
    cx, cy, radius = 300, 250, 160
    width, height = 600, 540
    count = len(points) or 1

    def at(index: int, score: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * score / 6
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    body: list[str] = []
    for ring in range(1, 7):
        ring_points = [at(i, ring) for i in range(count)]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in ring_points)
        body.append(f'<polygon points="{coords}" fill="none" stroke="{LIGHT}" stroke-width="1"/>')
        x, y = at(0, ring)
        body.append(_text(x + 4, y + 12, str(ring), fill=GREY, font=SMALL))
    for index, point in enumerate(points):
        x, y = at(index, 6)
        body.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{LIGHT}"/>')
        lx, ly = at(index, 6.9)
        anchor = "middle" if abs(lx - cx) < 20 else ("start" if lx > cx else "end")
        body.append(_text(lx, ly + 4, short_label(point.label), anchor=anchor))
        note = unscored_note(point)
        if note:
            body.append(_text(lx, ly + 18, note, anchor=anchor, fill=GREY, font=SMALL, extra=' font-style="italic"'))
    for scale in (Scale.CIW, Scale.PROGRESS):
        colour, dash, shape = SCALE_STYLE[scale]
        scores = [getattr(point, scale.value) for point in points]
        vertices = [at(i, score) if score else None for i, score in enumerate(scores)]
        runs = _runs(vertices)
        whole = len(runs) == 1 and len(runs[0]) == len(points)
        for run in runs:
            body.append(_line(run, colour, dash, closed=whole, fill=colour if whole else "none"))
        body.extend(_marker(shape, x, y, colour) for vertex in vertices if vertex is not None for x, y in [vertex])
    body.extend(
        _legend(
            40, 480, [(Scale.CIW.label, SCALE_STYLE[Scale.CIW]), (Scale.PROGRESS.label, SCALE_STYLE[Scale.PROGRESS])]
        )
    )
    unscored = sum(1 for p in points if p.ciw is None or p.progress is None)
    description = _(
        "Radar chart of the 12 Cs, each scored 1 to 6 on the Care Inspectorate Wales scale (solid line, circles) "
        "and the 12Cs progress scale (dashed line, squares); the further out, the stronger."
    )
    if unscored:
        description += " " + ngettext(
            "%(count)s C is not scored on one scale or both: that scale's line breaks at it, with no point, and its "
            "label says “not scored”.",
            "%(count)s Cs are not scored on one scale or both: that scale's line breaks at each, with no point, and "
            "their labels say “not scored”.",
            unscored,
        ) % {"count": unscored}
    return _svg(width, height, _("The 12 Cs on both scales"), description, body, dom_id)


# --- trends ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendSeries:
    """One C's scores on both scales across the partnership's cycles (None: not scored in that cycle)."""

    code: str
    label: str
    ciw: tuple[int | None, ...]
    progress: tuple[int | None, ...]


def trend_svg(series: Sequence[TrendSeries], cycle_labels: Sequence[str], *, dom_id: str = "trend") -> SafeString:
    """Small multiples: one panel per C, the cycles left to right, a line per scale (1 to 6 up the side)."""
    columns, panel_w, panel_h, gap_x, gap_y = 2, 200, 130, 30, 56  # two across: legible on a phone
    plot_left, plot_top, plot_h = 24, 22, 80
    width = columns * (panel_w + gap_x) + 10
    rows = math.ceil(len(series) / columns) or 1
    height = rows * (panel_h + gap_y) + 60
    body: list[str] = []
    steps = max(len(cycle_labels) - 1, 1)
    for index, one in enumerate(series):
        ox = 10 + (index % columns) * (panel_w + gap_x)
        oy = 10 + (index // columns) * (panel_h + gap_y)
        plot_w = panel_w - plot_left - 16

        def x(position: int, ox: float = ox, plot_w: float = plot_w) -> float:
            return ox + plot_left + (plot_w * position / steps if len(cycle_labels) > 1 else plot_w / 2)

        def y(score: float, oy: float = oy) -> float:
            return oy + plot_top + plot_h - plot_h * (score - 1) / 5

        body.append(_text(ox, oy + 12, short_label(one.label), extra=' font-weight="bold"'))
        for score in (1, 6):
            body.append(_text(ox + plot_left - 6, y(score) + 4, str(score), anchor="end", fill=GREY, font=SMALL))
            body.append(
                f'<line x1="{ox + plot_left}" y1="{y(score):.1f}" x2="{ox + plot_left + plot_w}" y2="{y(score):.1f}" '
                f'stroke="{LIGHT}"/>'
            )
        for position, label in enumerate(cycle_labels):
            body.append(_text(x(position), oy + plot_top + plot_h + 16, label, anchor="middle", fill=GREY, font=SMALL))
        for scale, scores in ((Scale.CIW, one.ciw), (Scale.PROGRESS, one.progress)):
            colour, dash, shape = SCALE_STYLE[scale]
            known = [(x(p), y(s)) for p, s in enumerate(scores) if s is not None]
            body.append(_line(known, colour, dash))
            body.extend(_marker(shape, px, py, colour, 3.5) for px, py in known)
    body.extend(
        _legend(
            14,
            height - 46,
            [(Scale.CIW.label, SCALE_STYLE[Scale.CIW]), (Scale.PROGRESS.label, SCALE_STYLE[Scale.PROGRESS])],
        )
    )
    description = _(
        "One small chart per C: its score on each scale (1 to 6) in each of the partnership's cycles, oldest on the "
        "left: %(cycles)s."
    ) % {"cycles": ", ".join(cycle_labels)}
    return _svg(width, height, _("How each C's scores moved across cycles"), description, body, dom_id)


# --- comparison ------------------------------------------------------------------------------------------------


def profile_svg(
    components: Sequence[str],
    rows: Sequence[tuple[str, Sequence[int | None]]],
    *,
    scale: Scale,
    dom_id: str = "profile",
) -> SafeString:
    """One line per partnership across the 12 Cs on one scale, each with its own colour, dash and marker."""
    left, top, plot_w, plot_h = 40, 20, 620, 200
    width = left + plot_w + 30
    height = top + plot_h + 50 + 20 * len(rows)
    steps = max(len(components) - 1, 1)

    def x(position: int) -> float:
        return left + plot_w * position / steps

    def y(score: float) -> float:
        return top + plot_h - plot_h * (score - 1) / 5

    body: list[str] = []
    for score in range(1, 7):
        body.append(
            f'<line x1="{left}" y1="{y(score):.1f}" x2="{left + plot_w}" y2="{y(score):.1f}" stroke="{LIGHT}"/>'
        )
        body.append(_text(left - 8, y(score) + 4, str(score), anchor="end", fill=GREY, font=SMALL))
    for position, code in enumerate(components):
        body.append(_text(x(position), top + plot_h + 18, code, anchor="middle", fill=GREY, font=SMALL))
    legend = []
    for index, (label, scores) in enumerate(rows):
        style = SERIES[index % len(SERIES)]
        colour, dash, shape = style
        known = [(x(p), y(s)) for p, s in enumerate(scores) if s is not None]
        body.append(_line(known, colour, dash))
        body.extend(_marker(shape, px, py, colour, 3.5) for px, py in known)
        legend.append((label, style))
    body.extend(_legend(left, top + plot_h + 42, legend))
    description = _(
        "Each partnership's latest signed-off scores on the %(scale)s, one line per partnership across the 12 Cs."
    ) % {"scale": scale.label}
    return _svg(width, height, _("The partnerships compared"), description, body, dom_id)


# --- overdue actions -------------------------------------------------------------------------------------------


def bars_svg(rows: Sequence[tuple[str, int]], *, title: str, description: str, dom_id: str) -> SafeString:
    """Horizontal bars, each with its count written at its end (0 shows as a bare axis and '0')."""
    label_w, plot_w, row_h = 250, 300, 24
    width, height = label_w + plot_w + 50, row_h * len(rows) + 10
    largest = max((n for _label, n in rows), default=0) or 1
    body = []
    for index, (label, n) in enumerate(rows):
        y = 4 + index * row_h
        body.append(_text(0, y + 15, short_label(label)))
        bar = plot_w * n / largest
        body.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar:.1f}" height="{row_h - 8}" fill="{BLUE}"/>')
        body.append(_text(label_w + bar + 6, y + 15, str(n)))
    body.append(f'<line x1="{label_w}" y1="0" x2="{label_w}" y2="{height}" stroke="{GREY}"/>')
    return _svg(width, height, title, description, body, dom_id)


# --- heat map --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatCell:
    """One agency's contribution to one C: none, given without a score, or given with a proposed score."""

    contributed: bool
    score: int | None = None

    @property
    def text(self) -> str:
        if not self.contributed:
            return "–"
        return str(self.score) if self.score is not None else "✓"


def heatmap_svg(
    agencies: Sequence[str],
    components: Sequence[str],
    cells: Sequence[Sequence[HeatCell]],
    *,
    scale: Scale,
    dom_id: str = "heatmap",
) -> SafeString:
    """Agencies down, Cs across; a cell's shade darkens with the proposed score and the score is written in it
    ('✓' given without a score on this scale, '–' not given)."""
    label_w, cell, top = 200, 40, 30
    width = label_w + cell * len(components) + 10
    height = top + cell * len(agencies) + 70
    body: list[str] = []
    for position, code in enumerate(components):
        body.append(_text(label_w + cell * position + cell / 2, top - 10, code, anchor="middle", font=SMALL))
    for row, (agency, row_cells) in enumerate(zip(agencies, cells, strict=True)):
        y = top + cell * row
        body.append(
            _text(
                label_w - 8,
                y + cell / 2 + 4,
                ellipsised(agency, LABEL_CHARACTERS),
                anchor="end",
                full=agency,
            )
        )
        for position, one in enumerate(row_cells):
            x = label_w + cell * position
            fill = SHADES[one.score - 1] if one.score else ("#f3f2f1" if one.contributed else "#ffffff")
            body.append(
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" stroke="{LIGHT}"/>'
            )
            ink = "#ffffff" if one.score and one.score >= 4 else BLACK
            body.append(_text(x + cell / 2, y + cell / 2 + 5, one.text, anchor="middle", fill=ink))
    key_y = top + cell * len(agencies) + 24
    body.append(_text(0, key_y + 4, _("Proposed score:"), fill=GREY))
    for score in range(1, 7):
        x = 130 + 34 * (score - 1)
        body.append(
            f'<rect x="{x}" y="{key_y - 12}" width="30" height="22" fill="{SHADES[score - 1]}" stroke="{LIGHT}"/>'
        )
        ink = "#ffffff" if score >= 4 else BLACK
        body.append(_text(x + 15, key_y + 4, str(score), anchor="middle", fill=ink))
    body.append(_text(0, key_y + 34, _("✓ contributed without a score on this scale; – no contribution"), fill=GREY))
    description = _(
        "Grid of partner agencies (rows) by the 12 Cs (columns): each cell gives the agency's proposed score on the "
        "%(scale)s, a tick for a contribution without one, or a dash for no contribution."
    ) % {"scale": scale.label}
    return _svg(width, height, _("Contributions by agency and C"), description, body, dom_id)
