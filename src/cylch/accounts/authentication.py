"""API authentication: DRF's per-practitioner tokens (`cylch token create`), read with the practitioner's agency."""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from cylch.accounts.models import Agency, Practitioner
from cylch.core.sql import quote

_AGENCY_PREFIX = "agency__"


@cache
def _agency_names() -> list[str]:
    return [field.attname for field in Agency._meta.concrete_fields]


@cache
def _token_sql() -> str:
    """The practitioner holding a token, with their agency's columns beside (all plain text and numbers)."""
    agency_columns = ", ".join(
        f"a.{quote(field.column)} AS {quote(_AGENCY_PREFIX + field.attname)}" for field in Agency._meta.concrete_fields
    )
    return (
        f"SELECT p.*, {agency_columns} FROM {quote(Practitioner._meta.db_table)} p "  # noqa: S608
        f"JOIN {quote(Token._meta.db_table)} t ON t.user_id = p.id "
        f"LEFT JOIN {quote(Agency._meta.db_table)} a ON a.id = p.agency_id WHERE t.{quote('key')} = %s"
    )


class PractitionerTokenAuthentication(TokenAuthentication):
    """The token's practitioner and their agency in one query, on every call.

    Every API call pays for this, and nearly every one acts for the agency (raising a concern stores it under
    the agency's authority). The ORM's select_related compiles the same three-table query afresh each call, at
    several times the cost of running it; this one is written once. Nothing is kept between calls, so a revoked
    token or a deactivated practitioner is refused at once."""

    def authenticate_credentials(self, key: str) -> tuple[Practitioner, Token]:
        user = next(iter(Practitioner.objects.raw(_token_sql(), [key])), None)
        if user is None:
            raise AuthenticationFailed(_("Invalid token."))
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        names = _agency_names()
        values = [getattr(user, _AGENCY_PREFIX + name) for name in names]
        if values[0] is not None:
            user.agency = Agency.from_db(connection.alias, names, values)
        return user, Token(key=key, user=user)
