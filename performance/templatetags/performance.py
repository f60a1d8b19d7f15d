"""Fragments of the annual review on other apps' pages (the agreement's overview, a
target, the amendment, the dashboards). Each tag reads through `performance.selectors` in
a fixed number of queries, and none when the agreement is not signed, so the apps below
this one draw the fragment without importing it."""

from django import template

from performance import selectors

register = template.Library()


@register.inclusion_tag("performance/_agreement_summary.html", takes_context=True)
def agreement_track(context, agreement):
    user = context["request"].user
    return {"agreement": agreement, "summary": selectors.agreement_summary(user, agreement)}


@register.inclusion_tag("performance/_target_outturns.html", takes_context=True)
def target_outturns(context, agreement, target):
    user = context["request"].user
    visible = user.has_perm("performance.see_review", agreement)
    return {
        "agreement": agreement,
        "target": target,
        "years": selectors.target_outturns(agreement, target) if visible else [],
    }


@register.inclusion_tag("performance/_amendment_outturns.html", takes_context=True)
def amendment_outturns(context, agreement, items):
    changes = [item for item in items if item.key.startswith("target:")]
    latest = selectors.latest_outturns_by_key(agreement) if changes else {}
    return {
        "rows": [(item, latest.get(item.key.removeprefix("target:"))) for item in changes],
    }


@register.inclusion_tag("performance/_dashboard_track.html", takes_context=True)
def track_by_government_office(context, figures):
    """The national dashboard counts by Government Office here; a region's dashboard, already
    at its query budget, links to its own page of the counts area by area."""
    user = context["request"].user
    scope = figures.scope
    track = None
    if scope.is_national:
        track = selectors.track_by_government_office(
            round_=figures.round,
            offices=[row.government_office for row in figures.by_government_office],
        )
    return {
        "track": track,
        "scope": scope,
        "round": figures.round,
        "can_manage": user.has_perm("performance.manage_reviews"),
    }
