import pytest

from carbon_portal.accounts.uscc import is_valid_uscc, uscc_error, with_check_character

# Published codes of two large enterprises, checked by hand against GB 32100-2015.
REAL_CODES = ["91110000100017643K", "914403001922038216"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code):
    assert is_valid_uscc(code)


def test_check_character_is_computed_from_weights():
    # 9 1 3 3 0 1 0 6 M A 2 X X X X 0 A -> weighted sum mod 31 gives the check character.
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    first_17 = "91330106MA2XXXX0A"
    total = sum(alphabet.index(c) * w for c, w in zip(first_17, weights))
    assert with_check_character(first_17)[-1] == alphabet[(31 - total % 31) % 31]


def test_one_changed_character_is_detected():
    code = REAL_CODES[0]
    tampered = code[:5] + ("1" if code[5] != "1" else "2") + code[6:]
    assert "check character" in uscc_error(tampered)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("9111000010001764", "18 characters"),
        ("91110000100017643I", "outside the code alphabet: I"),
        ("91AB0000100017643K", "administrative division"),
    ],
)
def test_malformed_codes_say_why(code, message):
    assert message in uscc_error(code)
