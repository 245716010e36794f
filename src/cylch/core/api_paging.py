"""The API's one paging convention: `?page=N` (or the endpoint's own page parameter), a `X-Total-Count` header with
how many there are, and an RFC 8288 `Link` header with `first`, `prev`, `next` and `last`.

The page itself is read by the selector, which logs exactly what it lists; this class only turns that page into
DRF's paginated response, so every list in the API pages the same way.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response


class HeaderPagination(PageNumberPagination):
    """DRF pagination whose page is read elsewhere: the body stays a plain list, the paging is in the headers."""

    def __init__(self, page: Page[Any], request: Request, *, page_query_param: str = "page") -> None:
        self.listed = page  # not DRF's own `page`/`request`, which it types as optional
        self.call = request
        self.page_query_param = page_query_param

    def _link(self, number: int, rel: str) -> str:
        query = self.call.query_params.copy()
        query[self.page_query_param] = str(number)
        return f'<{self.call.build_absolute_uri(f"{self.call.path}?{query.urlencode()}")}>; rel="{rel}"'

    def headers(self) -> dict[str, str]:
        paginator = self.listed.paginator
        links = [self._link(1, "first")]
        number, last = self.listed.number, paginator.num_pages
        if number > 1:
            links.append(self._link(min(number - 1, last), "prev"))  # a page past the end points back to the last
        if number < last:
            links.append(self._link(number + 1, "next"))
        links.append(self._link(last, "last"))
        return {"X-Total-Count": str(paginator.count), "Link": ", ".join(links)}

    def get_paginated_response(self, data: Any) -> Response:
        return Response(data, headers=self.headers())
