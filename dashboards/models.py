"""Who wants the weekly status summary, and each summary sent: one row per scope and week,
with one row per person it went to, so a second run in the same week sends nothing."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Organisation


class Subscription(models.Model):
    """A person who asked for a scope's summary every Monday. No Government Office means
    the national summary."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="summary_subscriptions"
    )
    government_office = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.GOVERNMENT_OFFICE},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["government_office__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "government_office"], name="one_subscription_per_region"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(government_office__isnull=True),
                name="one_national_subscription",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.government_office or 'national'}"


class WeeklySummary(models.Model):
    """The summary of one scope for the week starting on a Monday: the file made once."""

    government_office = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    round = models.ForeignKey("indicators.Round", on_delete=models.CASCADE, related_name="+")
    week_starting = models.DateField()
    file = models.FileField(upload_to="summaries/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-week_starting", "government_office__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["government_office", "week_starting"], name="one_summary_per_region_week"
            ),
            models.UniqueConstraint(
                fields=["week_starting"],
                condition=Q(government_office__isnull=True),
                name="one_national_summary_per_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.government_office or 'National'} summary, week of {self.week_starting}"


class SummaryDelivery(models.Model):
    """The summary sent to one person. Recorded in the same transaction as the sending,
    under a unique constraint, so nobody gets the same week's summary twice."""

    summary = models.ForeignKey(WeeklySummary, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["summary", "user"], name="one_delivery_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.summary} to {self.email}"
