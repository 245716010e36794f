"""Practice reviews: the register (a review, its incident and its stages), findings, recommendations, the actions
that carry them out, and the region's library of published reports and briefings.

A review is known by its code ("CTM-2024-03"), never by a child's name; the thematic coding of reviews (a separate
app) refers to a review by the same code. The link to the child's Cylch record is for the board alone.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner
from cylch.people.models import Ethnicity, Person


class IncidentKind(models.TextChoices):
    """DOMAIN's coding frame: a death or serious harm, by kind."""

    DEATH_SUICIDE = "death_suicide", _("Death: suicide")
    DEATH_MEDICAL = "death_medical", _("Death: other medical or health cause")
    DEATH_NAI = "death_nai", _("Death: non-accidental injury")
    DEATH_SUDI = "death_sudi", _("Death: sudden unexpected death in infancy")
    DEATH_HOMICIDE = "death_homicide", _("Death: homicide")
    HARM_PHYSICAL = "harm_physical", _("Serious harm: non-fatal physical abuse")
    HARM_SEXUAL = "harm_sexual", _("Serious harm: sexual abuse")
    HARM_NEGLECT = "harm_neglect", _("Serious harm: neglect")
    HARM_EXPLOITATION = "harm_exploitation", _("Serious harm: exploitation")
    HARM_SELF_HARM = "harm_self_harm", _("Serious harm: self-harm")


class AgeBand(models.TextChoices):
    UNDER_3_MONTHS = "0_3m", _("0 to 3 months")
    MONTHS_3_12 = "3_12m", _("3 to 12 months")
    YEARS_1_4 = "1_4", _("1 to 4 years")
    YEARS_5_10 = "5_10", _("5 to 10 years")
    YEARS_11_12 = "11_12", _("11 to 12 years")
    YEARS_13_PLUS = "13_plus", _("13 years or older")


class Characteristic(models.TextChoices):
    """The child characteristics the 2023 analysis coded (never a name, a date of birth or an address)."""

    SIBLINGS = "siblings", _("Has siblings")
    HALF_SIBLINGS = "half_siblings", _("Has half-siblings")
    LARGE_SIBLING_GROUP = "large_sibling_group", _("Large sibling group (3 or more)")
    ELDEST = "eldest", _("Eldest child")
    YOUNGEST = "youngest", _("Youngest child")
    ON_REGISTER = "on_register", _("On the child protection register in the 6 months before")
    LOOKED_AFTER = "looked_after", _("Looked after in the 6 months before")


class Theme(models.TextChoices):
    """DOMAIN's practice themes: what findings are grouped under and recommendations are counted by."""

    PROFESSIONAL_CURIOSITY = "professional_curiosity", _("Professional curiosity")
    CHILDS_VOICE = "childs_voice", _("Child's voice and lived experience")
    WHOLE_FAMILY = "whole_family", _("Whole-family approach")
    CUMULATIVE_RISK = "cumulative_risk", _("Co-occurring harms and cumulative risk")
    SELF_REPORT = "self_report", _("Over-reliance on self-report and disguised compliance")
    THRESHOLDS = "thresholds", _("Threshold uncertainty")
    ESCALATION = "escalation", _("Escalation and challenge")
    INFORMATION_SHARING = "information_sharing", _("Information sharing")
    HEALTH_COMPLEXITY = "health_complexity", _("Health complexity (no single record)")
    WAS_NOT_BROUGHT = "was_not_brought", _("Missed appointments and Was Not Brought")
    RECORDING = "recording", _("Recording quality")
    WORKFORCE = "workforce", _("Workforce capacity, supervision and training")
    COVID = "covid", _("Covid-19")
    CULTURE = "culture", _("Culture, ethnicity and language")
    TRANSITIONS = "transitions", _("Transitions")


class RecommendationLevel(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class ActionStatus(models.TextChoices):
    """An agency moves its action to 'completed' with evidence; only the board moves it to 'closed'."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed, awaiting the board's sign-off")
    CLOSED = "closed", _("Closed by the board")


OPEN_ACTION_STATUSES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED)


class Review(models.Model):
    """One practice review of one incident: its type's stages, its quality record, its learning."""

    code = models.CharField(_("review code"), max_length=30, unique=True)
    title = models.CharField(_("short description"), max_length=200)
    review_type = models.CharField(_("type of review"), max_length=32)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("local authority")
    )
    incident_kind = models.CharField(_("kind of incident"), max_length=32, choices=IncidentKind.choices)
    incident_date = models.DateField(_("date of the incident"))
    age_band = models.CharField(_("child's age band"), max_length=8, choices=AgeBand.choices)
    characteristics = models.JSONField(_("child's characteristics"), default=list, blank=True)
    ethnicity = models.CharField(_("child's ethnicity"), max_length=4, choices=Ethnicity.choices, blank=True)
    family_details = models.TextField(_("family details"), blank=True)
    review_period_start = models.DateField(_("review period from"), null=True, blank=True)
    review_period_end = models.DateField(_("review period to"), null=True, blank=True)
    review_period_rationale = models.TextField(_("why the review period is longer than 12 months"), blank=True)
    family_views = models.TextField(_("the family's views"), blank=True)
    family_not_involved_reason = models.TextField(_("why the family's views are not included"), blank=True)
    practitioner_involvement = models.TextField(_("how practitioners were involved"), blank=True)
    child_story = models.TextField(_("the child's story and voice"), blank=True)
    analysis = models.TextField(_("analysis of why"), blank=True)
    # The child's record, for the board alone (shown only on board pages, each showing logged through access).
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("child's record")
    )
    registered_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("practice review")
        verbose_name_plural = _("practice reviews")
        ordering = ["-incident_date", "code"]

    def __str__(self) -> str:
        return self.code


class ReviewStage(models.Model):
    """A stage of one review with its clock, copied from the type's definition when the review was registered."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    name_cy = models.CharField(max_length=200)
    anchor = models.CharField(max_length=40)
    clock_unit = models.CharField(max_length=16, blank=True)
    clock_amount = models.PositiveSmallIntegerField(null=True, blank=True)
    milestone = models.CharField(max_length=16, blank=True)
    planned_on = models.DateField(_("planned"), null=True, blank=True)
    actual_on = models.DateField(_("happened"), null=True, blank=True)

    class Meta:
        ordering = ["review", "position"]
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="review_stage_unique_code")]

    def __str__(self) -> str:
        return f"{self.review.code}: {self.name}"

    def label(self) -> str:
        """The stage's name in the active language."""
        return self.name_cy if translation.get_language() == "cy" and self.name_cy else self.name


class Finding(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("finding"))
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="finding_unique_number")]

    def __str__(self) -> str:
        return f"{self.review.code} F{self.number}"


class Recommendation(models.Model):
    """Tied to a finding (and so to its theme), owned by one agency, with the outcome it should bring."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("recommendation"))
    level = models.CharField(_("level"), max_length=16, choices=RecommendationLevel.choices)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="review_recommendations", verbose_name=_("owning agency")
    )
    intended_outcome = models.TextField(_("intended outcome"))
    measure = models.TextField(_("how it will be measured"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="recommendation_unique_number")]

    def __str__(self) -> str:
        return f"{self.review.code} R{self.number}"

    @property
    def theme(self) -> str:
        return self.finding.theme


class Action(models.Model):
    """One step of the action plan: the owning agency does it and shows evidence; the board closes it."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="review_actions", verbose_name=_("owning agency")
    )
    owner_name = models.CharField(_("named owner"), max_length=200)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    evidence_of_completion = models.TextField(_("evidence of completion"), blank=True)
    evidence_of_impact = models.TextField(_("evidence of impact"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | models.Q(closed_by__isnull=False, closed_at__isnull=False),
                name="action_closed_by_someone",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}: {self.description[:40]}"

    @property
    def is_open(self) -> bool:
        return self.status != ActionStatus.CLOSED


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Published report")
    BRIEFING = "briefing", _("7-minute briefing")


class ReviewDocument(models.Model):
    """A published report or briefing, kept in the database with its text for searching (a few MB each, a few a
    year: backed up and restored with everything else)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=16, choices=DocumentKind.choices)
    language = models.CharField(_("language"), max_length=2, choices=[("en", "English"), ("cy", "Cymraeg")])
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "kind", "language"]

    def __str__(self) -> str:
        return self.filename
