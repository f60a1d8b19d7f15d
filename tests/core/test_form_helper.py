"""Every form's crispy helper leaves the form element to the page, so no page nests forms."""

from pathlib import Path

from django import forms
from django.template import Context, Template

from core.forms import FormHelper

ROOT = Path(__file__).resolve().parents[2]


class _Example(forms.Form):
    name = forms.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()


def test_the_portal_helper_draws_fields_without_a_form_element():
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
        Context({"form": _Example()})
    )
    assert 'name="name"' in html
    assert "<form" not in html


def test_no_app_uses_the_library_helper_directly():
    skipped = {".venv", "node_modules", "var", "static", ".git"}
    found = [
        str(path.relative_to(ROOT))
        for top in ROOT.iterdir()
        if top.is_dir() and top.name not in skipped
        for path in top.rglob("*.py")
        if path != Path(__file__).resolve() and "crispy_forms_gds.helper" in path.read_text()
    ]
    assert found == []
