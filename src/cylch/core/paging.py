"""Reading a long list a page at a time, so no list is ever cut short without saying so."""

from __future__ import annotations

from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def page_read(rows: QuerySet[M], *, size: int, number: str | int | None) -> Page[M]:
    """One page of `rows`, read now so the caller logs exactly what it lists. A missing, bad or
    out-of-range number gives the nearest page, as `Paginator.get_page` does."""
    page = Paginator(rows, size).get_page(number)
    page.object_list = list(page.object_list)
    return page
