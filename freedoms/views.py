"""Freedoms and flexibilities pages."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.selectors import departments, departments_active_in
from agreements.conflicts import conflict_response
from agreements.selectors import agreement_get_for_user
from core.errors import ConflictError, ServiceError
from core.pagination import page_context
from core.titles import search_words
from freedoms import forms, selectors, services
from freedoms.lifecycle import Move, Outcome
from freedoms.models import PolicyOwner
from freedoms.permissions import moves_open_to
from indicators.models import Round


def _agreement(request, round_slug, area_slug):
    return agreement_get_for_user(request.user, round_slug=round_slug, area_slug=area_slug)


def _request(request, round_slug, area_slug, number):
    """A request, with its agreement. A department sees the requests routed to it even
    where the agreement itself has not been referred to it."""
    user = request.user
    if user.has_perm("freedoms.see_routed_requests"):
        item = get_object_or_404(
            selectors.requests_for_department(user),
            agreement__round__slug=round_slug,
            agreement__area__slug=area_slug,
            number=number,
        )
        return item.agreement, item
    agreement = _agreement(request, round_slug, area_slug)
    return agreement, selectors.request_get(user, agreement, number)


def _int(value) -> int:
    """A number from a form field, or 0 (which never matches a saved version)."""
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() else 0


def _detail_url(item) -> str:
    agreement = item.agreement
    return reverse("freedoms:detail", args=[agreement.round.slug, agreement.area.slug, item.number])


def _fields(form) -> services.RequestFields:
    data = form.cleaned_data
    return services.RequestFields(
        title=data["title"],
        obstacle_kind=data["obstacle_kind"],
        obstacle=data["obstacle"],
        ask=data["ask"],
        evidence=data["evidence"],
        topic=data["topic"],
        outcomes=tuple(data["outcomes"]),
        targets=tuple(data["targets"]),
        proposed_departments=tuple(data["proposed_departments"]),
    )


def _page_of(request, requests):
    return Paginator(requests, selectors.PAGE_SIZE).get_page(request.GET.get("page"))


def request_list(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    page = _page_of(request, selectors.requests_for_agreement(request.user, agreement))
    return render(
        request,
        "freedoms/request_list.html",
        {
            "agreement": agreement,
            "requests": page,
            "may_draft": request.user.has_perm("freedoms.draft_request", agreement),
            **page_context(request, page),
        },
    )


def request_create(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    if not request.user.has_perm("freedoms.draft_request", agreement):
        raise Http404
    form = forms.RequestForm(
        request.POST if request.method == "POST" else None, agreement=agreement
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.request_create(
                agreement=agreement, actor=request.user, fields=_fields(form)
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{item.reference} has been saved as a draft.")
            return redirect(_detail_url(item))
    return render(
        request,
        "freedoms/request_form.html",
        {
            "agreement": agreement,
            "form": form,
            "title": "Draft a freedoms and flexibilities request",
        },
    )


def request_edit(request, round_slug: str, area_slug: str, number: int):
    agreement, item = _request(request, round_slug, area_slug, number)
    if not request.user.has_perm("freedoms.draft_request", agreement):
        raise Http404
    initial = {
        "title": item.title,
        "obstacle_kind": item.obstacle_kind,
        "obstacle": item.obstacle,
        "ask": item.ask,
        "evidence": item.evidence,
        "topic": item.topic,
        "outcomes": list(item.outcomes.all()),
        "targets": list(item.targets.all()),
        "proposed_departments": list(item.proposed_departments.all()),
    }
    form = forms.RequestForm(
        request.POST if request.method == "POST" else None, initial=initial, agreement=agreement
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(
                request=item,
                actor=request.user,
                expected_version=_int(request.POST.get("version")),
                fields=_fields(form),
            )
        except ConflictError as error:
            rows = [
                ("Subject", form.cleaned_data["title"], error.current.title),
                ("What you ask for", form.cleaned_data["ask"], error.current.ask),
            ]
            return conflict_response(request, agreement, rows, retry=request.path)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{item.reference} has been saved.")
            return redirect(_detail_url(item))
    return render(
        request,
        "freedoms/request_form.html",
        {
            "agreement": agreement,
            "form": form,
            "title": f"Edit {item.reference}",
            "item": item,
        },
    )


def request_detail(request, round_slug: str, area_slug: str, number: int, move_error: str = ""):
    agreement, item = _request(request, round_slug, area_slug, number)
    user = request.user
    moves = moves_open_to(user, item)
    return render(
        request,
        "freedoms/request_detail.html",
        {
            "agreement": agreement,
            "item": item,
            "moves": moves,
            "move_error": move_error,
            "proposed": list(item.proposed_departments.all()),
            "back_url": reverse("home")
            if user.has_perm("freedoms.see_routed_requests")
            else reverse("freedoms:list", args=[agreement.round.slug, agreement.area.slug]),
            # The locality hears the answer when the GO relays it.
            "show_answer": bool(item.outcome) and user.has_perm("freedoms.see_outcome", item),
            "events": selectors.events_for(user, item),
            "files": item.files.all(),
            "similar": selectors.similar_requests_while_weighed(item),
            "may_link": user.has_perm("freedoms.link_request", item),
            "may_edit": user.has_perm("freedoms.edit_request", item),
            "briefs": selectors.briefs_for(user, agreement.round)
            if user.has_perm("freedoms.read_brief_on_request")
            else [],
            "outcomes": Outcome.choices,
            "departments": departments_active_in(agreement.round),
            "evidence_form": forms.EvidenceForm(),
        },
    )


@require_POST
def request_move(request, round_slug: str, area_slug: str, number: int):
    agreement, item = _request(request, round_slug, area_slug, number)
    form = forms.MoveForm(request.POST)
    if not form.is_valid():
        return request_detail(
            request, round_slug, area_slug, number, move_error="Check the answer and try again."
        )
    data = form.cleaned_data
    try:
        event = services.request_move(
            request=item,
            actor=request.user,
            move=data["move"],
            expected_state=data["expected_state"],
            comment=data["comment"],
            outcome=data["outcome"],
            alternative=data["alternative"],
            department=data["department"],
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ServiceError as error:
        response = request_detail(request, round_slug, area_slug, number, move_error=str(error))
        response.status_code = 400
        return response
    if event is not None:
        messages.success(request, moved_message(item, event.move))
    return redirect(_detail_url(item))


def moved_message(item, move: str) -> str:
    """What the person just did to the request, in plain words."""
    ref = item.reference
    department = item.department.short_name if item.department_id else "the department"
    return {
        Move.SUBMIT: f"You have sent {ref} to {item.agreement.area.government_office.name}.",
        Move.DECIDE: f"You have decided {ref} under the negotiating brief.",
        Move.REFER: f"You have referred {ref} to {department}.",
        Move.ANSWER: f"You have answered {ref}. The GO will relay the answer to the area.",
        Move.ASK: f"You have asked for more information on {ref}.",
        Move.PROVIDE: f"You have sent the information asked for on {ref}.",
        Move.HOLD: f"You have put {ref} on hold for further discussion.",
        Move.RESUME: f"You have taken {ref} off hold.",
        Move.RELAY: f"You have relayed the answer on {ref} to {item.agreement.area.name}.",
    }.get(Move(move), f"{ref} has been updated.")


@require_POST
def evidence_upload(request, round_slug: str, area_slug: str, number: int):
    agreement, item = _request(request, round_slug, area_slug, number)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a file to upload.")
        return redirect(_detail_url(item))
    try:
        services.evidence_add(request=item, actor=request.user, upload=form.cleaned_data["file"])
    except PermissionDenied as exc:
        raise Http404 from exc
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The evidence has been attached.")
    return redirect(_detail_url(item))


def evidence_download(request, round_slug: str, area_slug: str, number: int, pk: int):
    agreement, item = _request(request, round_slug, area_slug, number)
    evidence = get_object_or_404(item.files, pk=pk)
    # FileResponse quotes and encodes the name, whatever the uploader called the file.
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


def register(request):
    q = request.GET.get("q", "")[:200]
    department = request.GET.get("department", "")[:20]
    outcome = request.GET.get("outcome", "")[:20]
    page = selectors.register_page(
        q=q, department=department, outcome=outcome, page=request.GET.get("page")
    )
    return render(
        request,
        "freedoms/register.html",
        {
            "q": q,
            "department": department,
            "outcome": outcome,
            "outcomes": Outcome.choices,
            "departments": departments(),
            "search_words": search_words(
                q=q,
                filters=[
                    ("department", department),
                    ("outcome", dict(Outcome.choices).get(outcome, "").lower()),
                ],
            ),
            **page_context(request, page),
        },
    )


def overdue(request):
    if not request.user.has_perm("freedoms.see_overdue"):
        raise Http404
    page = _page_of(request, selectors.overdue(request.user))
    return render(
        request, "freedoms/overdue.html", {"requests": page, **page_context(request, page)}
    )


def brief(request, slug: str):
    user = request.user
    if not user.has_perm("freedoms.see_brief"):
        raise Http404
    round_ = get_object_or_404(Round, slug=slug)
    department = selectors.brief_department(user)
    may_write = user.has_perm("freedoms.write_brief", department)
    current = round_.briefs.filter(department=department).first()
    form = forms.BriefForm(
        request.POST if request.method == "POST" else None,
        initial={"topics": current.topics, "positions": current.positions, "no_go": current.no_go}
        if current
        else None,
    )
    if request.method == "POST":
        if not may_write:
            raise Http404
        if form.is_valid():
            try:
                services.brief_save(
                    round_=round_, department=department, actor=user, **form.cleaned_data
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "The brief has been saved.")
                return redirect("freedoms:brief", slug=slug)
    return render(
        request,
        "freedoms/brief.html",
        {
            "round": round_,
            "briefs": selectors.briefs_for(user, round_),
            "form": form if may_write else None,
            "writing_for": department.name if department else "the national LAA team",
        },
    )


def figures(request, slug: str):
    # Figures count answers not yet relayed and other areas' open requests: not for localities.
    if not request.user.has_perm("freedoms.see_figures"):
        raise Http404
    round_ = get_object_or_404(Round, slug=slug)
    data = selectors.figures(round_)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="requests-{round_.slug}.csv"'
        writer = csv.writer(response)
        writer.writerow(["measure", "value"])
        writer.writerow(["requests", data["total"]])
        for label, count in data["by_outcome"].items():
            writer.writerow([f"outcome: {label}", count])
        for name, row in data["by_department"].items():
            writer.writerow([f"department {name}: total", row["total"]])
            writer.writerow([f"department {name}: answered", row["answered"]])
            writer.writerow([f"department {name}: open", row["open"]])
        writer.writerow(["median days to answer", _round(data["median_days"])])
        writer.writerow(["90th percentile days to answer", _round(data["p90_days"])])
        writer.writerow(["oldest open request (days)", data["oldest_open_days"] or ""])
        return response
    return render(request, "freedoms/figures.html", {"round": round_, "data": data})


def _round(value):
    return "" if value is None else f"{value:.1f}"


def directory(request):
    user = request.user
    lead_of = (
        PolicyOwner.objects.filter(user=user, is_laa_lead=True).select_related("department").first()
    )
    form = forms.OwnerForm(request.POST if request.method == "POST" else None) if lead_of else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            official = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if official is None:
                form.add_error("email", "No one in the portal has that email address")
            else:
                try:
                    services.owner_add(
                        department=lead_of.department,
                        actor=user,
                        user=official,
                        topic=form.cleaned_data["topic"],
                    )
                except ServiceError as error:
                    form.add_error("email", str(error))
                else:
                    messages.success(request, f"{official.get_full_name()} has been added.")
                    return redirect("freedoms:directory")
    owners = PolicyOwner.objects.select_related("department", "user", "funding_stream")
    return render(
        request,
        "freedoms/directory.html",
        {
            "owners": owners,
            "form": form,
            "lead_of": lead_of,
        },
    )


@require_POST
def link_same_as(request, round_slug: str, area_slug: str, number: int):
    agreement, item = _request(request, round_slug, area_slug, number)
    primary = (
        get_object_or_404(selectors.register(), pk=_int(request.POST.get("primary")))
        if _int(request.POST.get("primary"))
        else None
    )
    if primary is None:
        messages.error(request, "Choose the request it is the same as.")
        return redirect(_detail_url(item))
    try:
        services.request_link_same_as(request=item, actor=request.user, primary=primary)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Linked as the same as {primary.reference}.")
    return redirect(_detail_url(item))
