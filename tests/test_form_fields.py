"""The portal's model choice fields refuse an id the database could not hold with the usual
"Select a valid choice" error, on SQLite as on PostgreSQL, rather than fail."""

from pathlib import Path

import pytest
from django import forms

from accounts.models import Organisation
from core.forms import ModelChoiceField, ModelMultipleChoiceField

ROOT = Path(__file__).resolve().parent.parent
OUT_OF_RANGE = [str(2**63), str(2**64), str(-(2**63) - 1), "9" * 40]


class DepartmentsForm(forms.Form):
    department = ModelChoiceField(
        queryset=Organisation.objects.filter(kind="department"), required=False
    )
    departments = ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(kind="department"), required=False
    )


@pytest.fixture
def department(db):
    return Organisation.objects.filter(kind="department").order_by("pk").first()


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_an_id_out_of_range_is_not_a_valid_choice(department, value):
    form = DepartmentsForm({"department": value, "departments": [str(department.pk), value]})
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["department"]] == ["invalid_choice"]
    assert [e.code for e in form.errors.as_data()["departments"]] == ["invalid_choice"]
    assert form.errors["department"][0].startswith("Select a valid choice.")
    assert form.errors["departments"][0].startswith("Select a valid choice.")


@pytest.mark.parametrize("value", ["abc", "1.5", "a\x00b"])
def test_a_value_that_is_no_number_is_refused_as_before(department, value):
    form = DepartmentsForm({"department": value, "departments": [value]})
    assert not form.is_valid()
    assert set(form.errors) == {"department", "departments"}


def test_ids_in_range_are_chosen_as_before(department):
    form = DepartmentsForm({"department": department.pk, "departments": [department.pk]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["department"] == department
    assert list(form.cleaned_data["departments"]) == [department]


def test_a_missing_id_in_range_is_not_a_valid_choice(department):
    form = DepartmentsForm({"department": "123456789", "departments": ["123456789"]})
    assert set(form.errors) == {"department", "departments"}


def test_every_form_uses_the_portals_model_choice_fields():
    """Django's own fields fail on SQLite with an id beyond 64 bits."""
    offenders = [
        str(path.relative_to(ROOT))
        for app in ROOT.iterdir()
        if (app / "apps.py").exists()
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
        and any(
            f"forms.{name}(" in path.read_text()
            for name in ("ModelChoiceField", "ModelMultipleChoiceField")
        )
    ]
    assert offenders == []
