"""Moving an agreement through the workflow, and the conversation around it.

A transition is one transaction: lock the agreement, check the move against the workflow
table and the actor, change the stage, record who did it and why, and send notifications
only after the transaction commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, Role, User
from agreements.models import Agreement, AgreementFundingStream, NegotiationStatus, Target
from agreements.stages import Action, Stage
from core.errors import ConflictError, ServiceError
from core.people import department_people, go_people, locality_people
from core.statemachine import register_effect, run_effects
from core.text import lower_first
from core.working_days import add_working_days
from negotiations import readiness, registry, selectors
from negotiations.amendments import amendment_record, working_changes
from negotiations.models import (
    AmendmentReason,
    Comment,
    Referral,
    ReferralDraft,
    ReviewRating,
    StageChange,
    TargetView,
    Version,
)
from negotiations.versions import snapshot
from negotiations.workflow import (
    ANNOUNCE,
    REFER_TO_DEPARTMENTS,
    WORKFLOW,
    items_may_be_agreed,
    may_take,
    transition_for,
)
from notifications.services import notify

REFERRAL_WORKING_DAYS = 15


def _agreement_url(agreement: Agreement, name: str = "agreements:detail") -> str:
    return reverse(name, args=[agreement.round.slug, agreement.area.slug])


# --- Transitions -----------------------------------------------------------------------------


def agreement_transition(
    *, agreement: Agreement, actor: User, action: str, expected_stage: str, comment: str = ""
) -> StageChange | None:
    """Take `action`. Returns None when the agreement already left `expected_stage` (a double
    click, or two people pressing the same button): the first press did the work."""
    if not actor.has_perm("agreements.see_agreement", agreement):
        raise PermissionDenied
    with transaction.atomic():
        locked = (
            Agreement.objects.select_for_update()
            .select_related("area__government_office", "round")
            .get(pk=agreement.pk)
        )
        if locked.stage != expected_stage:
            last = locked.stage_changes.order_by("-created_at").first()
            if last is not None and last.action == action:
                return None
            raise ServiceError(
                f"The agreement is now {stage_phrase(locked.stage)}; reload the page."
            )
        transition = transition_for(locked.stage, action)
        if transition is None or not may_take(actor, locked, transition):
            raise PermissionDenied
        if transition.needs_comment and not comment.strip():
            raise ServiceError("Add a comment to explain this step.")
        reason = transition.blocked_reason(locked)
        if reason:
            raise ServiceError(reason)
        version = None
        if action == Action.SUBMIT:
            version = _freeze(locked, actor, reuse=False)
        elif action == Action.START_REVIEW:
            version = selectors.latest_version(locked)
        elif action == Action.START_SIGN_OFF:
            # What the signatories sign is exactly this version: the content as it stands,
            # per-item statuses included, locked from here on.
            version = _freeze(locked, actor, reuse=True)
        return apply_transition(
            agreement=locked,
            action=action,
            expected_stage=expected_stage,
            actor=actor,
            comment=comment.strip(),
            version=version,
        )


def apply_transition(
    *,
    agreement: Agreement,
    action: str,
    expected_stage: str,
    actor: User | None,
    by_portal: bool = False,
    comment: str = "",
    version: Version | None = None,
    change_reason: str = "",
    fields: dict | None = None,
) -> StageChange:
    """The one writer of an agreement's stage. Lock the row, check it is still at
    `expected_stage` and that the workflow has this move from there for the actor's role (or,
    `by_portal`, for the portal itself, with `actor` the person whose act set it off, if
    any), write the new stage (with `fields`, written in the same save), record the stage
    change, and run the effects the transition declares, all in one transaction.

    Whether this person is party to the agreement and the transition's conditions are the
    caller's to check first: `agreement_transition` for people's buttons."""
    with transaction.atomic():
        stage = (
            Agreement.objects.select_for_update()
            .filter(pk=agreement.pk)
            .values_list("stage", flat=True)
            .get()
        )
        if stage != expected_stage or agreement.stage != stage:
            raise ServiceError(f"The agreement is now {stage_phrase(stage)}; reload the page.")
        transition = transition_for(stage, action)
        if transition is None:
            raise PermissionDenied
        if by_portal:
            if not WORKFLOW.allows_portal(stage, transition):
                raise PermissionDenied
        elif actor is None or not WORKFLOW.allows(actor.role, stage, transition):
            raise PermissionDenied
        change = StageChange.objects.create(
            agreement=agreement,
            action=action,
            from_stage=stage,
            to_stage=transition.target,
            actor=actor,
            comment=comment,
            version=version,
        )
        agreement.stage = transition.target
        for name, value in (fields or {}).items():
            setattr(agreement, name, value)
        agreement._history_user = actor
        agreement._change_reason = change_reason or Action(action).label
        agreement.save(update_fields=["stage", *(fields or {}), "updated_at"])
        run_effects(transition, agreement, change)
    return change


def _freeze(agreement: Agreement, actor: User, *, reuse: bool) -> Version:
    """A new immutable version of the agreement's content; with `reuse`, the latest version
    serves if nothing in it differs."""
    content = snapshot(agreement)
    if agreement.signed_version_id is not None:
        content["amendment"] = amendment_record(agreement, content)
    latest = selectors.latest_version(agreement)
    if reuse and latest is not None and latest.content == content:
        return latest
    return Version.objects.create(
        agreement=agreement,
        number=(latest.number if latest else 0) + 1,
        content=content,
        created_by=actor,
    )


def lead_departments(agreement: Agreement):
    """The departments whose field the agreement touches: each target's indicator's lead."""
    return (
        Organisation.objects.filter(
            kind=Organisation.Kind.DEPARTMENT,
            lead_indicators__targets__agreement=agreement,
        )
        .distinct()
        .order_by("abbreviation")
    )


def _refer_to_departments(agreement: Agreement, actor: User) -> list[Referral]:
    version = selectors.latest_version(agreement)
    if version is None:  # only a submitted agreement is referred, so it has a version
        raise ServiceError("The agreement has no submitted version to refer.")
    due_on = add_working_days(timezone.localdate(), REFERRAL_WORKING_DAYS)
    referrals = []
    for department in lead_departments(agreement):
        referral, _ = Referral.objects.get_or_create(
            agreement=agreement,
            department=department,
            version=version,
            defaults={"referred_by": actor, "due_on": due_on},
        )
        referrals.append(referral)
        # A department asked again about a newer version owes one answer, not two: the
        # older question, if still open, is withdrawn in favour of this one, and the
        # department is told, as with any withdrawal.
        superseded = Referral.objects.filter(
            agreement=agreement,
            department=department,
            answered_at__isnull=True,
            withdrawn_at__isnull=True,
        ).exclude(pk=referral.pk)
        for older in superseded:
            referral_withdraw(
                referral=older,
                actor=actor,
                reason=f"Superseded by the referral of version {version.number}.",
            )
    return referrals


def stage_phrase(stage: str) -> str:
    """A stage's label inside a sentence: "submitted to GO", "in GO review"."""
    label = Stage(stage).label
    return label[0].lower() + label[1:]


def _notify_transition(agreement: Agreement, change: StageChange) -> list:
    action = Action(change.action)
    if action == Action.SUBMIT:
        audience = go_people(agreement)
    elif action == Action.REFER:
        latest = selectors.latest_version(agreement)
        audience = department_people(
            Organisation.objects.filter(
                referrals__agreement=agreement, referrals__version=latest
            ).distinct()
        )
    else:
        audience = locality_people(agreement)
    body = (
        f"{change.actor.get_full_name() if change.actor else 'The portal'}: "
        f"{lower_first(action.label)} "
        f"for the {agreement.round} agreement of {agreement.area}.\n"
        f"It is now {stage_phrase(agreement.stage)}."
    )
    if change.comment and action != Action.REFER:
        body += f"\n\nComment: {change.comment}"
    return notify(
        users=audience,
        subject=f"{agreement.area}: {agreement.get_stage_display()}",
        body=body,
        url=_agreement_url(agreement, "negotiations:negotiation"),
    )


def _announce(agreement: Agreement, change: StageChange) -> None:
    """A person's move is announced to whoever acts next. The portal's own moves (taking
    an agreement back when its content changed during sign-off) are explained by their
    other effects."""
    if change.actor is not None:
        change.notified = _notify_transition(agreement, change)


def _refer(agreement: Agreement, change: StageChange) -> None:
    if change.actor is None:  # referring is a person's move; the portal never makes it
        raise PermissionDenied
    _refer_to_departments(agreement, change.actor)


def register_effects() -> None:
    """What the workflow's effects carried out by negotiations do (see `apps.py`)."""
    register_effect(ANNOUNCE, _announce)
    register_effect(REFER_TO_DEPARTMENTS, _refer)


# --- Comments --------------------------------------------------------------------------------

MENTION = re.compile(r"@([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def comment_add(
    *,
    agreement: Agreement,
    actor: User,
    body: str,
    visibility: str,
    kind: str = Comment.Kind.COMMENT,
    section: str = Comment.Section.AGREEMENT,
    target: Target | None = None,
    funding: AgreementFundingStream | None = None,
    parent: Comment | None = None,
) -> Comment:
    if not body.strip():
        raise ServiceError("Write the comment.")
    allowed = selectors.writable_visibilities(actor, agreement)
    if parent is not None:
        if parent.agreement_id != agreement.pk or parent.parent_id is not None:
            raise ServiceError("You can only reply to a comment on this agreement.")
        if (
            parent.visibility not in selectors.visible_comment_kinds(actor, agreement)
            or not allowed
        ):
            raise PermissionDenied
        visibility, kind = parent.visibility, Comment.Kind.COMMENT
        section, target, funding = parent.section, parent.target, parent.funding
    elif visibility not in allowed:
        raise PermissionDenied
    if kind != Comment.Kind.COMMENT and not actor.has_perm(
        "negotiations.negotiate_agreement", agreement
    ):
        raise ServiceError(
            "Only the Government Office makes suggestions, challenges and required changes."
        )
    if target is not None and target.agreement_id != agreement.pk:
        raise ServiceError("That target belongs to another agreement.")
    if funding is not None and funding.agreement_id != agreement.pk:
        raise ServiceError("That funding stream belongs to another agreement.")
    with transaction.atomic():
        comment = Comment.objects.create(
            agreement=agreement,
            parent=parent,
            body=body.strip(),
            visibility=visibility,
            kind=kind,
            section=section,
            target=target,
            funding=funding,
            author=actor,
        )
        readers = _readers(agreement, visibility)
        mentioned = [
            user
            for user in User.objects.filter(email__in=[m.lower() for m in MENTION.findall(body)])
            if user.pk in readers
        ]
        comment.mentions.set(mentioned)
        # Only a challenge the locality can read changes the status the locality sees.
        if (
            kind in (Comment.Kind.CHALLENGE, Comment.Kind.REQUIRED_CHANGE)
            and visibility == Comment.Visibility.LOCALITY
        ):
            for item in (target, funding):
                if item is not None:
                    type(item).objects.filter(pk=item.pk).update(
                        status=NegotiationStatus.CHALLENGED
                    )
        _notify_comment(agreement, comment, mentioned)
    return comment


def _readers(agreement: Agreement, visibility: str) -> set[int]:
    people = list(go_people(agreement)) + list(User.objects.filter(role=Role.ADMIN))
    if visibility == Comment.Visibility.LOCALITY:
        people += locality_people(agreement)
    if visibility == Comment.Visibility.DEPARTMENTS:
        people += department_people(
            Organisation.objects.filter(referrals__agreement=agreement).distinct()
        )
    return {user.pk for user in people}


def _notify_comment(agreement: Agreement, comment: Comment, mentioned: list[User]) -> None:
    url = (
        _agreement_url(agreement, "negotiations:negotiation")
        + f"#comment-{comment.parent_id or comment.pk}"
    )
    author = comment.author.get_full_name() if comment.author else "A former user"
    if mentioned:
        notify(
            users=[u for u in mentioned if u != comment.author],
            subject=f"{author} mentioned you on {agreement.area}'s agreement",
            body=comment.body,
            url=url,
        )
    if (
        comment.parent_id is None
        and comment.kind in (Comment.Kind.CHALLENGE, Comment.Kind.REQUIRED_CHANGE)
        and comment.visibility == Comment.Visibility.LOCALITY
    ):
        notify(
            users=[u for u in locality_people(agreement) if u not in mentioned],
            subject=(
                f"{comment.get_kind_display()} on {agreement.area}'s agreement: "
                f"{comment.anchor_label}"
            ),
            body=comment.body,
            url=url,
        )
    elif comment.parent is not None:
        thread = [comment.parent.author, *[r.author for r in comment.parent.replies.all()]]
        readers = _readers(agreement, comment.visibility)
        notify(
            users=[
                u
                for u in thread
                if u and u != comment.author and u.pk in readers and u not in mentioned
            ],
            subject=f"{author} replied on {agreement.area}'s agreement",
            body=comment.body,
            url=url,
        )


def comment_resolve(*, comment: Comment, actor: User, resolution: str) -> Comment:
    agreement = comment.agreement
    if not comment.needs_resolution:
        raise ServiceError("Only suggestions, challenges and required changes are resolved.")
    if comment.visibility not in selectors.visible_comment_kinds(actor, agreement):
        raise PermissionDenied
    if resolution not in Comment.Resolution.values:
        raise PermissionDenied
    if not actor.has_perm("negotiations.close_comment", comment):
        if actor.has_perm("negotiations.propose_closing_comment", comment):
            raise ServiceError(
                "Only the Government Office, which raised this, can close it. Answer it and "
                "propose closing it instead."
            )
        raise PermissionDenied
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.resolution:
            return locked
        locked.resolution = resolution
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["resolution", "resolved_by", "resolved_at", "updated_at"])
    return locked


# --- Review, statuses, referrals ------------------------------------------------------------


def _require_go(actor: User, agreement: Agreement) -> None:
    if not actor.has_perm("negotiations.negotiate_agreement", agreement):
        raise PermissionDenied


def _stamp(moment) -> str:
    return moment.isoformat() if moment else ""


def view_stamp(view: TargetView | None) -> str:
    """The stamp of a saved view a form carries, to tell whether it changed meanwhile."""
    return _stamp(view.updated_at if view else None)


def review_checklist_seen(agreement: Agreement) -> str:
    """A stamp of the checklist as it stands, carried by the form that edits it."""
    latest = agreement.review_ratings.order_by("-updated_at").values_list("updated_at", flat=True)
    return _stamp(latest.first())


def review_rule_errors(
    entries: dict[str, tuple[str, str]], *, require_one: bool = True
) -> list[ServiceError]:
    """The checklist's rules, each naming the form field it is about: a note goes with a
    rating, and a save rates at least one criterion (saving nothing would only look like
    progress)."""
    labels = dict(ReviewRating.Criterion.choices)
    errors = [
        ServiceError(
            f"Choose a rating for {lower_first(labels[criterion])}, or remove the note",
            field=f"{criterion}_rating",
        )
        for criterion, (rating, note) in entries.items()
        if note.strip() and not rating
    ]
    if require_one and not errors and not any(rating for rating, _ in entries.values()):
        first = ReviewRating.Criterion.choices[0][0]
        errors.append(
            ServiceError("Rate at least one criterion before saving", field=f"{first}_rating")
        )
    return errors


def review_checklist_save(
    *, agreement: Agreement, actor: User, entries: dict[str, tuple[str, str]], seen: str
) -> None:
    """Save the GO's ratings and notes; refuse, saving nothing, if someone else saved the
    checklist since this person opened it."""
    _require_go(actor, agreement)
    for error in review_rule_errors(entries):
        raise error
    if agreement.stage not in (Stage.IN_REVIEW, Stage.REFERRED):
        raise ServiceError("The checklist is filled in during the GO's review.")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if review_checklist_seen(locked) != seen:
            raise ConflictError(current=locked)
        for criterion, (rating, note) in entries.items():
            item = ReviewRating.objects.filter(agreement=locked, criterion=criterion).first()
            item = item or ReviewRating(agreement=locked, criterion=criterion)
            item.rating, item.note, item.reviewer = rating, note, actor
            item._history_user = actor
            item.save()


def caveat_field(item: Target | AgreementFundingStream) -> str:
    """Where an item's caveat is written: a target's caveats, a funding entry's conditions."""
    return "caveats" if isinstance(item, Target) else "conditions"


def item_status_set(
    *,
    item: Target | AgreementFundingStream,
    actor: User,
    expected_version: int,
    status: str,
    reason: str = "",
    caveat: str = "",
):
    """Set an item's status, refusing if its content changed since the GO saw it."""
    agreement = item.agreement
    _require_go(actor, agreement)
    if status not in NegotiationStatus.values:
        raise ServiceError("Choose a status.")
    caveat = caveat.strip()
    field = caveat_field(item)
    with transaction.atomic():
        stage = Agreement.objects.select_for_update().get(pk=agreement.pk).stage
        if stage in (Stage.IN_SIGN_OFF, Stage.SIGNED):
            raise ServiceError(
                "The agreement's content is locked for signature; statuses cannot change now."
            )
        # Only the status changes: whatever the locality is editing is left alone.
        locked = type(item).objects.select_for_update().get(pk=item.pk)
        if locked.version != expected_version:
            raise ConflictError(current=locked)
        fields = ["status", "updated_at"]
        if status == NegotiationStatus.AGREED_WITH_CAVEAT:
            if not caveat and not getattr(locked, field).strip():
                raise ServiceError("Give the caveat the item is agreed with.")
            if caveat and caveat != getattr(locked, field).strip():
                # The caveat becomes part of the item's content: a locality's edit begun
                # before it is refused as stale rather than overwriting it.
                setattr(locked, field, caveat)
                locked.version += 1
                fields += [field, "version"]
        locked.status = status
        locked._history_user = actor
        locked._change_reason = (
            reason
            or f"Status: {NegotiationStatus(status).label}" + (f": {caveat}" if caveat else "")
        )[:100]
        locked.save(update_fields=fields)
    return locked


def target_view_set(
    *,
    referral: Referral,
    actor: User,
    target: Target,
    opinion: str,
    comment: str = "",
    seen: str | None = None,
) -> TargetView:
    if not actor.has_perm("negotiations.answer_referral", referral):
        raise PermissionDenied
    if target.agreement_id != referral.agreement_id:
        raise ServiceError("That target belongs to another agreement.")
    if referral_is_closed(referral):
        raise ServiceError("This referral is closed.")
    if opinion in (TargetView.Opinion.OBJECT, TargetView.Opinion.CONCERNS) and not comment.strip():
        raise ServiceError("Say why, so that the Government Office can take it up.")
    with transaction.atomic():
        view = (
            TargetView.objects.select_for_update()
            .filter(referral=referral, target=target)
            .order_by("pk")
            .first()
        )
        if seen is not None and _stamp(view.updated_at if view else None) != seen:
            # A colleague in the same department saved a view since this page was opened.
            raise ConflictError(current=view)
        view = view or TargetView(referral=referral, target=target)
        view.opinion, view.comment, view.official = opinion, comment.strip(), actor
        view._history_user = actor
        view.save()
    return view


def referral_answer(*, referral: Referral, actor: User, summary: str = "") -> Referral:
    if not actor.has_perm("negotiations.answer_referral", referral):
        raise PermissionDenied
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.answered_at is not None:
            return locked
        if referral_is_closed(locked):
            raise ServiceError("This referral is closed.")
        _answer_locked(locked, actor=actor, summary=summary)
    return locked


def _answer_locked(locked: Referral, *, actor: User, summary: str) -> None:
    """Send the views of a referral, locked and open, to the GO."""
    if not locked.views.exists():
        raise ServiceError("Give a view on at least one target first.")
    locked.answered_at, locked.answered_by, locked.summary = (
        timezone.now(),
        actor,
        summary.strip(),
    )
    locked.save(update_fields=["answered_at", "answered_by", "summary", "updated_at"])
    agreement = locked.agreement
    notify(
        users=go_people(agreement),
        subject=f"{locked.department.short_name} has answered on {agreement.area}'s agreement",
        body=summary or "Their views on the targets in their field are in the portal.",
        url=_agreement_url(agreement, "negotiations:negotiation"),
    )


@dataclass(frozen=True)
class ViewAnswer:
    """A department's view on one target, as the referral's form gives it: `seen` is the
    stamp of the saved view the official read ("" for none yet)."""

    target: Target
    opinion: str
    comment: str = ""
    seen: str | None = None


class ViewsConflictError(ConflictError):
    """Colleagues saved views on some of these targets since the form was read: the
    targets with the view saved now (None if it was removed). Nothing was saved."""

    def __init__(self, conflicts: list[tuple[Target, TargetView | None]]):
        self.conflicts = conflicts
        super().__init__(current=conflicts[0][1] if conflicts else None)


def view_answer_error(answer: ViewAnswer) -> str | None:
    """Why a view cannot be saved as given, or None."""
    if answer.opinion not in TargetView.Opinion.values:
        return f"Choose support, support with concerns or object for {answer.target.code}"
    if answer.opinion in (TargetView.Opinion.OBJECT, TargetView.Opinion.CONCERNS) and not (
        answer.comment.strip()
    ):
        code = answer.target.code
        if answer.opinion == TargetView.Opinion.OBJECT:
            return f"Say why you object to {code}, so that the Government Office can take it up"
        return f"Say why you have concerns about {code}, so the Government Office can take it up"
    return None


def referral_views_save(
    *,
    referral: Referral,
    actor: User,
    answers: list[ViewAnswer],
    send: bool = False,
    summary: str = "",
) -> Referral:
    """Save a department's views on many targets of a referral at once, and send them to the
    GO if asked, in one transaction. Each view is checked against the stamp the official
    read: if a colleague saved any of them since, nothing is saved
    (`ViewsConflictError` names them all). The official's draft goes once they are saved."""
    if not actor.has_perm("negotiations.answer_referral", referral):
        raise PermissionDenied
    if referral_is_closed(referral):
        raise ServiceError("This referral is closed.")
    for answer in answers:
        if answer.target.agreement_id != referral.agreement_id:
            raise ServiceError("That target belongs to another agreement.")
        if error := view_answer_error(answer):
            raise ServiceError(error)
    if send and not answers and not referral.views.exists():
        raise ServiceError("Give a view on at least one target first.")
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if referral_is_closed(locked):
            raise ServiceError("This referral is closed.")
        saved = {
            view.target_id: view
            for view in TargetView.objects.select_for_update()
            .filter(referral=locked, target__in=[answer.target.pk for answer in answers])
            .order_by("pk")  # the default ordering would join the (nullable) indicator
        }
        conflicts = [
            (answer.target, saved.get(answer.target.pk))
            for answer in answers
            if answer.seen is not None
            and _stamp(view.updated_at if (view := saved.get(answer.target.pk)) else None)
            != answer.seen
        ]
        if conflicts:
            raise ViewsConflictError(conflicts)
        for answer in answers:
            view = saved.get(answer.target.pk)
            comment = answer.comment.strip()
            if view is not None and (view.opinion, view.comment) == (answer.opinion, comment):
                continue  # unchanged: no new history row
            view = view or TargetView(referral=locked, target=answer.target)
            view.opinion, view.comment, view.official = answer.opinion, comment, actor
            view._history_user = actor
            view.save()
        if send:
            _answer_locked(locked, actor=actor, summary=summary)
        ReferralDraft.objects.filter(referral=locked, author=actor).delete()
    return locked


def referral_draft_save(
    *, referral: Referral, actor: User, answers: dict[str, dict[str, str]], summary: str = ""
) -> ReferralDraft:
    """Keep what an official has typed into a referral's form, not yet saved as views:
    {target id: {"opinion", "comment", "seen"}}."""
    if not actor.has_perm("negotiations.answer_referral", referral):
        raise PermissionDenied
    if referral_is_closed(referral):
        raise ServiceError("This referral is closed.")
    # A draft keeps what was typed as far as the database can hold it: a NUL character
    # (which no text column or JSON value holds) is left out; sending refuses it clearly.
    answers = {
        str(key).replace("\x00", ""): {
            str(name).replace("\x00", ""): str(value).replace("\x00", "")
            for name, value in fields.items()
        }
        for key, fields in answers.items()
    }
    draft, _ = ReferralDraft.objects.update_or_create(
        referral=referral,
        author=actor,
        defaults={"answers": answers, "summary": summary.replace("\x00", "")},
    )
    return draft


def referral_is_closed(referral: Referral) -> bool:
    """A referral takes views until it is answered or withdrawn, whatever the stage, up to
    agreement in principle (which needs it settled)."""
    return referral.is_settled or referral.agreement.stage in (
        Stage.AGREED_IN_PRINCIPLE,
        Stage.IN_SIGN_OFF,
        Stage.SIGNED,
    )


def referral_withdraw(*, referral: Referral, actor: User, reason: str) -> Referral:
    """The GO no longer needs a department's answer: it says why, and the referral leaves
    the department's work."""
    agreement = referral.agreement
    _require_go(actor, agreement)
    if not reason.strip():
        raise ServiceError("Give the reason for withdrawing the referral.")
    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update()
            .select_related("department")
            .get(pk=referral.pk, agreement=agreement)
        )
        if locked.is_withdrawn:
            return locked
        if locked.is_answered:
            raise ServiceError(
                f"{locked.department.short_name} has already answered; the answer stands."
            )
        locked.withdrawn_at, locked.withdrawn_by = timezone.now(), actor
        locked.withdrawal_reason = reason.strip()
        locked.save(
            update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
        )
        notify(
            users=department_people([locked.department]),
            subject=f"{agreement.area}'s Government Office has withdrawn its referral",
            body=locked.withdrawal_reason,
            url=_agreement_url(agreement, "negotiations:negotiation"),
        )
    return locked


def comment_propose_closing(*, comment: Comment, actor: User) -> Comment:
    """The locality, having answered a challenge, proposes that it be closed; the side that
    raised it decides."""
    agreement = comment.agreement
    if comment.visibility not in selectors.visible_comment_kinds(actor, agreement):
        raise PermissionDenied
    if not actor.has_perm("negotiations.propose_closing_comment", comment):
        raise PermissionDenied
    if not comment.needs_resolution:
        raise ServiceError("Only suggestions, challenges and required changes are closed.")
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.resolution or locked.closing_proposed_at:
            return locked
        locked.closing_proposed_at, locked.closing_proposed_by = timezone.now(), actor
        locked.save(update_fields=["closing_proposed_at", "closing_proposed_by", "updated_at"])
        notify(
            users=[locked.author] if locked.author else go_people(agreement),
            subject=f"{agreement.area} proposes closing a {lower_first(locked.get_kind_display())}",
            body=f"{actor.get_full_name()} proposes closing it: {locked.anchor_label}.",
            url=_agreement_url(agreement, "negotiations:negotiation") + f"#comment-{locked.pk}",
        )
    return locked


def comments_keep_anchor(*, target: Target) -> int:
    """Before a target is removed, the comments about it keep its label and the last
    version that held it, so the conversation still says what it was about."""
    label = f"Target {target.indicator.code}" if target.indicator else target.name
    anchored = Comment.objects.filter(target_id=target.pk)
    if not anchored.exists():
        return 0
    last = None
    for version in target.agreement.versions.order_by("-number").iterator():
        if any(entry.get("id") == target.pk for entry in version.content.get("targets", [])):
            last = version
            break
    return anchored.update(anchor_label_kept=label[:400], anchor_version=last)


AGREED_WITH_THE_REST = "Agreed with the remaining items by {name}"
CARRIED_TO_REFRESH = "Carried to the refresh by {name}"


def items_agree_remaining(*, agreement: Agreement, actor: User, seen: str) -> tuple[int, int]:
    """Agree every target and funding entry not yet in a final status, except a refused one
    (see readiness.items_to_agree), and carry every open submitted request to the refresh:
    exactly what the confirmation page listed, or nothing if anything changed since.
    Returns how many items were agreed and requests carried."""
    _require_go(actor, agreement)
    name = actor.get_full_name()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if not items_may_be_agreed(locked.stage):
            raise ServiceError("The remaining items are agreed during the GO's review.")
        items = readiness.items_to_agree(locked)
        requests = list(readiness.requests_not_settled(locked))
        if readiness.fingerprint(items, requests) != seen:
            raise ConflictError(current=locked)
        models: dict[str, type[Target] | type[AgreementFundingStream]] = {
            "target": Target,
            "funding": AgreementFundingStream,
        }
        for item in items:
            row = models[item.kind].objects.select_for_update().get(pk=item.pk)
            row.status = NegotiationStatus.AGREED
            row.version += 1
            row._history_user = actor
            row._change_reason = AGREED_WITH_THE_REST.format(name=name)[:100]
            row.save(update_fields=["status", "version", "updated_at"])
        now = timezone.now()
        for request in requests:
            registry.requests().carry_to_refresh(
                request, actor=actor, when=now, reason=CARRIED_TO_REFRESH.format(name=name)[:100]
            )
        if items or requests:
            notify(
                users=locality_people(locked),
                subject=f"{locked.area}: the remaining items are agreed",
                body=(
                    f"{name} agreed {len(items)} remaining item{'s' if len(items) != 1 else ''}"
                    + (
                        f" and carried {len(requests)} open freedoms "
                        f"request{'s' if len(requests) != 1 else ''} to the refresh."
                        if requests
                        else "."
                    )
                ),
                url=_agreement_url(locked, "negotiations:outstanding"),
            )
    return len(items), len(requests)


# --- Amendments ------------------------------------------------------------------------------


def amendment_reasons_save(
    *, agreement: Agreement, actor: User, reasons: dict[str, str]
) -> list[AmendmentReason]:
    """Save the reason for each change of an amendment, keyed as `amended_items` keys them.
    A blank reason removes the one given before."""
    if not actor.has_perm("agreements.see_agreement", agreement):
        raise PermissionDenied
    if not actor.has_perm("agreements.edit_draft", agreement):
        raise ServiceError("Only the locality gives reasons, while the amendment is a draft.")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.signed_version_id is None or locked.stage not in (
            Stage.DRAFTING,
            Stage.RETURNED,
        ):
            raise ServiceError("Reasons are given for an amendment to a signed agreement.")
        keys = {item.key for item in working_changes(locked)}
        saved = []
        for key, reason in reasons.items():
            if key not in keys:
                continue
            existing = AmendmentReason.objects.filter(
                agreement=locked, base_version_id=locked.signed_version_id, key=key
            ).first()
            if not reason.strip():
                if existing:
                    existing.delete()
                continue
            existing = existing or AmendmentReason(
                agreement=locked, base_version_id=locked.signed_version_id, key=key
            )
            existing.reason, existing.given_by = reason.strip(), actor
            existing._history_user = actor
            existing.save()
            saved.append(existing)
    return saved
