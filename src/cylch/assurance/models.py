"""The 12Cs self-assessment (Collective Safeguarding Responsibility Model): a partnership's cycle for a period, the
agencies' contributions and assurance returns, the board's moderated score per C, its action plan and sign-off.

Each C is scored on two 1–6 scales (the Care Inspectorate Wales scale and the 12Cs progress scale). Everything a
cycle holds is versioned until sign-off (`Revision`); after sign-off the cycle is read-only and the facts the platform
measured are frozen beside the scores (`MeasuredFact`), so the report reads the same next year.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner, Region

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(6)]
PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Component(models.TextChoices):
    """The twelve Cs, in the model's order (Ball & McManus 2023)."""

    C1 = "c1", _("C1 Clarity")
    C2 = "c2", _("C2 Confidence")
    C3 = "c3", _("C3 Competence")
    C4 = "c4", _("C4 Capacity")
    C5 = "c5", _("C5 Congruence in strategy and operations")
    C6 = "c6", _("C6 Co-location and cooperation")
    C7 = "c7", _("C7 Culture of inclusion, transparency and challenge")
    C8 = "c8", _("C8 Cohesion between services")
    C9 = "c9", _("C9 Continuity, consistency and stability")
    C10 = "c10", _("C10 Coordination of data collection")
    C11 = "c11", _("C11 Collaboration forums and pathways")
    C12 = "c12", _("C12 Commitment and creativity")


class PartnershipLevel(models.TextChoices):
    REGION = "region", _("Region")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    AGENCY = "agency", _("Agency")


class Timeframe(models.TextChoices):
    """How far off the improvement is: the model's two horizons, or the police command levels boards also use."""

    STRATEGIC = "strategic", _("Strategic (longer term)")
    OPERATIONAL = "operational", _("Operational (shorter term)")
    GOLD = "gold", _("Gold (strategic)")
    SILVER = "silver", _("Silver (tactical)")
    BRONZE = "bronze", _("Bronze (operational)")


class Cycle(models.Model):
    """One partnership's self-assessment for one period: opened by the board, signed off once, then read-only."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="assurance_cycles")
    level = models.CharField(_("partnership"), max_length=16, choices=PartnershipLevel.choices)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="assurance_cycles", null=True, blank=True
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assurance_cycles", null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    contributions_due = models.DateField(_("contributions and returns due"))
    # The agencies asked to contribute and to file a return; by default every agency of the partnership.
    partner_agencies = models.ManyToManyField(Agency, related_name="assurance_partner_cycles", blank=True)
    opened_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    signed_off_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("12Cs cycle")
        verbose_name_plural = _("12Cs cycles")
        ordering = ["-period_end", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")), name="cycle_period"),
            models.CheckConstraint(
                condition=(
                    models.Q(level="region", local_authority__isnull=True, agency__isnull=True)
                    | models.Q(level="local_authority", local_authority__isnull=False, agency__isnull=True)
                    | models.Q(level="agency", agency__isnull=False)
                ),
                name="cycle_partnership_matches_level",
            ),
            models.CheckConstraint(
                condition=models.Q(signed_off_at__isnull=True, signed_off_by__isnull=True)
                | models.Q(signed_off_at__isnull=False, signed_off_by__isnull=False),
                name="cycle_signed_off_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_signed_off(self) -> bool:
        return self.signed_off_at is not None


class LocalPrompt(models.Model):
    """A question the board adds to a C's template prompts for its own partnership."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="local_prompts")
    component = models.CharField(_("component"), max_length=4, choices=Component.choices)
    text = models.TextField(_("prompt"))
    text_cy = models.TextField(_("prompt in Welsh"), blank=True)
    added_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "component", "pk"]

    def __str__(self) -> str:
        return f"{self.get_component_display()}: {self.text[:40]}"


class Assessment(models.Model):
    """The board's moderated view of one C in one cycle: the agreed scores and everything behind them."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    component = models.CharField(_("component"), max_length=4, choices=Component.choices)
    ciw_score = models.PositiveSmallIntegerField(
        _("Care Inspectorate Wales score"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    progress_score = models.PositiveSmallIntegerField(
        _("12Cs progress score"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    evidence = models.TextField(_("evidence"), blank=True)
    # Why the agreed score differs from the agencies' proposals (required when it does).
    moderation_note = models.TextField(_("why the agreed score differs from the proposals"), blank=True)
    accountable_lead = models.ForeignKey(
        Practitioner,
        on_delete=models.PROTECT,
        related_name="assurance_leads",
        null=True,
        blank=True,
        verbose_name=_("accountable lead"),
    )
    timeframe = models.CharField(_("implementation timeframe"), max_length=16, choices=Timeframe.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["cycle", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "component"], name="assessment_one_per_component"),
            models.CheckConstraint(
                condition=models.Q(ciw_score__isnull=True) | models.Q(ciw_score__gte=1, ciw_score__lte=6),
                name="assessment_ciw_score_1_to_6",
            ),
            models.CheckConstraint(
                condition=models.Q(progress_score__isnull=True)
                | models.Q(progress_score__gte=1, progress_score__lte=6),
                name="assessment_progress_score_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.get_component_display()}"


class StakeholderPartner(models.Model):
    """An agency with a part in improving one C, and what its part is."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="stakeholders")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=300)

    class Meta:
        ordering = ["assessment", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["assessment", "agency"], name="stakeholder_once_per_c")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.role[:40]}"


class ReviewPoint(models.Model):
    """A date by which the board looks again at one C's progress."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="review_points")
    due_on = models.DateField(_("review by"))
    description = models.CharField(_("what is reviewed"), max_length=300)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.description[:40]}"


class Contribution(models.Model):
    """One partner agency's evidence and proposed scores for one C; the agency edits it until sign-off."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="contributions")
    component = models.CharField(_("component"), max_length=4, choices=Component.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assurance_contributions")
    evidence = models.TextField(_("evidence"))
    proposed_ciw_score = models.PositiveSmallIntegerField(
        _("proposed Care Inspectorate Wales score"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    proposed_progress_score = models.PositiveSmallIntegerField(
        _("proposed 12Cs progress score"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["cycle", "component", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "component", "agency"], name="contribution_one_per_agency"),
            models.CheckConstraint(
                condition=models.Q(proposed_ciw_score__isnull=True)
                | models.Q(proposed_ciw_score__gte=1, proposed_ciw_score__lte=6),
                name="contribution_ciw_score_1_to_6",
            ),
            models.CheckConstraint(
                condition=models.Q(proposed_progress_score__isnull=True)
                | models.Q(proposed_progress_score__gte=1, proposed_progress_score__lte=6),
                name="contribution_progress_score_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_component_display()}"


class EvidenceAttachment(models.Model):
    """A document behind a C's evidence: the board's (no agency) or one agency's. A few a cycle, kept in the
    database so backups and retention treat them with everything else."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="attachments")
    component = models.CharField(_("component"), max_length=4, choices=Component.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "component", "uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class ImprovementAction(models.Model):
    """One step of a C's action plan: an owning agency and a named owner, a due date, and the evidence that it is
    done. Open actions appear in the owners' work lists and are chased through the outbox once overdue."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="assurance_actions", verbose_name=_("owning agency")
    )
    owner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, related_name="assurance_actions", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    evidence_of_completion = models.TextField(_("evidence of completion"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_on__isnull=False),
                name="improvement_action_completed_on",
            )
        ]

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def is_open(self) -> bool:
        return self.status != ActionStatus.COMPLETED


class TrainingLevel(models.TextChoices):
    """The Welsh National Safeguarding Training, Learning and Development Standards' groups."""

    GROUP_A = "group_a", _("Group A: everyone who works with the public")
    GROUP_B = "group_b", _("Group B: works with children or adults at risk")
    GROUP_C = "group_c", _("Group C: assesses and plans for children or adults at risk")
    GROUP_D = "group_d", _("Group D: designated and named safeguarding leads")
    GROUP_E = "group_e", _("Group E: safeguarding managers and senior leaders")
    GROUP_F = "group_f", _("Group F: board members and executives")


class AssuranceReturn(models.Model):
    """One agency's workforce assurance for a period of a cycle (the section 11 / section 175 style return):
    supervision, designated-lead posts, vacancies and turnover, and named gaps; training compliance by level is in
    `TrainingCompliance`. A draft until submitted; late ones are chased."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="assurance_returns")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due"))
    supervision_expected = models.PositiveIntegerField(_("supervision sessions expected"), null=True, blank=True)
    supervision_held = models.PositiveIntegerField(_("supervision sessions held"), null=True, blank=True)
    designated_lead_posts = models.PositiveIntegerField(_("designated safeguarding lead posts"), null=True, blank=True)
    designated_lead_posts_filled = models.PositiveIntegerField(
        _("designated safeguarding lead posts filled"), null=True, blank=True
    )
    safeguarding_posts = models.PositiveIntegerField(_("posts in safeguarding roles"), null=True, blank=True)
    vacancies = models.PositiveIntegerField(_("vacancies in safeguarding roles"), null=True, blank=True)
    leavers = models.PositiveIntegerField(_("leavers from safeguarding roles in the period"), null=True, blank=True)
    gaps = models.TextField(_("named gaps"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "agency__name", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "agency", "period_start"], name="return_one_per_agency_period"),
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")), name="return_period"),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.period_start}–{self.period_end}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class TrainingCompliance(models.Model):
    """The share of an agency's staff in one training group who are trained, against the agency's target."""

    assurance_return = models.ForeignKey(AssuranceReturn, on_delete=models.CASCADE, related_name="training")
    level = models.CharField(_("training group"), max_length=16, choices=TrainingLevel.choices)
    compliance_percent = models.DecimalField(
        _("staff trained (%)"), max_digits=5, decimal_places=1, validators=PERCENT_VALIDATORS
    )
    target_percent = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=1, validators=PERCENT_VALIDATORS)

    class Meta:
        ordering = ["assurance_return", "level"]
        constraints = [
            models.UniqueConstraint(fields=["assurance_return", "level"], name="training_once_per_level"),
            models.CheckConstraint(
                condition=models.Q(compliance_percent__gte=0, compliance_percent__lte=100)
                & models.Q(target_percent__gte=0, target_percent__lte=100),
                name="training_percent_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.compliance_percent}%"


class Revision(models.Model):
    """One saved change to a cycle before sign-off: what it was, who made it, and the record as it then stood, so
    the history of every score, contribution, action and return can be read back."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="revisions")
    # The kind of record ("assessment", "contribution", "action", "return", "cycle", "prompt", ...) and its key.
    subject = models.CharField(max_length=32)
    subject_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField()
    component = models.CharField(max_length=4, choices=Component.choices, blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    summary = models.CharField(max_length=300)
    snapshot = models.JSONField()
    changed_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "changed_at", "pk"]
        indexes = [models.Index(fields=["cycle", "subject", "subject_id"], name="revision_subject")]

    def __str__(self) -> str:
        return f"{self.subject} {self.subject_id} v{self.version}: {self.summary}"


class MeasuredFact(models.Model):
    """A figure the platform measured for a C, frozen at sign-off (before then the facts are computed live)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="measured_facts")
    component = models.CharField(max_length=4, choices=Component.choices)
    code = models.CharField(max_length=64)
    numerator = models.IntegerField(null=True, blank=True)
    denominator = models.IntegerField(null=True, blank=True)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "component", "code"]
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="measured_fact_once_per_cycle")]

    def __str__(self) -> str:
        return f"{self.code}: {self.value}"
