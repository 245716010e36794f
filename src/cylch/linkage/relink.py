"""Re-linking the whole index: every source record re-filed under its blocking keys, every person re-scored.

`cylch link --all` re-links everyone; a bulk load that files records without linking them (the synthetic
region) only rebuilds the blocking index. A record's blocking keys are a pure function of its values
(`indexed_values_keys`), so the migrations that re-key records after a change to name folding use it too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction

from cylch.linkage.matching import candidate_ids, each_record, key_parts, keys_to_store, person_records
from cylch.linkage.merging import person_merge
from cylch.linkage.models import BlockingKey, MatchReview, MergeDecision, MergeKind, ReviewStatus
from cylch.linkage.scoring import (
    CONTRADICTS_A_RECORD,
    Decision,
    MatchRecord,
    Model,
    contradicted,
    link_decision,
    load_model,
    score,
)
from cylch.linkage.services import PersonDetails, match_review_create
from cylch.people.models import Person, SourceRecord


def _copy_details(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None,
    sex: str,
    nhs_number: str,
    postcode: str,
    is_unborn: bool,
    expected_delivery_date: datetime.date | None,
) -> PersonDetails:
    """An agency's copy as the matcher reads it (an unborn person's records carry no birth date)."""
    return PersonDetails(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=None if is_unborn else date_of_birth,
        sex=sex,
        nhs_number=nhs_number,
        postcode=postcode,
        is_unborn=is_unborn,
        expected_delivery_date=expected_delivery_date,
    )


def _record_details(record: SourceRecord, person: Person) -> PersonDetails:
    return _copy_details(
        given_name=record.given_name,
        family_name=record.family_name,
        date_of_birth=record.date_of_birth,
        sex=record.sex,
        nhs_number=record.nhs_number,
        postcode=record.postcode,
        is_unborn=person.is_unborn,
        expected_delivery_date=person.expected_delivery_date,
    )


def _survivors() -> dict[int, int]:
    """Each merged person's current survivor, following chains of merges to their end."""
    merged_into = dict(Person.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
    survivors = {}
    for pk in merged_into:
        current, seen = pk, {pk}
        while current in merged_into and merged_into[current] not in seen:
            current = merged_into[current]
            seen.add(current)
        survivors[pk] = current
    return survivors


INDEXED_FIELDS = (
    "pk",
    "person_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "nhs_number",
    "postcode",
    "person__is_unborn",
    "person__expected_delivery_date",
)


def indexed_values_keys(values: tuple[Any, ...]) -> list[str]:
    """The blocking keys of one source record from its `INDEXED_FIELDS` values (a pure function, so the
    migrations that re-key records after a change to name folding use it too)."""
    _pk, _person_id, given, family, born, sex, nhs, postcode, is_unborn, expected = values
    details = _copy_details(
        given_name=given,
        family_name=family,
        date_of_birth=born,
        sex=sex,
        nhs_number=nhs,
        postcode=postcode,
        is_unborn=is_unborn,
        expected_delivery_date=expected,
    )
    return keys_to_store(key_parts(details))


def _blocking_rows(records: list[tuple[Any, ...]], survivors: dict[int, int]) -> Iterator[tuple[str, int, int]]:
    """(key, person, source record) for each of `records` (`INDEXED_FIELDS` values), filed under the
    person's current survivor."""
    for values in records:
        pk, person_id = values[0], values[1]
        owner = survivors.get(person_id, person_id)
        for key in indexed_values_keys(values):
            yield key, owner, pk


def _record_batches(size: int = 10_000) -> Iterator[list[tuple[Any, ...]]]:
    """Every source record's indexed values, a batch at a time by primary key (each batch read in full, so
    the connection is free to write between batches)."""
    after = 0
    while batch := list(SourceRecord.objects.filter(pk__gt=after).order_by("pk").values_list(*INDEXED_FIELDS)[:size]):
        yield batch
        after = batch[-1][0]


@transaction.atomic
def blocking_index_rebuild() -> int:
    """Re-file every source record under its blocking keys, in one transaction (matching never sees it empty).

    Reads plain values rather than model instances, and PostgreSQL takes the keys through COPY: a national
    rebuild touches millions of records."""
    BlockingKey.objects.all().delete()
    survivors = _survivors()
    count = 0
    for records in _record_batches():
        count += len(records)
        rows = _blocking_rows(records, survivors)
        if connection.vendor == "postgresql":
            copy_sql = f"COPY {BlockingKey._meta.db_table} (key, person_id, source_record_id) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            BlockingKey.objects.bulk_create(
                BlockingKey(key=key, person_id=person, source_record_id=record) for key, person, record in rows
            )
    return count


@dataclass(frozen=True)
class RelinkCounts:
    records: int
    people: int
    merged: int
    reviews: int


def _settled_or_queued(a: Person, b: Person) -> bool:
    """A person has decided these two (kept apart, or split a merge) or is about to: the matcher leaves them be."""
    pair = models.Q(person=a, candidate=b) | models.Q(person=b, candidate=a)
    if MatchReview.objects.filter(pair).exclude(status=ReviewStatus.ACCEPTED).exists():
        return True
    split = models.Q(survivor=a, merged=b) | models.Q(survivor=b, merged=a)
    return MergeDecision.objects.filter(split, kind=MergeKind.UNMERGE).exists()


def _later_candidates(person: Person) -> list[int]:
    """Candidates created after `person`, so each pair is scored once and the older record survives."""
    details = [_record_details(r, person) for r in person.source_records.all()]
    details.append(
        PersonDetails(
            given_name=person.given_name,
            family_name=person.family_name,
            date_of_birth=person.date_of_birth,
            sex=person.sex,
            nhs_number=person.nhs_number,
            is_unborn=person.is_unborn,
            expected_delivery_date=person.expected_delivery_date,
        )
    )
    return sorted({pk for d in details for pk in candidate_ids(d) if pk > person.pk})


@transaction.atomic
def _any_contradicted(own: list[MatchRecord], other: Person, model: Model) -> bool:
    """Whether any record of `other` contradicts any of `own`: merging them would chain two people together."""
    theirs = each_record(other.pk)
    return any(contradicted(record, theirs, model) for record in own)


@transaction.atomic
def _person_relink(*, person_id: int, model: Model) -> tuple[int, int] | None:
    """Merge `person_id`'s later duplicates into it and queue reviews: (merged, reviews); None if merged away."""
    merged = 0
    while found := person_records([person_id]):
        person, record = found[person_id]
        scored = [
            (score(record, other_record, model), other)
            for other, other_record in person_records(_later_candidates(person)).values()
            if not _settled_or_queued(person, other)
        ]
        # As in person_link: a shared NHS number first, then the strongest evidence.
        scored.sort(key=lambda pair: (pair[0].level("nhs_number") != "exact", -pair[0].match_weight, pair[1].pk))
        linkable = [other for s, other in scored if link_decision(s, model) == Decision.LINK]
        own, conflicting, duplicate = each_record(person.pk), [], None
        for other in linkable:
            if not _any_contradicted(own, other, model):
                duplicate = other
                break
            conflicting.append(other)
        if duplicate is None:
            queued = [(s, other, CONTRADICTS_A_RECORD) for s, other in scored if other in conflicting] + [
                (s, other, s.guard) for s, other in scored if link_decision(s, model) == Decision.REVIEW
            ]
            for s, other, guard in queued:
                match_review_create(person=other, candidate=person, match=s, model=model, guard=guard)
            return merged, len(queued)
        person_merge(
            survivor=person,
            merged=duplicate,
            decided_by=None,
            reason=f"Re-linked by model {model.version}",
            automatic=True,
        )
        merged += 1
    return None


def person_index_relink(*, model: Model | None = None) -> RelinkCounts:
    """`cylch link --all`: re-file every record, then re-score every current person against later candidates.

    Above the link threshold the later person merges into the earlier automatically; between the
    thresholds a review is queued. Likely twins and pairs a practitioner kept apart are left alone.
    Each person is re-linked in its own transaction, so a long run can be stopped and run again.
    """
    model = model or load_model()
    records = blocking_index_rebuild()
    people = merged = reviews = 0
    ids = list(Person.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", flat=True))
    for person_id in ids:
        counts = _person_relink(person_id=person_id, model=model)
        if counts is not None:
            people += 1
            merged += counts[0]
            reviews += counts[1]
    return RelinkCounts(records=records, people=people, merged=merged, reviews=reviews)
