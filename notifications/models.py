from django.conf import settings
from django.db import models


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As it happens"
    DAILY = "daily", "In a daily digest"
    NONE = "none", "Never"


class Notification(models.Model):
    """An e-mail owed to someone. The row is the truth; the broker only carries its id."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    delivery = models.CharField(max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # When the broker took the message to send it (immediate ones only): a row still unsent
    # and never (or long ago) dispatched is sent again by beat's redispatch.
    dispatched_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["delivery", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.subject} to {self.user}"
