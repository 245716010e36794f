"""Template tags that let other pages show assurance returns and action plans without their views knowing them:
the cycle page's returns panel, a C page's action plan and returns evidence, and the home page's own actions.
Each takes the signed-in practitioner from the page's request and asks the selectors, so what it shows follows the
same rules as the returns and actions pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from cylch.accounts.models import Practitioner
from cylch.assurance.models import Assessment, Cycle, TrainingCompliance
from cylch.assurance.permissions import can_view_cycle, runs_cycle
from cylch.assurance.selectors.actions import assessment_actions, owned_open_actions
from cylch.assurance.selectors.returns import EVIDENCED, ReturnsSummary, cycle_returns, has_submitted, returns_evidence
from cylch.assurance.services.returns import level_label

register = template.Library()

HOME_LIMIT = 5


def _user(context: template.Context) -> Practitioner | None:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return user if isinstance(user, Practitioner) and user.is_authenticated else None


def _assessment(context: template.Context, given: Assessment | None) -> Assessment | None:
    """The C the page is about: given, or the page's `assessment`, or core's `page.assessment`."""
    found = given or context.get("assessment") or getattr(context.get("page"), "assessment", None)
    return found if isinstance(found, Assessment) else None


@register.filter
def training_group(level: str) -> str:
    """'group_b' -> 'Group B'."""
    return level_label(level)


@register.filter
def get_line(training: dict[str, TrainingCompliance], level: str) -> TrainingCompliance | None:
    """A return row's training line for one group, or None."""
    return training.get(level)


@register.simple_tag(takes_context=True)
def cycle_returns_panel(context: template.Context, cycle: Cycle) -> dict[str, Any]:
    """`{% cycle_returns_panel cycle as panel %}`: for the board, how the partner agencies' returns stand (submitted
    on time or late, drafts and not started past due); for an agency, its own returns. Empty for anyone who may not
    see the cycle."""
    user = _user(context)
    if user is None or not can_view_cycle(user, cycle):
        return {}
    rows = cycle_returns(user=user, cycle=cycle)
    return {"runs": runs_cycle(user, cycle), "rows": rows, "summary": ReturnsSummary.of(rows)}


@register.simple_tag(takes_context=True)
def assessment_action_plan(context: template.Context, given: Assessment | None = None) -> dict[str, Any]:
    """`{% assessment_action_plan as plan %}`: the page's C's actions the user may see, and whether they may add
    one (the board, before sign-off)."""
    user, assessment = _user(context), _assessment(context, given)
    if user is None or assessment is None or not can_view_cycle(user, assessment.cycle):
        return {}
    runs = runs_cycle(user, assessment.cycle)
    return {
        "assessment": assessment,
        "actions": list(assessment_actions(user=user, assessment=assessment)),
        "may_add": runs and not assessment.cycle.is_signed_off,
        "runs": runs,
        "today": timezone.localdate(),
    }


@register.simple_tag(takes_context=True)
def assessment_return_figures(context: template.Context, given: Assessment | None = None) -> dict[str, Any]:
    """`{% assessment_return_figures as evidence %}`: the submitted returns' figures for the page's C; empty for a C
    the returns do not evidence. The board gets every agency's (`runs`); anyone else only their own agency's, with
    whether it has submitted at all (`own_submitted`), so the page never says nobody has when they cannot see."""
    user, assessment = _user(context), _assessment(context, given)
    if user is None or assessment is None or assessment.component not in EVIDENCED:
        return {}
    cycle = assessment.cycle
    if not can_view_cycle(user, cycle):
        return {}
    if runs_cycle(user, cycle):
        return {"runs": True, "figures": returns_evidence(cycle, assessment.component)}
    if user.agency is None:
        return {}
    figures = returns_evidence(cycle, assessment.component, agency=user.agency)
    return {"runs": False, "figures": figures, "own_submitted": bool(figures) or has_submitted(cycle, user.agency)}


@register.inclusion_tag("assurance/includes/home_actions.html", takes_context=True)
def assurance_home(context: template.Context) -> dict[str, Any]:
    """`{% assurance_home %}` on the home page: the 12Cs improvement actions the practitioner owns and are open."""
    user = _user(context)
    if user is None:
        return {"actions": [], "more": 0}
    actions = owned_open_actions(user=user)
    shown = list(actions[:HOME_LIMIT])
    return {
        "actions": shown,
        "more": actions.count() - len(shown) if len(shown) == HOME_LIMIT else 0,
        "today": timezone.localdate(),
    }
