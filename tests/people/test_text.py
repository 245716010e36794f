import pytest

from cylch.people.text import fold_name, phonetic_key


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Siân", "sian"),
        ("Małgorzata", "malgorzata"),
        ("MICHAŁ", "michal"),
        ("Søren", "soren"),
        ("Straße", "strasse"),
        ("Ægir", "aegir"),
        ("Đorđević", "dordevic"),
    ],
)
def test_letters_with_and_without_a_decomposition_fold_to_plain_letters(written, folded):
    assert fold_name(written) == folded


def test_a_name_written_without_its_polish_letter_sounds_the_same():
    assert phonetic_key("Małgorzata") == phonetic_key("Malgorzata")
