"""The form by which a Government Office shares its areas out among its negotiators."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from core.forms import FormHelper, ModelChoiceField, ModelMultipleChoiceField


class AreaChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ColleagueChoiceField(ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class AreaAssignForm(forms.Form):
    area = AreaChoiceField(
        queryset=None,
        label="Areas",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area to assign"},
    )
    negotiator = ColleagueChoiceField(
        queryset=None,
        label="Assign them to",
        empty_label="Choose a negotiator",
        error_messages={
            "required": "Choose the negotiator to assign the areas to",
            "invalid_choice": "Choose a negotiator of your Government Office",
        },
    )

    def __init__(self, data=None, *, areas, colleagues, initial=None):
        super().__init__(data, initial=initial)
        self.fields["area"].queryset = areas
        self.fields["negotiator"].queryset = colleagues
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("negotiator"),
            Field.checkboxes("area", legend_size=Size.MEDIUM, small=True),
            Button("submit", "Assign the areas"),
        )

    def areas_out_of_reach(self) -> bool:
        """Whether the areas posted include one the person may not assign (another GO's,
        or none at all): such a request answers 404, like any object out of reach."""
        posted = self.data.getlist("area") if hasattr(self.data, "getlist") else []
        if not all(value.isdigit() and int(value) < 2**31 for value in posted):
            return True  # not an id, or one larger than any the database holds
        reachable = set(
            self.fields["area"].queryset.filter(pk__in=posted).values_list("pk", flat=True)
        )
        return len(reachable) != len({int(value) for value in posted})
