"""Builders for assurance returns, their training lines and improvement actions (rows made directly)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import factory

from cylch.assurance.models import AssuranceReturn, Component, ImprovementAction, TrainingCompliance, TrainingLevel
from tests.assurance.factories import CycleFactory
from tests.factories import AgencyFactory, PractitionerFactory

FIGURES: dict[str, Any] = {
    "supervision_expected": 120,
    "supervision_held": 96,
    "designated_lead_posts": 4,
    "designated_lead_posts_filled": 3,
    "safeguarding_posts": 80,
    "vacancies": 6,
    "leavers": 12,
}


class ReturnFactory(factory.django.DjangoModelFactory):
    """A partner agency's draft return for the cycle's whole period, figures filled in; the agency is made a
    partner of the cycle. `submitted=True` submits it."""

    class Meta:
        model = AssuranceReturn
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    agency = factory.LazyAttribute(lambda r: AgencyFactory(local_authority__region=r.cycle.region))
    period_start = factory.LazyAttribute(lambda r: r.cycle.period_start)
    period_end = factory.LazyAttribute(lambda r: r.cycle.period_end)
    due_on = factory.LazyAttribute(lambda r: r.cycle.contributions_due)
    updated_by = factory.LazyAttribute(lambda r: PractitionerFactory(agency=r.agency))
    supervision_expected = FIGURES["supervision_expected"]
    supervision_held = FIGURES["supervision_held"]
    designated_lead_posts = FIGURES["designated_lead_posts"]
    designated_lead_posts_filled = FIGURES["designated_lead_posts_filled"]
    safeguarding_posts = FIGURES["safeguarding_posts"]
    vacancies = FIGURES["vacancies"]
    leavers = FIGURES["leavers"]

    @factory.post_generation
    def submitted(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.cycle.partner_agencies.add(self.agency)
            if extracted:
                self.submitted_at = datetime.datetime(2025, 5, 1, 9, tzinfo=datetime.UTC)
                self.submitted_by = self.updated_by
                self.save(update_fields=["submitted_at", "submitted_by"])


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingCompliance

    assurance_return = factory.SubFactory(ReturnFactory)
    level = TrainingLevel.GROUP_B
    compliance_percent = Decimal("92.0")
    target_percent = Decimal("95.0")


class ActionFactory(factory.django.DjangoModelFactory):
    """An action on C3 of a new cycle (or the `assessment` given), owned by a practitioner of an agency in the
    cycle's region."""

    class Meta:
        model = ImprovementAction

    assessment = factory.LazyFunction(lambda: CycleFactory().assessments.get(component=Component.C3))
    description = "Run group B refresher training for every school's designated lead"
    owner_agency = factory.LazyAttribute(lambda a: AgencyFactory(local_authority__region=a.assessment.cycle.region))
    owner = factory.LazyAttribute(lambda a: PractitionerFactory(agency=a.owner_agency))
    due_on = datetime.date(2025, 9, 30)
