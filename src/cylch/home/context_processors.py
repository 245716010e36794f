"""Values every template needs."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from cylch.accounts.models import Practitioner
from cylch.accounts.permissions import is_board_officer, is_front_door

# The service navigation section each page belongs to. A section's own page is marked aria-current="page";
# the other pages in it (the question pages after "Raise a concern", say) aria-current="true".
NAVIGATION_PAGES = {
    "home:home": "home",
    "people:search": "people",
    "concerns:start": "raise",
    "concerns:mine": "mine",
    "concerns:queue": "queue",
    "concerns:metrics": "metrics",
    "assurance:cycles": "assurance",
}
NAVIGATION_SECTIONS = {
    "concerns:step": "raise",
    "concerns:person": "raise",
    "concerns:submitted": "raise",
}


def service(request: HttpRequest) -> dict[str, object]:
    return {"service_name": settings.SERVICE_NAME}


def navigation(request: HttpRequest) -> dict[str, object]:
    """Which service navigation links the user sees (`nav_front_door`, `nav_board`) and which one is current
    (`nav_current`: section name -> the value of its `aria-current` attribute)."""
    user = getattr(request, "user", None)
    if not isinstance(user, Practitioner) or not user.is_authenticated:
        return {"nav_front_door": False, "nav_board": False, "nav_current": {}}
    front_door = is_front_door(user)
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    if view_name in NAVIGATION_PAGES:
        current = {NAVIGATION_PAGES[view_name]: "page"}
    elif view_name in NAVIGATION_SECTIONS:
        current = {NAVIGATION_SECTIONS[view_name]: "true"}
    elif view_name == "concerns:detail":
        current = {"queue" if front_door else "mine": "true"}
    else:
        current = {}
    return {"nav_front_door": front_door, "nav_board": is_board_officer(user), "nav_current": current}
