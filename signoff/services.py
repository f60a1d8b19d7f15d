"""Collecting signatures over one frozen version, in the round's order.

Sign-off starts when the Government Office moves an agreement that is agreed in principle
into sign-off (`negotiations.services.agreement_transition`): the content is frozen into a
version and locked. Each signature is recorded against that version, in the chain's order.
Taking the agreement back to change it voids the run and every signature in it, and says
so; so does any change found in the content when the next signature is recorded. The last
signature signs the agreement: its version becomes the signed, published one, and its
targets the agreement's rows of the signed targets table (`agreements.SignedTarget`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from agreements.models import Agreement
from agreements.services import signed_targets_record
from agreements.stages import Action, Stage
from core.errors import ServiceError
from core.people import (
    area_coordinators,
    coordinators,
    go_people,
    locality_people,
    national_admins,
    partner_people,
)
from core.statemachine import register_effect
from negotiations.amendments import agreed_content
from negotiations.models import StageChange, Version
from negotiations.services import apply_transition
from negotiations.versions import snapshot
from negotiations.workflow import START_SIGN_OFF, VOID_SIGNATURES
from notifications.services import notify
from signoff import permissions, selectors
from signoff.models import Signature, SignOff, StepKind


class ContentChanged(Exception):
    pass


@dataclass
class SignatureFields:
    signatory_name: str
    signatory_role: str
    signed_on: date
    # Partners: keys of the targets committed to and the funding consented to.
    targets: list[str] = field(default_factory=list)
    funding: list[str] = field(default_factory=list)
    # Council: the meeting that adopted it and its minute. GO: the Regional Director and
    # their confirmation that the voluntary and community sector was involved.
    meeting: str = ""
    minute_reference: str = ""
    regional_director: str = ""
    vcs_confirmed: bool = False


def _url(agreement: Agreement) -> str:
    return reverse("signoff:sign_off", args=[agreement.round.slug, agreement.area.slug])


def statement_for(kind: str, organisation: Organisation, agreement: Agreement, version) -> str:
    """The words each signatory signs, naming the organisation, agreement and version."""
    title = (
        f"the {agreement.area.name} Local Area Agreement, {agreement.round.name}, "
        f"version {version.number}"
    )
    if kind == StepKind.PARTNERS:
        return (
            f"On behalf of {organisation.name}, I sign off its inclusion as a partner in {title}, "
            "its commitment to the targets listed with this signature and its consent to the "
            "funding listed with this signature."
        )
    if kind == StepKind.COUNCIL:
        return f"The elected members of {organisation.name} adopted {title}."
    if kind == StepKind.GO:
        return (
            f"{organisation.name} recommends {title} for signature. The Regional Director "
            "confirms that the voluntary and community sector was involved in preparing it."
        )
    return f"Signed on behalf of the Secretary of State: {title}."


def _signed_terms(content: dict) -> dict:
    """What the signatories agreed to, without labels that live in the catalogue (a
    national indicator's title, the area's name): correcting those is not a change."""
    terms = agreed_content(content)
    terms.pop("area", None)
    terms["targets"] = [
        {key: value for key, value in target.items() if not (key == "name" and target["code"])}
        for target in terms.get("targets", [])
    ]
    return terms


def content_unchanged(agreement: Agreement, version: Version) -> bool:
    return _signed_terms(snapshot(agreement)) == _signed_terms(version.content)


def _people_for_step(agreement: Agreement, step: selectors.StepState) -> list[User]:
    if step.kind == StepKind.PARTNERS:
        waiting = [s.organisation for s in step.waiting_for]
        return [*partner_people(agreement, waiting), *area_coordinators(agreement)]
    if step.kind == StepKind.COUNCIL:
        return area_coordinators(agreement)
    if step.kind == StepKind.GO:
        return go_people(agreement)
    return national_admins()


def _notify_next(agreement: Agreement, sign_off: SignOff) -> list:
    step = selectors.current_step(selectors.chain(sign_off))
    if step is None:
        return []
    names = ", ".join(s.organisation.name for s in step.waiting_for)
    return notify(
        users=_people_for_step(agreement, step),
        subject=f"{agreement.area}: waiting for {step.phrase}",
        body=(
            f"The {agreement.round} agreement of {agreement.area} (version "
            f"{sign_off.version.number}) is waiting for {step.phrase}: {names}."
        ),
        url=_url(agreement),
    )


def sign_off_start(*, agreement: Agreement, version: Version, actor: User | None) -> SignOff:
    """Called inside the transition to sign-off, with the agreement's row locked."""
    amending = agreement.signed_version_id is not None
    steps = list(agreement.round.refresh_steps if amending else agreement.round.signing_steps)
    sign_off = SignOff.objects.create(
        agreement=agreement,
        version=version,
        purpose=SignOff.Purpose.AMENDMENT if amending else SignOff.Purpose.SIGNING,
        steps=steps,
        started_by=actor,
    )
    chain = selectors.chain(sign_off)
    # An area may name no partners, but every other step needs its signatory, and the
    # chain as a whole at least one: an agreement is never signed by nobody.
    empty = [s for s in chain if not s.signatories and s.kind != StepKind.PARTNERS]
    if empty or not any(s.signatories for s in chain):
        raise ServiceError(
            f"Sign-off cannot start: no one can sign for {empty[0].phrase if empty else 'it'}."
        )
    _notify_next(agreement, sign_off)
    return sign_off


def sign_off_void(*, agreement: Agreement, actor: User | None, reason: str) -> SignOff | None:
    """Void the open run and every signature in it, keeping the rows, and tell everyone who
    signed. Called with the agreement's row locked."""
    sign_off = agreement.sign_offs.select_for_update().filter(state=SignOff.State.OPEN).first()
    if sign_off is None:
        return None
    now = timezone.now()
    signatures = list(
        sign_off.signatures.filter(voided_at__isnull=True).select_related("recorded_by")
    )
    sign_off.state = SignOff.State.VOID
    sign_off.voided_at, sign_off.voided_by, sign_off.void_reason = now, actor, reason
    sign_off.save(update_fields=["state", "voided_at", "voided_by", "void_reason", "updated_at"])
    sign_off.signatures.filter(voided_at__isnull=True).update(voided_at=now)
    count = len(signatures)
    notify(
        users=[
            *[s.recorded_by for s in signatures],
            *locality_people(agreement),
            *go_people(agreement),
        ],
        subject=f"{agreement.area}: sign-off withdrawn, signatures void",
        body=(
            f"Sign-off of the {agreement.round} agreement of {agreement.area} (version "
            f"{sign_off.version.number}) was withdrawn so that it can be changed. "
            f"{count} signature{'s' if count != 1 else ''} already made "
            f"{'are' if count != 1 else 'is'} void; signing starts again on the new version."
            f"\n\nReason: {reason}"
        ),
        url=_url(agreement),
    )
    return sign_off


def _start(agreement: Agreement, change: StageChange) -> None:
    if change.version is None:  # the move to sign-off always names the version it signs
        raise ServiceError("The agreement has no version to sign.")
    sign_off_start(agreement=agreement, version=change.version, actor=change.actor)


def _void(agreement: Agreement, change: StageChange) -> None:
    sign_off_void(agreement=agreement, actor=change.actor, reason=change.comment)


def register_effects() -> None:
    """What the workflow's sign-off effects do (see `apps.py`)."""
    register_effect(START_SIGN_OFF, _start)
    register_effect(VOID_SIGNATURES, _void)


def _send_back_changed(agreement: Agreement) -> None:
    """The content no longer matches the version being signed: the portal takes the
    agreement back from sign-off, which voids the run and every signature in it."""
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.stage != Stage.IN_SIGN_OFF:
            return
        sign_off = selectors.open_sign_off(locked)
        apply_transition(
            agreement=locked,
            action=Action.WITHDRAW_FROM_SIGN_OFF,
            expected_stage=Stage.IN_SIGN_OFF,
            actor=None,  # the portal sent it back, as the stage change says
            by_portal=True,
            comment=(
                "The agreement's content changed after sign-off started, so the signatures "
                "no longer match it."
            ),
            version=sign_off.version if sign_off else None,
            change_reason="Content changed during sign-off",
        )


def _validated(kind: str, fields: SignatureFields, sign_off: SignOff, organisation) -> dict:
    """Check the fields for this step; return the commitments and details to record."""
    if not fields.signatory_name.strip():
        raise ServiceError("Enter the signatory's name.")
    if not fields.signatory_role.strip():
        raise ServiceError("Enter the signatory's role.")
    if fields.signed_on > timezone.localdate():
        raise ServiceError("The date signed cannot be in the future.")
    if fields.signed_on < timezone.localtime(sign_off.created_at).date():
        raise ServiceError(
            "The date signed cannot be before sign-off of this version started "
            f"({timezone.localtime(sign_off.created_at):%-d %B %Y})."
        )
    commitments: list[dict[str, str]] = []
    details: dict[str, str | bool] = {}
    if kind == StepKind.PARTNERS:
        choices = selectors.commitment_choices(sign_off.version.content, organisation.name)
        for group, chosen, required_as, noun in (
            ("target", fields.targets, "lead", "target"),
            ("funding", fields.funding, "provider", "funding stream"),
        ):
            items = choices["targets" if group == "target" else "funding"]
            known = {item["key"] for item in items}
            unknown = set(chosen) - known
            if unknown:
                raise ServiceError(f"That {noun} is not in the version being signed.")
            missing = [
                i["label"] for i in items if i["as"] == required_as and i["key"] not in chosen
            ]
            if missing:
                verb = "leads" if group == "target" else "provides"
                raise ServiceError(
                    f"{organisation.name} {verb} {', '.join(missing)}: commit to "
                    f"{'it' if len(missing) == 1 else 'them'}, or ask for the agreement to be "
                    "taken back from sign-off and changed."
                )
            for item in items:
                if item["key"] in chosen:
                    commitments.append(
                        {
                            "kind": group,
                            "key": item["key"],
                            "label": item["label"],
                            "as": item["as"] or "supporting",
                        }
                    )
    elif kind == StepKind.COUNCIL:
        if not fields.meeting.strip():
            raise ServiceError("Enter the meeting at which the council adopted the agreement.")
        details = {"meeting": fields.meeting.strip(), "minute": fields.minute_reference.strip()}
    elif kind == StepKind.GO:
        if not fields.regional_director.strip():
            raise ServiceError("Enter the Regional Director's name.")
        if not fields.vcs_confirmed:
            raise ServiceError(
                "The Regional Director must confirm that the voluntary and community sector "
                "was involved."
            )
        details = {"regional_director": fields.regional_director.strip(), "vcs_confirmed": True}
    return {"commitments": commitments, "details": details}


def signature_record(
    *,
    agreement: Agreement,
    actor: User,
    step: str,
    organisation: Organisation,
    version_number: int,
    fields: SignatureFields,
) -> Signature:
    """Record one signature on the version the signatory saw (`version_number`)."""
    try:
        with transaction.atomic():
            locked = (
                Agreement.objects.select_for_update()
                .select_related("area__government_office", "round")
                .get(pk=agreement.pk)
            )
            sign_off = selectors.open_sign_off(locked)
            if locked.stage != Stage.IN_SIGN_OFF or sign_off is None:
                raise ServiceError("The agreement is not in sign-off now; reload the page.")
            if not permissions.may_sign_for(actor, locked, step, organisation):
                raise PermissionDenied
            if sign_off.version.number != version_number:
                raise ServiceError(
                    f"Signatures are now being collected on version {sign_off.version.number}, "
                    f"not version {version_number}: read it before signing."
                )
            if not content_unchanged(locked, sign_off.version):
                raise ContentChanged
            steps = selectors.chain(sign_off)
            current = selectors.current_step(steps)
            if current is None or current.kind != step:
                waiting = current.phrase if current else "nothing"
                raise ServiceError(f"Sign-off goes in order: it is waiting for {waiting} first.")
            if not any(s.organisation.pk == organisation.pk for s in current.waiting_for):
                raise ServiceError(f"{organisation.name} has already signed at this step.")
            recorded = _validated(step, fields, sign_off, organisation)
            signature = Signature.objects.create(
                sign_off=sign_off,
                step=step,
                version=sign_off.version,
                organisation=organisation,
                signatory_name=fields.signatory_name.strip(),
                signatory_role=fields.signatory_role.strip(),
                signed_on=fields.signed_on,
                statement=statement_for(step, organisation, locked, sign_off.version),
                recorded_by=actor,
                **recorded,
            )
            if selectors.current_step(selectors.chain(sign_off)) is None:
                signature.notified = _complete(locked, sign_off, actor)
            else:
                signature.notified = _notify_next(locked, sign_off)
    except ContentChanged:
        _send_back_changed(agreement)
        raise ServiceError(
            "The agreement changed after sign-off started, so it has been sent back and every "
            "signature is void. It will be signed again on a new version."
        ) from None
    return signature


def _complete(agreement: Agreement, sign_off: SignOff, actor: User) -> list:
    """The last signature signs the agreement: the portal takes the workflow's signing
    transition, and the version signed becomes the published one."""
    now = timezone.now()
    sign_off.state, sign_off.completed_at = SignOff.State.COMPLETED, now
    sign_off.save(update_fields=["state", "completed_at", "updated_at"])
    apply_transition(
        agreement=agreement,
        action=Action.SIGN,
        expected_stage=Stage.IN_SIGN_OFF,
        actor=actor,
        by_portal=True,
        version=sign_off.version,
        change_reason=f"Signed: version {sign_off.version.number}",
        fields={"signed_version": sign_off.version, "signed_at": now},
    )
    # In the same transaction: the signed targets table holds the version now published.
    signed_targets_record(agreements=[agreement])
    signers = [s.recorded_by for s in sign_off.signatures.select_related("recorded_by")]
    return notify(
        users=[*locality_people(agreement), *go_people(agreement), *signers],
        subject=f"{agreement.area}: agreement signed",
        body=(
            f"The {agreement.round} agreement of {agreement.area} is signed: version "
            f"{sign_off.version.number} is now the published agreement."
        ),
        url=_url(agreement),
    )


# --- Round configuration -----------------------------------------------------------------


def _check_steps(steps: list[str], label: str) -> list[str]:
    if not steps:
        raise ServiceError(f"The {label} chain needs at least one step.")
    if len(set(steps)) != len(steps):
        raise ServiceError(f"Each step can appear once in the {label} chain.")
    unknown = [s for s in steps if s not in StepKind.values]
    if unknown:
        raise ServiceError(f"Unknown step in the {label} chain.")
    return list(steps)


def round_chains_set(*, round, actor: User, signing: list[str], refresh: list[str]):
    if not actor.has_perm("indicators.manage_rounds"):
        raise PermissionDenied
    round.signing_steps = _check_steps(signing, "signing")
    round.refresh_steps = _check_steps(refresh, "refresh")
    round._history_user = actor
    round._change_reason = "Sign-off chains changed"
    round.save(update_fields=["signing_steps", "refresh_steps", "updated_at"])
    return round


def round_refresh_open(*, round, actor: User):
    if not actor.has_perm("indicators.manage_rounds"):
        raise PermissionDenied
    if round.refresh_opened_at is not None:
        return round
    round.refresh_opened_at, round.refresh_opened_by = timezone.now(), actor
    round._history_user = actor
    round._change_reason = "Refresh opened"
    round.save(update_fields=["refresh_opened_at", "refresh_opened_by", "updated_at"])
    signed = Agreement.objects.filter(round=round, stage=Stage.SIGNED).select_related("area")
    notify(
        users=coordinators([a.area for a in signed]),
        subject=f"{round}: refresh open",
        body=(
            f"The national team has opened the refresh of the {round} agreements. A signed "
            "agreement can now be amended: new targets where baselines arrived, changed "
            "trajectories. Each change needs a reason, and the amendment is signed again."
        ),
        url=reverse("agreements:list"),
    )
    return round


def round_refresh_close(*, round, actor: User):
    if not actor.has_perm("indicators.manage_rounds"):
        raise PermissionDenied
    round.refresh_opened_at, round.refresh_opened_by = None, None
    round._history_user = actor
    round._change_reason = "Refresh closed"
    round.save(update_fields=["refresh_opened_at", "refresh_opened_by", "updated_at"])
    return round
