"""Every person a page or API response shows is in that person's access log, for every role.

One family (a child known to agency A, her mother, a sibling and a lodger in the household, a grandmother
living elsewhere), two concerns, a near-duplicate record in the match-review queue and a pending access
request. Each role, with and without agency A's involvement, calls every endpoint that shows people. A person
is "shown" when their Cylch ID or full name is in the response (HTML, CSV or JSON body, or an export's file
name); each one shown must have an access-log entry for the caller written by that very request. A read that
is refused must leave a "refused" entry for the caller.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from cylch.access.models import AccessGrant
from cylch.access.services import access_request_create, break_glass
from cylch.accounts.models import RoleCode
from cylch.audit.models import AccessLogEntry, AccessOutcome
from cylch.concerns.models import Concern, InformationRequest
from cylch.linkage.models import MatchReview
from cylch.people.models import Person, RelationshipKind
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    ConcernFactory,
    ConcernSubjectFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    PersonFactory,
    PractitionerFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db

ALL_ROLES = list(RoleCode)


@dataclass
class Family:
    agency: object
    people: dict[str, Person]  # label -> person, for failure messages
    concern: Concern
    earlier_concern: Concern
    information_request: InformationRequest
    glass: AccessGrant

    @property
    def child(self) -> Person:
        return self.people["child"]


@pytest.fixture
def family() -> Family:
    agency = AgencyFactory(name="Ysgol Gynradd Llanfair")
    child = PersonFactory(
        given_name="Branwen", family_name="Quarrington", date_of_birth=datetime.date(2015, 2, 3), nhs_number=""
    )
    mother = PersonFactory(
        given_name="Morwenna", family_name="Quarrington", date_of_birth=datetime.date(1988, 7, 9), nhs_number=""
    )
    sibling = PersonFactory(
        given_name="Taliesin", family_name="Quarrington", date_of_birth=datetime.date(2012, 11, 20), nhs_number=""
    )
    lodger = PersonFactory(
        given_name="Ignatius", family_name="Fothergill", date_of_birth=datetime.date(1979, 4, 1), nhs_number=""
    )
    grandmother = PersonFactory(
        given_name="Gwenllian", family_name="Prothero", date_of_birth=datetime.date(1960, 1, 15), nhs_number=""
    )
    # A near-duplicate of the child waiting in the match-review queue.
    duplicate = PersonFactory(
        given_name="Branwenn", family_name="Quarrington", date_of_birth=datetime.date(2015, 2, 3), nhs_number=""
    )

    InvolvementFactory(person=child, agency=agency)
    ChronologyEventFactory(person=child, agency=agency, summary="Home visit: Branwen seen with her mother.")
    ChronologyEventFactory(person=sibling, agency=agency, summary="Home visit: Taliesin seen at home.")

    RelationshipFactory(person=child, relative=mother, kind=RelationshipKind.PARENT)
    RelationshipFactory(person=sibling, relative=mother, kind=RelationshipKind.PARENT)
    RelationshipFactory(person=child, relative=sibling, kind=RelationshipKind.SIBLING)
    RelationshipFactory(person=child, relative=grandmother, kind=RelationshipKind.GRANDPARENT)

    home = HouseholdFactory()
    for member in (child, mother, sibling, lodger):
        HouseholdMembershipFactory(household=home, person=member)
    HouseholdMembershipFactory(household=HouseholdFactory(), person=grandmother)

    concern = ConcernSubjectFactory(
        person=child, concern=ConcernFactory(what_happened="Bruises on both arms at drop-off")
    ).concern
    ConcernSubjectFactory(concern=concern, person=mother, role="household_member", relationship="Mother")
    earlier = ConcernSubjectFactory(
        person=sibling,
        concern=ConcernFactory(
            what_happened="Came to school hungry",
            received_at=concern.received_at - datetime.timedelta(days=200),
        ),
    ).concern

    MatchReview.objects.create(
        person=duplicate, candidate=child, probability=0.6, match_weight=1.0, evidence=[], model_version="v2"
    )
    outsider = PractitionerFactory(roles=[RoleCode.AGENCY_PRACTITIONER], agency=AgencyFactory())
    access_request_create(user=outsider, person=child, reason="New school needs the safeguarding file")
    glass = break_glass(user=outsider, person=child, reason="Out of hours at the emergency department")
    information_request = InformationRequest.objects.create(
        concern=concern,
        agency=agency,
        question="When was Branwen last seen?",
        due_on=datetime.date(2026, 1, 5),
        requested_by=PractitionerFactory(roles=[RoleCode.FRONT_DOOR]),
    )

    return Family(
        agency=agency,
        people={
            "child": child,
            "mother": mother,
            "sibling": sibling,
            "lodger": lodger,
            "grandmother": grandmother,
            "near-duplicate": duplicate,
        },
        concern=concern,
        earlier_concern=earlier,
        information_request=information_request,
        glass=glass,
    )


def _endpoints(family: Family) -> list[tuple[str, str, str, dict | None]]:
    """(label, method, path, data) for every endpoint that shows people; `api` paths go through APIClient."""
    child, ref = family.child.cylch_id, family.concern.reference
    return [
        ("person page", "get", f"/people/{child}/", None),
        ("family page", "get", f"/people/{child}/family/", None),
        ("chronology.csv", "get", f"/people/{child}/chronology.csv", None),
        ("family chronology.csv", "get", f"/people/{child}/family/chronology.csv", None),
        ("search", "get", "/people/search/", {"name": "Branwen Quarrington"}),
        ("home (caseload)", "get", "/", None),
        ("concern page", "get", f"/concerns/{ref}/", None),
        ("earlier concern page", "get", f"/concerns/{family.earlier_concern.reference}/", None),
        ("my concerns", "get", "/concerns/mine/", None),
        ("front-door queue", "get", "/front-door/", None),
        ("person API", "api-get", f"/api/v1/persons/{child}", None),
        (
            "match API",
            "api-post",
            "/api/v1/persons/match",
            {"given_name": "Branwen", "family_name": "Quarrington", "date_of_birth": "2015-02-03"},
        ),
        ("concern API", "api-get", f"/api/v1/concerns/{ref}", None),
        ("concern list API", "api-get", "/api/v1/concerns", None),
        ("access log", "get", f"/people/{child}/access-log/", None),
        ("subject access", "get", f"/people/{child}/subject-access.json", None),
        ("match-review queue", "get", "/linkage/reviews/", None),
        ("access requests", "get", "/access-requests/", None),
        ("information requests", "get", "/information-requests/", None),
        ("information request", "get", f"/information-requests/{family.information_request.pk}/", None),
        ("access reviews", "get", "/access-reviews/", None),
        ("access review", "get", f"/access-reviews/{family.glass.pk}/", None),
        ("households page", "get", f"/people/{child}/household/", None),
        ("add an event", "get", f"/people/{child}/events/new/", None),
        ("record a status", "get", f"/people/{child}/statuses/new/", None),
    ]


# Endpoints about one record or one concern: a refusal there is a refused read and must be logged as one.
# (Role-gated lists such as the match-review queue refuse before reading anyone, so name no one.)
RECORD_ENDPOINTS = {
    "person page",
    "family page",
    "chronology.csv",
    "family chronology.csv",
    "concern page",
    "earlier concern page",
    "person API",
    "concern API",
    "access log",
    "subject access",
    "households page",
    "information request",
    "access review",
    "add an event",
    "record a status",
}


def _user(role: RoleCode, family: Family, involved: bool):
    return PractitionerFactory(roles=[role], agency=family.agency if involved else AgencyFactory())


def _shown(body: str, family: Family) -> list[str]:
    return [label for label, person in family.people.items() if person.cylch_id in body or person.full_name in body]


@pytest.mark.parametrize("involved", [True, False], ids=["involved", "not-involved"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_person_shown_is_in_their_access_log(family, role, involved):
    user = _user(role, family, involved)
    # The sibling's earlier concern was raised by this user, so "my concerns" and the referrer's basis are covered.
    Concern.objects.filter(pk=family.earlier_concern.pk).update(referrer=user, referrer_agency=user.agency)
    web = Client()
    web.force_login(user)
    api = APIClient()
    api.force_authenticate(user)

    failures: list[str] = []
    shown_anywhere: set[str] = set()
    for label, method, path, data in _endpoints(family):
        last = AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if method == "get":
            response = web.get(path, data or {})
        elif method == "api-get":
            response = api.get(path)
        else:
            response = api.post(path, data, format="json")
        written = AccessLogEntry.objects.filter(pk__gt=last, practitioner=user)
        where = f"{label} ({method.upper()} {path}) as {role.value}/{'involved' if involved else 'not-involved'}"

        if response.status_code == 200:
            # An export names its person in the file name (the chronology CSV has no name column).
            body = response.content.decode() + response.get("Content-Disposition", "")
            logged = set(written.exclude(person=None).values_list("person_id", flat=True))
            for person_label in _shown(body, family):
                shown_anywhere.add(person_label)
                if family.people[person_label].pk not in logged:
                    failures.append(f"{where}: shows the {person_label} without logging them")
        elif response.status_code in (403, 404) and label in RECORD_ENDPOINTS:
            if not written.filter(outcome=AccessOutcome.REFUSED).exists():
                failures.append(f"{where}: refused ({response.status_code}) without a refused entry")
        elif response.status_code not in (302, 403, 404):
            failures.append(f"{where}: unexpected status {response.status_code}")

    assert not failures, "\n".join(failures)
    # The test is only as good as its detection: the child is shown to everyone (search, person API).
    assert "child" in shown_anywhere


def test_a_refused_concern_read_is_logged_as_refused(family):
    """An unrelated practitioner gets 404 on the page and 403 from the API, and both probes leave a trace."""
    user = _user(RoleCode.AGENCY_PRACTITIONER, family, involved=False)
    web = Client()
    web.force_login(user)
    api = APIClient()
    api.force_authenticate(user)

    assert web.get(f"/concerns/{family.concern.reference}/").status_code == 404
    assert AccessLogEntry.objects.filter(practitioner=user, outcome=AccessOutcome.REFUSED).count() == 1
    assert api.get(f"/api/v1/concerns/{family.concern.reference}").status_code == 403
    assert AccessLogEntry.objects.filter(practitioner=user, outcome=AccessOutcome.REFUSED).count() == 2
    # Refusing names no one: the subjects' logs say nothing about a read that showed them nothing.
    assert not AccessLogEntry.objects.filter(practitioner=user, person__in=family.people.values()).exclude(
        outcome=AccessOutcome.REFUSED
    )
