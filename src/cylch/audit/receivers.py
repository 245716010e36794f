"""Failed sign-ins onto the audit chain, heard through signals: the accounts app sits below audit and cannot
call it, so Django's `user_login_failed` (sent for a wrong password, a refused provider sign-in and, by the
two-factor page, a wrong code) and django-axes' `user_locked_out` are connected here (AuditConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from cylch.audit.services import sign_in_failure_record, sign_in_lockout_record


def sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    sign_in_failure_record(
        username=str(credentials.get("username") or ""),
        request=request,
        second_factor=bool(kwargs.get("second_factor")),
    )


def sign_in_locked_out(sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any) -> None:
    sign_in_lockout_record(username=username or "", request=request)
