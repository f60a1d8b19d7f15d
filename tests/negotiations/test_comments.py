"""Comments and challenge: anchors, kinds, threads, resolution, and who may read what."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from agreements.models import Target
from core.errors import ServiceError
from negotiations import services
from negotiations.activity import timeline
from negotiations.models import Comment
from notifications.models import Notification

SECRET = "regional adviser thinks 9.0 is achievable"


def test_a_locality_user_never_sees_a_go_internal_comment(
    client, lancashire, lancashire_coordinator, negotiator
):
    # In pages.
    client.force_login(lancashire_coordinator)
    page = client.get("/agreements/2008-11/lancashire/negotiation/").content.decode()
    assert "A fall of 0.7 points" in page
    assert SECRET not in page
    assert (
        SECRET
        not in client.get("/agreements/2008-11/lancashire/negotiation/activity/").content.decode()
    )
    # In timelines.
    assert not any(SECRET in e.text for e in timeline(lancashire_coordinator, lancashire))
    assert any(SECRET in e.text for e in timeline(negotiator, lancashire))
    # In e-mails.
    assert not Notification.objects.filter(
        user=lancashire_coordinator, body__contains=SECRET
    ).exists()
    # And the GO sees it.
    client.force_login(negotiator)
    assert SECRET in client.get("/agreements/2008-11/lancashire/negotiation/").content.decode()


def test_mentioning_a_locality_user_in_an_internal_comment_does_not_reach_them(
    lancashire, lancashire_coordinator, negotiator
):
    comment = services.comment_add(
        agreement=lancashire,
        actor=negotiator,
        visibility=Comment.Visibility.GO_INTERNAL,
        body=f"Ask @{lancashire_coordinator.email} later. Internal only.",
    )
    assert list(comment.mentions.all()) == []
    assert not Notification.objects.filter(
        user=lancashire_coordinator, body__contains="Internal only"
    ).exists()


def test_a_mention_notifies_a_reader(lancashire, lancashire_coordinator, negotiator):
    services.comment_add(
        agreement=lancashire,
        actor=lancashire_coordinator,
        visibility=Comment.Visibility.LOCALITY,
        body=f"@{negotiator.email} we will send the census evidence on Friday.",
    )
    assert Notification.objects.filter(user=negotiator, subject__contains="mentioned you").exists()


def test_a_challenge_marks_its_target_challenged_and_notifies_the_locality(
    lancashire, lancashire_coordinator, negotiator
):
    target = lancashire.targets.get(indicator__code="NI 120")
    services.comment_add(
        agreement=lancashire,
        actor=negotiator,
        kind=Comment.Kind.CHALLENGE,
        visibility=Comment.Visibility.LOCALITY,
        target=target,
        body="Why so modest?",
    )
    assert Target.objects.get(pk=target.pk).status == "challenged"
    assert Notification.objects.filter(
        user=lancashire_coordinator, subject__contains="Challenge needing a justification"
    ).exists()


def test_only_the_go_challenges(lancashire, lancashire_coordinator):
    with pytest.raises(ServiceError, match="Only the Government Office"):
        services.comment_add(
            agreement=lancashire,
            actor=lancashire_coordinator,
            kind=Comment.Kind.CHALLENGE,
            visibility=Comment.Visibility.LOCALITY,
            body="x",
        )


def test_a_locality_cannot_write_an_internal_comment(lancashire, lancashire_coordinator):
    with pytest.raises(PermissionDenied):
        services.comment_add(
            agreement=lancashire,
            actor=lancashire_coordinator,
            visibility=Comment.Visibility.GO_INTERNAL,
            body="x",
        )


def test_threaded_replies_and_resolution_by_a_named_person(
    client, lancashire, lancashire_coordinator, negotiator
):
    challenge = Comment.objects.get(agreement=lancashire, kind=Comment.Kind.CHALLENGE)
    client.force_login(lancashire_coordinator)
    base = "/agreements/2008-11/lancashire/negotiation/comments/"
    client.post(f"{base}{challenge.pk}/reply/", {"body": "The trend flattened in 2007."})
    reply = challenge.replies.get()
    assert reply.visibility == challenge.visibility and reply.author == lancashire_coordinator
    # The locality may not close the GO's challenge, but may propose closing it.
    for resolution in ("withdrawn", "answered"):
        client.post(f"{base}{challenge.pk}/resolve/", {"resolution": resolution})
        challenge.refresh_from_db()
        assert challenge.resolution == ""
    client.post(f"{base}{challenge.pk}/propose-closing/")
    challenge.refresh_from_db()
    assert challenge.closing_proposed_by == lancashire_coordinator
    client.force_login(negotiator)
    client.post(f"{base}{challenge.pk}/resolve/", {"resolution": "answered"})
    challenge.refresh_from_db()
    assert challenge.resolution == "answered"
    assert challenge.resolved_by == negotiator and challenge.resolved_at
    assert Notification.objects.filter(user=negotiator, subject__contains="replied").exists()


def test_comment_form_errors_use_the_error_summary(client, lancashire, negotiator):
    client.force_login(negotiator)
    response = client.post(
        "/agreements/2008-11/lancashire/negotiation/comments/",
        {
            "anchor": "section:agreement",
            "kind": "comment",
            "visibility": "locality",
            "body": "",
        },
    )
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert "Write the comment" in response.content.decode()


def test_people_outside_the_agreement_cannot_comment(client, lancashire):
    client.force_login(User.objects.get(email="coordinator@example.org"))
    response = client.post(
        "/agreements/2008-11/lancashire/negotiation/comments/",
        {
            "anchor": "section:agreement",
            "body": "Hello",
        },
    )
    assert response.status_code == 404
