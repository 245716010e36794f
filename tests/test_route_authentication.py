"""Guard: every route refuses anonymous users, unless it is on the short public list below.

A new route that forgets authentication fails this test rather than leaking a child's record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC_ROUTES = {
    "/sign-in/",  # the way in
    "/admin/login/",  # Django admin's own way in (it refuses anyone without staff status)
    "/i18n/setlang/",  # choosing English or Welsh before signing in
    "/api/schema/",  # the OpenAPI description holds no personal data
    "/api/docs/",
}
SAMPLE_VALUE = "AAAA1"


def _route_paths(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        text = str(pattern.pattern)
        text = re.sub(r"<[^>]+>", SAMPLE_VALUE, text)  # path converters
        text = re.sub(r"\(\?P<[^>]+>[^)]*\)", SAMPLE_VALUE, text)  # regex groups
        text = text.lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        if isinstance(pattern, URLResolver):
            yield from _route_paths(pattern.url_patterns, prefix + text)
        else:
            yield "/" + prefix + text


def all_routes() -> list[str]:
    return sorted({path for path in _route_paths(get_resolver().url_patterns) if "(" not in path})


def test_the_route_list_is_not_empty():
    assert len(all_routes()) > 5


@pytest.mark.django_db
@pytest.mark.parametrize("path", all_routes())
def test_anonymous_request_is_refused(client, path):
    if path in PUBLIC_ROUTES:
        pytest.skip("public by design")
    for method in (client.get, client.post):
        response = method(path)
        if response.status_code in (401, 403, 404, 405):
            continue
        assert response.status_code == 302, f"{method.__name__.upper()} {path} -> {response.status_code}"
        location = response["Location"]
        assert "/sign-in/" in location or "/admin/login/" in location, f"{path} redirects to {location}"
