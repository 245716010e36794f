"""The demo region's practice reviews: a few dozen past ones with realistic dates (most late, as the 2023 analysis
found), findings, recommendations and actions in every state, a published report for each completed one, and two
reviews under way. Everything goes through the services, so the demo obeys the same rules as the register.
"""

from __future__ import annotations

import datetime
import io
import random

from django.db import transaction

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.reviews.definitions import INCIDENT, ClockUnit, Milestone, clock_due
from cylch.reviews.models import Action, ActionStatus, IncidentKind, Review, Theme
from cylch.reviews.services import (
    action_add,
    action_sign_off,
    action_update,
    document_upload,
    finding_add,
    recommendation_add,
    review_register,
    review_update,
    stages_record,
)

SEED = 1717
PAST_REVIEWS = 30
TITLES = {
    "harm_neglect": "Serious neglect of a young child known to several agencies",
    "death_sudi": "Sudden unexpected death in infancy after missed health appointments",
    "death_nai": "Fatal injury to a baby in a household with domestic abuse",
    "harm_exploitation": "Criminal exploitation of a teenager missing from education",
    "death_suicide": "Suicide of a young person known to mental health services",
    "harm_physical": "Serious physical abuse of a child below the threshold for intervention",
    "harm_self_harm": "Repeated self-harm by a young person moving between services",
}
AGE_BANDS = {
    "harm_neglect": "1_4",
    "death_sudi": "3_12m",
    "death_nai": "0_3m",
    "harm_exploitation": "13_plus",
    "death_suicide": "13_plus",
    "harm_physical": "5_10",
    "harm_self_harm": "13_plus",
}
FINDINGS = {
    Theme.INFORMATION_SHARING: "Agencies each held part of the picture and nobody put it together.",
    Theme.WAS_NOT_BROUGHT: "Missed health appointments were recorded but never shared or followed up.",
    Theme.PROFESSIONAL_CURIOSITY: "Explanations from the parents were accepted without checking them.",
    Theme.CHILDS_VOICE: "Nobody recorded what the child said about life at home.",
    Theme.WHOLE_FAMILY: "The father and the mother's new partner were invisible to services.",
    Theme.THRESHOLDS: "Referrals below the threshold were closed one by one without seeing the pattern.",
    Theme.ESCALATION: "Practitioners disagreed with decisions but did not escalate.",
    Theme.RECORDING: "Key decisions were not recorded with their reasons.",
    Theme.WORKFORCE: "Practitioners had little supervision during a period of high vacancies.",
    Theme.TRANSITIONS: "Information was lost when the family moved between authorities.",
}
RECOMMENDATIONS = {
    Theme.INFORMATION_SHARING: "Share every concern with the agencies working with the household within a day.",
    Theme.WAS_NOT_BROUGHT: "Adopt a regional Was Not Brought protocol for children's health appointments.",
    Theme.PROFESSIONAL_CURIOSITY: "Train practitioners in professional curiosity and respectful uncertainty.",
    Theme.CHILDS_VOICE: "Record the child's own words in every assessment.",
    Theme.WHOLE_FAMILY: "Include fathers and male carers in every assessment.",
    Theme.THRESHOLDS: "Review the cumulative history before closing a referral below the threshold.",
    Theme.ESCALATION: "Publicise the escalation policy and audit its use.",
    Theme.RECORDING: "Audit the recording of decisions and their rationale.",
    Theme.WORKFORCE: "Guarantee monthly supervision for safeguarding caseloads.",
    Theme.TRANSITIONS: "Agree a transfer protocol for families moving between authorities.",
}


def _board_officer() -> Practitioner | None:
    officers = Practitioner.objects.filter(roles__code=RoleCode.BOARD_OFFICER, agency__isnull=False)
    return officers.filter(username="board.officer").first() or officers.order_by("pk").first()


def _stage_dates(
    rng: random.Random, review: Review, *, until: datetime.date, lateness: int, is_open: bool
) -> dict[str, tuple[datetime.date | None, datetime.date | None]]:
    """Each stage happening some way past its due date (counted from the dates before it). A past review has run
    its course by `until` (a stage still to come then happens on that day); an open one stops before completion."""
    happened: dict[str, datetime.date] = {INCIDENT: review.incident_date}
    dates: dict[str, tuple[datetime.date | None, datetime.date | None]] = {}
    for stage in review.stages.all():
        anchor = happened.get(stage.anchor)
        if anchor is None or (is_open and stage.milestone == Milestone.COMPLETION):
            break
        if stage.code == "action_plan_closed" and (until - review.incident_date).days < 5 * 365:
            continue
        if stage.clock_unit and stage.clock_amount is not None:
            due = clock_due(anchor, ClockUnit(stage.clock_unit), stage.clock_amount)
        else:
            due = anchor + datetime.timedelta(days=rng.randint(14, 40) if is_open else rng.randint(20, 150))
        slip = rng.randint(0, lateness) if stage.clock_unit == ClockUnit.MONTHS else rng.randint(0, lateness // 8)
        actual = max(due + datetime.timedelta(days=slip - rng.randint(0, 10)), anchor)
        if actual > until:
            if is_open:
                break
            actual = until
        happened[stage.code] = actual  # a stage whose date was not recorded still happened
        missing = not is_open and not stage.milestone and rng.random() < 0.12
        dates[stage.code] = (due, None if missing else actual)
    return dates


def _quality(rng: random.Random, review: Review, board: Practitioner) -> None:
    start = review.incident_date.replace(year=review.incident_date.year - (2 if rng.random() < 0.3 else 1))
    review_update(
        review=review,
        user=board,
        title=review.title,
        ethnicity=rng.choice(["WBRI", "WBRI", "WBRI", "WOTH", "MWBC", ""]),
        family_details=rng.choice(["Mother, stepfather and two half-siblings", "Mother and three siblings", ""]),
        review_period_start=start,
        review_period_end=review.incident_date,
        review_period_rationale="Earlier neglect was the pattern the review needed to see"
        if (review.incident_date - start).days > 366
        else "",
        family_views=rng.choice(["The mother met the reviewer twice and her views are in section 5", ""]),
        family_not_involved_reason=rng.choice(["", "The family declined after three invitations"]),
        practitioner_involvement=rng.choice(["A learning event with 16 practitioners from 7 agencies", ""]),
        child_story=rng.choice(["She loved drawing and told her teacher she was often hungry.", ""]),
        analysis=rng.choice(["Each agency judged its own piece below the threshold, so nobody saw the whole.", ""]),
    )


def _learning(
    rng: random.Random,
    review: Review,
    board: Practitioner,
    agencies: list[Agency],
    *,
    completed: bool,
    today: datetime.date,
) -> dict[str, int]:
    counts = {"findings": 0, "recommendations": 0, "actions": 0}
    themes = rng.sample(list(FINDINGS), k=rng.randint(2, 4))
    for theme in themes:
        finding = finding_add(review=review, user=board, text=FINDINGS[theme], theme=theme)
        counts["findings"] += 1
        if not completed and rng.random() < 0.5:
            continue
        owner = rng.choice(agencies)
        recommendation = recommendation_add(
            review=review,
            user=board,
            finding=finding,
            text=RECOMMENDATIONS[theme],
            level=rng.choice(["local", "local", "regional", "national"]),
            owner_agency=owner,
            intended_outcome="Children at risk are seen sooner because agencies act on what others know.",
            measure=rng.choice(["Audit of 20 cases six months on", ""]),
        )
        counts["recommendations"] += 1
        if not completed:
            continue
        completion = review.stages.filter(milestone=Milestone.COMPLETION).values_list("actual_on", flat=True).first()
        start = completion or today
        for _ in range(rng.randint(1, 2)):
            due = start + datetime.timedelta(days=rng.randint(60, 400))
            action = action_add(
                recommendation=recommendation,
                user=board,
                description="Write the procedure, train the teams and audit its use.",
                owner_agency=owner,
                owner_name=rng.choice(["Head of safeguarding", "Named nurse", "Designated lead", "Service manager"]),
                due_on=due,
            )
            counts["actions"] += 1
            age = (today - due).days
            state = rng.random()
            if age > 200 and state < 0.8:  # long past due: most are done and signed off
                _done(action, board, impact=True)
                action_sign_off(action=action, user=board)
            elif state < 0.3:
                _done(action, board, impact=state < 0.2)  # waiting for sign-off, some without evidence of impact
            elif state < 0.65:
                action_update(
                    action=action,
                    user=board,
                    status=ActionStatus.IN_PROGRESS,
                    evidence_of_completion="",
                    evidence_of_impact="",
                )
    return counts


def _done(action: Action, board: Practitioner, *, impact: bool) -> None:
    action_update(
        action=action,
        user=board,
        status=ActionStatus.COMPLETED,
        evidence_of_completion="Procedure published; 85% of the teams trained.",
        evidence_of_impact="Audit: 17 of 20 cases shared within a day, up from 6." if impact else "",
    )


def _report(review: Review, board: Practitioner) -> None:
    from docx import Document

    document = Document()
    document.add_heading(f"Practice review {review.code}", level=0)
    document.add_paragraph(review.title)
    for finding in review.findings.all():
        document.add_paragraph(f"Finding {finding.number}: {finding.text}")
    for recommendation in review.recommendations.all():
        document.add_paragraph(f"Recommendation {recommendation.number}: {recommendation.text}")
    buffer = io.BytesIO()
    document.save(buffer)
    document_upload(
        review=review,
        user=board,
        kind="report",
        language="en",
        filename=f"{review.code}-report.docx",
        content=buffer.getvalue(),
    )


@transaction.atomic
def demo_load(*, reference_date: datetime.date) -> dict[str, int]:
    """Plant the region's reviews (once: nothing is added when the region already has reviews)."""
    board = _board_officer()
    if board is None or board.agency is None or Review.objects.exists():
        return {"reviews": 0}
    rng = random.Random(SEED)  # noqa: S311 - synthetic data, the same on every machine, not a secret
    region = board.agency.local_authority.region
    authorities = list(region.local_authorities.order_by("code"))
    agencies = list(Agency.objects.filter(local_authority__region=region).order_by("pk")[:40])
    prefix = "".join(ch for ch in region.code.upper() if ch.isalnum())[:6] or "RSB"
    counts = {"reviews": 0, "findings": 0, "recommendations": 0, "actions": 0, "documents": 0}
    welsh_types = ["susr", "cpr_concise", "cpr_extended", "mapf"]
    numbers: dict[int, int] = {}
    # (open, days from the incident to the reference date): two under way, the rest spread over eight years
    plans = [(True, 70), (True, 330)] + [(False, 500 + 85 * i + rng.randint(0, 60)) for i in range(PAST_REVIEWS)]
    for index, (is_open, age) in enumerate(plans):
        incident = reference_date - datetime.timedelta(days=age)
        kind = rng.choice(list(TITLES))
        review_type = "susr" if incident >= datetime.date(2024, 10, 1) else rng.choice(welsh_types)
        if index % 9 == 4:
            review_type = rng.choice(["rapid_review", "lcspr"])
        numbers[incident.year] = numbers.get(incident.year, 0) + 1
        review = review_register(
            user=board,
            code=f"{prefix}-{incident.year}-{numbers[incident.year]:02d}",
            title=TITLES[kind],
            review_type=review_type,
            local_authority=rng.choice(authorities),
            incident_kind=IncidentKind(kind),
            incident_date=incident,
            age_band=AGE_BANDS[kind],
            characteristics=rng.sample(["siblings", "half_siblings", "large_sibling_group", "on_register"], k=2),
            today=reference_date,
        )
        lateness = rng.choice([20, 90, 200, 400, 600]) if not is_open else 60
        dates = _stage_dates(rng, review, until=reference_date, lateness=lateness, is_open=is_open)
        stages_record(review=review, user=board, dates=dates, today=reference_date)
        _quality(rng, review, board)
        completed = review.stages.filter(milestone=Milestone.COMPLETION, actual_on__isnull=False).exists()
        made = _learning(rng, review, board, agencies, completed=completed, today=reference_date)
        if completed:
            _report(review, board)
            counts["documents"] += 1
        counts["reviews"] += 1
        for key, value in made.items():
            counts[key] += value
    return {f"practice reviews: {key}" if key != "reviews" else key: value for key, value in counts.items()}
