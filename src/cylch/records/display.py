"""Wording for the person page that the models do not hold: relationships read from either side."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency
from cylch.concerns.agency_history import AgencyPeriod
from cylch.core.templatetags.govuk import localised_name
from cylch.people.models import (
    HouseholdMembership,
    Person,
    Relationship,
    RelationshipKind,
    StatusKind,
    StatutoryStatus,
)
from cylch.records.genogram import Genogram, genogram_people, genogram_svg
from cylch.records.selectors.family import FamilyRecord
from cylch.records.selectors.person import PersonRecord

# A Relationship row says "relative is the <kind> of person"; seen from the relative's page it reads the other way.
INVERSE_KIND: dict[str, Promise] = {
    RelationshipKind.PARENT: _("Child"),
    RelationshipKind.STEP_PARENT: _("Stepchild"),
    RelationshipKind.PARTNER_OF_PARENT: _("Child of their partner"),
    RelationshipKind.SIBLING: _("Sibling"),
    RelationshipKind.HALF_SIBLING: _("Half-sibling"),
    RelationshipKind.GRANDPARENT: _("Grandchild"),
    RelationshipKind.KINSHIP_CARER: _("Child in their kinship care"),
    RelationshipKind.FOSTER_CARER: _("Child in their foster care"),
    RelationshipKind.PARTNER: _("Partner"),
    RelationshipKind.OTHER: _("Other"),
}


@dataclass(frozen=True)
class RelativeRow:
    """One line of the relationships table: who, and what they are to the person on the page."""

    other: Person
    description: str | Promise
    relationship: Relationship
    # False when the reader may not open the relative's record: the row gives their age band, not their birth date.
    allowed: bool = True


def relative_rows(record: PersonRecord) -> list[RelativeRow]:
    rows = describe_relationships(record.relationships)
    return [
        RelativeRow(row.other, row.description, row.relationship, allowed=row.other.pk in record.others_allowed)
        for row in rows
    ]


def describe_relationships(relationships: list[tuple[str, Person, Relationship]]) -> list[RelativeRow]:
    """Each relationship worded from the side of the person on the page, oldest relative first."""
    rows = []
    for side, other, rel in relationships:
        if side == "relative":
            description: str | Promise = rel.get_kind_display()
        else:
            description = INVERSE_KIND.get(rel.kind, rel.get_kind_display())
        rows.append(RelativeRow(other=other, description=description, relationship=rel))
    rows.sort(key=lambda row: (row.other.date_of_birth is None, row.other.date_of_birth, row.other.pk))
    return rows


def relationship_to(rows: list[RelativeRow]) -> dict[int, str | Promise]:
    """Person id -> how they relate to the person on the page (for the household members list)."""
    return {row.other.pk: row.description for row in rows}


@dataclass(frozen=True)
class HouseholdMember:
    """Someone else living at the address: their date of birth only if the reader may open their record, and the
    agencies ever involved with them either way."""

    membership: HouseholdMembership
    description: str | Promise | None
    allowed: bool = True
    agencies: list[AgencyPeriod] = field(default_factory=list)


@dataclass(frozen=True)
class CurrentHousehold:
    """Where the person lives now, and who else lives there (with how they are related, when known)."""

    membership: HouseholdMembership
    members: list[HouseholdMember]


def current_households(record: PersonRecord, rows: list[RelativeRow]) -> list[CurrentHousehold]:
    related = relationship_to(rows)
    return [
        CurrentHousehold(
            membership=membership,
            members=[
                HouseholdMember(
                    membership=m,
                    description=related.get(m.person_id),
                    allowed=m.person_id in record.others_allowed,
                    agencies=record.others_history.get(m.person_id, []),
                )
                for m in record.household_members.get(membership.household_id, [])
            ],
        )
        for membership in record.current_memberships
    ]


@dataclass(frozen=True)
class StatusFlag:
    """A register or looked-after period in force, with the responsible authority's children's services to call."""

    status: StatutoryStatus
    contacts: list[Agency]


def status_flags(record: PersonRecord) -> list[StatusFlag]:
    """What every reader of the record sees first, with or without detail access (as CP-IS shows clinicians)."""
    return [
        StatusFlag(status=status, contacts=record.authority_contacts.get(status.local_authority_id, []))
        for status in record.statuses_in_force
    ]


@dataclass(frozen=True)
class Flags:
    """What a practitioner must see first: register, looked after, and which agencies are involved."""

    register: list[StatutoryStatus]
    looked_after: list[StatutoryStatus]
    agencies: list[str]
    agencies_before: list[AgencyPeriod] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.register or self.looked_after)


def flags(record: PersonRecord) -> Flags:
    statuses = record.statuses_in_force
    seen: dict[int, str] = {}
    for contact in record.contacts:
        seen.setdefault(contact.agency.pk, localised_name(contact.agency))
    return Flags(
        register=[s for s in statuses if s.kind == StatusKind.CHILD_PROTECTION_REGISTER],
        looked_after=[s for s in statuses if s.kind == StatusKind.LOOKED_AFTER],
        agencies=list(seen.values()),
        agencies_before=[period for period in record.agency_history if not period.current],
    )


def genogram_for(record: PersonRecord | FamilyRecord) -> Genogram:
    """The genogram of the child on the page (their own or the whole-family view), from the same relationships."""
    household_people = record.household_people
    relationships = record.family_relationships or [rel for _side, _other, rel in record.relationships]
    allowed = record.allowed if isinstance(record, FamilyRecord) else record.others_allowed
    people, links = genogram_people(
        subject=record.person,
        relationships=relationships,
        household_ids={p.pk for p in household_people},
        household_people=household_people,
        today=timezone.localdate(),
        detail_ids=allowed,
    )
    return genogram_svg(people, links)
