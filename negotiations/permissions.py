"""Who may take part in an agreement's negotiation, as `rules` predicates built from the
sides of an agreement in `agreements.permissions`.

Views, services and templates ask these permissions; `negotiations.selectors` turns the
comment permissions into the visibilities a person reads and writes."""

import rules
from django.db.models import Q

from accounts.models import Role
from accounts.permissions import (
    is_admin,
    is_coordinator,
    is_negotiator,
    is_official,
    is_partner,
)
from agreements.permissions import (
    department_referred,
    is_areas_go,
    is_locality_side,
    is_own_coordinator,
    is_party,
    partner_may_comment,
)
from negotiations.workflow import items_may_be_agreed


@rules.predicate
def stage_lets_items_be_agreed(user, agreement) -> bool:
    return agreement is not None and items_may_be_agreed(agreement.stage)


# --- Comments: the object is the comment; its side is decided on its agreement.


@rules.predicate
def is_go_of_comments_agreement(user, comment) -> bool:
    return comment is not None and is_areas_go.test(user, comment.agreement)


@rules.predicate
def coordinates_comments_agreement(user, comment) -> bool:
    return comment is not None and is_own_coordinator.test(user, comment.agreement)


@rules.predicate
def raised_by_the_go(user, comment) -> bool:
    """A challenge with no author left (a removed account) counts as the GO's."""
    return comment is not None and (
        comment.author is None or comment.author.role == Role.NEGOTIATOR
    )


@rules.predicate
def raised_by_the_national_team(user, comment) -> bool:
    return comment is not None and comment.author is not None and comment.author.role == Role.ADMIN


@rules.predicate
def raised_by_own_side(user, comment) -> bool:
    """The author had the same role in the same organisation."""
    author = comment.author if comment is not None else None
    return (
        author is not None
        and author.role == user.role
        and author.organisation_id == user.organisation_id
    )


# --- Referrals: the object is the referral.


@rules.predicate
def is_referred_department(user, referral) -> bool:
    return referral is not None and referral.department_id == user.organisation_id


# The area's GO runs the negotiation: the review checklist, the status of each item,
# referrals to departments, and suggestions, challenges and required changes.
rules.add_perm("negotiations.negotiate_agreement", is_areas_go)
rules.add_perm("negotiations.agree_items", is_areas_go & stage_lets_items_be_agreed)
# The GO and the national team oversee it: what departments said, what was last reviewed.
rules.add_perm("negotiations.oversee_agreement", is_admin | is_areas_go)
rules.add_perm(
    "negotiations.see_referrals", is_admin | is_areas_go | (is_official & department_referred)
)
# Who moves the agreement through its stages (each move also names its roles).
rules.add_perm("negotiations.move_agreement", is_party)

# Comments: who reads and writes each visibility.
rules.add_perm("negotiations.read_internal_comments", is_admin | is_areas_go)
rules.add_perm("negotiations.read_locality_comments", is_locality_side)
rules.add_perm("negotiations.read_department_comments", is_official & department_referred)
rules.add_perm("negotiations.write_internal_comments", is_areas_go)
rules.add_perm(
    "negotiations.write_locality_comments",
    is_own_coordinator | (is_partner & partner_may_comment),
)
rules.add_perm("negotiations.write_department_comments", is_official & department_referred)
# Only the side that raised a challenge closes it: the area's GO for a GO negotiator's
# challenge, the author's own side otherwise, and an admin for anyone's.
rules.add_perm(
    "negotiations.close_comment",
    is_admin
    | (raised_by_the_go & is_go_of_comments_agreement)
    | (~raised_by_the_go & ~raised_by_the_national_team & raised_by_own_side),
)
# The locality's coordinator, having answered a challenge, proposes closing it.
rules.add_perm(
    "negotiations.propose_closing_comment", is_coordinator & coordinates_comments_agreement
)
rules.add_perm("negotiations.answer_referral", is_official & is_referred_department)


def answerable_referrals(user) -> Q:
    """`negotiations.answer_referral` as a filter, for a department's list of work
    (`portal.work`): the referrals to the official's department."""
    if not (user.is_authenticated and user.is_active) or not is_official.test(user):
        return Q(pk__in=[])
    return Q(department_id=user.organisation_id)


def moved_agreements(user) -> Q:
    """`negotiations.move_agreement` as a filter on agreements, for the parties' list of
    work (`portal.work`): the coordinator's own area, the negotiator's GO's areas."""
    if not (user.is_authenticated and user.is_active) or user.organisation_id is None:
        return Q(pk__in=[])
    if is_coordinator.test(user):
        return Q(area__organisations=user.organisation_id)
    if is_negotiator.test(user):
        return Q(area__government_office_id=user.organisation_id)
    return Q(pk__in=[])
