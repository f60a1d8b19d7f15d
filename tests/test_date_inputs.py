"""Dates are typed in GOV.UK day, month and year boxes and refused with the Design System's
messages: nothing typed, a part missing, an impossible date, a two-figure year."""

import datetime as dt

import pytest
from django import forms

from agreements.fields import GovDateField, PartialDateField


class SignedForm(forms.Form):
    signed_on = GovDateField(label="Date signed")
    optional_on = GovDateField(label="Date reviewed", required=False)
    due_on = PartialDateField(label="Due", error_name="The due date")


def _form(signed=("", "", ""), optional=("", "", ""), due=("", "", "")):
    data = {}
    for name, parts in (("signed_on", signed), ("optional_on", optional), ("due_on", due)):
        for index, part in enumerate(parts):
            data[f"{name}_{index}"] = part
    return SignedForm(data)


@pytest.mark.parametrize(
    ("typed", "message", "boxes_in_error"),
    [
        (("", "", ""), "Enter the date signed", [0, 1, 2]),
        (("", "6", "2008"), "Date signed must include a day", [0]),
        (("27", "", "2008"), "Date signed must include a month", [1]),
        (("27", "6", ""), "Date signed must include a year", [2]),
        (("", "", "2008"), "Date signed must include a day and month", [0, 1]),
        (("27", "", ""), "Date signed must include a month and year", [1, 2]),
        (("31", "2", "2009"), "Date signed must be a real date", [0]),
        (("1", "13", "2009"), "Date signed must be a real date", [1]),
        (("0", "1", "2009"), "Date signed must be a real date", [0]),
        (("1", "x", "2009"), "Date signed must be a real date", [1]),
        (("-1", "1", "2009"), "Date signed must be a real date", [0]),
        (("1", "1", "2009.5"), "Date signed must be a real date", [2]),
        (("1", "1", "٢٠٠٩"), "Date signed must be a real date", [2]),
        (("1", "1", "09"), "Year must include 4 numbers", [2]),
        (("1", "1", "9"), "Year must include 4 numbers", [2]),
        (("1", "1", "0009"), "Year must include 4 numbers", [2]),
        (("1", "1", "20090"), "Year must include 4 numbers", [2]),
        (("1", "1", "9" * 30), "Year must include 4 numbers", [2]),
        (("9" * 30, "1", "2009"), "Date signed must be a real date", [0]),
    ],
)
def test_a_date_is_refused_with_the_design_systems_message(typed, message, boxes_in_error):
    form = _form(signed=typed)
    assert not form.is_valid()
    assert form.errors["signed_on"] == [message]
    field = form.fields["signed_on"]
    marked = [index for index, part in enumerate(field.fields) if part.widget.errors]
    assert marked == boxes_in_error


def test_a_whole_date_is_read_as_typed():
    form = _form(signed=(" 1 ", "01", "2009"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["signed_on"] == dt.date(2009, 1, 1)
    assert form.cleaned_data["optional_on"] is None
    assert form.cleaned_data["due_on"] is None


def test_an_optional_date_once_begun_needs_every_part():
    form = _form(signed=("1", "1", "2009"), optional=("", "3", "2009"))
    assert not form.is_valid()
    assert form.errors["optional_on"] == ["Date reviewed must include a day"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        (("", "", "2009"), (None, None, 2009)),
        (("", "3", "2009"), (None, 3, 2009)),
        (("31", "3", "2009"), (31, 3, 2009)),
    ],
)
def test_a_partial_date_keeps_the_parts_typed(typed, value):
    form = _form(signed=("1", "1", "2009"), due=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == value


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "3", "09"), "Year must include 4 numbers"),
        (("", "13", "2009"), "The due date must be a real date"),
        (("30", "2", "2009"), "The due date must be a real date"),
        (("", "March", "2009"), "The due date must be a real date"),
    ],
)
def test_a_partial_date_is_refused_with_the_design_systems_message(typed, message):
    form = _form(signed=("1", "1", "2009"), due=typed)
    assert not form.is_valid()
    assert form.errors["due_on"] == [message]


def test_the_consent_page_refuses_a_two_figure_year_in_its_error_summary(
    client, coordinator, agreement
):
    entry = agreement.funding.get()
    client.force_login(coordinator)
    url = f"/agreements/2008-11/cumbria/funding/{entry.pk}/consent/"
    data = {"given_by": "Jo Smith", "version": entry.version}
    data |= {"given_on_0": "14", "given_on_1": "2", "given_on_2": "08"}
    page = client.post(url, data).content.decode()
    assert 'class="govuk-error-summary"' in page
    assert "Year must include 4 numbers" in page
    assert 'href="#id_given_on_2"' in page or 'href="#id_given_on"' in page
    entry.refresh_from_db()
    assert entry.consent_given_on is None
    data["given_on_2"] = "2008"
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.consent_given_on == dt.date(2008, 2, 14)
