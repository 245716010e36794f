"""Multi-agency meetings, their decisions, the care and support protection plan, and what was circulated.

A meeting is convened (children, chair, invitees) before it is held; holding it records attendance, the child's
views and the minutes; decisions follow, each with its rationale and any dissent. A conference's decision to
register starts a child's plan; the plan's every change is a new `PlanVersion` (what changed and why). Invitees
see the meeting's children through an access grant (`MeetingAccess`) for the meeting and the plan's life.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.access.models import AccessGrant
from cylch.accounts.models import Agency, LocalAuthority, Practitioner, Region
from cylch.concerns.models import Concern
from cylch.people.models import Person, RegisterCategory


class MeetingKind(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", _("Strategy discussion")
    INITIAL_CONFERENCE = "initial_conference", _("Initial child protection conference")
    REVIEW_CONFERENCE = "review_conference", _("Review child protection conference")
    PRE_BIRTH_CONFERENCE = "pre_birth_conference", _("Pre-birth conference")
    CORE_GROUP = "core_group", _("Core group")
    MULTI_AGENCY = "multi_agency", _("Multi-agency meeting")


# Conferences decide on registration; an initial or pre-birth one normally follows a strategy discussion.
CONFERENCE_KINDS = frozenset(
    {MeetingKind.INITIAL_CONFERENCE, MeetingKind.REVIEW_CONFERENCE, MeetingKind.PRE_BIRTH_CONFERENCE}
)
FIRST_CONFERENCE_KINDS = frozenset({MeetingKind.INITIAL_CONFERENCE, MeetingKind.PRE_BIRTH_CONFERENCE})


class Meeting(models.Model):
    """One meeting about one or more children (siblings are considered together)."""

    kind = models.CharField(_("kind of meeting"), max_length=24, choices=MeetingKind.choices)
    held_at = models.DateTimeField(_("date and time"))
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="meetings")
    chair = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="meetings_chaired")
    lead_practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings_led"
    )
    children: models.ManyToManyField[Person, MeetingChild] = models.ManyToManyField(
        Person, through="MeetingChild", related_name="meetings"
    )
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    strategy_discussion = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="conferences"
    )
    no_strategy_reason = models.TextField(_("why there was no strategy discussion"), blank=True)
    family_invited = models.BooleanField(_("family invited"), default=False)
    child_invited = models.BooleanField(_("child invited"), default=False)
    advocate_invited = models.BooleanField(_("advocate invited"), default=False)
    family_attended = models.BooleanField(_("family attended"), null=True, blank=True)
    child_attended = models.BooleanField(_("child attended"), null=True, blank=True)
    advocate_attended = models.BooleanField(_("advocate attended"), null=True, blank=True)
    child_views = models.TextField(_("the child's views and wishes"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    assessment_completed_on = models.DateField(_("assessment completed"), null=True, blank=True)
    held = models.BooleanField(_("held"), default=False)
    created_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("convened"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["kind", "held_at"], name="meeting_kind_when")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(FIRST_CONFERENCE_KINDS))
                | Q(strategy_discussion__isnull=False)
                | ~Q(no_strategy_reason=""),
                name="meeting_conference_has_strategy_or_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"

    @property
    def is_conference(self) -> bool:
        return self.kind in CONFERENCE_KINDS

    @property
    def not_recorded_as_held(self) -> bool:
        """Booked for a day now past and never recorded as held: the chair must record it, or book it again."""
        return not self.held and timezone.localtime(self.held_at).date() < timezone.localdate()


class MeetingChild(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="meeting_children")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("child in a meeting")
        verbose_name_plural = _("children in meetings")
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="meeting_child_once")]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.person_id}"


class Attendance(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    APOLOGIES = "apologies", _("Sent apologies")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend")


class Invitee(models.Model):
    """A practitioner invited for their agency, in a role (e.g. "named health visitor")."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="meeting_invitations")
    role = models.CharField(_("role"), max_length=120)
    attendance = models.CharField(
        _("attendance"), max_length=16, choices=Attendance.choices, default=Attendance.INVITED
    )
    invited_at = models.DateTimeField(_("invited"), default=timezone.now)

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["agency__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "practitioner"], name="invitee_once")]

    def __str__(self) -> str:
        return f"{self.practitioner} ({self.agency})"


class MeetingAccess(models.Model):
    """The access grant a meeting gave one of its people (invitee, chair, lead practitioner) to one of its children:
    ended with the meeting or the plan."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="access")
    practitioner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    grant = models.OneToOneField(AccessGrant, on_delete=models.CASCADE, related_name="meeting_access")

    class Meta:
        verbose_name = _("meeting access")
        verbose_name_plural = _("meeting access")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.practitioner_id} → {self.grant_id}"


class AgencyReport(models.Model):
    """What one agency knows, submitted before the meeting and shared with the family ahead of a conference."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("report"))
    # An attachment is kept in the database (a few MB, a few per meeting): backed up, and destroyed by retention,
    # with the rest of the record.
    attachment_name = models.CharField(_("attachment"), max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    shared_with_family_on = models.DateField(_("shared with the family"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency report")
        verbose_name_plural = _("agency reports")
        ordering = ["submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agency} → {self.meeting_id}"


class DecisionKind(models.TextChoices):
    SECTION_47 = "section_47", _("Child protection enquiry (section 47)")
    ASSESSMENT = "assessment", _("Care and support assessment")
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    REGISTER = "register", _("Register and agree a care and support protection plan")
    NOT_REGISTER = "not_register", _("Do not register")
    CONTINUE_PLAN = "continue_plan", _("Continue the plan")
    END_PLAN = "end_plan", _("End the plan and de-register")
    OTHER = "other", _("Other decision")


# Which decisions each kind of meeting may make.
DECISIONS_BY_KIND: dict[str, frozenset[str]] = {
    MeetingKind.STRATEGY_DISCUSSION: frozenset(
        {DecisionKind.SECTION_47, DecisionKind.ASSESSMENT, DecisionKind.NO_FURTHER_ACTION, DecisionKind.OTHER}
    ),
    MeetingKind.INITIAL_CONFERENCE: frozenset({DecisionKind.REGISTER, DecisionKind.NOT_REGISTER, DecisionKind.OTHER}),
    MeetingKind.PRE_BIRTH_CONFERENCE: frozenset({DecisionKind.REGISTER, DecisionKind.NOT_REGISTER, DecisionKind.OTHER}),
    MeetingKind.REVIEW_CONFERENCE: frozenset(
        {DecisionKind.CONTINUE_PLAN, DecisionKind.END_PLAN, DecisionKind.REGISTER, DecisionKind.OTHER}
    ),
    MeetingKind.CORE_GROUP: frozenset({DecisionKind.OTHER}),
    MeetingKind.MULTI_AGENCY: frozenset({DecisionKind.OTHER}),
}
# Decisions about one child (registration is per child even when siblings are considered together).
PER_CHILD_DECISIONS = frozenset(
    {DecisionKind.REGISTER, DecisionKind.NOT_REGISTER, DecisionKind.CONTINUE_PLAN, DecisionKind.END_PLAN}
)


class Decision(models.Model):
    """A meeting's decision with its rationale and any dissent; about one child or all the meeting's children."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    category = models.CharField(
        _("category of registration"), max_length=3, choices=RegisterCategory.choices, blank=True
    )
    rationale = models.TextField(_("rationale"))
    dissent = models.TextField(_("dissent"), blank=True)
    recorded_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="register") | ~Q(category=""), name="decision_register_category")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.kind}"


class Plan(models.Model):
    """A child's care and support protection plan, from registration until a conference ends it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="protection_plans")
    started_by = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="plans_started")
    started_on = models.DateField(_("started"))
    ended_by = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="plans_ended")
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    lead_practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="plans_led"
    )
    current = models.OneToOneField(
        "PlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("care and support protection plan")
        verbose_name_plural = _("care and support protection plans")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(ended_on__isnull=True), name="plan_one_active_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.started_on})"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class PlanVersion(models.Model):
    """The plan's outcomes and contingency as agreed at one point, never changed: a change writes the next."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcomes = models.TextField(_("outcomes for the child"))
    contingency = models.TextField(_("contingency plan"))
    change_note = models.TextField(_("what changed"))
    actions_snapshot = models.JSONField(_("actions at this version"), default=list)
    created_by = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("agreed"), default=timezone.now)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("No longer needed")


class PlanAction(models.Model):
    """Something one agency (and a named practitioner in it) will do by a date, and the evidence it was done.

    `chase_level` counts how far an overdue action has been chased: 1 the owner, 2 the lead practitioner,
    3 the chair."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action"))
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="plan_actions")
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    evidence = models.TextField(_("evidence of completion"), blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    chase_level = models.PositiveSmallIntegerField(default=0)
    last_chased_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="plan_action_due")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="done") | ~Q(evidence=""), name="plan_action_done_evidence")
        ]

    def __str__(self) -> str:
        return self.description[:60]


class CirculationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    MINUTES = "minutes", _("Minutes and decisions")
    PLAN = "plan", _("The plan")


class Circulation(models.Model):
    """One document sent to one recipient through the outbox, and when they opened it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="circulations")
    kind = models.CharField(_("what was sent"), max_length=12, choices=CirculationKind.choices)
    recipient = models.ForeignKey(Practitioner, on_delete=models.PROTECT, related_name="meeting_circulations")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("circulation")
        verbose_name_plural = _("circulations")
        ordering = ["meeting", "kind", "recipient__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "kind", "recipient"], name="circulation_once_per_recipient")
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class RegionTimescales(models.Model):
    """A region's own timescales, in place of the Wales Safeguarding Procedures' defaults (`cylch.meetings.clocks`).

    Working days exclude weekends and England & Wales bank holidays."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="meeting_timescales")
    initial_conference_working_days = models.PositiveSmallIntegerField(
        _("initial conference within (working days of the strategy discussion)"), default=15
    )
    reports_before_working_days = models.PositiveSmallIntegerField(
        _("agency reports shared with the family (working days before a conference)"), default=2
    )
    circulation_working_days = models.PositiveSmallIntegerField(
        _("decisions and outline plan circulated within (working days)"), default=5
    )
    first_core_group_working_days = models.PositiveSmallIntegerField(
        _("first core group within (working days of the initial conference)"), default=10
    )
    core_group_interval_weeks = models.PositiveSmallIntegerField(_("core groups at most every (weeks)"), default=6)
    first_review_months = models.PositiveSmallIntegerField(_("first review conference within (months)"), default=3)
    review_interval_months = models.PositiveSmallIntegerField(_("review conferences at most every (months)"), default=6)
    assessment_working_days = models.PositiveSmallIntegerField(
        _("assessment complete within (working days of the enquiry starting)"), default=42
    )

    class Meta:
        verbose_name = _("meeting timescales")
        verbose_name_plural = _("meeting timescales")

    def __str__(self) -> str:
        return str(self.region)
