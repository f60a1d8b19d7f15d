"""People, the organisations they belong to, and the areas agreements are made for."""

import rules
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.models import TimestampedModel
from core.roles import Role


class Organisation(TimestampedModel):
    class Kind(models.TextChoices):
        LOCALITY = "locality", "Locality (lead council)"
        PARTNER = "partner", "Partner"
        GOVERNMENT_OFFICE = "government_office", "Government Office"
        DEPARTMENT = "department", "Government department"
        NATIONAL_TEAM = "national_team", "National LAA team"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    name = models.CharField(max_length=200)
    # Departments' abbreviations (DCSF, CLG...), used as the key in reference data.
    abbreviation = models.CharField(max_length=20, blank=True)
    slug = models.SlugField(max_length=120, unique=True)
    # A locality is the lead council of exactly one area.
    area = models.ForeignKey(
        "accounts.Area",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    # Dates as precise as the sources give them: "1994", "2007-06" or "2007-06-28".
    active_from = models.CharField(max_length=10, blank=True)
    active_to = models.CharField(max_length=10, blank=True)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(kind="locality"),
                name="one_locality_per_area",
            ),
            models.CheckConstraint(
                condition=Q(kind="locality", area__isnull=False) | ~Q(kind="locality"),
                name="locality_has_area",
            ),
            models.UniqueConstraint(
                fields=["abbreviation"],
                condition=Q(kind="department"),
                name="unique_department_abbreviation",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return self.abbreviation or self.name


class Area(TimestampedModel):
    """One of the 150 upper-tier or unitary council areas of 2008."""

    class Tier(models.TextChoices):
        COUNTY = "county", "County (two-tier)"
        METROPOLITAN = "metropolitan", "Metropolitan district"
        LONDON_BOROUGH = "london_borough", "London borough"
        UNITARY = "unitary", "Unitary authority"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    government_office = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="covered_areas",
        limit_choices_to={"kind": Organisation.Kind.GOVERNMENT_OFFICE},
    )
    ons_code = models.CharField("current ONS code", max_length=9, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_two_tier(self) -> bool:
        return self.tier == self.Tier.COUNTY


# Which kind of organisation each role belongs to.
ROLE_ORGANISATION_KIND = {
    Role.COORDINATOR: Organisation.Kind.LOCALITY,
    Role.PARTNER: Organisation.Kind.PARTNER,
    Role.NEGOTIATOR: Organisation.Kind.GOVERNMENT_OFFICE,
    Role.OFFICIAL: Organisation.Kind.DEPARTMENT,
    Role.ADMIN: Organisation.Kind.NATIONAL_TEAM,
}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # E-mail addresses are matched without regard to case.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    job_title = models.CharField(max_length=150, blank=True)
    notification_frequency = models.CharField(
        "e-mail me about updates",
        max_length=10,
        choices=[
            ("immediate", "As it happens"),
            ("daily", "In a daily digest"),
            ("none", "Never"),
        ],
        default="immediate",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the data administration site.")
    date_joined = models.DateTimeField(default=timezone.now)

    # Who changed a person's name, organisation, role or access, and when. The password
    # hash and the time of the last sign-in are not history.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="") | Q(organisation__isnull=False),
                name="role_needs_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        expected = ROLE_ORGANISATION_KIND.get(self.role)
        if expected and (self.organisation is None or self.organisation.kind != expected):
            raise ValidationError(
                {"organisation": f"A {Role(self.role).label} must belong to a {expected.label}."}
            )

    def has_perm(self, perm, obj=None) -> bool:
        # The portal's own rules decide for everyone, superusers included: a data
        # administrator does not thereby draft a locality's agreement.
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class SecurityEvent(models.Model):
    """One line of the security log: a sign-in, a refusal, or a change to someone's access.

    Rows are only ever added. `kind` is one of `Kind`; the field keeps no choices so that a
    new kind of event needs no migration.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", "Signed in"
        LOGOUT = "logout", "Signed out"
        LOGIN_FAILED = "login_failed", "Sign-in refused"
        PASSWORD_CHANGED = "password_changed", "Password changed"
        PASSWORD_RESET = "password_reset", "Password reset"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_RESENT = "invitation_resent", "Invitation sent again"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        ROLE_CHANGED = "role_changed", "Role changed"
        DEACTIVATED = "deactivated", "Access removed"
        REACTIVATED = "reactivated", "Access restored"
        SECOND_FACTOR_ADDED = "second_factor_added", "Second factor added"
        SECOND_FACTOR_REMOVED = "second_factor_removed", "Second factor removed"
        SECOND_FACTOR_RESET = "second_factor_reset", "Second factor reset"
        SECOND_FACTOR_VERIFIED = "second_factor_verified", "Second factor checked"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Second factor refused"
        RECOVERY_CODES_MADE = "recovery_codes_made", "Recovery codes made"
        SSO_LOGIN = "sso_login", "Signed in with single sign-on"
        SSO_REFUSED = "sso_refused", "Single sign-on refused"
        SESSION_ENDED = "session_ended", "Session ended"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=40)
    # Who did it (None for the person themself signing in, or the system).
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whose access it concerns.
    subject = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
    )
    address = models.GenericIPAddressField(null=True, blank=True)
    # Plain words, never a secret: "role coordinator -> partner", "user name a@b.gov.uk".
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "-at"], name="security_event_subject_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind_label}"

    @property
    def kind_label(self) -> str:
        try:
            return self.Kind(self.kind).label
        except ValueError:
            return self.kind


class SignedInSession(models.Model):
    """Whose a session is, and what it was signed in from, so a person can see and end their
    sessions (`/account/sessions/`).

    The session's data and expiry stay in the session store (`django_session`, through
    `laa_portal.sessions`); this row is added at sign-in and goes when the session ends. A
    row whose session has lapsed is never shown, and is removed when its owner next looks
    or by the nightly pruning (`accounts.tasks.prune_lapsed_sessions`), whichever is first.
    """

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="signed_in_sessions")
    signed_in_at = models.DateTimeField(default=timezone.now)
    # What the browser said it was, cut short; and the address it signed in from.
    user_agent = models.CharField(max_length=300, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    with_single_sign_on = models.BooleanField(default=False)

    class Meta:
        ordering = ["-signed_in_at", "-pk"]
        indexes = [models.Index(fields=["user", "-signed_in_at"], name="signed_in_session_user")]

    def __str__(self) -> str:
        return f"{self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"
