from django.utils import translation

from cylch.chronology.models import ChronologyEvent, EventKind


def test_kind_label_is_the_choice_label_in_the_active_language():
    event = ChronologyEvent(kind=EventKind.WAS_NOT_BROUGHT)
    assert event.get_kind_display() == "Was not brought to an appointment"
    with translation.override("cy"):
        assert event.get_kind_display() == str(EventKind.WAS_NOT_BROUGHT.label)
        assert event.get_kind_display() != "Was not brought to an appointment"


def test_a_kind_outside_the_choices_is_shown_as_stored():
    assert ChronologyEvent(kind="retired_kind").get_kind_display() == "retired_kind"
