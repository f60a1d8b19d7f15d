from crispy_forms_gds.fields import DateInputField
from django import forms


class GovDateField(DateInputField):
    """GOV.UK day, month and year inputs that refuse, rather than fail on, absurd numbers."""

    def clean(self, value):
        try:
            return super().clean(value)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError("Enter a real date") from exc
