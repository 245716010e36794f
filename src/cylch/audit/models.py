"""The audit log: one row for every read and write of a person's personal data, signed and chained.

The application signs each entry's contents (an HMAC under the audit key, see `cylch.audit.signing`)
when it writes it. Sealing later gives the entry its position in the chain (`sequence`), its
predecessor's hash and its own hash, an HMAC over position, predecessor and signature, so editing,
deleting or inserting an entry breaks the chain at that point and nobody without the key can mend
it. `ChainHead` records where the chain ends. `cylch audit verify` checks all of it.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import secrets
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner
from cylch.audit.signing import audit_sign, audit_signature_valid
from cylch.people.models import Person

GENESIS_HASH = "0" * 64
# The columns sealing sets, once, on an unsealed entry; the database triggers refuse any other update.
SEAL_FIELDS = ("sequence", "previous_hash", "entry_hash")


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
    DELETE = "delete", _("Deleted")
    LINK = "link", _("Agency record linked")
    MERGE = "merge", _("Merged")
    UNMERGE = "unmerge", _("Unmerged")
    ACCESS_REQUEST = "access_request", _("Access requested")
    ACCESS_DECISION = "access_decision", _("Access request decided")
    BREAK_GLASS = "break_glass", _("Emergency access (break glass)")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_IN_LOCKED_OUT = "sign_in_locked_out", _("Locked out after failed sign-ins")
    API_TOKEN = "api_token", _("API token issued, rotated or revoked")


def new_nonce() -> str:
    return secrets.token_hex(16)


class AccessLogEntry(models.Model):
    """Append-only: written in the same transaction as the read or write it records, never updated.

    `nonce` is unique and signed with the contents, so a copy of a genuine entry cannot be
    inserted beside it.
    """

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
    nonce = models.CharField(max_length=32, unique=True, default=new_nonce, editable=False)
    signature = models.CharField(_("signature"), max_length=64, blank=True, editable=False)
    previous_hash = models.CharField(_("previous entry's hash"), max_length=64, blank=True, editable=False)
    entry_hash = models.CharField(_("this entry's hash"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["person", "-at"], name="access_person_time"),
            # What the next seal reads: only the few entries not yet in the chain, however long the log grows.
            models.Index(fields=["id"], name="access_unsealed", condition=models.Q(sequence__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.practitioner} {self.action} {self.person_id} ({self.page})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """New entries go through the chain; an existing entry is never saved again."""
        if self.pk is not None:
            raise ValueError("The access log is append-only.")
        from cylch.audit.chain import chain_append

        chain_append([self])

    def save_unsealed(self) -> None:
        """The chain's own insert (sealing later sets `SEAL_FIELDS` with a queryset update)."""
        super().save(force_insert=True)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("The access log is append-only.")

    def canonical(self) -> str:
        """The contents the signature covers, serialised the same way before saving and on every database."""
        at = self.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        address = ipaddress.ip_address(self.ip_address).exploded if self.ip_address else None
        return json.dumps(
            [
                self.nonce,
                self.practitioner_id,
                self.roles,
                self.agency_id,
                self.person_id,
                str(self.action),
                self.page,
                str(self.outcome),
                self.reason,
                self.path,
                address,
                self.details,
                at,
            ],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
        )

    def sign(self) -> None:
        """Called by the application as it writes the entry: only key holders can write a valid one."""
        self.signature = audit_sign("entry", self.canonical())

    def signature_valid(self) -> bool:
        return audit_signature_valid(self.signature, "entry", self.canonical())

    def link_hash(self, previous_hash: str) -> str:
        """This entry's hash in the chain: keyed, so the chain cannot be recomputed over an edited entry."""
        return audit_sign("link", self.sequence, previous_hash, self.signature)

    def link_valid(self, previous_hash: str) -> bool:
        """The stored hash is this entry's link after `previous_hash`, under the current or a retired key."""
        return audit_signature_valid(self.entry_hash, "link", self.sequence, previous_hash, self.signature)


class ChainHead(models.Model):
    """Where the sealed chain ends, signed; every seal moves it in the same transaction.

    Without it, deleting the newest entries would leave a shorter chain that is still intact. It
    cannot stop someone restoring an older copy of this row (its signature is still valid), which
    is why the worker also appends the head to an anchor file outside the database
    (`cylch.audit.chain.chain_anchor`).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    sequence = models.BigIntegerField(_("position in the chain"))
    entry_hash = models.CharField(_("this entry's hash"), max_length=64)
    signature = models.CharField(_("signature"), max_length=64)
    sealed_at = models.DateTimeField(_("sealed"))

    class Meta:
        verbose_name = _("end of the audit chain")
        verbose_name_plural = _("end of the audit chain")

    def __str__(self) -> str:
        return f"{self.sequence} {self.entry_hash}"

    @staticmethod
    def signature_for(sequence: int, entry_hash: str) -> str:
        return audit_sign("head", sequence, entry_hash)

    def signature_valid(self) -> bool:
        return audit_signature_valid(self.signature, "head", self.sequence, self.entry_hash)
