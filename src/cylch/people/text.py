"""Normalising names and postcodes so that different recordings of the same thing compare equal."""

import functools
import re
import unicodedata

import jellyfish

postcode_pattern = re.compile(r"[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}")


def normalise_postcode(value: str) -> str:
    """'cf101aa' -> 'CF10 1AA'; the inward code is always the last three characters."""
    compact = re.sub(r"\s+", "", value).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


# Letters that are not a base letter plus an accent, so NFKD leaves them whole and the letter filter would drop
# them (Małgorzata -> magorzata): each is written as the plain letters a keyboard without it would give.
UNDECOMPOSABLE_LETTERS = {
    "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H",
    "ı": "i", "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th",
}  # fmt: skip
_UNDECOMPOSABLE = str.maketrans(UNDECOMPOSABLE_LETTERS)


@functools.lru_cache(maxsize=65536)
def fold_name(value: str) -> str:
    """Lower case, accents removed (Siân -> sian, Małgorzata -> malgorzata), only letters, spaces, apostrophes
    and hyphens kept.

    Cached: the matcher folds the same few thousand names for every candidate it scores."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_UNDECOMPOSABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z' -]", "", stripped.lower()).strip()


@functools.lru_cache(maxsize=65536)
def phonetic_key(value: str) -> str:
    """A sound-alike key for blocking and typo-tolerant search (metaphone of the folded, unspaced name)."""
    folded = re.sub(r"[^a-z]", "", fold_name(value))
    return jellyfish.metaphone(folded)[:12] if folded else ""
