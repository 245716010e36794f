"""The one function that decides which Person an incoming description of someone refers to.

Every intake path (a concern's subjects, an agency's source record, a FHIR Patient) calls
`person_link`. Candidates are found by indexed blocking and scored with the Fellegi–Sunter
model in `cylch.linkage.scoring` (parameters: `model/v1.json`):

* a shared valid NHS number links outright (it is the national identifier);
* at or above the link threshold the record joins the best candidate automatically;
* between the thresholds the record gets its own *provisional* person at once (so the front
  door can act on it) and a `MatchReview` pairs it with each candidate in the band; accepting
  the review merges the provisional person into the candidate, rejecting it keeps both;
* below the review threshold the record gets a new person.

A likely twin (same birth date, different first name, no shared NHS number) is never joined,
and a similar first name with the same birth date always goes to a person to decide.

Merges keep the survivor's Cylch ID, mark the other `merged_into` it (its ID keeps resolving)
and record exactly which rows moved, so `person_unmerge` puts them back. Source records are
never edited, only re-pointed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.audit.services import audit_write_record
from cylch.linkage.matching import Candidate, key_parts, keys_to_store, match_candidates
from cylch.linkage.models import BlockingKey, MatchReview, MergeDecision, MergeKind, ReviewStatus
from cylch.linkage.scoring import clean_nhs_number, load_model
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
    known |= {(fold_name(g), fold_name(f)) for g, f in person.other_names.values_list("given_name", "family_name")}
    name = (fold_name(details.given_name), fold_name(details.family_name))
    if all(name) and name not in known:
        # Another agency's spelling or a changed surname: searchable from now on.
        PersonName.objects.create(
            person=person, kind=NameKind.ALIAS, given_name=details.given_name, family_name=details.family_name
        )


def _evidence(candidate: Candidate) -> list[dict[str, Any]]:
    return [{"field": e.field, "level": e.level, "weight": e.weight} for e in candidate.score.evidence]


def blocking_keys_create(*, record: SourceRecord, details: PersonDetails) -> None:
    keys = keys_to_store(key_parts(details))
    BlockingKey.objects.bulk_create(BlockingKey(key=k, person_id=record.person_id, source_record=record) for k in keys)


@transaction.atomic
def person_link(*, details: PersonDetails, agency: Agency, local_id: str) -> LinkResult:
    """Resolve `details` to a person (creating one if nobody matches) and keep the agency's copy."""
    model = load_model()
    reviews: list[MatchReview] = []
    probability: float | None = None
    person = _identifier_match(details)
    outcome = LinkOutcome.LINKED
    candidates: list[Candidate] = []
    if person is None:
        candidates = match_candidates(details=details, model=model)
        # A shared valid NHS number is the national identifier: it links whatever else disagrees.
        by_nhs = [c for c in candidates if c.score.level("nhs_number") == "exact"]
        best = by_nhs[0] if by_nhs else (candidates[0] if candidates else None)
        probability = best.probability if best else None
        if best and (
            best in by_nhs
            or (best.probability >= model.link_threshold and best.score.guard != "similar_name_same_birth_date")
        ):
            person = best.person
        else:
            person = _new_person(details)
            in_band = [c for c in candidates if c.probability >= model.review_threshold][:MAX_REVIEWS_PER_RECORD]
            outcome = LinkOutcome.NEEDS_REVIEW if in_band else LinkOutcome.NEW_PERSON
            reviews = [
                MatchReview.objects.create(
                    person=person,
                    candidate=c.person,
                    probability=c.probability,
                    match_weight=c.score.match_weight,
                    evidence=_evidence(c),
                    model_version=model.version,
                )
                for c in in_band
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


def _check_practitioner(decided_by: Practitioner | None, reason: str) -> None:
    if not reason.strip():
        raise ValidationError("Give a reason.")


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
    _check_practitioner(decided_by, reason)
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if survivor.pk == merged.pk:
        raise ValidationError("A person cannot be merged with themselves.")
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError("Only current records can be merged.")
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
def person_unmerge(*, decision: MergeDecision, decided_by: Practitioner | None, reason: str) -> MergeDecision:
    """Undo a merge: the rows that moved go back, and the merged person's Cylch ID is its own again."""
    _check_practitioner(decided_by, reason)
    decision = MergeDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.kind != MergeKind.MERGE or hasattr(decision, "undone_by"):
        raise ValidationError("This merge has already been undone.")
    survivor = Person.objects.select_for_update().get(pk=decision.survivor_id)
    merged = Person.objects.select_for_update().get(pk=decision.merged_id)
    if survivor.merged_into_id is not None:
        raise ValidationError("Undo the later merge of the surviving record first.")
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
        raise ValidationError("This match has already been decided.")
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
    _check_practitioner(decided_by, reason)
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


def blocking_index_rebuild() -> int:
    """Re-file every source record under its blocking keys (after a model or key change): `cylch link --all`."""
    count = 0
    with transaction.atomic():
        BlockingKey.objects.all().delete()
    batch: list[BlockingKey] = []
    people = dict(Person.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id"))
    for record in SourceRecord.objects.select_related("person").order_by("pk").iterator(chunk_size=5000):
        person = record.person
        details = PersonDetails(
            given_name=record.given_name,
            family_name=record.family_name,
            date_of_birth=None if person.is_unborn else record.date_of_birth,
            nhs_number=record.nhs_number,
            postcode=record.postcode,
            is_unborn=person.is_unborn,
            expected_delivery_date=person.expected_delivery_date,
        )
        person_id = people.get(record.person_id, record.person_id)
        batch += [
            BlockingKey(key=k, person_id=person_id, source_record=record) for k in keys_to_store(key_parts(details))
        ]
        count += 1
        if len(batch) >= 10_000:
            BlockingKey.objects.bulk_create(batch)
            batch = []
    BlockingKey.objects.bulk_create(batch)
    return count
