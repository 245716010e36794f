"""What the generator planted, kept apart from the records it produced so linkage can be scored honestly."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.people.models import Household, SourceRecord


class SyntheticRun(models.Model):
    """One `cylch synth` load: its seed and size, so the same region can be regenerated exactly."""

    seed = models.BigIntegerField(_("seed"))
    people = models.PositiveIntegerField(_("people requested"))
    region_code = models.CharField(_("region"), max_length=32, blank=True)
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    summary = models.JSONField(_("summary"), default=dict)

    class Meta:
        verbose_name = _("synthetic run")
        verbose_name_plural = _("synthetic runs")

    def __str__(self) -> str:
        return f"seed {self.seed}, {self.people} people"


class TrajectoryKind(models.TextChoices):
    ACCUMULATING_SOFT_CONCERNS = "soft_concerns", _("Accumulating soft concerns")
    MISSED_APPOINTMENTS = "missed_appointments", _("Missed appointments")
    DOMESTIC_ABUSE = "domestic_abuse", _("Repeated domestic-abuse call-outs")
    NEW_ADULT_WITH_HISTORY = "new_adult_with_history", _("A new adult with a history joins the household")
    CO_OCCURRING_HARMS = "co_occurring_harms", _("Missed appointments, domestic abuse and poor home conditions")
    MISSING_AND_EXPLOITATION = "missing_exploitation", _("Missing episodes and an exploitation concern")


class PlantedTrajectory(models.Model):
    """A risk trajectory deliberately planted in one family, for the cumulative-risk triggers to find."""

    run = models.ForeignKey(SyntheticRun, on_delete=models.CASCADE, related_name="trajectories")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=32, choices=TrajectoryKind.choices)
    started_on = models.DateField(_("started"))
    description = models.TextField(_("what was planted"))
    person_ids = models.JSONField(_("people affected"), default=list)
    # The ground truth for the cumulative-risk rules: the rule meant to find it, and whether it is a near-miss that
    # looks like the pattern but should not make that rule fire.
    rule_code = models.CharField(_("rule meant to find it"), max_length=60, blank=True)
    near_miss = models.BooleanField(_("near-miss"), default=False)

    class Meta:
        verbose_name = _("planted trajectory")
        verbose_name_plural = _("planted trajectories")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.household_id})"


class SourceRecordTruth(models.Model):
    """Which true individual a source record describes, whatever linkage later decides."""

    source_record = models.OneToOneField(SourceRecord, on_delete=models.CASCADE, related_name="truth")
    true_person_key = models.CharField(_("true person"), max_length=32, db_index=True)
    distortions = models.CharField(_("recording differences applied"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("source record ground truth")
        verbose_name_plural = _("source record ground truth")

    def __str__(self) -> str:
        return f"{self.source_record_id} -> {self.true_person_key}"
