"""Words and numbers as the portal writes them in sentences."""

from __future__ import annotations

import re

_PLAIN_NUMBER = re.compile(r"^(?P<sign>[-+]?)(?P<whole>\d+)(?P<rest>\.\d*)?$")


def lower_first(text: str) -> str:
    """A label in the middle of a sentence: "Submit to the Government Office" becomes
    "submit to the Government Office", "GO" stays "GO" and "DCSF figures" keeps its
    capitals. Only a first word that is not an abbreviation loses its capital."""
    text = str(text)
    if not text:
        return text
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def grouped(text: str) -> str:
    """A number written as typed, with commas between thousands: "12500000.50" becomes
    "12,500,000.50". Anything that is not a plain number is left as it is."""
    match = _PLAIN_NUMBER.match(str(text))
    if match is None:
        return str(text)
    whole = f"{int(match['whole']):,}" if len(match["whole"]) > 3 else match["whole"]
    if len(match["whole"]) > 1 and match["whole"].startswith("0"):
        whole = match["whole"]  # a code such as "007", not an amount
    return f"{match['sign']}{whole}{match['rest'] or ''}"
