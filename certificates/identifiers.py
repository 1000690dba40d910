"""Handle-style identifiers `prefix/suffix` (industrial internet identifier resolution).

The prefix names this portal as the enterprise node (settings.LABEL_IDENTIFIER_PREFIX); the
suffix is local and random (not a counter), so identifiers cannot be enumerated:
E2025-7K3M9QX2PAHD (enterprise label of 2025) or P2025-... (product label).
"""

import re
import secrets

PREFIX_PATTERN = r"[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*"
SUFFIX_PATTERN = r"[0-9A-Za-z][0-9A-Za-z._-]*"
IDENTIFIER = re.compile(rf"^({PREFIX_PATTERN})/({SUFFIX_PATTERN})$")
MAX_LENGTH = 140
# Crockford's base32 without I, L, O, U: unambiguous when read aloud or typed from paper.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
KIND_LETTERS = {"enterprise": "E", "product": "P"}


class MalformedIdentifier(ValueError):
    pass


def parse(identifier: str) -> tuple[str, str]:
    """(prefix, suffix) of a well-formed identifier; MalformedIdentifier otherwise."""
    if not isinstance(identifier, str) or len(identifier) > MAX_LENGTH:
        raise MalformedIdentifier("not an identifier")
    match = IDENTIFIER.match(identifier)
    if not match:
        raise MalformedIdentifier("not an identifier of the form prefix/suffix")
    return match.group(1), match.group(2)


def is_well_formed(identifier: str) -> bool:
    try:
        parse(identifier)
    except MalformedIdentifier:
        return False
    return True


def new_suffix(kind: str, year: int, length: int = 12) -> str:
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return f"{KIND_LETTERS[kind]}{year}-{random_part}"


def new_identifier(prefix: str, kind: str, year: int) -> str:
    identifier = f"{prefix}/{new_suffix(kind, year)}"
    parse(identifier)  # a bad configured prefix fails here, not at resolution time
    return identifier
