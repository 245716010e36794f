"""Finding and scoring candidate people for an incoming description: reads only, no side effects.

Candidates come from indexed blocking: the `BlockingKey` index of every agency record already
linked (NHS number; date of birth, including its day/month swap, with the sound of either name;
both names' sounds; postcode with date of birth or either name's sound; an unborn child's expected
month with surname or postcode) and, for people created outside linkage, the Person table's own
indexes. Each candidate is then scored with the Fellegi–Sunter model against everything known
about them (every agency's spelling, previous names, every address).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection

from cylch.core.sql import any_of, first_column, quote, rows
from cylch.linkage.models import BlockingKey
from cylch.linkage.names import clean_given_name
from cylch.linkage.scoring import (
    MatchRecord,
    Model,
    Score,
    clean_family_name,
    clean_nhs_number,
    clean_postcode,
    day_month_swap,
    load_model,
    match_record,
    score,
)
from cylch.people.models import Household, HouseholdMembership, Person, PersonName, SourceRecord
from cylch.people.text import phonetic_key

if TYPE_CHECKING:
    from cylch.linkage.services import PersonDetails

# Candidates scored per lookup, best first by how many different blocking keys they share: scoring is the cost of
# a match. On 1M people the true person is among the first 10 for every benchmark query (bench/match reports how
# often it is found and ranked first); 20 leaves room for a crowd of namesakes.
CANDIDATE_LIMIT = 20
UNBORN_MONTHS_EITHER_SIDE = 2


def details_record(details: PersonDetails) -> MatchRecord:
    return match_record(
        given_names=[details.given_name],
        family_names=[details.family_name],
        dates_of_birth=[None if details.is_unborn else details.date_of_birth],
        expected_delivery_dates=[details.expected_delivery_date if details.is_unborn else None],
        sexes=[details.sex],
        nhs_numbers=[details.nhs_number],
        postcodes=[details.postcode],
    )


def _month(day: datetime.date, offset: int) -> str:
    index = day.year * 12 + day.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class KeyParts:
    nhs: str
    given_key: str
    family_key: str
    postcode: str
    date_of_birth: datetime.date | None
    expected_delivery_date: datetime.date | None


def key_parts(details: PersonDetails) -> KeyParts:
    return KeyParts(
        nhs=clean_nhs_number(details.nhs_number),
        given_key=phonetic_key(clean_given_name(details.given_name)),
        family_key=phonetic_key(clean_family_name(details.family_name)),
        postcode=clean_postcode(details.postcode).replace(" ", ""),
        date_of_birth=None if details.is_unborn else details.date_of_birth,
        expected_delivery_date=details.expected_delivery_date if details.is_unborn else None,
    )


def _dob_keys(parts: KeyParts, day: datetime.date) -> list[str]:
    keys = []
    if parts.family_key:
        keys.append(f"df:{day}:{parts.family_key}")
    if parts.given_key:
        keys.append(f"dg:{day}:{parts.given_key}")
    if parts.postcode:
        keys.append(f"pd:{parts.postcode}:{day}")
    return keys


def _unborn_keys(parts: KeyParts, month: str) -> list[str]:
    keys = []
    if parts.family_key:
        keys.append(f"ef:{month}:{parts.family_key}")
    if parts.postcode:
        keys.append(f"ep:{month}:{parts.postcode}")
    return keys


def _shared_keys(parts: KeyParts) -> list[str]:
    keys = []
    if parts.nhs:
        keys.append(f"n:{parts.nhs}")
    if parts.given_key and parts.family_key:
        keys.append(f"gf:{parts.given_key}:{parts.family_key}")
    if parts.postcode and parts.given_key:
        keys.append(f"pg:{parts.postcode}:{parts.given_key}")
    if parts.postcode and parts.family_key:
        keys.append(f"pf:{parts.postcode}:{parts.family_key}")
    return keys


def keys_to_store(parts: KeyParts) -> list[str]:
    """The keys one linked record is filed under."""
    keys = _shared_keys(parts)
    if parts.date_of_birth:
        keys += _dob_keys(parts, parts.date_of_birth)
    if parts.expected_delivery_date:
        keys += _unborn_keys(parts, _month(parts.expected_delivery_date, 0))
    return keys


def keys_to_look_up(parts: KeyParts) -> list[str]:
    """The keys under which a matching record could have been filed (day/month swaps, unborn months)."""
    keys = _shared_keys(parts)
    if parts.date_of_birth:
        for day in filter(None, (parts.date_of_birth, day_month_swap(parts.date_of_birth))):
            keys += _dob_keys(parts, day)
    near = parts.date_of_birth or parts.expected_delivery_date
    if near:  # a born child may be the unborn child a midwife registered; an unborn one may be registered twice
        for offset in range(-UNBORN_MONTHS_EITHER_SIDE, UNBORN_MONTHS_EITHER_SIDE + 1):
            keys += _unborn_keys(parts, _month(near, offset))
    return keys


def _person_table_where(parts: KeyParts) -> tuple[str, list[object]] | None:
    """The Person table's own indexes, for people created without going through linkage: a WHERE clause."""
    terms: list[str] = []
    params: list[object] = []
    if parts.nhs:
        terms.append("nhs_number = %s")
        params.append(parts.nhs)
    if parts.date_of_birth:
        dates = [
            connection.ops.adapt_datefield_value(d)
            for d in (parts.date_of_birth, day_month_swap(parts.date_of_birth))
            if d
        ]
        for column, key in (("family_name_key", parts.family_key), ("given_name_key", parts.given_key)):
            if key:
                born, born_params = any_of("date_of_birth", dates)
                terms.append(f"({born} AND {column} = %s)")
                params += [*born_params, key]
    if parts.given_key and parts.family_key:
        terms.append("(family_name_key = %s AND given_name_key = %s)")
        params += [parts.family_key, parts.given_key]
    if not terms:
        return None
    return " OR ".join(terms), params


def candidate_ids(details: PersonDetails) -> list[int]:
    """Whom to score for `details`, in plain SQL (`cylch.core.sql`): this runs for every subject of every concern."""
    parts = key_parts(details)
    # The people agreeing on the most blocking keys first: a common surname alone must not flood the scorer.
    # Distinct keys, not rows: a person filed by five agencies under one shared surname key agrees on one key,
    # and must not outrank someone agreeing on name, birth date and postcode.
    keys = keys_to_look_up(parts)
    ids: set[int] = set()
    if keys:
        key = quote("key")
        filed, params = any_of(key, keys)
        ids |= set(
            first_column(
                f"SELECT person_id FROM {quote(BlockingKey._meta.db_table)} WHERE {filed} "  # noqa: S608
                f"GROUP BY person_id ORDER BY COUNT(DISTINCT {key}) DESC, person_id LIMIT %s",
                [*params, CANDIDATE_LIMIT],
            )
        )
    direct = _person_table_where(parts)
    room = CANDIDATE_LIMIT - len(ids)
    if direct is not None and room > 0:
        where, params = direct
        taken, taken_params = any_of("id", sorted(ids))
        ids |= set(
            first_column(
                f"SELECT id FROM {quote(Person._meta.db_table)} WHERE ({where}) "  # noqa: S608
                f"AND merged_into_id IS NULL AND NOT ({taken}) LIMIT %s",
                [*params, *taken_params, room],
            )
        )
    return sorted(ids)


@dataclass(frozen=True)
class CandidateLists:
    """Whom `candidate_ids` finds for one description, by where it found them: the blocking index's, best first,
    with how many distinct keys each shares, then the Person table's own."""

    blocking: list[tuple[int, int]]
    direct: list[int]

    @property
    def ids(self) -> list[int]:
        return sorted({pk for pk, _shared in self.blocking} | set(self.direct))


def candidate_ids_each(described: Sequence[PersonDetails]) -> list[CandidateLists]:
    """`candidate_ids` of many descriptions (a bulk file's new people) in two queries, each as it finds them:
    the blocking index ranked per description by a window over the same grouping, then the Person table's own
    indexes for the room each has left, one sub-select each."""
    parts = [key_parts(d) for d in described]
    blocking: list[list[tuple[int, int]]] = [[] for _ in parts]
    wanted = [(n, k) for n, p in enumerate(parts) for k in dict.fromkeys(keys_to_look_up(p))]
    if wanted:
        key = quote("key")
        values = ", ".join(["(%s, %s)"] * len(wanted))
        sql = (
            f"WITH wanted (n, k) AS (VALUES {values}) SELECT n, person_id, shared FROM ("  # noqa: S608
            f"SELECT w.n, b.person_id, COUNT(DISTINCT b.{key}) AS shared, ROW_NUMBER() OVER (PARTITION BY w.n "
            f"ORDER BY COUNT(DISTINCT b.{key}) DESC, b.person_id) AS r "
            f"FROM wanted w JOIN {quote(BlockingKey._meta.db_table)} b ON b.{key} = w.k "
            f"GROUP BY w.n, b.person_id) ranked WHERE r <= %s ORDER BY n, r"
        )
        for n, person_id, shared in rows(sql, [*(v for pair in wanted for v in pair), CANDIDATE_LIMIT]):
            blocking[n].append((person_id, shared))
    direct: list[list[int]] = [[] for _ in parts]
    selects: list[str] = []
    params: list[object] = []
    for n, p in enumerate(parts):
        where_terms = _person_table_where(p)
        room = CANDIDATE_LIMIT - len(blocking[n])
        if where_terms is None or room <= 0:
            continue
        where, where_params = where_terms
        taken, taken_params = any_of("id", sorted(pk for pk, _shared in blocking[n]))
        selects.append(
            f"SELECT * FROM (SELECT %s AS n, id FROM {quote(Person._meta.db_table)} WHERE ({where}) "  # noqa: S608
            f"AND merged_into_id IS NULL AND NOT ({taken}) LIMIT %s) AS t{n}"
        )
        params += [n, *where_params, *taken_params, room]
    if selects:
        for n, person_id in rows(" UNION ALL ".join(selects), params):
            direct[n].append(person_id)
    return [CandidateLists(b, d) for b, d in zip(blocking, direct, strict=True)]


def _as_date(value: object) -> datetime.date | None:
    """A date from a plain-SQL row: SQLite hands back the stored ISO text, PostgreSQL a date."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value if isinstance(value, datetime.date) else None


def _other_values(person_ids: list[int]) -> list[tuple[Any, ...]]:
    """Every agency's copy, every other name and every household postcode of these people, in one query.

    Plain SQL because this runs twice per submitted concern: one UNION ALL costs a fraction of three ORM
    queries' compilation. Columns: person, given name, family name, date of birth, sex, NHS number, postcode.
    """
    records, names = quote(SourceRecord._meta.db_table), quote(PersonName._meta.db_table)
    memberships, households = quote(HouseholdMembership._meta.db_table), quote(Household._meta.db_table)
    whose, params = any_of("person_id", person_ids)
    member, member_params = any_of("m.person_id", person_ids)
    sql = (
        f"SELECT person_id, given_name, family_name, date_of_birth, sex, nhs_number, postcode FROM {records} "  # noqa: S608
        f"WHERE {whose} "
        f"UNION ALL SELECT person_id, given_name, family_name, NULL, '', '', '' FROM {names} WHERE {whose} "
        f"UNION ALL SELECT m.person_id, '', '', NULL, '', '', h.postcode FROM {memberships} m "
        f"JOIN {households} h ON h.id = m.household_id WHERE {member}"
    )
    return rows(sql, [*params, *params, *member_params])


def person_records(person_ids: Iterable[int]) -> dict[int, tuple[Person, MatchRecord]]:
    """Everything linkage knows about each (unmerged) person, as a MatchRecord, in two queries."""
    ids = list(person_ids)
    if not ids:
        return {}
    wanted, params = any_of("id", ids)
    sql = f"SELECT * FROM {quote(Person._meta.db_table)} WHERE {wanted} AND merged_into_id IS NULL"  # noqa: S608
    people = {p.pk: p for p in Person.objects.raw(sql, params)}
    if not people:
        return {}
    values: dict[int, dict[str, list[object]]] = defaultdict(lambda: defaultdict(list))
    for p in people.values():
        v = values[p.pk]
        v["given"].append(p.given_name)
        v["middle"].append(p.middle_names)
        v["family"].append(p.family_name)
        v["dob"].append(p.date_of_birth)
        v["edd"].append(p.expected_delivery_date if p.is_unborn else None)
        v["sex"].append(p.sex)
        v["nhs"].append(p.nhs_number)
    for person_id, given, family, born, sex, nhs, postcode in _other_values(list(people)):
        v = values[person_id]
        v["given"].append(given)
        v["family"].append(family)
        v["dob"].append(None if people[person_id].is_unborn else _as_date(born))
        v["sex"].append(sex)
        v["nhs"].append(nhs)
        v["postcode"].append(postcode)
    return {
        pk: (
            people[pk],
            match_record(
                given_names=v["given"],  # type: ignore[arg-type]
                middle_names=v["middle"],  # type: ignore[arg-type]
                family_names=v["family"],  # type: ignore[arg-type]
                dates_of_birth=v["dob"],  # type: ignore[arg-type]
                expected_delivery_dates=v["edd"],  # type: ignore[arg-type]
                sexes=v["sex"],  # type: ignore[arg-type]
                nhs_numbers=v["nhs"],  # type: ignore[arg-type]
                postcodes=v["postcode"],  # type: ignore[arg-type]
            ),
        )
        for pk, v in values.items()
    }


def each_record(person_id: int) -> list[MatchRecord]:
    """The person's own row and every agency's copy, each on its own: what a newcomer must not contradict.

    `person_records` pools them, which is right for scoring (a match on any agency's spelling counts) and wrong
    for deciding whether someone else entirely has been chained in.
    """
    records, people = quote(SourceRecord._meta.db_table), quote(Person._meta.db_table)
    sql = (
        f"SELECT given_name, '', family_name, date_of_birth, sex, nhs_number, postcode FROM {records} "  # noqa: S608
        f"WHERE person_id = %s UNION ALL SELECT given_name, middle_names, family_name, date_of_birth, sex, "
        f"nhs_number, '' FROM {people} WHERE id = %s"
    )
    return [
        match_record(
            given_names=[given],
            middle_names=[middle],
            family_names=[family],
            dates_of_birth=[_as_date(born)],
            sexes=[sex],
            nhs_numbers=[nhs],
            postcodes=[postcode],
        )
        for given, middle, family, born, sex, nhs, postcode in rows(sql, [person_id, person_id])
    ]


@dataclass(frozen=True)
class Candidate:
    person: Person
    score: Score

    @property
    def probability(self) -> float:
        return 0.0 if self.score.guard == "possible_twin" else self.score.probability


def scored_candidates(details: PersonDetails, person_ids: Iterable[int], model: Model) -> list[Candidate]:
    """These people scored against `details`, most probable first."""
    return candidates_scored(details, person_records(person_ids).values(), model)


def candidates_scored(
    details: PersonDetails, found: Iterable[tuple[Person, MatchRecord]], model: Model
) -> list[Candidate]:
    """People already read with `person_records` scored against `details`, most probable first."""
    incoming = details_record(details)
    candidates = [Candidate(person=person, score=score(incoming, record, model)) for person, record in found]
    candidates.sort(key=lambda c: (-c.probability, -c.score.match_weight, c.person.pk))
    return candidates


def match_candidates(*, details: PersonDetails, model: Model | None = None) -> list[Candidate]:
    """Scored candidates for `details`, most probable first. Reads only."""
    return scored_candidates(details, candidate_ids(details), model or load_model())


def nhs_number_holders(*, details: PersonDetails, model: Model | None = None) -> list[Candidate]:
    """Everyone on record under the description's NHS number (on any agency's copy), scored, most probable
    first. A shared valid NHS number links outright, so when someone holds it nobody else needs scoring."""
    nhs = clean_nhs_number(details.nhs_number)
    ids = nhs_number_holder_ids([nhs]).get(nhs) if nhs else None
    if not ids:
        return []
    return scored_candidates(details, ids, model or load_model())


def nhs_number_holder_ids(numbers: Collection[str]) -> dict[str, set[int]]:
    """Whom `nhs_number_holders` would read for each of these cleaned NHS numbers (any agency's copy filed under
    it, or a person holding it), in one query; a number nobody holds is absent."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    filed, filed_params = any_of(quote("key"), [f"n:{nhs}" for nhs in wanted])
    held, held_params = any_of("nhs_number", wanted)
    sql = (
        f"SELECT {quote('key')}, person_id FROM {quote(BlockingKey._meta.db_table)} WHERE {filed} "  # noqa: S608
        f"UNION SELECT 'n:' || nhs_number, id FROM {quote(Person._meta.db_table)} "
        f"WHERE {held} AND merged_into_id IS NULL"
    )
    holders: dict[str, set[int]] = defaultdict(set)
    for key, person_id in rows(sql, [*filed_params, *held_params]):
        holders[key.removeprefix("n:")].add(person_id)
    return dict(holders)


def household_people(person_ids: Iterable[int]) -> set[int]:
    """Everyone who lives or has lived in a household with any of these people (themselves excluded)."""
    ids = list(person_ids)
    homes = HouseholdMembership.objects.filter(person_id__in=ids).values("household_id")
    return set(
        HouseholdMembership.objects.filter(household_id__in=homes)
        .exclude(person_id__in=ids)
        .values_list("person_id", flat=True)
    )
