"""The client's address behind reverse proxies (what the audit log and per-address sign-in lockout see)."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from cylch.core.middleware import ProxyClientAddressMiddleware


def _client_address(forwarded_for: str | None) -> str:
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    extra = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    ProxyClientAddressMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", **extra))
    return seen["address"]


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert _client_address("203.0.113.7") == "10.0.0.5"


@override_settings(CYLCH_TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_client_is_the_address_it_appended():
    assert _client_address("203.0.113.7") == "203.0.113.7"


@override_settings(CYLCH_TRUSTED_PROXY_COUNT=1)
def test_an_address_the_client_forged_to_the_left_is_not_believed():
    assert _client_address("198.51.100.1, 203.0.113.7") == "203.0.113.7"


@override_settings(CYLCH_TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_client_is_second_from_the_right():
    assert _client_address("198.51.100.1, 203.0.113.7, 10.0.0.9") == "203.0.113.7"


@override_settings(CYLCH_TRUSTED_PROXY_COUNT=2)
def test_a_request_that_passed_fewer_proxies_keeps_the_connection_address():
    assert _client_address("203.0.113.7") == "10.0.0.5"  # e.g. a load balancer's probe straight to the server


@pytest.mark.parametrize("forwarded_for", [None, "", "not-an-address", "203.0.113.7\x00"])
@override_settings(CYLCH_TRUSTED_PROXY_COUNT=1)
def test_a_missing_or_malformed_header_keeps_the_connection_address(forwarded_for):
    assert _client_address(forwarded_for) == "10.0.0.5"


@override_settings(CYLCH_TRUSTED_PROXY_COUNT=1)
def test_an_ipv6_client_is_kept_in_canonical_form():
    assert _client_address("2001:DB8::0:1") == "2001:db8::1"
