from django import forms

from jobs.models import EXPORT_KINDS, Kind


class ExportForm(forms.Form):
    kind = forms.ChoiceField(
        label="Export",
        choices=[(kind.value, kind.label) for kind in EXPORT_KINDS],
        error_messages={
            "required": "Choose an export",
            "invalid_choice": "Choose one of the exports listed",
        },
    )

    def kind_value(self) -> Kind:
        return Kind(self.cleaned_data["kind"])
