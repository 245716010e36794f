"""Versioning for everything a cycle holds before sign-off: each save bumps the record's version and writes a
`Revision` with the record as it then stood, so the history page can show who changed what, and when."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models
from django.forms.models import model_to_dict
from django.utils import timezone

from cylch.accounts.models import Agency, Practitioner
from cylch.assurance.models import Cycle, Revision


def _plain(value: Any) -> Any:
    """JSON-safe form of a field value (dates as ISO text, decimals as text, files left out)."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    if isinstance(value, list):
        return [_plain(v.pk if isinstance(v, models.Model) else v) for v in value]
    return value


def snapshot(record: models.Model) -> dict[str, Any]:
    """The record's fields (foreign keys as keys), without its bookkeeping."""
    skip = {"id", "version", "updated_at", "updated_by", "content", "chased_at", "escalated_at"}
    return {name: _plain(value) for name, value in model_to_dict(record).items() if name not in skip}


def record_revision(
    *,
    cycle: Cycle,
    record: models.Model,
    subject: str,
    summary: str,
    by: Practitioner,
    component: str = "",
    agency: Agency | None = None,
) -> Revision:
    """Write `record`'s current state as its next revision. Call inside the service's transaction, after the save;
    a record with a `version` field has it set to the revision's number."""
    version = Revision.objects.filter(cycle=cycle, subject=subject, subject_id=record.pk).count() + 1
    if hasattr(record, "version") and record.version != version:
        type(record)._default_manager.filter(pk=record.pk).update(version=version)
        record.version = version
    return Revision.objects.create(
        cycle=cycle,
        subject=subject,
        subject_id=record.pk,
        version=version,
        component=component,
        agency=agency,
        summary=summary[:300],
        snapshot=snapshot(record),
        changed_by=by,
        changed_at=timezone.now(),
    )
