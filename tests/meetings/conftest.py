"""A small region for the meetings tests: children's services (chair, lead practitioner), police and health
practitioners, and two siblings the health visitors work with."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from cylch.accounts.models import Agency, AgencyKind, Practitioner, RoleCode
from cylch.meetings.models import Meeting
from cylch.meetings.services import InviteeSpec, meeting_convene
from cylch.people.models import Person
from tests.factories import AgencyFactory, InvolvementFactory, LocalAuthorityFactory, PersonFactory, PractitionerFactory


@dataclass
class Region:
    childrens: Agency
    police: Agency
    health: Agency
    chair: Practitioner
    lead: Practitioner
    front_door: Practitioner
    officer: Practitioner
    visitor: Practitioner
    outsider: Practitioner
    child: Person
    sibling: Person


@pytest.fixture
def region(db: None) -> Region:
    authority = LocalAuthorityFactory()
    childrens = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES, local_authority=authority, name="Children's services")
    police = AgencyFactory(kind=AgencyKind.POLICE, local_authority=authority, name="Police")
    health = AgencyFactory(kind=AgencyKind.HEALTH_VISITING, local_authority=authority, name="Health visiting")
    child, sibling = PersonFactory(), PersonFactory()
    visitor = PractitionerFactory(agency=health)
    for person in (child, sibling):
        InvolvementFactory(person=person, agency=health, practitioner=visitor)
    return Region(
        childrens=childrens,
        police=police,
        health=health,
        chair=PractitionerFactory(agency=childrens, roles=[RoleCode.LEAD_PRACTITIONER]),
        lead=PractitionerFactory(agency=childrens, roles=[RoleCode.LEAD_PRACTITIONER]),
        front_door=PractitionerFactory(agency=childrens, roles=[RoleCode.FRONT_DOOR]),
        officer=PractitionerFactory(agency=police),
        visitor=visitor,
        outsider=PractitionerFactory(agency=AgencyFactory(kind=AgencyKind.SCHOOL, local_authority=authority)),
        child=child,
        sibling=sibling,
    )


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def convene(
    region: Region,
    kind: str = "strategy_discussion",
    *,
    when: datetime.datetime | None = None,
    children: list[Person] | None = None,
    **kwargs: object,
) -> Meeting:
    """A meeting chaired by the region's chair, with the police officer and the health visitor invited."""
    return meeting_convene(
        user=region.front_door,
        kind=kind,
        held_at=when or days_ago(1),
        children=children or [region.child, region.sibling],
        chair=region.chair,
        lead_practitioner=region.lead,
        invitees=[
            InviteeSpec(agency=region.police, practitioner=region.officer, role="Investigating officer"),
            InviteeSpec(agency=region.health, practitioner=region.visitor, role="Named health visitor"),
        ],
        **kwargs,  # type: ignore[arg-type]
    )
