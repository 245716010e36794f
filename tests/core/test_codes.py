from hypothesis import given
from hypothesis import strategies as st

from cylch.core.codes import ALPHABET, check_character, is_valid, new_code, normalise

bodies = st.text(alphabet=ALPHABET, min_size=1, max_size=12)


def test_new_code_carries_a_valid_check_character():
    assert all(is_valid(new_code(9)) for _ in range(200))


@given(bodies, st.integers(min_value=0), st.sampled_from(ALPHABET))
def test_any_single_character_change_is_detected(body, position, replacement):
    code = body + check_character(body)
    index = position % len(code)
    if code[index] == replacement:
        return
    changed = code[:index] + replacement + code[index + 1 :]
    assert not is_valid(changed)


@given(bodies.filter(lambda b: len(b) >= 2), st.integers(min_value=0))
def test_swapping_neighbouring_characters_is_detected(body, position):
    code = body + check_character(body)
    index = position % (len(code) - 1)
    if code[index] == code[index + 1]:
        return
    swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
    assert not is_valid(swapped)


def test_ambiguous_letters_are_not_in_the_alphabet():
    assert not set("ILOSUVZ") & set(ALPHABET)


def test_normalise_maps_confusable_letters_and_drops_separators():
    assert normalise("ab-1o s") == "AB105"


def test_characters_outside_the_alphabet_are_invalid():
    assert not is_valid("ABCI")
