"""Linkage state: the blocking index, the match-review queue and the log of merges and splits."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Practitioner
from cylch.people.models import Person, SourceRecord


class BlockingKey(models.Model):
    """An indexed key (e.g. date of birth + surname sound) under which a source record can be found.

    Incremental linkage looks up every key of an incoming record in one indexed query; the
    candidates found are then scored. Keys follow their source record when people merge or split.
    """

    key = models.CharField(max_length=80, db_index=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    source_record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("blocking key")
        verbose_name_plural = _("blocking keys")

    def __str__(self) -> str:
        return self.key


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    ACCEPTED = "accepted", _("Same person: merged")
    REJECTED = "rejected", _("Different people")


class MatchReview(models.Model):
    """A possible match scored between the thresholds: a person compares the two side by side.

    While pending, the incoming record has its own (provisional) person, so nothing is lost or
    wrongly joined; accepting merges the provisional person into the candidate.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_reviews")
    candidate = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="match_reviews_as_candidate")
    source_record = models.ForeignKey(SourceRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    evidence = models.JSONField(_("evidence per field"), default=list)
    model_version = models.CharField(_("model version"), max_length=20)
    # The rule that sent the pair here although it scored as a link, e.g. 'nhs_number_only' (see
    # cylch.linkage.scoring.pair_guard); blank when the score alone fell between the thresholds.
    guard = models.CharField(_("rule that asked for a review"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    decided_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("match review")
        verbose_name_plural = _("match reviews")
        ordering = ["-probability", "created_at"]
        indexes = [models.Index(fields=["status", "-probability"], name="matchreview_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "candidate"],
                condition=models.Q(status="pending"),
                name="matchreview_one_pending_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.candidate_id} ({self.probability:.2f})"


class MergeKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    UNMERGE = "unmerge", _("Unmerge")


class MergeDecision(models.Model):
    """Who merged (or split) two people, why, and exactly which rows moved, so a merge can be undone."""

    kind = models.CharField(_("kind"), max_length=8, choices=MergeKind.choices)
    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(_("rows moved"), default=dict)
    decided_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    decided_at = models.DateTimeField(_("when"), default=timezone.now)
    automatic = models.BooleanField(_("made by the matcher"), default=False)
    undoes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="undone_by")

    class Meta:
        verbose_name = _("merge decision")
        verbose_name_plural = _("merge decisions")
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.merged_id} -> {self.survivor_id}"
