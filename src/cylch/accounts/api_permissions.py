"""What an API call may do with the token it came with: its scopes, and for source records a system account.

A view names the scope each of its methods needs in `required_scopes`; `TokenHasScope` (a default permission
class) refuses a token without it, and refuses a token outright on a view that names none, so a new endpoint is
closed to tokens until it says what they need. Calls signed in on the web carry no token and are left to the role
rules, which apply to token calls as well."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from cylch.accounts.models import ApiToken
from cylch.accounts.permissions import can_send_source_records, practitioner_of

if TYPE_CHECKING:  # rest_framework.views imports the permission classes named in settings
    from rest_framework.views import APIView

# HEAD reads what GET reads; OPTIONS describes the endpoint and shows no data.
_SAME_AS = {"HEAD": "GET"}
_NO_DATA = frozenset({"OPTIONS"})


def required_scope(view: APIView, method: str) -> str | None:
    scopes: Mapping[str, str] = getattr(view, "required_scopes", {})
    return scopes.get(_SAME_AS.get(method, method))


class TokenHasScope(BasePermission):
    message: str | Promise = gettext_lazy("This token may not make this call.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or request.method in _NO_DATA:
            return True
        scope = required_scope(view, request.method or "")
        if scope is None:
            return False
        if scope in token.scope_set():
            return True
        self.message = _("This token lacks the %(scope)s scope this call needs.") % {"scope": scope}
        return False


class SystemAccountOnly(BasePermission):
    message = gettext_lazy("Only an agency's system account can send source records.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_send_source_records(practitioner_of(request))
