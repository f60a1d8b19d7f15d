"""Forms of the annual review. They check what a person typed; the services check the rules."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Layout
from django import forms
from django.utils import timezone

from agreements.fields import GovDateField
from agreements.forms import GovForm, ImportForm
from performance.importing import NOTE_LENGTH, SOURCE_LENGTH
from performance.services import OutturnFields


class OutturnForm(GovForm):
    value = forms.DecimalField(
        label="Outturn",
        max_digits=14,
        decimal_places=4,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={
            "required": "Enter the outturn",
            "invalid": "The outturn must be a number, like 705 or 12.5",
            "max_digits": "The outturn must have no more than 14 digits",
            "max_decimal_places": "The outturn must have no more than 4 decimal places",
            "max_whole_digits": "The outturn must have no more than 10 digits before the point",
        },
    )
    measured_on = GovDateField(
        label="Date of the figure",
        help_text="The date the figure describes or was published, for example 31 3 2009",
    )
    source = forms.CharField(
        label="Source",
        max_length=SOURCE_LENGTH,
        help_text="For example APS 2008/09, ONS",
        error_messages={"required": "Say where the figure comes from"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything a reader needs to know: a revised figure, a change of definition.",
    )
    # The version the edit began from; empty for a first record.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def layout(self) -> Layout:
        return Layout(
            Field.text("value", field_width=10),
            Field("measured_on"),
            Field.text("source"),
            Field.textarea("note"),
            Field("version"),
            Button("submit", "Save the outturn"),
        )

    def clean_measured_on(self):
        measured_on = self.cleaned_data["measured_on"]
        if measured_on and measured_on > timezone.localdate():
            raise forms.ValidationError("The date of the figure must be today or in the past")
        return measured_on

    def outturn_fields(self) -> OutturnFields:
        data = self.cleaned_data
        return OutturnFields(
            value=data["value"],
            measured_on=data["measured_on"],
            source=data["source"],
            note=data["note"],
        )


class OutturnImportForm(ImportForm):
    file = forms.FileField(
        label="Outturns file (CSV or XLSX)",
        help_text="Use the template. The file can be up to 2 MB.",
        error_messages={"required": "Choose a CSV or XLSX file"},
    )
