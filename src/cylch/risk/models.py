"""Cumulative-risk rules kept as data, with their history, and the alerts they raise.

A rule's every change is a new `RiskRuleVersion` row (who changed it, when and why); the rule points at its
current version. An alert names the version that raised it, the children it concerns and the events that made
it fire, so it explains itself even after the rule changes.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner
from cylch.accounts.welsh import in_language
from cylch.chronology.models import ChronologyEvent
from cylch.people.models import Household, Person


class RiskRule(models.Model):
    """A trigger, named by a stable code; what it does is its current version."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    current = models.OneToOneField(
        "RiskRuleVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class RiskRuleVersion(models.Model):
    """One version of a rule, never changed once written: editing a rule writes the next version."""

    rule = models.ForeignKey(RiskRule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    rationale = models.TextField(_("why the rule exists"))
    research = models.TextField(_("research behind it"))
    # The same in Welsh, shown to a Welsh reader; blank falls back to the English.
    name_cy = models.CharField(_("name in Welsh"), max_length=200, blank=True, default="")
    rationale_cy = models.TextField(_("why the rule exists, in Welsh"), blank=True, default="")
    research_cy = models.TextField(_("research behind it, in Welsh"), blank=True, default="")
    definition = models.JSONField(_("definition"))
    lead_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="risk_rules_led",
        help_text=_("Owns the alerts the rule raises. Leave blank for the front door."),
    )
    active = models.BooleanField(_("live"), default=False)
    change_note = models.TextField(_("what changed and why"), blank=True)
    created_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("risk rule version")
        verbose_name_plural = _("risk rule versions")
        ordering = ["rule", "-number"]
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="risk_rule_version_unique")]

    def __str__(self) -> str:
        return f"{self.rule.code} v{self.number}"

    @property
    def label(self) -> str:
        """The rule's name in the reader's language."""
        return in_language(self.name, self.name_cy)

    @property
    def rationale_text(self) -> str:
        return in_language(self.rationale, self.rationale_cy)

    @property
    def research_text(self) -> str:
        return in_language(self.research, self.research_cy)


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Closed")


class AlertOutcome(models.TextChoices):
    REFERRED = "referred", _("Referred to the front door")
    MEETING = "meeting", _("Taken to a multi-agency meeting")
    NO_FURTHER_ACTION = "nfa", _("No further action")


class FollowUp(models.TextChoices):
    """What the service did after a child was not brought (recorded with a Was Not Brought entered by hand)."""

    PHONED = "phoned", _("Phoned the family")
    VISITED = "visited", _("Visited the home")
    REBOOKED = "rebooked", _("Rebooked the appointment")
    DISCUSSED = "discussed", _("Discussed with the safeguarding lead")
    REFERRED = "referred", _("Referred to the front door")


class Alert(models.Model):
    """One firing of one rule on one pattern (a child, or a household for household rules).

    At most one alert per rule and pattern is open at a time (a constraint): the pattern worsening adds its new
    events to the open alert and escalates it instead of raising another."""

    rule = models.ForeignKey(RiskRule, on_delete=models.PROTECT, related_name="alerts")
    version = models.ForeignKey(RiskRuleVersion, on_delete=models.PROTECT, related_name="alerts")
    pattern_key = models.CharField(_("pattern"), max_length=40)
    # Retention may destroy the household or the events of people past their period: the alert loses them too.
    household = models.ForeignKey(Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    level = models.PositiveIntegerField(_("escalation level"), default=1)
    score = models.IntegerField(_("score"), null=True, blank=True)
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="risk_alerts_owned"
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    escalated_at = models.DateTimeField(_("last escalated"), null=True, blank=True)
    acknowledge_due_at = models.DateTimeField(_("acknowledge by"))
    act_due_at = models.DateTimeField(_("act by"))
    acknowledged_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    closed_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=AlertOutcome.choices, blank=True)
    outcome_reason = models.TextField(_("why"), blank=True)
    people: models.ManyToManyField[Person, AlertSubject] = models.ManyToManyField(
        Person, through="AlertSubject", related_name="risk_alerts"
    )
    events: models.ManyToManyField[ChronologyEvent, AlertEvent] = models.ManyToManyField(
        ChronologyEvent, through="AlertEvent", related_name="risk_alerts"
    )

    class Meta:
        verbose_name = _("risk alert")
        verbose_name_plural = _("risk alerts")
        ordering = ["acknowledge_due_at", "pk"]
        indexes = [
            models.Index(fields=["owner_agency", "status"], name="alert_owner_status"),
            # Every evaluation that fires looks up its patterns' alerts, closed ones included (their events are
            # not raised again): the one-open-per-pattern index only holds the open ones.
            models.Index(fields=["pattern_key", "rule"], name="alert_pattern"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "pattern_key"], condition=~Q(status="closed"), name="alert_one_open_per_pattern"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(outcome="") & ~Q(outcome_reason="")),
                name="alert_closed_with_outcome_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code} {self.pattern_key} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status != AlertStatus.CLOSED


class AlertSubject(models.Model):
    """A child an alert concerns: it shows on their single view while open."""

    # No single-column indexes: the unique (alert, person) and the (person, alert) indexes lead with each, and every
    # index is one more write for each of a rescan's alert links.
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="subjects", db_index=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "person"], name="alert_subject_unique")]
        indexes = [models.Index(fields=["person", "alert"], name="alert_subject_person")]

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.person_id}"


class AlertEvent(models.Model):
    """An event that made an alert fire, and the escalation level at which it joined."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="alert_events", db_index=False)  # unique
    event = models.ForeignKey(ChronologyEvent, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "event"], name="alert_event_unique")]

    def __str__(self) -> str:
        return f"{self.alert_id}: {self.event_id}"


class ReceivedAppointment(models.Model):
    """A Was Not Brought an agency's system sent over FHIR, by the agency's own key for it (identifier or id): the
    unique constraint makes a re-send find the event the first one made instead of making another."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("agency's key"), max_length=300)
    event = models.ForeignKey(ChronologyEvent, on_delete=models.CASCADE, related_name="+")
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("appointment received")
        verbose_name_plural = _("appointments received")
        constraints = [models.UniqueConstraint(fields=["agency", "key"], name="received_appointment_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.key}"


class RiskFactorKind(models.TextChoices):
    """DOMAIN.md's child vulnerabilities and parent/carer risk factors (the 2023 thematic analysis's coding frame),
    as far as agencies' records show them; `cylch.risk.factors` gives each its group and census codes."""

    NEGLECT = "neglect", _("Neglect")
    EMOTIONAL_ABUSE = "emotional_abuse", _("Emotional abuse")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    POOR_HOME_CONDITIONS = "poor_home_conditions", _("Poor home conditions")
    LIVING_WITH_DOMESTIC_ABUSE = "living_with_domestic_abuse", _("Living with domestic abuse")
    SELF_HARM = "self_harm", _("Suicidal thoughts or self-harm")
    CHILD_MENTAL_HEALTH = "child_mental_health", _("Mental health (the child's)")
    CHILD_SUBSTANCE_MISUSE = "child_substance_misuse", _("Drug or alcohol misuse (the child's)")
    MISSING = "missing", _("Missing episodes")
    CRIMINAL_EXPLOITATION = "criminal_exploitation", _("Criminal exploitation")
    SEXUAL_EXPLOITATION = "sexual_exploitation", _("Sexual exploitation")
    NOT_IN_SCHOOL = "not_in_school", _("Home educated or not in school")
    YOUNG_CARER = "young_carer", _("Young carer")
    FGM = "fgm", _("Female genital mutilation or honour-based abuse")
    CARER_SUBSTANCE_MISUSE = "carer_substance_misuse", _("Parent or carer drug or alcohol misuse")
    CARER_MENTAL_HEALTH = "carer_mental_health", _("Parent or carer mental health")
    DOMESTIC_ABUSE_RELATIONSHIP = "domestic_abuse_relationship", _("Domestic abuse relationship")
    CRIMINAL_HISTORY = "criminal_history", _("Criminal history")
    NEW_ADULT_IN_HOUSEHOLD = "new_adult_in_household", _("New partner or adult joining the household")


class RiskFactorSource(models.TextChoices):
    CONCERN = "concern", _("A concern")
    DECISION = "decision", _("A front-door decision")
    AGENCY_EVENT = "agency_event", _("An agency's record")


class RiskFactor(models.Model):
    """One piece of evidence that a person has a risk factor: the event that shows it, whose agency, and when.

    Derived from the chronology (a concern's categories, the front door's decision on one, an agency's event), so
    it is never typed twice and always points at its source; a factor is current while its latest evidence is
    recent (`cylch.risk.factors.CURRENT_FOR_DAYS`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="risk_factors")
    kind = models.CharField(_("risk factor"), max_length=32, choices=RiskFactorKind.choices)
    source = models.CharField(_("source"), max_length=16, choices=RiskFactorSource.choices)
    event = models.ForeignKey(ChronologyEvent, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    observed_on = models.DateField(_("seen on"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")
        constraints = [models.UniqueConstraint(fields=["event", "kind"], name="risk_factor_once_per_event")]
        indexes = [models.Index(fields=["person", "kind", "observed_on"], name="risk_factor_person")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind} ({self.observed_on})"


class WasNotBroughtFollowUp(models.Model):
    """The protocol's ask: a child not brought twice to one service is followed up by that service (the one that
    booked the appointments) within a set number of working days. Open until the service records what it did."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="was_not_brought_follow_ups")
    events: models.ManyToManyField[ChronologyEvent, Any] = models.ManyToManyField(ChronologyEvent, related_name="+")
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    due_at = models.DateTimeField(_("follow up by"))
    done_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    done_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    follow_up = models.CharField(_("what was done"), max_length=12, choices=FollowUp.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("Was Not Brought follow-up")
        verbose_name_plural = _("Was Not Brought follow-ups")
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "agency"], condition=Q(done_at__isnull=True), name="wnb_follow_up_one_open"
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | ~Q(follow_up=""), name="wnb_follow_up_done_says_what"
            ),
        ]
        indexes = [models.Index(fields=["agency", "done_at"], name="wnb_follow_up_agency")]

    def __str__(self) -> str:
        return f"{self.person_id} / {self.agency_id} due {self.due_at:%Y-%m-%d}"
