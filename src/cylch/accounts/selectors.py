"""Reads about practitioners' own accounts."""

from __future__ import annotations

from django.db.models import QuerySet

from cylch.accounts.models import ApiToken, Practitioner


def api_tokens(*, practitioner: Practitioner | None = None) -> QuerySet[ApiToken]:
    """Every token (or one account's), newest first; the keys themselves are not held anywhere to list."""
    tokens = ApiToken.objects.select_related("practitioner").order_by("-created_at", "-pk")
    return tokens if practitioner is None else tokens.filter(practitioner=practitioner)


def api_token_find(prefix: str) -> ApiToken | None:
    """A token by the prefix `cylch token list` shows (the part of the key that is not secret)."""
    return ApiToken.objects.select_related("practitioner").filter(prefix=prefix).first()
