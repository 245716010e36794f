"""FHIR R4 at the boundary: Was Not Brought appointments in, flags out.

An incoming `Appointment` (alone, or in a `batch` or `collection` Bundle) is checked twice: against the R4 model
(`fhir.resources`, R4B models, whose Appointment is R4's) and against what Cylch needs: `status` `noshow`, one
`Patient` participant identified by an NHS number in `https://fhir.nhs.uk/Id/nhs-number` with a valid modulus-11
check digit, a service type, a booked start that has passed, and an identifier (or id) so a re-send is known.
Any fault is an `Invalid` naming the element (`Bundle.entry[2].resource.participant[0].actor.identifier.value`),
answered as an `OperationOutcome`; nothing from the request is kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from pydantic import ValidationError

from cylch.people.validators import is_valid_nhs_number

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
APPOINTMENT_STATUSES = frozenset(
    {"proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow", "entered-in-error",
     "checked-in", "waitlist"}
)  # fmt: skip
BUNDLE_TYPES = ("batch", "collection")
MAX_ENTRIES = 500


class Invalid(Exception):
    """A resource Cylch cannot accept: the FHIR element at fault, why, and the HTTP status and issue code."""

    def __init__(self, element: str, message: str, *, status: int = 400, code: str = "invalid") -> None:
        super().__init__(message)
        self.element, self.message, self.status, self.code = element, message, status, code


@dataclass(frozen=True)
class NoShow:
    """An accepted Was Not Brought: which child (NHS number), which service, when, and the sender's key for it."""

    key: str
    nhs_number: str
    service: str
    start: datetime.datetime
    resource: dict[str, Any]


def operation_outcome(error: Invalid) -> dict[str, Any]:
    outcome = {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": "error", "code": error.code, "diagnostics": error.message, "expression": [error.element]}
        ],
    }
    OperationOutcome.model_validate(outcome)
    return outcome


def _element(prefix: str, location: tuple[int | str, ...]) -> str:
    path = prefix
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _model(model: type[Appointment] | type[Bundle], data: dict[str, Any], prefix: str) -> None:
    try:
        model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise Invalid(_element(prefix, tuple(first["loc"])), str(first["msg"])) from None
    except (TypeError, ValueError) as error:  # the models raise plain errors for some malformed values
        raise Invalid(prefix, str(error)) from None


def _patient_nhs_number(resource: dict[str, Any], prefix: str) -> str:
    found: list[tuple[int, str]] = []
    for index, participant in enumerate(resource.get("participant") or []):
        actor = participant.get("actor") or {}
        identifier = actor.get("identifier") or {}
        if actor.get("type") == "Patient" and identifier.get("system") == NHS_NUMBER_SYSTEM:
            found.append((index, str(identifier.get("value") or "")))
    if not found:
        raise Invalid(
            f"{prefix}.participant",
            _("No participant is a Patient identified by NHS number (an actor.identifier in %(system)s).")
            % {"system": NHS_NUMBER_SYSTEM},
            code="required",
        )
    if len({value for _index, value in found}) > 1:
        raise Invalid(f"{prefix}.participant", _("The appointment names more than one patient."))
    index, value = found[0]
    element = f"{prefix}.participant[{index}].actor.identifier.value"
    if len(value) != 10 or not value.isascii() or not value.isdigit():
        raise Invalid(element, _("An NHS number is 10 digits."))
    if not is_valid_nhs_number(value):
        raise Invalid(element, _("This is not a valid NHS number: the check digit does not match."))
    return value


def _service(resource: dict[str, Any], prefix: str) -> str:
    for concept in resource.get("serviceType") or []:
        text = concept.get("text") or next(
            (
                c.get("display") or c.get("code")
                for c in concept.get("coding") or []
                if c.get("display") or c.get("code")
            ),
            None,
        )
        if text:
            return str(text)[:200]
    raise Invalid(f"{prefix}.serviceType", _("Say which service the appointment was with."), code="required")


def _key(resource: dict[str, Any], prefix: str) -> str:
    for identifier in resource.get("identifier") or []:
        if identifier.get("value"):
            return f"{identifier.get('system') or ''}|{identifier['value']}"[:300]
    if resource.get("id"):
        return f"id|{resource['id']}"
    raise Invalid(
        f"{prefix}.identifier",
        _("Give the appointment an identifier or an id, so a re-send is recognised."),
        code="required",
    )


def appointment_parse(resource: Any, prefix: str = "Appointment") -> NoShow:
    """One Appointment as a Was Not Brought, or Invalid naming the element at fault."""
    if not isinstance(resource, dict):
        raise Invalid(prefix, _("Send a FHIR resource (a JSON object)."), code="structure")
    if resource.get("resourceType") != "Appointment":
        raise Invalid(f"{prefix}.resourceType", _("Send an Appointment or a Bundle of them."), code="not-supported")
    _model(Appointment, resource, prefix)
    status = resource.get("status")
    if status not in APPOINTMENT_STATUSES:
        raise Invalid(f"{prefix}.status", _("This is not an appointment status FHIR R4 knows."), code="code-invalid")
    if status != "noshow":
        raise Invalid(
            f"{prefix}.status",
            _("Only appointments the child was not brought to (noshow) are accepted."),
            status=422,
            code="business-rule",
        )
    if not isinstance(resource.get("start"), str):
        raise Invalid(f"{prefix}.start", _("Give the booked start as a FHIR instant."), code="required")
    start = datetime.datetime.fromisoformat(resource["start"])
    if start > timezone.now():
        raise Invalid(
            f"{prefix}.start",
            _("The booked start is in the future: it cannot have been missed yet."),
            status=422,
            code="business-rule",
        )
    return NoShow(
        key=_key(resource, prefix),
        nhs_number=_patient_nhs_number(resource, prefix),
        service=_service(resource, prefix),
        start=start,
        resource=resource,
    )


def appointments_parse(body: Any) -> tuple[list[NoShow], bool]:
    """The no-shows in a request body, and whether it was a Bundle; Invalid at the first fault (nothing kept)."""
    if isinstance(body, dict) and body.get("resourceType") == "Bundle":
        if body.get("type") not in BUNDLE_TYPES:
            raise Invalid("Bundle.type", _("Send a Bundle of type batch or collection."), code="not-supported")
        entries = body.get("entry")
        if not isinstance(entries, list) or not entries:
            raise Invalid("Bundle.entry", _("The Bundle has no entries."), code="required")
        if len(entries) > MAX_ENTRIES:
            raise Invalid(
                "Bundle.entry",
                _("Send at most %(limit)s appointments in one Bundle.") % {"limit": MAX_ENTRIES},
                code="too-costly",
            )
        _model(Bundle, {k: v for k, v in body.items() if k != "entry"}, "Bundle")
        parsed = []
        for index, entry in enumerate(entries):
            prefix = f"Bundle.entry[{index}]"
            if not isinstance(entry, dict):
                raise Invalid(prefix, _("Each entry must be an object with a resource."), code="structure")
            parsed.append(appointment_parse(entry.get("resource"), f"{prefix}.resource"))
        return parsed, True
    return [appointment_parse(body)], False


# Cylch's own codes for what a flag says (FHIR has none for register or looked-after status).
FLAG_CODE_SYSTEM = "urn:cylch:fhir:flag"
REGISTER_CATEGORY_SYSTEM = "urn:cylch:fhir:cin-category-of-abuse"
FLAG_CATEGORY = {
    "coding": [{"system": "http://terminology.hl7.org/CodeSystem/flag-category", "code": "safety", "display": "Safety"}]
}


@dataclass(frozen=True)
class Contact:
    """Whom a health professional should call about a flag: the responsible authority's children's services."""

    key: str
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class FlagOut:
    key: str
    code: str
    text: str
    start: datetime.date
    contact: Contact | None
    category: tuple[str, str] | None = None


def patient_search(value: Any) -> str:
    """The NHS number in `patient=https://fhir.nhs.uk/Id/nhs-number|NNNNNNNNNN`, or Invalid."""
    if not isinstance(value, str) or not value:
        raise Invalid(
            "patient", _("Search by patient=%(system)s|NHS number.") % {"system": NHS_NUMBER_SYSTEM}, code="required"
        )
    system, bar, number = value.partition("|")
    if not bar or system != NHS_NUMBER_SYSTEM:
        raise Invalid(
            "patient",
            _("Search by patient=%(system)s|NHS number.") % {"system": NHS_NUMBER_SYSTEM},
            code="not-supported",
        )
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        raise Invalid("patient", _("An NHS number is 10 digits."))
    if not is_valid_nhs_number(number):
        raise Invalid("patient", _("This is not a valid NHS number: the check digit does not match."))
    return number


def _flag(flag: FlagOut, nhs_number: str) -> dict[str, Any]:
    coding = [{"system": FLAG_CODE_SYSTEM, "code": flag.code, "display": flag.text}]
    if flag.category is not None:
        coding.append({"system": REGISTER_CATEGORY_SYSTEM, "code": flag.category[0], "display": flag.category[1]})
    resource: dict[str, Any] = {
        "resourceType": "Flag",
        "id": flag.key,
        "status": "active",
        "category": [FLAG_CATEGORY],
        "code": {"coding": coding, "text": flag.text},
        "subject": {"identifier": {"system": NHS_NUMBER_SYSTEM, "value": nhs_number}},
        "period": {"start": flag.start.isoformat()},
    }
    if flag.contact is not None:
        telecom = [{"system": "phone", "value": flag.contact.phone}] if flag.contact.phone else []
        telecom += [{"system": "email", "value": flag.contact.email}] if flag.contact.email else []
        resource["contained"] = [
            {"resourceType": "Organization", "id": flag.contact.key, "name": flag.contact.name, "telecom": telecom}
        ]
        resource["author"] = {"reference": f"#{flag.contact.key}", "display": flag.contact.name}
    return resource


def flag_searchset(flags: list[FlagOut], nhs_number: str) -> dict[str, Any]:
    """A searchset Bundle of the flags, checked against the R4 model before it leaves."""
    bundle = {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(flags),
        "entry": [{"resource": _flag(flag, nhs_number), "search": {"mode": "match"}} for flag in flags],
    }
    Bundle.model_validate(bundle)
    return bundle
