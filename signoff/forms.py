import hashlib

from crispy_forms_gds.layout import Button, Layout
from django import forms

from agreements.fields import GovDateField
from agreements.forms import GovForm
from signoff.models import StepKind


class SignatureForm(GovForm):
    """The fields a signature needs at each step; the statement itself is fixed."""

    version_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    signatory_name = forms.CharField(
        label="Signatory's full name",
        max_length=200,
        error_messages={"required": "Enter the signatory's full name"},
    )
    signatory_role = forms.CharField(
        label="Signatory's role",
        max_length=200,
        error_messages={"required": "Enter the signatory's role"},
    )
    signed_on = GovDateField(label="Date signed", help_text="For example 27 6 2008")

    def __init__(self, *args, step: str, choices: dict | None = None, **kwargs):
        self.step = step
        extra: dict[str, forms.Field] = {}
        if step == StepKind.PARTNERS:
            choices = choices or {"targets": [], "funding": []}
            extra["targets"] = forms.MultipleChoiceField(
                label="Targets the partner commits to",
                help_text="Targets the partner leads are ticked and must stay ticked.",
                required=False,
                choices=[(c["key"], _label(c)) for c in choices["targets"]],
                widget=forms.CheckboxSelectMultiple,
            )
            extra["funding"] = forms.MultipleChoiceField(
                label="Funding the partner consents to include",
                help_text="Funding the partner provides is ticked and must stay ticked.",
                required=False,
                choices=[(c["key"], _label(c)) for c in choices["funding"]],
                widget=forms.CheckboxSelectMultiple,
            )
        elif step == StepKind.COUNCIL:
            extra["meeting"] = forms.CharField(
                label="Meeting that adopted it",
                max_length=200,
                help_text="For example ‘Full council, 26 June 2008’",
                error_messages={"required": "Enter the meeting that adopted the agreement"},
            )
            extra["minute_reference"] = forms.CharField(
                label="Minute reference (optional)", max_length=100, required=False
            )
        elif step == StepKind.GO:
            extra["regional_director"] = forms.CharField(
                label="Regional Director's name",
                max_length=200,
                error_messages={"required": "Enter the Regional Director's name"},
            )
            extra["vcs_confirmed"] = forms.BooleanField(
                label=(
                    "The Regional Director confirms that the voluntary and community sector "
                    "was involved in preparing the agreement"
                ),
                error_messages={
                    "required": "Confirm that the voluntary and community sector was involved"
                },
            )
        extra["confirm"] = forms.BooleanField(
            label="I confirm the statement above, for the version shown",
            error_messages={"required": "Confirm the statement to sign"},
        )
        self.base_fields = {
            **{
                name: field
                for name, field in SignatureForm.base_fields.items()
                if name != "signed_on"
            },
            "signed_on": GovDateField(
                label="Date adopted" if step == StepKind.COUNCIL else "Date signed",
                help_text="For example 27 6 2008",
            ),
            **extra,
        }
        super().__init__(*args, **kwargs)

    def layout(self) -> Layout:
        label = {
            StepKind.PARTNERS: "Sign off",
            StepKind.COUNCIL: "Record the adoption",
            StepKind.GO: "Record the recommendation",
            StepKind.MINISTER: "Record the Minister's signature",
        }[self.step]
        return Layout(*self.fields, Button("submit", label))


def _label(choice: dict) -> str:
    suffix = {"lead": " (lead partner)", "contributing": " (contributing)", "provider": ""}
    return choice["label"] + suffix.get(choice["as"], "")


class ChainsForm(GovForm):
    submit_label = "Save the sign-off chains"

    def __init__(self, *args, **kwargs):
        fields: dict[str, forms.Field] = {}
        positions = [("", "Not in this chain"), *[(str(n), str(n)) for n in range(1, 5)]]
        for chain, title in (("signing", "signing"), ("refresh", "an amendment at refresh")):
            for kind in StepKind:
                fields[f"{chain}_{kind.value}"] = forms.ChoiceField(
                    label=f"{kind.label}: position in {title}",
                    choices=positions,
                    required=False,
                )
        self.base_fields = fields
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_for(round_) -> dict:
        initial = {}
        for chain, steps in (("signing", round_.signing_steps), ("refresh", round_.refresh_steps)):
            for position, kind in enumerate(steps, start=1):
                initial[f"{chain}_{kind}"] = str(position)
        return initial

    def clean(self):
        cleaned = super().clean()
        for chain, title in (("signing", "signing"), ("refresh", "refresh")):
            chosen = [
                (int(cleaned[f"{chain}_{kind.value}"]), kind.value)
                for kind in StepKind
                if cleaned.get(f"{chain}_{kind.value}")
            ]
            positions = [p for p, _ in chosen]
            if not chosen:
                self.add_error(
                    f"{chain}_{StepKind.PARTNERS.value}",
                    f"Give at least one step a position in the {title} chain",
                )
            elif len(set(positions)) != len(positions):
                self.add_error(
                    f"{chain}_{chosen[0][1]}",
                    f"Give each step of the {title} chain a different position",
                )
            cleaned[chain] = [kind for _, kind in sorted(chosen)]
        return cleaned


class AmendmentReasonsForm(GovForm):
    submit_label = "Save the reasons"

    def __init__(self, *args, items, reasons: dict[str, str], **kwargs):
        # Each field is named after its change's key, so a reason stays with its change
        # even if the list of changes moved between showing the page and saving it.
        self.items = items
        self.base_fields = {
            self.field_name(item.key): forms.CharField(
                label=f"{item.change}: {item.label}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            for item in items
        }
        initial = {self.field_name(item.key): reasons.get(item.key, "") for item in items}
        super().__init__(*args, initial=initial, **kwargs)

    @staticmethod
    def field_name(key: str) -> str:
        return "reason_" + hashlib.sha256(key.encode()).hexdigest()[:16]

    def reasons(self) -> dict[str, str]:
        """Only the reasons the form was posted with: a change that appeared since the page
        was shown keeps the reason it had."""
        return {
            item.key: self.cleaned_data.get(self.field_name(item.key), "")
            for item in self.items
            if self.field_name(item.key) in self.data
        }
