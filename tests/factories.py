"""factory_boy factories for every domain model: tests build what they need and nothing else."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cylch.accounts.models import Agency, AgencyKind, LocalAuthority, Practitioner, Region, Role, Team
from cylch.accounts.scopes import PRACTITIONER_SCOPES
from cylch.accounts.services import api_token_create
from cylch.chronology.models import ChronologyEvent, EventKind
from cylch.core.codes import check_character
from cylch.people.models import (
    Household,
    HouseholdMembership,
    Involvement,
    Person,
    PersonIdentifier,
    PersonName,
    Relationship,
    RelationshipKind,
    Sex,
    SourceRecord,
    StatutoryStatus,
)
from cylch.people.validators import nhs_check_digit

TEST_PASSWORD = "correct-horse-battery-staple"


def test_nhs_number(n: int) -> str:
    """A distinct valid NHS number in the 999 test range for each n.

    Body 2n, or 2n+1 when 2n has no valid check digit (two neighbours never both lack one).
    """
    for body_number in (999_000_000 + 2 * n, 999_000_001 + 2 * n):
        digit = nhs_check_digit(str(body_number))
        if digit is not None:
            return f"{body_number}{digit}"
    raise AssertionError("unreachable: adjacent bodies cannot both lack a check digit")


def cylch_id(n: int) -> str:
    body = f"T{n:08d}"
    return body + check_character(body)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name = factory.Sequence(lambda n: f"Test Region {n}")


class LocalAuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthority

    code = factory.Sequence(lambda n: f"W06{n:06d}")
    name = factory.Sequence(lambda n: f"Test Council {n}")
    region = factory.SubFactory(RegionFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    kind = AgencyKind.HEALTH_VISITING
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    phone = "029 2000 0000"
    email = factory.Sequence(lambda n: f"safeguarding{n}@agency.example")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class PractitionerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practitioner
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"practitioner{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Practitioner{n}")
    email = factory.LazyAttribute(lambda p: f"{p.username}@agency.example")
    agency = factory.SubFactory(AgencyFactory)
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        """`PractitionerFactory(roles=[RoleCode.FRONT_DOOR])`; the default is an agency practitioner."""
        if not create:
            return
        codes = extracted if extracted is not None else ["agency_practitioner"]
        self.roles.set([Role.objects.get_or_create(code=code)[0] for code in codes])
        if hasattr(self, "_role_codes"):
            del self._role_codes


def api_key(practitioner: Practitioner, scopes: Any = PRACTITIONER_SCOPES, **kwargs: Any) -> str:
    """A new API key for `practitioner`, as `cylch token create` makes one (a practitioner's scopes by default)."""
    return api_token_create(practitioner=practitioner, scopes=scopes, **kwargs).key


class AuthenticatorFactory(factory.django.DjangoModelFactory):
    """A practitioner's confirmed authenticator app (TOTP); `django_otp.oath.totp(device.bin_key)` is its code."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(PractitionerFactory)
    name = "Authenticator app"
    confirmed = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    cylch_id = factory.Sequence(cylch_id)
    given_name = factory.Iterator(["Cerys", "Dylan", "Ffion", "Osian", "Mia", "Jac", "Alys", "Harri"])
    family_name = factory.Iterator(["Jones", "Davies", "Williams", "Evans", "Thomas", "Roberts"])
    date_of_birth = datetime.date(2018, 3, 14)
    sex = Sex.FEMALE
    nhs_number = factory.Sequence(test_nhs_number)


class PersonNameFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonName

    person = factory.SubFactory(PersonFactory)
    kind = "previous"
    given_name = factory.LazyAttribute(lambda n: n.person.given_name)
    family_name = "Previous"


class PersonIdentifierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonIdentifier

    person = factory.SubFactory(PersonFactory)
    kind = "police_id"
    value = factory.Sequence(lambda n: f"P{n:07d}")
    agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.POLICE)


class SourceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceRecord

    agency = factory.SubFactory(AgencyFactory)
    local_id = factory.Sequence(lambda n: f"SR{n:07d}")
    person = factory.SubFactory(PersonFactory)
    given_name = factory.LazyAttribute(lambda r: r.person.given_name)
    family_name = factory.LazyAttribute(lambda r: r.person.family_name)
    date_of_birth = factory.LazyAttribute(lambda r: r.person.date_of_birth)
    nhs_number = factory.LazyAttribute(lambda r: r.person.nhs_number)
    postcode = "CF10 1AA"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    address_line_1 = factory.Sequence(lambda n: f"{n + 1} Heol y Test")
    town = "Caerdydd"
    postcode = "CF10 1AA"
    local_authority = factory.SubFactory(LocalAuthorityFactory)


class HouseholdMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMembership

    household = factory.SubFactory(HouseholdFactory)
    person = factory.SubFactory(PersonFactory)
    start_date = datetime.date(2020, 1, 1)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(PersonFactory)
    relative = factory.SubFactory(PersonFactory, date_of_birth=datetime.date(1990, 6, 1))
    kind = RelationshipKind.PARENT


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Involvement

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = "Named health visitor"
    start_date = datetime.date(2020, 1, 1)


class StatutoryStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatutoryStatus

    person = factory.SubFactory(PersonFactory)
    kind = "cp_register"
    category = "NEG"
    local_authority = factory.SubFactory(LocalAuthorityFactory)
    start_date = datetime.date(2024, 1, 1)


class ChronologyEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChronologyEvent

    person = factory.SubFactory(PersonFactory)
    agency = factory.SubFactory(AgencyFactory)
    kind = EventKind.HOME_VISIT
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    recorded_at = factory.LazyAttribute(lambda e: e.occurred_at + datetime.timedelta(hours=2))
    summary = "Home visit: child seen, home conditions adequate."


# --- Front door (concerns) -------------------------------------------------------------------------------------
from cylch.concerns.models import Concern, ConcernSubject  # noqa: E402
from cylch.concerns.references import reference_new  # noqa: E402


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    reference = factory.LazyFunction(lambda: reference_new(2025))
    kind = "marf"
    categories = factory.LazyFunction(lambda: ["neglect"])
    what_happened = "Came to school hungry three days running."
    family_aware = "yes"
    referrer = factory.SubFactory(PractitionerFactory)
    referrer_agency = factory.LazyAttribute(lambda c: c.referrer.agency)
    local_authority = factory.LazyAttribute(lambda c: c.referrer_agency.local_authority)
    received_at = factory.LazyFunction(timezone.now)
    decision_due_at = factory.LazyAttribute(lambda c: c.received_at + datetime.timedelta(days=1))
    feedback_due_on = factory.LazyAttribute(lambda c: (c.received_at + datetime.timedelta(days=9)).date())


class ConcernSubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConcernSubject

    concern = factory.SubFactory(ConcernFactory)
    role = "child"
    person = factory.SubFactory(PersonFactory)
    given_name = factory.LazyAttribute(lambda s: s.person.given_name)
    family_name = factory.LazyAttribute(lambda s: s.person.family_name)
    date_of_birth = factory.LazyAttribute(lambda s: s.person.date_of_birth)


# --- Notifications ---------------------------------------------------------------------------------------------
from cylch.notifications.models import Notification  # noqa: E402


class NotificationFactory(factory.django.DjangoModelFactory):
    """A queued message to a practitioner (no task is enqueued: tests send it themselves)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(PractitionerFactory)
    email = factory.LazyAttribute(lambda n: n.recipient.email if n.recipient else "someone@agency.example")
    template = "concern_acknowledgement"
    subject = "Concern received: reference 2025-ABCDEFG"
    body = "The front door has received your concern."
    personalisation = factory.LazyFunction(lambda: {"reference": "2025-ABCDEFG"})
