"""Guard: every route refuses anonymous users, unless it is on the short public list below.

A new route that forgets authentication fails this test rather than leaking a child's record. Each route is
visited at a path its own converters accept (an `<int:pk>` gets "1", a `<uuid:token>` a UUID), and the test
checks that the path resolves to that very route, so a 404 can never pass for a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from cylch.concerns.converters import ReferenceConverter
from cylch.people.converters import CylchIdConverter

PUBLIC_ROUTES = {
    "/sign-in/",  # the way in
    "/sign-in/provider/",  # the way in through an agency's OpenID Connect provider (404 unless configured)
    "/sign-in/provider/callback/",  # where the provider sends the browser back, not yet signed in
    "/admin/login/",  # Django admin's own way in (it refuses anyone without staff status)
    "/i18n/setlang/",  # choosing English or Welsh before signing in
    "/health/",  # load balancers' probe: up or down and the queue's age, no personal data
}
# Routes that may answer 404/405 to an anonymous request instead of refusing it, each with its reason.
# Empty: sign-in is checked before the view runs (LoginRequiredMiddleware, DRF's IsAuthenticated), so even the
# POST-only views (sign-out, unmerge, break-glass) refuse an anonymous GET rather than answering 405.
REFUSAL_EXCEPTIONS: dict[str, str] = {}
SIGN_IN_PAGES = {"/sign-in/", "/admin/login/"}

SAMPLE_UUID = "0c6a4b4e-4f6e-4d3b-9d55-3c2f4a1b2c3d"
SAMPLES = {
    IntConverter: "1",
    UUIDConverter: SAMPLE_UUID,
    SlugConverter: "AAAA1",
    StringConverter: "AAAA1",
    PathConverter: "a/b",
    CylchIdConverter: "T000000019",  # a valid check character: any other code matches no route
    ReferenceConverter: "2026-4K7MQ2H",
}
# Tried in turn for a custom converter or a regex group: the first its regex accepts is used.
CANDIDATES = ["AAAA1", "2026-4K7MQ2X", "1", SAMPLE_UUID, "a/b"]


@dataclass(frozen=True)
class Route:
    text: str  # the pattern as ResolverMatch.route spells it, e.g. "linkage/reviews/<int:pk>/"
    path: str  # a concrete path every converter on the route accepts, e.g. "/linkage/reviews/1/"


def _sample(regex: str, where: str) -> str:
    candidates = list(CANDIDATES)
    if re.fullmatch(r"[\w-]+(\|[\w-]+)*", regex):  # a plain choice of words, e.g. admin's app labels
        candidates += regex.split("|")
    for candidate in candidates:
        if re.fullmatch(regex, candidate):
            return candidate
    pytest.fail(f"No sample value matches {regex!r} in {where!r}: add one to CANDIDATES in {__name__}")


def _route_path(pattern: RoutePattern | RegexPattern) -> str:
    """The pattern's text with every converter or named group replaced by a value it accepts."""
    text = str(pattern)
    if isinstance(pattern, RoutePattern):

        def converter_sample(match: re.Match[str]) -> str:
            converter = pattern.converters[match.group("name")]
            return SAMPLES.get(type(converter)) or _sample(converter.regex, text)

        return re.sub(r"<(?:[^>:]+:)?(?P<name>[^>]+)>", converter_sample, text)
    assert isinstance(pattern, RegexPattern)
    path, position = "", 0
    for start in (m.start() for m in re.finditer(r"\(\?P<", text)):
        if start < position:
            continue  # a group nested inside one already replaced
        end = _group_end(text, start)
        group_regex = text[text.index(">", start) + 1 : end]
        path += text[position:start] + _sample(group_regex, text)
        position = end + 1
    path += text[position:]
    path = path.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    leftover = re.search(r"[()\[\]|*+?]", re.sub(r"\\.", "", path))
    assert leftover is None, f"Cannot make a path from the regex route {text!r}: add it to _route_path"
    return re.sub(r"\\(.)", r"\1", path)


def _group_end(text: str, start: int) -> int:
    """Index of the ")" closing the group opened at `start`."""
    depth, escaped = 0, False
    for index in range(start, len(text)):
        char = text[index]
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index
    raise AssertionError(f"Unbalanced group in {text!r}")


def _walk(patterns: list[URLPattern | URLResolver], text: str = "", path: str = "/") -> Iterator[Route]:
    for pattern in patterns:
        own_text = str(pattern.pattern).removeprefix("^")  # joined as django.urls.resolvers does
        own_path = _route_path(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, text + own_text, path + own_path)
        else:
            yield Route(text + own_text, path + own_path)


def all_routes() -> list[Route]:
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda route: route.path)


def test_the_route_list_is_not_empty():
    assert len(all_routes()) > 5


def test_every_public_route_exists():
    missing = PUBLIC_ROUTES - {route.path for route in all_routes()}
    assert not missing, f"PUBLIC_ROUTES lists paths no route serves: {sorted(missing)}"


@pytest.mark.parametrize("route", all_routes(), ids=lambda route: route.path)
def test_the_sample_path_resolves_to_its_own_route(route):
    assert resolve(route.path).route == route.text


@pytest.mark.django_db
@pytest.mark.parametrize("route", all_routes(), ids=lambda route: route.path)
def test_anonymous_get_and_post_are_refused(client, route):
    if route.path in PUBLIC_ROUTES:
        pytest.skip("public by design")
    for method in (client.get, client.post):
        response = method(route.path)
        verb = method.__name__.upper()
        if response.status_code in (404, 405) and route.text in REFUSAL_EXCEPTIONS:
            continue
        if response.status_code in (401, 403):
            continue
        assert response.status_code == 302, f"{verb} {route.path} -> {response.status_code}, not a refusal"
        location = urlsplit(response["Location"]).path
        assert location in SIGN_IN_PAGES, f"{verb} {route.path} redirects to {response['Location']}"
