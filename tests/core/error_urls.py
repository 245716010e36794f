"""The service's routes plus two that fail, for the error-page tests (the handlers are the service's own)."""

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from cylch.urls import handler400, handler403, handler404, handler500
from cylch.urls import urlpatterns as service_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def fails(request: HttpRequest) -> HttpResponse:
    raise DatabaseError("the database went away")


def refuses_with_a_reason(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only the front door can do this.")


def failing_context_processor(request: HttpRequest) -> dict[str, object]:
    raise DatabaseError("a context processor read the database")


urlpatterns = [
    path("fails/", fails),
    path("api/v1/fails/", fails),
    path("refuses/", refuses_with_a_reason),
    *service_urlpatterns,
]
