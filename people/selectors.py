"""Reads of people and invitations, scoped to the person asking: anyone out of reach
answers 404, as a missing one does."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django_otp import device_classes

from accounts.models import Organisation, SecurityEvent, User
from people.models import Invitation
from people.permissions import reachable_organisations, visible_people


def organisations_for_user(user: User, search: str = "") -> QuerySet[Organisation]:
    """The organisations whose people page the user may open, by kind and name."""
    organisations = Organisation.objects.filter(reachable_organisations(user))
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(abbreviation__iexact=search) | Q(slug__iexact=search)
        )
    return organisations.distinct().order_by("kind", "name").only("kind", "name", "slug")


def organisation_get_for_user(user: User, slug: str) -> Organisation:
    return get_object_or_404(organisations_for_user(user), slug=slug)


def _with_latest_invitation(people: QuerySet[User]) -> QuerySet[User]:
    return people.prefetch_related(
        Prefetch(
            "invitations",
            queryset=Invitation.objects.order_by("-sent_at", "-pk"),
            to_attr="invitations_newest_first",
        )
    )


def people_of_organisation(organisation: Organisation, viewer: User) -> list[User]:
    """Everyone placed in the organisation, with `latest_invitation`, `has_second_factor`
    (the same answer as django_otp.user_has_device, in one query per kind of device rather
    than per person) and `may_manage` (`people.manage_person` for the viewer, from its
    filter in one query)."""
    people = list(
        _with_latest_invitation(
            User.objects.filter(organisation=organisation).order_by("full_name", "email")
        )
    )
    with_device = users_with_second_factor(person.pk for person in people)
    managed = set(
        User.objects.filter(visible_people(viewer), organisation=organisation)
        .exclude(pk=viewer.pk)
        .values_list("pk", flat=True)
    )
    for person in people:
        person.may_manage = person.pk in managed  # type: ignore[attr-defined]
        invitations = person.invitations_newest_first  # type: ignore[attr-defined]
        person.latest_invitation = invitations[0] if invitations else None  # type: ignore[attr-defined]
        person.has_second_factor = person.pk in with_device  # type: ignore[attr-defined]
    return people


def users_with_second_factor(user_ids: Iterable[int]) -> set[int]:
    ids = list(user_ids)
    found: set[int] = set()
    if not ids:
        return found
    for model in device_classes():
        found.update(
            model.objects.filter(user_id__in=ids, confirmed=True).values_list("user_id", flat=True)
        )
    return found


def person_get_for_user(user: User, pk: int) -> User:
    """A person whose page the user may open; anyone else answers 404."""
    people = User.objects.filter(visible_people(user)).select_related("organisation__area")
    return get_object_or_404(people.distinct(), pk=pk)


def invitations_of(person: User) -> QuerySet[Invitation]:
    return Invitation.objects.filter(user=person).select_related(
        "organisation", "invited_by", "revoked_by"
    )


def invitation_get_for_user(user: User, pk: int) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("user"), pk=pk)
    # Found only through a person the user may see.
    person_get_for_user(user, invitation.user_id)
    return invitation


def security_events_of(person: User, limit: int = 25) -> list[SecurityEvent]:
    return list(
        SecurityEvent.objects.filter(subject=person)
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def history_of(person: User, limit: int = 25) -> list:
    records = person.history.select_related("history_user").order_by("-history_date")
    return list(records[:limit])
