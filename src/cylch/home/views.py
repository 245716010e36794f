"""The home page each role lands on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from cylch.accounts.permissions import practitioner_of
from cylch.home.selectors import home_summary


def _url_or_none(name: str) -> str | None:
    """Admin pages exist only when their app registers them, so link to them only if they do."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Who you are signed in as and what your roles need first: a caseload, front-door figures or audit."""
    user = practitioner_of(request)
    return render(
        request,
        "home/home.html",
        {
            "summary": home_summary(user=user, request=request, caseload_page=request.GET.get("page")),
            "admin_url": _url_or_none("admin:index"),
            "access_log_admin_url": _url_or_none("admin:audit_accesslogentry_changelist"),
        },
    )
