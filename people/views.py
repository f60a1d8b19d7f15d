from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from accounts.decorators import permission_or_404
from accounts.models import Organisation
from core.errors import ConflictError, ServiceError
from core.pagination import page_context
from people import forms, importing, selectors, services
from people.models import Invitation
from people.permissions import Placement


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise Http404


@permission_or_404("people.view_people")
def index(request):
    search = request.GET.get("q", "").strip()[:100]
    organisations = selectors.organisations_for_user(request.user, search)
    page = Paginator(organisations, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/index.html",
        {**page_context(request, page), "search": search},
    )


def organisation(request, slug: str):
    organisation = selectors.organisation_get_for_user(request.user, slug)
    people = selectors.people_of_organisation(organisation, request.user)
    return render(
        request,
        "people/organisation.html",
        {"organisation": organisation, "people": people, "now": timezone.now()},
    )


def invite(request, slug: str):
    organisation = selectors.organisation_get_for_user(request.user, slug)
    form = forms.InvitationForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        may_appoint_lead=organisation.kind == Organisation.Kind.DEPARTMENT
        and request.user.has_perm("people.appoint_laa_lead"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not request.user.has_perm("people.invite", Placement(organisation, data["role"])):
            raise Http404
        try:
            invitation = services.invitation_create(
                actor=request.user,
                full_name=data["full_name"],
                email=data["email"],
                organisation=organisation,
                role=data["role"],
                laa_lead=data.get("laa_lead", False),
                request=request,
            )
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, f"An invitation has been sent to {invitation.user.email}.")
            return redirect("people:organisation", slug=organisation.slug)
    return render(
        request,
        "people/invite.html",
        {
            "organisation": organisation,
            "form": form,
            "expiry_days": settings.INVITATION_EXPIRY_DAYS,
        },
        status=400 if form.errors else 200,
    )


def person(request, pk: int):
    person = selectors.person_get_for_user(request.user, pk)
    return render(
        request,
        "people/person.html",
        {
            "person": person,
            "may_manage": request.user.has_perm("people.manage_person", person),
            "invitations": selectors.invitations_of(person),
            "has_second_factor": user_has_device(person),
            "events": selectors.security_events_of(person),
            "history": selectors.history_of(person),
            "now": timezone.now(),
        },
    )


def _managed_person(request, pk: int):
    person = selectors.person_get_for_user(request.user, pk)
    _require(request, "people.manage_person", person)
    return person


def change(request, pk: int):
    person = _managed_person(request, pk)
    organisations = selectors.organisations_for_user(request.user)
    initial = {
        "organisation": person.organisation,
        "role": person.role,
        "expected": services.placement_fingerprint(person),
    }
    form = forms.PlacementForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisations=organisations,
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_change_placement(
                person=person,
                actor=request.user,
                organisation=data["organisation"],
                role=data["role"],
                expected=data["expected"],
                request=request,
            )
        except PermissionDenied as denied:
            raise Http404 from denied
        except ConflictError as conflict:
            return _conflict(request, person, conflict)
        except ServiceError as error:
            error.add_to(form)
        else:
            messages.success(request, f"{person}'s role has been changed.")
            return redirect("people:person", pk=person.pk)
    if form.errors:
        status = 400
    return render(request, "people/change.html", {"person": person, "form": form}, status=status)


def _conflict(request, person, conflict: ConflictError):
    return render(
        request,
        "people/conflict.html",
        {"person": conflict.current or person, "message": str(conflict)},
        status=409,
    )


def _set_access(request, pk: int, *, active: bool):
    person = _managed_person(request, pk)
    form = forms.ConfirmForm(
        request.POST if request.method == "POST" else None,
        initial={"expected": services.placement_fingerprint(person)},
        submit_label="Restore access" if active else "Remove access",
    )
    if request.method == "POST" and form.is_valid():
        service = services.person_reactivate if active else services.person_deactivate
        try:
            service(
                person=person,
                actor=request.user,
                expected=form.cleaned_data["expected"],
                request=request,
            )
        except ConflictError as conflict:
            return _conflict(request, person, conflict)
        messages.success(
            request,
            f"{person} can sign in again." if active else f"{person} can no longer sign in.",
        )
        return redirect("people:person", pk=person.pk)
    return render(
        request,
        "people/access.html",
        {"person": person, "form": form, "restore": active},
        status=400 if form.errors else 200,
    )


def deactivate(request, pk: int):
    return _set_access(request, pk, active=False)


def reactivate(request, pk: int):
    return _set_access(request, pk, active=True)


@require_POST
def invitation_resend(request, pk: int):
    invitation = selectors.invitation_get_for_user(request.user, pk)
    _require(request, "people.manage_person", invitation.user)
    try:
        services.invitation_resend(invitation=invitation, actor=request.user, request=request)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The invitation has been sent again to {invitation.user.email}.")
    return redirect("people:person", pk=invitation.user_id)


@require_POST
def invitation_revoke(request, pk: int):
    invitation = selectors.invitation_get_for_user(request.user, pk)
    _require(request, "people.manage_person", invitation.user)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user, request=request)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The invitation has been revoked.")
    return redirect("people:person", pk=invitation.user_id)


@permission_or_404("people.import_people")
def import_people(request):
    problems = []
    form = forms.PeopleImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            people = importing.parse(form.cleaned_data["file"].read())
            invitations = services.invitations_create(
                actor=request.user, people=people, request=request
            )
        except importing.ImportRejected as rejected:
            problems = rejected.problems
            count = len(problems)
            form.add_error(
                "file",
                f"The file has {count} problem{'s' if count != 1 else ''}. Nobody was invited.",
            )
        except ServiceError as error:
            form.add_error("file", f"{error} Nobody was invited.")
        else:
            count = len(invitations)
            messages.success(request, f"Invited {count} {'person' if count == 1 else 'people'}.")
            return redirect("people:index")
    return render(
        request,
        "people/import.html",
        {"form": form, "problems": problems},
        status=400 if form.errors else 200,
    )


@permission_or_404("people.import_people")
def import_template(request):
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response


# --- The invited person's side: the link in the e-mail.

UNUSABLE_MESSAGES = {
    Invitation.State.ACCEPTED: (
        "This invitation has been used already",
        "Each invitation link works once. If you set your password, sign in.",
    ),
    Invitation.State.EXPIRED: (
        "This invitation has expired",
        "Ask the person who invited you to send it again.",
    ),
    Invitation.State.REVOKED: (
        "This invitation has been withdrawn",
        "Ask the person who invited you, or your organisation's administrator, if you "
        "still need access.",
    ),
    "unknown": (
        "This invitation link is not valid",
        "Check that you copied the whole link from the e-mail. If it still does not work, "
        "ask the person who invited you to send it again.",
    ),
}


@login_not_required
@never_cache
def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_usable(token)
    except services.InvitationUnusable as unusable:
        return _unusable(request, unusable.state)
    if request.user.is_authenticated:
        return render(request, "people/accept_signed_in.html", status=409)
    form = forms.AcceptInvitationForm(
        invitation.user, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invitation_accept(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except services.InvitationUnusable as unusable:
            return _unusable(request, unusable.state)
        login(request, person, backend="accounts.backends.UserWithOrganisationBackend")
        messages.success(request, "Your password has been set and you are signed in.")
        return redirect("home")
    return render(
        request,
        "people/accept.html",
        {"invitation": invitation, "form": form},
        status=400 if form.errors else 200,
    )


def _unusable(request, state: str):
    title, advice = UNUSABLE_MESSAGES.get(state, UNUSABLE_MESSAGES["unknown"])
    return render(
        request,
        "people/accept_unusable.html",
        {"title": title, "advice": advice, "state": state},
        status=410 if state != "unknown" else 404,
    )
