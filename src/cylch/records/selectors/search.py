"""Finding people by name, date of birth and NHS number: every person listed is logged."""

from __future__ import annotations

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from rapidfuzz.distance import JaroWinkler

from cylch.access.reads import disclose
from cylch.accounts.models import Practitioner
from cylch.audit.models import AuditAction
from cylch.people.models import (
    Person,
    PersonName,
)
from cylch.people.text import fold_name, phonetic_key
from cylch.people.validators import normalise_nhs_number

SEARCH_CANDIDATE_LIMIT = 2000
SEARCH_RESULT_LIMIT = 50
MINIMUM_NAME_SCORE = 0.75


# Audit reasons are stored as written (not translated), like the access bases they sit beside.
@dataclass(frozen=True)
class SearchResult:
    person: Person
    score: float
    detail_allowed: bool


def _name_score(query_given: str, query_family: str, given: str, family: str) -> float:
    """Jaro-Winkler similarity of the parts typed; a part not typed neither helps nor hurts. A single word is
    a family name or a first name, whichever it is closer to (as the candidates were found)."""
    if query_family and not query_given:
        return max(JaroWinkler.similarity(query_family, fold_name(name)) for name in (family, given))
    scores = []
    if query_family:
        scores.append(JaroWinkler.similarity(query_family, fold_name(family)))
    if query_given:
        scores.append(JaroWinkler.similarity(query_given, fold_name(given)))
    return sum(scores) / len(scores) if scores else 1.0


def _split_name(name: str) -> tuple[str, str]:
    """'Siân Jones' -> ('sian', 'jones'); a single word is taken as a family name."""
    words = fold_name(name).split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


def _dates_of_birth(day: datetime.date) -> list[datetime.date]:
    """The date typed and its day/month swap, the commonest recording error."""
    dates = [day]
    if day.day <= 12 and day.day != day.month:
        with contextlib.suppress(ValueError):
            dates.append(day.replace(month=day.day, day=day.month))
    return dates


def _name_candidates(people: QuerySet[Person], query_given: str, query_family: str) -> list[tuple[int, str, str]]:
    """(id, given name, family name) of the first SEARCH_CANDIDATE_LIMIT by name among `people` whose current
    or other names sound like the query, or whose family name starts like it.

    Each way is looked up through its own index: one OR across the join to other names made PostgreSQL read
    every person (about 300 ms on 1M people)."""
    family_key, given_key = phonetic_key(query_family), phonetic_key(query_given)
    ways: list[Q] = []
    if query_family:
        ways += [Q(family_name_key=family_key), Q(family_name__istartswith=query_family[:3])]
        ways.append(Q(other_names__family_name_key=family_key))
        if not query_given:
            ways += [Q(given_name_key=family_key), Q(other_names__given_name_key=family_key)]
    if query_given and not query_family:
        ways.append(Q(given_name_key=given_key))
    found: set[tuple[str, str, int]] = set()
    for way in ways:
        ordered = people.filter(way).order_by("family_name", "given_name", "pk")
        found.update(ordered.values_list("family_name", "given_name", "pk")[:SEARCH_CANDIDATE_LIMIT])
    return [(pk, given, family) for family, given, pk in sorted(found)[:SEARCH_CANDIDATE_LIMIT]]


def _searched_by(*, name: bool, date_of_birth: bool, nhs_number: bool) -> str:
    """What a search was by, for the audit "why": the kinds of term only, as the terms are personal data."""
    kinds = [
        kind for kind, typed in (("name", name), ("date of birth", date_of_birth), ("NHS number", nhs_number)) if typed
    ]
    return "search by " + (", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else "".join(kinds))


def person_search(
    *,
    user: Practitioner,
    name: str = "",
    date_of_birth: datetime.date | None = None,
    nhs_number: str = "",
    request: HttpRequest | None = None,
) -> list[SearchResult]:
    """Typo-tolerant search by name, date of birth and NHS number; every person listed is logged.

    Each entry's "why" is the access basis (or that only a restricted summary was listed) and what the
    search was by.
    """
    query_given, query_family = _split_name(name)
    people = Person.objects.filter(merged_into__isnull=True)
    if nhs_number:
        people = people.filter(nhs_number=normalise_nhs_number(nhs_number))
    if date_of_birth:
        people = people.filter(date_of_birth__in=_dates_of_birth(date_of_birth))
    # Scored on plain names; only the people listed are loaded whole (a common surname gives 2,000 candidates).
    if query_given or query_family:
        candidates = _name_candidates(people, query_given, query_family)
    elif nhs_number or date_of_birth:
        ordered = people.order_by("family_name", "given_name", "pk")
        candidates = list(ordered.values_list("pk", "given_name", "family_name")[:SEARCH_CANDIDATE_LIMIT])
    else:
        return []
    other_names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for person_id, given, family in PersonName.objects.filter(person_id__in=[c[0] for c in candidates]).values_list(
        "person_id", "given_name", "family_name"
    ):
        other_names[person_id].append((given, family))
    scored: list[tuple[float, str, str, int]] = []
    for pk, given_name, family_name in candidates:
        names = [(given_name, family_name), *other_names[pk]]
        score = max(_name_score(query_given, query_family, given, family) for given, family in names)
        if score >= MINIMUM_NAME_SCORE:
            scored.append((score, family_name, given_name, pk))
    scored.sort(key=lambda row: (-row[0], row[1], row[2], row[3]))
    loaded = Person.objects.in_bulk([pk for *_names, pk in scored[:SEARCH_RESULT_LIMIT]])
    shown = [loaded[pk] for *_names, pk in scored[:SEARCH_RESULT_LIMIT]]

    searched_by = _searched_by(
        name=bool(query_given or query_family), date_of_birth=date_of_birth is not None, nhs_number=bool(nhs_number)
    )
    allowed = disclose(
        user=user,
        people=shown,
        page="person-search",
        action=AuditAction.SEARCH,
        request=request,
        reasons=dict.fromkeys((p.pk for p in shown), searched_by),
    ).access
    scores = {pk: score for score, _family, _given, pk in scored[:SEARCH_RESULT_LIMIT]}
    return [SearchResult(person=p, score=scores[p.pk], detail_allowed=p.pk in allowed) for p in shown]
