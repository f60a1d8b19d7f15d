"""Reads of the read API, scoped to the person (or organisation's system) asking.

Every list starts from the owning app's selector or query-shaped rule (`visible_agreements`,
`visible_requests`, `visible_areas`...): the API keeps no copy of who may see what."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import DateTimeField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Organisation, User
from accounts.selectors import area_get_for_user, areas_for_user
from agreements.models import Agreement, SignedTarget
from agreements.presentation import TargetPresentation
from agreements.selectors import agreements_visible_to
from api.models import ApiToken
from api.services import ORGANISATION_KINDS_WITH_TOKENS
from freedoms.models import FreedomRequest, NegotiatingBrief
from freedoms.permissions import visible_requests
from freedoms.selectors import BASE as REQUEST_RELATED
from freedoms.selectors import briefs_for, search_text
from freedoms.selectors import register as register_requests
from indicators.models import Indicator, Round
from indicators.selectors import indicators_search, round_get, rounds_list
from negotiations.models import Version
from negotiations.selectors import whose_turns, with_turn
from signoff.models import SignOff

# --- Tokens ------------------------------------------------------------------------------


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_of(user: User, pk: int) -> ApiToken:
    return get_object_or_404(tokens_of(user), pk=pk)


def organisation_tokens() -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.filter(kind=ApiToken.Kind.ORGANISATION)
        .select_related("organisation", "created_by")
        .order_by("-created_at", "-pk")
    )


def organisation_token_get(pk: int) -> ApiToken:
    return get_object_or_404(organisation_tokens(), pk=pk)


def organisations_for_tokens() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=ORGANISATION_KINDS_WITH_TOKENS).order_by(
        "kind", "name"
    )


# --- Reference data: the same for every signed-in reader ----------------------------------


def rounds() -> QuerySet[Round]:
    return rounds_list()


def round_for(slug: str) -> Round:
    return round_get(slug)


def indicators() -> QuerySet[Indicator]:
    return indicators_search()


def indicator_for(slug: str) -> Indicator:
    return get_object_or_404(indicators(), code__iexact=slug.replace("-", " "))


def areas(user: User):
    return areas_for_user(user)


def area_for(user: User, slug: str):
    return area_get_for_user(user, slug)


# --- Agreements ---------------------------------------------------------------------------


def _latest_version() -> QuerySet[Version]:
    return Version.objects.filter(agreement=OuterRef("pk")).order_by("-number")


def with_changed_at(agreements: QuerySet[Agreement]) -> QuerySet[Agreement]:
    """Each agreement with its latest version's number and when it last changed (its own
    row, or a new version), without reading any version's content."""
    latest = _latest_version()
    return agreements.annotate(
        latest_version_number=Subquery(latest.values("number")[:1]),
        changed_at=Greatest(
            F("updated_at"),
            Coalesce(
                Subquery(latest.values("created_at")[:1]),
                F("updated_at"),
                output_field=DateTimeField(),
            ),
        ),
    )


def agreements(user: User) -> QuerySet[Agreement]:
    """The agreements the user may see, ready to list with whose turn it is."""
    return with_changed_at(
        with_turn(agreements_visible_to(user)).select_related("round", "area__government_office")
    ).annotate(signed_version_number=F("signed_version__number"))


def agreement_for(user: User, *, round_slug: str, area_slug: str) -> Agreement:
    return get_object_or_404(agreements(user), round__slug=round_slug, area__slug=area_slug)


def turns_of(agreement_list) -> dict[int, str]:
    """Whose turn it is on each agreement of a page, as the pages say it."""
    return {agreement.pk: text for agreement, text in whose_turns(agreement_list)}


def versions_of(agreement: Agreement) -> QuerySet[Version]:
    return agreement.versions.defer("content").order_by("number")


def signed_version_ids(agreement: Agreement) -> set[int]:
    """The agreement's versions a completed sign-off signed (an amendment's signature
    leaves the earlier signed version signed)."""
    ids = set(
        SignOff.objects.filter(agreement=agreement, state=SignOff.State.COMPLETED).values_list(
            "version_id", flat=True
        )
    )
    if agreement.signed_version_id:
        ids.add(agreement.signed_version_id)
    return ids


def version_for(agreement: Agreement, number: int) -> Version:
    return get_object_or_404(Version, agreement=agreement, number=number)


# --- Freedoms and flexibilities -----------------------------------------------------------


def requests(user: User) -> QuerySet[FreedomRequest]:
    return (
        FreedomRequest.objects.filter(visible_requests(user))
        .select_related(*REQUEST_RELATED)
        .defer("search_vector")
    )


def request_for(user: User, *, round_slug: str, area_slug: str, number: int) -> FreedomRequest:
    return get_object_or_404(
        requests(user),
        agreement__round__slug=round_slug,
        agreement__area__slug=area_slug,
        number=number,
    )


def register(*, q: str = "", department: str = "", outcome: str = "") -> QuerySet[FreedomRequest]:
    """The register of decisions (answered requests of every area), as the page reads it; a
    search keeps the requests mentioning every word, on any database."""
    answered = register_requests(department=department, outcome=outcome).defer("search_vector")
    return search_text(answered, q) if q.strip() else answered


def briefs(user: User, round_: Round) -> QuerySet[NegotiatingBrief]:
    if not user.has_perm("freedoms.see_brief"):
        raise Http404
    return briefs_for(user, round_).order_by("department__abbreviation", "pk")


# --- The agreed targets of a round ----------------------------------------------------------


@dataclass(frozen=True)
class AgreedTargets:
    round: Round
    agreements: int
    rows: list[dict]

    @property
    def last_signed_at(self) -> dt.datetime | None:
        return max((row["signed_at"] for row in self.rows if row["signed_at"]), default=None)


def agreed_targets(user: User, round_: Round) -> AgreedTargets:
    """Every target of every signed agreement of the round the user may see, one row each,
    as the signed version froze it, presented as the pages present it. Keyed by round, area
    ONS code and indicator code (a local target of its own: its `target_key`). Rows are
    plain values, ready to send (`api.serializers.AgreedTargetRowSerializer` describes
    them): a national round has thousands.

    The frozen targets come from the signed targets table (`agreements.SignedTarget`, written
    by the signature that signs each version), not from each version's whole content. Two
    queries, however many agreements."""
    signed = (
        agreements_visible_to(user)
        .filter(round=round_, signed_version__isnull=False)
        .select_related("area__government_office")
        .annotate(signed_number=F("signed_version__number"))
        .order_by("area__name")
    )
    listed = list(signed)
    held: dict[int, tuple[list | None, list[dict]]] = {}
    for agreement_id, years, entry in (
        SignedTarget.objects.filter(
            version=F("agreement__signed_version"), agreement__in=signed.values("pk")
        )
        .order_by("agreement_id", "position")
        .values_list("agreement_id", "years", "entry")
    ):
        held.setdefault(agreement_id, (years, []))[1].append(entry)
    rows = []
    for agreement in listed:
        frozen_years, items = held.get(agreement.pk, (None, []))
        years = list(frozen_years or round_.years)
        for item in items:
            target = TargetPresentation.from_snapshot(item, years)
            rows.append(
                {
                    "round": round_.slug,
                    "area_ons_code": agreement.area.ons_code,
                    "indicator_code": target.code if target.is_national_indicator else "",
                    "target_key": target.key,
                    "area": agreement.area.slug,
                    "area_name": agreement.area.name,
                    "government_office": agreement.area.government_office.slug,
                    "signed_version": agreement.signed_number,
                    "signed_at": agreement.signed_at,
                    "kind": target.kind,
                    "title": target.title,
                    "units": target.units,
                    "baseline": target.baseline_value,
                    "baseline_places": target.baseline_places,
                    "baseline_year": target.baseline_year,
                    "baseline_due_by": target.baseline_by_iso,
                    "baseline_text": target.baseline_text,
                    "years": [
                        {"year": y.year, "value": y.value, "places": y.places, "text": y.text}
                        for y in target.years
                    ],
                    "is_qualitative": target.is_qualitative,
                    "statement": target.statement,
                    "is_stretch": target.is_stretch,
                    "is_deferred": target.is_deferred,
                    "caveats": target.caveats,
                    "lead_partner": target.lead_partner,
                    "status": target.status,
                    "status_label": target.status_label,
                    "statutory_state_label": target.statutory_state_label,
                }
            )
    return AgreedTargets(round=round_, agreements=len(listed), rows=rows)


# --- The change feed -------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    type: str
    changed_at: dt.datetime
    round: str
    area: str
    version: int | None


def changes_since(user: User, since: dt.datetime, limit: int) -> tuple[list[Change], bool]:
    """Agreements and versions the user may see that changed after `since`, oldest first, at
    most `limit` (and whether more remain). Changes sharing the last moment are never split
    between two answers."""
    visible = agreements_visible_to(user)
    changed_agreements = (
        with_changed_at(visible)
        .filter(Q(changed_at__gt=since))
        .order_by(F("changed_at").asc(), "pk")
        .values("round__slug", "area__slug", when=F("changed_at"))[: limit + 1]
    )
    new_versions = (
        Version.objects.filter(agreement__in=visible.values("pk"), created_at__gt=since)
        .order_by("created_at", "pk")
        .values_list("created_at", "agreement__round__slug", "agreement__area__slug", "number")[
            : limit + 1
        ]
    )
    found = [
        Change("agreement", row["when"], row["round__slug"], row["area__slug"], None)
        for row in changed_agreements
    ]
    found += [Change("version", when, r, a, n) for when, r, a, n in new_versions]
    found.sort(key=lambda change: (change.changed_at, change.type != "version"))
    if len(found) <= limit:
        return found, False
    page = found[:limit]
    last = page[-1].changed_at
    trimmed = [change for change in page if change.changed_at < last]
    # All at one moment: give them all rather than never move on.
    return (trimmed or [c for c in found if c.changed_at == last]), True
