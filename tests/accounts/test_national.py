"""The national dataset: every area's agreement at some stage, consistent enough that the
portal's own pages and rules accept it."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F

from accounts.models import Area, Organisation, Role, User
from agreements.completeness import completeness_problems
from agreements.models import Agreement, Target
from agreements.stages import Stage
from freedoms.lifecycle import State
from freedoms.models import FreedomRequest
from negotiations import readiness
from negotiations.models import Comment, Referral, StageChange
from negotiations.selectors import latest_version, open_challenges
from partners.models import PartnerRepresentative
from portal.national import seed_national
from signoff.models import SignOff
from signoff.services import content_unchanged

AREAS = 3
SCALE = 2


class _Undo(Exception):
    pass


def _real_area_names(count: int) -> list[str]:
    return list(
        Area.objects.exclude(notes__startswith="A synthetic copy")
        .order_by("name")
        .values_list("name", flat=True)[:count]
    )


def _fingerprint(names: list[str]) -> list[tuple]:
    return sorted(
        (
            t.agreement.area.name,
            t.agreement.stage,
            t.kind,
            t.indicator.code if t.indicator_id else t.local_title,
            str(t.baseline_value),
            tuple(t.yearly_values),
            t.status,
        )
        for t in Target.objects.filter(agreement__area__name__in=names).select_related(
            "agreement__area", "indicator"
        )
    )


@pytest.fixture(scope="module")
def national(django_db_setup, django_db_blocker):
    """The first three areas by name and one synthetic copy of each, seeded once for the
    module (twice, the first undone, to compare the two runs) and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            names = _real_area_names(AREAS)
            areas = [*names, *(f"{name} 2" for name in names)]
            try:
                with transaction.atomic():
                    seed_national(scale=SCALE, areas=AREAS)
                    first = _fingerprint(areas)
                    raise _Undo
            except _Undo:
                pass
            counts = seed_national(scale=SCALE, areas=AREAS)
            yield {"counts": counts, "areas": areas, "first_run": first}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _agreements(national) -> list[Agreement]:
    return list(
        Agreement.objects.filter(
            area__name__in=national["areas"], round__slug="2008-11"
        ).select_related("area__government_office", "round")
    )


def test_each_area_and_its_copy_gets_a_full_agreement(national, db):
    counts, areas, agreements = national["counts"], national["areas"], _agreements(national)
    assert sorted(a.area.name for a in agreements) == sorted(areas)
    assert counts["agreements"] == counts["areas"] == len(areas) == 6
    assert counts["new_areas"] == 3
    assert counts["targets"] == Target.objects.filter(agreement__in=agreements).count()
    for agreement in agreements:
        kinds = {kind: agreement.targets.filter(kind=kind).count() for kind in Target.Kind.values}
        assert kinds[Target.Kind.DESIGNATED] == 35
        assert kinds[Target.Kind.STATUTORY] == 16
        assert 2 <= kinds[Target.Kind.LOCAL] <= 4
        designated = agreement.targets.filter(kind=Target.Kind.DESIGNATED)
        assert designated.values("indicator").distinct().count() == 35
        assert 3 <= agreement.themes.count() <= 5
        # A lead partner is not also a contributor, as the target services require.
        assert not agreement.targets.filter(contributing_partners=F("lead_partner")).exists()
        assert agreement.outcomes.exists()
        assert agreement.story_of_place.count("\n\n") >= 2 and agreement.governance
        assert Comment.objects.filter(agreement=agreement).count() == 24
        assert Comment.objects.filter(agreement=agreement, parent__isnull=False).exists()
        assert agreement.freedom_requests.count() == 20
        if agreement.stage == Stage.DRAFTING:
            assert not agreement.versions.exists()
            continue
        assert completeness_problems(agreement) == []
        versions = list(agreement.versions.order_by("number"))
        assert [v.number for v in versions] == [1, 2, 3, 4, 5]
        for version in versions:
            codes = {t["code"] for t in version.content["targets"]}
            statutory = set(
                agreement.targets.filter(kind=Target.Kind.STATUTORY).values_list(
                    "indicator__code", flat=True
                )
            )
            assert statutory <= codes
            assert len(version.content["targets"]) >= 40
        latest = versions[-1].content
        assert len(latest["targets"]) == agreement.targets.count()
        assert latest["story_of_place"] == agreement.story_of_place
        changes = list(agreement.stage_changes.order_by("created_at", "pk"))
        assert changes[-1].to_stage == agreement.stage
        assert all(a.to_stage == b.from_stage for a, b in zip(changes, changes[1:], strict=False))
        assert all(a.created_at < b.created_at for a, b in zip(changes, changes[1:], strict=False))
        assert changes[0].created_at > agreement.created_at
        assert sum(c.action == "submit" for c in changes) == 5


def test_the_demo_agreements_and_logins_are_left_alone(national, db):
    cumbria = Agreement.objects.get(area__name="Cumbria", round__slug="2008-11")
    assert cumbria.stage == Stage.DRAFTING
    assert cumbria.targets.filter(kind=Target.Kind.DESIGNATED).count() == 4
    assert User.objects.get(email="coordinator@example.org").organisation.area == cumbria.area


def test_copies_are_areas_of_their_own_like_the_originals(national, db):
    areas = national["areas"]
    for name in areas[:AREAS]:
        original, copy = Area.objects.get(name=name), Area.objects.get(name=f"{name} 2")
        assert copy.slug != original.slug
        assert copy.government_office_id == original.government_office_id
        assert copy.tier == original.tier
        assert len(copy.ons_code) == 9 and copy.ons_code != original.ons_code
        assert copy.organisations.filter(kind=Organisation.Kind.LOCALITY).count() == 1
        assert copy.partnerships.count() == original.partnerships.count() >= 7
    codes = [a.ons_code for a in Area.objects.filter(name__in=areas)]
    assert len(set(codes)) == len(codes)


def test_each_area_has_its_people(national, db):
    counts, areas = national["counts"], national["areas"]
    for name in areas:
        area = Area.objects.get(name=name)
        coordinators = User.objects.filter(role=Role.COORDINATOR, organisation__area=area)
        representatives = PartnerRepresentative.objects.filter(partnership__area=area)
        assert coordinators.count() == 1
        assert 9 <= representatives.count() <= 14
        # One password, hashed once, for everyone.
        assert coordinators.get().password == representatives.first().user.password
    assert coordinators.get().check_password("demo-password")
    negotiators = User.objects.filter(role=Role.NEGOTIATOR, email__endswith=".example.org")
    assert negotiators.filter(organisation__kind=Organisation.Kind.GOVERNMENT_OFFICE).count() > 9
    assert counts["users"] > 11 * len(areas)


def test_negotiation_records_fit_each_stage(national, db):
    agreements = _agreements(national)
    for agreement in agreements:
        late = agreement.stage in (Stage.AGREED_IN_PRINCIPLE, Stage.IN_SIGN_OFF, Stage.SIGNED)
        if late:
            assert not open_challenges(agreement).exists()
            # Everything agreement in principle waits for was settled.
            for problem in (
                readiness.items_problem,
                readiness.referrals_problem,
                readiness.checklist_problem,
                readiness.requests_problem,
            ):
                assert problem(agreement) == "", (agreement, problem(agreement))
        referrals = Referral.objects.filter(agreement=agreement)
        if agreement.stage == Stage.REFERRED:
            latest = latest_version(agreement)
            current = referrals.filter(version=latest)
            assert current.exists()
            departments = set(
                agreement.targets.exclude(indicator=None).values_list(
                    "indicator__lead_department", flat=True
                )
            )
            assert set(current.values_list("department", flat=True)) == departments
        for referral in referrals.exclude(answered_at=None):
            assert referral.answered_by.organisation_id == referral.department_id
            assert referral.views.exists()
        if agreement.stage == Stage.SIGNED:
            assert agreement.signed_version == latest_version(agreement)
            assert agreement.signed_at is not None
            run = agreement.sign_offs.get()
            assert run.state == SignOff.State.COMPLETED
            assert set(run.signatures.values_list("step", flat=True)) == set(run.steps)
        elif agreement.stage == Stage.IN_SIGN_OFF:
            run = agreement.sign_offs.get(state=SignOff.State.OPEN)
            assert run.version == latest_version(agreement)
            assert content_unchanged(agreement, run.version)
            assert agreement.signed_version is None
        else:
            assert not agreement.sign_offs.exists()
            assert agreement.signed_version is None


def test_requests_go_through_their_lifecycle(national, db):
    agreements = _agreements(national)
    requests = FreedomRequest.objects.filter(agreement__in=agreements)
    assert requests.count() == 20 * len(agreements)
    states = set(requests.values_list("state", flat=True))
    assert {State.DRAFT, State.WITH_GO, State.WITH_DEPARTMENT, State.RELAYED} <= states
    assert len(states) >= 5
    answered = requests.filter(state__in=[State.ANSWERED, State.RELAYED])
    assert answered.exists()
    for request in answered:
        assert request.outcome and request.reason and request.decided_at
        assert request.decided_at >= request.submitted_at
        assert request.events.order_by("-created_at").first().to_state == request.state
    for request in requests.filter(state=State.WITH_DEPARTMENT):
        assert request.department and request.due_on and request.referred_at
    assert not requests.filter(state=State.DRAFT, submitted_at__isnull=False).exists()


def test_every_stage_seeded_shows_its_pages(national, db, client):
    agreements = _agreements(national)
    client.force_login(User.objects.get(email="admin@example.org"))
    by_stage = {agreement.stage: agreement for agreement in agreements}
    assert len(by_stage) == 6  # the first six places of the pattern differ
    for stage, agreement in by_stage.items():
        base = f"/agreements/2008-11/{agreement.area.slug}/"
        for path in ("", "negotiation/", "sign-off/"):
            response = client.get(base + path)
            assert response.status_code == 200, (stage, path)
        assert agreement.get_stage_display() in client.get(base).content.decode()


def test_a_second_run_adds_nothing(national, db):
    counts_before = (
        Agreement.objects.count(),
        User.objects.count(),
        Area.objects.count(),
        StageChange.objects.count(),
    )
    out = io.StringIO()
    counts = seed_national(scale=SCALE, areas=AREAS, stdout=out)
    assert counts["agreements"] == counts["users"] == counts["new_areas"] == 0
    assert counts["skipped"] == 6
    assert "Nothing to add" in out.getvalue()
    assert counts_before == (
        Agreement.objects.count(),
        User.objects.count(),
        Area.objects.count(),
        StageChange.objects.count(),
    )


def test_two_runs_make_the_same_data(national, db):
    assert national["first_run"]
    assert national["first_run"] == _fingerprint(national["areas"])


def test_the_command_seeds_the_demo_then_the_nation(national, db, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", "--national", "--areas", "1", stdout=out)
    text = out.getvalue()
    assert "admin@example.org" in text
    assert "1 area at scale 1: 0 to seed, 1 already with a 2008-11 agreement" in text
