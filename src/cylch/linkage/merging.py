"""Merging two people into one and undoing it, and deciding the match review queue.

Merges keep the survivor's Cylch ID, mark the other `merged_into` it (its ID keeps resolving)
and record exactly which rows moved, so `person_unmerge` puts them back. Source records are
never edited, only re-pointed.

A review (queued by `cylch.linkage.services.person_link` for a possible match) is decided here:
accepting it is a merge, rejecting it keeps both people.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import can_review_matches
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.audit.services import audit_write_record
from cylch.linkage.models import MatchReview, MergeDecision, MergeKind, ReviewStatus
from cylch.people.models import Person

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
    """Only the matcher decides without a practitioner, only a front-door manager decides as one (a merge changes
    which record holds a child's history), and every decision says why."""
    if decided_by is None and not automatic:
        raise ValidationError(_("A practitioner must make this decision."))
    if decided_by is not None and not can_review_matches(decided_by):
        raise PermissionDenied
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
