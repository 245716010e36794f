"""Pages that change a person's record on the web (#14): a chronology event, households, relationships,
register or looked-after status, the front door's allocations and the settling of agencies' disagreements. Each
validates a form and calls one `cylch.feeds.services` function, the same one agency systems' feeds go through;
who may do what is in `cylch.records.selectors.changes`.

Every change page is the same GOV.UK question page (`people/change.html`) run by `_change_page`: a view names
who may open it, the form, the one service call and where to go next. Refusals follow the record pages: an
unknown Cylch ID is a 404, a change the practitioner may not make a 403 (logged as refused). Only the front door
allocates a child to an agency or ends an allocation (an involvement, which grants detail access): a practitioner
cannot give their own agency one, so request access and break glass stay their way in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from cylch.access.rule import active_involvements
from cylch.accounts.models import Agency, Practitioner
from cylch.accounts.permissions import practitioner_of
from cylch.core.codes import normalise
from cylch.core.templatetags.govuk import localised_name
from cylch.feeds import services
from cylch.feeds.models import AccountStands
from cylch.feeds.selectors import disagreement_for_resolving
from cylch.people.models import HouseholdMembership, Involvement, Person, Relationship, StatutoryStatus
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


class ResolutionForm(forms.Form):
    stands = forms.ChoiceField(
        label=_("Whose account stands?"),
        choices=AccountStands.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whose account stands."),
            "invalid_choice": _("Select whose account stands."),
        },
    )
    resolution = forms.CharField(
        label=_("How was it resolved?"),
        help_text=_("For example, who you checked with and what they said."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say how the disagreement was resolved.")},
    )


class AllocationChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Each of the child's current allocations by its agency, team, role and start."""

    def label_from_instance(self, obj: Any) -> str:
        involvement: Involvement = obj
        since = _("since %(date)s") % {"date": date_format(involvement.start_date)}
        team = involvement.team.name if involvement.team else ""
        parts = [localised_name(involvement.agency), team, involvement.role, str(since)]
        return ", ".join(part for part in parts if part)


class AllocationEndForm(forms.Form):
    involvement = AllocationChoiceField(
        label=_("Which agency's work with the child ends?"),
        queryset=Involvement.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Select the allocation."), "invalid_choice": _("Select the allocation.")},
    )
    end_date = f.EndDateForm.base_fields["end_date"]

    def __init__(self, *args: Any, involvements: QuerySet[Involvement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["involvement"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = involvements
        self.fields["end_date"].label = _("Last day of the agency's work with the child")


@dataclass
class Changer:
    """Who is changing whose record, read through the audited path."""

    user: Practitioner
    person: Person
    request: HttpRequest

    @property
    def agency(self) -> Agency:
        if self.user.agency is None:
            raise PermissionDenied
        return self.user.agency

    def by(self) -> dict[str, Any]:
        """The provenance every feeds service takes: the practitioner's agency, the practitioner, the request."""
        return {"agency": self.agency, "recorded_by": self.user, "request": self.request}


def _changer(request: HttpRequest, cylch_id: str, page: str, permitted: Permission) -> Changer:
    user = practitioner_of(request)
    try:
        person = person_for_change(
            user=user, cylch_id=normalise(cylch_id), page=page, permitted=permitted, request=request
        )
    except Person.DoesNotExist:
        raise Http404(_("No one has this Cylch ID")) from None
    if person is None:
        raise PermissionDenied
    return Changer(user=user, person=person, request=request)


def _errors_onto(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal shown as the form's own errors, against the field it names where the form has it."""
    by_field = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    for name, found in by_field.items():
        target = FORM_FIELD.get(name, name)
        for message in found:
            form.add_error(target if target in form.fields else None, message)


@dataclass
class Page:
    """What one change page asks and where it goes; the rest is the same for every page."""

    title: Any
    submit: Any
    done: str
    back: str
    intro: Any = ""
    # A template shown above the form (e.g. both accounts of a disagreement), with `extra` as its context.
    intro_template: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _change_page(
    changer: Changer,
    form_class: type[forms.Form],
    save: Callable[[Any], Any],
    page: Page,
    **form_kwargs: Any,
) -> HttpResponse:
    """One GOV.UK question page: show the form, or save it through `save` (given the valid form) and go to
    `page.done` with a message; a service's refusal comes back as the form's errors (400)."""
    request = changer.request
    form = form_class(request.POST if request.method == "POST" else None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("Saved. It is on the record with your agency's name and today's date."))
            return redirect(page.done)
    context = {"person": changer.person, "form": form, "page": page, **page.extra}
    return render(request, "people/change.html", context, status=400 if form.is_bound and form.errors else 200)


def _detail_url(person: Person) -> str:
    return reverse("people:detail", args=[person.cylch_id])


def _household_url(person: Person) -> str:
    return reverse("people:household", args=[person.cylch_id])


@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Add an event to the chronology of a child the practitioner's agency works with."""
    changer = _changer(request, cylch_id, "chronology-event-new", may_record_event)
    person = changer.person

    def save(form: f.ChronologyEventForm) -> Any:
        data = form.cleaned_data
        return services.chronology_event_record(
            person=person,
            kind=data["kind"],
            occurred_at=form.occurred_at(),
            summary=data["summary"],
            details={"text": data["details"]} if data["details"] else None,
            sensitivity=data["sensitivity"],
            child_words=data["child_words"],
            **changer.by(),
        )

    page = Page(
        title=_("Add an event to the chronology"),
        submit=_("Add the event"),
        done=_detail_url(person) + "#chronology",
        back=_detail_url(person),
    )
    return _change_page(changer, f.ChronologyEventForm, save, page)


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
    changer = _changer(request, cylch_id, "household-move", may_edit_household)

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.household_membership_record(person=changer.person, **data, **changer.by())

    back = _household_url(changer.person)
    page = Page(title=_("Change address"), submit=_("Save the new address"), done=back, back=back)
    return _change_page(changer, f.AddressForm, save, page)


@require_http_methods(["GET", "POST"])
def household_member_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """Someone moves in with the person, at the person's current address."""
    changer = _changer(request, cylch_id, "household-member-new", may_edit_household)
    home = (
        HouseholdMembership.objects.filter(person=changer.person, end_date__isnull=True)
        .select_related("household")
        .order_by("-start_date")
        .first()
    )
    if home is None:
        messages.warning(request, _("No current address is recorded: record one first."))
        return redirect("people:household-move", changer.person.cylch_id)

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.household_membership_record(
            person=data["member"], household=home.household, start_date=data["start_date"], **changer.by()
        )

    back = _household_url(changer.person)
    page = Page(
        title=_("Someone moved in"), submit=_("Add to the household"), done=back, back=back, intro=str(home.household)
    )
    return _change_page(changer, f.MemberForm, save, page)


@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, cylch_id: str, pk: int) -> HttpResponse:
    """Record that someone moved out of one of the person's homes (the person, or someone living with them)."""
    changer = _changer(request, cylch_id, "household-moved-out", may_edit_household)
    homes = HouseholdMembership.objects.filter(person=changer.person).values("household_id")
    membership = get_object_or_404(
        HouseholdMembership.objects.select_related("person", "household"), pk=pk, household_id__in=homes
    )

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.household_membership_end(membership=membership, end_date=data["end_date"], **changer.by())

    back = _household_url(changer.person)
    page = Page(
        title=_("%(name)s moved out") % {"name": membership.person},
        submit=_("Record that they moved out"),
        done=back,
        back=back,
        intro=str(membership.household),
    )
    return _change_page(changer, f.EndDateForm, save, page, label=_("Date they moved out"))


@require_http_methods(["GET", "POST"])
def relationship_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    changer = _changer(request, cylch_id, "relationship-new", may_edit_household)

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.relationship_record(person=changer.person, **data, **changer.by())

    back = _household_url(changer.person)
    page = Page(title=_("Add a relationship"), submit=_("Add the relationship"), done=back, back=back)
    return _change_page(changer, f.RelationshipForm, save, page)


@require_http_methods(["GET", "POST"])
def relationship_end(request: HttpRequest, cylch_id: str, pk: int) -> HttpResponse:
    changer = _changer(request, cylch_id, "relationship-end", may_edit_household)
    person = changer.person
    relationship = get_object_or_404(
        Relationship.objects.select_related("person", "relative"), Q(person=person) | Q(relative=person), pk=pk
    )

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.relationship_end(relationship=relationship, end_date=data["end_date"], **changer.by())

    back = _household_url(person)
    page = Page(
        title=_("End a relationship"), submit=_("Record the end"), done=back, back=back, intro=str(relationship)
    )
    return _change_page(changer, f.EndDateForm, save, page, label=_("Date the relationship ended"))


@require_http_methods(["GET", "POST"])
def status_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The local authority places a child on the register (with a category) or records them as looked after."""
    changer = _changer(request, cylch_id, "statutory-status-new", may_record_status)

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.statutory_status_start(
            person=changer.person, local_authority=changer.agency.local_authority, **data, **changer.by()
        )

    page = Page(
        title=_("Record the register or looked-after status"),
        submit=_("Record it"),
        done=_detail_url(changer.person),
        back=_household_url(changer.person),
    )
    return _change_page(changer, f.StatusForm, save, page)


@require_http_methods(["GET", "POST"])
def status_end(request: HttpRequest, cylch_id: str, pk: int) -> HttpResponse:
    changer = _changer(request, cylch_id, "statutory-status-end", may_record_status)
    status = get_object_or_404(StatutoryStatus, pk=pk, person=changer.person, end_date__isnull=True)

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.statutory_status_end(status=status, end_date=data["end_date"], **changer.by())

    page = Page(
        title=_("End: %(status)s") % {"status": status.get_kind_display()},
        submit=_("Record the end"),
        done=_detail_url(changer.person),
        back=_household_url(changer.person),
    )
    return _change_page(changer, f.EndDateForm, save, page)


@require_http_methods(["GET", "POST"])
def allocation_new(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The front door allocates the child to an agency (and perhaps a team): that agency's work with them starts."""
    changer = _changer(request, cylch_id, "allocation-new", may_allocate)

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.involvement_open(person=changer.person, opened_by=changer.user, request=request, **data)

    page = Page(
        title=_("Allocate to an agency"),
        submit=_("Allocate"),
        done=_detail_url(changer.person) + "#contacts",
        back=_detail_url(changer.person),
        intro=_("The agency's practitioners will see this child's record from the start date."),
    )
    return _change_page(changer, f.AllocationForm, save, page)


@require_http_methods(["GET", "POST"])
def allocation_end(request: HttpRequest, cylch_id: str) -> HttpResponse:
    """The front door ends an agency's work with the child: after the last day, it no longer grants detail."""
    changer = _changer(request, cylch_id, "allocation-end", may_allocate)
    current = active_involvements().filter(person=changer.person).select_related("agency", "team", "practitioner")

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.involvement_close(
            involvement=data["involvement"], end_date=data["end_date"], closed_by=changer.user, request=request
        )

    page = Page(
        title=_("End an agency's allocation"),
        submit=_("End the allocation"),
        done=_detail_url(changer.person) + "#contacts",
        back=_detail_url(changer.person),
        intro=_("Its practitioners keep seeing the record until the end of the last day, then need to ask for access."),
    )
    return _change_page(changer, AllocationEndForm, save, page, involvements=current)


@require_http_methods(["GET", "POST"])
def disagreement_resolve(request: HttpRequest, cylch_id: str, about: str, pk: int) -> HttpResponse:
    """The lead practitioner or the front door settles a disagreement between agencies: whose account stands, and
    why; the record follows it (`cylch.feeds.services.disagreements`)."""
    changer = _changer(request, cylch_id, "disagreement-resolve", may_edit_household)
    disagreement = disagreement_for_resolving(user=changer.user, person=changer.person, about=about, pk=pk)
    if disagreement is None:
        raise Http404(_("No open disagreement has this number"))

    def save(form: forms.Form) -> Any:
        data = form.cleaned_data
        return services.disagreement_resolve(
            disagreement=disagreement, resolved_by=changer.user, request=request, **data
        )

    back = _household_url(changer.person) + "#disagreements"
    page = Page(
        title=_("Resolve a disagreement between agencies"),
        submit=_("Resolve it"),
        done=back,
        back=back,
        intro_template="feeds/disagreement.html",
        extra={"disagreement": disagreement, "about": about},
    )
    return _change_page(changer, ResolutionForm, save, page)
