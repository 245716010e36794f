"""The API's one paging convention: the total and RFC 8288 links in the headers, built from a page read elsewhere."""

from __future__ import annotations

from django.core.paginator import Paginator
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cylch.core.api_paging import HeaderPagination


def _headers(number, *, rows=25, size=10, query=""):
    request = Request(APIRequestFactory().get(f"/api/v1/things{query}"))
    page = Paginator(list(range(rows)), size).page(number)
    return HeaderPagination(page, request).get_paginated_response(list(page.object_list)).headers


def test_the_total_is_every_row_not_the_page():
    assert _headers(1)["X-Total-Count"] == "25"


def test_a_middle_page_links_first_prev_next_and_last():
    links = _headers(2)["Link"].split(", ")
    assert [link.rsplit("rel=", 1)[1] for link in links] == ['"first"', '"prev"', '"next"', '"last"']
    assert links[1].startswith("<http://testserver/api/v1/things?page=1>")
    assert links[3].startswith("<http://testserver/api/v1/things?page=3>")


def test_the_first_page_has_no_prev_and_the_last_no_next():
    assert 'rel="prev"' not in _headers(1)["Link"]
    assert 'rel="next"' not in _headers(3)["Link"]


def test_other_query_parameters_are_kept_in_the_links():
    assert "?status=open&page=2" in _headers(1, query="?status=open")["Link"]
