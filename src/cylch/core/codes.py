"""Human-friendly codes with a check character (Cylch IDs now; concern references later).

The alphabet drops the letters people confuse when reading a code aloud or copying it
(I, L, O, S, U, V, Z), and the check character catches any single mistyped character
and any transposition of neighbours.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRTWXY"
_BASE = len(ALPHABET)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_CONFUSABLES = str.maketrans("ILOSZ", "11052")
# A code as someone may type it in a URL (lower case, spaced or hyphenated; normalise() folds these), bounded so
# no path segment of any length or character reaches a lookup. Path converters for codes use it.
TYPED_CODE_PATTERN = r"[0-9A-Za-z][0-9A-Za-z -]{0,29}"


def check_character(body: str) -> str:
    """A weighted check character modulo 29 (the alphabet's prime size).

    Weights 2, 3, 4… from the right are distinct and non-zero modulo 29, so any single
    wrong character and any swap of neighbours changes the sum (for codes under 28 characters).
    """
    total = sum(weight * _VALUE[ch] for weight, ch in enumerate(reversed(body), start=2))
    return ALPHABET[-total % _BASE]


def is_valid(code: str) -> bool:
    """True when every character is in the alphabet and the last one checks the rest."""
    if len(code) < 2 or any(ch not in _VALUE for ch in code):
        return False
    return check_character(code[:-1]) == code[-1]


def new_code(length: int) -> str:
    """A random code of `length` characters, the last being the check character."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(length - 1))
    return body + check_character(body)


def normalise(code: str) -> str:
    """What a person typed, made comparable: upper case, no spaces or hyphens, confusables mapped."""
    cleaned = code.upper().replace(" ", "").replace("-", "")
    return cleaned.translate(_CONFUSABLES)
