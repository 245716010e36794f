"""Pages for alerts and rules: each validates its input and calls one selector or service."""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cylch.access.reads import disclose_one
from cylch.accounts.permissions import practitioner_of
from cylch.core.codes import normalise
from cylch.core.spreadsheets import csv_document
from cylch.people.models import Person
from cylch.risk.definitions import definition_parse
from cylch.risk.describe import definition_in_words
from cylch.risk.engine import months_before
from cylch.risk.forms import TRIAL_MONTHS, CloseForm, FollowUpForm, RuleForm, TrialForm, WasNotBroughtForm
from cylch.risk.models import Alert, RiskRule
from cylch.risk.permissions import can_act_on_alert, can_edit_rules, can_see_dashboard
from cylch.risk.selectors import (
    Dashboard,
    alert_detail,
    alert_worklist,
    dashboard_csv_rows,
    follow_up_open,
    follow_ups_due,
    risk_dashboard,
    rule_get,
    rule_list,
    rule_trial,
    rule_versions,
)
from cylch.risk.services import (
    alert_acknowledge,
    alert_close,
    rule_save,
    was_not_brought_follow_up_record,
    was_not_brought_record,
)


@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    """Open alerts the practitioner's agency owns (the front door's too, at the front door), due first, and the
    Was Not Brought follow-ups their service owes."""
    user = practitioner_of(request)
    alerts = alert_worklist(user=user, request=request)
    follow_ups = follow_ups_due(user=user, request=request)
    return render(request, "risk/worklist.html", {"alerts": alerts, "follow_ups": follow_ups, "now": timezone.now()})


def _alert_page(request: HttpRequest, pk: int, close_form: CloseForm | None = None, status: int = 200) -> HttpResponse:
    user = practitioner_of(request)
    try:
        detail = alert_detail(user=user, pk=pk, request=request)
    except Alert.DoesNotExist:
        raise Http404(_("No alert has this number")) from None
    alert = detail.summary.alert
    return render(
        request,
        "risk/alert.html",
        {
            "detail": detail,
            "alert": alert,
            "can_act": detail.summary.detail and alert.is_open and can_act_on_alert(user, alert),
            "close_form": close_form or CloseForm(),
        },
        status=status,
    )


@require_GET
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    """One alert explaining itself (for a reader who may see a child it concerns), or whom to contact."""
    return _alert_page(request, pk)


def _alert_to_act_on(request: HttpRequest, pk: int) -> Alert:
    detail = alert_detail(user=practitioner_of(request), pk=pk, request=request)
    if not detail.summary.detail:
        raise PermissionDenied
    return detail.summary.alert


@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        alert_acknowledge(alert=_alert_to_act_on(request, pk), user=practitioner_of(request))
    except Alert.DoesNotExist:
        raise Http404(_("No alert has this number")) from None
    except ValidationError:
        messages.error(request, _("This alert is already closed."))
    else:
        messages.success(request, _("You have acknowledged the alert."))
    return redirect("risk:alert", pk=pk)


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _alert_page(request, pk, close_form=form, status=400)
    try:
        alert_close(
            alert=_alert_to_act_on(request, pk),
            user=practitioner_of(request),
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data["reason"],
        )
    except Alert.DoesNotExist:
        raise Http404(_("No alert has this number")) from None
    except ValidationError as error:
        form.add_error(None, error)
        return _alert_page(request, pk, close_form=form, status=400)
    messages.success(request, _("The alert is closed."))
    return redirect("risk:alerts")


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """Every rule, live or not: what it looks for and why (rules hold no one's data)."""
    return render(
        request, "risk/rules.html", {"rules": rule_list(), "can_edit": can_edit_rules(practitioner_of(request))}
    )


def _rule(code: str) -> RiskRule:
    try:
        return rule_get(code=code)
    except RiskRule.DoesNotExist:
        raise Http404(_("No rule has this code")) from None


@require_http_methods(["GET", "POST"])
def rule(request: HttpRequest, code: str) -> HttpResponse:
    """A rule, its version history, and for the board officer the form that writes its next version."""
    user = practitioner_of(request)
    found = _rule(code)
    current = found.current
    can_edit = can_edit_rules(user)
    form = None
    if can_edit and current is not None:
        initial = {
            "name": current.name,
            "rationale": current.rationale,
            "research": current.research,
            "name_cy": current.name_cy,
            "rationale_cy": current.rationale_cy,
            "research_cy": current.research_cy,
            "definition": json.dumps(current.definition, indent=2),
            "lead_agency": current.lead_agency,
            "active": current.active,
        }
        form = RuleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            rule_save(code=found.code, user=user, **form.cleaned_data)
            messages.success(request, _("The rule's new version is saved."))
            return redirect("risk:rule", code=found.code)
    return render(
        request,
        "risk/rule.html",
        {
            "rule": found,
            "current": current,
            "definition": json.dumps(current.definition, indent=2) if current else "",
            "definition_words": definition_in_words(definition_parse(current.definition)) if current else [],
            "versions": rule_versions(rule=found),
            "form": form,
            "can_edit": can_edit,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_GET
def trial(request: HttpRequest, code: str) -> HttpResponse:
    """Try before live: the alerts the rule's current version would have raised on the region's history."""
    user = practitioner_of(request)
    if not can_edit_rules(user):
        raise PermissionDenied
    found = _rule(code)
    form = TrialForm(request.GET if "months" in request.GET else None)
    report = None
    if form.is_valid() and found.current is not None:
        until = timezone.localdate()
        since = months_before(until, int(form.cleaned_data["months"])) + datetime.timedelta(days=1)
        report = rule_trial(user=user, definition=found.current.definition, since=since, until=until, request=request)
    return render(request, "risk/trial.html", {"rule": found, "form": form, "report": report})


@require_http_methods(["GET", "POST"])
def was_not_brought(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Record by hand that a child was not brought to an appointment, with the follow-up made; or, when the
    practitioner's service owes a follow-up for the child (not brought twice), record what it did."""
    user = practitioner_of(request)
    person = Person.objects.filter(cylch_id=normalise(cylch_id), merged_into__isnull=True).first()
    if person is None:
        raise Http404(_("No one has this Cylch ID"))
    if disclose_one(user=user, person=person, page="was-not-brought", request=request) is None or user.agency is None:
        raise PermissionDenied
    posted = request.POST if request.method == "POST" else None
    answering = posted is not None and posted.get("action") == "follow-up"
    form = WasNotBroughtForm(None if answering else posted)
    follow_up_form = FollowUpForm(posted if answering else None)
    if answering and follow_up_form.is_valid():
        try:
            was_not_brought_follow_up_record(user=user, person=person, **follow_up_form.cleaned_data)
        except ValidationError as error:
            follow_up_form.add_error(None, error)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect("risk:alerts")
    if form.is_valid():
        try:
            was_not_brought_record(user=user, person=person, request=request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The missed appointment is recorded in the chronology."))
            return redirect("people:detail", cylch_id=person.cylch_id)
    context = {
        "person": person,
        "form": form,
        "follow_up_form": follow_up_form,
        "follow_up": follow_up_open(user=user, person=person),
    }
    return render(request, "risk/was_not_brought.html", context, status=400 if posted is not None else 200)


def _dashboard_for(request: HttpRequest) -> tuple[TrialForm, Dashboard]:
    """The figures over the period chosen (12 months unless a valid choice says otherwise)."""
    if not can_see_dashboard(practitioner_of(request)):
        raise PermissionDenied
    form = TrialForm(request.GET if "months" in request.GET else None)
    months = int(form.cleaned_data["months"]) if form.is_valid() else int(TRIAL_MONTHS[2][0])
    since = months_before(timezone.localdate(), months) + datetime.timedelta(days=1)
    return form, risk_dashboard(since=since)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Alerts by rule, times to acknowledge and close, outcomes, Was Not Brought by service and area."""
    form, figures = _dashboard_for(request)
    query = request.GET.urlencode()
    return render(request, "risk/dashboard.html", {"form": form, "dashboard": figures, "query": query})


@require_GET
def dashboard_csv(request: HttpRequest) -> HttpResponse:
    _form, figures = _dashboard_for(request)
    response = HttpResponse(csv_document(dashboard_csv_rows(figures)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="risk-dashboard-{figures.since:%Y-%m-%d}.csv"'
    return response
