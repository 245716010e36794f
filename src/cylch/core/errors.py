"""The service's own error pages (400, 403, 404, 500), and JSON errors for the API's paths.

Django's defaults are bare pages in English with no way back; these use the service's layout, in the reader's
language, with the navigation and a link home (and back, when the reader came from one of our pages). The 500
page runs no context processors and reads nothing from the database: it must render when the database, the
session or a context processor is what failed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

TEMPLATE = "core/error.html"
API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _back(request: HttpRequest) -> str:
    """The page the reader came from, when it is one of ours (never an address another site put there)."""
    referer = str(request.META.get("HTTP_REFERER", ""))
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return ""


def _page(request: HttpRequest, status: int, title: str, lines: list[str]) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": title}, status=status)
    context = {"title": title, "lines": lines, "back": _back(request), "status": status}
    return render(request, TEMPLATE, context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        400,
        _("Sorry, there is a problem with the request"),
        [_("The service could not understand what your browser sent. Go back and try again.")],
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A refusal says why when the code that refused gave a reason (an export, a front-door action)."""
    reason = str(exception) if exception is not None and exception.args else ""
    return _page(
        request,
        403,
        _("You cannot see this page"),
        [reason or _("Your role or your agency's work with this child does not let you see it.")],
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(
        request,
        404,
        _("Page not found"),
        [
            _("If you typed the web address, check it is correct."),
            _("If you pasted the web address, check you copied the entire address."),
            _("A record or concern you may not open is not found either."),
        ],
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors, the session or the database; plain text if even that fails."""
    title = _("Sorry, there is a problem with the service")
    lines = [_("Try again later."), _("If you were saving something, it may not have been saved.")]
    if _is_api(request):
        return JsonResponse({"detail": title}, status=500)
    context: dict[str, Any] = {
        "service_name": settings.SERVICE_NAME,
        "title": title,
        "lines": lines,
        "status": 500,
        "request": request,
    }
    try:
        context["csrf_token"] = get_token(request)  # the language switch posts a form
        content = loader.get_template(TEMPLATE).render(context)
    except Exception:  # the page that reports a failure must not fail in turn
        logger.exception("The 500 page could not be rendered with the layout")
        content = f"<!DOCTYPE html><title>{title}</title><h1>{title}</h1><p>{' '.join(lines)}</p>"
    return HttpResponse(content, status=500)
