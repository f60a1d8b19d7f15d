"""How a target's figures are written, the same on every page, version, PDF and export."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def places_of(value) -> int | None:
    """The number of decimal places a value was typed with: '78.0' has one, '78' none."""
    if value is None or value == "":
        return None
    try:
        exponent = Decimal(str(value)).as_tuple().exponent
    except InvalidOperation:
        return None
    return max(0, -exponent) if isinstance(exponent, int) else None


def decimal_text(value, places: int | None = None) -> str:
    """A value as typed: with `places` decimal places when known, else without trailing
    zeros. '' for no value."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is not None:
        return format(number.quantize(Decimal(1).scaleb(-places)), "f")
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
