"""Pages that change a person's record on the web (#14): a chronology event, households, relationships and
register or looked-after status. Each validates a form and calls one `cylch.feeds.services` function, the same
one agency systems' feeds go through; who may do what is in `cylch.records.selectors.changes`.

Refusals follow the record pages: an unknown Cylch ID is a 404, a change the practitioner may not make a 403
(logged as refused). Only the front door allocates a child to an agency (opens an involvement, which grants
detail access): a practitioner cannot give their own agency one, so request access and break glass stay their way in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cylch.accounts.models import Agency, Practitioner
from cylch.accounts.permissions import practitioner_of
from cylch.core.codes import normalise
from cylch.feeds import services
from cylch.people.models import HouseholdMembership, Person, Relationship, StatutoryStatus
from cylch.records import forms as f
from cylch.records.selectors.changes import (
    Permission,
    household_history,
    may_allocate,
    may_edit_household,
    may_record_event,
    may_record_status,
    person_for_change,
)

# Where a service names a field the form calls differently.
FORM_FIELD = {"occurred_at": "occurred_on", "relative": "relative", "person": "member"}


def _person(request: HttpRequest, cylch_id: str, page: str, permitted: Permission) -> Person:
    try:
        person = person_for_change(
            user=practitioner_of(request), cylch_id=normalise(cylch_id), page=page, permitted=permitted, request=request
        )
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if person is None:
        raise PermissionDenied
    return person


def _agency(user: Practitioner) -> Agency:
    if user.agency is None:
        raise PermissionDenied
    return user.agency


def _errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown as the form's own errors, against the field it names where the form has it."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    for name, found in by_field.items():
        target = FORM_FIELD.get(name, name)
        for message in found:
            form.add_error(target if target in form.fields else None, message)


def _form_page(
    request: HttpRequest,
    *,
    person: Person,
    form: forms.Form,
    save: Callable[[forms.Form], Any],
    title: Any,
    done: str,
    back: str,
    submit: Any,
    intro: Any = "",
) -> HttpResponse:
    """One GOV.UK question page: show the form, or save it through `save` and go to `done` with a message."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("Saved. It is on the record with your agency's name and today's date."))
            return redirect(done)
    context = {"person": person, "form": form, "title": title, "back": back, "submit": submit, "intro": intro}
    return render(request, "people/change.html", context, status=400 if form.is_bound and form.errors else 200)


def _detail_url(person: Person) -> str:
    return reverse("people:detail", args=[person.cylch_id])


def _household_url(person: Person) -> str:
    return reverse("people:household", args=[person.cylch_id])


@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Add an event to the chronology of a child the practitioner's agency works with."""
    user = practitioner_of(request)
    person = _person(request, cylch_id, "chronology-event-new", may_record_event)
    form = f.ChronologyEventForm(request.POST if request.method == "POST" else None)

    def save(form: forms.Form) -> Any:
        assert isinstance(form, f.ChronologyEventForm)  # noqa: S101 - narrows the type
        data = form.cleaned_data
        return services.chronology_event_record(
            person=person,
            agency=_agency(user),
            kind=data["kind"],
            occurred_at=form.occurred_at(),
            summary=data["summary"],
            details={"text": data["details"]} if data["details"] else None,
            sensitivity=data["sensitivity"],
            child_words=data["child_words"],
            recorded_by=user,
            request=request,
        )

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("Add an event to the chronology"),
        done=_detail_url(person) + "#chronology",
        back=_detail_url(person),
        submit=_("Add the event"),
    )


@require_GET
def household(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Where the person has lived and with whom, and their relationships, over time: the changes start here."""
    try:
        history = household_history(user=practitioner_of(request), cylch_id=normalise(cylch_id), request=request)
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if history is None:
        raise PermissionDenied
    return render(
        request,
        "people/household.html",
        {
            "person": history.person,
            "history": history,
            "may_record_status": may_record_status(practitioner_of(request), history.person),
        },
    )


@require_http_methods(["GET", "POST"])
def household_move(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Record a new address: the person moves in on a date; the address they leave ends that day."""
    user = practitioner_of(request)
    person = _person(request, cylch_id, "household-move", may_edit_household)
    form = f.AddressForm(request.POST if request.method == "POST" else None)

    def save(form: forms.Form) -> Any:
        return services.household_membership_record(
            person=person, agency=_agency(user), recorded_by=user, request=request, **form.cleaned_data
        )

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("Change address"),
        done=_household_url(person),
        back=_household_url(person),
        submit=_("Save the new address"),
    )


@require_http_methods(["GET", "POST"])
def household_member_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Someone moves in with the person, at the person's current address."""
    user = practitioner_of(request)
    person = _person(request, cylch_id, "household-member-new", may_edit_household)
    home = (
        HouseholdMembership.objects.filter(person=person, end_date__isnull=True)
        .select_related("household")
        .order_by("-start_date")
        .first()
    )
    if home is None:
        messages.warning(request, _("No current address is recorded: record one first."))
        return redirect("people:household-move", person.cylch_id)
    form = f.MemberForm(request.POST if request.method == "POST" else None)

    def save(form: forms.Form) -> Any:
        return services.household_membership_record(
            person=form.cleaned_data["member"],
            household=home.household,
            start_date=form.cleaned_data["start_date"],
            agency=_agency(user),
            recorded_by=user,
            request=request,
        )

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("Someone moved in"),
        intro=str(home.household),
        done=_household_url(person),
        back=_household_url(person),
        submit=_("Add to the household"),
    )


@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, cylch_id: str, pk: int) -> HttpResponse:
    """Record that someone moved out of one of the person's homes (the person, or someone living with them)."""
    user = practitioner_of(request)
    person = _person(request, cylch_id, "household-moved-out", may_edit_household)
    homes = HouseholdMembership.objects.filter(person=person).values("household_id")
    membership = get_object_or_404(
        HouseholdMembership.objects.select_related("person", "household"), pk=pk, household_id__in=homes
    )
    form = f.EndDateForm(request.POST if request.method == "POST" else None, label=_("Date they moved out"))

    def save(form: forms.Form) -> Any:
        return services.household_membership_end(
            membership=membership,
            end_date=form.cleaned_data["end_date"],
            agency=_agency(user),
            recorded_by=user,
            request=request,
        )

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("%(name)s moved out") % {"name": membership.person},
        intro=str(membership.household),
        done=_household_url(person),
        back=_household_url(person),
        submit=_("Record that they moved out"),
    )


@require_http_methods(["GET", "POST"])
def relationship_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    user = practitioner_of(request)
    person = _person(request, cylch_id, "relationship-new", may_edit_household)
    form = f.RelationshipForm(request.POST if request.method == "POST" else None)

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.relationship_record(
            person=person,
            relative=data["relative"],
            kind=data["kind"],
            start_date=data["start_date"],
            agency=_agency(user),
            recorded_by=user,
            request=request,
        )

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("Add a relationship"),
        done=_household_url(person),
        back=_household_url(person),
        submit=_("Add the relationship"),
    )


@require_http_methods(["GET", "POST"])
def relationship_end(request: HttpRequest, cylch_id: str, pk: int) -> HttpResponse:
    user = practitioner_of(request)
    person = _person(request, cylch_id, "relationship-end", may_edit_household)
    relationship = get_object_or_404(
        Relationship.objects.select_related("person", "relative"), Q(person=person) | Q(relative=person), pk=pk
    )
    form = f.EndDateForm(request.POST if request.method == "POST" else None, label=_("Date the relationship ended"))

    def save(form: forms.Form) -> Any:
        return services.relationship_end(
            relationship=relationship,
            end_date=form.cleaned_data["end_date"],
            agency=_agency(user),
            recorded_by=user,
            request=request,
        )

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("End a relationship"),
        intro=str(relationship),
        done=_household_url(person),
        back=_household_url(person),
        submit=_("Record the end"),
    )


@require_http_methods(["GET", "POST"])
def status_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The local authority places a child on the register (with a category) or records them as looked after."""
    user = practitioner_of(request)
    person = _person(request, cylch_id, "statutory-status-new", may_record_status)
    form = f.StatusForm(request.POST if request.method == "POST" else None)

    def save(form: forms.Form) -> Any:
        agency = _agency(user)
        return services.statutory_status_start(
            person=person,
            local_authority=agency.local_authority,
            agency=agency,
            recorded_by=user,
            request=request,
            **form.cleaned_data,
        )

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("Record the register or looked-after status"),
        done=_detail_url(person),
        back=_household_url(person),
        submit=_("Record it"),
    )


@require_http_methods(["GET", "POST"])
def status_end(request: HttpRequest, cylch_id: str, pk: int) -> HttpResponse:
    user = practitioner_of(request)
    person = _person(request, cylch_id, "statutory-status-end", may_record_status)
    status = get_object_or_404(StatutoryStatus, pk=pk, person=person, end_date__isnull=True)
    form = f.EndDateForm(request.POST if request.method == "POST" else None)

    def save(form: forms.Form) -> Any:
        return services.statutory_status_end(
            status=status,
            end_date=form.cleaned_data["end_date"],
            agency=_agency(user),
            recorded_by=user,
            request=request,
        )

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("End: %(status)s") % {"status": status.get_kind_display()},
        done=_detail_url(person),
        back=_household_url(person),
        submit=_("Record the end"),
    )


@require_http_methods(["GET", "POST"])
def allocation_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The front door allocates the child to an agency (and perhaps a team): that agency's work with them starts."""
    user = practitioner_of(request)
    person = _person(request, cylch_id, "allocation-new", may_allocate)
    form = f.AllocationForm(request.POST if request.method == "POST" else None)

    def save(form: forms.Form) -> Any:
        return services.involvement_open(person=person, opened_by=user, request=request, **form.cleaned_data)

    return _form_page(
        request,
        person=person,
        form=form,
        save=save,
        title=_("Allocate to an agency"),
        intro=_("The agency's practitioners will see this child's record from the start date."),
        done=_detail_url(person) + "#contacts",
        back=_detail_url(person),
        submit=_("Allocate"),
    )
