"""Failed sign-ins and API token changes onto the audit chain, heard through signals: the accounts app sits below
audit and cannot call it, so Django's `user_login_failed` (sent for a wrong password, a refused provider sign-in
and, by the two-factor page, a wrong code), django-axes' `user_locked_out` and accounts' `api_token_changed` are
connected here (AuditConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cylch.accounts.models import ApiToken
from cylch.audit.services import api_token_change_record, sign_in_failure_record, sign_in_lockout_record


def sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    sign_in_failure_record(
        username=str(credentials.get("username") or ""),
        request=request,
        second_factor=bool(kwargs.get("second_factor")),
    )


def sign_in_locked_out(sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any) -> None:
    sign_in_lockout_record(username=username or "", request=request)


def api_token_changed_record(
    sender: Any, token: ApiToken, change: str, replaces: ApiToken | None = None, **kwargs: Any
) -> None:
    api_token_change_record(token=token, change=change, replaces=replaces)
