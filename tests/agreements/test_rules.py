"""Each rule of a target's and a funding entry's content lives in one place: the services
refuse it (naming the field), the database refuses what it can hold, and the target form
and the import both show the services' words, beside the field or under the column."""

import csv
import io
from decimal import Decimal

import pytest
from django import forms
from django.db import IntegrityError, transaction

from agreements import importing, services
from agreements.forms import FigureField, FundingForm, TargetForm
from agreements.models import Target
from agreements.presentation import places_of
from agreements.services import FundingFields, TargetFields
from core.errors import ServiceError
from partners.services import partner_add, representative_invite
from tests.agreements.conftest import designated_fields, free_designated_codes

DEFERRED = "Give a caveat for a deferred target"
LEAD = "The lead partner is not also a contributor"


def refusal(call) -> ServiceError:
    with pytest.raises(ServiceError) as refused:
        call()
    return refused.value


# --- The services refuse, naming the field ------------------------------------------------


def test_the_service_refuses_a_deferred_target_without_a_caveat(agreement, coordinator):
    code = free_designated_codes(agreement, 1)[0]
    for caveats in ("", "   "):
        error = refusal(
            lambda caveats=caveats: services.target_create(
                agreement=agreement,
                actor=coordinator,
                kind="designated",
                fields=designated_fields(code, is_deferred=True, caveats=caveats),
            )
        )
        assert (str(error), error.field) == (DEFERRED, "caveats")
    assert not agreement.targets.filter(indicator__code=code).exists()
    target = services.target_create(
        agreement=agreement,
        actor=coordinator,
        kind="designated",
        fields=designated_fields(code, is_deferred=True, caveats="Waits for the survey."),
    )
    assert target.is_deferred and target.caveats == "Waits for the survey."


def test_the_service_refuses_an_edit_that_defers_a_target_without_a_caveat(agreement, coordinator):
    target = agreement.targets.get(indicator__code="NI 16")
    error = refusal(
        lambda: services.target_update(
            target=target,
            actor=coordinator,
            expected_version=target.version,
            fields=designated_fields("NI 16", is_deferred=True),
            reason="Deferred",
        )
    )
    assert error.field == "caveats"
    target.refresh_from_db()
    assert not target.is_deferred


def test_the_service_refuses_a_lead_partner_who_also_contributes(agreement, coordinator, locality):
    code = free_designated_codes(agreement, 1)[0]
    error = refusal(
        lambda: services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=designated_fields(
                code, lead_partner=locality, contributing_partners=(locality,)
            ),
        )
    )
    assert (str(error), error.field) == (LEAD, "contributing_partners")
    assert not agreement.targets.filter(indicator__code=code).exists()


def test_an_import_through_the_service_keeps_the_same_rules(agreement, coordinator):
    code = free_designated_codes(agreement, 1)[0]
    error = refusal(
        lambda: services.targets_import(
            agreement=agreement,
            actor=coordinator,
            rows=[designated_fields(code, is_deferred=True)],
        )
    )
    assert error.field == "caveats"
    assert not agreement.targets.filter(indicator__code=code).exists()


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"yearly_amounts": (None, None, None)}, "Enter the amounts", "amount_0"),
        ({"yearly_amounts": (Decimal(5), Decimal(-1), None)}, "cannot be negative", "amount_1"),
    ],
)
def test_the_service_refuses_funding_without_amounts_or_with_a_negative_one(
    agreement, coordinator, fields, message, field
):
    entry = agreement.funding.get()
    before = (entry.version, entry.yearly_amounts)
    error = refusal(
        lambda: services.funding_update(
            entry=entry,
            actor=coordinator,
            expected_version=entry.version,
            fields=FundingFields(provider=entry.provider, arrangement="aligned", **fields),
            reason="New amounts",
        )
    )
    assert message in str(error) and error.field == field
    entry.refresh_from_db()
    assert (entry.version, entry.yearly_amounts) == before


# --- The database refuses what it can hold ------------------------------------------------


def test_the_database_refuses_a_deferred_target_without_a_caveat(agreement):
    target = agreement.targets.get(indicator__code="NI 16")
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.filter(pk=target.pk).update(is_deferred=True, caveats="")
    code = free_designated_codes(agreement, 1)[0]
    indicator = agreement.round.catalogue.get(indicator__code=code).indicator
    with pytest.raises(IntegrityError), transaction.atomic():
        Target.objects.create(
            agreement=agreement,
            kind=Target.Kind.DESIGNATED,
            indicator=indicator,
            yearly_values=[None, None, None],
            is_deferred=True,
        )
    Target.objects.filter(pk=target.pk).update(is_deferred=True, caveats="Waits for data.")


# --- The form shows the services' rules beside their fields -------------------------------


def form_data(indicator, **extra) -> dict:
    data = {
        "indicator": str(indicator.pk),
        "baseline_value": "10",
        "baseline_year": "2007/08",
        "value_0": "11",
        "value_1": "12",
        "value_2": "13",
    }
    data.update(extra)
    return data


def test_the_form_shows_each_rule_the_service_keeps_beside_its_field(agreement, locality):
    code = free_designated_codes(agreement, 1)[0]
    indicator = agreement.round.catalogue.get(indicator__code=code).indicator
    form = TargetForm(
        form_data(
            indicator,
            is_deferred="on",
            lead_partner=str(locality.pk),
            contributing_partners=[str(locality.pk)],
        ),
        agreement=agreement,
        kind="designated",
    )
    assert not form.is_valid()
    assert form.errors["caveats"] == [DEFERRED]
    assert form.errors["contributing_partners"] == [LEAD]
    fields = TargetFields(
        indicator=indicator,
        is_deferred=True,
        lead_partner=locality,
        contributing_partners=(locality,),
    )
    assert [(e.field, str(e)) for e in services.target_rule_errors(fields)] == [
        ("caveats", DEFERRED),
        ("contributing_partners", LEAD),
    ]


def test_the_funding_form_shows_the_services_amount_rules(agreement):
    entry = agreement.funding.get()
    form = FundingForm(
        {
            "provider": str(entry.provider_id),
            "arrangement": "aligned",
            "amount_0": "-5",
            "reason": "Cut",
            "version": str(entry.version),
        },
        agreement=agreement,
        instance=entry,
    )
    assert not form.is_valid()
    assert form.errors["amount_0"] == ["An amount cannot be negative"]


def test_a_refusal_naming_a_field_the_form_lacks_goes_to_the_top_of_the_summary(agreement):
    form = FundingForm({}, agreement=agreement)
    form.is_valid()
    ServiceError("Nothing can be saved now.", field="no_such_field").add_to(form)
    assert form.non_field_errors() == ["Nothing can be saved now."]


# --- An import row is checked by the target form itself -----------------------------------


def import_rows(agreement, *rows: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    header = importing.template_columns(agreement)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue().encode()


def import_problems(agreement, *rows: dict) -> list[tuple]:
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.parse(agreement, "t.csv", import_rows(agreement, *rows))
    return [(p.row, p.column, p.message) for p in rejected.value.problems]


def form_message(agreement, indicator, field: str, **data) -> str:
    form = TargetForm(form_data(indicator, **data), agreement=agreement, kind="designated")
    assert not form.is_valid()
    return importing.in_column(form.errors[field][0], form.fields[field].label)


def test_an_import_row_deferred_without_a_caveat_fails_the_forms_rule(agreement):
    code = free_designated_codes(agreement, 1)[0]
    row = {"indicator code": code, "deferred": "yes", "stretch": "no"}
    assert import_problems(agreement, row) == [(2, "caveats", DEFERRED)]


@pytest.mark.parametrize(
    ("column", "field", "value"),
    [
        ("baseline value", "baseline_value", "1.23456"),
        ("baseline value", "baseline_value", "12345678901"),
        ("baseline value", "baseline_value", "lots"),
        ("target 2009/10", "value_1", "0.00001"),
        ("units", "units", "u" * 101),
        ("baseline year", "baseline_year", "y" * 21),
        ("statement", "statement", "s" * 5001),
    ],
)
def test_an_import_row_fails_in_the_forms_own_words(agreement, column, field, value):
    code = free_designated_codes(agreement, 1)[0]
    indicator = agreement.round.catalogue.get(indicator__code=code).indicator
    expected = form_message(agreement, indicator, field, **{field: value})
    assert import_problems(agreement, {"indicator code": code, column: value}) == [
        (2, column, expected)
    ]


def test_the_form_takes_figures_as_the_import_does(agreement, coordinator):
    code = free_designated_codes(agreement, 1)[0]
    indicator = agreement.round.catalogue.get(indicator__code=code).indicator
    form = TargetForm(
        form_data(indicator, value_0="9,999,999,999.9999", value_1="1.50000"),
        agreement=agreement,
        kind="designated",
    )
    assert form.is_valid(), form.errors
    assert form.target_fields().yearly_values[:2] == (
        Decimal("9999999999.9999"),
        Decimal("1.50000"),
    )
    (imported,) = importing.parse(
        agreement,
        "t.csv",
        import_rows(
            agreement,
            {
                "indicator code": code,
                "target 2008/09": "9,999,999,999.9999",
                "target 2009/10": "1.50000",
            },
        ),
    )
    assert imported.yearly_values[:2] == form.target_fields().yearly_values[:2]
    assert imported.lead_partner is None and imported.outcome is None


def test_the_service_refuses_consent_without_its_date(agreement, coordinator):
    entry = agreement.funding.get()
    error = refusal(
        lambda: services.funding_consent_record(
            entry=entry,
            actor=coordinator,
            expected_version=entry.version,
            given_by="Jo Smith, Director of Finance",
            given_on=None,
        )
    )
    assert (str(error), error.field) == ("Enter the date consent was given", "given_on")
    entry.refresh_from_db()
    assert not entry.has_consent


# --- Partners: the kinds a form offers are the only ones the services take -----------------


def test_the_partner_services_take_only_the_kinds_and_access_the_forms_offer(
    agreement, coordinator
):
    error = refusal(
        lambda: partner_add(
            agreement=agreement, actor=coordinator, name="Cumbria Tourism", partner_type="guild"
        )
    )
    assert error.field == "partner_type"
    assert not agreement.area.partnerships.filter(organisation__name="Cumbria Tourism").exists()
    error = refusal(
        lambda: representative_invite(
            agreement=agreement,
            actor=coordinator,
            partnership=agreement.area.partnerships.first(),
            email="someone@example.org",
            full_name="Someone",
            access="own",
            base_url="https://laa.example.org",
        )
    )
    assert error.field == "access"


@pytest.mark.parametrize(
    "typed, cleaned, places",
    [
        ("0E-999999999", "0.0000", 4),
        ("1.5" + "0" * 1000, "1.5000", 4),
        ("1.50", "1.50", 2),
        ("78.0", "78.0", 1),
        ("5E+2", "500", 0),
        ("1,250.5", "1250.5", 1),
    ],
)
def test_a_figure_keeps_its_places_but_never_more_than_a_figure_may_have(typed, cleaned, places):
    value = FigureField(label="Baseline").clean(typed)
    assert str(value) == cleaned
    assert places_of(value) == places


@pytest.mark.parametrize("typed", ["1E-999999999", "1.23456", "1E+999999"])
def test_a_figure_beyond_its_places_or_digits_is_refused(typed):
    with pytest.raises(forms.ValidationError):
        FigureField(label="Baseline").clean(typed)
