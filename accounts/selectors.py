"""Reads of people, organisations and areas, scoped to the user asking."""

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet, Window
from django.shortcuts import get_object_or_404

from accounts.models import Area, Organisation, User
from accounts.permissions import visible_areas


def areas_for_user(user: User) -> QuerySet[Area]:
    """The areas a user works in: their own area, the areas their GO covers, or those
    their partner organisation is named in. Departments and the national team work
    across all areas, so this is every area for them."""
    areas = Area.objects.select_related("government_office")
    # A partner's organisation may be named in an area more than once.
    return areas.filter(visible_areas(user)).distinct()


def first_areas_for_user(user: User, limit: int) -> tuple[Sequence[Area], int]:
    """The first `limit` areas the user works in, and how many there are, in one query."""
    areas = list(
        Area.objects.filter(pk__in=areas_for_user(user).values("pk"))
        .select_related("government_office")
        .annotate(total=Window(Count("pk")))[:limit]
    )
    return areas, areas[0].total if areas else 0


def area_get_for_user(user: User, slug: str) -> Area:
    """One area the user may see; any other answers 404, like a missing one."""
    return get_object_or_404(areas_for_user(user), slug=slug)


def government_offices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.GOVERNMENT_OFFICE).order_by("name")


def departments() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT).order_by("abbreviation")


def departments_active_in(round_) -> QuerySet[Organisation]:
    """Departments that existed during some of the round's years (dates as precise as the
    sources give them, compared by their leading year)."""
    start, end = str(round_.first_year), str(round_.first_year + round_.year_count)
    return departments().filter(
        Q(active_to="") | Q(active_to__gte=start), Q(active_from="") | Q(active_from__lte=end)
    )
