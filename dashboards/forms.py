from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from indicators.models import Round


class RoundForm(forms.Form):
    """Which round the dashboard counts (a GET form: the page is a report)."""

    round = forms.ModelChoiceField(
        label="Round",
        queryset=Round.objects.order_by("-is_current", "-first_year"),
        to_field_name="slug",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a round from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].label_from_instance = lambda r: r.name
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.select("round", label_size=Size.SMALL),
            Button("show", "Show", css_class="govuk-button--secondary"),
        )


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
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("email_me", legend_size=Size.MEDIUM, inline=True),
            Button("save", "Save"),
        )
