"""Writes about practitioners themselves, and their API tokens."""

from __future__ import annotations

import base64
import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cylch.accounts.models import ApiToken, Practitioner, api_key_hash
from cylch.accounts.permissions import may_hold_scope
from cylch.accounts.scopes import SCOPES
from cylch.accounts.signals import api_token_changed

# A stolen token should be worth little: none lives longer than a year, whatever is asked for.
MAX_TOKEN_DAYS = 366


@transaction.atomic
def practitioner_language_set(*, practitioner: Practitioner, language: str) -> bool:
    """Remember the language a practitioner chose, so messages sent to them later are worded in it.
    False (and nothing stored) for a language Cylch does not offer."""
    if language not in dict(settings.LANGUAGES):
        return False
    if practitioner.language != language:
        practitioner.language = language
        practitioner.save(update_fields=["language"])
    return True


@dataclass(frozen=True)
class IssuedToken:
    """A token just made, with its key: the only time the key exists outside the caller's hands."""

    token: ApiToken
    key: str


NAME_MAX_LENGTH = 100


def _token_check(practitioner: Practitioner, scopes: frozenset[str], days: int, name: str) -> None:
    if not practitioner.is_active:
        raise ValidationError(_("%(user)s is not an active account.") % {"user": practitioner.username})
    if not scopes:
        raise ValidationError(_("Name at least one scope: %(scopes)s.") % {"scopes": ", ".join(SCOPES)})
    for scope in sorted(scopes):
        if scope not in SCOPES:
            raise ValidationError(
                _("%(scope)s is not a scope. Choose from: %(scopes)s.") % {"scope": scope, "scopes": ", ".join(SCOPES)}
            )
        if not may_hold_scope(practitioner, scope):
            raise ValidationError(
                _("Only a system account may hold the %(scope)s scope; %(user)s is not one.")
                % {"scope": scope, "user": practitioner.username}
            )
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(_("A token lasts from 1 to %(days)s days.") % {"days": MAX_TOKEN_DAYS})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(_("Use %(limit)s characters or fewer.") % {"limit": NAME_MAX_LENGTH})


@transaction.atomic
def api_token_create(
    *, practitioner: Practitioner, scopes: Iterable[str], name: str = "", days: int | None = None
) -> IssuedToken:
    """A new token for `practitioner`, limited to `scopes` and lasting `days` (CYLCH_API_TOKEN_DAYS by default).
    Only the key's hash is stored, so the returned key must be handed over now or never."""
    issued = _token_issue(practitioner=practitioner, scopes=scopes, name=name, days=days)
    api_token_changed.send(sender=ApiToken, token=issued.token, change="issued")
    return issued


def _token_issue(*, practitioner: Practitioner, scopes: Iterable[str], name: str, days: int | None) -> IssuedToken:
    wanted = frozenset(scopes)
    lifetime = settings.CYLCH_API_TOKEN_DAYS if days is None else days
    _token_check(practitioner, wanted, lifetime, name)
    key = secrets.token_hex(32)
    token = ApiToken.objects.create(
        practitioner=practitioner,
        name=name,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=api_key_hash(key),
        scopes=" ".join(sorted(wanted)),
        expires_at=timezone.now() + datetime.timedelta(days=lifetime),
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_rotate(*, token: ApiToken, days: int | None = None) -> IssuedToken:
    """A new key with the same holder, name and scopes; the old key stops working at once. A revoked token is
    not brought back this way (create a new one, deliberately)."""
    current = ApiToken.objects.select_for_update().select_related("practitioner").get(pk=token.pk)
    if current.revoked_at is not None:
        raise ValidationError(_("Token %(prefix)s was revoked; create a new one instead.") % {"prefix": current.prefix})
    issued = _token_issue(practitioner=current.practitioner, scopes=current.scope_set(), name=current.name, days=days)
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    api_token_changed.send(sender=ApiToken, token=issued.token, change="rotated", replaces=current)
    return issued


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> bool:
    """Stop a token working at once; False if it had already been revoked."""
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()) == 1
    if revoked:
        api_token_changed.send(sender=ApiToken, token=token, change="revoked")
    return revoked


# ------------------------------------------------------------------ two-factor sign-in

RECOVERY_CODE_COUNT = 10


def authenticator_secret(device: TOTPDevice) -> str:
    """The device's secret as authenticator apps ask for it when typed in (base32, in groups of four)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_uri(device: TOTPDevice) -> str:
    """The otpauth:// address an authenticator app reads (from a QR code or pasted)."""
    return str(device.config_url)


def authenticator_of(practitioner: Practitioner) -> TOTPDevice | None:
    device: TOTPDevice | None = TOTPDevice.objects.filter(user=practitioner, confirmed=True).order_by("pk").first()
    return device


def has_authenticator(practitioner: Practitioner) -> bool:
    return bool(TOTPDevice.objects.filter(user=practitioner, confirmed=True).exists())


def authenticator_for_set_up(practitioner: Practitioner) -> TOTPDevice:
    """The practitioner's authenticator still being set up, created on the first visit so that the secret shown
    stays the same if the page is reloaded."""
    device = TOTPDevice.objects.filter(user=practitioner, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=practitioner, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def authenticator_add(*, practitioner: Practitioner, key: str) -> TOTPDevice:
    """A confirmed authenticator with a known secret (hex), for demo accounts whose secret is printed."""
    return TOTPDevice.objects.create(user=practitioner, name="Authenticator app", key=key, confirmed=True)


@transaction.atomic
def authenticator_confirm(*, practitioner: Practitioner, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator being set up if `code` is the one it shows now, and issue new recovery codes
    (returned to be shown once; only the device keeps them). None, and nothing changed, for a wrong code."""
    if device.user_id != practitioner.pk or device.confirmed or not device.verify_token(_code_clean(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return recovery_codes_replace(practitioner=practitioner)


@transaction.atomic
def recovery_codes_replace(*, practitioner: Practitioner) -> list[str]:
    """Ten new single-use recovery codes, for signing in without the phone; any earlier ones stop working."""
    StaticDevice.objects.filter(user=practitioner).delete()
    device = StaticDevice.objects.create(user=practitioner, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_reset(*, practitioner: Practitioner) -> None:
    """Remove the practitioner's authenticator and recovery codes (a lost phone): their sessions verified with
    them stop being verified at once, and their next sign-in sets up a new authenticator."""
    TOTPDevice.objects.filter(user=practitioner).delete()
    StaticDevice.objects.filter(user=practitioner).delete()


def two_factor_verify(*, practitioner: Practitioner, code: str) -> Device | None:
    """The confirmed device that accepts `code`: the authenticator's current code, or a recovery code (which is
    used up). django-otp slows each device down after a wrong code, and never accepts one code twice."""
    device: Device | None = match_token(practitioner, _code_clean(code))
    return device


def _code_clean(code: str) -> str:
    """People type codes with spaces or hyphens, as they are shown, and recovery codes in capitals."""
    return "".join(code.split()).replace("-", "").lower()
