"""Finding a person and opening their record. Each page validates its input and calls one audited selector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from cylch.access.forms import AccessRequestForm, BreakGlassForm
from cylch.access.selectors import my_pending_request
from cylch.access.services import access_request_create, break_glass
from cylch.accounts.permissions import can_export_subject_access, can_read_access_log, practitioner_of
from cylch.audit.models import AuditAction
from cylch.chronology.models import ChronologyEvent
from cylch.core.codes import normalise
from cylch.people.models import Person
from cylch.people.selectors import person_resolve
from cylch.records import exports
from cylch.records.display import (
    current_households,
    describe_relationships,
    flags,
    genogram_for,
    relationship_to,
    relative_rows,
    status_flags,
)
from cylch.records.forms import (
    CASELOAD_FIELDS,
    FILTER_FIELDS,
    SEARCH_FIELDS,
    CaseloadFilterForm,
    ChronologyFilterForm,
    PersonSearchForm,
)
from cylch.records.selectors.caseload import caseload as caseload_read
from cylch.records.selectors.changes import changes_allowed, disagreements_waiting
from cylch.records.selectors.family import FamilyRecord, family_record
from cylch.records.selectors.person import PersonRecord, person_record
from cylch.records.selectors.search import person_search
from cylch.records.selectors.subject_access import subject_access

CHRONOLOGY_PAGE_SIZE = 50


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Search by name, date of birth or NHS number; results say whose record the user may open."""
    submitted = any(key in request.GET for key in SEARCH_FIELDS)
    form = PersonSearchForm(request.GET if submitted else None)
    results = None
    if submitted and form.is_valid():
        results = person_search(
            user=practitioner_of(request),
            name=form.cleaned_data["name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            nhs_number=form.cleaned_data["nhs_number"],
            request=request,
        )
    return render(request, "people/search.html", {"form": form, "results": results})


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    """The people the practitioner's agency works with: children unless adults are asked for, each with their
    register and looked-after flags and when the agency last recorded contact."""
    filtering = any(key in request.GET for key in CASELOAD_FIELDS)
    form = CaseloadFilterForm(request.GET if filtering else None)
    page = caseload_read(
        user=practitioner_of(request),
        request=request,
        page_number=request.GET.get("page"),
        filters=form.caseload_filter(),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/caseload.html",
        {"form": form, "page": page, "filters": form.caseload_filter(), "page_query": query.urlencode()},
    )


def _chronology_page(request: HttpRequest, record: PersonRecord | FamilyRecord) -> Page[ChronologyEvent]:
    """One page of the chronology, read from the database as a page (`?page=`)."""
    paginator = Paginator(record.chronology, CHRONOLOGY_PAGE_SIZE)
    if record.chronology_count is not None:
        paginator.count = record.chronology_count  # the selector counted already: no COUNT(*) query
    return paginator.get_page(request.GET.get("page"))


def _canonical_redirect(request: HttpRequest, cylch_id: str, name: str) -> HttpResponseRedirect | None:
    """A merged-away (or differently typed) Cylch ID goes to the surviving record's page, query kept."""
    try:
        current = person_resolve(cylch_id=normalise(cylch_id)).cylch_id
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if current == cylch_id:
        return None
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse(name, args=[current]) + (f"?{query}" if query else ""))


def _restricted(
    request: HttpRequest,
    record: PersonRecord,
    *,
    request_form: AccessRequestForm | None = None,
    glass_form: BreakGlassForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """Only whom to contact, and the two ways to ask for more: a request, or break glass in an emergency."""
    return render(
        request,
        "people/restricted.html",
        {
            "record": record,
            "person": record.person,
            "status_flags": status_flags(record),
            "request_form": request_form or AccessRequestForm(),
            "glass_form": glass_form or BreakGlassForm(),
            "pending": my_pending_request(user=practitioner_of(request), person=record.person),
            "can_read_access_log": can_read_access_log(practitioner_of(request)),
            "can_export_subject_access": can_export_subject_access(practitioner_of(request)),
        },
        status=status,
    )


@require_GET
def detail(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """A person's record: everything for those who need to know, otherwise only whom to contact."""
    moved = _canonical_redirect(request, cylch_id, "people:detail")
    if moved is not None:
        return moved
    filtering = any(key in request.GET for key in FILTER_FIELDS)
    filter_form = ChronologyFilterForm(request.GET if filtering else None)
    try:
        record = person_record(
            user=practitioner_of(request),
            cylch_id=normalise(cylch_id),
            page="person-detail",
            chronology_filter=filter_form.chronology_filter(),
            request=request,
        )
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if not record.detail_allowed:
        return _restricted(request, record)

    filter_form.set_agencies(record.chronology_agencies)
    filter_form.set_kinds(record.chronology_kinds)
    chronology_page = _chronology_page(request, record)
    query = request.GET.copy()
    query.pop("page", None)
    rows = relative_rows(record)
    changes = changes_allowed(practitioner_of(request), record)
    return render(
        request,
        "people/detail.html",
        {
            "record": record,
            "person": record.person,
            "relatives": rows,
            "households": current_households(record, rows),
            "status_flags": status_flags(record),
            "chronology_form": filter_form,
            "chronology_page": chronology_page,
            "page_query": (query.urlencode() + "&") if query else "",
            **_export_urls(record.person.cylch_id, query.urlencode(), family=False),
            "filtered": filter_form.is_bound,
            "flags": flags(record),
            "changes": changes,
            "disagreements": disagreements_waiting(practitioner_of(request), record, changes),
            "genogram": genogram_for(record),
            "can_read_access_log": can_read_access_log(practitioner_of(request)),
            "can_export_subject_access": can_export_subject_access(practitioner_of(request)),
        },
    )


def _export_urls(cylch_id: str, query: str, *, family: bool) -> dict[str, str]:
    """The download links beside a chronology, carrying the page's filter."""
    prefix = "people:family-chronology" if family else "people:chronology"
    suffix = f"?{query}" if query else ""
    return {
        "csv_url": reverse(f"{prefix}-csv", args=[cylch_id]) + suffix,
        "pdf_url": reverse(f"{prefix}-pdf", args=[cylch_id]) + suffix,
    }


def _export_record(request: HttpRequest, cylch_id: str, fmt: str, *, family: bool) -> PersonRecord | FamilyRecord:
    """The filtered chronology (the child's, or the whole family's) through the same rule as the page.

    Refusals are logged by the selector.
    """
    filter_form = ChronologyFilterForm(request.GET)
    if not filter_form.is_valid():
        raise Http404(_("The chronology filter is not valid"))
    selector: Callable[..., PersonRecord | FamilyRecord] = family_record if family else person_record
    try:
        record = selector(
            user=practitioner_of(request),
            cylch_id=normalise(cylch_id),
            page=f"{'family-' if family else ''}chronology-export-{fmt}",
            chronology_filter=filter_form.chronology_filter(),
            request=request,
            action=AuditAction.EXPORT,
        )
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if not record.detail_allowed:
        raise PermissionDenied(
            _(
                "You cannot export this record: your agency does not work with this child. "
                "Ask for access, or break glass in an emergency, from the child's page."
            )
        )
    return record


def _attachment(content: str | bytes, content_type: str, cylch_id: str, what: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    filename = exports.export_filename(cylch_id, what, extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _chronology_csv(request: HttpRequest, cylch_id: str, *, family: bool) -> HttpResponse:
    record = _export_record(request, cylch_id, "csv", family=family)
    heading = exports.ExportHeading(
        person=record.person,
        family=family,
        printed_by=practitioner_of(request),
        printed_at=timezone.now(),
        filtered=any(key in request.GET for key in FILTER_FIELDS),
    )
    content = exports.chronology_csv(record.chronology, with_person=family, heading=heading)
    what = "family-chronology" if family else "chronology"
    return _attachment(content, "text/csv; charset=utf-8", record.person.cylch_id, what, "csv")


def _chronology_pdf(request: HttpRequest, cylch_id: str, *, family: bool) -> HttpResponse:
    record = _export_record(request, cylch_id, "pdf", family=family)
    pdf = exports.render_pdf(
        "people/exports/chronology.html",
        {
            "person": record.person,
            "events": record.chronology,
            "family": family,
            "printed_by": practitioner_of(request),
            "printed_at": timezone.now(),
            "request": request,
        },
    )
    what = "family-chronology" if family else "chronology"
    return _attachment(pdf, "application/pdf", record.person.cylch_id, what, "pdf")


@require_GET
def chronology_csv(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The chronology on the page, with the same filter, as a spreadsheet."""
    return _chronology_csv(request, cylch_id, family=False)


@require_GET
def chronology_pdf(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The chronology on the page, with the same filter, as a PDF to print or attach to a report."""
    return _chronology_pdf(request, cylch_id, family=False)


@require_GET
def family_chronology_csv(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The family chronology, with the same filter, as a spreadsheet with a column for whose event it is."""
    return _chronology_csv(request, cylch_id, family=True)


@require_GET
def family_chronology_pdf(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The family chronology, with the same filter, as a PDF."""
    return _chronology_pdf(request, cylch_id, family=True)


@require_GET
def family(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The whole family: everyone living with the child now, each shown as far as the user may see them."""
    moved = _canonical_redirect(request, cylch_id, "people:family")
    if moved is not None:
        return moved
    filtering = any(key in request.GET for key in FILTER_FIELDS)
    filter_form = ChronologyFilterForm(request.GET if filtering else None)
    try:
        record = family_record(
            user=practitioner_of(request),
            cylch_id=normalise(cylch_id),
            chronology_filter=filter_form.chronology_filter(),
            request=request,
        )
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if not record.detail_allowed:
        return redirect("people:detail", record.person.cylch_id)
    filter_form.set_agencies(record.chronology_agencies)
    filter_form.set_kinds(record.chronology_kinds)
    chronology_page = _chronology_page(request, record)
    query = request.GET.copy()
    query.pop("page", None)
    related = relationship_to(describe_relationships(record.relationships))
    return render(
        request,
        "people/family.html",
        {
            "record": record,
            "person": record.person,
            "members": [(member, related.get(member.person.pk)) for member in record.members],
            "chronology_form": filter_form,
            "chronology_page": chronology_page,
            "page_query": (query.urlencode() + "&") if query else "",
            "filtered": filter_form.is_bound,
            "genogram": genogram_for(record),
            **_export_urls(record.person.cylch_id, query.urlencode(), family=True),
        },
    )


def _restricted_after_post(request: HttpRequest, cylch_id: str) -> PersonRecord:
    try:
        return person_record(
            user=practitioner_of(request), cylch_id=normalise(cylch_id), page="person-detail", request=request
        )
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None


def _form_error(form: AccessRequestForm | BreakGlassForm, error: ValidationError) -> None:
    messages_by_field = error.message_dict if hasattr(error, "error_dict") else {"reason": error.messages}
    for message in messages_by_field.get("reason", []):
        form.add_error("reason", message)


@require_POST
def request_access(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Ask the record's lead agency for access, with a reason; audited, and the lead agency is told."""
    record = _restricted_after_post(request, cylch_id)
    if record.detail_allowed:
        return redirect("people:detail", record.person.cylch_id)
    form = AccessRequestForm(request.POST)
    if form.is_valid():
        try:
            access_request_create(
                user=practitioner_of(request), person=record.person, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your request has been sent. The agency leading on this record will decide."))
            return redirect("people:detail", record.person.cylch_id)
    return _restricted(request, record, request_form=form, status=400)


@require_POST
def break_glass_view(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Emergency access at once, with a reason; audited, time-limited, and the lead agency is told."""
    record = _restricted_after_post(request, cylch_id)
    if record.detail_allowed:
        return redirect("people:detail", record.person.cylch_id)
    form = BreakGlassForm(request.POST)
    if form.is_valid():
        try:
            grant = break_glass(
                user=practitioner_of(request), person=record.person, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            until = formats.date_format(timezone.localtime(grant.expires_at), "j F Y H:i") if grant.expires_at else ""
            messages.warning(
                request,
                _("You have emergency access to this record until %(until)s. The agency leading on it has been told.")
                % {"until": until},
            )
            return redirect("people:detail", record.person.cylch_id)
    return _restricted(request, record, glass_form=form, status=400)


def _subject_access(request: HttpRequest, cylch_id: str, fmt: str) -> dict[str, Any]:
    try:
        data = subject_access(user=practitioner_of(request), cylch_id=normalise(cylch_id), fmt=fmt, request=request)
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if data is None:
        raise PermissionDenied
    return data


@require_GET
def subject_access_json(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Everything held on one person, as JSON (information governance only)."""
    data = _subject_access(request, cylch_id, "json")
    content = exports.to_json(data)
    return _attachment(content, "application/json; charset=utf-8", data["person"]["cylch_id"], "subject-access", "json")


@require_GET
def subject_access_pdf(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Everything held on one person, as a PDF to send to them (information governance only)."""
    data = _subject_access(request, cylch_id, "pdf")
    pdf = exports.render_pdf(
        "people/exports/subject_access.html",
        {"data": data, "printed_by": practitioner_of(request), "printed_at": timezone.now()},
    )
    return _attachment(pdf, "application/pdf", data["person"]["cylch_id"], "subject-access", "pdf")
