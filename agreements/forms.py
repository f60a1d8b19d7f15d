"""Forms for drafting. They check what a person typed; the services check the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crispy_forms_gds.layout import Button, Field, Fieldset, Fluid, Layout, Size
from django import forms
from django.core.validators import DecimalValidator
from django.db.models import Q

from accounts.selectors import departments
from agreements import selectors
from agreements.fields import GovDateField, PartialDateField
from agreements.models import AgreementFundingStream, DatePrecision, FundingStream, Target
from agreements.services import (
    FundingFields,
    TargetFields,
    funding_rule_errors,
    target_rule_errors,
)
from core.forms import FormHelper, ModelChoiceField, ModelMultipleChoiceField
from indicators.models import Indicator
from indicators.selectors import indicators_search
from partners.models import AccessLevel, PartnerType

REASON_HELP = "Say why, for the record of changes. Everyone who can see the draft can read it."
NARRATIVE_HELP = (
    "Leave a blank line between paragraphs. Start a line with ‘- ’ for a bulleted list or "
    "‘1. ’ for a numbered one. Write a link as [text](https://example.org)."
)


class GovForm(forms.Form):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(*self.fields, submit_button(self, self.submit_label))


def submit_button(form: forms.Form, label: str) -> Button:
    """The form's button, with an id of its own so that two forms on a page never share
    one ("themeform-submit", or the form's prefix)."""
    return Button("submit", label, css_id=f"{form.prefix or type(form).__name__.lower()}-submit")


class VersionedForm(GovForm):
    """Carries the version the edit began from, so a later save by someone else is seen."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def reason_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label="Reason for the change" + ("" if required else " (optional)"),
        required=required,
        max_length=100,
        help_text=REASON_HELP,
        error_messages={"required": "Enter a reason for the change"},
    )


class NarrativeForm(VersionedForm):
    story_of_place = forms.CharField(
        label="Story of place",
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="The evidence-based account of your area's needs and ambitions. "
        + NARRATIVE_HELP,
        max_length=50_000,
    )
    governance = forms.CharField(
        label="Governance and performance management",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Who is accountable and how delivery is monitored. " + NARRATIVE_HELP,
        max_length=50_000,
    )
    reason = reason_field(required=False)


class ThemeAddForm(GovForm):
    submit_label = "Add"

    def __init__(self, *args, agreement, **kwargs):
        chosen = agreement.themes.values_list("theme_id", flat=True)
        self.base_fields = dict(type(self).base_fields)
        self.base_fields["theme"] = ModelChoiceField(
            label=f"Add a {agreement.round.structure_singular}",
            queryset=agreement.round.themes.exclude(pk__in=chosen),
            empty_label=None,
            widget=forms.RadioSelect,
            error_messages={"required": f"Choose a {agreement.round.structure_singular}"},
        )
        super().__init__(*args, **kwargs)

    def layout(self):
        return Layout(Field.radios("theme", legend_size=Size.MEDIUM), submit_button(self, "Add"))


class OutcomeForm(GovForm):
    title = forms.CharField(
        label="Outcome", max_length=300, error_messages={"required": "Enter the outcome"}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, agreement, **kwargs):
        self.base_fields = dict(type(self).base_fields)
        self.base_fields["agreement_theme"] = ModelChoiceField(
            label=agreement.round.structure_singular.capitalize(),
            queryset=agreement.themes.select_related("theme"),
            empty_label=None,
            error_messages={"required": f"Choose a {agreement.round.structure_singular}"},
        )
        super().__init__(*args, **kwargs)
        self.order_fields(["agreement_theme", "title", "description"])
        self.helper.layout = self.layout()


class OutcomeEditForm(VersionedForm):
    title = forms.CharField(
        label="Outcome", max_length=300, error_messages={"required": "Enter the outcome"}
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = reason_field(required=False)


VALUE_FIELD = Target._meta.get_field("baseline_value")  # every figure keeps its precision


class FigureField(forms.DecimalField):
    """A figure as a target or an amount stores it: thousands separators are allowed, and
    trailing zeros are not decimal places (1.50000 has one). The same field reads the
    figures of an imported file, so a figure is refused in the same words either way."""

    PLACES = VALUE_FIELD.decimal_places
    WHOLE_DIGITS = VALUE_FIELD.max_digits - VALUE_FIELD.decimal_places

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, **kwargs)
        # The places and digits are checked below, on the value's own digits.
        self.validators = [v for v in self.validators if not isinstance(v, DecimalValidator)]
        self.error_messages.update(
            invalid=f"{label} must be a number, like 750 or 12.5",
            max_decimal_places=f"{label} must not have more than {self.PLACES} decimal places",
            max_whole_digits=f"{label} must have no more than {self.WHOLE_DIGITS} digits "
            "before the decimal point",
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "")
        value = super().to_python(value)
        exponent = value.as_tuple().exponent if value is not None else None
        if not isinstance(exponent, int) or abs(value) >= Decimal(10) ** self.WHOLE_DIGITS:
            return value  # refused by validate
        # The places typed are kept and shown, so no more zeros are kept than a figure may
        # have places: "0E-999999999" and "1.5" with a thousand zeros would otherwise be
        # stored as that many places and drawn as that many digits on every page.
        if exponent > 0:
            return value.quantize(Decimal(1))
        most = Decimal(1).scaleb(-self.PLACES)
        if exponent < -self.PLACES and value == value.quantize(most):
            return value.quantize(most)
        return value

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        # Zeros beyond the places were dropped when the figure was read (`to_python`).
        if value.as_tuple().exponent < -self.PLACES:
            raise forms.ValidationError(
                self.error_messages["max_decimal_places"], code="max_decimal_places"
            )
        if abs(value) >= Decimal(10) ** self.WHOLE_DIGITS:
            raise forms.ValidationError(
                self.error_messages["max_whole_digits"], code="max_whole_digits"
            )


def _year_field(label: str, required: bool = False) -> FigureField:
    return FigureField(
        label=label,
        required=required,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
    )


def _text_field(label: str, max_length: int, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
        **kwargs,
    )


class TargetForm(forms.Form):
    """A designated, statutory or local target. Built for one agreement: its years, its
    outcomes, its partners and, in two-tier areas, its districts."""

    baseline_value = _year_field("Baseline value")
    baseline_year = _text_field(
        "Baseline year",
        20,
        required=False,
        help_text="For example 2007/08",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    baseline_due_precision = forms.ChoiceField(
        label="How exactly is the date known?",
        required=False,
        choices=[
            (DatePrecision.DAY, "A full date"),
            (DatePrecision.MONTH, "A month and year"),
            (DatePrecision.YEAR, "A year only"),
        ],
        initial=DatePrecision.DAY,
        widget=forms.RadioSelect,
    )
    baseline_due_on = PartialDateField(
        label="Or the date by which a baseline will be set",
        error_name="The date by which a baseline will be set",
        help_text="For example 31 3 2009; for a month leave the day blank (3 2009), for a "
        "year leave the day and month blank",
    )
    is_qualitative = forms.BooleanField(
        label="State this target in words",
        required=False,
        help_text="For a target the sources give in words, such as ‘a measurable increase’. "
        "The yearly values are then optional deemed values.",
    )
    statement = _text_field(
        "The target in words",
        5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    units = _text_field("Units", 100, required=False)
    polarity = forms.ChoiceField(label="Polarity", required=False, choices=Target.Polarity.choices)
    is_stretch = forms.BooleanField(label="This is a stretch (reward) target", required=False)
    is_deferred = forms.BooleanField(
        label="This target is deferred (a placeholder until data are available)", required=False
    )
    caveats = forms.CharField(
        label="Caveats",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required for a deferred target: say what it waits for.",
    )

    # What a statutory education target's form leaves out: its figures come from DCSF.
    FIGURES = (
        "baseline_value",
        "baseline_year",
        "baseline_due_precision",
        "baseline_due_on",
        "units",
        "polarity",
        "is_qualitative",
        "statement",
    )
    NATIONAL, OWN = "national", "own"

    def __init__(
        self, *args, agreement, kind, instance: Target | None = None, q: str = "", **kwargs
    ):
        self.agreement, self.kind, self.instance = agreement, kind, instance
        years = agreement.round.years
        partners = selectors.area_partners(agreement)
        fields: dict[str, forms.Field] = {}
        if kind == Target.Kind.LOCAL:
            fields["indicator_source"] = forms.ChoiceField(
                label="What does the target measure?",
                choices=[
                    (self.NATIONAL, "A national indicator"),
                    (self.OWN, "Our own indicator"),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": "Choose a national indicator or your own indicator"},
            )
        if kind in (Target.Kind.DESIGNATED, Target.Kind.LOCAL):
            fields["indicator"] = ModelChoiceField(
                label="National indicator",
                required=kind == Target.Kind.DESIGNATED,
                queryset=self._catalogue(q),
                empty_label="Choose an indicator",
                error_messages={
                    "required": "Choose a national indicator",
                    "invalid_choice": "Choose an indicator from the list",
                },
                widget=forms.Select(attrs={"data-module": "laa-autocomplete"}),
                help_text="Its definition, units and lead department come with it."
                if kind == Target.Kind.LOCAL
                else "",
            )
            fields["indicator"].label_from_instance = lambda i: f"{i.code} – {i.title}"
        if kind == Target.Kind.LOCAL:
            fields["local_title"] = forms.CharField(
                label="Your own indicator",
                required=False,
                max_length=300,
                help_text="Its name, if the target does not use a national indicator.",
            )
            fields["local_definition"] = forms.CharField(
                label="Definition",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="How it is measured and where the data come from.",
            )
        fields["outcome"] = ModelChoiceField(
            label="Outcome it serves (optional)",
            required=False,
            queryset=agreement.outcomes.order_by("title"),
            empty_label="None",
        )
        self.qualitative = self._is_qualitative(args, kwargs)
        if kind != Target.Kind.STATUTORY:
            for index, year in enumerate(years):
                label = (
                    f"Deemed value for {year} (optional)"
                    if self.qualitative
                    else f"Target for {year}"
                )
                fields[f"value_{index}"] = _year_field(label)
        fields["lead_partner"] = ModelChoiceField(
            label="Lead partner",
            required=False,
            queryset=partners,
            empty_label="Not chosen yet",
        )
        fields["contributing_partners"] = ModelMultipleChoiceField(
            label="Contributing partners (optional)",
            required=False,
            queryset=partners,
            widget=forms.CheckboxSelectMultiple,
        )
        self.districts = (
            list(selectors.area_districts(agreement)) if agreement.area.is_two_tier else []
        )
        for district in self.districts:
            fields[f"district_{district.pk}"] = _year_field(f"{district.name}'s share")
        if instance is not None:
            fields["reason"] = reason_field(required=True)
            fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        elif agreement.signed_version_id is not None:
            # An amendment: the reason is the amendment's reason for the new target.
            fields["reason"] = reason_field(required=False)
        common = dict(TargetForm.base_fields.items())
        if kind == Target.Kind.STATUTORY:
            common = {name: f for name, f in common.items() if name not in self.FIGURES}
        self.base_fields = {**fields, **common}
        super().__init__(*args, **kwargs)
        if instance is not None and not self.is_bound:
            self.initial.update(self._initial_from(instance))
        self.helper = FormHelper()
        self.helper.layout = self._layout(years)

    def _catalogue(self, q: str):
        """National indicators of the round's catalogue that this agreement does not use
        yet (statutory ones are agreed with DCSF, never chosen)."""
        agreement, instance = self.agreement, self.instance
        used = agreement.targets.exclude(pk=instance.pk if instance else None).values_list(
            "indicator_id", flat=True
        )
        catalogue = Indicator.objects.filter(
            catalogue_entries__round=agreement.round, catalogue_entries__is_statutory=False
        ).exclude(pk__in=[pk for pk in used if pk])
        if q:
            matches = indicators_search(q=q).values_list("pk", flat=True)
            current = [instance.indicator_id] if instance else []
            catalogue = catalogue.filter(Q(pk__in=matches) | Q(pk__in=current))
        return catalogue.order_by("number")

    def _is_qualitative(self, args, kwargs) -> bool:
        data = args[0] if args else kwargs.get("data")
        if data is not None:
            return data.get("is_qualitative") not in (None, "", "false", "False", "off")
        return bool(self.instance and self.instance.is_qualitative)

    def _initial_from(self, target: Target) -> dict:
        initial = {
            name: getattr(target, name)
            for name in (
                "indicator",
                "outcome",
                "local_title",
                "local_definition",
                "units",
                "polarity",
                "baseline_value",
                "baseline_year",
                "baseline_due_on",
                "baseline_due_precision",
                "is_qualitative",
                "statement",
                "is_stretch",
                "is_deferred",
                "caveats",
                "lead_partner",
            )
        }
        initial["indicator"] = target.indicator_id
        initial["indicator_source"] = self.NATIONAL if target.indicator_id else self.OWN
        due_on = target.baseline_due_on
        if due_on is not None and target.baseline_due_precision == DatePrecision.MONTH:
            initial["baseline_due_on"] = ["", due_on.month, due_on.year]
        elif due_on is not None and target.baseline_due_precision == DatePrecision.YEAR:
            initial["baseline_due_on"] = ["", "", due_on.year]
        initial["outcome"] = target.outcome_id
        initial["lead_partner"] = target.lead_partner_id
        initial["contributing_partners"] = [p.pk for p in target.contributing_partners.all()]
        for index, value in enumerate(target.yearly_values or []):
            initial[f"value_{index}"] = value
        for share in target.district_shares.all():
            initial[f"district_{share.district_id}"] = share.value
        initial["version"] = target.version
        return initial

    def _layout(self, years) -> Layout:
        head = []
        if "indicator_source" in self.fields:
            head.append(Field.radios("indicator_source", legend_size=Size.MEDIUM))
        if "indicator" in self.fields:
            head.append(Field("indicator"))
        if "local_title" in self.fields:
            head += [Field.text("local_title"), Field.textarea("local_definition")]
        parts = [*head, Field("outcome")]
        if self.kind != Target.Kind.STATUTORY:
            parts += [
                Fieldset(
                    Field.text("baseline_value", field_width=10),
                    Field.text("baseline_year", field_width=10),
                    Field.radios("baseline_due_precision", legend_size=Size.SMALL, inline=True),
                    Field("baseline_due_on"),
                    legend="Baseline",
                    legend_size=Size.MEDIUM,
                ),
                Fieldset(
                    Field.checkboxes("is_qualitative"),
                    Field.textarea("statement"),
                    legend="Target in words",
                    legend_size=Size.MEDIUM,
                ),
                Fieldset(
                    *[Field.text(f"value_{i}") for i in range(len(years))],
                    Field.text("units", field_width=Fluid.ONE_THIRD),
                    Field("polarity"),
                    legend="Deemed values" if self.qualitative else "Targets for each year",
                    legend_size=Size.MEDIUM,
                ),
            ]
        parts += [
            Fieldset(
                Field.checkboxes("is_stretch"),
                Field.checkboxes("is_deferred"),
                Field.textarea("caveats"),
                legend="Kind of target",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("lead_partner"),
                Field.checkboxes("contributing_partners"),
                legend="Partners",
                legend_size=Size.MEDIUM,
            ),
        ]
        if self.districts:
            parts.append(
                Fieldset(
                    *[Field.text(f"district_{d.pk}") for d in self.districts],
                    legend="Split by district (optional)",
                    legend_size=Size.MEDIUM,
                )
            )
        if "reason" in self.fields:
            parts.append(Field.text("reason"))
        if "version" in self.fields:
            parts.append(Field("version"))
        parts.append(Button("submit", "Save target"))
        return Layout(*parts)

    def clean(self):
        data = super().clean()
        # The content rules are the services' (they refuse the same content however it
        # arrives); the form shows every one broken, each beside its field.
        for error in target_rule_errors(self.target_fields()):
            error.add_to(self)
        self._clean_indicator(data)
        if "baseline_due_on" in data:
            data["baseline_due_on"] = self._clean_due_on(data)
        return data

    def _clean_indicator(self, data) -> None:
        """A local target uses exactly one of a national indicator and the area's own."""
        if self.kind != Target.Kind.LOCAL or "indicator_source" not in data:
            return
        title = (data.get("local_title") or "").strip()
        if data["indicator_source"] == self.NATIONAL:
            if "indicator" in data and data["indicator"] is None:
                self.add_error("indicator", "Choose a national indicator")
            if title or (data.get("local_definition") or "").strip():
                self.add_error(
                    "local_title",
                    "You chose a national indicator: leave your own indicator's name and "
                    "definition blank",
                )
        else:
            if not title:
                self.add_error("local_title", "Enter the name of your own indicator")
            if data.get("indicator") is not None:
                self.add_error(
                    "indicator",
                    "You chose your own indicator: leave the national indicator unchosen",
                )

    def _clean_due_on(self, data) -> dt.date | None:
        """The baseline-by date as stored: the first day of the year or month given."""
        parts = data.get("baseline_due_on")
        if not parts:
            return None
        day, month, year = parts
        precision = data.get("baseline_due_precision") or DatePrecision.DAY
        name = "The date by which a baseline will be set"
        missing = [
            part
            for part, typed in (("day", day), ("month", month))
            if typed is None and precision == DatePrecision.DAY
        ]
        message = ""
        if year is None:
            message = f"{name} must include a year"
        elif precision == DatePrecision.YEAR and (day is not None or month is not None):
            message = "You chose a year only: leave the day and month blank"
        elif precision == DatePrecision.MONTH and month is None:
            message = f"{name} must include a month"
        elif precision == DatePrecision.MONTH and day is not None:
            message = "You chose a month and year: leave the day blank"
        elif missing:
            message = (
                f"{name} must include a {' and '.join(missing)}, or choose "
                "‘A month and year’ or ‘A year only’"
            )
        if not message:
            try:
                return dt.date(year, month or 1, day or 1)
            except (ValueError, OverflowError):
                message = f"{name} must be a real date"
        self.add_error("baseline_due_on", message)
        return None

    def target_fields(self) -> TargetFields:
        data = self.cleaned_data
        indicator = data.get("indicator")
        if self.kind == Target.Kind.STATUTORY and self.instance is not None:
            indicator = self.instance.indicator  # statutory targets keep theirs
        national = data.get("indicator_source") == self.NATIONAL
        if self.kind == Target.Kind.LOCAL and not national:
            indicator = None
        local = self.kind == Target.Kind.LOCAL and not national
        return TargetFields(
            indicator=indicator,
            outcome=data.get("outcome"),
            local_title=data.get("local_title", "") if local else "",
            local_definition=data.get("local_definition", "") if local else "",
            units=data.get("units", ""),
            polarity=data.get("polarity", ""),
            baseline_value=data.get("baseline_value"),
            baseline_year=data.get("baseline_year", ""),
            baseline_due_on=data.get("baseline_due_on"),
            baseline_due_precision=data.get("baseline_due_precision") or DatePrecision.DAY,
            yearly_values=tuple(
                data.get(f"value_{i}") for i in range(self.agreement.round.year_count)
            ),
            is_qualitative=data.get("is_qualitative", False),
            statement=data.get("statement", ""),
            is_stretch=data.get("is_stretch", False),
            is_deferred=data.get("is_deferred", False),
            caveats=data.get("caveats", ""),
            lead_partner=data.get("lead_partner"),
            contributing_partners=tuple(data.get("contributing_partners") or ()),
            district_shares=tuple(
                (d, data[f"district_{d.pk}"])
                for d in self.districts
                if data.get(f"district_{d.pk}") is not None
            ),
        )


class TargetDeleteForm(VersionedForm):
    submit_label = "Remove target"
    reason = reason_field(required=False)


class FundingForm(forms.Form):
    arrangement = forms.ChoiceField(
        label="Arrangement",
        choices=AgreementFundingStream.Arrangement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose pooled, aligned or passported"},
    )
    is_unquantified = forms.BooleanField(label="The amount is not yet quantified", required=False)
    conditions = forms.CharField(
        label="Conditions (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, agreement, instance: AgreementFundingStream | None = None, **kwargs):
        self.agreement, self.instance = agreement, instance
        fields: dict[str, forms.Field] = {}
        if instance is None:
            chosen = agreement.funding.values_list("stream_id", flat=True)
            fields["stream"] = ModelChoiceField(
                label="Funding stream",
                queryset=agreement.round.funding_streams.exclude(pk__in=chosen).select_related(
                    "department"
                ),
                empty_label="Choose a funding stream",
                error_messages={"required": "Choose a funding stream"},
            )
            fields["stream"].label_from_instance = lambda s: (
                f"{s.name} ({s.department.abbreviation})"
            )
        fields["provider"] = ModelChoiceField(
            label="Whose money it is",
            queryset=selectors.area_partners(agreement),
            empty_label="Choose the organisation",
            help_text="Its consent is needed before the stream is included.",
            error_messages={"required": "Choose the organisation whose money it is"},
        )
        for index, year in enumerate(agreement.round.years):
            fields[f"amount_{index}"] = _year_field(f"Amount for {year} (£)")
        fields["outcomes"] = ModelMultipleChoiceField(
            label="Outcomes it supports (optional)",
            required=False,
            queryset=agreement.outcomes.order_by("title"),
            widget=forms.CheckboxSelectMultiple,
        )
        if instance is not None:
            fields["reason"] = reason_field(required=True)
            fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
        self.base_fields = {**fields, **dict(FundingForm.base_fields)}
        super().__init__(*args, **kwargs)
        if instance is not None and not self.is_bound:
            self.initial.update(
                provider=instance.provider_id,
                arrangement=instance.arrangement,
                is_unquantified=instance.is_unquantified,
                conditions=instance.conditions,
                outcomes=[o.pk for o in instance.outcomes.all()],
                version=instance.version,
                **{f"amount_{i}": v for i, v in enumerate(instance.yearly_amounts or [])},
            )
        self.helper = FormHelper()
        names = [n for n in ("stream", "provider") if n in self.fields]
        self.helper.layout = Layout(
            *[Field(n) for n in names],
            Field.radios("arrangement", legend_size=Size.SMALL, inline=True),
            Fieldset(
                *[Field.text(f"amount_{i}") for i in range(agreement.round.year_count)],
                Field.checkboxes("is_unquantified"),
                legend="Amounts",
                legend_size=Size.MEDIUM,
            ),
            Field.textarea("conditions"),
            Field.checkboxes("outcomes"),
            *([Field.text("reason"), Field("version")] if instance is not None else []),
            Button("submit", "Save funding stream"),
        )

    def clean(self):
        data = super().clean()
        years = self.agreement.round.year_count
        amounts = FundingFields(
            provider=data.get("provider"),
            arrangement=data.get("arrangement", ""),
            yearly_amounts=tuple(data.get(f"amount_{i}") for i in range(years)),
            is_unquantified=data.get("is_unquantified", False),
        )
        for error in funding_rule_errors(amounts, year_count=years):
            error.add_to(self)
        return data

    def funding_fields(self) -> FundingFields:
        data = self.cleaned_data
        return FundingFields(
            provider=data["provider"],
            arrangement=data["arrangement"],
            yearly_amounts=tuple(
                data.get(f"amount_{i}") for i in range(self.agreement.round.year_count)
            ),
            is_unquantified=data.get("is_unquantified", False),
            conditions=data.get("conditions", ""),
            outcomes=tuple(data.get("outcomes") or ()),
        )


class ConsentForm(VersionedForm):
    submit_label = "Record consent"
    given_by = forms.CharField(
        label="Who gave consent",
        max_length=200,
        help_text="Name and role, for example ‘Jo Smith, Director of Finance’",
        error_messages={"required": "Enter who gave consent"},
    )
    given_on = GovDateField(label="Date consent was given", help_text="For example 14 2 2008")


class FundingStreamCatalogueForm(GovForm):
    submit_label = "Add to the catalogue"
    name = forms.CharField(label="Name", max_length=200)
    department = ModelChoiceField(label="Owning department", queryset=None)
    kind = forms.ChoiceField(label="Kind", choices=[])
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments()
        self.fields["department"].label_from_instance = lambda d: f"{d.abbreviation} – {d.name}"
        self.fields["kind"].choices = FundingStream.Kind.choices


class PartnerAddForm(GovForm):
    submit_label = "Add partner"
    name = forms.CharField(
        label="Partner organisation",
        max_length=200,
        error_messages={"required": "Enter the partner's name"},
    )
    partner_type = forms.ChoiceField(label="Kind of partner", choices=PartnerType.choices)


class InviteForm(GovForm):
    submit_label = "Send invitation"
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address", max_length=254)
    access = forms.ChoiceField(
        label="What they may do",
        choices=AccessLevel.choices,
        widget=forms.RadioSelect,
        initial=AccessLevel.COMMENT,
    )

    def __init__(self, *args, agreement, **kwargs):
        self.base_fields = {
            "partnership": ModelChoiceField(
                label="Partner they represent",
                queryset=agreement.area.partnerships.select_related("organisation"),
                empty_label="Choose a partner",
                error_messages={"required": "Choose the partner they represent"},
            ),
            **dict(InviteForm.base_fields),
        }
        super().__init__(*args, **kwargs)
        self.fields["partnership"].label_from_instance = lambda p: p.organisation.name


class ImportForm(GovForm):
    submit_label = "Check and import"
    MAX_BYTES = 2 * 1024 * 1024
    file = forms.FileField(
        label="Targets file (CSV or XLSX)",
        help_text="Use the template. The file can be up to 2 MB.",
        error_messages={"required": "Choose a CSV or XLSX file"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError("The file must be a CSV or an XLSX file")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 2 MB")
        return upload


class StatutoryValuesForm(ImportForm):
    submit_label = "Check and load"
    file = forms.FileField(
        label="Figures file (CSV or XLSX)",
        help_text="One statutory target a row. The file can be up to 2 MB.",
        error_messages={"required": "Choose a CSV or XLSX file"},
    )


class StatutoryNoteForm(GovForm):
    submit_label = "Save the note"
    statutory_note = forms.CharField(
        label="Note on statutory education targets",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown wherever statutory education targets appear: how they are agreed "
        "with DCSF and when their values arrive.",
    )

    def layout(self) -> Layout:
        return Layout(
            Field.textarea("statutory_note"),
            Button("save_note", self.submit_label),
        )
