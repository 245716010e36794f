"""Access beyond need-to-know: a request to see one person's record, or emergency (break-glass) access."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner
from cylch.people.models import Person


class GrantKind(models.TextChoices):
    REQUEST = "request", _("Access request")
    BREAK_GLASS = "break_glass", _("Emergency access (break glass)")
    MEETING = "meeting", _("Invited to a multi-agency meeting")


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
        db_table = "audit_accessgrant"  # the table kept its name when the model moved here from the audit app
        indexes = [models.Index(fields=["practitioner", "person", "status"], name="grant_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.practitioner} → {self.person_id}"


class ReviewOutcome(models.TextChoices):
    APPROPRIATE = "appropriate", _("Appropriate")
    NOT_APPROPRIATE = "not_appropriate", _("Not appropriate")


class GrantReview(models.Model):
    """Information governance's look back at a break-glass use or an approved request: was it appropriate, given
    the reason and what was opened. One per grant, never changed; the review itself is on the audit chain."""

    grant = models.OneToOneField(
        AccessGrant, on_delete=models.CASCADE, related_name="review"
    )  # retention destroys both
    outcome = models.CharField(_("outcome"), max_length=16, choices=ReviewOutcome.choices)
    note = models.CharField(_("note"), max_length=500)
    reviewed_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), default=timezone.now)

    class Meta:
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"{self.grant_id}: {self.outcome}"
