"""API authentication: DRF's per-practitioner tokens (`cylch token create`), read with the practitioner's agency."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from cylch.accounts.models import Practitioner


class PractitionerTokenAuthentication(TokenAuthentication):
    """The token, its practitioner and their agency in one query. Nearly every API call acts for an agency
    (raising a concern stores it with the agency's authority), so reading it here saves a query a call."""

    def authenticate_credentials(self, key: str) -> tuple[Practitioner, Token]:
        token = Token.objects.select_related("user__agency").filter(key=key).first()
        if token is None:
            raise AuthenticationFailed(_("Invalid token."))
        user = token.user
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        assert isinstance(user, Practitioner)  # noqa: S101 - AUTH_USER_MODEL
        return user, token
