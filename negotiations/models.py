"""The negotiation: stage changes, frozen versions, comments and challenge, the GO's
review, and referrals to departments with their views per target."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from accounts.models import Organisation
from agreements.stages import Action, Stage
from core.models import TimestampedModel


class ImmutableError(Exception):
    pass


class Version(models.Model):
    """The complete content of an agreement when it was submitted. Never changes."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    content = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="version_number_once"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("A version cannot be changed once made.")
        super().save(*args, **kwargs)


class StageChange(models.Model):
    """One move of the agreement through the workflow: who, from, to, when and why."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="stage_changes"
    )
    action = models.CharField(max_length=32, choices=Action.choices)
    from_stage = models.CharField(max_length=32, choices=Stage.choices)
    to_stage = models.CharField(max_length=32, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    version = models.ForeignKey(Version, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Not a column: the notifications the move sent, set by the service that made it, so
    # the page that confirms the move names the people told.
    notified: tuple | list = ()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.from_stage} → {self.to_stage})"


class Comment(TimestampedModel):
    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        SUGGESTION = "suggestion", "Suggestion"
        CHALLENGE = "challenge", "Challenge needing a justification"
        REQUIRED_CHANGE = "required_change", "Required change"

    class Visibility(models.TextChoices):
        LOCALITY = "locality", "Shared with the locality"
        GO_INTERNAL = "go_internal", "GO internal"
        DEPARTMENTS = "departments", "Shared with departments"

    class Resolution(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        ANSWERED = "answered", "Answered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Section(models.TextChoices):
        AGREEMENT = "agreement", "The agreement as a whole"
        STORY = "story_of_place", "Story of place"
        GOVERNANCE = "governance", "Governance and performance management"
        THEMES = "themes", "Themes and outcomes"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # What the comment is about: a section, or one target or funding stream.
    section = models.CharField(max_length=20, choices=Section.choices, default=Section.AGREEMENT)
    target = models.ForeignKey(
        "agreements.Target",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    funding = models.ForeignKey(
        "agreements.AgreementFundingStream",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    visibility = models.CharField(max_length=20, choices=Visibility.choices)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    # The locality answers a challenge and may propose closing it; only the side that
    # raised it (or an admin) closes it.
    closing_proposed_at = models.DateTimeField(null=True, blank=True)
    closing_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept when the anchored target is removed: its label and its last version.
    anchor_label_kept = models.CharField(max_length=400, blank=True)
    anchor_version = models.ForeignKey(
        Version, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution="") | Q(resolved_at__isnull=False),
                name="resolution_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author}"

    @property
    def needs_resolution(self) -> bool:
        return self.parent_id is None and self.kind != self.Kind.COMMENT

    @property
    def is_open(self) -> bool:
        return self.needs_resolution and not self.resolution

    @property
    def anchor_label(self) -> str:
        if self.target_id:
            return f"Target {self.target.code}" if self.target.indicator_id else self.target.name
        if self.funding_id:
            return f"Funding stream {self.funding.stream.name}"
        if self.anchor_label_kept:
            return f"{self.anchor_label_kept} (removed)"
        return self.get_section_display()


class ReviewRating(TimestampedModel):
    """The GO's assessment against the published checklist, visible to the locality."""

    class Criterion(models.TextChoices):
        FOCUS = "focus", "Focus"
        AMBITION = "ambition", "Ambition"
        RATIONALE = "rationale", "Rationale and evidence"
        DIFFERENCE = "difference", "Difference made"
        CLARITY = "clarity", "Clarity of governance, performance management and funding"
        INCLUSIVITY = "inclusivity", "Inclusivity"

    class Rating(models.TextChoices):
        STRONG = "strong", "Strong"
        ADEQUATE = "adequate", "Adequate"
        NEEDS_WORK = "needs_work", "Needs work"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="review_ratings"
    )
    criterion = models.CharField(max_length=20, choices=Criterion.choices)
    rating = models.CharField(max_length=12, choices=Rating.choices)
    note = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "criterion"], name="one_rating_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {self.get_rating_display()}"


class Referral(TimestampedModel):
    """The GO bringing a department in on a version of the agreement, with a due date."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="referrals"
    )
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="referrals",
        limit_choices_to={"kind": Organisation.Kind.DEPARTMENT},
    )
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="referrals")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(blank=True)
    # The GO may withdraw a referral it no longer needs, with a reason.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "department__abbreviation"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "department", "version"], name="one_referral_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} referred to {self.department.short_name}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_settled(self) -> bool:
        return self.is_answered or self.is_withdrawn


class TargetView(TimestampedModel):
    class Opinion(models.TextChoices):
        SUPPORT = "support", "Support"
        CONCERNS = "concerns", "Support with concerns"
        OBJECT = "object", "Object"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="views")
    target = models.ForeignKey(
        "agreements.Target", on_delete=models.CASCADE, related_name="department_views"
    )
    opinion = models.CharField(max_length=10, choices=Opinion.choices)
    comment = models.TextField(blank=True)
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["referral", "target"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "target"], name="one_view_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.referral.department.short_name}: {self.get_opinion_display()}"


class MilestoneReminder(models.Model):
    """A reminder sent about a milestone; one of each kind per agreement, so beat running
    twice, or two beats, never send it twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="milestone_reminders"
    )
    milestone = models.ForeignKey(
        "indicators.Milestone", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "milestone", "kind"], name="one_reminder_of_each_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.milestone} for {self.agreement}"


class AmendmentReason(TimestampedModel):
    """Why one item changed in an amendment to a signed agreement. Keyed by the change's
    stable key (see `negotiations.amendments`), against the signed version it amends."""

    agreement = models.ForeignKey(
        "agreements.Agreement", on_delete=models.CASCADE, related_name="amendment_reasons"
    )
    base_version = models.ForeignKey(Version, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=300)
    reason = models.TextField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "base_version", "key"], name="one_reason_per_change"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.reason[:40]}"


class ReferralDraft(TimestampedModel):
    """A department official's answers to a referral not yet saved as views: what each
    target's fieldset held (opinion, comment, and the stamp of the view it was read
    against), kept so that nothing typed is lost to a reload. One per person and referral;
    removed once the views are saved."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="drafts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # {target id: {"opinion": ..., "comment": ..., "seen": ...}}
    answers = models.JSONField(default=dict)
    summary = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral", "author"], name="one_draft_per_person"),
        ]

    def __str__(self) -> str:
        return f"Draft by {self.author} on {self.referral}"
