from crispy_forms_gds.fields import DateInputField
from django import forms


class GovDateField(DateInputField):
    """GOV.UK day, month and year inputs that refuse, rather than fail on, absurd numbers."""

    def clean(self, value):
        try:
            return super().clean(value)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError("Enter a real date") from exc


class PartialDateField(DateInputField):
    """GOV.UK day, month and year inputs of which the day, or the day and the month, may
    be left blank: the value is the (day, month, year) typed, each a whole number or None,
    and the form says which parts it needs. None when nothing is typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        try:
            return super().clean(value)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError("Enter a real date") from exc

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        parts = []
        for part in data_list:
            if part in (None, ""):
                parts.append(None)
                continue
            try:
                parts.append(int(part))
            except ValueError as exc:  # more digits than Python turns into a number
                raise forms.ValidationError("Enter a real date") from exc
        return tuple(parts)
