"""Signing in through an agency's OpenID Connect provider (mozilla-django-oidc), when one is configured.

The provider vouches for who someone is; Cylch still decides whether they are a practitioner: a provider's user
signs in only as an existing, active practitioner, matched by email address or by the username in a configured
claim, and nobody is created. Two-factor sign-in follows, as after a password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from cylch.accounts.models import Practitioner


def oidc_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def _matching_claim() -> str:
    return settings.CYLCH_OIDC_USERNAME_CLAIM or "email"


class PractitionerOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """The provider's user as the one practitioner they match, or nobody."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Practitioner | None:
        # Only the provider's callback passes a nonce: a password form posted with ?code=&state= never gets here.
        if not oidc_enabled() or "nonce" not in kwargs:
            return None
        user: Practitioner | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature and the nonce; the token must also have been issued to Cylch."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued to another client.")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if claims.get("email_verified") is False and _matching_claim() == "email":
            return False
        return bool(claims.get(_matching_claim()))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Practitioner]:
        value = str(claims.get(_matching_claim()) or "")
        if not value:
            return Practitioner.objects.none()
        if settings.CYLCH_OIDC_USERNAME_CLAIM:
            return Practitioner.objects.filter(username=value, is_active=True)
        return Practitioner.objects.filter(email__iexact=value, is_active=True)
