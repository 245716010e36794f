"""Guard: no page answers 5xx to any value of any parameter it reads.

Every page route (walked from the resolver, as test_route_authentication does) is visited as a signed-in front-door
practitioner at a path that reaches a real person, concern or draft; its parameters are the names of the form
fields the page renders plus every name a view reads straight from the query or the form (found in the source),
and each gets odd values: huge numbers, NUL bytes, very long strings, words, other scripts' digits.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cylch
from cylch.accounts.models import AgencyKind, RoleCode
from cylch.concerns.models import ConcernDraft
from tests.factories import (
    AgencyFactory,
    ChronologyEventFactory,
    ConcernFactory,
    ConcernSubjectFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    PersonFactory,
    PractitionerFactory,
)
from tests.test_route_authentication import all_routes

pytestmark = pytest.mark.django_db

ODD = [
    "9" * 20,
    "-" + "9" * 20,
    "9" * 5000,  # longer than int() reads
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "abc",
    "²",
    "١٢",  # Arabic-Indic digits
    "１２",  # full-width digits
    "1e400",
    "NaN",
    " ",
    "",
    "0",
    "-1",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "../../etc/passwd",
]
VALUES = st.one_of(st.sampled_from(ODD), st.text(max_size=50))
# Names a view reads straight from request.GET / request.POST rather than through a form it renders.
_READ = re.compile(r"""request\.(?:GET|POST)(?:\.get\(|\[)"(\w+)"|"(\w+)" in request\.(?:GET|POST)""")
READ_IN_VIEWS = sorted(
    {a or b for path in Path(cylch.__file__).parent.rglob("*.py") for a, b in _READ.findall(path.read_text())}
)
PAGE_ROUTES = [route for route in all_routes() if not route.path.startswith(("/admin/", "/api/"))]


class _FieldNames(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = dict(attrs).get("name")
        if tag in ("input", "select", "textarea", "button") and name and name != "csrfmiddlewaretoken":
            self.names.add(name)


def _field_names(html: str) -> set[str]:
    parser = _FieldNames()
    parser.feed(html)
    return parser.names


@pytest.fixture
def world(client):
    """A front-door practitioner signed in, a child with a household and a chronology, a concern and a draft."""
    council = AgencyFactory(kind=AgencyKind.CHILDRENS_SERVICES)
    front_door = PractitionerFactory(roles=[RoleCode.FRONT_DOOR], agency=council)
    client.force_login(front_door)
    child, mother = PersonFactory(), PersonFactory(given_name="Mari", date_of_birth=None)
    home = HouseholdFactory()
    for person in (child, mother):
        HouseholdMembershipFactory(person=person, household=home)
    ChronologyEventFactory(person=child)
    concern = ConcernFactory()
    ConcernSubjectFactory(concern=concern, person=child)
    client.post("/concerns/new/")
    draft = ConcernDraft.objects.get(owner=front_door)
    return {
        "cylch_id": child.cylch_id,
        "reference": concern.reference,
        "token": str(draft.token),
        "slug": "children",  # the list page with the Remove buttons
        "group": "child",
        "index": "0",
        "pk": "1",
    }


def _real_path(route_text: str, sample_path: str, world: dict[str, str]) -> str:
    """The route with each converter filled from `world` where it names something that exists."""
    path = "/" + route_text
    for name in re.findall(r"<(?:[^>:]+:)?([^>]+)>", route_text):
        if name not in world:
            return sample_path
        path = re.sub(rf"<(?:[^>:]+:)?{name}>", world[name], path)
    return path


HUGE = "1" * 20  # once an OverflowError in every date field


def _date(field: str, day: str, month: str) -> dict[str, str]:
    return {f"{field}_day": day, f"{field}_month": month, f"{field}_year": "2020"}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/people/search/", _date("date_of_birth", HUGE, "1")),
        ("/people/{cylch_id}/", _date("date_from", "1", HUGE)),
        ("/people/{cylch_id}/family/", _date("date_to", HUGE, "1")),
    ],
)
def test_a_20_digit_day_or_month_on_a_page_is_a_form_error(client, world, path, params):
    response = client.get(path.format(**world), params)
    assert response.status_code == 200
    assert "must be a real date" in response.content.decode()


@pytest.mark.parametrize("path", ["/people/{cylch_id}/chronology.csv", "/people/{cylch_id}/family/chronology.csv"])
def test_a_20_digit_day_in_an_exports_filter_is_refused_as_not_found(client, world, path):
    assert client.get(path.format(**world), _date("date_from", HUGE, "1")).status_code == 404


def test_a_20_digit_date_of_birth_on_the_concern_form_is_a_form_error(client, world):
    path = f"/concerns/draft/{world['token']}/child/0/"
    response = client.post(path, {"given_name": "Cerys", "family_name": "Jones", **_date("date_of_birth", "1", HUGE)})
    assert response.status_code == 200
    assert "Date of birth must be a real date" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/people/%00/", "/people/%00/family/", "/people/%00/chronology.csv", "/api/v1/persons/%00"]
)
def test_a_nul_byte_for_a_cylch_id_is_404(client, world, path):
    assert client.get(path).status_code == 404


@pytest.mark.slow
@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda route: route.path)
def test_no_value_of_any_parameter_gets_a_5xx(client, world, route):
    path = _real_path(route.text, route.path, world)
    first = client.get(path)
    assert first.status_code < 500, f"GET {path} -> {first.status_code}"
    names = sorted(_field_names(first.content.decode(errors="replace")) | set(READ_IN_VIEWS))

    @settings(
        max_examples=4,
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
