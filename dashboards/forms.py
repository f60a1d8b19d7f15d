from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core.forms import FormHelper
from indicators.models import Round


class RoundForm(forms.Form):
    """Which round the dashboard counts (a GET form: the page is a report). Its choices
    come from the list of rounds the view has already read."""

    round = forms.ChoiceField(
        label="Round", error_messages={"invalid_choice": "Choose a round from the list"}
    )

    def __init__(self, *args, rounds: list[Round], **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {r.slug: r for r in rounds}
        self.fields["round"].choices = [(r.slug, r.name) for r in rounds]
        self.helper = FormHelper()
        # A GET form carries no CSRF token: it would end up in the address.
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Field.select("round"),
            Button("show", "Show", css_class="govuk-button--secondary"),
        )

    def clean_round(self) -> Round:
        return self.rounds[self.cleaned_data["round"]]


class SubscriptionForm(forms.Form):
    email_me = forms.ChoiceField(
        label="E-mail me this summary every Monday",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to get this summary by e-mail every Monday"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("email_me", legend_size=Size.MEDIUM, inline=True),
            Button("save", "Save"),
        )
