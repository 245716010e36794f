"""The API's exception handler: DRF's, plus a clear answer for a body over Django's size limit.

Django refuses such a body (RequestDataTooBig) while DRF reads it, before any parser runs; left alone it becomes
Django's bare 400 page. Kept apart from `cylch.core.parsers`, which DRF's settings import while this module's
`rest_framework.views` import is still loading them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class RequestTooLargeError(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with a body over DATA_UPLOAD_MAX_MEMORY_SIZE answered 413 and the limit named."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        exc = RequestTooLargeError(_("The request body is larger than %(limit)s bytes.") % {"limit": limit})
    return drf_exception_handler(exc, context)
