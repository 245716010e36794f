"""Resolving a Cylch ID to the record that holds the person now (merges redirect), without showing anyone.

Pages that show a person go through `cylch.access.reads`; this only finds which row a Cylch ID means.
"""

from __future__ import annotations

from cylch.people.models import Person

MAX_MERGE_HOPS = 20


def person_resolve(*, cylch_id: str) -> Person:
    """The current person a Cylch ID refers to: a merged person's ID redirects to the survivor's record."""
    person = Person.objects.get(cylch_id=cylch_id)
    for _ in range(MAX_MERGE_HOPS):
        if person.merged_into_id is None:
            return person
        person = Person.objects.get(pk=person.merged_into_id)
    raise Person.DoesNotExist(cylch_id)


def person_merged_away(person: Person) -> list[Person]:
    """Every record merged into `person`, directly or through an earlier merge (their IDs now redirect here)."""
    found: list[Person] = []
    frontier = [person.pk]
    for _ in range(MAX_MERGE_HOPS):
        merged = list(Person.objects.filter(merged_into_id__in=frontier).order_by("pk"))
        if not merged:
            break
        found += merged
        frontier = [p.pk for p in merged]
    return found
