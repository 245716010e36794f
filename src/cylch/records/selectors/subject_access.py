"""Subject access: everything held on one person, for information governance (who answers such requests).

The export names the person's relatives too, so each of them is logged as shown with it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from cylch.access.models import AccessGrant
from cylch.access.reads import OVERSIGHT, reading
from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.accounts.permissions import can_export_subject_access
from cylch.audit.models import AccessLogEntry, AuditAction
from cylch.chronology.models import ChronologyEvent
from cylch.concerns.models import Concern
from cylch.concerns.selectors import current_decision_of
from cylch.linkage.models import MatchReview, MergeDecision
from cylch.people.models import Person
from cylch.people.selectors import person_merged_away, person_resolve
from cylch.records.selectors.person import relationships_of


def _row(obj: models.Model, fields: list[str]) -> dict[str, object]:
    """The fields as a person reads them: a coded choice as its label (in the language of the export)."""
    row: dict[str, object] = {}
    for name in fields:
        value = getattr(obj, name)
        model_field = obj._meta.get_field(name)
        choices = dict(model_field.flatchoices) if isinstance(model_field, models.Field) else {}
        row[name] = str(choices.get(value, value)) if choices and value != "" else value
    return row


def _decision_label(concern: Concern) -> str | None:
    decision = current_decision_of(concern)
    return str(decision.get_outcome_display()) if decision is not None else None


def subject_access(
    *, user: Practitioner, cylch_id: str, fmt: str, request: HttpRequest | None = None
) -> dict[str, Any] | None:
    """Everything Cylch holds on one person, for a subject access request (information governance only).

    The export is logged (refusals too). Practitioners' names and addresses in the access log are their own
    personal data, so the log is given as agency, role, action and date.
    """
    person = person_resolve(cylch_id=cylch_id)
    with reading(user=user, page=f"subject-access-{fmt}", request=request, action=AuditAction.EXPORT) as read:
        if not can_export_subject_access(user):
            read.refuse(person=person)
            return None
        read.decide([person], other_basis={person.pk: OVERSIGHT})
        merged_away = person_merged_away(person)
        data = _subject_access_data(person, merged_away)
        # Everyone else the export names (relatives, the other side of a merge or a match review), in their own log.
        named = _cylch_ids_named(data) - {person.cylch_id, *(p.cylch_id for p in merged_away)}
        others = list(Person.objects.filter(cylch_id__in=named))
        read.decide(others, reasons=dict.fromkeys((p.pk for p in others), f"named in the export for {person.cylch_id}"))
        read.write()  # so that the export's own entries are in the access log it reports
        data["access_log"] = _access_log_rows(person, merged_away)
        return data


def _cylch_ids_named(data: dict[str, Any]) -> set[str]:
    """Every Cylch ID in the export's lists of relationships, merges and match reviews."""
    keys = {
        "relative_cylch_id",
        "of_cylch_id",
        "survivor_cylch_id",
        "merged_cylch_id",
        "cylch_id",
        "compared_with_cylch_id",
    }
    return {
        str(row[key])
        for section in ("relationships", "merge_decisions", "match_reviews")
        for row in data[section]
        for key in keys
        if row.get(key)
    }


def _access_log_rows(person: Person, merged_away: list[Person]) -> list[dict[str, Any]]:
    """The person's access log as agency, role, action and date (practitioners' names are their own data)."""
    ids = [person.pk, *(p.pk for p in merged_away)]
    cylch_id_of = {person.pk: person.cylch_id} | {p.pk: p.cylch_id for p in merged_away}
    role_label = dict(RoleCode.choices)
    agency_name = {a.pk: a.name for a in Agency.objects.all().only("pk", "name")}
    return [
        {
            "at": entry.at,
            "cylch_id": cylch_id_of.get(entry.person_id or 0),
            "agency": agency_name.get(entry.agency_id) if entry.agency_id else None,
            "roles": [str(role_label.get(code, code)) for code in entry.roles.split(",") if code],
            **_row(entry, ["action", "page", "outcome"]),
        }
        for entry in AccessLogEntry.objects.filter(person_id__in=ids).order_by("at", "pk")
    ]


def _subject_access_data(person: Person, merged_away: list[Person]) -> dict[str, Any]:
    """Everything held on `person`, including what is still filed under the Cylch IDs merged into theirs (the
    access log is added once the export's own reads are written)."""
    ids = [person.pk, *(p.pk for p in merged_away)]
    agency_name = {a.pk: a.name for a in Agency.objects.all().only("pk", "name")}
    return {
        "generated_at": timezone.now(),
        "person": {
            **_row(
                person,
                [
                    "cylch_id",
                    "given_name",
                    "middle_names",
                    "family_name",
                    "is_unborn",
                    "expected_delivery_date",
                    "date_of_birth",
                    "date_of_death",
                    "sex",
                    "gender",
                    "ethnicity",
                    "first_language",
                    "interpreter_needed",
                    "nhs_number",
                    "created_at",
                    "updated_at",
                ],
            ),
            "merged_cylch_ids": [p.cylch_id for p in merged_away],
        },
        "other_names": [
            _row(n, ["kind", "given_name", "family_name", "used_from", "used_to"]) for n in person.other_names.all()
        ],
        "identifiers": [
            {**_row(i, ["kind", "value"]), "agency": agency_name.get(i.agency_id)} for i in person.identifiers.all()
        ],
        "source_records": [
            {
                **_row(
                    r,
                    [
                        "local_id",
                        "given_name",
                        "family_name",
                        "date_of_birth",
                        "sex",
                        "nhs_number",
                        "postcode",
                        "address",
                        "identifiers",
                        "received_at",
                    ],
                ),
                "agency": agency_name.get(r.agency_id),
            }
            for r in person.source_records.order_by("received_at", "pk")
        ],
        "households": [
            {
                "address": str(m.household),
                "local_authority": m.household.local_authority.name,
                "moved_in": m.start_date,
                "moved_out": m.end_date,
            }
            for m in person.household_memberships.select_related("household__local_authority").order_by("start_date")
        ],
        "relationships": [
            {
                "relative": rel.relative.full_name,
                "relative_cylch_id": rel.relative.cylch_id,
                "is_the": rel.kind,
                "of": rel.person.full_name,
                "of_cylch_id": rel.person.cylch_id,
                "from": rel.start_date,
                "to": rel.end_date,
            }
            for _side, _other, rel in relationships_of(person)
        ],
        "involvements": [
            {**_row(i, ["role", "start_date", "end_date"]), "agency": agency_name.get(i.agency_id)}
            for i in person.involvements.order_by("start_date", "pk")
        ],
        "statuses": [
            {**_row(s, ["kind", "category", "start_date", "end_date"]), "local_authority": s.local_authority.name}
            for s in person.statuses.select_related("local_authority").order_by("start_date")
        ],
        "chronology": [
            {
                **_row(e, ["occurred_at", "recorded_at", "kind", "summary", "child_words", "sensitivity", "details"]),
                "agency": agency_name.get(e.agency_id),
            }
            for e in ChronologyEvent.objects.filter(person=person).order_by("occurred_at", "pk")
        ],
        "concerns": [
            {
                **_row(subject.concern, ["reference", "kind", "received_at", "what_happened", "child_words", "stage"]),
                **_row(subject, ["role"]),
                "decision": _decision_label(subject.concern),
            }
            for subject in person.concern_subjects.select_related("concern")
            .prefetch_related("concern__decisions")
            .order_by("concern__received_at", "pk")
        ],
        "access_grants": [
            {
                **_row(
                    g,
                    ["kind", "status", "reason", "created_at", "expires_at", "decided_at", "decision_reason"],
                ),
                "agency": agency_name.get(g.practitioner.agency_id) if g.practitioner.agency_id else None,
                "lead_agency": agency_name.get(g.lead_agency_id) if g.lead_agency_id else None,
            }
            for g in AccessGrant.objects.filter(person=person)
            .select_related("practitioner")
            .order_by("created_at", "pk")
        ],
        "merge_decisions": [
            {
                **_row(d, ["kind", "decided_at", "reason", "automatic"]),
                "survivor_cylch_id": d.survivor.cylch_id,
                "merged_cylch_id": d.merged.cylch_id,
            }
            for d in MergeDecision.objects.filter(Q(survivor_id__in=ids) | Q(merged_id__in=ids))
            .select_related("survivor", "merged")
            .order_by("decided_at", "pk")
        ],
        "match_reviews": [
            {
                **_row(r, ["created_at", "status", "probability", "decided_at", "reason"]),
                "cylch_id": r.person.cylch_id,
                "compared_with_cylch_id": r.candidate.cylch_id,
            }
            for r in MatchReview.objects.filter(Q(person_id__in=ids) | Q(candidate_id__in=ids))
            .select_related("person", "candidate")
            .order_by("created_at", "pk")
        ],
    }
