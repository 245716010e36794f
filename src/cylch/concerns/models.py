"""The front door's records: concerns, who they are about, triage, threshold decisions and challenges.

Decisions and challenges are append-only: a revised decision is a new row pointing at the one it replaces,
with the reason, so the history of what the front door decided and why is never overwritten.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner
from cylch.people.models import Ethnicity, Language, Person, Sex


class ConcernKind(models.TextChoices):
    MULTI_AGENCY_REFERRAL = "marf", _("Multi-agency referral")
    POLICE_PROTECTION_NOTICE = "ppn", _("Police public protection notice")
    DUTY_TO_REPORT = "duty_to_report", _("Duty to report")
    INFORMATION_SHARING = "information_sharing", _("Information sharing (soft intelligence)")
    WAS_NOT_BROUGHT = "was_not_brought", _("Was not brought")


class Category(models.TextChoices):
    """Categories of concern (DOMAIN.md's vocabulary); `CIN_CATEGORY` maps them to census codes where they fit."""

    NEGLECT = "neglect", _("Neglect")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    EMOTIONAL_ABUSE = "emotional_abuse", _("Emotional abuse")
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    CRIMINAL_EXPLOITATION = "criminal_exploitation", _("Criminal exploitation")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    MISSING = "missing", _("Missing episodes")
    SELF_HARM = "self_harm", _("Self-harm or suicidal thoughts")
    PARENTAL_SUBSTANCE_MISUSE = "parental_substance_misuse", _("Parental drug or alcohol misuse")
    PARENTAL_MENTAL_HEALTH = "parental_mental_health", _("Parental mental health")
    POOR_HOME_CONDITIONS = "poor_home_conditions", _("Poor home conditions")
    NOT_IN_SCHOOL = "not_in_school", _("Not in school or home educated")
    YOUNG_CARER = "young_carer", _("Young carer")
    ONLINE_HARM = "online_harm", _("Online harm")
    FGM_HONOUR_BASED_ABUSE = "fgm_honour_based_abuse", _("FGM or honour-based abuse")
    RADICALISATION = "radicalisation", _("Radicalisation")
    OTHER = "other", _("Other")


def category_labels(codes: Iterable[str]) -> list[str]:
    """The readable, translated names of category codes (an unknown code is left out, never shown raw)."""
    return [str(Category(code).label) for code in codes if code in Category.values]


# Children-in-need census category-of-abuse codes, where a category fits one (the rest have no census code).
CIN_CATEGORY: dict[str, str] = {
    Category.NEGLECT: "NEG",
    Category.PHYSICAL_ABUSE: "PHY",
    Category.SEXUAL_ABUSE: "SAB",
    Category.EMOTIONAL_ABUSE: "EMO",
}


class FamilyAware(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not_sure", _("Not sure")


class Stage(models.TextChoices):
    RECEIVED = "received", _("Received")
    SCREENING = "screening", _("Screening")
    DECIDED = "decided", _("Decision made")


class Outcome(models.TextChoices):
    """Threshold decision outcomes (DOMAIN.md glossary)."""

    NO_FURTHER_ACTION = "nfa", _("No further action")
    INFORMATION_ADVICE_ASSISTANCE = "iaa", _("Information, advice and assistance")
    EARLY_HELP = "early_help", _("Early help or preventative service")
    CARE_AND_SUPPORT_ASSESSMENT = "assessment", _("Care and support assessment")
    STRATEGY_DISCUSSION = "strategy_discussion", _("Strategy discussion")
    IMMEDIATE_PROTECTION = "immediate_protection", _("Immediate protection")
    PASSED_ON = "passed_on", _("Passed to another authority or agency")


# Outcomes below the statutory level: with the child on the register, looked after or allocated a social worker,
# or an information request unanswered, the front door confirms them with a reason.
BELOW_STATUTORY = frozenset({Outcome.NO_FURTHER_ACTION, Outcome.INFORMATION_ADVICE_ASSISTANCE, Outcome.EARLY_HELP})
# Outcomes that lead to children's services' work (a social-work assessment, a strategy discussion and any section
# 47 enquiry, immediate protection): after one of them the front door may allocate a social worker or a team.
ALLOCATING = frozenset({Outcome.CARE_AND_SUPPORT_ASSESSMENT, Outcome.STRATEGY_DISCUSSION, Outcome.IMMEDIATE_PROTECTION})


class Concern(models.Model):
    """A safeguarding concern as the front door received it. Reference format: YYYY-XXXXXXC (see references.py)."""

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    kind = models.CharField(_("kind of concern"), max_length=24, choices=ConcernKind.choices)
    categories = models.JSONField(_("categories of concern"), default=list)
    what_happened = models.TextField(_("what happened"))
    happened_on = models.DateField(_("when it happened"), null=True, blank=True)
    how_known = models.TextField(_("how you know"), blank=True)
    child_words = models.TextField(_("the child's own words"), blank=True)
    family_aware = models.CharField(_("does the family know"), max_length=8, choices=FamilyAware.choices)
    family_not_aware_reason = models.TextField(_("why the family does not know"), blank=True)
    immediate_risk = models.BooleanField(_("child at immediate risk"), default=False)
    immediate_risk_details = models.TextField(_("immediate risk details"), blank=True)
    referrer = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="concerns_raised")
    referrer_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="concerns_raised")
    referrer_phone = models.CharField(_("referrer phone"), max_length=32, blank=True)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="concerns")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.RECEIVED)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    screening_started_at = models.DateTimeField(_("screening started"), null=True, blank=True)
    decided_at = models.DateTimeField(_("first decision"), null=True, blank=True)
    feedback_sent_at = models.DateTimeField(_("feedback sent"), null=True, blank=True)
    decision_due_at = models.DateTimeField(_("decision due"))
    feedback_due_on = models.DateField(_("feedback due"))

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["stage", "received_at"], name="concern_queue"),
            models.Index(fields=["referrer", "-received_at"], name="concern_referrer"),
        ]

    def __str__(self) -> str:
        return self.reference

    def category_labels(self) -> list[str]:
        return category_labels(self.categories)


class SubjectRole(models.TextChoices):
    CHILD = "child", _("Child the concern is about")
    HOUSEHOLD_MEMBER = "household_member", _("Other household member")


class ConcernSubject(models.Model):
    """Someone a concern is about, as the referrer described them, and the person linkage resolved them to."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="subjects")
    role = models.CharField(_("role"), max_length=20, choices=SubjectRole.choices)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    is_unborn = models.BooleanField(_("unborn"), default=False)
    expected_delivery_date = models.DateField(_("expected date of delivery"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    nhs_number = models.CharField(_("NHS number"), max_length=10, blank=True)
    upn = models.CharField(_("unique pupil number"), max_length=13, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    relationship = models.CharField(_("relationship to the child"), max_length=100, blank=True)
    # The referrer's answers, kept as given (blank or None: not known); the person's record takes them only where
    # it has none (`cylch.people.services.person_identity_record`), so another agency's answer is never replaced.
    ethnicity = models.CharField(_("ethnicity"), max_length=4, choices=Ethnicity.choices, blank=True)
    first_language = models.CharField(_("first language"), max_length=5, choices=Language.choices, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), null=True, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="concern_subjects")

    class Meta:
        verbose_name = _("concern subject")
        verbose_name_plural = _("concern subjects")
        ordering = ["pk"]

    def __str__(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p) or str(_("Unnamed"))

    @property
    def full_name(self) -> str:
        return str(self)


class SubmissionKey(models.Model):
    """One row per (submitter, idempotency key): a retried submission finds the concern the first one stored."""

    submitter = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("idempotency key"), max_length=100)
    payload_hash = models.CharField(max_length=64)
    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="submission_key")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submitter", "key"], name="submission_key_unique")]

    def __str__(self) -> str:
        return f"{self.submitter_id}:{self.key}"


class ConcernDraft(models.Model):
    """A concern being written on the web, saved between question pages. `token` guards against double submits."""

    owner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="concern_drafts")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    concern = models.OneToOneField(Concern, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return str(self.token)


class ScreeningNote(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.concern_id} note {self.pk}"


class InformationRequest(models.Model):
    """The front door asking a named agency what it knows, by a due date."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="information_requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="information_requests")
    question = models.TextField(_("what you need to know"))
    due_on = models.DateField(_("due"))
    requested_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    response = models.TextField(_("response"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Who recorded the answer: a practitioner of the agency asked, or the front door for a reply by phone.
    responded_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["agency", "responded_at", "due_on"], name="information_request_asked")]

    def __str__(self) -> str:
        return f"{self.concern_id} → {self.agency_id}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Unanswered after its due date."""
        return self.responded_at is None and self.due_on < (today or timezone.localdate())


class ThresholdDecision(models.Model):
    """Append-only. The current decision is the newest; a revision names the one it replaces and why."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="decisions")
    outcome = models.CharField(_("decision"), max_length=24, choices=Outcome.choices)
    rationale = models.TextField(_("rationale"))
    decided_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    revision_reason = models.TextField(_("reason for revising"), blank=True)
    # What the decision page warned of (register, looked after, allocated social worker, open requests) when the
    # decision went below the statutory level, and why the front door went ahead.
    checks_shown = models.JSONField(_("checks shown"), default=list, blank=True)
    below_statutory_reason = models.TextField(_("reason for going below the statutory level"), blank=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(revision_reason=""),
                name="decision_revision_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.concern_id}: {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Threshold decisions are never changed: record a revision instead.")
        super().save(*args, **kwargs)


class ChallengeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the decision will be revised")
    NOT_UPHELD = "not_upheld", _("Not upheld: the decision stands")


class Challenge(models.Model):
    """A professional challenge to a threshold decision, resolved by a front-door manager."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="challenges")
    decision = models.ForeignKey(ThresholdDecision, on_delete=models.PROTECT, related_name="challenges")
    raised_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField(_("why you disagree"))
    raised_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(_("response due"))
    status = models.CharField(max_length=12, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    resolved_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolution = models.TextField(_("manager's response"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.concern_id} challenge {self.pk}"


class TimescaleAction(models.Model):
    """What the sweep did about a timescale. Unique per concern, kind and subject so nothing is chased twice."""

    class Kind(models.TextChoices):
        DECISION_OVERDUE = "decision_overdue", _("Decision overdue: front door alerted")
        FEEDBACK_CHASE = "feedback_chase", _("No outcome at 7 working days: front door chased, referrer told")
        ESCALATION = "escalation", _("No outcome at 10 working days: escalated to the front-door manager")
        CHALLENGE_OVERDUE = "challenge_overdue", _("Challenge response overdue: manager alerted")
        INFORMATION_OVERDUE = "information_overdue", _("Information request overdue: agency chased")

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="timescale_actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.BigIntegerField(default=0)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["concern", "kind", "subject_id"], name="timescale_action_once")]

    def __str__(self) -> str:
        return f"{self.concern_id} {self.kind}"
