"""Rate limits per API token (DRF throttling: over the limit, 429 with Retry-After).

Counts are kept in Django's cache, so they are per process unless a shared cache (e.g. Redis) is configured.
Calls signed in on the web carry no token and are not counted here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from cylch.accounts.models import ApiToken

if TYPE_CHECKING:  # rest_framework.views imports the permission classes named in settings
    from rest_framework.views import APIView


class TokenRateThrottle(SimpleRateThrottle):
    """Every call with a token: CYLCH_API_TOKEN_RATE (e.g. "600/min"), read when the call is made."""

    rate_setting = "CYLCH_API_TOKEN_RATE"

    def get_rate(self) -> str:
        rate: str = getattr(settings, self.rate_setting)
        return rate

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None
        # The prefix, not the row id: ids can be reused (SQLite after a rollback), prefixes are random.
        return f"throttle:{self.rate_setting}:{token.prefix}"


class SourceRecordRateThrottle(TokenRateThrottle):
    """Sending source records, on top of the token's own limit: each one may create a person."""

    rate_setting = "CYLCH_API_SOURCE_RECORD_RATE"
