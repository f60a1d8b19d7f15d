import pytest
from django.utils import timezone

from accounts.models import User
from agreements.models import Agreement
from negotiations.models import Comment


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
