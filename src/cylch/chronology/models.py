"""Chronology events: one row per significant thing an agency recorded about a person."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, Practitioner
from cylch.people.models import Person, SourceRecord


class EventKind(models.TextChoices):
    CONCERN = "concern", _("Safeguarding concern raised")
    INFORMATION_SHARING = "information_sharing", _("Information shared (soft intelligence)")
    REFERRAL = "referral", _("Referral")
    THRESHOLD_DECISION = "threshold_decision", _("Threshold decision")
    ASSESSMENT = "assessment", _("Care and support assessment")
    STRATEGY_DISCUSSION = "strategy_discussion", _("Strategy discussion")
    SECTION_47 = "section_47", _("Child protection enquiry")
    CONFERENCE = "conference", _("Child protection conference")
    REGISTERED = "registered", _("Placed on the child protection register")
    DEREGISTERED = "deregistered", _("Removed from the child protection register")
    BECAME_LOOKED_AFTER = "became_looked_after", _("Became looked after")
    CEASED_LOOKED_AFTER = "ceased_looked_after", _("Stopped being looked after")
    ANTENATAL_BOOKING = "antenatal_booking", _("Antenatal booking")
    BIRTH = "birth", _("Birth")
    HOME_VISIT = "home_visit", _("Home visit")
    APPOINTMENT_ATTENDED = "appointment_attended", _("Appointment attended")
    WAS_NOT_BROUGHT = "was_not_brought", _("Was not brought to an appointment")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend an appointment")
    IMMUNISATION = "immunisation", _("Immunisation")
    EMERGENCY_ATTENDANCE = "emergency_attendance", _("Emergency department attendance")
    HOSPITAL_ADMISSION = "hospital_admission", _("Hospital admission")
    DOMESTIC_ABUSE_INCIDENT = "domestic_abuse_incident", _("Domestic abuse incident attended by police")
    POLICE_INCIDENT = "police_incident", _("Police incident")
    ARREST = "arrest", _("Arrest or charge")
    MISSING_EPISODE = "missing_episode", _("Missing episode")
    SCHOOL_ATTENDANCE = "school_attendance", _("School attendance concern")
    SCHOOL_WELFARE = "school_welfare", _("School welfare concern")
    EXCLUSION = "exclusion", _("Exclusion from school")
    SCHOOL_MOVE = "school_move", _("Changed school")
    MENTAL_HEALTH_CONTACT = "mental_health_contact", _("Mental health contact")
    SUBSTANCE_MISUSE_CONTACT = "substance_misuse_contact", _("Substance misuse service contact")
    HOUSING_CONTACT = "housing_contact", _("Housing contact")
    PROBATION_CONTACT = "probation_contact", _("Probation or youth justice contact")
    MOVED_HOUSE = "moved_house", _("Moved house")
    JOINED_HOUSEHOLD = "joined_household", _("Someone joined the household")
    LEFT_HOUSEHOLD = "left_household", _("Someone left the household")
    CASE_CLOSED = "case_closed", _("Case closed")
    NOTE = "note", _("Case note")


class Sensitivity(models.TextChoices):
    STANDARD = "standard", _("Standard")
    SENSITIVE = "sensitive", _("Sensitive")
    RESTRICTED = "restricted", _("Restricted")


# Value -> lazy label, built once: rendering a label then costs one gettext, not one per choice.
EVENT_KIND_LABELS = dict(EventKind.choices)


class ChronologyEvent(models.Model):
    """Something significant that happened to or around a person, as one agency recorded it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="chronology_events")
    source_record = models.ForeignKey(
        SourceRecord, on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_events"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="chronology_events")
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="chronology_events"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("when it happened"))
    recorded_at = models.DateTimeField(_("when it was recorded"), default=timezone.now)
    summary = models.CharField(_("summary"), max_length=500)
    details = models.JSONField(_("details"), default=dict, blank=True)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.STANDARD
    )
    child_words = models.TextField(_("the child's own words"), blank=True)

    class Meta:
        verbose_name = _("chronology event")
        verbose_name_plural = _("chronology events")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="event_person_time"),
            models.Index(fields=["agency", "-occurred_at"], name="event_agency_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recorded_at__gte=models.F("occurred_at")),
                name="event_recorded_after_it_happened",
                violation_error_message=_("An event cannot be recorded before it happened."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.get_kind_display()}"

    def get_kind_display(self) -> str:  # type: ignore[no-redef]  # Django lets a model replace it; the stubs declare it
        """The kind's label. Django's own hashes all 38 lazy labels on each call (~0.5 ms, once per row shown)."""
        return str(EVENT_KIND_LABELS.get(self.kind, self.kind))
