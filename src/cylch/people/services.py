"""Changing people: creating a person with a fresh Cylch ID, recording an agency's copy of them and what an
agency says of their identity (ethnicity, first language, interpreter)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from cylch.accounts.models import Agency
from cylch.core.codes import new_code
from cylch.people.models import Ethnicity, Language, Person, Sex, SourceRecord

CYLCH_ID_LENGTH = 10
_ID_ATTEMPTS = 5


def person_create(
    *,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
    sex: str = Sex.NOT_KNOWN,
    nhs_number: str = "",
    is_unborn: bool = False,
    expected_delivery_date: datetime.date | None = None,
) -> Person:
    """A new person with a random, checkable Cylch ID (retried on the rare collision).

    The check constraints are not validated with a query each: `Person.clean` states the unborn rule, a new
    person has no date of death, and the database enforces both anyway."""
    for _ in range(_ID_ATTEMPTS):
        person = Person(
            cylch_id=new_code(CYLCH_ID_LENGTH),
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            sex=sex,
            nhs_number=nhs_number,
            is_unborn=is_unborn,
            expected_delivery_date=expected_delivery_date,
        )
        person.full_clean(exclude=["cylch_id"], validate_constraints=False)
        try:
            with transaction.atomic():
                person.save()
        except IntegrityError:
            if Person.objects.filter(cylch_id=person.cylch_id).exists():
                continue
            raise
        return person
    raise RuntimeError("Could not allocate a unique Cylch ID")


def source_record_create(
    *,
    agency: Agency,
    local_id: str,
    person: Person,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
    sex: str = Sex.NOT_KNOWN,
    nhs_number: str = "",
    postcode: str = "",
    address: str = "",
    identifiers: dict[str, str] | None = None,
) -> SourceRecord:
    """Keep an agency's copy of a person exactly as it arrived, pointing at the resolved person (one INSERT)."""
    return SourceRecord.objects.create(
        agency=agency,
        local_id=local_id,
        person=person,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        sex=sex,
        nhs_number=nhs_number,
        postcode=postcode,
        address=address,
        identifiers=identifiers or {},
    )


def person_identity_record(
    *,
    person: Person,
    ethnicity: str = "",
    first_language: str = "",
    interpreter_needed: bool | None = None,
    source_record: SourceRecord | None = None,
) -> list[str]:
    """Take an agency's answers about identity where the person's record has none; return the fields changed.
    The answers are kept as given on the agency's own copy (`source_record`), where the single view shows them.

    Blanks are filled, answers are never replaced: ethnicity only while it is "not yet obtained", first language
    only while it is English, the model's default (the record cannot tell a default from an answer, and another
    language is the more specific fact), and "interpreter needed" is only ever switched on. An answer that differs
    from the record is not lost: it stays on the agency's source record (and a concern's subject)."""
    if source_record is not None and (ethnicity or first_language or interpreter_needed is not None):
        SourceRecord.objects.filter(pk=source_record.pk).update(
            ethnicity=ethnicity, first_language=first_language, interpreter_needed=interpreter_needed
        )
    changed: list[str] = []
    if ethnicity and ethnicity != Ethnicity.NOBT and person.ethnicity == Ethnicity.NOBT:
        person.ethnicity = ethnicity
        changed.append("ethnicity")
    if first_language and first_language != Language.ENGLISH and person.first_language == Language.ENGLISH:
        person.first_language = first_language
        changed.append("first_language")
    if interpreter_needed and not person.interpreter_needed:
        person.interpreter_needed = True
        changed.append("interpreter_needed")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
    return changed
