"""The dashboard's figures for the seeded data: GO North West has Cumbria drafting,
Lancashire in GO review with two open challenges, Manchester referred to DCSF and DH,
Stockport referred with DCSF's views given and DH's past due, Blackpool in sign-off waiting
for the GO, Wigan signed and Bolton, signed, drafting its amendment; the demo's requests are
with DCSF."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements.stages import Stage
from dashboards.selectors import Scope, figures, scope_for_region, scope_national
from freedoms.models import FreedomRequest
from indicators.models import Milestone
from negotiations.models import Referral


def test_agreements_by_stage_for_a_region(north_west, round_2008):
    data = figures(scope=Scope(north_west), round_=round_2008)
    [row] = data.by_government_office
    assert row.government_office == north_west
    assert row.areas == 22
    assert {stage: n for stage, n in row.by_stage.items() if n} == {
        Stage.DRAFTING: 2,  # Cumbria, and Bolton's amendment
        Stage.IN_REVIEW: 1,
        Stage.REFERRED: 2,  # Manchester and Stockport
        Stage.IN_SIGN_OFF: 1,
        Stage.SIGNED: 1,
    }
    assert row.counts == [row.by_stage[stage] for stage in Stage.values]
    assert row.not_opened == 15
    assert data.areas == 22 and data.opened == 7


def test_national_figures_count_every_government_office(round_2008):
    data = figures(scope=Scope(), round_=round_2008)
    assert len(data.by_government_office) == 9
    assert data.areas == 150
    assert data.opened == 7
    by_name = {row.government_office.name: row for row in data.by_government_office}
    assert by_name["GO North West"].opened == 7
    assert by_name["GO London"].opened == 0 and by_name["GO London"].areas == 33
    assert data.stage_totals[Stage.REFERRED] == 2
    assert data.stage_totals[Stage.SIGNED] == 1  # Wigan; Bolton is amending
    assert data.not_opened == 143


def test_whose_turn_and_open_challenges_per_agreement(north_west, round_2008):
    from negotiations.selectors import whose_turn

    rows = {
        row.agreement.area.name: row
        for row in figures(scope=Scope(north_west), round_=round_2008).agreements
    }
    assert rows["Cumbria"].whose_turn == "Cumbria (locality)"
    assert rows["Lancashire"].whose_turn == "GO North West"
    assert rows["Manchester"].whose_turn == "Departments: DCSF, DH"
    assert rows["Blackpool"].whose_turn.startswith("Government Office recommendation")
    assert rows["Blackpool"].whose_turn == whose_turn(rows["Blackpool"].agreement)
    assert rows["Wigan"].whose_turn == "Nobody: the agreement is signed"
    assert rows["Stockport"].whose_turn == "Departments: DH"  # DCSF has given its views
    assert rows["Bolton"].whose_turn == "Bolton (locality)"  # drafting its amendment
    assert rows["Lancashire"].open_challenges == 2
    assert rows["Cumbria"].open_challenges == 0
    assert rows["Stockport"].open_challenges == 0  # answered, then resolved
    assert rows["Manchester"].referrals_waiting == 2
    assert rows["Stockport"].referrals_waiting == 1
    assert rows["Lancashire"].url == "/agreements/2008-11/lancashire/negotiation/"


def test_overdue_milestones_name_the_milestone_and_the_days(north_west, round_2008):
    first_draft = Milestone.objects.get(round=round_2008, name="First draft to Government Office")
    today = timezone.localdate()
    data = figures(scope=Scope(north_west), round_=round_2008, today=today)
    late = {row.agreement.area.name: row for row in data.overdue}["Cumbria"]
    assert late.milestone == first_draft.name
    assert late.days_overdue == (today - first_draft.due_on).days > 0
    # A week before the first draft was due, nothing is overdue.
    early = figures(
        scope=Scope(north_west), round_=round_2008, today=first_draft.due_on - dt.timedelta(7)
    )
    assert early.overdue == []


def test_referrals_waiting_by_department_with_their_age(north_west, round_2008):
    today = timezone.localdate()
    dcsf = Referral.objects.get(agreement__area__name="Manchester", department__abbreviation="DCSF")
    Referral.objects.filter(pk=dcsf.pk).update(
        created_at=timezone.now() - dt.timedelta(days=12), due_on=today - dt.timedelta(days=2)
    )
    Referral.objects.filter(
        agreement__area__name="Manchester", department__abbreviation="DH"
    ).update(created_at=timezone.now() - dt.timedelta(days=3))
    data = figures(scope=Scope(north_west), round_=round_2008, today=today)
    rows = {row.department: row for row in data.referrals}
    assert set(rows) == {"DCSF", "DH"}
    assert [row.department for row in data.referrals] == ["DCSF", "DH"]  # oldest first
    # DCSF has answered Stockport: only Manchester's referral waits for it.
    assert rows["DCSF"].count == 1 and rows["DCSF"].oldest_days == 12 and rows["DCSF"].overdue == 1
    # DH has Manchester's (three days old, not yet due) and Stockport's (sent today in the
    # demo, but two days past its due date).
    assert [item.label for item in rows["DH"].items] == ["Manchester", "Stockport"]
    assert rows["DH"].count == 2 and rows["DH"].oldest_days == 3 and rows["DH"].overdue == 1
    assert data.referrals_waiting == 3


def test_answered_referrals_are_not_waiting(north_west, round_2008):
    Referral.objects.filter(agreement__area__name="Manchester").update(answered_at=timezone.now())
    data = figures(scope=Scope(north_west), round_=round_2008)
    # Only Stockport's referral to DH, which the demo leaves unanswered, still waits.
    [dh] = data.referrals
    assert dh.department == "DH" and [item.label for item in dh.items] == ["Stockport"]
    Referral.objects.filter(agreement__area__name="Stockport").update(answered_at=timezone.now())
    assert figures(scope=Scope(north_west), round_=round_2008).referrals == []


def test_requests_outstanding_by_department_and_answers_by_outcome(north_west, round_2008):
    today = timezone.localdate()
    FreedomRequest.objects.filter(title__startswith="Lift the ring-fence").update(
        submitted_at=timezone.now() - dt.timedelta(days=20)
    )
    data = figures(scope=Scope(north_west), round_=round_2008, today=today)
    [dcsf] = data.requests
    assert dcsf.department == "DCSF"
    assert dcsf.count == 1 and dcsf.oldest_days == 20
    assert dcsf.overdue == 1  # the demo's referral is three days past its due date
    request = FreedomRequest.objects.get(title__startswith="Lift the ring-fence")
    [item] = dcsf.items
    assert item.label == request.reference
    slug = request.agreement.area.slug
    assert item.url == f"/agreements/2008-11/{slug}/requests/{request.number}/"
    assert dict(data.requests_by_outcome) == {
        "Agreed": 0,
        "Agreed in part or alternative offered": 1,
        "Already possible": 0,
        "Refused": 1,
    }
    assert data.requests_open == 1


def test_another_region_has_none_of_north_west_s_figures(london, round_2008):
    data = figures(scope=Scope(london), round_=round_2008)
    assert data.opened == 0 and data.requests == [] and data.popular_indicators == []
    assert data.requests_by_outcome[1] == ("Agreed in part or alternative offered", 0)


def test_most_chosen_indicators_count_areas(north_west, round_2008):
    from django.db.models import Count

    from agreements.models import Target

    popular = figures(scope=Scope(north_west), round_=round_2008).popular_indicators
    expected = dict(
        Target.objects.filter(
            kind="designated",
            agreement__round=round_2008,
            agreement__area__government_office=north_west,
        )
        .values_list("indicator__code")
        .annotate(n=Count("agreement", distinct=True))
        .values_list("indicator__code", "n")
    )
    assert popular[0].code == "NI 120" and popular[0].areas == expected["NI 120"] >= 3
    assert {i.code: i.areas for i in popular} == {
        code: n for code, n in expected.items() if code in {i.code for i in popular}
    }
    assert popular[0].slug == "ni-120"
    assert [i.areas for i in popular] == sorted((i.areas for i in popular), reverse=True)
    assert len(popular) == min(10, len(expected))


def test_figures_take_the_same_few_queries_for_a_small_and_a_large_scope(
    django_assert_num_queries, north_west, round_2008, many_agreements
):
    # A region with seven agreements, and the whole country with sixty-seven at every
    # stage, with targets, challenges, referrals and requests; both have agreements in
    # sign-off. A region says whose turn it is in words, reading the sign-off chains in
    # four queries; the country counts by party and reads none.
    with django_assert_num_queries(11):
        small = figures(scope=Scope(north_west), round_=round_2008)
    with django_assert_num_queries(7):
        large = figures(scope=Scope(), round_=round_2008)
    assert small.opened >= 3
    assert large.opened == 67
    assert large.stage_totals[Stage.IN_SIGN_OFF] > 0 and large.stage_totals[Stage.SIGNED] > 0
    assert large.referrals_waiting > 0 and large.open_challenges > 2 and large.requests_open > 1


def test_scopes_follow_the_permissions(admin_user, negotiator, coordinator, north_west, london):
    from django.http import Http404

    assert scope_national(admin_user).is_national
    assert scope_for_region(negotiator, "go-north-west").government_office == north_west
    assert scope_for_region(admin_user, "go-london").government_office == london
    for user, slug in [(negotiator, "go-london"), (coordinator, "go-north-west")]:
        with pytest.raises(Http404):
            scope_for_region(user, slug)
    with pytest.raises(Http404):
        scope_national(negotiator)


def test_whose_turn_in_sign_off_matches_the_agreement_s_own_page(round_2008, many_agreements):
    from negotiations.selectors import whose_turn

    in_sign_off = [a for a in many_agreements if a.stage == Stage.IN_SIGN_OFF]
    assert in_sign_off
    # Each Government Office's dashboard says whose turn it is in words.
    rows = {}
    for office in {a.area.government_office for a in in_sign_off}:
        data = figures(scope=Scope(office), round_=round_2008)
        rows.update({row.agreement.pk: row for row in data.agreements})
    turns = set()
    for agreement in in_sign_off:
        agreement.refresh_from_db()
        assert rows[agreement.pk].whose_turn == whose_turn(agreement)
        turns.add(rows[agreement.pk].whose_turn.split(":")[0])
    assert len(turns) == 2  # some wait on the council, others on the GO


def test_signed_and_signing_agreements_are_past_the_drafting_milestones(north_west, round_2008):
    later = Milestone.objects.get(round=round_2008, name="Signature").due_on
    rows = {
        row.agreement.area.name: row
        for row in figures(
            scope=Scope(north_west), round_=round_2008, today=later + dt.timedelta(days=1)
        ).agreements
    }
    assert rows["Wigan"].milestone == "" and not rows["Wigan"].overdue  # signed
    assert rows["Blackpool"].milestone == "Signature" and rows["Blackpool"].overdue
    assert rows["Lancashire"].milestone == "Further draft" and rows["Lancashire"].overdue


def test_national_figures_count_whose_turn_and_overdue_by_office(round_2008):
    from agreements.stages import Party

    data = figures(scope=Scope(), round_=round_2008)
    assert data.parties[:2] == ["Locality", "Government Office"]
    by_name = {row.government_office.name: row for row in data.by_government_office}
    north_west = by_name["GO North West"]
    assert north_west.by_party == {
        Party.LOCALITY: 2,  # Cumbria, and Bolton's amendment
        Party.GO: 1,  # Lancashire
        Party.DEPARTMENTS: 2,  # Manchester and Stockport
        Party.SIGNATORIES: 1,  # Blackpool
        Party.NOBODY: 1,  # Wigan, signed
    }
    assert north_west.overdue == 1 and north_west.most_days_overdue > 0
    assert by_name["GO London"].turns == [0, 0, 0, 0, 0]
    assert data.turn_total_list == north_west.turns


def test_a_referral_every_department_answered_is_back_with_the_go(north_west, round_2008):
    from agreements.stages import Party

    Referral.objects.filter(agreement__area__name="Manchester").update(answered_at=timezone.now())
    [row] = figures(scope=Scope(north_west), round_=round_2008).by_government_office
    # Manchester joins Lancashire with the GO; Stockport, answered by DCSF alone, still
    # waits for DH.
    assert row.by_party[Party.DEPARTMENTS] == 1 and row.by_party[Party.GO] == 2


def test_a_scope_with_nothing_in_sign_off_reads_no_chains(
    django_assert_num_queries, north_west, round_2008
):
    from agreements.models import Agreement

    Agreement.objects.filter(area__name="Blackpool").update(stage=Stage.AGREED_IN_PRINCIPLE)
    with django_assert_num_queries(7):
        data = figures(scope=Scope(north_west), round_=round_2008)
    assert data.opened == 7


def test_the_national_counts_are_the_sum_of_the_regional_figures(round_2008, many_agreements):
    """The country is counted from plain values, each region from its agreements: both
    ways give each Government Office the same figures."""
    national = figures(scope=Scope(), round_=round_2008)
    assert national.agreements == []  # the national tables count; they list no agreement
    waiting, requests = 0, 0
    for row in national.by_government_office:
        region = figures(scope=Scope(row.government_office), round_=round_2008)
        [own] = region.by_government_office
        assert (own.by_stage, own.by_party) == (row.by_stage, row.by_party)
        assert (own.overdue, own.most_days_overdue) == (row.overdue, row.most_days_overdue)
        assert (own.challenged, own.open_challenges) == (row.challenged, row.open_challenges)
        assert own.overdue == len(region.overdue)
        waiting += region.referrals_waiting
        requests += region.requests_open
    assert national.referrals_waiting == waiting > 0
    assert national.requests_open == requests > 0
    assert national.opened == 67 and national.open_challenges > 2
