"""Web pages: raise a concern (question pages), my concerns, the front-door queue, a concern, metrics.

One module although long: the pages share one form-and-redirect flow per concern, and each view is a thin call
to a selector or service; the question pages' steps are data (`STEPS`), not code.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import (
    can_read_front_door_figures,
    can_resolve_challenges,
    is_front_door,
    practitioner_of,
)
from cylch.concerns import drafts
from cylch.concerns import forms as f
from cylch.concerns.metrics import front_door_metrics
from cylch.concerns.models import (
    ALLOCATING,
    Challenge,
    ChallengeStatus,
    Concern,
    ConcernDraft,
    ConcernKind,
    FamilyAware,
    InformationRequest,
    ThresholdDecision,
    category_labels,
)
from cylch.concerns.queue import child_names, queue_rows
from cylch.concerns.selectors import (
    ConcernNotFoundError,
    agencies_involved_around,
    challenges_open,
    childrens_services_of,
    concern_can_challenge,
    concern_context,
    concern_get,
    concern_list_mine,
    concern_queue,
    current_decision_of,
    decision_checks,
    information_request_read,
    information_requests_asked,
)
from cylch.concerns.services import decision_allocate
from cylch.concerns.triage import (
    challenge_raise,
    challenge_resolve,
    concern_screening_start,
    decision_record,
    information_request_create,
    information_request_respond,
    screening_note_add,
)
from cylch.concerns.validation import validate_concern
from cylch.core.spreadsheets import csv_document

# The question pages in order: (slug, form, title of the page).
STEPS: list[tuple[str, type[forms.Form]]] = [
    ("kind", f.KindForm),
    ("categories", f.CategoriesForm),
    ("what-happened", f.WhatHappenedForm),
    ("child-words", f.ChildWordsForm),
    ("family", f.FamilyForm),
    ("risk", f.RiskForm),
    ("referrer", f.ReferrerForm),
]
STEP_FORMS = dict(STEPS)
# children and household pages sit between "kind" and "categories".
ORDER = [
    "kind",
    "children",
    "household",
    "categories",
    "what-happened",
    "child-words",
    "family",
    "risk",
    "referrer",
    "check",
]


def _draft(request: HttpRequest, token: str) -> ConcernDraft:
    draft = get_object_or_404(ConcernDraft, token=token, owner=practitioner_of(request))
    return draft


def _next(step: str, request: HttpRequest) -> str:
    if request.GET.get("change"):
        return "check"
    return ORDER[ORDER.index(step) + 1]


def _step_url(draft: ConcernDraft, step: str) -> str:
    return reverse("concerns:step", args=[draft.token, step])


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The start page; starting creates a draft that is saved as you go."""
    if request.method == "POST":
        draft = drafts.draft_create(owner=practitioner_of(request))
        return redirect(_step_url(draft, "kind"))
    return render(
        request,
        "concerns/start.html",
        {"drafts": ConcernDraft.objects.filter(owner=practitioner_of(request), concern__isnull=True)[:5]},
    )


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, token: str, slug: str) -> HttpResponse:
    draft = _draft(request, token)
    if draft.concern_id is not None:
        return redirect("concerns:submitted", reference=draft.concern.reference if draft.concern else "")
    if slug == "children":
        return _people_list(request, draft, "children")
    if slug == "household":
        return _people_list(request, draft, "members")
    if slug == "check":
        return _check(request, draft)
    form_class = STEP_FORMS.get(slug)
    if form_class is None:
        raise Http404
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            drafts.draft_save(draft=draft, answers=form.cleaned_data)
            return redirect(_step_url(draft, _next(slug, request)))
    else:
        form = form_class(initial=drafts.decode_person(draft.data))
    back = _step_url(draft, ORDER[ORDER.index(slug) - 1]) if ORDER.index(slug) else reverse("concerns:start")
    return render(request, f"concerns/steps/{slug}.html", {"form": form, "draft": draft, "back": back})


def _people_list(request: HttpRequest, draft: ConcernDraft, group: str) -> HttpResponse:
    slug = "children" if group == "children" else "household"
    people = draft.data.get(group, [])
    error, status = "", 200
    if request.method == "POST":
        if "remove" in request.POST:
            removal = f.RemovePersonForm(request.POST)
            if removal.is_valid():
                drafts.draft_remove_person(draft=draft, group=group, index=removal.cleaned_data["remove"])
                return redirect(_step_url(draft, slug))
            error, status = str(removal.errors["remove"][0]), 400
        elif group == "children" and not people:
            error = _("Add at least one child the concern is about.")
        else:
            return redirect(_step_url(draft, _next(slug, request)))
    if group == "children" and not people and request.method == "GET":
        return redirect("concerns:person", token=draft.token, group="child", index=0)
    return render(
        request,
        f"concerns/steps/{slug}.html",
        {
            "draft": draft,
            "group": "child" if group == "children" else "member",
            "people": [drafts.decode_person(p) for p in people],
            "error": error,
            "back": _step_url(draft, ORDER[ORDER.index(slug) - 1]),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, token: str, group: str, index: int) -> HttpResponse:
    """Add or change one child (group "child") or household member (group "member")."""
    draft = _draft(request, token)
    if draft.concern_id is not None or group not in ("child", "member"):
        raise Http404
    form_class: type[forms.Form] = f.ChildForm if group == "child" else f.MemberForm
    key = "children" if group == "child" else "members"
    existing = draft.data.get(key, [])
    if index > len(existing):
        raise Http404
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            drafts.draft_save_person(draft=draft, group=key, index=index, answers=form.cleaned_data)
            return redirect(_step_url(draft, "children" if group == "child" else "household"))
    else:
        initial = drafts.decode_person(existing[index]) if index < len(existing) else {}
        form = form_class(initial=initial)
    return render(
        request,
        "concerns/steps/person.html",
        {
            "form": form,
            "draft": draft,
            "group": group,
            "back": _step_url(draft, "children" if group == "child" else "household"),
        },
    )


# Which question page answers each field the service checks, so a problem on the check page links to its page.
STEP_OF_FIELD = {
    "kind": "kind",
    "subjects": "children",
    "categories": "categories",
    "what_happened": "what-happened",
    "happened_on": "what-happened",
    "how_known": "what-happened",
    "child_words": "child-words",
    "family_aware": "family",
    "family_not_aware_reason": "family",
    "immediate_risk": "risk",
    "immediate_risk_details": "risk",
    "referrer_phone": "referrer",
}


def _problems(draft: ConcernDraft, error: ValidationError) -> list[dict[str, str]]:
    """The service's field errors in question-page order, each linking to the page that answers it."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    rows: list[dict[str, str]] = []
    for field, texts in by_field.items():
        step = STEP_OF_FIELD.get(field, "kind")
        url = _step_url(draft, step) + ("" if step == "children" else "?change=1")
        rows.extend({"field": field, "step": step, "message": m, "url": url} for m in texts)
    return sorted(rows, key=lambda row: ORDER.index(row["step"]))


def _check(request: HttpRequest, draft: ConcernDraft) -> HttpResponse:
    data = drafts.draft_to_input(draft)
    try:
        validate_concern(data)
    except ValidationError as error:
        problems = _problems(draft, error)
    else:
        problems = []
    if request.method == "POST":
        if request.POST.get("token") != str(draft.token):
            raise PermissionDenied
        if not problems:
            try:
                result = drafts.draft_submit(draft=draft)
            except ValidationError as error:
                problems = _problems(draft, error)
            else:
                return redirect("concerns:submitted", reference=result.concern.reference)
    return render(
        request,
        "concerns/steps/check.html",
        {
            "draft": draft,
            "data": data,
            "problems": problems,
            "back": _step_url(draft, "referrer"),
            "kind_label": ConcernKind(data.kind).label if data.kind in ConcernKind.values else "",
            "category_labels": category_labels(data.categories),
            "family_label": FamilyAware(data.family_aware).label if data.family_aware in FamilyAware.values else "",
        },
    )


def submitted(request: HttpRequest, reference: str) -> HttpResponse:
    try:
        concern = concern_get(
            user=practitioner_of(request), reference=reference, page="concern-submitted", request=request
        )
    except ConcernNotFoundError:
        raise Http404 from None
    return render(request, "concerns/submitted.html", {"concern": concern})


def mine(request: HttpRequest) -> HttpResponse:
    page = concern_list_mine(user=practitioner_of(request), request=request, page_number=request.GET.get("page"))
    rows = [(c, current_decision_of(c), child_names(c)) for c in page.object_list]
    return render(request, "concerns/mine.html", {"rows": rows, "page": page})


@require_GET
def information_requests(request: HttpRequest) -> HttpResponse:
    """The requests for information asked of the practitioner's agency, unanswered first."""
    rows, page = information_requests_asked(
        user=practitioner_of(request), request=request, page_number=request.GET.get("page")
    )
    return render(request, "concerns/information_requests.html", {"rows": rows, "page": page})


@require_http_methods(["GET", "POST"])
def information_request(request: HttpRequest, pk: int) -> HttpResponse:
    """One request as the agency asked sees it (the child's identity and the question, not the concern), and
    its answer; anyone but that agency and the front door finds nothing here."""
    user = practitioner_of(request)
    asked = information_request_read(user=user, pk=pk, request=request)
    if asked is None:
        raise Http404
    form = f.AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            information_request_respond(request=asked.request, response=form.cleaned_data["response"], user=user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer has been sent to the front door."))
            return redirect("concerns:information-request", pk=pk)
    return render(request, "concerns/information_request.html", {"asked": asked, "form": form})


def _require_front_door(user: Practitioner) -> None:
    if not is_front_door(user):
        raise PermissionDenied


def queue(request: HttpRequest) -> HttpResponse:
    user = practitioner_of(request)
    _require_front_door(user)
    waiting = concern_queue(user=user, request=request, page_number=request.GET.get("page"))
    return render(
        request,
        "concerns/queue.html",
        {
            "rows": queue_rows(waiting.concerns),
            "waiting": waiting,
            "challenges": challenges_open(user=user),
        },
    )


ACTIONS = {"screening", "note", "request", "respond", "decision", "allocate", "challenge", "resolve"}

# The concern page's sections (its sub-navigation), each a page of its own: (slug, title, front door only).
SECTIONS: list[tuple[str, Any, bool]] = [
    ("details", gettext_lazy("Details"), False),
    ("known", gettext_lazy("What is known"), True),
    ("screening", gettext_lazy("Screening"), True),
    ("requests", gettext_lazy("Information requests"), False),
    ("decision", gettext_lazy("Decision"), False),
    ("challenges", gettext_lazy("Challenges"), False),
]
# The section each action is taken on: it comes back there, with its success banner or its errors.
SECTION_OF_ACTION = {
    "screening": "screening",
    "note": "screening",
    "request": "requests",
    "respond": "requests",
    "decision": "decision",
    "allocate": "decision",
    "challenge": "challenges",
    "resolve": "challenges",
}


def _sections(*, front_door: bool, asked_of_my_agency: bool) -> list[tuple[str, Any]]:
    """The sections this practitioner has: the front door all; anyone else the concern's details, its decision
    and challenges, and the information requests only when their agency was asked."""
    return [
        (slug, title)
        for slug, title, front_door_only in SECTIONS
        if front_door or (not front_door_only and (slug != "requests" or asked_of_my_agency))
    ]


def _section_url(concern: Concern, section: str) -> str:
    url = reverse("concerns:detail", args=[concern.reference])
    return url if section == "details" else f"{url}?section={section}"


@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A concern, one section at a time (details, what is known, screening, information requests, decision,
    challenges): each action is taken on its own section and comes back to it with a success banner."""
    user = practitioner_of(request)
    try:
        concern = concern_get(user=user, reference=reference, page="concern", request=request)
    except ConcernNotFoundError:
        raise Http404 from None
    front_door = is_front_door(user)
    decision = current_decision_of(concern)
    checks = decision_checks(concern=concern) if front_door else []
    asked_of_my_agency = [r for r in concern.information_requests.all() if r.agency_id == user.agency_id]
    challenge_open = any(c.status == ChallengeStatus.OPEN for c in concern.challenges.all())
    can_challenge = decision is not None and not challenge_open and concern_can_challenge(user=user, concern=concern)
    sections = _sections(front_door=front_door, asked_of_my_agency=bool(asked_of_my_agency))
    bound: dict[str, forms.Form] = {}
    section = request.GET.get("section", "details")
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            raise Http404
        section = SECTION_OF_ACTION[action]
        if action == "challenge" and not can_challenge:
            raise PermissionDenied(_("This decision cannot be challenged while a challenge to it is open."))
        result = _act(request, user, concern, action, decision, bool(checks), bound)
        if result is not None:
            return redirect(_section_url(concern, section))
    if section not in dict(sections):
        section = "details"
    context = {
        "concern": concern,
        "decision": decision,
        "decision_due_on": timezone.localtime(concern.decision_due_at - datetime.timedelta(microseconds=1)).date(),
        "front_door": front_door,
        "section": section,
        "section_title": dict(sections)[section],
        "sections": [(slug, title, _section_url(concern, slug)) for slug, title in sections],
        "is_manager": can_resolve_challenges(user),
        "can_challenge": can_challenge,
        "challenge_open": challenge_open,
        "known": concern_context(user=user, concern=concern, request=request)
        if front_door and section == "known"
        else [],
        "note_form": bound.get("note", f.NoteForm()),
        "request_form": bound.get(
            "request",
            f.InformationRequestForm(involved=agencies_involved_around(concern=concern) if front_door else None),
        ),
        "decision_form": bound.get("decision", f.DecisionForm(revising=decision is not None, checked=bool(checks))),
        "allocation_form": _allocation_form(concern, decision, front_door, bound),
        "checks": checks,
        "challenge_form": bound.get("challenge", f.ChallengeForm()),
        "resolve_form": bound.get("resolve", f.ResolveForm()),
        "response_form": bound.get("respond", f.ResponseForm()),
        "subjects": list(concern.subjects.all()),
        "asked_of_my_agency": asked_of_my_agency,
    }
    return render(request, "concerns/detail.html", context)


def _act(
    request: HttpRequest,
    user: Practitioner,
    concern: Concern,
    action: str,
    decision: ThresholdDecision | None,
    checked: bool,
    bound: dict[str, forms.Form],
) -> str | None:
    """Take the action; the success banner's text, or None with the bound form (its errors) in `bound`."""
    if action == "challenge":
        form: forms.Form = f.ChallengeForm(request.POST)
        bound[action] = form
        if form.is_valid():
            challenge_raise(concern=concern, user=user, grounds=form.cleaned_data["grounds"])
            return _done(request, _("Your challenge has been sent to a front-door manager."))
        return None
    if action == "respond":
        form = f.ResponseForm(request.POST)
        info = get_object_or_404(InformationRequest, pk=request.POST.get("request_id", 0), concern=concern)
        if form.is_valid():
            information_request_respond(request=info, response=form.cleaned_data["response"], user=user)
            return _done(request, _("The response has been recorded."))
        bound[action] = form
        return None
    _require_front_door(user)
    if action == "screening":
        concern_screening_start(concern=concern, user=user)
        return _done(request, _("Screening has started."))
    if action == "note":
        form = f.NoteForm(request.POST)
        if form.is_valid():
            screening_note_add(concern=concern, author=user, text=form.cleaned_data["text"])
            return _done(request, _("Your note has been added."))
    elif action == "request":
        form = f.InformationRequestForm(request.POST, involved=agencies_involved_around(concern=concern))
        if form.is_valid():
            information_request_create(concern=concern, requested_by=user, **form.cleaned_data)
            return _done(request, _("The information request has been sent."))
    elif action == "decision":
        form = f.DecisionForm(request.POST, revising=decision is not None, checked=checked)
        if form.is_valid():
            decision_record(concern=concern, user=user, **form.cleaned_data)
            return _done(request, _("The decision has been recorded and the referrer has been sent feedback."))
    elif action == "allocate":
        council = childrens_services_of(concern=concern)
        if decision is None or decision.outcome not in ALLOCATING or council is None:
            raise PermissionDenied(_("Only a decision for children's services' work allocates a social worker."))
        form = f.AllocationForm(request.POST, council=council)
        if form.is_valid():
            try:
                allocated = decision_allocate(decision=decision, user=user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if allocated:
                    return _done(request, _("The allocation has been recorded: it shows on each child's record."))
                form.add_error(None, _("No child on this concern is matched to a record yet, so none was allocated."))
    else:  # resolve
        form = f.ResolveForm(request.POST)
        challenge = get_object_or_404(Challenge, pk=request.POST.get("challenge_id", 0), concern=concern)
        if form.is_valid():
            challenge_resolve(challenge=challenge, manager=user, **form.cleaned_data)
            return _done(request, _("The outcome of the challenge has been recorded."))
    bound[action] = form
    return None


def _allocation_form(
    concern: Concern, decision: ThresholdDecision | None, front_door: bool, bound: dict[str, forms.Form]
) -> forms.Form | None:
    """The allocation form, for the front door after a decision that leads to children's services' work."""
    if not front_door or decision is None or decision.outcome not in ALLOCATING:
        return None
    if "allocate" in bound:
        return bound["allocate"]
    council = childrens_services_of(concern=concern)
    return f.AllocationForm(council=council) if council is not None else None


def _done(request: HttpRequest, text: str) -> str:
    messages.success(request, text)
    return text


def metrics(request: HttpRequest) -> HttpResponse:
    if not can_read_front_door_figures(practitioner_of(request)):
        raise PermissionDenied
    choosing = any(key.startswith(("since_", "until_")) for key in request.GET)
    period_form = f.MetricsPeriodForm(request.GET if choosing else None)
    since, until = period_form.period()
    figures = front_door_metrics(since=since, until=until)
    if request.GET.get("format") == "csv" and not period_form.errors:
        return _csv(figures)
    charts = {
        _("Concerns by kind"): _bars(figures.by_kind),
        _("Concerns by source"): _bars(figures.by_source),
        _("Decision outcomes"): _bars(figures.by_outcome),
        _("Within timescale (%)"): _bars(
            [
                (label, value)
                for label, value in (
                    (_("Decided within one working day"), figures.decided_within_one_day),
                    (_("Referrers given feedback within 7 working days"), figures.feedback_within_seven_days),
                )
                if value is not None
            ],
            of=100,
        ),
    }
    query = request.GET.copy()
    query.pop("format", None)
    query["format"] = "csv"
    return render(
        request,
        "concerns/metrics.html",
        {"m": figures, "charts": charts, "period_form": period_form, "csv_query": query.urlencode()},
    )


def _bars(rows: Sequence[tuple[str, float]], *, of: float | None = None) -> list[dict[str, Any]]:
    """Bar widths in percent of `of` (default: the largest value): the template draws them as a server-rendered
    SVG. Percentages are drawn against 100, so a bar's length means the same on every chart of them."""
    largest = of or max((n for _label, n in rows), default=0) or 1
    return [
        {"label": label, "n": n, "width": round(100 * n / largest, 1), "y": i * 28} for i, (label, n) in enumerate(rows)
    ]


def _csv(figures: Any) -> HttpResponse:
    table: list[list[object]] = [["measure", "group", "value"]]
    table.append(["concerns", "all", figures.total])
    for name, rows in (
        ("by_kind", figures.by_kind),
        ("by_source", figures.by_source),
        ("by_outcome", figures.by_outcome),
    ):
        for label, n in rows:
            table.append([name, label, n])
    table.append(["period", "from", figures.since.isoformat()])
    table.append(["period", "to", figures.until.isoformat()])
    table.append(["decided", "all", figures.decided])
    table.append(["decided", "within_one_working_day", figures.decided_in_time])
    table.append(["decided_within_one_working_day_percent", "of_decided", figures.decided_within_one_day])
    table.append(["still_open", "all", figures.still_open])
    table.append(["still_open", "past_deadline", figures.still_open_overdue])
    table.append(["feedback_due", "all", figures.feedback_due])
    table.append(["feedback_due", "within_seven_working_days", figures.feedback_in_time])
    table.append(["feedback_within_seven_working_days_percent", "of_feedback_due", figures.feedback_within_seven_days])
    table.append(["re_referrals_within_12_months", "", figures.re_referrals_12_months])
    table.append(["open_challenges", "", figures.open_challenges])
    table.append(["information_requests", "made", figures.requests_made])
    table.append(["information_requests", "due", figures.requests_due])
    table.append(["information_requests", "late_or_unanswered", figures.requests_late])
    for row in figures.requests_by_agency:
        for measure in ("made", "answered", "due", "late"):
            table.append([f"information_requests_{measure}", row.agency_name, getattr(row, measure)])
    response = HttpResponse(csv_document(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="front-door-{figures.since}-{figures.until}.csv"'
    return response
