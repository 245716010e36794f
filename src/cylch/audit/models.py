"""The audit log: one row for every read and write of a person's personal data, hash-chained.

Each entry carries its position in the chain (`sequence`), the hash of its predecessor and its
own hash (SHA-256 over a canonical serialisation of its fields and the predecessor's hash), so
editing, deleting or inserting an entry breaks the chain at that point: `cylch audit verify`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner
from cylch.people.models import Person

GENESIS_HASH = "0" * 64


class AccessOutcome(models.TextChoices):
    DETAIL = "detail", _("Detail shown")
    RESTRICTED = "restricted", _("Restricted summary shown")
    REFUSED = "refused", _("Refused")
    CHANGED = "changed", _("Record changed")


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Listed in search results")
    EXPORT = "export", _("Exported")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    LINK = "link", _("Agency record linked")
    MERGE = "merge", _("Merged")
    UNMERGE = "unmerge", _("Unmerged")
    ACCESS_REQUEST = "access_request", _("Access requested")
    ACCESS_DECISION = "access_decision", _("Access request decided")
    BREAK_GLASS = "break_glass", _("Emergency access (break glass)")


class AccessLogEntry(models.Model):
    """Append-only: written in the same transaction as the read or write it records, never updated."""

    sequence = models.BigIntegerField(_("position in the chain"), unique=True, null=True, editable=False)
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="access_log"
    )
    roles = models.CharField(_("roles at the time"), max_length=200, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="access_log")
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices, default=AuditAction.VIEW)
    page = models.CharField(_("page or endpoint"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=12, choices=AccessOutcome.choices)
    reason = models.CharField(_("reason given"), max_length=500, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    previous_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("this entry's hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [models.Index(fields=["person", "-at"], name="access_person_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.practitioner} {self.action} {self.person_id} ({self.page})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """New entries go through the chain; an existing entry is never saved again."""
        if self.pk is not None:
            raise ValueError("The access log is append-only.")
        from cylch.audit.chain import chain_append

        chain_append([self])

    def save_unsealed(self) -> None:
        """The chain's own insert (sealing later sets sequence and hashes with a queryset update)."""
        super().save(force_insert=True)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("The access log is append-only.")

    def canonical(self) -> str:
        """The fields the hash covers, serialised the same way on every database."""
        at = self.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return json.dumps(
            [
                self.sequence,
                self.practitioner_id,
                self.roles,
                self.agency_id,
                self.person_id,
                self.action,
                self.page,
                self.outcome,
                self.reason,
                self.path,
                self.ip_address,
                self.details,
                at,
            ],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
        )

    def compute_hash(self, previous_hash: str) -> str:
        return hashlib.sha256(f"{previous_hash}|{self.canonical()}".encode()).hexdigest()


class GrantKind(models.TextChoices):
    REQUEST = "request", _("Access request")
    BREAK_GLASS = "break_glass", _("Emergency access (break glass)")


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class AccessGrant(models.Model):
    """Access to one person's record beyond need-to-know: requested (and decided) or taken in an emergency.

    A break-glass grant is active at once and expires; a request waits for the record's lead agency.
    Both are audited, and the lead agency is told.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="access_grants")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="access_grants")
    kind = models.CharField(_("kind"), max_length=12, choices=GrantKind.choices)
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.PENDING)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    decided_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for the decision"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["practitioner", "person", "status"], name="grant_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.practitioner} → {self.person_id}"
