"""Linkage's data migrations, run against the current schema (which they must also suit)."""

import importlib

import pytest
from django.apps import apps

from cylch.linkage.models import BlockingKey
from cylch.people.text import phonetic_key
from tests.factories import PersonFactory, SourceRecordFactory

pytestmark = pytest.mark.django_db

refile_figures = importlib.import_module("cylch.linkage.migrations.0004_refile_names_with_figures")


def test_a_name_holding_a_figure_is_refiled_under_the_letter_the_figure_stood_for():
    record = SourceRecordFactory(given_name="E1is", family_name="Morgan", nhs_number="")
    survivor = PersonFactory()
    old = f"gf:{phonetic_key('Eis')}:{phonetic_key('Morgan')}"  # folding dropped the figure
    BlockingKey.objects.create(key=old, person=survivor, source_record=record)
    refile_figures.refile(apps, None)
    keys = set(BlockingKey.objects.filter(source_record=record).values_list("key", "person_id"))
    assert (f"gf:{phonetic_key('Elis')}:{phonetic_key('Morgan')}", survivor.pk) in keys
    assert all(key != old for key, _person in keys)


def test_a_name_without_figures_is_left_as_filed():
    record = SourceRecordFactory(given_name="Elis", family_name="Morgan", nhs_number="")
    BlockingKey.objects.create(key="gf:STALE:MRKN", person=record.person, source_record=record)
    refile_figures.refile(apps, None)
    assert BlockingKey.objects.filter(source_record=record, key="gf:STALE:MRKN").exists()
