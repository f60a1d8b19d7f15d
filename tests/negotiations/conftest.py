import pytest
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement, NegotiationStatus
from negotiations.models import Comment, Referral, ReviewRating
from portal.demo import finish_review


@pytest.fixture
def lancashire(db) -> Agreement:
    """The demo agreement in GO review, with its challenges still open."""
    return Agreement.objects.get(area__name="Lancashire")


@pytest.fixture
def manchester(db) -> Agreement:
    """The demo agreement referred to departments (DCSF and DH)."""
    return Agreement.objects.get(area__name="Manchester")


@pytest.fixture
def lancashire_coordinator(db) -> User:
    return User.objects.get(email="lancashire.coordinator@example.org")


@pytest.fixture
def manchester_coordinator(db) -> User:
    return User.objects.get(email="manchester.coordinator@example.org")


def resolve_all(agreement: Agreement, user: User) -> None:
    Comment.objects.filter(agreement=agreement, parent__isnull=True).exclude(kind="comment").update(
        resolution="answered", resolved_by=user, resolved_at=timezone.now()
    )


def set_stage(agreement: Agreement, stage: str) -> Agreement:
    Agreement.objects.filter(pk=agreement.pk).update(stage=stage)
    agreement.refresh_from_db()
    return agreement


def settle_all(agreement: Agreement, user: User) -> None:
    """Everything agreement in principle waits for, written directly whatever the stage:
    challenges closed, items agreed, the checklist rated, referrals withdrawn, requests
    carried to the refresh."""
    resolve_all(agreement, user)
    agreement.targets.update(status=NegotiationStatus.AGREED)
    agreement.funding.update(status=NegotiationStatus.AGREED)
    for criterion in ReviewRating.Criterion.values:
        ReviewRating.objects.update_or_create(
            agreement=agreement, criterion=criterion, defaults={"rating": "strong"}
        )
    Referral.objects.filter(agreement=agreement, answered_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=user, withdrawal_reason="Not needed"
    )
    agreement.freedom_requests.exclude(state__in=["draft", "relayed"]).update(
        deferred_to_refresh_at=timezone.now()
    )


def ready_to_agree(agreement: Agreement, negotiator: User) -> None:
    """The GO closes its challenges and finishes the review through the services: the
    checklist rated, the remaining items agreed, open requests carried to the refresh."""
    resolve_all(agreement, negotiator)
    finish_review(agreement, negotiator)
