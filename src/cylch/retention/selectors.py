"""Which people's records are due for destruction, and under which rule.

Records about a child are kept for a set period from the child's birth (DOMAIN.md: until the 25th birthday;
longer for a child who was ever looked after). `CYLCH_RETENTION_YEARS` sets the years per rule. A family's
records go together: someone past their own period is kept while they are related to, or have lived in a
household with, anyone who is not (a parent's record outlives neither their children's nor their partner's).
People without a date of birth (unborn, or an adult known only by name) are never due by age.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q

from cylch.people.models import HouseholdMembership, Person, Relationship, StatusKind, StatutoryStatus

CHILD = "child"
LOOKED_AFTER = "looked_after"
DEFAULT_YEARS = {CHILD: 25, LOOKED_AFTER: 75}


def retention_years() -> dict[str, int]:
    return {**DEFAULT_YEARS, **getattr(settings, "CYLCH_RETENTION_YEARS", {})}


def _birthday(born: datetime.date, years: int) -> datetime.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February: the birthday falls on 1 March in a common year
        return datetime.date(born.year + years, 3, 1)


def _family(ids: set[int]) -> dict[int, set[int]]:
    """Each person's relatives and everyone who ever shared a household with them."""
    linked: dict[int, set[int]] = {pk: set() for pk in ids}
    relationships = Relationship.objects.filter(Q(person_id__in=ids) | Q(relative_id__in=ids))
    for person_id, relative_id in relationships.values_list("person_id", "relative_id"):
        linked.setdefault(person_id, set()).add(relative_id)
        linked.setdefault(relative_id, set()).add(person_id)
    households = HouseholdMembership.objects.filter(person_id__in=ids).values("household_id")
    members: dict[int, set[int]] = {}
    for household_id, person_id in HouseholdMembership.objects.filter(household_id__in=households).values_list(
        "household_id", "person_id"
    ):
        members.setdefault(household_id, set()).add(person_id)
    for together in members.values():
        for person_id in together:
            linked.setdefault(person_id, set()).update(together - {person_id})
    return linked


def _kept_with_family(past: set[int]) -> set[int]:
    """Drop anyone linked to someone not past their period, until nobody else drops out."""
    family = _family(past)
    due = set(past)
    while True:
        kept = {pk for pk in due if family.get(pk, set()) - due}
        if not kept:
            return due
        due -= kept


def retention_due(*, today: datetime.date) -> dict[str, set[int]]:
    """The ids of the people whose records are due for destruction, by the rule that made them due."""
    years = retention_years()
    looked_after = set(StatutoryStatus.objects.filter(kind=StatusKind.LOOKED_AFTER).values_list("person_id", flat=True))
    born_by = _birthday(today, -min(years.values()))  # nobody born later is past any rule's period
    candidates = Person.objects.filter(
        destroyed_at__isnull=True, merged_into__isnull=True, date_of_birth__lte=born_by
    ).values_list("pk", "date_of_birth")
    past: dict[int, str] = {}
    for pk, born in candidates:
        assert born is not None  # noqa: S101 - filtered above
        rule = LOOKED_AFTER if pk in looked_after else CHILD
        if _birthday(born, years[rule]) <= today:
            past[pk] = rule
    due = _kept_with_family(set(past))
    by_rule: dict[str, set[int]] = {rule: set() for rule in years}
    for pk in due:
        by_rule[past[pk]].add(pk)
    return by_rule
