"""The 12Cs charts' SVG: well-formed, titled and described for screen readers, both scales told apart by more than
colour, and the heat map's cells written out."""

from __future__ import annotations

from xml.etree import ElementTree

from cylch.assurance.charts import (
    HeatCell,
    ScorePoint,
    TrendSeries,
    bars_svg,
    heatmap_svg,
    profile_svg,
    radar_svg,
    short_label,
    trend_svg,
)
from cylch.assurance.definitions import Scale
from cylch.assurance.models import Component

SVG = "{http://www.w3.org/2000/svg}"


def _points(ciw: int | None = 4, progress: int | None = 3) -> list[ScorePoint]:
    return [ScorePoint(code, str(label), ciw, progress) for code, label in Component.choices]


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own markup, parsed to check it is well formed


def test_the_radar_is_titled_and_described_for_screen_readers():
    root = _parse(radar_svg(_points()))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "The 12 Cs on both scales"
    assert "solid line, circles" in root.find(f"{SVG}desc").text


def test_the_radar_draws_one_polygon_per_scale_the_progress_one_dashed():
    root = _parse(radar_svg(_points()))
    filled = [p for p in root.iter(f"{SVG}polygon") if p.get("fill") != "none"]
    assert len(filled) == 2
    assert [p.get("stroke-dasharray") for p in filled] == [None, "6,4"]


def test_the_radar_labels_every_c():
    texts = [t.text for t in _parse(radar_svg(_points())).iter(f"{SVG}text")]
    assert "C4 Capacity" in texts
    assert "C12 Commitment" in texts


def test_the_radar_says_how_many_cs_are_unscored():
    points = _points()
    points[0] = ScorePoint("c1", "C1 Clarity", None, None)
    assert "1 C is not scored on one scale or both" in _parse(radar_svg(points)).find(f"{SVG}desc").text


def test_an_unscored_c_is_a_gap_in_the_line_not_a_point_at_the_centre():
    points = _points()
    points[2] = ScorePoint("c3", "C3 Challenge", None, 3)
    root = _parse(radar_svg(points))
    ciw_lines = [
        p for p in root.iter() if p.get("stroke") == "#1d70b8" and p.tag in (f"{SVG}polygon", f"{SVG}polyline")
    ]
    assert [line.tag for line in ciw_lines if len(line.get("points").split()) > 2] == [f"{SVG}polyline"]
    centre = ("300.0", "250.0")
    assert all((c.get("cx"), c.get("cy")) != centre for c in root.iter(f"{SVG}circle"))
    assert len(list(root.iter(f"{SVG}circle"))) == 12  # one per scored C on the CIW scale, and the legend's


def test_an_unscored_cs_label_says_not_scored():
    points = _points()
    points[2] = ScorePoint("c3", "C3 Challenge", None, None)
    texts = [t.text for t in _parse(radar_svg(points)).iter(f"{SVG}text")]
    assert "not scored" in texts


def test_every_chart_scales_to_its_container_instead_of_a_fixed_width():
    series = [TrendSeries(code, str(label), (4, 5), (3, 3)) for code, label in Component.choices]
    charts = [
        radar_svg(_points()),
        trend_svg(series, ["2023-24", "2024-25"]),
        profile_svg(["C1", "C2"], [("Region", [3, 4])], scale=Scale.CIW),
        heatmap_svg(["Heddlu"], [f"C{n}" for n in range(1, 13)], [[HeatCell(False)] * 12], scale=Scale.CIW),
        bars_svg([("C1 Clarity", 1)], title="t", description="d", dom_id="o"),
    ]
    for chart in charts:
        root = _parse(chart)
        assert root.get("width") == "100%"
        assert root.get("height") is None
        assert "cylch-chart" in root.get("class").split()
        assert float(root.get("viewBox").split()[2]) <= 700  # the cap cylch-chart sets: nothing drawn is cut


def test_a_long_agency_name_on_the_heat_map_ends_in_an_ellipsis_with_the_full_name_in_its_title():
    name = "Aneurin Bevan Health Visiting – Caerphilly"
    root = _parse(heatmap_svg([name], ["C1"], [[HeatCell(False)]], scale=Scale.CIW))
    label = next(t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None)
    assert label.find(f"{SVG}title").text == name
    assert label.find(f"{SVG}title").tail.endswith("…")
    assert name.startswith(label.find(f"{SVG}title").tail[:-1])


def test_the_radar_puts_a_score_of_6_on_the_outer_ring():
    root = _parse(radar_svg([ScorePoint("c1", "C1 Clarity", 6, 6)]))
    circle = next(root.iter(f"{SVG}circle"))
    assert (float(circle.get("cx")), float(circle.get("cy"))) == (300.0, 90.0)  # 160 above the centre (300, 250)


def test_the_trend_has_a_panel_per_c_with_each_cycle_labelled():
    series = [TrendSeries(code, str(label), (3, 4), (2, None)) for code, label in Component.choices]
    root = _parse(trend_svg(series, ["2023–24", "2024–25"]))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts.count("2024–25") == 12
    assert "2023–24, 2024–25" in root.find(f"{SVG}desc").text


def test_a_trend_of_one_cycle_is_drawn_without_failing():
    series = [TrendSeries("c1", "C1 Clarity", (3,), (None,))]
    assert _parse(trend_svg(series, ["2025"])).get("role") == "img"


def test_the_comparison_gives_each_partnership_its_own_line_style():
    root = _parse(profile_svg(["C1", "C2"], [("Caerdydd", [3, 4]), ("Bro Morgannwg", [5, None])], scale=Scale.CIW))
    lines = [p for p in root.iter(f"{SVG}polyline") if len(p.get("points").split()) >= 2]
    assert {p.get("stroke-dasharray") for p in lines} >= {None, "6,3"}
    assert "Caerdydd" in [t.text for t in root.iter(f"{SVG}text")]


def test_the_heat_map_writes_the_score_a_tick_or_a_dash_in_each_cell():
    cells = [[HeatCell(True, 5), HeatCell(True, None), HeatCell(False)]]
    texts = [
        t.text for t in _parse(heatmap_svg(["Heddlu"], ["C1", "C2", "C3"], cells, scale=Scale.CIW)).iter(f"{SVG}text")
    ]
    assert {"5", "✓", "–"} <= set(texts)


def test_overdue_bars_write_each_count_including_zero():
    root = _parse(bars_svg([("C1 Clarity", 0), ("C4 Capacity", 3)], title="Overdue", description="d", dom_id="o"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "0" in texts
    assert "3" in texts


def test_labels_are_escaped():
    root = _parse(profile_svg(["C1"], [("<script>&", [3])], scale=Scale.PROGRESS))
    assert "<script>&" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_long_component_name_is_shortened_to_its_code_and_first_word():
    assert short_label("C5 Congruence in strategy and operations") == "C5 Congruence"
