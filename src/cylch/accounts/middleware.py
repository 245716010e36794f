"""Session limits and two-factor sign-in, applied to every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse

from cylch.accounts.permissions import two_factor_satisfied

SIGNED_IN_AT = "cylch_signed_in_at"
LAST_SEEN_AT = "cylch_last_seen_at"
# The last request is written to the session at most this often, so a page does not cost a session write
# each time; a session therefore ends between IDLE - TOUCH and IDLE seconds after its last request.
TOUCH_SECONDS = 60


def session_clocks_start(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Both clocks start at sign-in (password, OpenID Connect, or a test's force_login); connected to
    `user_logged_in` in AccountsConfig.ready."""
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


class SessionLifetimeMiddleware:
    """Signs out a session idle for CYLCH_SESSION_IDLE_SECONDS, or older than SESSION_COOKIE_AGE however busy.

    A screen left open in a shared office should not stay signed in, and a stolen session cookie should not
    last a working week. The sign-out leaves the request anonymous, so the sign-in check after this one sends
    the practitioner to sign in again and back to the page they asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN_AT, now)
            if now - started >= settings.SESSION_COOKIE_AGE or now - last_seen >= settings.CYLCH_SESSION_IDLE_SECONDS:
                logout(request)
            else:
                if SIGNED_IN_AT not in request.session:
                    request.session[SIGNED_IN_AT] = started
                if now - last_seen >= TOUCH_SECONDS or LAST_SEEN_AT not in request.session:
                    request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


def two_factor_not_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Marks a view a signed-in practitioner may use before their second factor: the two-factor pages themselves,
    signing out and the language switch."""
    view.two_factor_required = False  # type: ignore[attr-defined]
    return view


class TwoFactorRequiredMiddleware:
    """A session signed in with a password (or an agency's provider) reaches nothing but the two-factor pages
    until a one-time code from the practitioner's authenticator app, or a recovery code, has verified it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or not getattr(view_func, "two_factor_required", True):
            return None
        if two_factor_satisfied(request):
            return None
        return HttpResponseRedirect(f"{reverse('accounts:two-factor')}?{urlencode({'next': request.get_full_path()})}")
