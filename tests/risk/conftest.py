"""Helpers for the risk tests: a household, events at a given age, and a default rule's definition."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from cylch.accounts.models import AgencyKind
from cylch.chronology.models import EventKind
from cylch.risk.definitions import Definition, definition_parse
from cylch.risk.models import RiskRule
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
)

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def default_rules(db: None) -> None:
    """The default rule set, as migrations 0002, 0005 and 0007 load it. A transactional test (a browser test's live
    server) empties every table when it ends, and --reuse-db keeps the emptied database for the next run, so the
    rows a data migration wrote cannot be relied on here."""
    if not RiskRule.objects.exists():
        for migration in ("0002_default_rules", "0005_weighted_accumulation_v2", "0007_default_rules_in_welsh"):
            importlib.import_module(f"cylch.risk.migrations.{migration}").load(django_apps, None)


def rule_definition(code: str) -> Definition:
    rule = RiskRule.objects.select_related("current").get(code=code)
    assert rule.current is not None
    return definition_parse(rule.current.definition)


def event(person, kind=EventKind.HOME_VISIT, *, days_ago: float = 10, agency=None, categories=None, **details):
    """An event `days_ago` before NOW (recorded an hour later), optionally a concern with categories."""
    occurred = NOW - datetime.timedelta(days=days_ago)
    extra = dict(details)
    if categories is not None:
        extra["categories"] = list(categories)
    return ChronologyEventFactory(
        person=person,
        kind=kind,
        occurred_at=occurred,
        recorded_at=occurred + datetime.timedelta(hours=1),
        agency=agency or AgencyFactory(),
        details=extra,
    )


def born_years_ago(years: int, days: int = 0) -> datetime.date:
    day = NOW.date()
    return day.replace(year=day.year - years) - datetime.timedelta(days=days)


@pytest.fixture
def household(db):
    return HouseholdFactory()


def live_in(household, person, since: datetime.date = datetime.date(2020, 1, 1)):
    HouseholdMembershipFactory(household=household, person=person, start_date=since)
    return person


@pytest.fixture
def health_visiting(db):
    return AgencyFactory(kind=AgencyKind.HEALTH_VISITING)


@pytest.fixture
def baby(db):
    return PersonFactory(date_of_birth=born_years_ago(0, days=200))


@pytest.fixture
def now_is_fixed(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW
