"""Children and adults as Cylch knows them, and each agency's own copy of them.

A Person is the resolved individual: the cluster of the SourceRecords that agencies sent.
Source records are never altered by linkage, so a person can be re-clustered (merged or
split) without losing what any agency recorded.

One module although long: these models are one schema (a person, their names, identifiers, source records,
households, relationships, involvements and statuses refer to each other), read best side by side.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cylch.accounts.models import Agency, LocalAuthority, Practitioner, Team
from cylch.people.text import phonetic_key
from cylch.people.validators import validate_nhs_number, validate_postcode, validate_upn

ADULT_AGE = 18


class Sex(models.TextChoices):
    """NHS Data Dictionary person stated sex codes."""

    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INDETERMINATE = "indeterminate", _("Indeterminate")
    NOT_KNOWN = "not_known", _("Not known")


class Ethnicity(models.TextChoices):
    """The Department for Education's main ethnicity codes (as used in the children-in-need census)."""

    WBRI = "WBRI", _("White – British")
    WIRI = "WIRI", _("White – Irish")
    WIRT = "WIRT", _("Traveller of Irish heritage")
    WROM = "WROM", _("Gypsy or Roma")
    WOTH = "WOTH", _("Any other White background")
    MWBC = "MWBC", _("White and Black Caribbean")
    MWBA = "MWBA", _("White and Black African")
    MWAS = "MWAS", _("White and Asian")
    MOTH = "MOTH", _("Any other mixed background")
    AIND = "AIND", _("Indian")
    APKN = "APKN", _("Pakistani")
    ABAN = "ABAN", _("Bangladeshi")
    AOTH = "AOTH", _("Any other Asian background")
    BCRB = "BCRB", _("Black Caribbean")
    BAFR = "BAFR", _("Black African")
    BOTH = "BOTH", _("Any other Black background")
    CHNE = "CHNE", _("Chinese")
    OOTH = "OOTH", _("Any other ethnic group")
    REFU = "REFU", _("Refused")
    NOBT = "NOBT", _("Information not yet obtained")


class Language(models.TextChoices):
    """First languages most often recorded in Wales (ISO 639-3 codes)."""

    ENGLISH = "eng", _("English")
    WELSH = "cym", _("Welsh")
    POLISH = "pol", _("Polish")
    ARABIC = "ara", _("Arabic")
    URDU = "urd", _("Urdu")
    BENGALI = "ben", _("Bengali")
    PUNJABI = "pan", _("Punjabi")
    ROMANIAN = "ron", _("Romanian")
    PORTUGUESE = "por", _("Portuguese")
    SOMALI = "som", _("Somali")
    TIGRINYA = "tir", _("Tigrinya")
    PERSIAN = "fas", _("Persian")
    KURDISH = "kur", _("Kurdish")
    UKRAINIAN = "ukr", _("Ukrainian")
    CHINESE = "zho", _("Chinese")
    BSL = "bfi", _("British Sign Language")
    OTHER = "other", _("Other")


class Person(models.Model):
    """One child (born or unborn) or adult, with a stable Cylch ID shared by every agency."""

    cylch_id = models.CharField(_("Cylch ID"), max_length=10, unique=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    middle_names = models.CharField(_("middle names"), max_length=200, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name_key = models.CharField(max_length=12, blank=True, db_index=True, editable=False)
    family_name_key = models.CharField(max_length=12, blank=True, db_index=True, editable=False)
    is_unborn = models.BooleanField(_("unborn"), default=False)
    expected_delivery_date = models.DateField(_("expected date of delivery"), null=True, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True, db_index=True)
    date_of_death = models.DateField(_("date of death"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    gender = models.CharField(_("gender identity"), max_length=60, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=4, choices=Ethnicity.choices, default=Ethnicity.NOBT)
    first_language = models.CharField(
        _("first language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    nhs_number = models.CharField(
        _("NHS number"), max_length=10, blank=True, db_index=True, validators=[validate_nhs_number]
    )
    # Indexed only where set (see Meta): nearly everyone is unmerged, so an index over the NULLs would only
    # tempt the planner into scanning all of them for `merged_into IS NULL`.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        editable=False,
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set when retention destroyed the record (cylch.retention): the row stays as a tombstone with every personal
    # field blanked, because the append-only audit log refers to it and must keep verifying.
    destroyed_at = models.DateTimeField(_("destroyed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["family_name_key", "given_name_key"], name="person_name_keys"),
            models.Index(fields=["merged_into"], name="person_merged_into", condition=Q(merged_into__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_unborn=False)
                | (Q(date_of_birth__isnull=True) & Q(expected_delivery_date__isnull=False)),
                name="person_unborn_has_edd_not_dob",
                violation_error_message=_("An unborn child has an expected date of delivery and no date of birth."),
            ),
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=models.F("date_of_birth")),
                name="person_death_after_birth",
                violation_error_message=_("The date of death cannot be before the date of birth."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("Unnamed person"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Keys are derived data, so they cannot drift from the names they index.
        self.given_name_key = phonetic_key(self.given_name)
        self.family_name_key = phonetic_key(self.family_name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        today = timezone.localdate()
        if self.date_of_birth and self.date_of_birth > today:
            raise ValidationError({"date_of_birth": _("The date of birth must be today or in the past.")})
        if self.is_unborn and self.date_of_birth:
            raise ValidationError({"date_of_birth": _("An unborn child cannot have a date of birth.")})
        if self.is_unborn and not self.expected_delivery_date:
            raise ValidationError({"expected_delivery_date": _("Enter the expected date of delivery.")})

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age(self) -> int | None:
        return self.age_on(timezone.localdate())

    @property
    def is_child(self) -> bool:
        age = self.age
        return self.is_unborn or (age is not None and age < ADULT_AGE)


class NameKind(models.TextChoices):
    PREVIOUS = "previous", _("Previous name")
    ALIAS = "alias", _("Alias")
    KNOWN_AS = "known_as", _("Known as")
    BIRTH = "birth", _("Name at birth")


class PersonName(models.Model):
    """A name other than the current one: previous surnames, aliases, the name a child is known by."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="other_names")
    kind = models.CharField(_("kind"), max_length=16, choices=NameKind.choices)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name_key = models.CharField(max_length=12, blank=True, db_index=True, editable=False)
    family_name_key = models.CharField(max_length=12, blank=True, db_index=True, editable=False)
    used_from = models.DateField(_("used from"), null=True, blank=True)
    used_to = models.DateField(_("used to"), null=True, blank=True)

    class Meta:
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        constraints = [
            models.CheckConstraint(
                condition=Q(used_to__isnull=True) | Q(used_from__isnull=True) | Q(used_to__gte=models.F("used_from")),
                name="personname_dates_in_order",
                violation_error_message=_("A name cannot stop being used before it started."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.given_name_key = phonetic_key(self.given_name)
        self.family_name_key = phonetic_key(self.family_name)
        super().save(*args, **kwargs)


class IdentifierKind(models.TextChoices):
    UPN = "upn", _("Unique pupil number")
    POLICE_ID = "police_id", _("Police person ID")
    COUNCIL_ID = "council_id", _("Council case ID")
    HOSPITAL_NUMBER = "hospital_number", _("Hospital number")
    OTHER = "other", _("Other")


class PersonIdentifier(models.Model):
    """An identifier other than the NHS number, tagged with the agency that issued it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("kind"), max_length=16, choices=IdentifierKind.choices)
    value = models.CharField(_("value"), max_length=64)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="issued_identifiers")

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        constraints = [models.UniqueConstraint(fields=["agency", "kind", "value"], name="identifier_unique_per_agency")]
        indexes = [models.Index(fields=["kind", "value"], name="identifier_lookup")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def clean(self) -> None:
        if self.kind == IdentifierKind.UPN:
            validate_upn(self.value)


class Provenance(models.Model):
    """Who recorded a fact about a person, for which agency, and when: each fact on the single and family views
    says where it came from. Blank on rows recorded before provenance was kept (the admin and the demo load)."""

    recorded_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by agency")
    )
    recorded_by = models.ForeignKey(
        Practitioner, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)

    class Meta:
        abstract = True


class SourceRecord(models.Model):
    """An agency's own copy of a person exactly as it arrived: its spelling, its identifiers, its mistakes."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="source_records")
    local_id = models.CharField(_("agency's record ID"), max_length=64)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="source_records")
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=16, choices=Sex.choices, default=Sex.NOT_KNOWN)
    nhs_number = models.CharField(_("NHS number as recorded"), max_length=16, blank=True, db_index=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    identifiers = models.JSONField(_("other identifiers"), default=dict, blank=True)
    # Identity as this agency recorded it (blank: not sent); the person keeps one value, see cylch.feeds.
    ethnicity = models.CharField(_("ethnicity"), max_length=4, choices=Ethnicity.choices, blank=True)
    first_language = models.CharField(_("first language"), max_length=5, choices=Language.choices, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("source record")
        verbose_name_plural = _("source records")
        constraints = [models.UniqueConstraint(fields=["agency", "local_id"], name="source_record_unique")]

    def __str__(self) -> str:
        return f"{self.agency.name}: {self.given_name} {self.family_name} ({self.local_id})"


class Household(models.Model):
    """People living at one address. A move is leaving one household and joining another."""

    address_line_1 = models.CharField(_("address line 1"), max_length=200)
    address_line_2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    town = models.CharField(_("town or city"), max_length=100)
    postcode = models.CharField(_("postcode"), max_length=10, db_index=True, validators=[validate_postcode])
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="households")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.address_line_1}, {self.town} {self.postcode}"


class HouseholdMembership(Provenance):
    """A person living in a household from one date to another (open-ended while they still live there)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="household_memberships")
    start_date = models.DateField(_("moved in"))
    end_date = models.DateField(_("moved out"), null=True, blank=True)

    class Meta:
        verbose_name = _("household membership")
        verbose_name_plural = _("household memberships")
        ordering = ["start_date"]
        indexes = [models.Index(fields=["person", "end_date"], name="membership_person_current")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_dates_in_order",
                violation_error_message=_("The date someone moved out cannot be before the date they moved in."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.household}"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The date someone moved out cannot be before the date they moved in.")}
            )
        if self.household_id and self.person_id and self.start_date:
            overlapping = HouseholdMembership.objects.filter(
                household_id=self.household_id, person_id=self.person_id
            ).exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
            if self.end_date:
                overlapping = overlapping.filter(start_date__lte=self.end_date)
            if overlapping.exists():
                raise ValidationError(_("This person already lives in this household during those dates."))

    def is_current_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class RelationshipKind(models.TextChoices):
    """Read as: `relative` is the <kind> of `person`."""

    PARENT = "parent", _("Parent")
    STEP_PARENT = "step_parent", _("Step-parent")
    PARTNER_OF_PARENT = "partner_of_parent", _("Partner of a parent")
    SIBLING = "sibling", _("Sibling")
    HALF_SIBLING = "half_sibling", _("Half-sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    KINSHIP_CARER = "kinship_carer", _("Kinship carer")
    FOSTER_CARER = "foster_carer", _("Foster carer")
    PARTNER = "partner", _("Partner")
    OTHER = "other", _("Other")


SYMMETRIC_RELATIONSHIPS = frozenset({RelationshipKind.SIBLING, RelationshipKind.HALF_SIBLING, RelationshipKind.PARTNER})


class Relationship(Provenance):
    """`relative` is the <kind> of `person`, from one date to another."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships_as_relative")
    kind = models.CharField(_("relationship"), max_length=24, choices=RelationshipKind.choices)
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")),
                name="relationship_not_to_self",
                violation_error_message=_("A person cannot be related to themselves."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="relationship_dates_in_order",
                violation_error_message=_("A relationship cannot end before it started."),
            ),
            models.UniqueConstraint(fields=["person", "relative", "kind"], name="relationship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.relative} is {self.get_kind_display()} of {self.person}"


class Involvement(Provenance):
    """An agency (and perhaps a named team and practitioner) working with a person: the basis of need-to-know."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="involvements")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="involvements")
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="involvements")
    practitioner = models.ForeignKey(
        Practitioner, on_delete=models.SET_NULL, null=True, blank=True, related_name="involvements"
    )
    role = models.CharField(_("role with the person"), max_length=120, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["agency", "person", "end_date"], name="involvement_agency_person"),
            models.Index(fields=["person", "end_date"], name="involvement_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="involvement_dates_in_order",
                violation_error_message=_("An involvement cannot end before it started."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} – {self.person}"

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class StatusKind(models.TextChoices):
    CHILD_PROTECTION_REGISTER = "cp_register", _("On the child protection register")
    LOOKED_AFTER = "looked_after", _("Looked after")


class RegisterCategory(models.TextChoices):
    """Categories of abuse for registration (children-in-need census codes)."""

    NEGLECT = "NEG", _("Neglect")
    PHYSICAL = "PHY", _("Physical abuse")
    SEXUAL = "SAB", _("Sexual abuse")
    EMOTIONAL = "EMO", _("Emotional abuse")
    MULTIPLE = "MUL", _("Multiple categories")


class StatutoryStatus(Provenance):
    """A period on the child protection register (unborn children included) or looked after by an authority."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="statuses")
    kind = models.CharField(_("status"), max_length=16, choices=StatusKind.choices)
    category = models.CharField(_("category"), max_length=3, choices=RegisterCategory.choices, blank=True)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="statuses")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("register or looked-after status")
        verbose_name_plural = _("register and looked-after statuses")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="status_dates_in_order",
                violation_error_message=_("A status cannot end before it started."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="cp_register") | ~Q(category=""),
                name="status_register_has_category",
                violation_error_message=_("Registration needs a category of abuse."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person}"

    def is_current_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
