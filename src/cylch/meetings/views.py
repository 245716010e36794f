"""Meeting and plan pages: each validates its input and calls one selector or service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cylch.access.rule import can_see_detail
from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import practitioner_of
from cylch.audit.models import AuditAction
from cylch.concerns.models import Concern
from cylch.core.forms import form_perform, service_errors_add
from cylch.meetings import documents
from cylch.meetings.forms import (
    ActionForm,
    ActionUpdateForm,
    AssessmentForm,
    CirculateForm,
    ConveneForm,
    DecisionForm,
    HoldForm,
    InviteeForm,
    PlanVersionForm,
    ReportForm,
    SharedForm,
)
from cylch.meetings.models import AgencyReport, CirculationKind, Meeting, MeetingKind, Plan, PlanAction
from cylch.meetings.permissions import can_convene, can_see_timeliness, may_see_meeting, runs_meeting
from cylch.meetings.selectors import (
    MeetingPage,
    convene_prefill,
    involved_agencies,
    meeting_read,
    plan_read,
    practitioners_serving,
    strategy_discussions_for,
    timeliness_report,
    work_list,
)
from cylch.meetings.services import (
    InviteeSpec,
    agency_report_share,
    agency_report_submit,
    circulation_open,
    decision_record,
    invitee_add,
    meeting_circulate,
    meeting_convene,
    meeting_hold,
    plan_action_add,
    plan_action_update,
    plan_version_save,
    strategy_assessment_complete,
)
from cylch.people.models import Person
from cylch.people.selectors import person_resolve


@require_GET
def worklist(request: HttpRequest) -> HttpResponse:
    user = practitioner_of(request)
    return render(
        request,
        "meetings/worklist.html",
        {"work": work_list(user=user, request=request), "can_convene": can_convene(user)},
    )


def _concern(reference: str) -> Concern | None:
    return Concern.objects.filter(reference=reference).first() if reference else None


@require_http_methods(["GET", "POST"])
def convene(request: HttpRequest) -> HttpResponse:
    """Book a meeting; from a threshold decision of "strategy discussion", prefilled with the concern's children
    and the agencies working with them."""
    user = practitioner_of(request)
    if not can_convene(user) or user.agency is None:
        raise PermissionDenied(_("Only children's services convene multi-agency meetings."))
    data = request.POST if request.method == "POST" else None
    reference = (data or request.GET).get("concern", "")[:16]
    concern = _concern(reference)
    initial, children, involved, chosen = _prefill(
        user, concern, request.GET.get("from", ""), request.GET.get("kind", "")
    )
    discussions = Meeting.objects.filter(
        kind=MeetingKind.STRATEGY_DISCUSSION, local_authority=user.agency.local_authority
    )
    form = ConveneForm(
        data,
        initial=initial,
        authority_id=user.agency.local_authority_id,
        candidates=practitioners_serving(
            authority_id=user.agency.local_authority_id, involved_agencies=involved, also=chosen
        ),
        discussions=(strategy_discussions_for(children) if children else discussions).order_by("-held_at"),
    )
    if data is not None and form.is_valid():
        try:
            people = [_visible_child(user, cylch_id) for cylch_id in form.cleaned_data["children"]]
            family = set(form.cleaned_data["family"])
            meeting = meeting_convene(
                user=user,
                kind=form.cleaned_data["kind"],
                held_at=form.held_at(),
                children=people,
                chair=form.cleaned_data["chair"],
                lead_practitioner=form.cleaned_data["lead_practitioner"],
                invitees=[
                    InviteeSpec(agency=p.agency, practitioner=p, role=_role_of(p, people))
                    for p in form.cleaned_data["invitees"]
                    if p.agency is not None
                ],
                concern=_concern(form.cleaned_data["concern"]),
                strategy_discussion=form.cleaned_data["strategy_discussion"],
                no_strategy_reason=form.cleaned_data["no_strategy_reason"],
                family_invited="family" in family,
                child_invited="child" in family,
                advocate_invited="advocate" in family,
                request=request,
            )
        except ValidationError as error:
            service_errors_add(form, error)
        else:
            messages.success(request, _("The meeting is booked and the invitations have been sent."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request, "meetings/convene.html", {"form": form, "concern": concern}, status=400 if data is not None else 200
    )


def _prefill(
    user: Practitioner, concern: Concern | None, source: str, kind: str
) -> tuple[dict[str, Any], list[Person], list[int], list[int]]:
    """What the booking form starts with: the concern's children and the agencies working with them (from a
    threshold decision), or the children and invitees of the meeting it follows (a conference after a strategy
    discussion, a core group after a conference); then the agencies involved and the practitioners chosen, which
    the invitee list offers first. The same on the form's GET and its POST (the POST keeps the query string)."""
    initial: dict[str, Any] = {"chair": user.pk, "kind": kind}
    children: list[Person] = []
    agency_ids: list[int] = []
    chosen: list[int] = []
    previous = Meeting.objects.filter(pk=int(source)).first() if source.isdigit() else None
    if previous is not None and may_see_meeting(user, previous):
        children = [c for c in previous.children.all() if can_see_detail(user=user, person=c)]
        chosen = list(previous.invitees.values_list("practitioner_id", flat=True))
        agency_ids = involved_agencies(children)
        initial.update(lead_practitioner=previous.lead_practitioner_id, chair=previous.chair_id)
        if previous.kind == MeetingKind.STRATEGY_DISCUSSION:
            initial["strategy_discussion"] = previous.pk
    elif concern is not None:
        prefill = convene_prefill(concern=concern)
        children = [c for c in prefill.children if can_see_detail(user=user, person=c)]
        agency_ids = [agency for agency, _p, _r in prefill.agencies]
        chosen = [p for _a, p, _r in prefill.agencies if p is not None]
        initial.update(concern=concern.reference, kind=kind or MeetingKind.STRATEGY_DISCUSSION)
    if children:
        initial.update(children=", ".join(c.cylch_id for c in children), invitees=chosen)
    return initial, children, agency_ids, chosen


def _visible_child(user: Practitioner, cylch_id: str) -> Person:
    try:
        person = person_resolve(cylch_id=cylch_id)
    except Person.DoesNotExist:
        raise ValidationError({"children": _("No one has the Cylch ID %(id)s.") % {"id": cylch_id[:12]}}) from None
    if not can_see_detail(user=user, person=person):
        raise ValidationError({"children": _("You cannot see the record of %(id)s.") % {"id": cylch_id[:12]}})
    return person


def _role_of(practitioner: Practitioner, children: list[Person]) -> str:
    from cylch.access.rule import active_involvements

    involvement = active_involvements().filter(person__in=children, agency=practitioner.agency).exclude(role="").first()
    if involvement is not None:
        return involvement.role
    if practitioner.agency is None:
        return ""
    with translation.override("en"):  # stored in English, shown in the reader's language (`invitee_role`)
        return str(practitioner.agency.get_kind_display())


def _invitable(meeting: Meeting, children: list[Person]) -> QuerySet[Practitioner]:
    return practitioners_serving(authority_id=meeting.local_authority_id, involved_agencies=involved_agencies(children))


def _owners(found: Plan) -> QuerySet[Practitioner]:
    """Who may own a plan action: the agencies serving the plan's area, those working with the child first."""
    return practitioners_serving(
        authority_id=found.started_by.local_authority_id, involved_agencies=involved_agencies([found.person])
    )


def _page(request: HttpRequest, pk: int) -> MeetingPage:
    try:
        return meeting_read(user=practitioner_of(request), pk=pk, request=request)
    except Meeting.DoesNotExist:
        raise Http404(_("No meeting has this number")) from None


def _detail(request: HttpRequest, pk: int, status: int = 200, **bound: forms.Form) -> HttpResponse:
    user = practitioner_of(request)
    page = _page(request, pk)
    meeting = page.meeting
    context: dict[str, Any] = {
        "page": page,
        "meeting": meeting,
        "now": timezone.now(),
        "is_invitee": any(i.practitioner_id == user.pk for i in page.invitees),
        "invitee_form": bound.get("invitee_form") or InviteeForm(candidates=_invitable(meeting, page.children)),
        "report_form": bound.get("report_form") or ReportForm(),
        "hold_form": bound.get("hold_form") or HoldForm(meeting=meeting),
        "decision_form": bound.get("decision_form") or DecisionForm(meeting=meeting, children=page.shown_children()),
        "assessment_form": bound.get("assessment_form") or AssessmentForm(),
        "shared_form": SharedForm(),
        "documents": [
            ("invitation", _("Invitation")),
            ("report-form", _("Agency report form")),
            ("minutes", _("Minutes and decisions")),
            ("plan", _("The plan")),
        ],
    }
    return render(request, "meetings/meeting.html", context, status=status)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _meeting_to_run(request: HttpRequest, pk: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).select_related("chair__agency", "local_authority__region").first()
    if meeting is None:
        raise Http404(_("No meeting has this number"))
    if not runs_meeting(practitioner_of(request), meeting):
        raise PermissionDenied
    return meeting


@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_run(request, pk)
    form = InviteeForm(request.POST, candidates=_invitable(meeting, list(meeting.children.all())))

    def invite_them() -> None:
        practitioner = form.cleaned_data["practitioner"]
        spec = InviteeSpec(agency=practitioner.agency, practitioner=practitioner, role=form.cleaned_data["role"])
        invitee_add(meeting=meeting, user=practitioner_of(request), request=request, spec=spec)

    if form_perform(request, form, _("Invited, and sent the invitation."), invite_them):
        return redirect("meetings:detail", pk=pk)
    return _detail(request, pk, status=400, invitee_form=form)


@require_POST
def report(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    form = ReportForm(request.POST, request.FILES)
    if form_perform(
        request,
        form,
        _("Your agency's report is submitted."),
        lambda: agency_report_submit(
            meeting=meeting,
            user=practitioner_of(request),
            text=form.cleaned_data["text"],
            attachment=form.cleaned_data["attachment"],
            request=request,
        ),
    ):
        return redirect("meetings:detail", pk=pk)
    return _detail(request, pk, status=400, report_form=form)


@require_POST
def report_shared(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    found = AgencyReport.objects.filter(pk=report_pk, meeting_id=pk).select_related("meeting").first()
    if found is None:
        raise Http404
    form = SharedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date the report was shared with the family."))
        return redirect("meetings:detail", pk=pk)
    agency_report_share(report=found, user=practitioner_of(request), on=form.cleaned_data["shared_on"])
    messages.success(request, _("Recorded when the report was shared with the family."))
    return redirect("meetings:detail", pk=pk)


@require_GET
def report_attachment(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    page = _page(request, pk)
    found = next((r for r in page.reports if r.pk == report_pk), None)
    if found is None or not found.attachment:
        raise Http404
    response = HttpResponse(bytes(found.attachment), content_type="application/octet-stream")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=found.attachment_name) or ""
    )
    return response


@require_POST
def hold(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_run(request, pk)
    form = HoldForm(request.POST, meeting=meeting)

    def hold_it() -> None:
        attended = set(form.cleaned_data["attended"])
        meeting_hold(
            meeting=meeting,
            user=practitioner_of(request),
            attendance=form.attendance(),
            child_views=form.cleaned_data["child_views"],
            minutes=form.cleaned_data["minutes"],
            family_attended="family" in attended if meeting.family_invited else None,
            child_attended="child" in attended if meeting.child_invited else None,
            advocate_attended="advocate" in attended if meeting.advocate_invited else None,
            request=request,
        )

    if form_perform(request, form, _("The meeting is recorded as held."), hold_it):
        return redirect("meetings:detail", pk=pk)
    return _detail(request, pk, status=400, hold_form=form)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_run(request, pk)
    children = list(meeting.children.all())
    form = DecisionForm(request.POST, meeting=meeting, children=children)
    if form_perform(
        request,
        form,
        _("The decision is recorded."),
        lambda: decision_record(
            meeting=meeting,
            user=practitioner_of(request),
            kind=form.cleaned_data["kind"],
            rationale=form.cleaned_data["rationale"],
            person=next((c for c in children if str(c.pk) == form.cleaned_data["person"]), None),
            category=form.cleaned_data.get("category", ""),
            dissent=form.cleaned_data["dissent"],
            request=request,
        ),
    ):
        return redirect("meetings:detail", pk=pk)
    return _detail(request, pk, status=400, decision_form=form)


@require_POST
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_run(request, pk)
    form = AssessmentForm(request.POST)
    if form_perform(
        request,
        form,
        _("The assessment is recorded as complete."),
        lambda: strategy_assessment_complete(
            meeting=meeting, user=practitioner_of(request), on=form.cleaned_data["on"]
        ),
    ):
        return redirect("meetings:detail", pk=pk)
    return _detail(request, pk, status=400, assessment_form=form)


@require_POST
def circulate(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_to_run(request, pk)
    form = CirculateForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        sent = meeting_circulate(meeting=meeting, user=practitioner_of(request), kind=form.cleaned_data["kind"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Sent to %(n)s people.") % {"n": len(sent)})
    return redirect("meetings:detail", pk=pk)


@require_GET
def circulated(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The link in a circulated message: records the opening, then shows the document."""
    if kind not in CirculationKind.values:
        raise Http404
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    user = practitioner_of(request)
    if not may_see_meeting(user, meeting):
        raise PermissionDenied
    circulation_open(meeting=meeting, user=user, kind=kind)
    document = {"invitation": "invitation", "minutes": "minutes", "plan": "plan"}[kind]
    return redirect("meetings:document", pk=pk, document=document, extension="html")


@require_GET
def document(request: HttpRequest, pk: int, document: str, extension: str) -> HttpResponse:
    """The invitation, the agency report form, the minutes or the plan, as accessible HTML or a PDF."""
    if document not in documents.DOCUMENTS or extension not in {"html", "pdf"}:
        raise Http404
    with translation.override(_document_language(request)):
        try:
            page = meeting_read(user=practitioner_of(request), pk=pk, request=request, action=_action(extension))
        except Meeting.DoesNotExist:
            raise Http404 from None
        context = documents.context(page, document)
        if extension == "html":
            return render(request, documents.template(document), context)
        return documents.pdf_response(page, document, context)


def _document_language(request: HttpRequest) -> str:
    """`?language=en|cy` prints a copy in that language; otherwise the reader's."""
    asked = request.GET.get("language", "")
    return asked if asked in {"en", "cy"} else (translation.get_language() or "en")


def _action(extension: str) -> AuditAction:
    return AuditAction.EXPORT if extension == "pdf" else AuditAction.VIEW


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, pk)


def _plan_page(request: HttpRequest, pk: int, status: int = 200, **bound: forms.Form) -> HttpResponse:
    """The plan page, also re-shown by its forms' POSTs with their errors (so not behind `require_GET`)."""
    try:
        found = plan_read(user=practitioner_of(request), pk=pk, request=request)
    except Plan.DoesNotExist:
        raise Http404(_("No plan has this number")) from None
    current = found.plan.current
    return render(
        request,
        "meetings/plan.html",
        {
            "page": found,
            "plan": found.plan,
            "today": timezone.localdate(),
            "version_form": bound.get("version_form")
            or PlanVersionForm(
                initial={"outcomes": current.outcomes, "contingency": current.contingency} if current else None
            ),
            "action_form": bound.get("action_form") or ActionForm(candidates=_owners(found.plan)),
            "update_form": ActionUpdateForm(),
            "user_pk": practitioner_of(request).pk,
        },
        status=status,
    )


def _plan_to_change(pk: int) -> Plan:
    found = Plan.objects.filter(pk=pk).select_related("started_by", "person").first()
    if found is None:
        raise Http404
    return found


@require_POST
def plan_version(request: HttpRequest, pk: int) -> HttpResponse:
    found = _plan_to_change(pk)
    form = PlanVersionForm(request.POST)
    if form_perform(
        request,
        form,
        _("The plan is saved as a new version."),
        lambda: plan_version_save(plan=found, user=practitioner_of(request), **form.cleaned_data),
    ):
        return redirect("meetings:plan", pk=pk)
    return _plan_page(request, pk, status=400, version_form=form)


@require_POST
def plan_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = _plan_to_change(pk)
    form = ActionForm(request.POST, candidates=_owners(found))
    if form_perform(
        request,
        form,
        _("The action is added."),
        lambda: plan_action_add(
            plan=found,
            user=practitioner_of(request),
            description=form.cleaned_data["description"],
            owner_agency=form.owner_agency(),
            owner=form.cleaned_data["owner"],
            due_on=form.cleaned_data["due_on"],
        ),
    ):
        return redirect("meetings:plan", pk=pk)
    return _plan_page(request, pk, status=400, action_form=form)


@require_POST
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = PlanAction.objects.filter(pk=pk).select_related("plan__started_by").first()
    if action is None:
        raise Http404
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        try:
            plan_action_update(action=action, user=practitioner_of(request), **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The action is updated."))
    else:
        messages.error(request, _("Select the status"))
    return redirect("meetings:plan", pk=action.plan_id)


@require_GET
def plan_document(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    if extension not in {"html", "pdf"}:
        raise Http404
    with translation.override(_document_language(request)):
        try:
            found = plan_read(
                user=practitioner_of(request), pk=pk, request=request, page="plan-document", action=_action(extension)
            )
        except Plan.DoesNotExist:
            raise Http404 from None
        if not found.shown:
            raise PermissionDenied
        context = documents.plan_context(found)
        if extension == "html":
            return render(request, "meetings/documents/plan.html", context)
        return documents.plan_pdf_response(found, context)


@require_GET
def timeliness(request: HttpRequest) -> HttpResponse:
    user = practitioner_of(request)
    if not can_see_timeliness(user):
        raise PermissionDenied(_("The timeliness report is for the front door and the board."))
    return render(request, "meetings/timeliness.html", {"report": timeliness_report(user=user)})
