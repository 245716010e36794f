"""The service's error pages: its layout, the reader's language, navigation and a way back; JSON for the API."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings

from tests.factories import PersonFactory, PractitionerFactory

pytestmark = pytest.mark.django_db

WITH_FAILING_ROUTES = override_settings(ROOT_URLCONF="tests.core.error_urls")


@pytest.fixture
def signed_in(client):
    client.force_login(PractitionerFactory())
    return client


def test_a_missing_page_is_the_services_404_with_navigation_and_a_way_home(signed_in):
    response = signed_in.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'class="govuk-service-navigation__list"' in html
    assert 'href="/"' in html
    assert "Go to the home page" in html


def test_the_404_page_is_in_welsh_for_a_reader_who_chose_welsh(signed_in):
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = signed_in.get("/no-such-page/").content.decode()
    assert '<html lang="cy"' in html
    assert "Neidio i’r prif gynnwys" in html  # the layout's skip link, in Welsh
    assert "Skip to main content" not in html


def test_the_404_page_offers_the_page_the_reader_came_from_and_never_another_sites(signed_in):
    ours = signed_in.get("/no-such-page/", HTTP_REFERER="http://testserver/concerns/mine/").content.decode()
    theirs = signed_in.get("/no-such-page/", HTTP_REFERER="https://evil.example/").content.decode()
    assert 'href="http://testserver/concerns/mine/" class="govuk-back-link"' in ours
    assert "evil.example" not in theirs


@WITH_FAILING_ROUTES
def test_a_refusal_with_a_reason_says_why(signed_in):
    response = signed_in.get("/refuses/")
    assert response.status_code == 403
    assert "Only the front door can do this." in response.content.decode()


def test_a_refusal_without_a_reason_explains_need_to_know(signed_in):
    response = signed_in.get("/front-door/metrics/")
    html = response.content.decode()
    assert response.status_code == 403
    assert "You cannot see this page" in html
    assert "work with this child does not let you see it" in html


def test_a_bad_request_is_the_services_400(signed_in):
    response = signed_in.get("/", HTTP_HOST="not-an-allowed-host.example")
    assert response.status_code == 400
    assert "Sorry, there is a problem with the request" in response.content.decode()


@WITH_FAILING_ROUTES
def test_a_failure_is_the_services_500_in_the_readers_language():
    client = Client(raise_request_exception=False)
    client.force_login(PractitionerFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.get("/fails/")
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="cy"' in html
    assert 'class="govuk-language-navigation"' in html
    assert "csrfmiddlewaretoken" in html
    assert 'href="/"' in html


def test_the_500_page_renders_when_a_context_processor_fails():
    # One override for both settings: pytest-django's `settings` fixture inside an override_settings decorator
    # restores the decorator's settings when it tears down, and the failing routes leaked into later tests.
    engine = settings.TEMPLATES[0]
    processors = [*engine["OPTIONS"]["context_processors"], "tests.core.error_urls.failing_context_processor"]
    templates = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]
    client = Client(raise_request_exception=False)
    client.force_login(PractitionerFactory())
    with override_settings(ROOT_URLCONF="tests.core.error_urls", TEMPLATES=templates):
        response = client.get("/fails/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert 'class="govuk-template"' in response.content.decode()  # the layout, not the plain fallback


def test_an_unknown_api_path_answers_json(signed_in):
    response = signed_in.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Page not found"}


@WITH_FAILING_ROUTES
def test_a_failure_under_the_api_answers_json():
    client = Client(raise_request_exception=False)
    client.force_login(PractitionerFactory())
    response = client.get("/api/v1/fails/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Sorry, there is a problem with the service"}


def test_a_refused_export_says_why(signed_in):
    child = PersonFactory()
    response = signed_in.get(f"/people/{child.cylch_id}/chronology.csv")
    assert response.status_code == 403
    assert "You cannot export this record: your agency does not work with this child." in response.content.decode()
