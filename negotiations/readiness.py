"""Reads that say whether the negotiation is finished: every item in a final status, every
referral settled, the review checklist rated, every submitted request answered or carried
to the refresh. The workflow's conditions and the "agree all remaining items" page use them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet

from agreements.models import (
    FINAL_STATUSES,
    Agreement,
    AgreementFundingStream,
    NegotiationStatus,
    Target,
)
from negotiations import registry
from negotiations.models import Referral, ReviewRating


@dataclass(frozen=True)
class Item:
    """A target or funding entry still to be settled, as the confirmation page lists it."""

    kind: str  # "target" or "funding"
    pk: int
    version: int
    status: str
    status_label: str
    label: str


def item_label(target: Target) -> str:
    """How a target is named in lists and messages: its indicator's code, or its title."""
    if target.indicator_id:
        return target.indicator.code
    return f"Local: {target.local_title}"


def targets_not_final(agreement: Agreement) -> QuerySet[Target]:
    """Targets negotiated here and not yet settled. Statutory education targets are agreed
    separately with DCSF, so they are not part of this negotiation."""
    return (
        agreement.targets.exclude(kind=Target.Kind.STATUTORY)
        .exclude(status__in=FINAL_STATUSES)
        .select_related("indicator")
        .only(
            "pk",
            "agreement",
            "kind",
            "version",
            "status",
            "local_title",
            "indicator",
            "indicator__code",
            "indicator__number",
            "indicator__title",
        )
        .order_by("kind", "indicator__number", "local_title", "pk")
    )


def funding_not_final(agreement: Agreement) -> QuerySet[AgreementFundingStream]:
    return (
        agreement.funding.exclude(status__in=FINAL_STATUSES)
        .select_related("stream")
        .only("pk", "version", "status", "stream__name")
        .order_by("stream__name")
    )


def items_not_final(agreement: Agreement) -> list[Item]:
    targets = [
        Item("target", t.pk, t.version, t.status, t.get_status_display(), item_label(t))
        for t in targets_not_final(agreement)
    ]
    funding = [
        Item(
            "funding",
            f.pk,
            f.version,
            f.status,
            f.get_status_display(),
            f"Funding: {f.stream.name}",
        )
        for f in funding_not_final(agreement)
    ]
    return targets + funding


def items_to_agree(agreement: Agreement) -> list[Item]:
    """What "agree all remaining items" agrees: every item not settled except a refused
    one, which the GO withdraws or agrees on its own. A challenged item stays: the GO
    decides whether the challenge is met."""
    return [i for i in items_not_final(agreement) if i.status != NegotiationStatus.REFUSED]


def items_refused(agreement: Agreement) -> list[Item]:
    return [i for i in items_not_final(agreement) if i.status == NegotiationStatus.REFUSED]


def unsettled_referrals(agreement: Agreement) -> QuerySet[Referral]:
    """Referrals of any version neither answered nor withdrawn."""
    return (
        Referral.objects.filter(
            agreement=agreement, answered_at__isnull=True, withdrawn_at__isnull=True
        )
        .select_related("department")
        .order_by("department__abbreviation", "version__number")
    )


def unrated_criteria(agreement: Agreement) -> list[str]:
    rated = set(agreement.review_ratings.values_list("criterion", flat=True))
    return [label for value, label in ReviewRating.Criterion.choices if value not in rated]


def requests_not_settled(agreement: Agreement) -> QuerySet:
    """Submitted requests neither answered and relayed nor carried to the refresh (as the
    freedoms app reads them). A draft request is not part of the negotiation."""
    return registry.requests().not_settled(agreement)


def fingerprint(items: list[Item], requests) -> str:
    """A short stamp of exactly what the confirmation page listed, so that confirming a
    stale page agrees nothing it did not show."""
    parts = [f"{i.kind}:{i.pk}:{i.version}:{i.status}" for i in items]
    parts += [f"request:{r.pk}:{r.version}:{r.state}" for r in requests]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _listed(names: list[str], limit: int = 8) -> str:
    if len(names) > limit:
        return ", ".join(names[:limit]) + f" and {len(names) - limit} more"
    return ", ".join(names)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def items_problem(agreement: Agreement) -> str:
    items = items_not_final(agreement)
    open_items = [i for i in items if i.status != NegotiationStatus.REFUSED]
    refused = [i for i in items if i.status == NegotiationStatus.REFUSED]
    problems = []
    if open_items:
        verb = "is" if len(open_items) == 1 else "are"
        problems.append(
            f"{_plural(len(open_items), 'item', 'items')} {verb} still proposed or challenged: "
            f"{_listed([i.label for i in open_items])}."
        )
    if refused:
        verb, it = ("is", "it") if len(refused) == 1 else ("are", "them")
        problems.append(
            f"{_plural(len(refused), 'item', 'items')} {verb} refused: "
            f"{_listed([i.label for i in refused])}. Withdraw {it}, or agree {it} one at a time."
        )
    return " ".join(problems)


def referrals_problem(agreement: Agreement) -> str:
    referrals = list(unsettled_referrals(agreement))
    if not referrals:
        return ""
    verb = "is" if len(referrals) == 1 else "are"
    names = list(dict.fromkeys(r.department.short_name for r in referrals))
    return (
        f"{_plural(len(referrals), 'referral', 'referrals')} {verb} not answered or "
        f"withdrawn: {_listed(names)}."
    )


def checklist_problem(agreement: Agreement) -> str:
    if not agreement.round.review_required_before_aip:
        return ""
    missing = unrated_criteria(agreement)
    if not missing:
        return ""
    return (
        f"The review checklist has {_plural(len(missing), 'criterion', 'criteria')} not rated: "
        f"{_listed(missing)}."
    )


def requests_problem(agreement: Agreement) -> str:
    requests = list(requests_not_settled(agreement))
    if not requests:
        return ""
    verb = "is" if len(requests) == 1 else "are"
    return (
        f"{_plural(len(requests), 'freedoms request', 'freedoms requests')} {verb} neither "
        "answered and relayed nor carried to the refresh: "
        f"{_listed([r.title for r in requests])}."
    )
