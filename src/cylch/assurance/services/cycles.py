"""Opening a 12Cs cycle, the board's moderation of each C, the agencies' contributions, evidence files and sign-off.

Every change checks who may make it (`permissions.require`), refuses a signed-off cycle (`cycle_editable`) and
writes its revision (`history.record_revision`) in the same transaction, so nothing changes unversioned. Bad input
is refused with an error keyed by the field (the form shows it on the box) and nothing is stored.
"""

from __future__ import annotations

import datetime
import io
import os
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cylch.accounts.models import Agency, LocalAuthority, Practitioner
from cylch.assurance.definitions import SCORES
from cylch.assurance.history import record_revision
from cylch.assurance.models import (
    Assessment,
    Component,
    Contribution,
    Cycle,
    EvidenceAttachment,
    LocalPrompt,
    PartnershipLevel,
    ReviewPoint,
    StakeholderPartner,
    Timeframe,
)
from cylch.assurance.permissions import (
    can_contribute,
    can_run_cycles,
    cycle_editable,
    require,
    runs_cycle,
    user_region_id,
)
from cylch.assurance.selectors.cycles import moderation_gaps, sign_off_gaps
from cylch.core.templatetags.govuk import day_month_year

MAX_TEXT = 20_000
REVIEW_HORIZON = datetime.timedelta(days=5 * 365)
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
# What an evidence file may be, told by its first bytes (the browser's claimed type is not trusted).
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
TEXT = "text/plain"
CSV = "text/csv"
ATTACHMENT_TYPES = {".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".png": PNG, ".jpg": JPEG, ".jpeg": JPEG}
TEXT_TYPES = {".txt": TEXT, ".csv": CSV}


def _error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _text(value: Any, field: str, label: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str:
    """`value` as trimmed text, or an error naming `label`: not text, NUL bytes, too long, or missing."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise _error(field, _("Enter %(field)s as text.") % {"field": label})
    if "\x00" in value:
        raise _error(field, _("Remove the null characters from %(field)s.") % {"field": label})
    text: str = value.strip()
    if len(text) > max_length:
        raise _error(
            field,
            _("Shorten %(field)s to %(count)s characters or fewer.") % {"field": label, "count": max_length},
            "max_length",
        )
    if required and not text:
        raise _error(field, _("Enter %(field)s.") % {"field": label}, "required")
    return text


def _score(value: Any, field: str, label: str) -> int | None:
    """A score from 1 to 6, or None for none; anything else (0, 7, text, a huge number) names the field."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
        raise _error(field, _("Choose %(field)s from 1 to 6.") % {"field": label}, "score")
    return int(value)


def _date(value: Any, field: str, label: str) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise _error(field, _("Enter %(field)s as a date.") % {"field": label}, "required")
    return value


def _errors_of(**checks: Callable[[], Any]) -> dict[str, Any]:
    """Each check's value by its field; every check is run, and all their errors are raised together, so the page
    lists each problem at once rather than one per submission."""
    values: dict[str, Any] = {}
    errors: dict[str, list[ValidationError]] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except ValidationError as error:
            for field, found in error.error_dict.items():
                errors.setdefault(field, []).extend(found)
    if errors:
        raise ValidationError(errors)
    return values


def _review_date(value: Any, cycle: Cycle) -> datetime.date:
    day = _date(value, "due_on", _("the review date"))
    latest = cycle.period_end + REVIEW_HORIZON
    if day < cycle.period_start:
        raise _error(
            "due_on",
            _("The review date must be on or after the start of the cycle's period, %(date)s.")
            % {"date": day_month_year(cycle.period_start)},
            "before_period",
        )
    if day > latest:
        raise _error(
            "due_on",
            _("The review date must be on or before %(date)s, five years after the cycle's period ends.")
            % {"date": day_month_year(latest)},
            "too_late",
        )
    return day


def _period(start: Any, end: Any) -> tuple[datetime.date, datetime.date]:
    values = _errors_of(
        start=lambda: _date(start, "period_start", _("the start of the period")),
        end=lambda: _date(end, "period_end", _("the end of the period")),
    )
    if values["end"] < values["start"]:
        raise _error("period_end", _("The end of the period must be on or after its start."), "period")
    return values["start"], values["end"]


def _partnership(
    level: str, local_authority: LocalAuthority | None, agency: Agency | None, region_id: int
) -> tuple[LocalAuthority | None, Agency | None]:
    """The cycle's local authority and agency for its level (only the one the level names), each of the region."""
    if level == PartnershipLevel.LOCAL_AUTHORITY:
        if local_authority is None or local_authority.region_id != region_id:
            raise _error("local_authority", _("Choose a local authority of your region."), "required")
        return local_authority, None
    if level == PartnershipLevel.AGENCY:
        if agency is None or agency.local_authority.region_id != region_id:
            raise _error("agency", _("Choose an agency of your region."), "required")
        return None, agency
    if level == PartnershipLevel.REGION:
        return None, None
    raise _error("level", _("Choose the partnership: the region, a local authority or an agency."), "required")


def _component(value: Any) -> str:
    if value not in Component.values:
        raise _error("component", _("Choose one of the 12 Cs."), "component")
    return str(value)


def _default_partners(
    level: str, local_authority: LocalAuthority | None, agency: Agency | None, region_id: int
) -> QuerySet[Agency]:
    if level == PartnershipLevel.LOCAL_AUTHORITY:
        return Agency.objects.filter(local_authority=local_authority)
    if level == PartnershipLevel.AGENCY and agency is not None:
        return Agency.objects.filter(pk=agency.pk)
    return Agency.objects.filter(local_authority__region_id=region_id)


@transaction.atomic
def cycle_open(
    *,
    user: Practitioner,
    level: str,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    contributions_due: datetime.date,
    local_authority: LocalAuthority | None = None,
    agency: Agency | None = None,
    partner_agencies: Iterable[Agency] | None = None,
) -> Cycle:
    """Open a cycle for a partnership of the board officer's region, with one unscored assessment per C.

    The partner agencies default to every agency of the partnership (the region's, the authority's, or the one
    agency); any agency named must be of the region."""
    require(can_run_cycles(user))
    region_id = user_region_id(user)
    assert region_id is not None  # noqa: S101 - can_run_cycles() requires a region
    values = _errors_of(
        title=lambda: _text(title, "title", _("a title"), required=True, max_length=200),
        period=lambda: _period(period_start, period_end),
        contributions_due=lambda: _date(contributions_due, "contributions_due", _("the date contributions are due")),
        owner=lambda: _partnership(level, local_authority, agency, region_id),
    )
    title, contributions_due = values["title"], values["contributions_due"]
    period_start, period_end = values["period"]
    local_authority, agency = values["owner"]
    partners = (
        list(partner_agencies)
        if partner_agencies
        else list(_default_partners(level, local_authority, agency, region_id))
    )
    outside = [a for a in partners if a.local_authority.region_id != region_id]
    if outside:
        raise _error("partner_agencies", _("Partner agencies must be of your region."), "region")
    if not partners:
        raise _error("partner_agencies", _("Choose at least one partner agency."), "required")
    cycle = Cycle.objects.create(
        region_id=region_id,
        level=level,
        local_authority=local_authority,
        agency=agency,
        title=title,
        period_start=period_start,
        period_end=period_end,
        contributions_due=contributions_due,
        opened_by=user,
    )
    cycle.partner_agencies.set(partners)
    Assessment.objects.bulk_create(Assessment(cycle=cycle, component=code) for code in Component.values)
    record_revision(cycle=cycle, record=cycle, subject="cycle", summary=gettext_noop("Cycle opened"), by=user)
    return cycle


@transaction.atomic
def local_prompt_add(*, user: Practitioner, cycle: Cycle, component: str, text: str, text_cy: str = "") -> LocalPrompt:
    """A question of the board's own, asked of its partnership beside the template's prompts for one C."""
    require(runs_cycle(user, cycle))
    cycle_editable(cycle)
    component = _component(component)
    prompt = LocalPrompt.objects.create(
        cycle=cycle,
        component=component,
        text=_text(text, "text", _("the prompt"), required=True, max_length=2000),
        text_cy=_text(text_cy, "text_cy", _("the prompt in Welsh"), max_length=2000),
        added_by=user,
    )
    record_revision(
        cycle=cycle,
        record=prompt,
        subject="prompt",
        summary=gettext_noop("Local prompt added"),
        by=user,
        component=component,
    )
    return prompt


def _practitioner_of_region(value: Any, cycle: Cycle) -> Practitioner | None:
    if value is None:
        return None
    if not isinstance(value, Practitioner) or not value.is_active or value.agency is None:
        raise _error("accountable_lead", _("Choose the accountable lead from the region's practitioners."))
    if value.agency.local_authority.region_id != cycle.region_id:
        raise _error("accountable_lead", _("Choose the accountable lead from the region's practitioners."))
    return value


@transaction.atomic
def assessment_update(
    *,
    user: Practitioner,
    assessment: Assessment,
    ciw_score: int | None,
    progress_score: int | None,
    evidence: str,
    moderation_note: str,
    accountable_lead: Practitioner | None,
    timeframe: str,
) -> Assessment:
    """The board's agreed view of one C. When an agreed score differs from any agency's proposal, the moderation
    note must say why (the error names the scale and the scores)."""
    cycle = assessment.cycle
    require(runs_cycle(user, cycle))
    cycle_editable(cycle)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.ciw_score = _score(ciw_score, "ciw_score", _("the Care Inspectorate Wales score"))
    assessment.progress_score = _score(progress_score, "progress_score", _("the 12Cs progress score"))
    assessment.evidence = _text(evidence, "evidence", _("the evidence"))
    assessment.moderation_note = _text(moderation_note, "moderation_note", _("why the agreed score differs"))
    assessment.accountable_lead = _practitioner_of_region(accountable_lead, cycle)
    if timeframe not in ("", *Timeframe.values):
        raise _error("timeframe", _("Choose the implementation timeframe from the list."))
    assessment.timeframe = timeframe
    gaps = moderation_gaps(assessment)
    if gaps and not assessment.moderation_note:
        raise _error(
            "moderation_note",
            _("Say why the agreed score differs from the agencies' proposals: %(gaps)s.") % {"gaps": "; ".join(gaps)},
            "moderation_required",
        )
    assessment.updated_at = timezone.now()
    assessment.updated_by = user
    assessment.save()
    record_revision(
        cycle=cycle,
        record=assessment,
        subject="assessment",
        summary=gettext_noop("Agreed assessment saved"),
        by=user,
        component=assessment.component,
    )
    return assessment


def _editable_assessment(user: Practitioner, assessment: Assessment) -> Cycle:
    cycle = assessment.cycle
    require(runs_cycle(user, cycle))
    cycle_editable(cycle)
    return cycle


@transaction.atomic
def stakeholder_set(*, user: Practitioner, assessment: Assessment, agency: Agency, role: str) -> StakeholderPartner:
    """Name an agency with a part in improving this C, and its part (naming it again changes its part)."""
    cycle = _editable_assessment(user, assessment)
    if not isinstance(agency, Agency) or agency.local_authority.region_id != cycle.region_id:
        raise _error("agency", _("Choose a stakeholder agency of the region."), "required")
    role = _text(role, "role", _("the stakeholder's role"), required=True, max_length=300)
    stakeholder, _created = StakeholderPartner.objects.update_or_create(
        assessment=assessment, agency=agency, defaults={"role": role}
    )
    record_revision(
        cycle=cycle,
        record=stakeholder,
        subject="stakeholder",
        summary=gettext_noop("Stakeholder partner named"),
        by=user,
        component=assessment.component,
        agency=agency,
    )
    return stakeholder


@transaction.atomic
def stakeholder_remove(*, user: Practitioner, stakeholder: StakeholderPartner) -> None:
    assessment = stakeholder.assessment
    cycle = _editable_assessment(user, assessment)
    record_revision(
        cycle=cycle,
        record=stakeholder,
        subject="stakeholder",
        summary=gettext_noop("Stakeholder partner removed"),
        by=user,
        component=assessment.component,
        agency=stakeholder.agency,
    )
    stakeholder.delete()


@transaction.atomic
def review_point_add(
    *, user: Practitioner, assessment: Assessment, due_on: datetime.date, description: str
) -> ReviewPoint:
    """A date by which the board looks again at this C's progress: on or after the cycle's period starts, and
    within `REVIEW_HORIZON` of its end (like an action's due date, a 1990 or a year 9999 is a typing slip)."""
    cycle = _editable_assessment(user, assessment)
    errors = _errors_of(
        due_on=lambda: _review_date(due_on, cycle),
        description=lambda: _text(description, "description", _("what is reviewed"), required=True, max_length=300),
    )
    point = ReviewPoint.objects.create(assessment=assessment, **errors)
    record_revision(
        cycle=cycle,
        record=point,
        subject="review_point",
        summary=gettext_noop("Review point added"),
        by=user,
        component=assessment.component,
    )
    return point


@transaction.atomic
def contribution_save(
    *,
    user: Practitioner,
    cycle: Cycle,
    component: str,
    evidence: str,
    proposed_ciw_score: int | None,
    proposed_progress_score: int | None,
) -> Contribution:
    """A partner agency's evidence and proposed scores for one C: its own only, and only until sign-off."""
    agency = user.agency
    require(agency is not None and can_contribute(user, cycle, agency))
    assert agency is not None  # noqa: S101 - for the type checker: require() refused no agency
    cycle_editable(cycle)
    component = _component(component)
    values = {
        "evidence": _text(evidence, "evidence", _("your agency's evidence"), required=True),
        "proposed_ciw_score": _score(
            proposed_ciw_score, "proposed_ciw_score", _("the proposed Care Inspectorate Wales score")
        ),
        "proposed_progress_score": _score(
            proposed_progress_score, "proposed_progress_score", _("the proposed 12Cs progress score")
        ),
        "updated_by": user,
        "updated_at": timezone.now(),
    }
    contribution, created = Contribution.objects.select_for_update().update_or_create(
        cycle=cycle, component=component, agency=agency, defaults=values
    )
    record_revision(
        cycle=cycle,
        record=contribution,
        subject="contribution",
        summary=gettext_noop("Contribution added") if created else gettext_noop("Contribution changed"),
        by=user,
        component=component,
        agency=agency,
    )
    return contribution


def _sniff(name: str, content: bytes) -> str | None:
    """The file's type when its first bytes agree with its extension; None for anything else."""
    extension = os.path.splitext(name)[1].lower()
    if extension in TEXT_TYPES:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return TEXT_TYPES[extension] if "\x00" not in text else None
    kind = ATTACHMENT_TYPES.get(extension)
    if kind == PDF and content.startswith(b"%PDF-"):
        return kind
    if kind == PNG and content.startswith(b"\x89PNG\r\n\x1a\n"):
        return kind
    if kind == JPEG and content.startswith(b"\xff\xd8\xff"):
        return kind
    if kind in (DOCX, XLSX) and content.startswith(b"PK"):
        try:
            names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        except zipfile.BadZipFile:
            return None
        marker = "word/document.xml" if kind == DOCX else "xl/workbook.xml"
        return kind if marker in names else None
    return None


@transaction.atomic
def attachment_upload(
    *, user: Practitioner, cycle: Cycle, component: str, upload: UploadedFile, agency: Agency | None
) -> EvidenceAttachment:
    """A document behind a C's evidence: the board's (`agency=None`, board officers only) or the agency's own."""
    require(runs_cycle(user, cycle) if agency is None else can_contribute(user, cycle, agency))
    cycle_editable(cycle)
    component = _component(component)
    name = _text(os.path.basename(upload.name or ""), "upload", _("the file name"), required=True, max_length=200)
    if not name.isprintable():
        raise _error("upload", _("The file name cannot contain control characters."))
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise _error("upload", _("The file must be smaller than 5 MB."), "file_size")
    content = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise _error("upload", _("The file must be smaller than 5 MB."), "file_size")
    if not content:
        raise _error("upload", _("The file is empty."), "empty")
    content_type = _sniff(name, content)
    if content_type is None:
        raise _error(
            "upload",
            _("The file must be a PDF, Word, Excel, PNG, JPEG, text or CSV file whose contents match its name."),
            "file_type",
        )
    attachment = EvidenceAttachment.objects.create(
        cycle=cycle,
        component=component,
        agency=agency,
        filename=name,
        content_type=content_type,
        content=content,
        uploaded_by=user,
    )
    record_revision(
        cycle=cycle,
        record=attachment,
        subject="attachment",
        summary=gettext_noop("Evidence file added"),
        by=user,
        component=component,
        agency=agency,
    )
    return attachment


@transaction.atomic
def cycle_sign_off(*, user: Practitioner, cycle: Cycle) -> Cycle:
    """The board signs the cycle off once every C has both scores and an accountable lead (and a reason wherever it
    departs from a proposal); from then on the cycle is read-only and the measured facts are frozen beside it."""
    require(runs_cycle(user, cycle))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    cycle_editable(cycle)
    gaps = sign_off_gaps(cycle)
    if gaps:
        raise ValidationError(
            _("The cycle cannot be signed off yet: %(gaps)s.") % {"gaps": "; ".join(gaps)}, code="incomplete"
        )
    cycle.signed_off_by = user
    cycle.signed_off_at = timezone.now()
    cycle.save(update_fields=["signed_off_by", "signed_off_at"])
    record_revision(cycle=cycle, record=cycle, subject="cycle", summary=gettext_noop("Cycle signed off"), by=user)
    # The measured-facts engineer's hook (cylch/assurance/facts.py), imported here so the layers stay one-way.
    from cylch.assurance.facts import facts_freeze

    facts_freeze(cycle)
    return cycle
