"""Name forms that refer to one person: Welsh and English forms and short forms the nicknames package lacks."""

from __future__ import annotations

import pytest

from cylch.linkage.names import are_alternative_forms


@pytest.mark.parametrize(
    ("welsh", "english"),
    [("ieuan", "evan"), ("ieuan", "john"), ("hari", "harry"), ("hari", "henry"), ("mali", "mary"), ("alun", "alan")],
)
def test_welsh_forms_of_english_names_are_alternative_forms(welsh: str, english: str):
    assert are_alternative_forms(welsh, english)


@pytest.mark.parametrize(
    ("formal", "short"),
    [("eleanor", "nell"), ("helen", "nellie"), ("margaret", "mags"), ("margaret", "megan"), ("alfred", "alfie")],
)
def test_short_forms_the_nicknames_package_lacks_are_alternative_forms(formal: str, short: str):
    assert are_alternative_forms(formal, short)


def test_a_welsh_female_short_form_is_no_form_of_a_male_name_that_looks_like_it():
    # Hari is the Welsh Harry; as a girl's short form of Angharad it would make Angharad and Harry one name.
    assert not are_alternative_forms("angharad", "harry")
