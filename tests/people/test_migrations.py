"""The data migrations' functions, run against the current schema (which they must also suit)."""

import importlib

import pytest
from django.apps import apps

from cylch.linkage.models import BlockingKey
from cylch.people.models import Person, PersonName
from cylch.people.text import phonetic_key
from tests.factories import PersonFactory, PersonNameFactory, SourceRecordFactory

pytestmark = pytest.mark.django_db

people_rekey = importlib.import_module("cylch.people.migrations.0003_rekey_undecomposable_letters")
linkage_refile = importlib.import_module("cylch.linkage.migrations.0002_refile_undecomposable_letters")


def test_rekey_gives_a_name_with_a_polish_letter_the_key_of_its_plain_spelling():
    person = PersonFactory(given_name="Małgorzata", family_name="Wójcik")
    Person.objects.filter(pk=person.pk).update(given_name_key="MKRST")  # as the old folding keyed her
    people_rekey.rekey(apps, None)
    person.refresh_from_db()
    assert person.given_name_key == phonetic_key("Malgorzata") != "MKRST"


def test_rekey_updates_other_names_too():
    other = PersonNameFactory(given_name="Zofia", family_name="Michałowska")
    PersonName.objects.filter(pk=other.pk).update(family_name_key="MXWSK")
    people_rekey.rekey(apps, None)
    other.refresh_from_db()
    assert other.family_name_key == phonetic_key("Michalowska") != "MXWSK"


def test_rekey_leaves_names_without_such_letters_alone():
    person = PersonFactory(given_name="Nia", family_name="Morgan")
    Person.objects.filter(pk=person.pk).update(given_name_key="STALE")
    people_rekey.rekey(apps, None)
    person.refresh_from_db()
    assert person.given_name_key == "STALE"


def test_refile_files_the_record_under_its_new_keys_and_its_owner():
    record = SourceRecordFactory(given_name="Małgorzata", family_name="Nowak", nhs_number="")
    survivor = PersonFactory()
    BlockingKey.objects.create(key="gf:MKRST:NWK", person=survivor, source_record=record)
    linkage_refile.refile(apps, None)
    keys = set(BlockingKey.objects.filter(source_record=record).values_list("key", "person_id"))
    assert (f"gf:{phonetic_key('Malgorzata')}:{phonetic_key('Nowak')}", survivor.pk) in keys
    assert all(key != "gf:MKRST:NWK" for key, _person in keys)
