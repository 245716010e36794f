"""Signing in (a password or an agency's provider, then a second factor) and out, and choosing English or Welsh."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, LogoutView
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.i18n import set_language
from django_otp import login as otp_login
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from cylch.accounts.forms import SignInForm, TwoFactorCodeForm
from cylch.accounts.middleware import two_factor_not_required
from cylch.accounts.models import Practitioner
from cylch.accounts.oidc import oidc_enabled
from cylch.accounts.permissions import practitioner_of, two_factor_satisfied
from cylch.accounts.services import (
    authenticator_confirm,
    authenticator_for_set_up,
    authenticator_secret,
    authenticator_uri,
    has_authenticator,
    practitioner_language_set,
    two_factor_verify,
)


class SignInView(LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if oidc_enabled():
            context["oidc_provider"] = settings.CYLCH_OIDC_PROVIDER_NAME or _("your organisation")
        return context


sign_in = login_not_required(SignInView.as_view())
# Signing out is a POST (a link could be followed by a prefetcher and end the session).
sign_out = two_factor_not_required(LogoutView.as_view())


def _next_url(request: HttpRequest) -> str:
    """Where to go once signed in: the page asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(route: str, next_url: str) -> str:
    return f"{reverse(route)}?{urlencode({'next': next_url})}"


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a GOV.UK page, 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@two_factor_not_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code.

    A wrong code counts as a failed sign-in: it is on the audit log, and enough of them lock the account and the
    address out just as wrong passwords do."""
    practitioner = practitioner_of(request)
    next_url = _next_url(request)
    if two_factor_satisfied(request):
        return HttpResponseRedirect(next_url)
    if not has_authenticator(practitioner):
        return HttpResponseRedirect(_with_next("accounts:two-factor-set-up", next_url))
    credentials = {"username": practitioner.get_username()}
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST":
        if AxesProxyHandler.is_locked(request, credentials):
            logout(request)
            return locked_out(request, None, credentials)
        if form.is_valid():
            device = two_factor_verify(practitioner=practitioner, code=form.cleaned_data["code"])
            if device is not None:
                request.session.cycle_key()
                otp_login(request, device)
                return HttpResponseRedirect(next_url)
            form.add_error("code", _("Enter the code your authenticator app shows now, or one of your recovery codes"))
            user_login_failed.send(sender=__name__, credentials=credentials, request=request, second_factor=True)
            if getattr(request, "axes_locked_out", False):
                logout(request)
                return locked_out(request, None, credentials)
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


@two_factor_not_required
def two_factor_set_up(request: HttpRequest) -> HttpResponse:
    """First sign-in without an authenticator: add Cylch to an authenticator app, prove it with a code, and
    receive recovery codes, shown this once."""
    practitioner = practitioner_of(request)
    next_url = _next_url(request)
    if has_authenticator(practitioner):
        return HttpResponseRedirect(_with_next("accounts:two-factor", next_url))
    device = authenticator_for_set_up(practitioner)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = authenticator_confirm(practitioner=practitioner, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            request.session.cycle_key()
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
        form.add_error("code", _("Enter the code your authenticator app shows now"))
    context = {
        "form": form,
        "next": next_url,
        "secret": authenticator_secret(device),
        "uri": authenticator_uri(device),
    }
    return render(request, "accounts/two_factor_set_up.html", context)


@login_not_required
def oidc_sign_in(request: HttpRequest) -> HttpResponse:
    """Off to the agency's provider (404 unless one is configured)."""
    if not oidc_enabled():
        raise Http404
    response: HttpResponse = OIDCAuthenticationRequestView.as_view()(request)
    return response


@login_not_required
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """Back from the agency's provider: signed in as the practitioner they match, then the second factor."""
    if not oidc_enabled():
        raise Http404
    response: HttpResponse = OIDCAuthenticationCallbackView.as_view()(request)
    return response


@login_not_required
@two_factor_not_required
def language_choose(request: HttpRequest) -> HttpResponse:
    """The English/Cymraeg switch: Django's `set_language` (cookie and redirect), and for a signed-in
    practitioner also their preferred language for the messages Cylch sends them."""
    response = set_language(request)
    if request.method == "POST" and isinstance(request.user, Practitioner):
        practitioner_language_set(practitioner=request.user, language=request.POST.get("language", ""))
    return response
