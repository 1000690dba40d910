"""Unified social credit code (统一社会信用代码, GB 32100-2015) validation.

Pure Python so that invoice extraction can use it without Django.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_character(first_17: str) -> str:
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first_17, WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """Return why `code` is not a valid unified social credit code, or None if it is."""
    if len(code) != 18:
        return f"must be 18 characters, got {len(code)}"
    invalid = sorted({char for char in code if char not in ALPHABET})
    if invalid:
        return f"contains characters outside the code alphabet: {''.join(invalid)}"
    if not code[2:8].isdigit():
        return "characters 3-8 must be the administrative division code (digits)"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]}, expected {expected}"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_error(code) is None


def with_check_character(first_17: str) -> str:
    """Complete a 17-character prefix with its check character (used by demo data and tests)."""
    return first_17 + check_character(first_17)
