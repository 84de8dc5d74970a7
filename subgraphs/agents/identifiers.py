"""Person identifiers (ORCID, Wikidata, ISNI, other), validated per scheme and normalised."""

from __future__ import annotations

import re
from enum import StrEnum

from subgraphs.core.base.errors import ClientError


class AgentsErrorCode(StrEnum):
    INVALID_IDENTIFIER = "INVALID_IDENTIFIER"


INVALID = AgentsErrorCode.INVALID_IDENTIFIER

_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$", re.IGNORECASE)
_ISNI = re.compile(r"^(?:https?://isni\.org/isni/)?(\d{4}) ?(\d{4}) ?(\d{4}) ?(\d{3}[\dX])$", re.IGNORECASE)
_WIKIDATA = re.compile(r"^(?:https?://www\.wikidata\.org/(?:wiki|entity)/)?(Q[1-9]\d*)$")


def mod11_2_check_digit(base_digits: str) -> str:
    """ISO 7064 MOD 11-2, the check character of ORCID and ISNI identifiers."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_identifier(scheme: str, value: str, field: str) -> str:
    """The canonical form of ``value`` in ``scheme`` (an ORCID as https://orcid.org/…), or an error."""
    value = value.strip()
    if scheme in ("ORCID", "ISNI"):
        match = (_ORCID if scheme == "ORCID" else _ISNI).match(value)
        if not match:
            raise ClientError(INVALID, f"{value!r} is not an {scheme} (16 digits, last may be X).", field)
        digits = "".join(match.groups()).upper()
        if mod11_2_check_digit(digits[:15]) != digits[15]:
            raise ClientError(INVALID, f"{value!r} fails the {scheme} checksum.", field)
        if scheme == "ORCID":
            return "https://orcid.org/" + "-".join(digits[i : i + 4] for i in range(0, 16, 4))
        return "https://isni.org/isni/" + digits
    if scheme == "WIKIDATA":
        match = _WIKIDATA.match(value)
        if not match:
            raise ClientError(INVALID, f"{value!r} is not a Wikidata item (Q…).", field)
        return f"http://www.wikidata.org/entity/{match.group(1)}"
    if not value:
        raise ClientError(INVALID, "An identifier needs a value.", field)
    return value
