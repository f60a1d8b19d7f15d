"""The service navigation, drawn from what the user may do."""

from dataclasses import dataclass

from django.urls import reverse

from dashboards.selectors import dashboard_url_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    section: str


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    items = [
        NavItem("Home", reverse("home"), "home"),
        NavItem("Agreements", reverse("agreements:list"), "agreements"),
        NavItem("Indicators", reverse("indicators:list"), "indicators"),
        NavItem("Register of decisions", reverse("freedoms:register"), "register"),
    ]
    if user.has_perm("accounts.view_directory"):
        items.append(NavItem("Areas", reverse("accounts:area_list"), "areas"))
    if user.has_perm("indicators.manage_rounds"):
        items.append(NavItem("Rounds", reverse("indicators:round_list"), "rounds"))
    if user.has_perm("people.view_people"):
        items.append(NavItem("People", reverse("people:index"), "people"))
    if user.has_perm("jobs.run_exports"):
        items.append(NavItem("Exports", reverse("jobs:exports_index"), "exports"))
    if user.has_perm("dashboards.view_any") and (url := dashboard_url_for(user)):
        items.append(NavItem("Dashboard", url, "dashboards"))
    return items
