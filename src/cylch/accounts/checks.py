"""`cylch check --deploy` refuses a service without two-factor sign-in: a password alone is not enough to
reach children's records."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

TWO_FACTOR_OFF = Error(
    "CYLCH_REQUIRE_TWO_FACTOR is off, so a password alone signs a practitioner in.",
    hint="Unset CYLCH_REQUIRE_TWO_FACTOR (it is on by default); switch it off only on a laptop demo.",
    id="cylch.accounts.E001",
)


def two_factor_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [] if settings.CYLCH_REQUIRE_TWO_FACTOR else [TWO_FACTOR_OFF]
