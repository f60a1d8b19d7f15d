"""Who may draft, move, answer and read freedoms and flexibilities requests, as `rules`
predicates. The object is the request, unless the name says otherwise (drafting asks of
the agreement; the brief and the directory of a department)."""

import rules
from django.db.models import Q

from accounts.models import Role
from accounts.permissions import (
    is_admin,
    is_coordinator,
    is_government,
    is_negotiator,
    is_official,
    is_partner,
)
from agreements.models import Agreement
from agreements.permissions import (
    can_view,
    is_areas_coordinator,
    is_areas_government_office,
    is_drafter,
    visible_agreements,
)
from freedoms.lifecycle import STEPS, Move, State
from freedoms.models import PolicyOwner

# The locality may edit its request while it is its own to change.
EDITABLE = frozenset({State.DRAFT, State.MORE_INFORMATION})
# A request awaiting an answer may be linked as the same as another.
AWAITING_ANSWER = frozenset({State.WITH_GO, State.WITH_DEPARTMENT, State.ON_HOLD})


@rules.predicate
def coordinates_requests_area(user, request) -> bool:
    return request is not None and is_areas_coordinator.test(user, request.agreement)


@rules.predicate
def is_requests_government_office(user, request) -> bool:
    return request is not None and is_areas_government_office.test(user, request.agreement)


@rules.predicate
def is_requests_department(user, request) -> bool:
    return (
        request is not None
        and request.department_id is not None
        and request.department_id == user.organisation_id
    )


@rules.predicate
def drafts_for_requests_area(user, request) -> bool:
    return request is not None and is_drafter.test(user, request.agreement)


@rules.predicate
def sees_requests_agreement(user, request) -> bool:
    return request is not None and can_view.test(user, request.agreement)


@rules.predicate
def is_editable(user, request) -> bool:
    return request is not None and request.state in EDITABLE


@rules.predicate
def is_awaiting_answer(user, request) -> bool:
    return request is not None and request.state in AWAITING_ANSWER


@rules.predicate
def is_relayed(user, request) -> bool:
    return request is not None and request.state == State.RELAYED


@rules.predicate
def is_own_department(user, department) -> bool:
    return department is not None and user.organisation_id == department.pk


@rules.predicate
def leads_department(user, department) -> bool:
    return (
        department is not None
        and PolicyOwner.objects.filter(department=department, user=user, is_laa_lead=True).exists()
    )


# Each side of a request, by the role a lifecycle step names.
PARTIES = {
    Role.COORDINATOR: is_coordinator & coordinates_requests_area,
    Role.NEGOTIATOR: is_negotiator & is_requests_government_office,
    Role.OFFICIAL: is_official & is_requests_department,
}
# The GO and the department the request is with answer it (and link duplicates).
answers_request = PARTIES[Role.NEGOTIATOR] | PARTIES[Role.OFFICIAL]
is_locality = is_coordinator | is_partner


def _may_make(step):
    @rules.predicate(name=f"may_{step.move}")
    def in_source_state(user, request) -> bool:
        return request is not None and request.state in step.sources

    party = rules.always_deny
    for role in sorted(step.roles):
        party = party | PARTIES[role]
    return in_source_state & party


def move_permission(move: str) -> str:
    """The permission to make a move of the lifecycle: `freedoms.<move>_request`."""
    return f"freedoms.{move}_request"


# One permission per move, from the lifecycle's table: the request is in a state the move
# starts from, and the person is the party the move names. A move taken from two states
# (there is none yet) would join its steps.
_MOVES: dict = {}
for _step in STEPS:
    _MOVES[_step.move] = _MOVES.get(_step.move, rules.always_deny) | _may_make(_step)
for _move in Move:
    rules.add_perm(move_permission(_move), _MOVES.get(_move, rules.always_deny))

rules.add_perm("freedoms.draft_request", is_drafter)  # the object is the agreement
rules.add_perm("freedoms.edit_request", drafts_for_requests_area & is_editable)
rules.add_perm("freedoms.link_request", answers_request & is_awaiting_answer)
# The locality hears the answer when the GO relays it.
rules.add_perm("freedoms.see_outcome", ~is_locality | is_relayed)
# A department reaches the requests routed to it, wherever their agreement is.
rules.add_perm("freedoms.see_routed_requests", is_official)
# Figures and overdue lists count answers not yet relayed and other areas' open requests.
rules.add_perm("freedoms.see_overdue", is_government)
rules.add_perm("freedoms.see_figures", is_government)
rules.add_perm("freedoms.see_brief", is_government)
# A department's part of the brief is its officials' (object: the department); the
# national team's part (no department) an admin's.
rules.add_perm("freedoms.write_brief", is_admin | (is_official & is_own_department))
rules.add_perm("freedoms.read_brief_on_request", is_negotiator)
# A department's LAA lead names who owns each topic (object: the department).
rules.add_perm("freedoms.name_policy_owner", is_admin | leads_department)


def moves_open_to(user, request) -> list:
    """The lifecycle's steps this person may take on the request now: the buttons to draw."""
    return [step for step in STEPS if user.has_perm(move_permission(step.move), request)]


# --- Lists of requests. Each permission below has a query of the same rule, for lists;
# a test holds each query to its permission over the demo data.

# Who sees a request: the department it is routed to, wherever its agreement is; anyone
# else who sees its agreement.
rules.add_perm(
    "freedoms.see_request",
    (is_official & is_requests_department) | (~is_official & sees_requests_agreement),
)


def visible_requests(user) -> Q:
    """`freedoms.see_request` as a filter (`freedoms.selectors.requests_for_agreement`)."""
    if is_official.test(user):
        return Q(department_id=user.organisation_id)
    return Q(agreement__in=Agreement.objects.filter(visible_agreements(user)).values("pk"))


# Who follows a request that is late: the GO of its area, the department it waits on, and
# the national team.
rules.add_perm("freedoms.follow_late_request", answers_request | is_admin)


def followed_requests(user) -> Q:
    """`freedoms.follow_late_request` as a filter (`freedoms.selectors.overdue`)."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if is_admin.test(user):
        return Q()
    if is_negotiator.test(user):
        return Q(agreement__area__government_office_id=user.organisation_id)
    if is_official.test(user):
        return Q(department_id=user.organisation_id)
    return Q(pk__in=[])


# A request awaits a person when they may make the move that answers it: the GO triages
# or relays, the department answers, the coordinator sends the information asked for.
# (Submitting a draft, and asking, holding and resuming, are not awaited.)
AWAITED_MOVES = (Move.DECIDE, Move.REFER, Move.RELAY, Move.ANSWER, Move.PROVIDE)
_awaits = rules.always_deny
for _move in AWAITED_MOVES:
    _awaits = _awaits | _MOVES[_move]
rules.add_perm("freedoms.act_on_request", _awaits)


def awaited_requests(user) -> Q:
    """`freedoms.act_on_request` as a filter (`portal.work.request_work`)."""
    if not (user.is_authenticated and user.is_active) or user.organisation_id is None:
        return Q(pk__in=[])
    if is_official.test(user):
        return Q(department_id=user.organisation_id, state=State.WITH_DEPARTMENT)
    if is_negotiator.test(user):
        return Q(
            agreement__area__government_office_id=user.organisation_id,
            state__in=[State.WITH_GO, State.ANSWERED],
        )
    if is_coordinator.test(user) and user.organisation.area_id is not None:
        return Q(agreement__area_id=user.organisation.area_id, state=State.MORE_INFORMATION)
    return Q(pk__in=[])
