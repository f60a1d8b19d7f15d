"""GOV.UK date inputs (day, month and year boxes) with the Design System's error messages.

The messages follow the Date input component's guidance: "Enter the date signed" when
nothing is typed, "Date signed must include a month" when a part is missing, "Date signed
must be a real date" for 31 2 2009 or letters, and "Year must include 4 numbers" for 09,
which would otherwise be stored as the year 9. The box in error is marked, so the error
summary's link lands on it.
"""

from __future__ import annotations

import datetime as dt

from crispy_forms_gds.fields import DateInputField
from django import forms

PART_NAMES = ("day", "month", "year")


def _joined(names: list[str]) -> str:
    return " and ".join(names) if len(names) < 3 else "a day, month and year"


class _GovDateParts(DateInputField):
    """The three boxes, read and checked part by part. `error_name` names the date in
    messages ("Date signed"); it defaults to the label."""

    def __init__(self, *, error_name: str = "", **kwargs):
        super().__init__(**kwargs)
        self.error_name = error_name

    @property
    def _name(self) -> str:
        name = self.error_name or str(self.label or "The date")
        return name[:1].upper() + name[1:]

    def _refuse(self, message: str, parts: tuple[int, ...]) -> forms.ValidationError:
        for index in parts:
            self.fields[index].widget.errors = [message]
        return forms.ValidationError(message, code="invalid")

    def _typed(self, value) -> list[str]:
        for field in self.fields:
            field.widget.errors = []
        if self.disabled and not isinstance(value, (list, tuple)):
            value = self.widget.decompress(value)
        parts = list(value or [])[:3]
        parts += [""] * (3 - len(parts))
        return ["" if part is None else str(part).strip() for part in parts]

    def _numbers(self, parts: list[str]) -> list[int | None]:
        """Each part typed as a whole number; letters or signs make the date not real, a
        year of fewer than 4 figures is refused rather than read as the first century."""
        typed = [index for index, part in enumerate(parts) if part]
        not_numbers = tuple(index for index in typed if not parts[index].isascii())
        not_numbers += tuple(
            index for index in typed if parts[index].isascii() and not parts[index].isdigit()
        )
        if not_numbers:
            raise self._refuse(f"{self._name} must be a real date", not_numbers)
        if parts[2] and len(parts[2].lstrip("0") or "0") != 4:
            raise self._refuse("Year must include 4 numbers", (2,))
        return [int(part) if part else None for part in parts]

    def _date(self, day: int, month: int, year: int) -> dt.date:
        try:
            return dt.date(year, month, day)
        except (ValueError, OverflowError) as exc:
            wrong = (1,) if not 1 <= month <= 12 else (0,)
            raise self._refuse(f"{self._name} must be a real date", wrong) from exc


class GovDateField(_GovDateParts):
    """A whole date: all three boxes, or (when not required) none."""

    def clean(self, value):
        parts = self._typed(value)
        if not any(parts):
            if self.required:
                raise self._refuse(f"Enter the {self._name[:1].lower()}{self._name[1:]}", (0, 1, 2))
            return None
        missing = [name for name, part in zip(PART_NAMES, parts, strict=True) if not part]
        if missing:
            indexes = tuple(PART_NAMES.index(name) for name in missing)
            raise self._refuse(f"{self._name} must include a {_joined(missing)}", indexes)
        day, month, year = (int(part) for part in self._numbers(parts) if part is not None)
        return self._date(day, month, year)


class PartialDateField(_GovDateParts):
    """GOV.UK day, month and year inputs of which the day, or the day and the month, may
    be left blank: the value is the (day, month, year) typed, each a whole number or None,
    and the form says which parts it needs. None when nothing is typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        parts = self._typed(value)
        if not any(parts):
            return None
        day, month, year = self._numbers(parts)
        if year is not None and month is not None:
            # Whatever precision the form asks for, a typed month and day must exist.
            self._date(day or 1, month, year)
        return (day, month, year)
