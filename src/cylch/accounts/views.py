"""Signing in and out, and the home page each role lands on."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET
from django.views.i18n import set_language

from cylch.accounts.forms import SignInForm
from cylch.accounts.models import Practitioner
from cylch.accounts.selectors import home_summary
from cylch.accounts.services import practitioner_language_set

sign_in = login_not_required(
    LoginView.as_view(
        template_name="accounts/sign_in.html",
        authentication_form=SignInForm,
        redirect_authenticated_user=True,
    )
)
# Signing out is a POST (a link could be followed by a prefetcher and end the session).
sign_out = LogoutView.as_view()


@login_not_required
def language_choose(request: HttpRequest) -> HttpResponse:
    """The English/Cymraeg switch: Django's `set_language` (cookie and redirect), and for a signed-in
    practitioner also their preferred language for the messages Cylch sends them."""
    response = set_language(request)
    if request.method == "POST" and isinstance(request.user, Practitioner):
        practitioner_language_set(practitioner=request.user, language=request.POST.get("language", ""))
    return response


def _url_or_none(name: str) -> str | None:
    """Admin pages exist only when their app registers them, so link to them only if they do."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Who you are signed in as and what your roles need first: a caseload, front-door figures or audit."""
    user = request.user
    assert isinstance(user, Practitioner)  # noqa: S101 - LoginRequiredMiddleware guarantees a practitioner
    return render(
        request,
        "accounts/home.html",
        {
            "summary": home_summary(user=user, request=request, caseload_page=request.GET.get("page")),
            "admin_url": _url_or_none("admin:index"),
            "access_log_admin_url": _url_or_none("admin:audit_accesslogentry_changelist"),
        },
    )
