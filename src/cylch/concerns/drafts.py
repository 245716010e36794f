"""The web journey's draft: answers saved between question pages, as JSON, turned into a `ConcernInput`."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from cylch.accounts.models import Practitioner
from cylch.concerns.models import ConcernDraft, SubjectRole
from cylch.concerns.services import ConcernInput, SubjectInput, SubmitResult, concern_submit


def _encode(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _decode_date(value: Any) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def encode(data: dict[str, Any]) -> dict[str, Any]:
    return {key: _encode(value) for key, value in data.items()}


def decode_person(data: dict[str, Any]) -> dict[str, Any]:
    decoded = dict(data)
    for key in ("date_of_birth", "expected_delivery_date", "happened_on"):
        if key in decoded:
            decoded[key] = _decode_date(decoded[key])
    return decoded


def draft_create(*, owner: Practitioner) -> ConcernDraft:
    return ConcernDraft.objects.create(owner=owner, data={"children": [], "members": []})


def draft_save(*, draft: ConcernDraft, answers: dict[str, Any]) -> ConcernDraft:
    draft.data.update(encode(answers))
    draft.save(update_fields=["data", "updated_at"])
    return draft


def draft_save_person(*, draft: ConcernDraft, group: str, index: int, answers: dict[str, Any]) -> ConcernDraft:
    people: list[dict[str, Any]] = draft.data.setdefault(group, [])
    encoded = encode(answers)
    if index < len(people):
        people[index] = encoded
    else:
        people.append(encoded)
    draft.save(update_fields=["data", "updated_at"])
    return draft


def draft_remove_person(*, draft: ConcernDraft, group: str, index: int) -> ConcernDraft:
    people: list[dict[str, Any]] = draft.data.setdefault(group, [])
    if 0 <= index < len(people):
        people.pop(index)
        draft.save(update_fields=["data", "updated_at"])
    return draft


YES_NO_ANSWERS = {"yes": True, "no": False}


def _identity(values: dict[str, Any]) -> dict[str, Any]:
    """A person's identity answers as the service takes them ("not known" is blank or None)."""
    return {
        "ethnicity": values.get("ethnicity", ""),
        "first_language": values.get("first_language", ""),
        "interpreter_needed": YES_NO_ANSWERS.get(values.get("interpreter_needed", "")),
    }


def draft_to_input(draft: ConcernDraft) -> ConcernInput:
    data = draft.data
    subjects: list[SubjectInput] = []
    for child in data.get("children", []):
        values = decode_person(child)
        edd = values.get("expected_delivery_date")
        subjects.append(
            SubjectInput(
                role=SubjectRole.CHILD,
                given_name=values.get("given_name", ""),
                family_name=values.get("family_name", ""),
                date_of_birth=values.get("date_of_birth"),
                is_unborn=bool(edd),
                expected_delivery_date=edd,
                sex=values.get("sex") or "not_known",
                nhs_number=values.get("nhs_number", ""),
                upn=values.get("upn", ""),
                address=values.get("address", ""),
                postcode=values.get("postcode", ""),
                **_identity(values),
            )
        )
    for member in data.get("members", []):
        values = decode_person(member)
        subjects.append(
            SubjectInput(
                role=SubjectRole.HOUSEHOLD_MEMBER,
                given_name=values.get("given_name", ""),
                family_name=values.get("family_name", ""),
                date_of_birth=values.get("date_of_birth"),
                relationship=values.get("relationship", ""),
                **_identity(values),
            )
        )
    return ConcernInput(
        kind=data.get("kind", ""),
        categories=tuple(data.get("categories", [])),
        what_happened=data.get("what_happened", ""),
        happened_on=_decode_date(data.get("happened_on")),
        how_known=data.get("how_known", ""),
        child_words=data.get("child_words", ""),
        family_aware=data.get("family_aware", ""),
        family_not_aware_reason=data.get("family_not_aware_reason", ""),
        immediate_risk=YES_NO_ANSWERS.get(data.get("immediate_risk", "")),
        immediate_risk_details=data.get("immediate_risk_details", ""),
        referrer_phone=data.get("referrer_phone", "") or draft.owner.phone,
        subjects=tuple(subjects),
    )


@transaction.atomic
def draft_submit(*, draft: ConcernDraft) -> SubmitResult:
    """Submit once: the draft's token is the idempotency key, so a double click returns the same concern."""
    draft = ConcernDraft.objects.select_for_update().get(pk=draft.pk)
    result = concern_submit(submitter=draft.owner, data=draft_to_input(draft), idempotency_key=f"draft:{draft.token}")
    if draft.concern_id is None:
        draft.concern = result.concern
        draft.save(update_fields=["concern", "updated_at"])
    return result
