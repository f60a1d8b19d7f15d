"""Sign-off pages: the chain and its record, signing, amendment reasons, round chains."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import permission_or_404
from accounts.models import Organisation
from agreements.selectors import agreement_for_edit, agreement_get_for_user
from core.errors import ServiceError
from indicators.models import Round
from negotiations import confirmation
from negotiations import services as negotiation_services
from negotiations.amendments import reasons_for, working_changes
from signoff import forms, permissions, selectors, services
from signoff.models import STEP_PHRASES, SignOff, StepKind


def _agreement(request, round_slug, area_slug):
    return agreement_get_for_user(request.user, round_slug=round_slug, area_slug=area_slug)


def _url(agreement, name: str = "sign_off", *args) -> str:
    return reverse(f"signoff:{name}", args=[agreement.round.slug, agreement.area.slug, *args])


def sign_off(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    runs = list(
        agreement.sign_offs.select_related("version", "started_by", "voided_by").order_by(
            "-created_at"
        )
    )
    current = runs[0] if runs else None
    steps = selectors.chain(current) if current else []
    return render(
        request,
        "signoff/sign_off.html",
        {
            "agreement": agreement,
            "run": current,
            "steps": steps,
            "signable": selectors.signable_by(request.user, agreement, steps),
            "current_step": selectors.current_step(steps),
            "void_runs": [r for r in runs if r.state == SignOff.State.VOID],
            "signed_version": agreement.signed_version,
            **selectors.sign_off_notices(agreement, current),
            "perms_edit": request.user.has_perm("agreements.edit_draft", agreement),
            "confirmation": confirmation.take(request, agreement),
            "planned_steps": [
                STEP_PHRASES[StepKind(k)]
                for k in (
                    agreement.round.refresh_steps
                    if agreement.signed_version_id
                    else agreement.round.signing_steps
                )
            ],
        },
    )


def sign(request, round_slug: str, area_slug: str, step: str, organisation_pk: int):
    agreement = _agreement(request, round_slug, area_slug)
    if step not in StepKind.values:
        raise Http404
    organisation = get_object_or_404(Organisation, pk=organisation_pk)
    if not permissions.may_sign_for(request.user, agreement, step, organisation):
        raise Http404
    run = selectors.open_sign_off(agreement)
    if run is None:
        messages.info(request, "The agreement is not collecting signatures now.")
        return redirect(_url(agreement))
    steps = selectors.chain(run)
    signatory = next(
        (
            s
            for step_state in steps
            if step_state.kind == step
            for s in step_state.signatories
            if s.organisation.pk == organisation.pk
        ),
        None,
    )
    if signatory is None:
        raise Http404
    choices = (
        selectors.commitment_choices(run.version.content, organisation.name)
        if step == StepKind.PARTNERS
        else None
    )
    status = 200
    if request.method == "POST":
        form = forms.SignatureForm(request.POST, step=step, choices=choices)
        if form.is_valid() and CHANGE not in request.POST and CHECKED not in request.POST:
            # Check your answers: what the signatory is about to sign, before it is signed.
            return render(
                request,
                "signoff/sign_check.html",
                {
                    "agreement": agreement,
                    "run": run,
                    "step": StepKind(step),
                    "organisation": organisation,
                    "statement": services.statement_for(step, organisation, agreement, run.version),
                    "answers": _answers(form),
                    "carried": [
                        (name, value)
                        for name, values in request.POST.lists()
                        if name not in ("csrfmiddlewaretoken", CHANGE, CHECKED)
                        for value in values
                    ],
                    "CHANGE": CHANGE,
                    "CHECKED": CHECKED,
                },
            )
        if form.is_valid() and CHECKED in request.POST:
            data = form.cleaned_data
            try:
                signature = services.signature_record(
                    agreement=agreement,
                    actor=request.user,
                    step=step,
                    organisation=organisation,
                    version_number=data["version_number"],
                    fields=services.SignatureFields(
                        signatory_name=data["signatory_name"],
                        signatory_role=data["signatory_role"],
                        signed_on=data["signed_on"],
                        targets=data.get("targets", []),
                        funding=data.get("funding", []),
                        meeting=data.get("meeting", ""),
                        minute_reference=data.get("minute_reference", ""),
                        regional_director=data.get("regional_director", ""),
                        vcs_confirmed=data.get("vcs_confirmed", False),
                    ),
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ServiceError as error:
                # Someone signed, or the version changed, since the page was drawn.
                form.add_error(None, str(error))
                status = 409
            else:
                _remember_signature(request, agreement, signature, organisation)
                return redirect(_url(agreement))
    else:
        initial = {"version_number": run.version.number, "signed_on": timezone.localdate()}
        own = request.user.organisation_id == organisation.pk
        if own and step != StepKind.MINISTER:
            initial["signatory_name"] = request.user.get_full_name()
        if choices:
            initial["targets"] = [c["key"] for c in choices["targets"] if c["as"]]
            initial["funding"] = [c["key"] for c in choices["funding"] if c["as"]]
        form = forms.SignatureForm(initial=initial, step=step, choices=choices)
    return render(
        request,
        "signoff/sign.html",
        {
            "agreement": agreement,
            "run": run,
            "form": form,
            "step": StepKind(step),
            "organisation": organisation,
            "statement": services.statement_for(step, organisation, agreement, run.version),
            "on_behalf": step == StepKind.PARTNERS
            and request.user.organisation_id != organisation.pk,
            "waiting": selectors.current_step(steps),
        },
        status=status,
    )


# The check-your-answers page posts the answers back with one of these.
CHANGE = "change_answers"
CHECKED = "answers_checked"


def _answers(form) -> list[tuple[str, str]]:
    """The form's answers as the summary list shows them, in the form's order."""
    rows = []
    for name, field in form.fields.items():
        if field.widget.is_hidden or name == "confirm":
            continue
        value = form.cleaned_data.get(name)
        if isinstance(value, bool):
            shown = "Yes" if value else "No"
        elif isinstance(value, list):
            labels = dict(getattr(field, "choices", []))
            shown = "\n".join(str(labels.get(v, v)) for v in value) or "None"
        elif hasattr(value, "strftime"):
            shown = f"{value:%-d %B %Y}"
        else:
            shown = str(value or "") or "Not given"
        rows.append((str(field.label), shown))
    return rows


def _remember_signature(request, agreement, signature, organisation) -> None:
    steps = selectors.chain(selectors.open_sign_off(agreement) or signature.sign_off)
    waiting = selectors.current_step(steps)
    agreement.refresh_from_db(fields=["stage", "signed_version"])
    if agreement.signed_version_id:
        next_steps = [
            f"That was the last signature: version {signature.version.number} is now the "
            "published agreement, and its signed PDF can be downloaded."
        ]
    elif waiting is not None:
        names = ", ".join(s.organisation.name for s in waiting.waiting_for)
        next_steps = [f"Sign-off now waits for {waiting.phrase}: {names}."]
    else:
        next_steps = []
    confirmation.remember(
        request,
        agreement=agreement,
        title=f"Signature recorded for {organisation.name}",
        body=f"Version {signature.version.number}, signed by {signature.signatory_name}, "
        f"{signature.signatory_role}",
        next_steps=next_steps,
        notifications=signature.notified,
    )


def amendment(request, round_slug: str, area_slug: str):
    agreement = agreement_for_edit(request.user, round_slug=round_slug, area_slug=area_slug)
    if agreement.signed_version_id is None:
        raise Http404
    items = working_changes(agreement)
    form = forms.AmendmentReasonsForm(
        request.POST or None, items=items, reasons=reasons_for(agreement)
    )
    if request.method == "POST" and form.is_valid():
        try:
            negotiation_services.amendment_reasons_save(
                agreement=agreement, actor=request.user, reasons=form.reasons()
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The reasons have been saved.")
            return redirect(_url(agreement, "amendment"))
    return render(
        request,
        "signoff/amendment.html",
        {"agreement": agreement, "form": form, "items": items},
    )


@permission_or_404("indicators.manage_rounds")
def round_chains(request, slug: str):
    round_ = get_object_or_404(Round, slug=slug)
    form = forms.ChainsForm(request.POST or None, initial=forms.ChainsForm.initial_for(round_))
    if request.method == "POST" and form.is_valid():
        try:
            services.round_chains_set(
                round=round_,
                actor=request.user,
                signing=form.cleaned_data["signing"],
                refresh=form.cleaned_data["refresh"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The sign-off chains have been saved.")
            return redirect(reverse("signoff:round_chains", args=[round_.slug]))
    return render(
        request,
        "signoff/round_chains.html",
        {
            "round": round_,
            "form": form,
            "signing": [StepKind(k).label for k in round_.signing_steps],
            "refresh": [StepKind(k).label for k in round_.refresh_steps],
        },
    )


@require_POST
@permission_or_404("indicators.manage_rounds")
def round_refresh(request, slug: str):
    round_ = get_object_or_404(Round, slug=slug)
    if request.POST.get("open") not in ("yes", "no"):
        raise Http404
    if request.POST.get("open") == "yes":
        services.round_refresh_open(round=round_, actor=request.user)
        messages.success(request, "The refresh is open: signed agreements can be amended.")
    else:
        services.round_refresh_close(round=round_, actor=request.user)
        messages.success(request, "The refresh is closed.")
    return redirect(reverse("signoff:round_chains", args=[round_.slug]))
