"""Loading a generated region into the database: every row satisfies the models' rules."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.db.models import NOT_PROVIDED

from cylch.accounts.models import Agency, AgencyKind, Practitioner, RoleCode
from cylch.chronology.models import ChronologyEvent
from cylch.linkage.matching import match_candidates
from cylch.linkage.scoring import load_model
from cylch.linkage.services import PersonDetails
from cylch.people.models import (
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    PersonIdentifier,
    Relationship,
    SourceRecord,
    StatutoryStatus,
)
from cylch.people.text import phonetic_key
from cylch.synthetic.generator import TABLES
from cylch.synthetic.models import PlantedTrajectory, SourceRecordTruth, SyntheticRun
from cylch.synthetic.services import (
    DEMO_PASSWORD,
    DEMO_SIGN_INS,
    TABLE_MODELS,
    SyntheticRegionExistsError,
    demo_sign_ins_ensure,
    synthetic_region_load,
)

pytestmark = pytest.mark.django_db

LOADED_MODELS = (
    Household, HouseholdMembership, Person, PersonIdentifier, Relationship, Involvement, StatutoryStatus,
    SourceRecord, SourceRecordTruth, ChronologyEvent, PlantedTrajectory, Agency, Practitioner,
)  # fmt: skip


@pytest.fixture
def loaded():
    return synthetic_region_load(people=1500, seed=5)


def test_loaded_row_counts_match_what_was_generated(loaded):
    assert Person.objects.count() == loaded.counts["person"] >= 1500
    assert ChronologyEvent.objects.count() == loaded.counts["chronology_event"]
    assert SourceRecordTruth.objects.count() == SourceRecord.objects.count()
    assert SyntheticRun.objects.get().summary["person"] == loaded.counts["person"]


def test_loaded_rows_pass_model_validation(loaded):
    for model in LOADED_MODELS:
        for obj in model._default_manager.order_by("?")[:60]:
            obj.full_clean()


def test_loaded_name_keys_are_what_saving_the_person_would_compute(loaded):
    for person in Person.objects.all()[:200]:
        assert person.given_name_key == phonetic_key(person.given_name)
        assert person.family_name_key == phonetic_key(person.family_name)


def test_new_rows_after_a_load_get_the_next_free_id(loaded):
    last = Person.objects.order_by("-pk").values_list("pk", flat=True)[0]
    person = Person.objects.create(cylch_id="NEW0000001", given_name="Nia", family_name="Rees")
    assert person.pk == last + 1


def test_loading_the_same_region_twice_is_refused(loaded):
    with pytest.raises(SyntheticRegionExistsError):
        synthetic_region_load(people=100, seed=6)


def test_another_region_can_be_loaded_beside_the_first(loaded):
    second = synthetic_region_load(people=200, seed=6, region="north_wales")
    assert Person.objects.count() == loaded.counts["person"] + second.counts["person"]


def test_demo_sign_ins_cover_every_role(loaded):
    demo_sign_ins_ensure()
    demo_users = Practitioner.objects.filter(username__in=[spec.username for spec in DEMO_SIGN_INS])
    assert set(demo_users.values_list("roles__code", flat=True)) == set(RoleCode)


def test_demo_password_passes_the_password_validators():
    validate_password(DEMO_PASSWORD, user=Practitioner(username="health.visitor", first_name="Gwenllian"))


def test_demo_health_visitor_works_with_children_under_five(loaded):
    demo_sign_ins_ensure()
    visitor = Practitioner.objects.get(username="health.visitor")
    assert visitor.agency is not None
    assert visitor.agency.kind == AgencyKind.HEALTH_VISITING
    assert Involvement.objects.filter(practitioner=visitor, end_date__isnull=True).count() >= 10


@pytest.mark.parametrize("table", sorted(TABLES))
def test_the_generator_writes_every_required_column(table):
    """COPY and executemany bypass Django's defaults, so a new NOT NULL column must be generated too."""
    model = TABLE_MODELS[table]
    required = {
        field.column
        for field in model._meta.concrete_fields
        if not field.null and field.db_default is NOT_PROVIDED and not field.primary_key
    }
    assert required <= set(TABLES[table]), f"{table} lacks {sorted(required - set(TABLES[table]))}"


def test_a_loaded_child_is_found_by_the_matcher_without_an_nhs_number(loaded):
    record = SourceRecord.objects.exclude(given_name="").exclude(date_of_birth=None).order_by("pk").first()
    details = PersonDetails(
        given_name=record.given_name,
        family_name=record.family_name,
        date_of_birth=record.date_of_birth,
        sex=record.sex,
        nhs_number="",
        postcode=record.postcode,
    )
    assert record.person_id in [c.person.pk for c in match_candidates(details=details, model=load_model())]
