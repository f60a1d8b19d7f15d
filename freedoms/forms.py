from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from accounts.selectors import departments, departments_active_in
from core.forms import FormHelper, ModelChoiceField, ModelMultipleChoiceField
from freedoms.lifecycle import Outcome
from freedoms.models import FreedomRequest


class RequestForm(forms.Form):
    title = forms.CharField(
        label="Subject",
        max_length=200,
        error_messages={"required": "Enter the subject of the request"},
    )
    obstacle_kind = forms.ChoiceField(
        label="What stands in the way",
        choices=FreedomRequest.Obstacle.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what stands in the way"},
    )
    obstacle = forms.CharField(
        label="Describe the rule, condition or duty",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe what is in the way"},
    )
    ask = forms.CharField(
        label="What you ask for instead",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you ask for instead"},
    )
    evidence = forms.CharField(
        label="Evidence (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    topic = forms.CharField(
        label="Topic (optional)",
        required=False,
        max_length=200,
        help_text="For example ‘youth justice’: it helps route the request.",
    )

    def __init__(self, *args, agreement, **kwargs):
        self.base_fields = {
            **dict(RequestForm.base_fields),
            "outcomes": ModelMultipleChoiceField(
                label="Outcomes it serves (optional)",
                required=False,
                queryset=agreement.outcomes.order_by("title"),
                widget=forms.CheckboxSelectMultiple,
            ),
            "targets": ModelMultipleChoiceField(
                label="Targets it serves (optional)",
                required=False,
                queryset=agreement.targets.select_related("indicator").order_by(
                    "kind", "indicator__number", "local_title"
                ),
                widget=forms.CheckboxSelectMultiple,
            ),
            "proposed_departments": ModelMultipleChoiceField(
                label="Departments you think own it (optional)",
                required=False,
                queryset=departments_active_in(agreement.round),
                widget=forms.CheckboxSelectMultiple,
            ),
        }
        super().__init__(*args, **kwargs)
        self.fields["proposed_departments"].label_from_instance = lambda d: (
            f"{d.abbreviation} – {d.name}"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("title"),
            Field.radios("obstacle_kind", legend_size=Size.SMALL),
            Field.textarea("obstacle"),
            Field.textarea("ask"),
            Field.textarea("evidence"),
            Field.text("topic"),
            Field.checkboxes("outcomes"),
            Field.checkboxes("proposed_departments"),
            Button("submit", "Save the request"),
        )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Evidence file",
        help_text="PDF, Word, Excel, CSV, text or an image, up to 10 MB.",
        error_messages={"required": "Choose a file"},
    )


class MoveForm(forms.Form):
    """The fields any move may need; each move's panel shows the ones it uses."""

    move = forms.CharField(widget=forms.HiddenInput)
    expected_state = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(required=False, max_length=10_000)
    outcome = forms.ChoiceField(required=False, choices=[("", "")] + list(Outcome.choices))
    alternative = forms.CharField(required=False, max_length=10_000)
    department = ModelChoiceField(required=False, queryset=departments())


class OwnerForm(forms.Form):
    email = forms.EmailField(label="Official's email address", max_length=254)
    topic = forms.CharField(label="Topic they own", max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("email"), Field.text("topic"), Button("submit", "Add to the directory")
        )


class BriefForm(forms.Form):
    topics = forms.CharField(
        label="Topics",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the topics"},
    )
    positions = forms.CharField(
        label="Positions GOs may take",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the positions"},
    )
    no_go = forms.CharField(
        label="No-go areas (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("topics"),
            Field.textarea("positions"),
            Field.textarea("no_go"),
            Button("submit", "Save the brief"),
        )
