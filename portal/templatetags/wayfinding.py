"""Wayfinding: the GOV.UK breadcrumbs above each page below home, and the agreement's
section navigation with the current section marked."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse

register = template.Library()

# The agreement's sections in the order of its navigation: key, label, the section's page.
SECTIONS = (
    ("overview", "Overview", "agreements:detail"),
    ("negotiation", "Negotiation", "negotiations:negotiation"),
    ("themes", "{structure} and outcomes", "agreements:themes"),
    ("targets", "Targets", "agreements:targets"),
    ("funding", "Funding streams", "agreements:funding"),
    ("freedoms", "Freedoms and flexibilities", "freedoms:list"),
    ("partners", "Partners", "agreements:partners"),
    ("completeness", "Completeness check", "agreements:completeness"),
    ("sign_off", "Sign-off", "signoff:sign_off"),
    ("print", "Print view", "agreements:print"),
)

# Pages below a section, by the start of their URL name within their app.
_BELOW = {
    "agreements": (
        ("target", "targets"),
        ("import", "targets"),
        ("funding", "funding"),
        ("outcome", "themes"),
    ),
    "negotiations": (("", "negotiation"),),
    "freedoms": (("", "freedoms"),),
    "signoff": (("", "sign_off"),),
    "ambition": (("", "targets"),),
}


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url: str
    # "page" on the section's own page, "true" on a page within it, "" elsewhere.
    current: str


def section_of(view_name: str) -> tuple[str, bool]:
    """The agreement section a page belongs to, and whether it is the section's own page."""
    for key, _label, name in SECTIONS:
        if view_name == name:
            return key, True
    namespace, _, name = view_name.partition(":")
    for start, key in _BELOW.get(namespace, ()):
        if name.startswith(start):
            return key, False
    return "", False


def _view_name(context) -> str:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else ""


def _is_agreement(value) -> bool:
    return hasattr(value, "area") and hasattr(value, "round") and hasattr(value, "stage")


def agreement_sections(agreement, view_name: str) -> list[Section]:
    current, own_page = section_of(view_name)
    args = [agreement.round.slug, agreement.area.slug]
    structure = agreement.round.get_structure_display()
    return [
        Section(
            key,
            label.format(structure=structure),
            reverse(name, args=args),
            ("page" if own_page else "true") if key == current else "",
        )
        for key, label, name in SECTIONS
    ]


@register.simple_tag(takes_context=True)
def agreement_navigation(context, agreement) -> list[Section]:
    """The agreement's sections, the one this page is in marked current."""
    return agreement_sections(agreement, _view_name(context))


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context) -> dict:
    """Home › (the menu's section) for most pages; on an agreement's pages Home ›
    Agreements › the agreement › its section. Nothing on the home page or when signed out."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return {"trail": []}
    home = reverse("home")
    if request.path == home or not getattr(request, "resolver_match", None):
        return {"trail": []}
    trail = [("Home", home)]
    agreement = context.get("agreement")
    if _is_agreement(agreement):
        trail.append(("Agreements", reverse("agreements:list")))
        sections = agreement_sections(agreement, _view_name(context))
        overview = sections[0]
        if overview.current != "page":
            trail.append((f"{agreement.area.name} {agreement.round.slug}", overview.url))
            within = next((s for s in sections[1:] if s.current == "true"), None)
            if within is not None:
                trail.append((within.label, within.url))
        return {"trail": trail}
    for item, active in context.get("navigation") or []:
        if active and item.url not in (home, request.path):
            trail.append((item.label, item.url))
    return {"trail": trail}
