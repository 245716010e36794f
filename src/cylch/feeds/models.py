"""What the feeds keep besides the facts they write: each item an agency sent, and disagreements between agencies.

The facts themselves (chronology events, involvements, household memberships, relationships, statuses) live in
`cylch.chronology` and `cylch.people`, with their provenance; this app adds only what makes a re-send harmless
(`FeedItem`) and what lets two agencies' accounts stand side by side (`HouseholdDisagreement`,
`RelationshipDisagreement`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner
from cylch.people.models import HouseholdMembership, Person, Relationship


class ItemType(models.TextChoices):
    EVENT = "event", _("Chronology event")
    INVOLVEMENT = "involvement", _("Involvement")
    HOUSEHOLD_MEMBERSHIP = "household_membership", _("Household membership")
    RELATIONSHIP = "relationship", _("Relationship")
    STATUS = "status", _("Register or looked-after status")


class ItemOutcome(models.TextChoices):
    STORED = "stored", _("Stored")
    ALREADY_STORED = "already_stored", _("Already stored")
    REVIEW = "review", _("Stored; the person waits for a match review")
    REJECTED = "rejected", _("Rejected")


class FeedItem(models.Model):
    """One item an agency sent, under the agency's own id for it: a re-send with the same content is answered from
    here and changes nothing; the same id with other content is refused. Rejected items are not kept (a corrected
    re-send must be able to go in)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="feed_items")
    item_id = models.CharField(_("agency's item ID"), max_length=100)
    item_type = models.CharField(_("type"), max_length=24, choices=ItemType.choices)
    content_hash = models.CharField(_("content hash"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ItemOutcome.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What the item created or changed: e.g. {"chronology_event": 12} or {"involvement": 3}.
    created = models.JSONField(_("what it created"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("feed item")
        verbose_name_plural = _("feed items")
        constraints = [
            models.UniqueConstraint(fields=["agency", "item_type", "item_id"], name="feed_item_unique_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.item_type}:{self.item_id}"


class DisagreementKind(models.TextChoices):
    DIFFERENT_ADDRESS = "different_address", _("Another agency records a different current address")
    MOVED_OUT = "moved_out", _("Another agency says this person moved out")


class RelationshipDisagreementKind(models.TextChoices):
    DIFFERENT_KIND = "different_kind", _("Another agency records a different relationship between them")
    ENDED = "ended", _("Another agency says this relationship ended")


class AccountStands(models.TextChoices):
    """How a disagreement was settled: whose account the record now follows."""

    FIRST = "first", _("The first account stands")
    SECOND = "second", _("The second account stands")


class Disagreement(models.Model):
    """Two agencies' accounts that cannot both be true, kept side by side for the lead practitioner to resolve:
    neither agency's account is overwritten by the other's. `standing` (in each kind below) is the account already
    recorded; the second is what `claimed_by_agency` said on `claimed_at`."""

    claimed_end_date = models.DateField(_("ended, according to the second account"), null=True, blank=True)
    claimed_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    claimed_by = models.ForeignKey(Practitioner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    claimed_at = models.DateTimeField(_("second account recorded"), default=timezone.now)
    resolved_by = models.ForeignKey(Practitioner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    stands = models.CharField(_("account that stands"), max_length=8, choices=AccountStands.choices, blank=True)

    class Meta:
        abstract = True
        ordering = ["-claimed_at"]


class HouseholdDisagreement(Disagreement):
    """Where a person lives: the other account is a membership of its own at another address, or that the person
    moved out of the standing household on `claimed_end_date`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_disagreements")
    kind = models.CharField(_("disagreement"), max_length=24, choices=DisagreementKind.choices)
    standing = models.ForeignKey(
        HouseholdMembership, on_delete=models.CASCADE, related_name="disagreements", verbose_name=_("first account")
    )
    claimed_membership = models.ForeignKey(
        HouseholdMembership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second account's membership"),
    )

    class Meta(Disagreement.Meta):
        verbose_name = _("household disagreement")
        verbose_name_plural = _("household disagreements")
        indexes = [
            models.Index(fields=["person"], name="disagreement_open", condition=Q(resolved_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"


class RelationshipDisagreement(Disagreement):
    """Who someone is to a person: the other account is a different relationship between the same two people
    (a parent to one agency, a mother's partner to another), or that the relationship ended on
    `claimed_end_date`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationship_disagreements")
    kind = models.CharField(_("disagreement"), max_length=24, choices=RelationshipDisagreementKind.choices)
    standing = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="disagreements", verbose_name=_("first account")
    )
    claimed_relationship = models.ForeignKey(
        Relationship,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("second account's relationship"),
    )

    class Meta(Disagreement.Meta):
        verbose_name = _("relationship disagreement")
        verbose_name_plural = _("relationship disagreements")
        indexes = [
            models.Index(
                fields=["person"], name="relationship_disagreement_open", condition=Q(resolved_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"
