"""What a user may read of 12Cs cycles: the board its region's cycles whole; a partner agency the cycles it is a
partner in, the template, the agreed scores and its own part (every agency's part once the cycle is signed off).

Aggregates about agencies and services, naming no child: nothing here goes through the audited person read path.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cylch.accounts.models import Agency, Practitioner
from cylch.assurance.definitions import COMPONENTS, ComponentDefinition, Scale, Text, level
from cylch.assurance.models import (
    Assessment,
    AssuranceReturn,
    Component,
    Contribution,
    Cycle,
    EvidenceAttachment,
    ImprovementAction,
    LocalPrompt,
    ReviewPoint,
    Revision,
    StakeholderPartner,
    TrainingLevel,
)
from cylch.assurance.permissions import can_contribute, can_view_cycle, runs_cycle, viewable_cycles
from cylch.core.templatetags.govuk import day_month_year, localised_name


def cycles_for(*, user: Practitioner) -> QuerySet[Cycle]:
    """The board's region's cycles, and any cycle the user contributes to for a partner agency, latest period
    first."""
    return (
        Cycle.objects.filter(pk__in=Cycle.objects.filter(viewable_cycles(user)).values("pk"))
        .select_related("local_authority", "agency", "region")
        .order_by("-period_end", "-pk")
    )


def cycle_get(*, user: Practitioner, pk: int) -> Cycle:
    """The cycle if the user may see it; Cycle.DoesNotExist otherwise, so a cycle outside one's reach is not
    distinguishable from one that does not exist."""
    cycle = Cycle.objects.select_related("region", "local_authority", "agency", "signed_off_by").get(pk=pk)
    if not can_view_cycle(user, cycle):
        raise Cycle.DoesNotExist
    return cycle


SCORE_FIELDS = {
    "ciw_score": "proposed_ciw_score",
    "progress_score": "proposed_progress_score",
}


def _proposals(assessment: Assessment) -> QuerySet[Contribution]:
    return Contribution.objects.filter(cycle_id=assessment.cycle_id, component=assessment.component)


def moderation_gaps(assessment: Assessment) -> list[str]:
    """The agreed scores that differ from an agency's proposal, in words ('the Care Inspectorate Wales score
    (agreed 3; proposed 4, 5)'): each needs the board to say why, in the moderation note."""
    gaps = []
    for name, proposed_field in SCORE_FIELDS.items():
        agreed = getattr(assessment, name)
        proposed = sorted(
            {score for score in _proposals(assessment).values_list(proposed_field, flat=True) if score is not None}
        )
        if agreed is not None and any(score != agreed for score in proposed):
            gaps.append(
                _("the %(scale)s (agreed %(agreed)s; proposed %(proposed)s)")
                % {
                    "scale": _label(Assessment, name),
                    "agreed": agreed,
                    "proposed": ", ".join(str(score) for score in proposed),
                }
            )
    return gaps


def sign_off_gaps(cycle: Cycle) -> list[str]:
    """What stops sign-off, C by C in the model's order ('C3 Competence: no accountable lead'); empty when ready."""
    gaps = []
    assessments = {a.component: a for a in cycle.assessments.all()}
    for code, name in Component.choices:
        assessment = assessments.get(code)
        if assessment is None:
            gaps.append(_("%(c)s: not assessed") % {"c": name})
            continue
        missing = []
        if assessment.ciw_score is None:
            missing.append(_("no Care Inspectorate Wales score"))
        if assessment.progress_score is None:
            missing.append(_("no 12Cs progress score"))
        if assessment.accountable_lead_id is None:
            missing.append(_("no accountable lead"))
        if not assessment.moderation_note and moderation_gaps(assessment):
            missing.append(_("no reason why the agreed score differs from the proposals"))
        if missing:
            gaps.append(_("%(c)s: %(missing)s") % {"c": name, "missing": ", ".join(missing)})
    return gaps


def _visible_contributions(user: Practitioner, cycle: Cycle) -> QuerySet[Contribution]:
    """Every proposal for the board (and for everyone once signed off); before sign-off an agency sees its own."""
    found = Contribution.objects.filter(cycle=cycle).select_related("agency", "updated_by")
    if runs_cycle(user, cycle) or cycle.is_signed_off:
        return found
    return found.filter(agency=user.agency) if user.agency is not None else found.none()


@dataclass
class SummaryRow:
    code: str
    name: str
    assessment: Assessment
    contributions: int
    own: Contribution | None = None

    @property
    def ciw(self) -> Any:
        return level(Scale.CIW, self.assessment.ciw_score)

    @property
    def progress(self) -> Any:
        return level(Scale.PROGRESS, self.assessment.progress_score)


@dataclass
class CycleSummary:
    cycle: Cycle
    rows: list[SummaryRow]
    runs: bool
    partners: list[Agency]
    gaps: list[str]

    @property
    def scored(self) -> int:
        return sum(1 for row in self.rows if row.assessment.ciw_score and row.assessment.progress_score)


def cycle_summary(*, user: Practitioner, cycle: Cycle) -> CycleSummary:
    """Each C's agreed scores and its number of contributions (the board's) or the agency's own contribution."""
    assessments = {a.component: a for a in cycle.assessments.select_related("accountable_lead")}
    counts = dict(
        _visible_contributions(user, cycle)
        .values_list("component")
        .annotate(n=Count("pk"))
        .values_list("component", "n")
    )
    agency = user.agency
    own = (
        {c.component: c for c in _visible_contributions(user, cycle) if c.agency_id == agency.pk}
        if agency is not None and can_contribute(user, cycle, agency)
        else {}
    )
    rows = [
        SummaryRow(code, str(name), assessments[code], counts.get(code, 0), own.get(code))
        for code, name in Component.choices
        if code in assessments
    ]
    runs = runs_cycle(user, cycle)
    return CycleSummary(
        cycle=cycle,
        rows=rows,
        runs=runs,
        partners=sorted(cycle.partner_agencies.all(), key=localised_name),
        gaps=sign_off_gaps(cycle) if runs and not cycle.is_signed_off else [],
    )


@dataclass
class Proposal:
    contribution: Contribution
    attachments: list[EvidenceAttachment] = field(default_factory=list)

    @property
    def ciw(self) -> Any:
        return level(Scale.CIW, self.contribution.proposed_ciw_score)

    @property
    def progress(self) -> Any:
        return level(Scale.PROGRESS, self.contribution.proposed_progress_score)


@dataclass
class AssessmentPage:
    cycle: Cycle
    definition: ComponentDefinition
    assessment: Assessment
    local_prompts: list[Text]
    proposals: list[Proposal]
    own: Contribution | None
    board_attachments: list[EvidenceAttachment]
    stakeholders: list[StakeholderPartner]
    runs: bool
    may_contribute: bool
    moderation_gaps: list[str]

    @property
    def ciw(self) -> Any:
        return level(Scale.CIW, self.assessment.ciw_score)

    @property
    def progress(self) -> Any:
        return level(Scale.PROGRESS, self.assessment.progress_score)


def assessment_page(*, user: Practitioner, cycle: Cycle, component: str) -> AssessmentPage:
    """One C: the template's guidance and prompts with the board's own, the agreed scores, and beside them the
    proposals the user may see (with their evidence files)."""
    if component not in COMPONENTS:
        raise Assessment.DoesNotExist
    assessment = Assessment.objects.select_related("accountable_lead__agency").get(cycle=cycle, component=component)
    prompts = [
        Text(p.text, p.text_cy) for p in LocalPrompt.objects.filter(cycle=cycle, component=component).order_by("pk")
    ]
    contributions = list(_visible_contributions(user, cycle).filter(component=component))
    attachments = list(
        EvidenceAttachment.objects.filter(cycle=cycle, component=component).defer("content").order_by("uploaded_at")
    )
    proposals = [
        Proposal(c, [a for a in attachments if a.agency_id == c.agency_id])
        for c in sorted(contributions, key=lambda c: localised_name(c.agency))
    ]
    runs = runs_cycle(user, cycle)
    agency = user.agency
    contributor = agency is not None and can_contribute(user, cycle, agency)
    return AssessmentPage(
        cycle=cycle,
        definition=COMPONENTS[component],
        assessment=assessment,
        local_prompts=prompts,
        proposals=proposals,
        own=next((c for c in contributions if c.agency_id == user.agency_id), None) if contributor else None,
        board_attachments=[a for a in attachments if a.agency_id is None],
        stakeholders=list(assessment.stakeholders.select_related("agency")),
        runs=runs,
        may_contribute=contributor and not cycle.is_signed_off,
        moderation_gaps=moderation_gaps(assessment) if runs else [],
    )


def attachment_get(*, user: Practitioner, cycle: Cycle, pk: int) -> EvidenceAttachment:
    """An evidence file the user may read: the board's, their own agency's, or any once the board may see it all."""
    attachment = EvidenceAttachment.objects.get(cycle=cycle, pk=pk)
    if not can_view_cycle(user, cycle):
        raise EvidenceAttachment.DoesNotExist
    if attachment.agency_id not in (None, user.agency_id) and not (runs_cycle(user, cycle) or cycle.is_signed_off):
        raise EvidenceAttachment.DoesNotExist
    return attachment


SUBJECT_MODELS: dict[str, type[models.Model]] = {
    "cycle": Cycle,
    "prompt": LocalPrompt,
    "assessment": Assessment,
    "contribution": Contribution,
    "stakeholder": StakeholderPartner,
    "attachment": EvidenceAttachment,
    "review_point": ReviewPoint,
    "action": ImprovementAction,
    "return": AssuranceReturn,
}
STAMPS = ("updated", "opened", "added", "uploaded", "signed_off", "submitted")
# What the history does not show as a change: the record's links to its cycle or C (the entry's heading names
# them), who and when (the heading says who changed it, and when), and the service's own stamps.
BOOKKEEPING = frozenset(
    {
        "cycle",
        "region",
        "assessment",
        "component",
        "version",
        "content_type",
        "chased_at",
        "escalated_at",
        *(f"{prefix}_{suffix}" for prefix in STAMPS for suffix in ("at", "by")),
    }
)
# Names for fields whose model gives none of its own (Django's would be the field's name, untranslated).
LABELS = {
    "local_authority": gettext_lazy("local authority"),
    "agency": gettext_lazy("agency"),
    "partner_agencies": gettext_lazy("partner agencies"),
    "training": gettext_lazy("training"),
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    revision: Revision
    changes: list[Change]


def _model_field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    """The model's field called `name`, or None (a field since removed is shown as stored)."""
    try:
        found = model._meta.get_field(name) if model else None
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _name(record: models.Model) -> str:
    """An organisation's name in the active language, a person's full name, anything else as it names itself."""
    if isinstance(record, Practitioner):
        return record.get_full_name() or record.get_username()
    return localised_name(record) if hasattr(record, "name") else str(record)


def _percent(value: Any) -> str:
    """'85.8', '95' (no trailing '.0'), or 'not given'."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return _("not given")
    if not number.is_finite():
        return _("not given")
    return f"{number.normalize():f}"


def _training(value: dict[str, Any]) -> str:
    """'Group A: 85.8 % (target 95 %); Group B: …' from the snapshot's {level: [compliance, target]}."""
    lines = []
    for group, (compliance, target) in sorted(value.items()):
        label = str(TrainingLevel(group).label).split(":", 1)[0] if group in TrainingLevel.values else group
        lines.append(
            _("%(group)s: %(percent)s %% (target %(target)s %%)")
            % {"group": label, "percent": _percent(compliance), "target": _percent(target)}
        )
    return "; ".join(lines)


def _day(model_field: models.Field[Any, Any], value: Any) -> str:
    """An ISO date (or date and time) as '7 December 2026'; text that is not one is shown as stored."""
    try:
        if isinstance(model_field, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(str(value))
            return day_month_year(timezone.localtime(moment) if timezone.is_aware(moment) else moment.date())
        return day_month_year(datetime.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _in_words(model: type[models.Model] | None, name: str, value: Any) -> str:
    """A snapshot's value as a reader would say it: a choice's label, a person's or an agency's name, a date,
    training lines."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if name == "training" and isinstance(value, dict):
        return _training(value)
    model_field = _model_field(model, name)
    if isinstance(model_field, models.ForeignKey | models.ManyToManyField):
        related = model_field.related_model
        assert isinstance(related, type)  # noqa: S101 - a concrete model, not "self"
        keys = value if isinstance(value, list) else [value]
        return ", ".join(sorted(_name(r) for r in related._default_manager.filter(pk__in=keys)))
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateField):
        return _day(model_field, value)
    return str(value)


def _label(model: type[models.Model] | None, name: str) -> str:
    if name in LABELS:
        return str(LABELS[name])
    model_field = _model_field(model, name)
    return str(model_field.verbose_name) if model_field is not None else name.replace("_", " ")


def history(*, user: Practitioner, cycle: Cycle) -> list[HistoryEntry]:
    """Every revision the user may see, newest first, each with what changed since the record's previous
    revision in words ('Care Inspectorate Wales score: 3 → 4'). Before sign-off an agency sees the board's changes
    and its own, not another agency's."""
    revisions = list(
        Revision.objects.filter(cycle=cycle).select_related("changed_by", "agency").order_by("changed_at", "pk")
    )
    previous: dict[tuple[str, int], dict[str, Any]] = {}
    entries = []
    sees_all = runs_cycle(user, cycle) or cycle.is_signed_off
    for revision in revisions:
        key = (revision.subject, revision.subject_id)
        before = previous.get(key, {})
        previous[key] = revision.snapshot
        if not sees_all and revision.agency_id not in (None, user.agency_id):
            continue
        model = SUBJECT_MODELS.get(revision.subject)
        changes = [
            Change(_label(model, name), _in_words(model, name, before.get(name)), _in_words(model, name, value))
            for name, value in revision.snapshot.items()
            if name not in BOOKKEEPING and before.get(name) != value
        ]
        entries.append(HistoryEntry(revision, [c for c in changes if c.before != c.after]))
    entries.reverse()
    return entries
