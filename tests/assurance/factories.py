"""Builders for the 12Cs: a board officer, a partner agency's practitioner, and cycles with their twelve assessments.

The factories build rows directly (fast, any state a test needs); tests of the services' own rules call the services.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory

from cylch.accounts.models import Agency, Practitioner, RoleCode
from cylch.assurance.models import Assessment, Component, Contribution, Cycle, PartnershipLevel
from tests.factories import AgencyFactory, PractitionerFactory, RegionFactory


def board_officer(agency: Agency | None = None, **kwargs: Any) -> Practitioner:
    """A board officer; their region is their agency's local authority's region."""
    return PractitionerFactory(roles=[RoleCode.BOARD_OFFICER], agency=agency or AgencyFactory(), **kwargs)


def partner_practitioner(cycle: Cycle, agency: Agency | None = None, **kwargs: Any) -> Practitioner:
    """A practitioner of `agency` (a new agency in the cycle's region by default), made a partner of `cycle`."""
    if agency is None:
        agency = AgencyFactory(local_authority__region=cycle.region)
    cycle.partner_agencies.add(agency)
    return PractitionerFactory(agency=agency, **kwargs)


class CycleFactory(factory.django.DjangoModelFactory):
    """A region-wide cycle opened by a board officer of its region, with its twelve assessments (unscored).

    `CycleFactory(opened_by=board)` puts the cycle in the board's region; `partner_agencies=[...]` sets partners.
    """

    class Meta:
        model = Cycle
        skip_postgeneration_save = True

    region = factory.LazyAttribute(
        lambda c: c.opened_by.agency.local_authority.region if c.opened_by.agency else RegionFactory()
    )
    level = PartnershipLevel.REGION
    title = factory.Sequence(lambda n: f"12Cs self-assessment {2020 + n % 50}")
    period_start = datetime.date(2024, 4, 1)
    period_end = datetime.date(2025, 3, 31)
    contributions_due = datetime.date(2025, 5, 31)
    opened_by = factory.LazyFunction(board_officer)

    @factory.post_generation
    def assessments(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """Every cycle has one assessment per C, as `cycle_open` makes them; `assessments=False` skips them."""
        if create and extracted is not False:
            Assessment.objects.bulk_create(Assessment(cycle=self, component=c) for c in Component.values)

    @factory.post_generation
    def partner_agencies(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.partner_agencies.set(extracted)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """One C's assessment; for a cycle made by CycleFactory, use `cycle.assessments.get(component=...)` instead."""

    class Meta:
        model = Assessment
        django_get_or_create = ("cycle", "component")

    cycle = factory.SubFactory(CycleFactory, assessments=False)
    component = Component.C1


class ContributionFactory(factory.django.DjangoModelFactory):
    """A partner agency's evidence and proposed scores for one C; the agency is made a partner of the cycle."""

    class Meta:
        model = Contribution
        skip_postgeneration_save = True

    cycle = factory.SubFactory(CycleFactory)
    component = Component.C1
    agency = factory.LazyAttribute(lambda c: AgencyFactory(local_authority__region=c.cycle.region))
    evidence = "Our safeguarding policy names the thresholds; 92% of staff trained at group B."
    proposed_ciw_score = 4
    proposed_progress_score = 3
    updated_by = factory.LazyAttribute(lambda c: PractitionerFactory(agency=c.agency))

    @factory.post_generation
    def partner(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.cycle.partner_agencies.add(self.agency)
