"""Ambition in context: what other areas chose on an indicator, and where a proposal sits.

The peers a person may compare against are the targets of every other area's signed
agreement (public: CLG published every area's priorities) and, for a Government Office's
negotiators, the latest submitted version of each of its own areas' agreements not signed
yet. A live draft of another area never counts. Every figure takes the same few queries
however many areas there are: the signed targets come from their table
(`agreements.SignedTarget`) in one query, a Government Office's submitted versions in one
more, the area's statistical neighbours in one more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, OuterRef, Subquery
from django.shortcuts import get_object_or_404

from accounts.models import Area, User
from agreements.models import Agreement, SignedTarget, Target
from agreements.presentation import decimal_text, number_or_none, places_of, with_units
from ambition import stats
from ambition.charts import StripChart, strip_chart
from indicators.models import Indicator, Round, StatisticalNeighbour

SIGNED, SUBMITTED = "signed", "submitted"

# The versions of an agreement, reached through its relation so that this app imports
# nothing from the negotiation above it.
Version = Agreement._meta.get_field("versions").related_model
Versions = Version._default_manager


@dataclass(frozen=True)
class PeerTarget:
    """One other area's target on the indicator, as its version froze it."""

    area_id: int
    area_name: str
    area_slug: str
    tier: str
    government_office_id: int
    kind: str
    baseline: Decimal | None
    baseline_places: int | None
    end: Decimal | None  # the target for the round's last year
    yearly_values: tuple[str, ...]
    units: str
    source: str  # SIGNED or SUBMITTED
    version_number: int

    @property
    def baseline_shown(self) -> str:
        return with_units(decimal_text(self.baseline, self.baseline_places), self.units)

    @property
    def end_shown(self) -> str:
        last = self.yearly_values[-1] if self.yearly_values else ""
        return with_units(decimal_text(self.end, places_of(last)), self.units)

    def improvement(self, sign: int) -> Decimal | None:
        if self.baseline is None or self.end is None:
            return None
        return (self.end - self.baseline) * sign


@dataclass(frozen=True)
class Group:
    key: str
    label: str  # "all areas", "areas in GO North West"...


@dataclass
class GroupFigures:
    group: Group
    designated: int
    local: int
    # Peers with a baseline and an end-of-round target, in the order of their improvement.
    peers: list[tuple[PeerTarget, Decimal]]
    baseline: stats.Summary | None = None
    change: stats.Summary | None = None
    per_year: stats.Summary | None = None
    position: stats.Position | None = None
    sentence: str = ""
    chart: StripChart | None = None

    @property
    def chose(self) -> int:
        return self.designated + self.local

    @property
    def shown(self) -> bool:
        return len(self.peers) >= stats.MINIMUM_AREAS

    @property
    def chose_shown(self) -> bool:
        return self.chose == 0 or self.chose >= stats.MINIMUM_AREAS


@dataclass
class Figures:
    indicator: Indicator
    round: Round
    area: Area
    polarity: str  # "higher", "lower" or "" (not recorded)
    units: str
    years: int
    baseline: Decimal | None
    end: Decimal | None
    change: Decimal | None  # the proposal's improvement (or increase, without a polarity)
    per_year: Decimal | None
    includes_submitted: bool
    neighbours_source: str
    groups: list[GroupFigures] = field(default_factory=list)
    # The proposal's baseline and final target as typed ("7.0" stays "7.0").
    baseline_shown: str = ""
    end_shown: str = ""

    @property
    def directed(self) -> bool:
        return bool(self.polarity)

    @property
    def word(self) -> str:
        return "improvement" if self.directed else "increase"

    @property
    def national(self) -> GroupFigures:
        return self.groups[0]

    @property
    def is_bottom_quartile(self) -> bool:
        position = self.national.position
        return self.national.shown and position is not None and position.is_bottom_quartile

    def text(self, value: Decimal | None, places: int | None = None) -> str:
        if value is None:
            return ""
        return with_units(decimal_text(_rounded(value, places)), self.units)


def _rounded(value: Decimal, places: int | None) -> Decimal:
    # Medians and quartiles of typed figures: two places more than a figure usually has is
    # as precise as the comparison can honestly be.
    return value.quantize(Decimal(1).scaleb(-(places if places is not None else 2)))


def polarity_sign(polarity: str) -> int:
    return -1 if polarity == Target.Polarity.LOWER else 1


# --- The pool of peers ------------------------------------------------------------------


def may_compare_with_submitted(user: User) -> bool:
    return user.has_perm("ambition.compare_with_submitted")


def _entries(rows: Iterable[tuple], source: str, codes: set[str]) -> dict[str, list[PeerTarget]]:
    found: dict[str, list[PeerTarget]] = {}
    for area_id, name, slug, tier, office_id, number, targets in rows:
        for entry in targets or []:
            code = entry.get("code") or ""
            if code not in codes:
                continue
            yearly = tuple(
                str(v) if v not in (None, "") else "" for v in entry.get("yearly_values") or []
            )
            qualitative = bool(entry.get("is_qualitative"))
            end = number_or_none(yearly[-1]) if yearly and not qualitative else None
            found.setdefault(code, []).append(
                PeerTarget(
                    area_id=area_id,
                    area_name=name,
                    area_slug=slug,
                    tier=tier,
                    government_office_id=office_id,
                    kind=entry.get("kind") or "",
                    baseline=number_or_none(entry.get("baseline_value")),
                    baseline_places=entry.get("baseline_places"),
                    end=end,
                    yearly_values=yearly,
                    units=entry.get("indicator_units") or entry.get("units") or "",
                    source=source,
                    version_number=number,
                )
            )
    return found


AREA_COLUMNS = (
    "area_id",
    "area__name",
    "area__slug",
    "area__tier",
    "area__government_office_id",
)


def _peer(row: tuple) -> PeerTarget:
    """A peer from a row of the signed targets table (`SIGNED_COLUMNS`), as `_entries`
    reads the same target from the version's content."""
    (
        area_id,
        name,
        slug,
        tier,
        office_id,
        number,
        kind,
        baseline,
        places,
        yearly,
        qualitative,
        units,
        indicator_units,
    ) = row
    yearly = tuple(yearly or ())
    return PeerTarget(
        area_id=area_id,
        area_name=name,
        area_slug=slug,
        tier=tier,
        government_office_id=office_id,
        kind=kind,
        baseline=number_or_none(baseline),
        baseline_places=places,
        end=number_or_none(yearly[-1]) if yearly and not qualitative else None,
        yearly_values=yearly,
        units=indicator_units or units,
        source=SIGNED,
        version_number=number,
    )


SIGNED_COLUMNS = (
    *AREA_COLUMNS,
    "version__number",
    "kind",
    "baseline_value",
    "baseline_places",
    "yearly_values",
    "is_qualitative",
    "units",
    "indicator_units",
    "code",
)


def signed_pool(round_: Round, codes: set[str]) -> dict[str, list[PeerTarget]]:
    """Every area's signed target on each of the indicators, from the signed targets table
    (written by the signature that signs each version): one query."""
    found: dict[str, list[PeerTarget]] = {}
    rows = (
        SignedTarget.objects.filter(
            round=round_, code__in=codes, version=F("agreement__signed_version")
        )
        .order_by("area__name", "agreement_id", "position")
        .values_list(*SIGNED_COLUMNS)
    )
    for row in rows:
        found.setdefault(row[-1], []).append(_peer(row[:-1]))
    return found


def submitted_pool(user: User, round_: Round, codes: set[str]) -> dict[str, list[PeerTarget]]:
    """The latest submitted version of each of the person's Government Office's areas not
    signed yet: one query, and none for anyone but the GO's negotiators."""
    if not may_compare_with_submitted(user):
        return {}
    latest = (
        Versions.filter(agreement=OuterRef("agreement")).order_by("-number").values("number")[:1]
    )
    rows = (
        Versions.filter(
            agreement__round=round_,
            agreement__signed_version__isnull=True,
            agreement__area__government_office_id=user.organisation_id,
            number=Subquery(latest),
        )
        .order_by("agreement__area__name")
        .values_list(
            *(f"agreement__{column}" for column in AREA_COLUMNS), "number", "content__targets"
        )
    )
    return _entries(rows, SUBMITTED, codes)


@dataclass(frozen=True)
class Pool:
    peers: dict[str, list[PeerTarget]]
    includes_submitted: bool


def pool_for(user: User, round_: Round, codes: set[str]) -> Pool:
    peers = signed_pool(round_, codes)
    submitted = submitted_pool(user, round_, codes)
    for code, entries in submitted.items():
        peers.setdefault(code, []).extend(entries)
    return Pool(peers, includes_submitted=may_compare_with_submitted(user))


def neighbours_of(area: Area) -> tuple[set[int], str]:
    rows = list(
        StatisticalNeighbour.objects.filter(area=area).values_list("neighbour_id", "source")
    )
    return {pk for pk, _ in rows}, (rows[0][1] if rows else "")


# --- Figures ------------------------------------------------------------------------------


def _groups(area: Area, neighbour_source: str) -> list[tuple[Group, object]]:
    tier_label = Area.Tier(area.tier).label.lower() if area.tier in Area.Tier.values else area.tier
    return [
        (Group("national", "all areas"), lambda peer: True),
        (
            Group("government_office", f"areas in {area.government_office.name}"),
            lambda peer: peer.government_office_id == area.government_office_id,
        ),
        (
            Group("tier", f"areas of the same tier ({tier_label})"),
            lambda peer: peer.tier == area.tier,
        ),
        (Group("neighbours", "statistical neighbours"), None),
    ]


def _sentence(position: stats.Position, word: str) -> str:
    bigger, smaller, count = position.bigger, position.smaller, position.count
    if bigger == 0 and smaller == 0:
        return f"The same {word} as all {count} comparable areas."
    if bigger > smaller:
        return f"A smaller {word} than {bigger} in {count} comparable areas."
    if smaller > bigger:
        return f"A bigger {word} than {smaller} in {count} comparable areas."
    return (
        f"In the middle: a bigger {word} than {smaller} and a smaller one than {bigger} "
        f"of {count} comparable areas."
    )


def figures(
    *,
    agreement: Agreement,
    indicator: Indicator,
    baseline,
    yearly_values: list,
    polarity: str,
    units: str,
    pool: Pool,
    neighbours: tuple[set[int], str],
) -> Figures:
    """The figures for one proposal (typed or saved) on an indicator, from a pool read once."""
    polarity = indicator.polarity or polarity or ""
    sign = polarity_sign(polarity)
    years = agreement.round.year_count
    base = number_or_none(baseline)
    end = number_or_none(yearly_values[-1]) if yearly_values else None
    change = (end - base) * sign if base is not None and end is not None else None
    per_year = change / years if change is not None else None
    neighbour_ids, source = neighbours
    peers = [p for p in pool.peers.get(indicator.code, []) if p.area_id != agreement.area_id]
    result = Figures(
        indicator=indicator,
        round=agreement.round,
        area=agreement.area,
        polarity=polarity,
        units=indicator.units or units,
        years=years,
        baseline=base,
        end=end,
        change=change,
        per_year=per_year,
        includes_submitted=pool.includes_submitted,
        neighbours_source=source,
    )
    shown_units = result.units
    result.baseline_shown = with_units(decimal_text(base, places_of(baseline)), shown_units)
    last = yearly_values[-1] if yearly_values else None
    result.end_shown = with_units(decimal_text(end, places_of(last)), shown_units)
    word = result.word
    for group, test in _groups(agreement.area, source):
        members = [
            p
            for p in peers
            if (p.area_id in neighbour_ids if test is None else test(p))  # type: ignore[operator]
        ]
        numbered = sorted(
            ((p, p.improvement(sign)) for p in members if p.improvement(sign) is not None),
            key=lambda pair: (pair[1], pair[0].area_name),
        )
        peers_numbered = [(p, value) for p, value in numbered if value is not None]
        figures_ = GroupFigures(
            group=group,
            designated=sum(1 for p in members if p.kind == Target.Kind.DESIGNATED),
            local=sum(1 for p in members if p.kind == Target.Kind.LOCAL),
            peers=peers_numbered,
        )
        if figures_.shown:
            changes = [value for _, value in peers_numbered]
            figures_.baseline = stats.summarise(
                [p.baseline for p, _ in peers_numbered if p.baseline is not None]
            )
            figures_.change = stats.summarise(changes)
            figures_.per_year = stats.summarise([value / years for value in changes])
            if change is not None and figures_.change is not None:
                figures_.position = stats.position(change, figures_.change, changes)
                figures_.sentence = _sentence(figures_.position, word)
            figures_.chart = strip_chart(
                chart_id=f"ambition-{group.key}",
                title=f"Proposed {word} by the end of the round: {group.label}",
                values=changes,
                marked=change,
                label=lambda value: result.text(value),
            )
        result.groups.append(figures_)
    return result


def target_figures(user: User, target: Target) -> Figures | None:
    """The figures beside a saved target; None for a target without a national indicator."""
    indicator = target.indicator if target.indicator_id else None
    if indicator is None:
        return None
    agreement = target.agreement
    pool = pool_for(user, agreement.round, {indicator.code})
    return figures(
        agreement=agreement,
        indicator=indicator,
        baseline=decimal_text(target.baseline_value, target.baseline_places),
        yearly_values=[] if target.is_qualitative else list(target.yearly_values or []),
        polarity=target.polarity,
        units=target.units,
        pool=pool,
        neighbours=neighbours_of(agreement.area),
    )


def agreement_figures(user: User, agreement: Agreement) -> list[tuple[Target, Figures]]:
    """Figures for each of an agreement's targets on a national indicator, in a fixed number
    of queries: the targets, the pool for all their indicators, the neighbours."""
    targets = [
        (target, target.indicator)
        for target in agreement.targets.filter(indicator__isnull=False)
        .select_related("indicator")
        .order_by("kind", "indicator__number")
        if target.indicator is not None
    ]
    if not targets:
        return []
    pool = pool_for(user, agreement.round, {indicator.code for _, indicator in targets})
    neighbours = neighbours_of(agreement.area)
    return [
        (
            target,
            figures(
                agreement=agreement,
                indicator=indicator,
                baseline=decimal_text(target.baseline_value, target.baseline_places),
                yearly_values=[] if target.is_qualitative else list(target.yearly_values or []),
                polarity=target.polarity,
                units=target.units,
                pool=pool,
                neighbours=neighbours,
            ),
        )
        for target, indicator in targets
    ]


def version_entries_figures(
    user: User | None, agreement: Agreement, entries: list[dict]
) -> list[tuple[dict, Figures]]:
    """Figures for targets as a version froze them (the compare page's changed targets).
    Without a user, from signed agreements alone: what anyone may see (the draft PDF)."""
    codes = {entry.get("code") or "" for entry in entries} - {""}
    if not codes:
        return []
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    if user is None:
        pool = Pool(signed_pool(agreement.round, codes), includes_submitted=False)
    else:
        pool = pool_for(user, agreement.round, codes)
    neighbours = neighbours_of(agreement.area)
    return [
        (
            entry,
            figures(
                agreement=agreement,
                indicator=indicators[entry["code"]],
                baseline=decimal_text(entry.get("baseline_value"), entry.get("baseline_places")),
                yearly_values=[]
                if entry.get("is_qualitative")
                else list(entry.get("yearly_values") or []),
                polarity=entry.get("polarity") or "",
                units=entry.get("units") or "",
                pool=pool,
                neighbours=neighbours,
            ),
        )
        for entry in entries
        if entry.get("code") in indicators
    ]


def bottom_quartile(user: User, agreement: Agreement) -> list[tuple[Target, Figures]]:
    """The agreement's targets whose improvement is in the bottom quarter of all areas'."""
    return [(t, f) for t, f in agreement_figures(user, agreement) if f.is_bottom_quartile]


# --- The indicator page -------------------------------------------------------------------

SORTS = {
    "area": lambda row: (row.area_name,),
    "baseline": lambda row: (row.baseline is None, row.baseline or 0, row.area_name),
    "target": lambda row: (row.end is None, row.end or 0, row.area_name),
}


def signed_targets_on(
    indicator: Indicator, round_: Round, *, sort: str = "area", descending: bool = False
) -> list[PeerTarget]:
    """Every signed target on the indicator in the round (public), sorted."""
    rows = signed_pool(round_, {indicator.code}).get(indicator.code, [])
    key = SORTS.get(sort, SORTS["area"])
    return sorted(rows, key=key, reverse=descending)


def indicator_get(slug: str) -> Indicator:
    code = slug.replace("-", " ").upper()
    return get_object_or_404(Indicator.objects.select_related("lead_department"), code=code)
