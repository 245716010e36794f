"""Service pages that belong to no capability: the health check and the API documentation."""

from __future__ import annotations

import logging

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Case, F, Min, When
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger(__name__)


def oldest_ready_task_seconds() -> int | None:
    """How long the oldest task the worker could run now has waited, or None when none is waiting.

    A task is ready from when it was enqueued, or from its `run_after` when it was scheduled for later (the
    periodic chains are), so a sweep queued for five minutes' time does not count as waiting.
    """
    ready_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(ready_since))["oldest"]
    if oldest is None:
        return None
    return max(0, int((timezone.now() - oldest).total_seconds()))


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring, so public: 503 when the database does not answer or the worker has
    fallen behind. It says nothing about people, only whether each part is up and the queue's age."""
    limit = settings.CYLCH_HEALTH_MAX_QUEUE_SECONDS
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        waited = oldest_ready_task_seconds()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    queue_ok = waited is None or waited <= limit
    body = {
        "status": "ok" if queue_ok else "unavailable",
        "database": "ok",
        "queue": {"status": "ok" if queue_ok else "behind", "oldest_ready_seconds": waited, "max_seconds": limit},
    }
    return JsonResponse(body, status=200 if queue_ok else 503)


# Redoc injects its styles and inline images at run time and searches in a worker made from a blob: address;
# scripts stay 'self' only. The page shows the API's description, never personal data.
@csp_update({"style-src": [UNSAFE_INLINE], "img-src": ["data:"], "worker-src": ["blob:"]})
def api_docs(request: HttpRequest) -> HttpResponse:
    """The readable API documentation, for signed-in users (sign-in comes from LoginRequiredMiddleware)."""
    return render(request, "core/api_docs.html")
