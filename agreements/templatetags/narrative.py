from django import template
from django.utils.safestring import mark_safe

from agreements.narrative import render_narrative
from core.text import grouped

register = template.Library()


@register.filter
def narrative(text: str) -> str:
    # Safe because render_narrative escapes the input and sanitises the output.
    return mark_safe(render_narrative(text or ""))  # noqa: S308


@register.filter
def year_pairs(values, years):
    """Pairs each year of the round with its value: [(2008/09, '12.5'), ...]."""
    values = list(values or [])
    return [(year, values[i] if i < len(values) else None) for i, year in enumerate(years)]


@register.filter
def number(value):
    """A stored decimal string shown without trailing zeros and with commas between
    thousands: '12500.5000' -> '12,500.5'."""
    if value in (None, ""):
        return ""
    text = str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return grouped(text)
