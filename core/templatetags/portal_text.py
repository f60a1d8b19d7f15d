"""`lower_first` and `grouped` (core.text) for templates."""

from django import template

from core import text

register = template.Library()


@register.filter
def lower_first(value) -> str:
    return text.lower_first("" if value is None else value)


@register.filter
def grouped(value) -> str:
    return text.grouped("" if value is None else value)
