"""The negotiation pages: where the agreement stands, the conversation, review, referral."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from agreements.conflicts import conflict_response
from agreements.models import FINAL_STATUSES, AgreementFundingStream, NegotiationStatus, Target
from agreements.presentation import TargetPresentation
from agreements.selectors import (
    agreement_get_for_user,
    funding_for,
    targets_by_kind,
    targets_for,
    themes_with_outcomes,
    version_target_presentations,
)
from agreements.stages import Action
from core.errors import ConflictError, ServiceError
from negotiations import activity, confirmation, forms, readiness, registry, selectors, services
from negotiations.compare import compare
from negotiations.models import Comment, Referral, ReviewRating, TargetView
from negotiations.timetable import next_milestone
from negotiations.workflow import available_actions


def _agreement(request, round_slug, area_slug):
    return agreement_get_for_user(request.user, round_slug=round_slug, area_slug=area_slug)


def _url(agreement, name: str, *args) -> str:
    return reverse(f"negotiations:{name}", args=[agreement.round.slug, agreement.area.slug, *args])


def _comment_form(request, agreement, data=None):
    visibilities = selectors.writable_visibilities(request.user, agreement)
    if not visibilities:
        return None
    return forms.CommentForm(
        data,
        agreement=agreement,
        visibilities=visibilities,
        may_challenge=request.user.has_perm("negotiations.negotiate_agreement", agreement),
    )


def negotiation(request, round_slug: str, area_slug: str, comment_form=None):
    agreement = _agreement(request, round_slug, area_slug)
    user = request.user
    changes = list(agreement.stage_changes.select_related("actor", "version"))
    referrals = list(selectors.referrals_for(agreement))
    oversees = user.has_perm("negotiations.oversee_agreement", agreement)
    versions = list(agreement.versions.select_related("created_by").order_by("-number"))
    ratings = {r.criterion: r for r in agreement.review_ratings.select_related("reviewer")}
    comments = list(selectors.comments_visible_to(user, agreement))
    return render(
        request,
        "negotiations/negotiation.html",
        {
            "agreement": agreement,
            "actions": available_actions(user, agreement),
            "whose_turn": selectors.whose_turn(agreement, referrals),
            "time_with": selectors.time_with_each_party(agreement, changes),
            "milestone": next_milestone(agreement, changes=changes),
            "changes": changes,
            "versions": versions,
            "checklist": [(label, ratings.get(c)) for c, label in ReviewRating.Criterion.choices],
            "referrals": referrals
            if user.has_perm("negotiations.see_referrals", agreement)
            else [],
            "comments": comments,
            "open_count": sum(1 for c in comments if c.is_open),
            "closable": {
                c.pk
                for c in comments
                if c.is_open and user.has_perm("negotiations.close_comment", c)
            },
            "comment_form": comment_form or _comment_form(request, agreement),
            "can_reply": bool(selectors.writable_visibilities(user, agreement)),
            "is_go": user.has_perm("negotiations.negotiate_agreement", agreement),
            "referral": selectors.referral_for(user, agreement),
            "may_agree_remaining": user.has_perm("negotiations.agree_items", agreement),
            "today": timezone.localdate(),
            "last_reviewed": selectors.last_reviewed_version(agreement) if oversees else None,
            "confirmation": confirmation.take(request, agreement),
        },
    )


def done_message(agreement, change) -> str:
    """What the person just did, in plain words, after any move but submitting (which
    has its confirmation panel)."""
    area = agreement.area.name
    return {
        Action.START_REVIEW: f"You have started the review of {area}'s draft.",
        Action.RETURN: f"You have returned the draft to {area} for revision.",
        Action.REFER: "You have referred the agreement to the departments whose fields it touches.",
        Action.RESUME_REVIEW: "You have taken the agreement back into GO review.",
        Action.AGREE_IN_PRINCIPLE: f"You have agreed {area}'s agreement in principle.",
        Action.START_SIGN_OFF: "You have started sign-off: the signatories can now sign "
        + (f"version {change.version.number}." if change.version else "it."),
        Action.WITHDRAW_FROM_SIGN_OFF: "You have taken the agreement back from sign-off to "
        "change it. Any signatures made are void.",
        Action.START_AMENDMENT: "You have started an amendment of the signed agreement.",
    }.get(Action(change.action), "Your change has been made.")


@require_POST
def transition(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    if data["action"] == Action.SUBMIT:
        # Submitting goes through its check-your-answers page.
        return redirect(_url(agreement, "submit"))
    try:
        change = services.agreement_transition(
            agreement=agreement,
            actor=request.user,
            action=data["action"],
            expected_stage=data["expected_stage"],
            comment=data["comment"],
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ServiceError as error:
        messages.error(request, str(error))
        return redirect(_url(agreement, "negotiation"))
    if change is None:
        messages.info(request, "That had already been done: nothing more has changed.")
    else:
        messages.success(request, done_message(agreement, change))
    return redirect(_url(agreement, "negotiation"))


def submit(request, round_slug: str, area_slug: str):
    """Check your answers before submitting the draft to the GO: what will be sent and to
    whom (GET), then the submission itself, with the stage the page was drawn at (POST)."""
    agreement = _agreement(request, round_slug, area_slug)
    government_office = agreement.area.government_office
    status = 200
    if request.method == "POST":
        form = forms.SubmitForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = services.agreement_transition(
                    agreement=agreement,
                    actor=request.user,
                    action=Action.SUBMIT,
                    expected_stage=data["expected_stage"],
                    comment=data["comment"],
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ServiceError as error:
                form.add_error(None, str(error))
                status = 409
            else:
                if change is None:
                    messages.info(request, "The draft had already been submitted.")
                else:
                    confirmation.remember(
                        request,
                        agreement=agreement,
                        title=f"You have submitted the draft to {government_office.name}",
                        body=f"Version {change.version.number} was sent" if change.version else "",
                        next_steps=[
                            f"{government_office.name} reviews the draft. Its lead "
                            "negotiator may start the review, challenge targets, refer it to "
                            "departments or return it to you for revision.",
                            "You cannot change the draft while it is with the GO. You will "
                            "hear when it moves, and can follow it on this page.",
                        ],
                        notifications=change.notified,
                    )
                return redirect(_url(agreement, "negotiation"))
        else:
            status = 400
    else:
        form = forms.SubmitForm(initial={"expected_stage": agreement.stage})
    submitting = next(
        (a for a in available_actions(request.user, agreement) if a.action == Action.SUBMIT),
        None,
    )
    if submitting is None and request.method != "POST":
        # Only a POST drawn before the draft moved on reaches here without the move.
        raise Http404
    latest = selectors.latest_version(agreement)
    return render(
        request,
        "negotiations/submit.html",
        {
            "agreement": agreement,
            "form": form,
            "government_office": government_office,
            "blocked": submitting.blocked_reason if submitting else "",
            "next_version": latest.number + 1 if latest else 1,
            "themes": list(themes_with_outcomes(agreement)),
            **targets_by_kind(agreement),
            "funding": list(funding_for(agreement)),
            "can_edit": request.user.has_perm("agreements.edit_draft", agreement),
        },
        status=status,
    )


@require_POST
def comment_add(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    form = _comment_form(request, agreement, request.POST)
    if form is None:
        raise Http404
    if form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.comment_add(
                agreement=agreement,
                actor=request.user,
                body=data["body"],
                visibility=data.get("visibility") or form.visibilities[0],
                kind=data.get("kind") or Comment.Kind.COMMENT,
                **form.anchor(agreement),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your comment has been added.")
            return redirect(_url(agreement, "negotiation") + f"#comment-{comment.pk}")
    return negotiation(request, round_slug, area_slug, comment_form=form)


def _visible_comment(request, agreement, pk: int) -> Comment:
    comment = get_object_or_404(Comment, pk=pk, agreement=agreement, parent__isnull=True)
    if comment.visibility not in selectors.visible_comment_kinds(request.user, agreement):
        raise Http404
    return comment


@require_POST
def comment_reply(request, round_slug: str, area_slug: str, pk: int):
    agreement = _agreement(request, round_slug, area_slug)
    parent = _visible_comment(request, agreement, pk)
    form = forms.ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                agreement=agreement,
                actor=request.user,
                body=form.cleaned_data["body"],
                visibility=parent.visibility,
                parent=parent,
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        messages.success(request, "Your reply has been added.")
    else:
        messages.error(request, "Write the reply.")
    return redirect(_url(agreement, "negotiation") + f"#comment-{parent.pk}")


@require_POST
def comment_resolve(request, round_slug: str, area_slug: str, pk: int):
    agreement = _agreement(request, round_slug, area_slug)
    comment = _visible_comment(request, agreement, pk)
    resolution = request.POST.get("resolution", "")
    try:
        services.comment_resolve(comment=comment, actor=request.user, resolution=resolution)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        label = Comment.Resolution(resolution).label.lower()
        messages.success(request, f"You have closed the comment as {label}.")
    return redirect(_url(agreement, "negotiation") + f"#comment-{comment.pk}")


@require_POST
def comment_propose_closing(request, round_slug: str, area_slug: str, pk: int):
    agreement = _agreement(request, round_slug, area_slug)
    comment = _visible_comment(request, agreement, pk)
    try:
        services.comment_propose_closing(comment=comment, actor=request.user)
    except PermissionDenied as exc:
        raise Http404 from exc
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "You have proposed closing it. The Government Office will close it."
        )
    return redirect(_url(agreement, "negotiation") + f"#comment-{comment.pk}")


STALE_CONFIRMATION = (
    "The items changed since this page was shown, so nothing has been agreed. "
    "Check the list as it stands now and confirm again."
)


def agree_remaining(request, round_slug: str, area_slug: str):
    """The GO's confirmation before agreeing every item not yet settled, listing them."""
    agreement = _agreement(request, round_slug, area_slug)
    if not request.user.has_perm("negotiations.agree_items", agreement):
        raise Http404
    items = readiness.items_to_agree(agreement)
    refused = readiness.items_refused(agreement)
    requests = list(readiness.requests_not_settled(agreement))
    seen = readiness.fingerprint(items, requests)
    status = 200
    if request.method == "POST":
        form = forms.AgreeRemainingForm(request.POST)
        if form.is_valid():
            try:
                agreed, carried = services.items_agree_remaining(
                    agreement=agreement, actor=request.user, seen=form.cleaned_data["seen"]
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ConflictError:
                form = forms.AgreeRemainingForm({"seen": seen})
                form.is_valid()
                form.add_error(None, STALE_CONFIRMATION)
                status = 409
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                done = f"{agreed} item{'s' if agreed != 1 else ''} agreed"
                if carried:
                    done += f"; {carried} request{'s' if carried != 1 else ''} carried"
                    done += " to the refresh"
                messages.success(request, done + ".")
                return redirect(_url(agreement, "negotiation"))
        else:
            form = forms.AgreeRemainingForm({"seen": seen})
            form.is_valid()
            form.add_error(None, STALE_CONFIRMATION)
            status = 409
    else:
        form = forms.AgreeRemainingForm(initial={"seen": seen})
    return render(
        request,
        "negotiations/agree_remaining.html",
        {
            "agreement": agreement,
            "items": items,
            "refused": refused,
            "requests": requests,
            "form": form,
        },
        status=status,
    )


def referral_withdraw(request, round_slug: str, area_slug: str, pk: int):
    agreement = _agreement(request, round_slug, area_slug)
    if not request.user.has_perm("negotiations.negotiate_agreement", agreement):
        raise Http404
    referral = get_object_or_404(
        Referral.objects.select_related("department", "version"), pk=pk, agreement=agreement
    )
    if referral.is_settled:
        raise Http404
    form = forms.ReferralWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_withdraw(
                referral=referral, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"The referral to {referral.department.short_name} is withdrawn."
            )
            return redirect(_url(agreement, "negotiation") + "#referrals")
    return render(
        request,
        "negotiations/referral_withdraw.html",
        {"agreement": agreement, "referral": referral, "form": form},
        status=400 if form.errors else 200,
    )


def review(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    if not request.user.has_perm("negotiations.negotiate_agreement", agreement):
        raise Http404
    ratings = {r.criterion: r for r in agreement.review_ratings.all()}
    form = forms.ReviewForm(
        request.POST if request.method == "POST" else None,
        ratings=ratings,
        seen=services.review_checklist_seen(agreement),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entries = {
            criterion: (data[f"{criterion}_rating"], data.get(f"{criterion}_note", ""))
            for criterion, _ in ReviewRating.Criterion.choices
            if data.get(f"{criterion}_rating")
        }
        try:
            services.review_checklist_save(
                agreement=agreement, actor=request.user, entries=entries, seen=data["seen"]
            )
        except ConflictError:
            saved = {r.criterion: r for r in agreement.review_ratings.all()}
            rows = [
                (
                    label,
                    " – ".join(filter(None, entries.get(criterion, ("", "")))),
                    _rating_text(saved.get(criterion)),
                )
                for criterion, label in ReviewRating.Criterion.choices
            ]
            return conflict_response(request, agreement, rows, retry=request.path)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The checklist has been saved. The locality can see it.")
            return redirect(_url(agreement, "negotiation"))
    return render(request, "negotiations/review.html", {"agreement": agreement, "form": form})


def _rating_text(rating) -> str:
    if rating is None:
        return ""
    return (
        f"{rating.get_rating_display()} – {rating.note}"
        if rating.note
        else rating.get_rating_display()
    )


def outstanding(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    return _outstanding_page(request, agreement)


def _outstanding_page(request, agreement, *, not_saved=None, status: int = 200):
    """The page of statuses. `not_saved` is a status change refused: the item's key, the
    form as posted and the message for each field in error, for the error summary."""
    items = [
        {
            "kind": "target",
            "pk": t.pk,
            "version": t.version,
            "status": t.status,
            "status_label": t.get_status_display(),
            "label": f"{t.get_kind_display()} target: {t.name}",
        }
        for t in targets_for(agreement)
    ] + [
        {
            "kind": "funding",
            "pk": f.pk,
            "version": f.version,
            "status": f.status,
            "status_label": f.get_status_display(),
            "label": f"Funding stream: {f.stream.name}",
        }
        for f in funding_for(agreement)
    ]
    counts = {label: 0 for _, label in NegotiationStatus.choices}
    errors = []
    for item in items:
        counts[item["status_label"]] += 1
        if not_saved and not_saved["key"] == (item["kind"], item["pk"]):
            item["errors"] = not_saved["errors"]
            item["posted"] = not_saved["posted"]
            errors = [
                (f"{field}-{item['kind']}-{item['pk']}", message)
                for field, message in not_saved["errors"].items()
            ]
    return render(
        request,
        "negotiations/outstanding.html",
        {
            "agreement": agreement,
            "counts": counts,
            "agreed": [i for i in items if i["status"] in FINAL_STATUSES],
            "outstanding": [i for i in items if i["status"] not in FINAL_STATUSES],
            "statuses": NegotiationStatus.choices,
            "is_go": request.user.has_perm("negotiations.negotiate_agreement", agreement),
            "may_agree_remaining": request.user.has_perm("negotiations.agree_items", agreement),
            "errors": errors,
        },
        status=status,
    )


@require_POST
def status_set(request, round_slug: str, area_slug: str, kind: str, pk: int):
    agreement = _agreement(request, round_slug, area_slug)
    model = {"target": Target, "funding": AgreementFundingStream}.get(kind)
    if model is None:
        raise Http404
    item = get_object_or_404(model, pk=pk, agreement=agreement)
    if not request.user.has_perm("negotiations.negotiate_agreement", agreement):
        raise Http404
    form = forms.StatusForm(request.POST)
    posted = {"status": request.POST.get("status", ""), "caveat": request.POST.get("caveat", "")}
    if not form.is_valid():
        # A hidden field in error is shown against the status, the field the GO acts on.
        errors = {}
        for field, messages_ in form.errors.items():
            errors.setdefault("caveat" if field == "caveat" else "status", messages_[0])
        not_saved = {"key": (kind, item.pk), "posted": posted, "errors": errors}
        return _outstanding_page(request, agreement, not_saved=not_saved, status=400)
    data = form.cleaned_data
    try:
        services.item_status_set(
            item=item,
            actor=request.user,
            expected_version=data["version"],
            status=data["status"],
            caveat=data["caveat"],
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ConflictError as error:
        saved = error.current
        rows = [
            ("Item", _item_label(saved), _item_label(saved)),
            ("Status", NegotiationStatus(data["status"]).label, saved.get_status_display()),
            ("Caveat", data["caveat"], getattr(saved, services.caveat_field(saved))),
        ]
        return conflict_response(request, agreement, rows, retry=_url(agreement, "outstanding"))
    except ServiceError as error:
        field = "caveat" if data["status"] == NegotiationStatus.AGREED_WITH_CAVEAT else "status"
        not_saved = {"key": (kind, item.pk), "posted": posted, "errors": {field: str(error)}}
        return _outstanding_page(request, agreement, not_saved=not_saved, status=400)
    messages.success(request, "The status has been saved.")
    return redirect(_url(agreement, "outstanding"))


def _item_label(item) -> str:
    if isinstance(item, Target):
        return f"{item.get_kind_display()} target: {item.name}"
    return f"Funding stream: {item.stream.name}"


def compare_versions(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    versions = list(agreement.versions.order_by("number"))
    if len(versions) < 1:
        raise Http404
    latest = versions[-1]
    default_from = (
        selectors.last_reviewed_version(agreement)
        if request.user.has_perm("negotiations.negotiate_agreement", agreement)
        else None
    )
    if default_from is None:
        default_from = versions[-2] if len(versions) > 1 else latest
    try:
        old_number = int(request.GET.get("from", default_from.number))
        new_number = int(request.GET.get("to", latest.number))
    except ValueError as exc:
        raise Http404 from exc
    by_number = {v.number: v for v in versions}
    if old_number not in by_number or new_number not in by_number:
        raise Http404
    old, new = by_number[old_number], by_number[new_number]
    return render(
        request,
        "negotiations/compare.html",
        {
            "agreement": agreement,
            "versions": versions,
            "old": old,
            "new": new,
            "comparison": compare(old.content, new.content),
        },
    )


def version_detail(request, round_slug: str, area_slug: str, number: int):
    agreement = _agreement(request, round_slug, area_slug)
    version = selectors.version_get(agreement, number)
    return render(
        request,
        "negotiations/version.html",
        {
            "agreement": agreement,
            "version": version,
            "content": version.content,
            "targets": version_target_presentations(agreement, version.content),
            "signed": registry.sign_off().version_is_signed(agreement, version),
        },
    )


def referral(request, round_slug: str, area_slug: str):
    """A department's page: the targets in its field and, in one form, its view on each
    and its answer to the GO. What is typed is kept as a draft until it is sent."""
    agreement = _agreement(request, round_slug, area_slug)
    referral = selectors.referral_for(request.user, agreement)
    if referral is None:
        raise Http404
    referral.agreement = agreement
    in_field = selectors.targets_in_field(referral)
    views = {v.target_id: v for v in referral.views.select_related("official")}
    closed = services.referral_is_closed(referral)
    if request.method == "POST" and closed:
        messages.error(request, "This referral is closed: your views were not saved.")
        return redirect(_url(agreement, "referral"))
    draft = None if closed else selectors.referral_draft_for(request.user, referral)
    conflicts: dict[int, TargetView | None] = {}
    status = 200
    if request.method == "POST":
        form = forms.ReferralViewsForm(request.POST, targets=in_field)
        summary = request.POST.get("summary", "")[:5000]
        action = request.POST.get("action", "send")
        if action in ("save", "support_all"):
            answers = form.raw_answers()
            filled = 0
            if action == "support_all":
                for answer in answers.values():
                    if not answer["opinion"]:
                        answer["opinion"], filled = TargetView.Opinion.SUPPORT, filled + 1
            services.referral_draft_save(
                referral=referral, actor=request.user, answers=answers, summary=summary
            )
            if request.htmx:
                return HttpResponse(status=204)
            if action == "support_all":
                messages.success(
                    request,
                    f"Support chosen for the {filled} target{'s' if filled != 1 else ''} "
                    "without a view. Check them, then send your views.",
                )
            else:
                messages.success(request, "Your draft has been saved. It is not sent yet.")
            return redirect(_url(agreement, "referral"))
        if form.is_valid():
            if not form.answers() and not views:
                form.add_error(None, "Choose a view on at least one target")
            else:
                try:
                    services.referral_views_save(
                        referral=referral,
                        actor=request.user,
                        answers=form.answers(),
                        send=True,
                        summary=form.cleaned_data["summary"],
                    )
                except services.ViewsConflictError as error:
                    # Keep what was typed, now read against the views saved meanwhile: sending
                    # again replaces them knowingly.
                    answers = form.raw_answers()
                    for target, view in error.conflicts:
                        conflicts[target.pk] = view
                        answers[str(target.pk)]["seen"] = services.view_stamp(view)
                    draft = services.referral_draft_save(
                        referral=referral, actor=request.user, answers=answers, summary=summary
                    )
                    views = {v.target_id: v for v in referral.views.select_related("official")}
                    form = forms.ReferralViewsForm(
                        targets=in_field, initial_answers=answers, initial_summary=summary
                    )
                    status = 409
                except ServiceError as error:
                    form.add_error(None, str(error))
                else:
                    messages.success(
                        request,
                        f"Your views have been sent to {agreement.area.government_office.name}.",
                    )
                    return redirect(_url(agreement, "negotiation"))
        if form.errors:
            # Nothing typed is lost: the answers stay as a draft while they are put right.
            draft = services.referral_draft_save(
                referral=referral, actor=request.user, answers=form.raw_answers(), summary=summary
            )
            status = 400
    else:
        initial = {
            str(t.pk): {
                "opinion": views[t.pk].opinion if t.pk in views else "",
                "comment": views[t.pk].comment if t.pk in views else "",
                "seen": services.view_stamp(views.get(t.pk)),
            }
            for t in in_field
        }
        if draft is not None:
            initial.update({k: v for k, v in draft.answers.items() if k in initial})
        form = forms.ReferralViewsForm(
            targets=in_field,
            initial_answers=initial,
            initial_summary=draft.summary if draft else "",
        )
    years = agreement.round.years
    # Each target as every other page shows it: units, typed precision, caveats and all.
    rows = [
        {
            "target": TargetPresentation.from_target(t, years),
            "pk": t.pk,
            "code": t.code,
            "view": views.get(t.pk),
            "opinion": form.value(t, "opinion"),
            "comment": form.value(t, "comment"),
            "seen": form.value(t, "seen"),
            "opinion_errors": form.errors.get(f"t{t.pk}-opinion", []),
            "comment_errors": form.errors.get(f"t{t.pk}-comment", []),
            "conflict": t.pk in conflicts,
            "conflict_view": conflicts.get(t.pk),
        }
        for t in in_field
    ]
    error_links = form.error_links() + [
        (
            f"t{row['pk']}-opinion-support",
            f"A colleague saved a different view on {row['code']} since you opened this page",
        )
        for row in rows
        if row["conflict"]
    ]
    return render(
        request,
        "negotiations/referral.html",
        {
            "agreement": agreement,
            "referral": referral,
            "closed": closed,
            "rows": rows,
            "form": form,
            "draft": draft,
            "error_links": error_links,
            "answered": sum(1 for row in rows if row["opinion"]),
            "opinions": TargetView.Opinion.choices,
            "statutory_note": agreement.round.statutory_note,
        },
        status=status,
    )


def department_views(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    if not request.user.has_perm("negotiations.oversee_agreement", agreement):
        raise Http404
    return render(
        request,
        "negotiations/department_views.html",
        {
            "agreement": agreement,
            "views": selectors.department_views(agreement),
            "referrals": selectors.referrals_for(agreement),
        },
    )


def timeline(request, round_slug: str, area_slug: str):
    agreement = _agreement(request, round_slug, area_slug)
    return render(
        request,
        "negotiations/activity.html",
        {
            "agreement": agreement,
            "events": activity.timeline(request.user, agreement),
        },
    )
