"""The project's select template draws exactly what Django's own draws, option by option."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib.admin.widgets import AdminRadioSelect
from django.forms.renderers import DjangoTemplates, TemplatesSetting, get_default_renderer

from tests.conftest import ROOT

CHOICES = [
    ("", "Choose an indicator"),
    ("Stronger communities", [("NI 1", "NI 1 – People who mix"), ("NI 4", 'NI 4 – "Influence"')]),
    ("Safer", [("NI 15", "NI 15 – Violence & crime"), (7, "Seven")]),
    ("NI 186", "NI 186 – CO₂ <per head>"),
]


class WithClassyOptions(forms.Select):
    """A select whose options carry attributes of their own."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-code"] = str(value)
        option["attrs"]["hidden"] = value == 7
        option["attrs"]["aria-hidden"] = False
        return option


class OwnOptionTemplate(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"
    input_type = "radio"


def test_the_project_select_draws_what_djangos_draws():
    widgets = [
        forms.Select(choices=CHOICES, attrs={"class": "govuk-select", "required": True}),
        forms.SelectMultiple(choices=CHOICES),
        WithClassyOptions(choices=CHOICES),
        OwnOptionTemplate(choices=CHOICES),
    ]
    for widget in widgets:
        for value in (None, "NI 4", ["NI 1", "7"], "not a choice"):
            ours = widget.render("indicator", value, renderer=TemplatesSetting())
            djangos = widget.render("indicator", value, renderer=DjangoTemplates())
            assert ours == djangos, (type(widget).__name__, value)
    # An option template of another kind is still included.
    assert 'type="radio"' in ours


def test_forms_draw_selects_with_the_project_template_and_the_rest_with_djangos():
    renderer = get_default_renderer()
    select = renderer.get_template("django/forms/widgets/select.html")
    assert Path(select.origin.name) == ROOT / "templates/django/forms/widgets/select.html"
    option = renderer.get_template("django/forms/widgets/select_option.html")
    assert Path(option.origin.name).is_relative_to(Path(forms.__file__).parent)
    radio = AdminRadioSelect(choices=[("a", "A")]).render("x", "a")
    assert 'value="a"' in radio and "checked" in radio
