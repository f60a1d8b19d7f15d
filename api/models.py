"""API tokens (a person's own, or an organisation's for a system) and the log of every
request made to the read API."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation


class ApiToken(models.Model):
    """A secret that lets a program read the API with its owner's reach. Only the secret's
    SHA-256 is kept; the secret itself is shown once, when the token is made."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal"
        ORGANISATION = "organisation", "Organisation"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=100)
    # A personal token acts as its person; an organisation token as its organisation's
    # system (see `api.authentication`).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the secret, so that a person can tell their tokens apart.
    key_prefix = models.CharField(max_length=16)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="personal", user__isnull=False, organisation__isnull=True)
                    | Q(kind="organisation", user__isnull=True, organisation__isnull=False)
                ),
                name="token_has_one_owner_of_its_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def status_label(self) -> str:
        if self.is_revoked:
            return "Revoked"
        if self.is_expired:
            return "Expired"
        return "Active"

    @property
    def owner_label(self) -> str:
        return str(self.user) if self.user_id else str(self.organisation)


class ApiRequest(models.Model):
    """One request to the read API: who asked (token, or a signed-in person), what, and
    the answer's status. Throttling counts these rows."""

    token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.CASCADE, related_name="requests"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    query = models.CharField(max_length=500, blank=True)
    status = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["token", "created_at"], name="api_request_token_time"),
            models.Index(fields=["user", "created_at"], name="api_request_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"
