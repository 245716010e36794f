"""Signing in and out, and choosing English or Welsh."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language

from cylch.accounts.forms import SignInForm
from cylch.accounts.models import Practitioner
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
