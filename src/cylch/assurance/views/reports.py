"""The board's 12Cs reports: measured facts, the heat map of contributions, trends across cycles, the partnerships
compared, and the exports (PDF in English or Welsh, XLSX, CSV). All for the region's board only: the selectors
refuse anyone else (a partner agency's practitioner gets 403, a cycle out of sight 404)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import practitioner_of
from cylch.assurance import exports
from cylch.assurance.charts import bars_svg, heatmap_svg, profile_svg, trend_svg
from cylch.assurance.definitions import Scale
from cylch.assurance.facts import cycle_facts, facts_by_component
from cylch.assurance.models import Component, Cycle
from cylch.assurance.selectors.reports import (
    REGION,
    board_cycle,
    comparison,
    heatmap,
    overdue_by_component,
    partnership_choices,
    trend,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cycle(request: HttpRequest, pk: int) -> tuple[Practitioner, Cycle]:
    user = practitioner_of(request)
    try:
        return user, board_cycle(user=user, pk=pk)
    except Cycle.DoesNotExist:
        raise Http404(_("No cycle you can see has this number")) from None


def _scale(request: HttpRequest) -> Scale:
    """The scale asked for (`?scale=progress`); the Care Inspectorate Wales scale for anything else."""
    return Scale.PROGRESS if request.GET.get("scale") == Scale.PROGRESS else Scale.CIW


@require_GET
def facts(request: HttpRequest, pk: int) -> HttpResponse:
    _user, cycle = _cycle(request, pk)
    grouped = facts_by_component(cycle_facts(cycle))
    sections = [(str(label), grouped[code]) for code, label in Component.choices if grouped[code]]
    return render(request, "assurance/facts.html", {"cycle": cycle, "sections": sections})


@require_GET
def heatmap_page(request: HttpRequest, pk: int) -> HttpResponse:
    _user, cycle = _cycle(request, pk)
    scale = _scale(request)
    found = heatmap(cycle, scale=scale)
    overdue = overdue_by_component(cycle)
    context = {
        "cycle": cycle,
        "scale": scale,
        "scales": list(Scale),
        "heatmap": found,
        "components": [code.upper() for code in Component.values],
        "chart": heatmap_svg(found.names, [c.upper() for c in Component.values], found.rows, scale=scale)
        if found.agencies
        else "",
        "overdue": overdue,
        "overdue_chart": bars_svg(
            overdue,
            title=_("Overdue actions per C"),
            description=_("Each C's open improvement actions past their due date."),
            dom_id="overdue",
        ),
    }
    return render(request, "assurance/heatmap.html", context)


@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    user = practitioner_of(request)
    choices = partnership_choices(user=user)
    asked = request.GET.get("partnership", REGION)
    known = dict(choices)
    chosen = asked if asked in known else (choices[0][0] if choices else REGION)
    found = trend(user=user, partnership=chosen)
    context = {
        "choices": choices,
        "chosen": chosen,
        "chosen_name": known.get(chosen, ""),
        "unknown": asked not in known and "partnership" in request.GET,
        "trend": found,
        "rows": [(one.label, list(zip(one.ciw, one.progress, strict=True))) for one in found.series],
        "chart": trend_svg(found.series, found.labels) if found.cycles else "",
    }
    return render(request, "assurance/trends.html", context)


@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    user = practitioner_of(request)
    scale = _scale(request)
    rows = comparison(user=user)
    with_cycle = [row for row in rows if row.cycle is not None]
    codes = [code.upper() for code in Component.values]
    context = {
        "rows": rows,
        "scale": scale,
        "scales": list(Scale),
        "codes": codes,
        "table": [(row, row.values(scale) if row.cycle is not None else []) for row in rows],
        "chart": profile_svg(codes, [(row.name, row.values(scale)) for row in with_cycle], scale=scale)
        if with_cycle
        else "",
    }
    return render(request, "assurance/compare.html", context)


def _attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """`?language=cy` or `en`; the reader's active language otherwise."""
    _user, cycle = _cycle(request, pk)
    asked = request.GET.get("language", "")
    language = asked if asked in exports.LANGUAGES else ("cy" if translation.get_language() == "cy" else "en")
    pdf = exports.report_pdf(cycle, language=language)
    return _attachment(pdf, "application/pdf", exports.export_filename(cycle, "pdf", language))


@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    _user, cycle = _cycle(request, pk)
    return _attachment(exports.report_xlsx(cycle), XLSX, exports.export_filename(cycle, "xlsx"))


@require_GET
def report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    _user, cycle = _cycle(request, pk)
    return _attachment(exports.report_csv(cycle), "text/csv; charset=utf-8", exports.export_filename(cycle, "csv"))
