"""API authentication: hashed API tokens (`cylch token create`), read with the practitioner and their agency."""

from __future__ import annotations

import hmac
from functools import cache

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

from cylch.accounts.models import Agency, ApiToken, Practitioner, api_key_hash
from cylch.core.sql import quote

_AGENCY_PREFIX = "agency__"
_TOKEN_PREFIX = "token__"  # noqa: S105 - a column alias, not a secret
# What a call needs of its token: which it is (the audit chain names it by prefix) and what it may do.
_TOKEN_FIELDS = ("id", "practitioner_id", "name", "prefix", "key_hash", "scopes")


@cache
def _agency_names() -> list[str]:
    return [field.attname for field in Agency._meta.concrete_fields]


@cache
def _token_sql() -> str:
    """The practitioner holding a token, with their agency's and the token's columns beside (all plain text and
    numbers, so nothing needs converting), and whether the token is live worked out by the database."""
    agency_columns = ", ".join(
        f"a.{quote(field.column)} AS {quote(_AGENCY_PREFIX + field.attname)}" for field in Agency._meta.concrete_fields
    )
    columns = {field.attname: field.column for field in ApiToken._meta.concrete_fields}
    token_columns = ", ".join(f"t.{quote(columns[name])} AS {quote(_TOKEN_PREFIX + name)}" for name in _TOKEN_FIELDS)
    return (
        f"SELECT p.*, {agency_columns}, {token_columns}, "  # noqa: S608
        f"CASE WHEN t.{quote('revoked_at')} IS NULL THEN 1 ELSE 0 END AS {quote('token_not_revoked')}, "
        f"CASE WHEN t.{quote('expires_at')} > %s THEN 1 ELSE 0 END AS {quote('token_not_expired')} "
        f"FROM {quote(ApiToken._meta.db_table)} t "
        f"JOIN {quote(Practitioner._meta.db_table)} p ON p.id = t.practitioner_id "
        f"LEFT JOIN {quote(Agency._meta.db_table)} a ON a.id = p.agency_id WHERE t.{quote('prefix')} = %s"
    )


class PractitionerTokenAuthentication(TokenAuthentication):
    """The token, its practitioner and their agency in one query, on every call.

    Every API call pays for this, and nearly every one acts for the agency (raising a concern stores it under
    the agency's authority). The ORM's select_related compiles the same three-table query afresh each call, at
    several times the cost of running it; this one is written once. Nothing is kept between calls, so a revoked
    or expired token or a deactivated practitioner is refused at once. The row is found by the key's prefix and
    the whole key's hash compared in constant time, so the database never holds a usable key."""

    def authenticate_credentials(self, key: str) -> tuple[Practitioner, ApiToken]:
        if not (key.isascii() and key.isalnum()):  # every key Cylch or DRF ever issued is hexadecimal
            raise AuthenticationFailed(_("Invalid token."))
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        user = next(iter(Practitioner.objects.raw(_token_sql(), [now, key[: ApiToken.PREFIX_LENGTH]])), None)
        if user is None or not hmac.compare_digest(getattr(user, _TOKEN_PREFIX + "key_hash"), api_key_hash(key)):
            raise AuthenticationFailed(_("Invalid token."))
        if not getattr(user, "token_not_revoked"):  # noqa: B009 - a column of the query, not of the model
            raise AuthenticationFailed(_("This token has been revoked."))
        if not getattr(user, "token_not_expired"):  # noqa: B009
            raise AuthenticationFailed(_("This token has expired."))
        if not user.is_active:
            raise AuthenticationFailed(_("User inactive or deleted."))
        names = _agency_names()
        values = [getattr(user, _AGENCY_PREFIX + name) for name in names]
        if values[0] is not None:
            user.agency = Agency.from_db(connection.alias, names, values)
        token = ApiToken.from_db(
            connection.alias, list(_TOKEN_FIELDS), [getattr(user, _TOKEN_PREFIX + name) for name in _TOKEN_FIELDS]
        )
        token.practitioner = user
        return user, token
