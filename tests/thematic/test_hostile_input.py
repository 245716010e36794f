"""No value of any parameter of the thematic pages gets a 5xx from a board officer (the project-wide guard signs in
as the front door, which these pages refuse before reading anything)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cylch.accounts.models import RoleCode
from tests.factories import LocalAuthorityFactory, PractitionerFactory
from tests.test_hostile_input import READ_IN_VIEWS, VALUES, _field_names
from tests.thematic.factories import reviews_with_structure

pytestmark = pytest.mark.django_db
PATHS = [
    "/thematic/",
    "/thematic/downloads/descriptives.csv",
    "/thematic/downloads/report.html",
    "/thematic/reviews/",
    "/thematic/reviews/T-00/",
    "/thematic/new/",
    "/thematic/import/",
]


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
def test_no_value_of_any_parameter_gets_a_5xx(client, path):
    LocalAuthorityFactory()
    reviews_with_structure(4)
    client.force_login(PractitionerFactory(roles=[RoleCode.BOARD_OFFICER]))
    first = client.get(path)
    assert first.status_code < 500
    names = sorted(_field_names(first.content.decode(errors="replace")) | set(READ_IN_VIEWS) | {"language"})

    @settings(
        max_examples=6,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries(dict.fromkeys(names, VALUES)))
    def no_5xx(params: dict[str, str]) -> None:
        for method in (client.get, client.post):
            response = method(path, params)
            assert response.status_code < 500, f"{method.__name__.upper()} {path} {params!r} -> {response.status_code}"

    no_5xx()
