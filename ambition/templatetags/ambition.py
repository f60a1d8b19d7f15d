"""Ambition figures where a target is written and reviewed: `{% target_ambition target %}`
on the target page, `{% ambition_form_panel agreement target %}` beside the target form,
`{% ambition_bottom_quartile agreement %}` in the GO's review checklist and
`{% ambition_changed_targets agreement keys %}` on the compare page. The templates of the apps
below use them without importing this app."""

from __future__ import annotations

from django import template

from ambition import selectors

register = template.Library()


@register.filter
def ambition_value(value, figures) -> str:
    return figures.text(value) if figures is not None else ""


@register.filter
def ambition_rows(group, figures) -> list:
    word = figures.word.capitalize()
    return [
        (label, summary)
        for label, summary in (
            ("Baseline", group.baseline),
            (word, group.change),
            (f"{word} a year", group.per_year),
        )
        if summary is not None
    ]


@register.inclusion_tag("ambition/_figures.html", takes_context=True)
def target_ambition(context, target):
    user = context["request"].user
    return {"figures": selectors.target_figures(user, target), "target": target}


@register.inclusion_tag("ambition/_form_panel.html", takes_context=True)
def ambition_form_panel(context, agreement, kind, target=None):
    user = context["request"].user
    target = target or None  # the add form has none
    figures = selectors.target_figures(user, target) if target is not None else None
    return {"agreement": agreement, "figures": figures, "target": target, "kind": kind}


@register.inclusion_tag("ambition/_bottom_quartile.html", takes_context=True)
def ambition_bottom_quartile(context, agreement):
    user = context["request"].user
    return {"agreement": agreement, "rows": selectors.bottom_quartile(user, agreement)}


@register.inclusion_tag("ambition/_changed.html", takes_context=True)
def ambition_changed_targets(context, agreement, content, changes):
    """Where each changed target of a version sits among other areas, as that version
    states it."""
    user = context["request"].user
    keys = {change.key for change in changes}
    entries = [t for t in (content or {}).get("targets", []) if t.get("key") in keys]
    return {
        "agreement": agreement,
        "rows": selectors.version_entries_figures(user, agreement, entries),
    }
