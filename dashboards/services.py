"""Subscriptions to the weekly status summary, and sending it.

The summary of a scope for a week is made once (a `WeeklySummary` row with its file) and
each subscriber's copy is recorded (`SummaryDelivery`, unique per summary and person) in
the same transaction as the sending: beat running the job twice in a week, or two
workers at once, send nobody anything twice. A failed send rolls its row back, so the
next run tries that person again.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from dashboards.models import Subscription, SummaryDelivery, WeeklySummary
from dashboards.pdf import render_summary_pdf, summary_filename
from dashboards.selectors import Scope
from indicators.models import Round
from indicators.selectors import current_round

logger = logging.getLogger(__name__)


def may_subscribe(user: User, scope: Scope) -> bool:
    if scope.is_national:
        return user.has_perm("dashboards.view_national")
    return user.has_perm("dashboards.view_region", scope.government_office)


def is_subscribed(user: User, scope: Scope) -> bool:
    subscriptions = Subscription.objects.filter(user=user)
    return subscriptions.filter(government_office=scope.government_office).exists()


def subscription_set(*, user: User, scope: Scope, subscribed: bool) -> bool:
    """Start or stop the user's weekly e-mail of this scope's summary; says whether it
    changed anything. Only someone who may see the dashboard may have it by e-mail."""
    if not may_subscribe(user, scope):
        raise PermissionDenied("This summary is not for this user.")
    existing = Subscription.objects.filter(user=user, government_office=scope.government_office)
    if not subscribed:
        deleted, _ = existing.delete()
        return bool(deleted)
    try:
        with transaction.atomic():
            _, created = Subscription.objects.get_or_create(
                user=user, government_office=scope.government_office
            )
    except IntegrityError:  # the same person pressing twice at once
        return False
    return created


def week_starting(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def weekly_summary_get_or_make(
    *, scope: Scope, round_: Round, week: dt.date, today: dt.date
) -> WeeklySummary:
    """The scope's summary for the week, rendering its PDF the first time it is asked for."""
    try:
        with transaction.atomic():
            summary, _ = WeeklySummary.objects.get_or_create(
                government_office=scope.government_office,
                week_starting=week,
                defaults={"round": round_},
            )
    except IntegrityError:  # made at the same moment by another worker
        summary = WeeklySummary.objects.get(
            government_office=scope.government_office, week_starting=week
        )
    with transaction.atomic():
        summary = WeeklySummary.objects.select_for_update().get(pk=summary.pk)
        if not summary.file:
            pdf = render_summary_pdf(scope, summary.round, today)
            summary.file.save(summary_filename(scope, summary.round, today), ContentFile(pdf))
    return summary


def _message(summary: WeeklySummary, scope: Scope, user: User, attachment: bytes) -> EmailMessage:
    week = summary.week_starting.strftime("%-d %B %Y")
    link = f"{settings.PORTAL_BASE_URL}{scope.url()}"
    message = EmailMessage(
        subject=f"LAA Portal: {scope.title} summary, week of {week}",
        body=(
            f"Attached is the status summary of the {summary.round.name} agreements for "
            f"{scope.name}, week of {week}, as a PDF.\n\n"
            f"The dashboard, always up to date: {link}\n\n"
            "You get this e-mail because you asked for it on the dashboard, where you can "
            "stop it too.\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach((summary.file.name or "").rsplit("/", 1)[-1], attachment, "application/pdf")
    return message


def weekly_summaries_send(*, today: dt.date | None = None) -> int:
    """E-mail each subscriber this week's summary of their scope, once. Returns how many
    e-mails were sent by this run."""
    today = today or timezone.localdate()
    round_ = current_round()
    if round_ is None:
        return 0
    week = week_starting(today)
    by_scope: dict[int | None, list[Subscription]] = defaultdict(list)
    for subscription in Subscription.objects.select_related("user__organisation").order_by("pk"):
        by_scope[subscription.government_office_id].append(subscription)
    offices = Organisation.objects.in_bulk([pk for pk in by_scope if pk is not None])
    sent = 0
    for office_id, subscriptions in by_scope.items():
        scope = Scope(offices[office_id] if office_id else None)
        readers = [
            s.user for s in subscriptions if s.user.is_active and may_subscribe(s.user, scope)
        ]
        already = set(
            SummaryDelivery.objects.filter(
                summary__government_office_id=office_id, summary__week_starting=week
            ).values_list("user_id", flat=True)
        )
        readers = [user for user in readers if user.pk not in already]
        if not readers:
            continue
        summary = weekly_summary_get_or_make(scope=scope, round_=round_, week=week, today=today)
        with summary.file.open("rb") as handle:
            attachment = handle.read()
        for user in readers:
            try:
                with transaction.atomic():
                    SummaryDelivery.objects.create(summary=summary, user=user, email=user.email)
                    _message(summary, scope, user, attachment).send()
            except IntegrityError:
                continue  # another run sent it meanwhile
            except (OSError, smtplib.SMTPException):
                # Not recorded, so the next run (hourly on Mondays) tries this person
                # again; the others still get theirs now.
                logger.exception("weekly summary to user %s not sent", user.pk)
                continue
            sent += 1
    return sent
