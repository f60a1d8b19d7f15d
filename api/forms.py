from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from api.services import EXPIRY_DAYS
from core.forms import FormHelper, ModelChoiceField

EXPIRY_CHOICES = [
    (str(days), label)
    for days, label in zip(EXPIRY_DAYS, ("In 30 days", "In 90 days", "In a year"), strict=True)
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        help_text="What the token is for, so you can tell it apart: 'Performance system'.",
        max_length=100,
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "Name must be 100 characters or fewer",
        },
    )
    expires_in_days = forms.TypedChoiceField(
        label="When should the token expire?",
        choices=EXPIRY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the token expires"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", "Create token"))

    def layout_fields(self):
        return [
            Field.text("name", field_width=20),
            Field.radios("expires_in_days", legend_size=Size.SMALL),
        ]


class OrganisationTokenForm(TokenForm):
    organisation = ModelChoiceField(
        label="Organisation",
        help_text="The token reads with the reach of this organisation's role.",
        queryset=None,
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation the token is for",
            "invalid_choice": "Choose the organisation the token is for",
        },
    )

    field_order = ["organisation", "name", "expires_in_days"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def layout_fields(self):
        return [Field.select("organisation"), *super().layout_fields()]
