"""Reading the sign-off chain: who must sign at each step, who has, and whose turn it is."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from accounts.models import Organisation
from agreements.stages import Stage, is_editable
from partners.models import Partnership
from signoff.models import STEP_PHRASES, Signature, SignOff, StepKind
from signoff.permissions import signer


@dataclass
class Signatory:
    """One organisation that must sign at a step, and its signature once made."""

    organisation: Organisation
    partnership: Partnership | None = None
    signature: Signature | None = None


@dataclass
class StepState:
    kind: str
    signatories: list[Signatory] = field(default_factory=list)
    is_current: bool = False

    @property
    def label(self) -> str:
        return StepKind(self.kind).label

    @property
    def phrase(self) -> str:
        return STEP_PHRASES[StepKind(self.kind)]

    @property
    def is_complete(self) -> bool:
        return all(s.signature is not None for s in self.signatories)

    @property
    def waiting_for(self) -> list[Signatory]:
        return [s for s in self.signatories if s.signature is None]


def open_sign_off(agreement) -> SignOff | None:
    return (
        agreement.sign_offs.filter(state=SignOff.State.OPEN)
        .select_related("version", "started_by")
        .first()
    )


def national_team() -> Organisation | None:
    return Organisation.objects.filter(kind=Organisation.Kind.NATIONAL_TEAM).order_by("pk").first()


def chains_for(agreements) -> dict[int, tuple[SignOff, list[StepState]]]:
    """The open run and its chain for each agreement in sign-off among `agreements`, in a
    fixed number of queries however many there are (`chain` reads one run at a time)."""
    in_sign_off = [a for a in agreements if a.stage == "in_sign_off"]
    if not in_sign_off:
        return {}
    ids = [a.pk for a in in_sign_off]
    runs = {
        run.agreement_id: run
        for run in SignOff.objects.filter(agreement_id__in=ids, state=SignOff.State.OPEN)
    }
    signatures = {
        (s.sign_off_id, s.step, s.organisation_id): s
        for s in Signature.objects.filter(
            sign_off__in=runs.values(), voided_at__isnull=True
        ).select_related("organisation")
    }
    area_ids = {a.area_id for a in in_sign_off}
    partners: dict[int, list[Partnership]] = {}
    for partnership in (
        Partnership.objects.filter(area_id__in=area_ids)
        .select_related("organisation")
        .order_by("organisation__name")
    ):
        partners.setdefault(partnership.area_id, []).append(partnership)
    # The areas' councils and the national team, in one query.
    councils, team = {}, None
    for organisation in Organisation.objects.filter(
        Q(area_id__in=area_ids, kind=Organisation.Kind.LOCALITY)
        | Q(kind=Organisation.Kind.NATIONAL_TEAM)
    ).order_by("pk"):
        if organisation.kind == Organisation.Kind.NATIONAL_TEAM:
            team = team or organisation
        else:
            councils[organisation.area_id] = organisation
    chains = {}
    for agreement in in_sign_off:
        run = runs.get(agreement.pk)
        if run is None:
            continue
        steps = []
        for kind in run.steps:
            signatories = _signatories(
                kind,
                agreement,
                partners.get(agreement.area_id, []),
                councils.get(agreement.area_id),
                team,
            )
            for signatory in signatories:
                signatory.signature = signatures.get((run.pk, kind, signatory.organisation.pk))
            steps.append(StepState(kind=kind, signatories=signatories))
        _mark_current(steps)
        chains[agreement.pk] = (run, steps)
    return chains


def _mark_current(steps: list[StepState]) -> None:
    for step in steps:
        if not step.is_complete:
            step.is_current = True
            break


def _signatories(kind: str, agreement, partnerships, council, team) -> list[Signatory]:
    if kind == StepKind.PARTNERS:
        return [Signatory(organisation=p.organisation, partnership=p) for p in partnerships]
    if kind == StepKind.COUNCIL:
        return [Signatory(organisation=council)] if council else []
    if kind == StepKind.GO:
        return [Signatory(organisation=agreement.area.government_office)]
    return [Signatory(organisation=team)] if team else []


def chain(sign_off: SignOff) -> list[StepState]:
    """Each step of the run in order, with its signatories and signatures; the first step
    not yet complete is the current one."""
    agreement = sign_off.agreement
    if sign_off.state != SignOff.State.OPEN:
        # A finished or void run is what was signed, whatever the area's partners are now.
        signed = list(sign_off.signatures.select_related("organisation", "recorded_by"))
        return [
            StepState(
                kind=kind,
                signatories=[
                    Signatory(organisation=s.organisation, signature=s)
                    for s in signed
                    if s.step == kind
                ],
            )
            for kind in sign_off.steps
        ]
    signatures = {
        (s.step, s.organisation_id): s
        for s in sign_off.signatures.filter(voided_at__isnull=True).select_related(
            "organisation", "recorded_by"
        )
    }
    area = agreement.area
    partnerships = list(
        area.partnerships.select_related("organisation").order_by("organisation__name")
    )
    council = area.organisations.filter(kind=Organisation.Kind.LOCALITY).first()
    team = national_team()
    steps = []
    for kind in sign_off.steps:
        signatories = _signatories(kind, agreement, partnerships, council, team)
        for signatory in signatories:
            signatory.signature = signatures.get((kind, signatory.organisation.pk))
        steps.append(StepState(kind=kind, signatories=signatories))
    if sign_off.state == SignOff.State.OPEN:
        _mark_current(steps)
    return steps


def current_step(steps: list[StepState]) -> StepState | None:
    return next((step for step in steps if step.is_current), None)


def signing_work(user, agreements, chains: dict | None = None) -> list[tuple]:
    """(agreement, step, signatory) for each signature this user may record now, from the
    agreements' chains (read here unless the caller has read them with `chains_for`)."""
    check = signer(user)
    work = []
    chains = chains if chains is not None else chains_for(agreements)
    for agreement_id, (_run, steps) in chains.items():
        step = current_step(steps)
        if step is None:
            continue
        agreement = next(a for a in agreements if a.pk == agreement_id)
        for signatory in step.waiting_for:
            if check(agreement, step.kind, signatory.organisation):
                work.append((agreement, step, signatory))
    return work


def signable_by(user, agreement, steps: list[StepState]) -> list[Signatory]:
    """The signatures this user may record now: only at the current step."""
    step = current_step(steps)
    if step is None:
        return []
    check = signer(user)
    return [s for s in step.waiting_for if check(agreement, step.kind, s.organisation)]


def whose_turn_in_sign_off(agreement, steps: list[StepState] | None = None) -> str:
    if steps is None:
        sign_off = open_sign_off(agreement)
        if sign_off is None:
            return "Signatories"
        steps = chain(sign_off)
    step = current_step(steps)
    if step is None:
        return "Signatories"
    names = ", ".join(s.organisation.name for s in step.waiting_for)
    return f"{step.label}: {names}"


def commitment_choices(content: dict, organisation_name: str) -> dict:
    """For a partner: every target and funding stream of the version, with what the
    partner is named as in each (lead, contributing, provider), so the form can show them
    and insist on the ones it leads or provides."""
    targets = []
    for target in content.get("targets", []):
        if target.get("lead_partner") == organisation_name:
            role = "lead"
        elif organisation_name in (target.get("contributing_partners") or []):
            role = "contributing"
        else:
            role = ""
        label = f"{target['code']}: {target['name']}" if target.get("code") else target["name"]
        targets.append({"key": target["key"], "label": label, "as": role})
    funding = []
    for entry in content.get("funding", []):
        role = "provider" if entry.get("provider") == organisation_name else ""
        funding.append({"key": entry["key"], "label": entry["stream"], "as": role})
    return {"targets": targets, "funding": funding}


def version_is_signed(agreement, version) -> bool:
    """Whether a completed sign-off signed this version: the agreement's signed version,
    or an older one that an amendment has since replaced."""
    if version.pk == agreement.signed_version_id:
        return True
    return SignOff.objects.filter(version=version, state=SignOff.State.COMPLETED).exists()


def sign_off_notices(agreement, run: SignOff | None) -> dict[str, bool]:
    """What the sign-off page says about where the agreement stands: whether an amendment
    to the signed version is being drafted, whether the signed version can be compared with
    a later one, and whether to warn that the last run was voided."""
    signed = agreement.signed_version_id is not None
    return {
        "amending": signed and is_editable(agreement.stage),
        "compare_with_signed": signed and agreement.stage != Stage.SIGNED,
        "void_warning": run is not None
        and run.state == SignOff.State.VOID
        and agreement.stage not in (Stage.IN_SIGN_OFF, Stage.SIGNED),
    }
