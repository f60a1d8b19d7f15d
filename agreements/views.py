"""Drafting pages: fetch through a selector, call one service, redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.decorators import permission_or_404
from agreements import forms, importing, selectors, services, statutory
from agreements.assignment import AreaAssignForm
from agreements.completeness import completeness_problems, task_list
from agreements.conflicts import save_versioned
from agreements.history import target_changes
from agreements.models import Target
from agreements.presentation import TargetPresentation, typed_number
from core.errors import ServiceError
from core.pagination import page_context
from indicators.models import Round
from indicators.selectors import current_round
from partners.services import partner_add, representative_invite


def _url(agreement, name: str, *args) -> str:
    return reverse(f"agreements:{name}", args=[agreement.round.slug, agreement.area.slug, *args])


def _form_page(
    request,
    agreement,
    form,
    *,
    title: str,
    caption: str = "",
    back: str = "",
    intro: str = "",
    multipart: bool = False,
    status: int = 200,
    extra=None,
):
    context = {
        "agreement": agreement,
        "form": form,
        "title": title,
        "caption": caption,
        "back": back or _url(agreement, "detail"),
        "intro": intro,
        "multipart": multipart,
        **(extra or {}),
    }
    return render(request, "agreements/form_page.html", context, status=status)


def _saved(request, message: str, url: str):
    messages.success(request, message)
    return redirect(url)


def _can_edit(request, agreement) -> bool:
    return request.user.has_perm("agreements.edit_draft", agreement)


# --- Agreements ----------------------------------------------------------------------------


AGREEMENTS_PAGE_SIZE = 50


def agreement_list(request):
    user = request.user
    filters = selectors.AgreementFilters.from_query(request.GET)
    visible = selectors.agreements_visible_to(user)
    agreements = filters.apply(visible, user).order_by("-round__first_year", "area__name")
    round_ = current_round()
    own_area = user.organisation.area if user.organisation_id else None
    can_open_own = (
        round_ is not None
        and own_area is not None
        and user.has_perm("agreements.open_own")
        and not visible.filter(round=round_, area=own_area).exists()
    )
    page = Paginator(selectors.agreements_for_list(agreements), AGREEMENTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    choices = selectors.agreement_filter_choices(user)
    may_assign = user.has_perm("agreements.assign_areas")
    return render(
        request,
        "agreements/agreement_list.html",
        {
            **page_context(request, page),
            "agreements": selectors.agreement_rows(page.object_list),
            "filters": filters,
            "filter_words": filters.describe(user, choices) if filters.active else "",
            "filter_choices": choices,
            "round": round_,
            "can_open_own": can_open_own,
            "rounds": Round.objects.all() if user.has_perm("agreements.open_round") else [],
            "may_assign": may_assign,
            "colleagues": selectors.assignable_colleagues_for(user) if may_assign else [],
        },
    )


@permission_or_404("agreements.assign_areas")
def areas_assign(request):
    """A GO negotiator hands areas of their office to a colleague: from the ticked rows of
    the list of agreements, or on this page."""
    user = request.user
    form = AreaAssignForm(
        request.POST if request.method == "POST" else None,
        areas=selectors.assignable_areas_for(user),
        colleagues=selectors.assignable_colleagues_for(user),
        initial={"area": request.GET.getlist("area")},
    )
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not back.startswith("/"):
        back = reverse("agreements:list")
    if request.method == "POST":
        if form.areas_out_of_reach():
            raise Http404
        if form.is_valid():
            negotiator = form.cleaned_data["negotiator"]
            try:
                changed = services.areas_assign(
                    areas=form.cleaned_data["area"], negotiator=negotiator, actor=user
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                count = len(form.cleaned_data["area"])
                messages.success(
                    request,
                    f"{count} area{'s' if count != 1 else ''} assigned to "
                    f"{negotiator.full_name}"
                    + (f" ({changed} changed hands)." if changed != count else "."),
                )
                return redirect(back)
    return render(
        request,
        "agreements/assign.html",
        {
            "form": form,
            "back": back,
            "changes": selectors.assignment_changes_for(user),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def agreement_open_own(request):
    round_ = current_round()
    area = request.user.organisation.area if request.user.organisation_id else None
    if round_ is None or area is None or not request.user.has_perm("agreements.open_own"):
        raise Http404
    agreement, created = services.agreement_open(area=area, round=round_, actor=request.user)
    if created:
        messages.success(request, f"The {round_} agreement for {area} is open for drafting.")
    return redirect(_url(agreement, "detail"))


@require_POST
@permission_or_404("agreements.open_round")
def agreement_open_round(request, slug: str):
    round_ = get_object_or_404(Round, slug=slug)
    opened = services.agreements_open_for_round(round=round_, actor=request.user)
    messages.success(
        request, f"Opened {opened} agreement{'s' if opened != 1 else ''} for {round_}."
    )
    return redirect("agreements:list")


def agreement_detail(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    targets = selectors.targets_by_kind(agreement)
    funding = list(selectors.funding_for(agreement))
    themes = list(selectors.themes_with_outcomes(agreement))
    all_targets = [t for kind in targets.values() for t in kind]
    problems = completeness_problems(agreement, themes=themes, targets=all_targets, funding=funding)
    can_edit = _can_edit(request, agreement)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "themes": themes,
            **targets,
            "funding": funding,
            "problems": problems,
            "tasks": task_list(
                agreement,
                problems=problems,
                themes=themes,
                targets=all_targets,
                funding=funding,
                **selectors.task_list_counts(agreement),
                may_edit=can_edit,
            ),
            "can_edit": can_edit,
            "can_manage_partners": request.user.has_perm("agreements.manage_partners", agreement),
        },
    )


def narrative_edit(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    if request.method == "POST":
        form = forms.NarrativeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            response = save_versioned(
                request,
                agreement,
                form,
                lambda: services.agreement_update_narrative(
                    agreement=agreement,
                    actor=request.user,
                    expected_version=data["version"],
                    story_of_place=data["story_of_place"],
                    governance=data["governance"],
                    reason=data["reason"],
                ),
                rows=lambda current: [
                    ("Story of place", data["story_of_place"], current.story_of_place),
                    (
                        "Governance and performance management",
                        data["governance"],
                        current.governance,
                    ),
                ],
                retry=_url(agreement, "narrative"),
                done=lambda _: _saved(
                    request, "The narrative has been saved.", _url(agreement, "detail")
                ),
            )
            if response is not None:
                return response
    else:
        form = forms.NarrativeForm(
            initial={
                "story_of_place": agreement.story_of_place,
                "governance": agreement.governance,
                "version": agreement.version,
            }
        )
    return _form_page(request, agreement, form, title="Story of place and governance")


# --- Themes and outcomes -------------------------------------------------------------------


def themes(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    can_edit = _can_edit(request, agreement)
    theme_form = outcome_form = None
    if can_edit:
        theme_form = forms.ThemeAddForm(agreement=agreement)
        outcome_form = forms.OutcomeForm(agreement=agreement)
        if request.method == "POST":
            if "theme" in request.POST:
                theme_form = forms.ThemeAddForm(request.POST, agreement=agreement)
                if theme_form.is_valid():
                    services.agreement_theme_add(
                        agreement=agreement,
                        actor=request.user,
                        theme=theme_form.cleaned_data["theme"],
                    )
                    messages.success(request, f"{theme_form.cleaned_data['theme']} has been added.")
                    return redirect(_url(agreement, "themes"))
            else:
                outcome_form = forms.OutcomeForm(request.POST, agreement=agreement)
                if outcome_form.is_valid():
                    data = outcome_form.cleaned_data
                    services.outcome_create(
                        agreement=agreement,
                        actor=request.user,
                        agreement_theme=data["agreement_theme"],
                        title=data["title"],
                        description=data["description"],
                    )
                    messages.success(request, "The outcome has been added.")
                    return redirect(_url(agreement, "themes"))
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "agreements/themes.html",
        {
            "agreement": agreement,
            "themes": selectors.themes_with_outcomes(agreement),
            "theme_form": theme_form,
            "outcome_form": outcome_form,
            "can_edit": can_edit,
        },
    )


def outcome_edit(request, round_slug: str, area_slug: str, pk: int):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    outcome = selectors.outcome_get(agreement, pk)
    if request.method == "POST":
        form = forms.OutcomeEditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            response = save_versioned(
                request,
                agreement,
                form,
                lambda: services.outcome_update(
                    outcome=outcome,
                    actor=request.user,
                    expected_version=data["version"],
                    title=data["title"],
                    description=data["description"],
                    reason=data["reason"],
                ),
                rows=lambda current: [
                    ("Outcome", data["title"], current.title),
                    ("Description", data["description"], current.description),
                ],
                retry=request.path,
                done=lambda _: _saved(
                    request, "The outcome has been saved.", _url(agreement, "themes")
                ),
            )
            if response is not None:
                return response
    else:
        form = forms.OutcomeEditForm(
            initial={
                "title": outcome.title,
                "description": outcome.description,
                "version": outcome.version,
            }
        )
    return _form_page(
        request,
        agreement,
        form,
        title="Edit outcome",
        caption=outcome.agreement_theme.theme.name,
        back=_url(agreement, "themes"),
    )


# --- Targets -------------------------------------------------------------------------------


def target_list(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    return render(
        request,
        "agreements/target_list.html",
        {
            "agreement": agreement,
            "targets": selectors.target_presentations(agreement),
            "can_edit": _can_edit(request, agreement),
            "designated_full": selectors.designated_targets_full(agreement),
        },
    )


def target_add(request, round_slug: str, area_slug: str, kind: str):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    if kind not in (Target.Kind.DESIGNATED, Target.Kind.LOCAL):
        raise Http404
    if (
        kind == Target.Kind.DESIGNATED
        and request.method != "POST"
        and selectors.designated_targets_full(agreement)
    ):
        # Said before the form, not after it is filled. A form sent when the cap was
        # reached meanwhile is refused by the service and shown again as typed.
        return render(
            request,
            "agreements/target_cap.html",
            {"agreement": agreement, "back": _url(agreement, "targets")},
        )
    q = request.GET.get("q", "")[:200] if kind == Target.Kind.DESIGNATED else ""
    if request.method == "POST":
        form = forms.TargetForm(request.POST, agreement=agreement, kind=kind)
        if form.is_valid():
            try:
                target = services.target_create(
                    agreement=agreement,
                    actor=request.user,
                    kind=kind,
                    fields=form.target_fields(),
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(request, f"{target.code} has been added.")
                return redirect(_url(agreement, "targets"))
    else:
        form = forms.TargetForm(agreement=agreement, kind=kind, q=q)
    title = "Add a designated target" if kind == Target.Kind.DESIGNATED else "Add a local target"
    return render(
        request,
        "agreements/target_form.html",
        {
            "agreement": agreement,
            "form": form,
            "title": title,
            "kind": kind,
            "q": q,
            "back": _url(agreement, "targets"),
        },
    )


def target_detail(request, round_slug: str, area_slug: str, pk: int):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    target = selectors.target_get(agreement, pk)
    return render(
        request,
        "agreements/target_detail.html",
        {
            "agreement": agreement,
            "target": target,
            "shown": TargetPresentation.from_target(target, agreement.round.years),
            "can_edit": _can_edit(request, agreement),
        },
    )


def _target_rows(form, target, current):
    """Field by field: what the person tried to save, and what is saved now."""
    fields = form.target_fields()
    rows = [
        (
            "Baseline",
            fields.baseline_value,
            typed_number(current.baseline_value, current.baseline_places),
        ),
        ("Baseline year", fields.baseline_year, current.baseline_year),
        ("Baseline due on", fields.baseline_due_on, current.baseline_due_on),
        ("Target in words", fields.statement, current.statement),
    ]
    years = target.agreement.round.years
    for index, year in enumerate(years):
        saved = (current.yearly_values or [None] * len(years))[index]
        rows.append((f"Target for {year}", fields.yearly_values[index], typed_number(saved)))
    rows += [
        ("Lead partner", fields.lead_partner, current.lead_partner),
        ("Stretch", fields.is_stretch, current.is_stretch),
        ("Deferred", fields.is_deferred, current.is_deferred),
        ("Caveats", fields.caveats, current.caveats),
    ]
    return rows


def target_edit(request, round_slug: str, area_slug: str, pk: int):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    target = selectors.target_get(agreement, pk)
    if request.method == "POST":
        form = forms.TargetForm(
            request.POST, agreement=agreement, kind=target.kind, instance=target
        )
        if form.is_valid():
            response = save_versioned(
                request,
                agreement,
                form,
                lambda: services.target_update(
                    target=target,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    fields=form.target_fields(),
                    reason=form.cleaned_data["reason"],
                ),
                rows=lambda current: _target_rows(form, target, current),
                retry=request.path,
                done=lambda _: _saved(
                    request,
                    f"{target.code} has been saved.",
                    _url(agreement, "target_detail", target.pk),
                ),
            )
            if response is not None:
                return response
    else:
        form = forms.TargetForm(agreement=agreement, kind=target.kind, instance=target)
    return render(
        request,
        "agreements/target_form.html",
        {
            "agreement": agreement,
            "form": form,
            "title": f"Edit {target.name}",
            "kind": target.kind,
            "target": target,
            "back": _url(agreement, "target_detail", target.pk),
        },
    )


def target_delete(request, round_slug: str, area_slug: str, pk: int):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    target = selectors.target_get(agreement, pk)
    if target.kind == Target.Kind.STATUTORY:
        raise Http404
    if request.method == "POST":
        form = forms.TargetDeleteForm(request.POST)
        if form.is_valid():
            response = save_versioned(
                request,
                agreement,
                form,
                lambda: services.target_delete(
                    target=target,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                ),
                rows=lambda current: [("Version", form.cleaned_data["version"], current.version)],
                retry=_url(agreement, "target_detail", target.pk),
                done=lambda _: _saved(
                    request, f"{target.code} has been removed.", _url(agreement, "targets")
                ),
            )
            if response is not None:
                return response
    else:
        form = forms.TargetDeleteForm(initial={"version": target.version})
    return _form_page(
        request,
        agreement,
        form,
        title=f"Remove {target.name}?",
        intro="The target leaves the draft. Its history is kept.",
        back=_url(agreement, "target_detail", target.pk),
    )


def target_history(request, round_slug: str, area_slug: str, pk: int):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    target = selectors.target_get(agreement, pk)
    return render(
        request,
        "agreements/target_history.html",
        {
            "agreement": agreement,
            "target": target,
            "changes": target_changes(target),
        },
    )


def targets_import(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    problems = []
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = importing.parse(agreement, upload.name, upload.read())
                created = services.targets_import(
                    agreement=agreement, actor=request.user, rows=rows
                )
            except importing.ImportRejected as rejected:
                problems = rejected.problems
                form.add_error(
                    "file",
                    f"The file has {len(problems)} problem{'s' if len(problems) != 1 else ''}. "
                    "Nothing was imported.",
                )
            except ServiceError as error:
                form.add_error("file", f"{error} Nothing was imported.")
            else:
                messages.success(
                    request,
                    f"Imported {len(created)} designated target{'s' if len(created) != 1 else ''}.",
                )
                return redirect(_url(agreement, "targets"))
    else:
        form = forms.ImportForm()
    return _form_page(
        request,
        agreement,
        form,
        title="Import designated targets",
        multipart=True,
        back=_url(agreement, "targets"),
        status=400 if problems else 200,
        extra={"problems": problems, "template_links": True},
    )


def import_template(request, round_slug: str, area_slug: str, fmt: str):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    filename = f"designated-targets-{agreement.area.slug}-{agreement.round.slug}"
    if fmt == "csv":
        response = HttpResponse(
            importing.template_csv(agreement), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = HttpResponse(
            importing.template_xlsx(agreement),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# --- Funding streams -----------------------------------------------------------------------


def funding_list(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    return render(
        request,
        "agreements/funding_list.html",
        {
            "agreement": agreement,
            "funding": selectors.funding_for(agreement),
            "can_edit": _can_edit(request, agreement),
        },
    )


def funding_add(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    if request.method == "POST":
        form = forms.FundingForm(request.POST, agreement=agreement)
        if form.is_valid():
            try:
                entry = services.funding_create(
                    agreement=agreement,
                    actor=request.user,
                    stream=form.cleaned_data["stream"],
                    fields=form.funding_fields(),
                )
            except ServiceError as error:
                error.add_to(form)
            else:
                messages.success(
                    request, f"{entry.stream} has been added. Record its consent next."
                )
                return redirect(_url(agreement, "funding_consent", entry.pk))
    else:
        form = forms.FundingForm(agreement=agreement)
    return _form_page(
        request, agreement, form, title="Add a funding stream", back=_url(agreement, "funding")
    )


def funding_edit(request, round_slug: str, area_slug: str, pk: int):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    entry = selectors.funding_get(agreement, pk)
    if request.method == "POST":
        form = forms.FundingForm(request.POST, agreement=agreement, instance=entry)
        if form.is_valid():
            fields = form.funding_fields()
            response = save_versioned(
                request,
                agreement,
                form,
                lambda: services.funding_update(
                    entry=entry,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"],
                    fields=fields,
                    reason=form.cleaned_data["reason"],
                ),
                rows=lambda current: [
                    ("Whose money", fields.provider, current.provider),
                    ("Arrangement", fields.arrangement, current.arrangement),
                    ("Amounts", list(fields.yearly_amounts), current.yearly_amounts),
                    ("Conditions", fields.conditions, current.conditions),
                ],
                retry=request.path,
                done=lambda _: _saved(
                    request, f"{entry.stream} has been saved.", _url(agreement, "funding")
                ),
            )
            if response is not None:
                return response
    else:
        form = forms.FundingForm(agreement=agreement, instance=entry)
    return _form_page(
        request, agreement, form, title=f"Edit {entry.stream}", back=_url(agreement, "funding")
    )


def funding_consent(request, round_slug: str, area_slug: str, pk: int):
    agreement = selectors.agreement_for_edit(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    entry = selectors.funding_get(agreement, pk)
    if request.method == "POST":
        form = forms.ConsentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            response = save_versioned(
                request,
                agreement,
                form,
                lambda: services.funding_consent_record(
                    entry=entry,
                    actor=request.user,
                    expected_version=data["version"],
                    given_by=data["given_by"],
                    given_on=data["given_on"],
                ),
                rows=lambda current: [
                    ("Consent given by", data["given_by"], current.consent_given_by),
                    ("Consent given on", data["given_on"], current.consent_given_on),
                ],
                retry=request.path,
                done=lambda _: _saved(
                    request,
                    f"Consent for {entry.stream} has been recorded.",
                    _url(agreement, "funding"),
                ),
            )
            if response is not None:
                return response
    else:
        form = forms.ConsentForm(
            initial={
                "version": entry.version,
                "given_by": entry.consent_given_by,
                "given_on": entry.consent_given_on,
            }
        )
    return _form_page(
        request,
        agreement,
        form,
        title=f"Consent of {entry.provider}",
        caption=str(entry.stream),
        back=_url(agreement, "funding"),
        intro=(
            f"Record who at {entry.provider} agreed to include this funding stream in the "
            "agreement, and when."
        ),
    )


@permission_or_404("agreements.manage_funding_catalogue")
def funding_catalogue(request, slug: str):
    round_ = get_object_or_404(Round, slug=slug)
    if request.method == "POST":
        form = forms.FundingStreamCatalogueForm(request.POST)
        if form.is_valid():
            try:
                services.funding_stream_create(
                    round=round_, actor=request.user, **form.cleaned_data
                )
            except ServiceError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, f"{form.cleaned_data['name']} has been added.")
                return redirect("agreements:funding_catalogue", slug=slug)
    else:
        form = forms.FundingStreamCatalogueForm()
    streams = round_.funding_streams.select_related("department").order_by("name")
    return render(
        request,
        "agreements/funding_catalogue.html",
        {
            "round": round_,
            "streams": streams,
            "form": form,
        },
    )


# --- Statutory education targets ---------------------------------------------------------


@permission_or_404("agreements.load_statutory_values")
def statutory_values(request, slug: str):
    """The national team loads the figures DCSF agreed for each area's statutory education
    targets, and keeps the round's note about them."""
    round_ = get_object_or_404(Round, slug=slug)
    upload_form = forms.StatutoryValuesForm()
    note_form = forms.StatutoryNoteForm(initial={"statutory_note": round_.statutory_note})
    problems = []
    if request.method == "POST" and "save_note" in request.POST:
        note_form = forms.StatutoryNoteForm(request.POST)
        if note_form.is_valid():
            services.round_statutory_note_set(
                round=round_, actor=request.user, note=note_form.cleaned_data["statutory_note"]
            )
            messages.success(request, "The note on statutory education targets has been saved.")
            return redirect("agreements:statutory_values", slug=slug)
    elif request.method == "POST":
        upload_form = forms.StatutoryValuesForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["file"]
            try:
                rows = statutory.parse(round_, upload.name, upload.read())
                saved = services.statutory_values_load(
                    round=round_, actor=request.user, rows=rows, filename=upload.name
                )
            except importing.ImportRejected as rejected:
                problems = rejected.problems
                count = len(problems)
                upload_form.add_error(
                    "file",
                    f"The file has {count} problem{'s' if count != 1 else ''}. Nothing was saved.",
                )
                for problem in problems[:20]:
                    upload_form.add_error("file", str(problem))
            except ServiceError as error:
                upload_form.add_error("file", f"{error} Nothing was saved.")
            else:
                messages.success(
                    request,
                    f"Loaded the figures of {len(saved)} statutory target"
                    f"{'s' if len(saved) != 1 else ''}.",
                )
                return redirect("agreements:statutory_values", slug=slug)
    return render(
        request,
        "agreements/statutory_values.html",
        {
            "round": round_,
            "upload_form": upload_form,
            "note_form": note_form,
            "problems": problems,
            "columns": statutory.columns(round_),
            "counts": selectors.statutory_counts(round_),
        },
        status=400 if problems else 200,
    )


# --- Partners ------------------------------------------------------------------------------


def partners(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    can_manage = request.user.has_perm("agreements.manage_partners", agreement)
    partner_form = invite_form = None
    if can_manage:
        partner_form = forms.PartnerAddForm()
        invite_form = forms.InviteForm(agreement=agreement)
        if request.method == "POST":
            if request.POST.get("action") == "invite":
                invite_form = forms.InviteForm(request.POST, agreement=agreement)
                if invite_form.is_valid():
                    data = invite_form.cleaned_data
                    try:
                        representative_invite(
                            agreement=agreement,
                            actor=request.user,
                            partnership=data["partnership"],
                            email=data["email"],
                            full_name=data["full_name"],
                            access=data["access"],
                            base_url=request.build_absolute_uri("/").rstrip("/"),
                        )
                    except ServiceError as error:
                        invite_form.add_error("email", str(error))
                    else:
                        messages.success(request, f"{data['full_name']} has been invited.")
                        return redirect(_url(agreement, "partners"))
            else:
                partner_form = forms.PartnerAddForm(request.POST)
                if partner_form.is_valid():
                    try:
                        partner_add(
                            agreement=agreement, actor=request.user, **partner_form.cleaned_data
                        )
                    except ServiceError as error:
                        partner_form.add_error("name", str(error))
                    else:
                        messages.success(
                            request, f"{partner_form.cleaned_data['name']} has been added."
                        )
                        return redirect(_url(agreement, "partners"))
    elif request.method == "POST":
        raise Http404
    partnerships = agreement.area.partnerships.select_related("organisation").prefetch_related(
        "representatives__user"
    )
    return render(
        request,
        "agreements/partners.html",
        {
            "agreement": agreement,
            "partnerships": partnerships,
            "partner_form": partner_form,
            "invite_form": invite_form,
            "can_manage": can_manage,
        },
    )


# --- Checks and print ----------------------------------------------------------------------


def completeness(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    return render(
        request,
        "agreements/completeness.html",
        {
            "agreement": agreement,
            "problems": completeness_problems(agreement),
            # The fixes are links only for those who may make them.
            "can_edit": _can_edit(request, agreement),
        },
    )


def print_view(request, round_slug: str, area_slug: str):
    agreement = selectors.agreement_get_for_user(
        request.user, round_slug=round_slug, area_slug=area_slug
    )
    return render(
        request,
        "agreements/print.html",
        {
            "agreement": agreement,
            "themes": selectors.themes_with_outcomes(agreement),
            "targets": selectors.target_presentations(agreement),
            "funding": selectors.funding_for(agreement),
            "partnerships": agreement.area.partnerships.select_related("organisation"),
        },
    )
