"""The service navigation: the front-door links each practitioner sees, and the current page marked GOV.UK's way."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from cylch.accounts.models import RoleCode
from cylch.concerns import drafts
from tests.factories import ConcernFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["Home", "Find a person", "Raise a concern", "My concerns"]
FRONT_DOOR = [*EVERYONE, "Front door", "Front-door figures"]


class _Links(HTMLParser):
    """(text, href, aria-current) of each link in the service navigation list."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str | None]] = []
        self._in_list = False
        self._link: dict[str, str | None] | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "ul" and values.get("id") == "navigation":
            self._in_list = True
        elif tag == "a" and self._in_list:
            self._link, self._text = values, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "ul":
            self._in_list = False
        elif tag == "a" and self._link is not None:
            self.links.append((self._text.strip(), self._link["href"] or "", self._link.get("aria-current")))
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._text += data


def navigation(client, url: str) -> list[tuple[str, str, str | None]]:
    response = client.get(url)
    assert response.status_code == 200
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.links


def current(links: list[tuple[str, str, str | None]]) -> dict[str, str]:
    return {text: state for text, _href, state in links if state}


def test_a_practitioner_can_raise_a_concern_and_see_their_concerns(client):
    client.force_login(PractitionerFactory())
    links = navigation(client, "/")
    assert [text for text, _href, _state in links] == EVERYONE
    assert ("Raise a concern", "/concerns/new/", None) in links
    assert ("My concerns", "/concerns/mine/", None) in links


def test_a_practitioner_cannot_see_the_front_door_links(client):
    client.force_login(PractitionerFactory())
    hrefs = [href for _text, href, _state in navigation(client, "/")]
    assert "/front-door/" not in hrefs
    assert "/front-door/metrics/" not in hrefs


@pytest.mark.parametrize("role", [RoleCode.FRONT_DOOR, RoleCode.FRONT_DOOR_MANAGER])
def test_the_front_door_sees_the_queue_and_its_figures(client, role):
    client.force_login(PractitionerFactory(roles=[role]))
    links = navigation(client, "/")
    assert [text for text, _href, _state in links] == FRONT_DOOR
    assert ("Front door", "/front-door/", None) in links
    assert ("Front-door figures", "/front-door/metrics/", None) in links


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("/", "Home"),
        ("/concerns/new/", "Raise a concern"),
        ("/concerns/mine/", "My concerns"),
        ("/front-door/", "Front door"),
        ("/front-door/metrics/", "Front-door figures"),
    ],
)
def test_the_current_page_is_marked_aria_current_page(client, url, label):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    assert current(navigation(client, url)) == {label: "page"}


def test_a_question_page_marks_raise_a_concern_as_the_current_section(client):
    practitioner = PractitionerFactory()
    client.force_login(practitioner)
    draft = drafts.draft_create(owner=practitioner)
    assert current(navigation(client, f"/concerns/draft/{draft.token}/kind/")) == {"Raise a concern": "true"}


def test_a_concern_is_in_my_concerns_for_its_referrer_and_in_the_front_door_for_the_front_door(client):
    concern = ConcernFactory()
    client.force_login(concern.referrer)
    assert current(navigation(client, f"/concerns/{concern.reference}/")) == {"My concerns": "true"}
    client.force_login(
        PractitionerFactory(roles=[RoleCode.FRONT_DOOR], agency__local_authority=concern.local_authority)
    )
    assert current(navigation(client, f"/concerns/{concern.reference}/")) == {"Front door": "true"}


def test_the_navigation_is_in_welsh(client):
    client.force_login(PractitionerFactory(roles=[RoleCode.FRONT_DOOR]))
    client.cookies["cylch_language"] = "cy"
    texts = [text for text, _href, _state in navigation(client, "/")]
    assert {"Codi pryder", "Fy mhryderon", "Drws ffrynt", "Ffigurau’r drws ffrynt"} <= set(texts)
