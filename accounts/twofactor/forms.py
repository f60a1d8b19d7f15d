from crispy_forms_gds.layout import Button, Field, Fixed, Layout, Size
from django import forms

from core.forms import FormHelper


class CodeForm(forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        max_length=20,
        error_messages={"required": "Enter the code", "max_length": "Enter the code"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )

    def __init__(self, *args, label: str, hint: str, button: str, numeric: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label
        self.fields["code"].help_text = hint
        if numeric:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
        self.numeric = numeric
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("code", field_width=Fixed.TEN),
            Button("submit", button),
        )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if self.numeric and not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code your authenticator app shows")
        return code
