"""The one function that decides which Person an incoming description of someone refers to.

Every intake path (a concern's subjects, an agency's source record, a FHIR Patient) calls
`person_link`. Candidates are found by indexed blocking and scored with the Fellegi–Sunter
model in `cylch.linkage.scoring` (parameters: `model/<CYLCH_LINKAGE_MODEL>.json`):

* a shared valid NHS number links outright (it is the national identifier);
* at or above the link threshold the record joins the best candidate automatically;
* between the thresholds the record gets its own *provisional* person at once (so the front
  door can act on it) and a `MatchReview` pairs it with each candidate in the band; accepting
  the review merges the provisional person into the candidate, rejecting it keeps both;
* below the review threshold the record gets a new person.

A likely twin (same birth date, different first name, no shared NHS number) is never joined;
a similar first name with the same birth date (unless one is a slip inside a name the model
knows) and two different birth dates always go to a person to decide.

Merges keep the survivor's Cylch ID, mark the other `merged_into` it (its ID keeps resolving)
and record exactly which rows moved, so `person_unmerge` puts them back. Source records are
never edited, only re-pointed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.audit.services import audit_write_record
from cylch.core.sql import quote, rows
from cylch.linkage.matching import (
    Candidate,
    candidate_ids,
    details_record,
    key_parts,
    keys_to_store,
    match_candidates,
    nhs_number_holders,
    person_records,
)
from cylch.linkage.models import BlockingKey, MatchReview, MergeDecision, MergeKind, ReviewStatus
from cylch.linkage.scoring import (
    Decision,
    Model,
    Score,
    clean_nhs_number,
    could_be_anyone_known,
    link_decision,
    load_model,
    score,
)
from cylch.people.models import NameKind, Person, PersonIdentifier, PersonName, Sex, SourceRecord
from cylch.people.services import person_create, source_record_create
from cylch.people.text import fold_name

MAX_REVIEWS_PER_RECORD = 3


@dataclass(frozen=True)
class PersonDetails:
    """What one agency knows about someone, as it recorded it (any field may be blank)."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: datetime.date | None = None
    sex: str = Sex.NOT_KNOWN
    nhs_number: str = ""
    postcode: str = ""
    address: str = ""
    is_unborn: bool = False
    expected_delivery_date: datetime.date | None = None
    identifiers: dict[str, str] = field(default_factory=dict)


class LinkOutcome(StrEnum):
    LINKED = "linked"
    NEW_PERSON = "new_person"
    NEEDS_REVIEW = "needs_review"


@dataclass(frozen=True)
class LinkResult:
    person: Person
    outcome: LinkOutcome
    source_record: SourceRecord
    probability: float | None = None
    reviews: tuple[MatchReview, ...] = ()


def _identifier_match(details: PersonDetails) -> Person | None:
    for kind, value in details.identifiers.items():
        identifier = (
            PersonIdentifier.objects.filter(kind=kind, value=value, person__merged_into__isnull=True)
            .select_related("person")
            .first()
        )
        if identifier is not None:
            return identifier.person
    return None


def _new_person(details: PersonDetails) -> Person:
    return person_create(
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=None if details.is_unborn else details.date_of_birth,
        sex=details.sex,
        nhs_number=clean_nhs_number(details.nhs_number),
        is_unborn=details.is_unborn,
        expected_delivery_date=details.expected_delivery_date if details.is_unborn else None,
    )


def _other_names(person: Person) -> list[tuple[str, str]]:
    """The person's other names, in plain SQL: read for every linked subject of every concern."""
    sql = f"SELECT given_name, family_name FROM {quote(PersonName._meta.db_table)} WHERE person_id = %s"  # noqa: S608
    return [(given, family) for given, family in rows(sql, [person.pk])]


def _enrich(person: Person, details: PersonDetails) -> None:
    """Fill what the person lacks from a linked record; an unborn child whose birth is reported is born."""
    changed: list[str] = []
    if person.is_unborn and details.date_of_birth and not details.is_unborn:
        person.is_unborn, person.date_of_birth = False, details.date_of_birth
        changed += ["is_unborn", "date_of_birth"]
    if not person.given_name and details.given_name:
        person.given_name = details.given_name
        changed += ["given_name", "given_name_key"]
    if not person.family_name and details.family_name:
        person.family_name = details.family_name
        changed += ["family_name", "family_name_key"]
    if person.sex == Sex.NOT_KNOWN and details.sex in {Sex.FEMALE, Sex.MALE}:
        person.sex = details.sex
        changed.append("sex")
    nhs = clean_nhs_number(details.nhs_number)
    if not person.nhs_number and nhs:
        person.nhs_number = nhs
        changed.append("nhs_number")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    known = {(fold_name(person.given_name), fold_name(person.family_name))}
    known |= {(fold_name(g), fold_name(f)) for g, f in _other_names(person)}
    name = (fold_name(details.given_name), fold_name(details.family_name))
    if all(name) and name not in known:
        # Another agency's spelling or a changed surname: searchable from now on.
        PersonName.objects.create(
            person=person, kind=NameKind.ALIAS, given_name=details.given_name, family_name=details.family_name
        )


def _review_create(*, person: Person, candidate: Person, match: Score, model: Model) -> MatchReview:
    return MatchReview.objects.create(
        person=person,
        candidate=candidate,
        probability=match.probability,
        match_weight=match.match_weight,
        evidence=[{"field": e.field, "level": e.level, "weight": e.weight} for e in match.evidence],
        model_version=model.version,
    )


def blocking_keys_create(*, record: SourceRecord, details: PersonDetails) -> None:
    keys = keys_to_store(key_parts(details))
    BlockingKey.objects.bulk_create(BlockingKey(key=k, person_id=record.person_id, source_record=record) for k in keys)


def _link_candidates(details: PersonDetails, model: Model) -> list[Candidate]:
    """Whom linking must score: the holders of the description's NHS number when anyone holds it (it links
    outright); nobody when the description could reach review against no one (say, an adult's common name
    alone: a new person either way); otherwise the blocking candidates."""
    holders = [c for c in nhs_number_holders(details=details, model=model) if c.score.level("nhs_number") == "exact"]
    if holders:
        return holders
    if not could_be_anyone_known(details_record(details), model):
        return []
    return match_candidates(details=details, model=model)


@transaction.atomic(savepoint=False)
def person_link(*, details: PersonDetails, agency: Agency, local_id: str) -> LinkResult:
    """Resolve `details` to a person (creating one if nobody matches) and keep the agency's copy.

    Inside a caller's transaction it is part of it, with no savepoint of its own: a caller that recovers
    from a failure here (e.g. `source_record_receive`) opens the savepoint it rolls back to."""
    model = load_model()
    reviews: list[MatchReview] = []
    probability: float | None = None
    person = _identifier_match(details)
    outcome = LinkOutcome.LINKED
    if person is None:
        candidates = _link_candidates(details, model)
        linkable = [c for c in candidates if link_decision(c.score, model) == Decision.LINK]
        # A shared valid NHS number is the national identifier: it links whatever else disagrees.
        by_nhs = [c for c in linkable if c.score.level("nhs_number") == "exact"]
        chosen = (by_nhs or linkable)[:1]
        probability = (chosen or candidates)[0].probability if candidates else None
        if chosen:
            person = chosen[0].person
        else:
            person = _new_person(details)
            in_band = [c for c in candidates if link_decision(c.score, model) == Decision.REVIEW]
            outcome = LinkOutcome.NEEDS_REVIEW if in_band else LinkOutcome.NEW_PERSON
            reviews = [
                _review_create(person=person, candidate=c.person, match=c.score, model=model)
                for c in in_band[:MAX_REVIEWS_PER_RECORD]
            ]
    if outcome == LinkOutcome.LINKED:
        _enrich(person, details)
    record = source_record_create(
        agency=agency,
        local_id=local_id,
        person=person,
        given_name=details.given_name,
        family_name=details.family_name,
        date_of_birth=details.date_of_birth,
        sex=details.sex,
        nhs_number=details.nhs_number,
        postcode=details.postcode,
        address=details.address,
        identifiers=details.identifiers,
    )
    for review in reviews:
        review.source_record = record
        review.save(update_fields=["source_record"])
    blocking_keys_create(record=record, details=details)
    audit_write_record(
        practitioner=None,
        person=person,
        action=AuditAction.LINK if outcome == LinkOutcome.LINKED else AuditAction.CREATE,
        page="person-link",
        details={
            "outcome": str(outcome),
            "agency": agency.pk,
            "local_id": local_id,
            "probability": None if probability is None else round(probability, 6),
            "model": model.version,
        },
    )
    return LinkResult(
        person=person, outcome=outcome, source_record=record, probability=probability, reviews=tuple(reviews)
    )


@dataclass(frozen=True)
class SourceRecordReceipt:
    """What an agency system is told about a record it sent: whose record it is now, and how it was linked."""

    source_record: SourceRecord
    outcome: LinkOutcome
    created: bool


def _outcome_when_linked(record: SourceRecord) -> LinkOutcome:
    """How `person_link` resolved `record`, from its audit entry (written with the record, so not before it)."""
    entry = (
        AccessLogEntry.objects.filter(
            at__gte=record.received_at,
            page="person-link",
            details__agency=record.agency_id,
            details__local_id=record.local_id,
        )
        .order_by("at")
        .values_list("details__outcome", flat=True)
        .first()
    )
    # A record loaded in bulk (the synthetic region) was filed under its person without a decision.
    return LinkOutcome(entry) if entry else LinkOutcome.LINKED


def source_record_receive(*, agency: Agency, local_id: str, details: PersonDetails) -> SourceRecordReceipt:
    """Keep a record an agency's system sends and link it as a concern's subject would be; a re-send changes nothing."""
    existing = SourceRecord.objects.filter(agency=agency, local_id=local_id).select_related("person").first()
    if existing is None:
        try:
            with transaction.atomic():
                result = person_link(details=details, agency=agency, local_id=local_id)
        except IntegrityError:  # the same record, sent twice at once: the first one stands
            existing = SourceRecord.objects.select_related("person").get(agency=agency, local_id=local_id)
        else:
            return SourceRecordReceipt(source_record=result.source_record, outcome=result.outcome, created=True)
    return SourceRecordReceipt(source_record=existing, outcome=_outcome_when_linked(existing), created=False)


# --- merging and unmerging ---

# Rows that record history about a person as they were, not facts about the person: never moved.
_NOT_MOVED = {AccessLogEntry, MatchReview, MergeDecision}


def _person_foreign_keys() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) with a foreign key to Person, including many-to-many link tables."""
    found = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not isinstance(rel, models.ForeignObjectRel) or rel.many_to_many:
            continue
        related = rel.related_model
        if not isinstance(related, type) or related in _NOT_MOVED or related is Person:
            continue
        found.append((related, rel.field.name))
    return found


def _move(model: type[models.Model], field_name: str, source: Person, target: Person, ids: list[int]) -> list[int]:
    """Re-point rows `ids` from `source` to `target`; rows that would break a constraint stay put."""
    manager = model._default_manager
    try:
        with transaction.atomic():
            manager.filter(pk__in=ids, **{field_name: source}).update(**{field_name: target})
        return ids
    except IntegrityError:
        moved = []
        for pk in ids:
            try:
                with transaction.atomic():
                    manager.filter(pk=pk, **{field_name: source}).update(**{field_name: target})
                moved.append(pk)
            except IntegrityError:
                continue
        return moved


def _check_decision(decided_by: Practitioner | None, reason: str, *, automatic: bool = False) -> None:
    """Only the matcher decides without a practitioner, and every decision says why."""
    if decided_by is None and not automatic:
        raise ValidationError(_("A practitioner must make this decision."))
    if not reason.strip():
        raise ValidationError(_("Give a reason."))


@transaction.atomic
def person_merge(
    *,
    survivor: Person,
    merged: Person,
    decided_by: Practitioner | None,
    reason: str,
    automatic: bool = False,
) -> MergeDecision:
    """`merged` becomes part of `survivor`: its rows move across and its Cylch ID redirects to the survivor's."""
    _check_decision(decided_by, reason, automatic=automatic)
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if survivor.pk == merged.pk:
        raise ValidationError(_("A person cannot be merged with themselves."))
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("Only current records can be merged."))
    moved: dict[str, list[int]] = {}
    for model, field_name in _person_foreign_keys():
        ids = list(model._default_manager.filter(**{field_name: merged}).values_list("pk", flat=True))
        if ids:
            moved[f"{model._meta.label}.{field_name}"] = _move(model, field_name, merged, survivor, ids)
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into", "updated_at"])
    decision = MergeDecision.objects.create(
        kind=MergeKind.MERGE,
        survivor=survivor,
        merged=merged,
        moved=moved,
        decided_by=decided_by,
        reason=reason,
        automatic=automatic,
    )
    for person in (survivor, merged):
        audit_write_record(
            practitioner=decided_by,
            person=person,
            action=AuditAction.MERGE,
            page="person-merge",
            reason=reason,
            details={"decision": decision.pk, "survivor": survivor.cylch_id, "merged": merged.cylch_id},
        )
    return decision


@transaction.atomic
def person_unmerge(*, decision: MergeDecision, decided_by: Practitioner, reason: str) -> MergeDecision:
    """Undo a merge: the rows that moved go back, and the merged person's Cylch ID is its own again.

    Only a practitioner undoes a merge: the matcher never splits people.
    """
    _check_decision(decided_by, reason)
    decision = MergeDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.kind != MergeKind.MERGE or hasattr(decision, "undone_by"):
        raise ValidationError(_("This merge has already been undone."))
    survivor = Person.objects.select_for_update().get(pk=decision.survivor_id)
    merged = Person.objects.select_for_update().get(pk=decision.merged_id)
    if survivor.merged_into_id is not None:
        raise ValidationError(_("Undo the later merge of the surviving record first."))
    models_by_label = {f"{m._meta.label}.{f}": (m, f) for m, f in _person_foreign_keys()}
    for label, ids in decision.moved.items():
        model, field_name = models_by_label[label]
        model._default_manager.filter(pk__in=ids, **{field_name: survivor}).update(**{field_name: merged})
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    undo = MergeDecision.objects.create(
        kind=MergeKind.UNMERGE,
        survivor=survivor,
        merged=merged,
        moved=decision.moved,
        decided_by=decided_by,
        reason=reason,
        undoes=decision,
    )
    for person in (survivor, merged):
        audit_write_record(
            practitioner=decided_by,
            person=person,
            action=AuditAction.UNMERGE,
            page="person-unmerge",
            reason=reason,
            details={"decision": undo.pk, "undoes": decision.pk},
        )
    return undo


# --- the match review queue ---


def _pending(review: MatchReview) -> MatchReview:
    review = MatchReview.objects.select_for_update().get(pk=review.pk)
    if review.status != ReviewStatus.PENDING:
        raise ValidationError(_("This match has already been decided."))
    return review


@transaction.atomic
def match_review_accept(*, review: MatchReview, decided_by: Practitioner, reason: str) -> MergeDecision:
    """The two are one person: the provisional person merges into the established candidate."""
    review = _pending(review)
    decision = person_merge(survivor=review.candidate, merged=review.person, decided_by=decided_by, reason=reason)
    review.status, review.decided_by, review.decided_at, review.reason = (
        ReviewStatus.ACCEPTED,
        decided_by,
        timezone.now(),
        reason,
    )
    review.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    # Other pending reviews of the provisional person are moot now it has joined someone.
    MatchReview.objects.filter(person=review.person, status=ReviewStatus.PENDING).update(
        status=ReviewStatus.REJECTED, decided_by=decided_by, decided_at=timezone.now(), reason=reason
    )
    return decision


@transaction.atomic
def match_review_reject(*, review: MatchReview, decided_by: Practitioner, reason: str) -> MatchReview:
    """The two are different people: both records stay as they are."""
    _check_decision(decided_by, reason)
    review = _pending(review)
    review.status, review.decided_by, review.decided_at, review.reason = (
        ReviewStatus.REJECTED,
        decided_by,
        timezone.now(),
        reason,
    )
    review.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit_write_record(
        practitioner=decided_by,
        person=review.person,
        action=AuditAction.UPDATE,
        page="match-review",
        reason=reason,
        details={"review": review.pk, "candidate": review.candidate.cylch_id, "decision": "different people"},
    )
    return review


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
        duplicate = next((other for s, other in scored if link_decision(s, model) == Decision.LINK), None)
        if duplicate is None:
            in_band = [(s, other) for s, other in scored if link_decision(s, model) == Decision.REVIEW]
            for s, other in in_band:
                _review_create(person=other, candidate=person, match=s, model=model)
            return merged, len(in_band)
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
