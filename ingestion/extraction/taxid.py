"""Taxpayer ids: validate the 18-character unified social credit code and repair OCR slips."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from carbon_portal.accounts.uscc import ALPHABET, uscc_error

# What OCR reads instead of a code character (letters outside the code alphabet first).
CONFUSIONS: dict[str, str] = {
    "O": "0DQ", "0": "DQ", "D": "0", "Q": "0", "I": "1", "1": "", "L": "1", "Z": "2", "2": "", "S": "5",
    "5": "", "B": "8", "8": "B", "G": "6", "6": "G", "V": "UY", "U": "V", "Y": "V", "T": "7", "7": "T", "A": "4",
    "4": "A",
}
DIGIT_FOR = {"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6", "T": "7",
             "A": "4"}


@dataclass
class TaxId:
    value: str
    valid: bool
    repaired_from: str | None = None
    error: str | None = None


def _allowed(position: int, char: str) -> bool:
    return char.isdigit() if 2 <= position <= 7 else char in ALPHABET


def _candidates(position: int, char: str) -> list[str]:
    options = [char] + list(CONFUSIONS.get(char, ""))
    if 2 <= position <= 7 and char in DIGIT_FOR:
        options.append(DIGIT_FOR[char])
    return [option for option in dict.fromkeys(options) if _allowed(position, option)]


def repairs(code: str) -> set[str]:
    """Valid codes reachable by fixing every impossible character and at most one more
    confusable one; a 19-character reading may lose one impossible character (OCR read one
    glyph as two: H -> IH)."""
    if len(code) == 19:
        found: set[str] = set()
        for i, char in enumerate(code):
            if char not in ALPHABET:
                shorter = code[:i] + code[i + 1:]
                if uscc_error(shorter) is None:
                    found.add(shorter)
        return found
    if len(code) != 18:
        return set()
    forced = [i for i, char in enumerate(code) if not _allowed(i, char)]
    choices = [_candidates(i, code[i]) for i in forced]
    if any(not options for options in choices):
        return set()
    found: set[str] = set()
    for combo in itertools.product(*choices):
        base = list(code)
        for i, char in zip(forced, combo):
            base[i] = char
        candidate = "".join(base)
        if uscc_error(candidate) is None:
            found.add(candidate)
            continue
        for i, char in enumerate(candidate):
            if i in forced:
                continue
            for option in _candidates(i, char)[1:]:
                variant = candidate[:i] + option + candidate[i + 1:]
                if uscc_error(variant) is None:
                    found.add(variant)
    return found


def check_tax_id(raw: str) -> TaxId:
    """Validate an id as printed/read. 18 characters: a unified social credit code with its
    check character; an invalid one is repaired when exactly one repair makes it valid.
    Older 15- and 20-character taxpayer numbers have no check character and are accepted."""
    code = raw.strip().upper().replace(" ", "")
    if len(code) in (15, 20) and code.isalnum():
        return TaxId(code, True)
    error = uscc_error(code)
    if error is None:
        return TaxId(code, True)
    fixed = repairs(code)
    if len(fixed) == 1:
        return TaxId(fixed.pop(), True, repaired_from=code)
    return TaxId(code, False, error=error)
