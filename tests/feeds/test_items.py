"""The plain reading of an event (a bulk file's common case) says exactly what DRF's serializer says, or stands
aside: whatever it takes, it must take as the serializer would, or re-sends would hash differently and refusals
would be worded differently."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from cylch.chronology.models import EventKind
from cylch.feeds.items import EventItemSerializer, ItemParser, content_hash
from cylch.feeds.models import ItemType

ODD = st.sampled_from(
    ["", " ", "\x00", "a\x00b", "\ud800", "x" * 501, 7, 1.5, True, None, [], {}, "١٢", "  padded  ", "note"]
)
TEXT = st.one_of(st.text(max_size=120), ODD)
WHEN = st.one_of(
    st.sampled_from(
        [
            "2025-03-01T09:30:00Z",
            "2025-03-01T09:30:00+01:00",
            "2025-03-01T09:30:00",
            "2025-03-01",
            "2025-02-30T09:30:00Z",
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:59:59-05:00",
            "2025-07-01 10:00:00.123456-03:30",
            "yesterday",
        ]
    ),
    st.datetimes().map(lambda d: d.isoformat() + "Z"),
    ODD,
)
PERSON = st.one_of(
    st.fixed_dictionaries({"local_id": TEXT}),
    st.fixed_dictionaries({"local_id": TEXT, "given_name": TEXT}),
    ODD,
)
GOOD: dict[str, st.SearchStrategy[Any]] = {
    "id": st.text(min_size=1, max_size=100).filter(str.strip),
    "person": st.fixed_dictionaries({"local_id": st.text(min_size=1, max_size=64).filter(str.strip)}),
    "kind": st.sampled_from(EventKind.values),
    "occurred_at": st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    "summary": st.text(min_size=1, max_size=500).filter(str.strip),
    "details": st.dictionaries(st.text(max_size=5), st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    "sensitivity": st.sampled_from(["standard", "sensitive", "restricted"]),
    "child_words": st.text(max_size=50),
}
BAD: dict[str, st.SearchStrategy[Any]] = {
    "id": TEXT,
    "person": PERSON,
    "kind": ODD,
    "occurred_at": WHEN,
    "summary": TEXT,
    "details": st.one_of(st.dictionaries(st.text(max_size=5), TEXT, max_size=3), ODD),
    "sensitivity": ODD,
    "child_words": TEXT,
}


@st.composite
def raw_events(draw: st.DrawFn) -> dict[str, Any]:
    """A good event with up to two fields spoilt or left out (so most examples test the plain reading itself)."""
    spoilt = draw(st.sets(st.sampled_from(sorted(GOOD)), max_size=2))
    raw = {name: draw(BAD[name] if name in spoilt else GOOD[name]) for name in GOOD}
    for name in spoilt:
        if draw(st.booleans()):
            del raw[name]
    return raw


RAW = raw_events()


def _serializer_reading(raw: dict[str, Any]) -> dict[str, Any] | None:
    try:
        return dict(EventItemSerializer().run_validation(raw))
    except serializers.ValidationError:
        return None


@settings(max_examples=400, deadline=None)
@given(raw=RAW)
def test_the_plain_reading_agrees_with_the_serializer_or_stands_aside(raw: dict[str, Any]) -> None:
    plain = ItemParser()._event_plain(raw)
    if plain is not None:
        assert plain == _serializer_reading(raw)
        assert content_hash(ItemType.EVENT, plain) == content_hash(ItemType.EVENT, _serializer_reading(raw) or {})


def test_an_event_by_local_id_takes_the_plain_reading() -> None:
    raw = {
        "id": "E1",
        "person": {"local_id": " P-77 "},
        "kind": "police_incident",
        "occurred_at": "2025-07-01T22:15:00Z",
        "summary": " Officers attended ",
        "details": {"crime_ref": "DP/1"},
        "child_words": "",
    }
    plain = ItemParser()._event_plain(raw)
    assert plain is not None
    assert plain == _serializer_reading(raw)


def test_an_event_with_the_persons_details_goes_through_the_serializer() -> None:
    raw = {
        "id": "E1",
        "person": {"local_id": "P-78", "given_name": "Cai"},
        "kind": "note",
        "occurred_at": "2025-07-01T22:15:00Z",
        "summary": "Seen",
    }
    assert ItemParser()._event_plain(raw) is None
    item, errors = ItemParser().parse(ItemType.EVENT, raw)
    assert errors == {}
    assert item is not None
    assert item["person"]["given_name"] == "Cai"


class _ShortSummaries(EventItemSerializer):
    summary = serializers.CharField(max_length=10)


def test_the_plain_reading_takes_its_limits_from_the_serializer() -> None:
    """One definition: a limit changed on the serializer is the plain reading's limit too, so the plain reading
    stands aside and the serializer refuses in its own words."""
    raw = {
        "id": "E1",
        "person": {"local_id": "P-77"},
        "kind": "note",
        "occurred_at": "2025-07-01T22:15:00Z",
        "summary": "Officers attended",
    }
    parser = ItemParser()
    parser._serializers[ItemType.EVENT] = _ShortSummaries()
    assert parser._event_plain(raw) is None
    item, errors = parser.parse(ItemType.EVENT, raw)
    assert item is None
    assert list(errors) == ["summary"]
    assert ItemParser()._event_plain(raw) is not None
