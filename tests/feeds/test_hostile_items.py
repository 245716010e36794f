"""No item, however odd, gets a 5xx from the feed endpoints: each is answered per item (rejected with reasons) or the
body is refused with a 4xx. Sent as an agency's system account, so the bodies reach the items' checks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.feeds.test_api import _event

pytestmark = pytest.mark.django_db

ODD = [
    "9" * 20,
    "-" + "9" * 20,
    "\x00",
    "a\x00b",
    "x" * 10_000,
    "١٢",
    "1e400",
    "NaN",
    "",
    "0001-01-01T00:00:00+05:00",
    "0001-01-01",
    "9999-12-31T23:59:59-05:00",
    "9999-12-31",
    "2026-02-30",
    10**30,
    -1,
    1.5,
    True,
    None,
    [],
    {},
    {"local_id": "\x00"},
]
FIELDS = [
    "id",
    "person",
    "kind",
    "occurred_at",
    "summary",
    "details",
    "sensitivity",
    "child_words",
    "start_date",
    "end_date",
    "address_line_1",
    "postcode",
    "relative",
    "category",
    "team",
    "practitioner",
]
PATHS = ["events", "involvements", "household-memberships", "relationships", "statuses"]


@pytest.mark.parametrize("path", PATHS)
@given(changes=st.dictionaries(st.sampled_from(FIELDS), st.sampled_from(ODD), min_size=1, max_size=3))
@settings(max_examples=15, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
def test_no_odd_item_gets_a_5xx(police_api, police_record, path, changes):
    response = police_api.post(f"/api/v1/{path}", {"items": [_event(**changes)]}, format="json")
    assert response.status_code < 500


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 40 + b"]" * 40,
        b'{"items": ' + b"[" * 40 + b"]" * 40 + b"}",
        b"{",
        b"\x00",
        b'{"id": 1' + b"0" * 5000 + b"}",
    ],
    ids=["deep", "deep-items", "truncated", "nul", "huge-number"],
)
def test_a_body_that_is_not_json_or_too_deep_is_a_400(police_api, body):
    response = police_api.generic("POST", "/api/v1/events", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["occurred_at", "start_date", "end_date"])
@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "0001-01-01", "9999-12-31"]
)
@pytest.mark.parametrize("path", PATHS)
def test_dates_at_the_ends_of_the_calendar_are_rejected_not_a_5xx(police_api, police_record, path, field, value):
    response = police_api.post(f"/api/v1/{path}", _event(**{field: value}), format="json")
    assert response.status_code == 200
    assert response.json()["results"][0]["outcome"] in ("rejected", "stored")
