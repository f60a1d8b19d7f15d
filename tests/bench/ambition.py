"""Ambition in context at national scale: the target page with its figures among 150 signed
agreements, against the same page with the figures left out.

The round's signed agreements are made exactly the wanted number for the measurement (the
export benchmark's `_signed_set`, which puts everything back), and the measured target is
the cast agreement's first designated target with a baseline and a final year's value.
"The same page without it" is the page with the figures' selector answering nothing, so the
difference is what the figures cost.
"""

from __future__ import annotations

from unittest import mock

from tests.bench.pages import COORDINATOR, NEGOTIATOR, Page, clients_for, measure

SIGNED = 150


def _target(agreement):
    from agreements.models import Target

    return (
        Target.objects.filter(
            agreement=agreement,
            kind=Target.Kind.DESIGNATED,
            indicator__isnull=False,
            baseline_value__isnull=False,
        )
        .exclude(yearly_values=[None, None, None])
        .select_related("indicator")
        .order_by("indicator__number")
        .first()
    )


def ambition_figures(round_, cast, count: int = SIGNED) -> None:
    from accounts.models import User
    from ambition import selectors
    from tests.jobs.benchmarks import _signed_set

    admin = User.objects.get(email="admin@example.org")
    agreement = cast.agreement
    target = _target(agreement)
    if target is None:
        print("ambition figures: skipped (the measured agreement has no designated target)")
        return
    base = f"/agreements/{agreement.round.slug}/{agreement.area.slug}/"
    page = Page(f"target page ({target.indicator.code})", base + f"targets/{target.pk}/", ())
    roles = [role for role in (COORDINATOR, NEGOTIATOR) if role in cast.users]
    with _signed_set(round_, admin, count) as (signed, _filled):
        clients = clients_for(cast)
        peers = selectors.pool_for(cast.users[roles[0]], round_, {target.indicator.code}).peers.get(
            target.indicator.code, []
        )
        print(
            f"{signed} signed agreements; {len(peers)} of them (or submitted versions) have "
            f"a target on {target.indicator.code}"
        )
        print(f"{'page':<40} {'role':<12} {'queries':>7} {'median ms':>10} {'n':>3}")
        results = {}
        for role in roles:
            with_figures = measure(clients[role], page, role)
            with mock.patch(
                "ambition.templatetags.ambition.selectors.target_figures", return_value=None
            ):
                without = measure(clients[role], page, role)
            results[role] = (with_figures, without)
            for label, result in (("with figures", with_figures), ("without", without)):
                if not result.ok:
                    print(f"{page.label + ', ' + label:<40} {role:<12} answered {result.status}")
                    continue
                print(
                    f"{page.label + ', ' + label:<40} {role:<12} {result.queries:7d} "
                    f"{result.median_ms:10.1f} {len(result.times):3d}"
                )
        for role, (with_figures, without) in results.items():
            if with_figures.ok and without.ok:
                extra = with_figures.median_ms - without.median_ms
                print(
                    f"  {role}: the figures add {extra:.1f} ms and "
                    f"{with_figures.queries - without.queries} queries to the page"
                )
