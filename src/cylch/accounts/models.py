"""Who works where: the organisations around a child and the practitioners who sign in."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from cylch.accounts.welsh import in_language


class Region(models.Model):
    """A regional safeguarding board's footprint (e.g. Cwm Taf Morgannwg)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_cy = models.CharField(_("Welsh name"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LocalAuthority(models.Model):
    """A council area; children's services and the front door belong to one."""

    code = models.CharField(_("ONS code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_cy = models.CharField(_("Welsh name"), max_length=120, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_authorities")

    class Meta:
        verbose_name = _("local authority")
        verbose_name_plural = _("local authorities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    CHILDRENS_SERVICES = "childrens_services", _("Children's services")
    POLICE = "police", _("Police")
    GP_PRACTICE = "gp_practice", _("GP practice")
    MIDWIFERY = "midwifery", _("Midwifery")
    HEALTH_VISITING = "health_visiting", _("Health visiting")
    SCHOOL_NURSING = "school_nursing", _("School nursing")
    HOSPITAL = "hospital", _("Hospital or emergency department")
    CAMHS = "camhs", _("Child and adolescent mental health services")
    ADULT_MENTAL_HEALTH = "adult_mental_health", _("Adult mental health")
    SUBSTANCE_MISUSE = "substance_misuse", _("Substance misuse service")
    SCHOOL = "school", _("School")
    EDUCATION_WELFARE = "education_welfare", _("Education welfare")
    HOUSING = "housing", _("Housing")
    PROBATION_YOUTH_JUSTICE = "probation_youth_justice", _("Probation or youth justice")
    THIRD_SECTOR = "third_sector", _("Third sector")


class Agency(models.Model):
    """An organisation that works with children or adults and records what it knows."""

    name = models.CharField(_("name"), max_length=200)
    name_cy = models.CharField(_("Welsh name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="agencies")
    phone = models.CharField(_("safeguarding phone"), max_length=32, blank=True)
    email = models.EmailField(_("safeguarding email"), blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["local_authority", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> Region:
        return self.local_authority.region


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    # A database default too: bulk loaders (the synthetic region's COPY) that predate the column still insert.
    name_cy = models.CharField(_("Welsh name"), max_length=200, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"

    @property
    def name_localised(self) -> str:
        """The team's name in the reader's language (see `cylch.accounts.welsh`)."""
        return in_language(self.name, self.name_cy)


class RoleCode(models.TextChoices):
    AGENCY_PRACTITIONER = "agency_practitioner", _("Agency practitioner")
    FRONT_DOOR = "front_door", _("Front door")
    FRONT_DOOR_MANAGER = "front_door_manager", _("Front-door manager")
    LEAD_PRACTITIONER = "lead_practitioner", _("Lead practitioner")
    BOARD_OFFICER = "board_officer", _("Board officer")
    INFORMATION_GOVERNANCE = "information_governance", _("Information governance")
    ADMINISTRATOR = "administrator", _("Administrator")


class Role(models.Model):
    """One of the fixed roles; rows exist so roles can be granted through a plain many-to-many."""

    code = models.CharField(_("code"), max_length=32, choices=RoleCode.choices, primary_key=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(RoleCode(self.code).label)


class Practitioner(AbstractUser):
    """A person who signs in. Every practitioner belongs to one agency (system accounts too)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="practitioners", null=True, blank=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, related_name="members", null=True, blank=True)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    job_title_cy = models.CharField(_("job title in Welsh"), max_length=120, blank=True, default="", db_default="")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    roles = models.ManyToManyField(Role, related_name="practitioners", blank=True)
    # Messages (emails, Notify) are worded in this language; blank until they use the English/Cymraeg switch.
    language = models.CharField(_("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    # Only such an account may send source records (permissions.can_send_source_records).
    is_system_account = models.BooleanField(
        _("system account"),
        default=False,
        help_text=_("An agency's computer system, not a person: only these may send source records through the API."),
    )

    class Meta:
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")
        ordering = ["last_name", "first_name"]

    @property
    def job_title_localised(self) -> str:
        """The job title in the reader's language (see `cylch.accounts.welsh`)."""
        return in_language(self.job_title, self.job_title_cy)

    def role_codes(self) -> frozenset[str]:
        """The practitioner's roles, fetched once per request object."""
        cached: frozenset[str] | None = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("code", flat=True))
            self._role_codes = cached
        return cached

    def has_role(self, code: RoleCode) -> bool:
        return code in self.role_codes()


def api_key_hash(key: str) -> str:
    """A key is 256 random bits, so a plain SHA-256 cannot be reversed or guessed (no salt or slow hash needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An API key for a practitioner or system account, kept only as its hash: the key is shown once.

    The key's first `PREFIX_LENGTH` characters are stored in clear to find the row (and to name the token in
    lists and on the audit chain); the whole key's hash is then compared in constant time."""

    PREFIX_LENGTH = 12

    practitioner = models.ForeignKey(Practitioner, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    # Space-separated, as OAuth writes them (see cylch.accounts.scopes).
    scopes = models.CharField(_("scopes"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix} ({self.name})"

    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())
