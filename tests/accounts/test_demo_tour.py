"""What the README's tour shows: versions to compare with a challenge answered between them,
a referral answered and one overdue, a signed agreement amended at the refresh."""

from django.utils import timezone

from accounts.models import Area
from agreements.models import Agreement
from agreements.stages import Action, Stage
from negotiations.models import Comment, StageChange, Version
from portal.demo import REFRESH_AREA, VERSIONS_AREA
from portal.national import SYNTHETIC_PREFIX, seed_national


def _agreement(name: str) -> Agreement:
    return Agreement.objects.select_related("area", "round").get(
        area__name=name, round__slug="2008-11"
    )


def test_an_agreement_went_round_three_times(db, client, negotiator):
    agreement = _agreement(VERSIONS_AREA)
    assert list(agreement.versions.order_by("number").values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]
    returns = agreement.stage_changes.filter(action=Action.RETURN).order_by("created_at")
    assert returns.count() == 2
    client.force_login(negotiator)
    page = client.get(
        f"/agreements/2008-11/{agreement.area.slug}/versions/compare/?from=1&to=3"
    ).content.decode()
    assert "2 changed" in page
    # The challenged target's new trajectory beside the old one.
    assert "NI 56" in page and "9.5" in page and "8.4" in page
    assert "joint strategic needs assessment" in page  # the story of place, version 3


def test_the_challenge_was_answered_between_the_versions(db, client, negotiator):
    agreement = _agreement(VERSIONS_AREA)
    challenge = Comment.objects.get(agreement=agreement, kind=Comment.Kind.CHALLENGE)
    assert challenge.resolution == Comment.Resolution.ANSWERED
    (reply,) = challenge.replies.all()
    second = agreement.versions.get(number=2)
    # Answered and the figures changed before version 2 was submitted.
    assert challenge.created_at < reply.created_at < second.created_at
    client.force_login(negotiator)
    page = client.get(f"/agreements/2008-11/{agreement.area.slug}/negotiation/").content.decode()
    assert "second school nurse team" in page


def test_one_referral_is_answered_and_one_is_overdue(db, client, official):
    agreement = _agreement(VERSIONS_AREA)
    assert agreement.stage == Stage.REFERRED
    latest = agreement.versions.order_by("-number").first()
    answered = agreement.referrals.get(department=official.organisation)
    assert answered.version == latest and answered.answered_by == official
    assert answered.views.count() == 1
    overdue = agreement.referrals.exclude(pk=answered.pk).get()
    assert overdue.answered_at is None and overdue.withdrawn_at is None
    assert overdue.due_on < timezone.localdate()
    client.force_login(official)
    response = client.get(f"/agreements/2008-11/{agreement.area.slug}/negotiation/referral/")
    assert response.status_code == 200


def test_a_signed_agreement_has_an_amendment_under_way(db, client):
    agreement = _agreement(REFRESH_AREA)
    assert agreement.round.refresh_opened_at is not None
    assert agreement.signed_version is not None and agreement.signed_at is not None
    assert agreement.stage == Stage.DRAFTING
    assert agreement.stage_changes.filter(action=Action.SIGN).exists()
    assert agreement.stage_changes.filter(action=Action.START_AMENDMENT).exists()
    (reason,) = agreement.amendment_reasons.all()
    assert reason.key == "target:NI 117" and "Connexions" in reason.reason


def _demo_state() -> list[tuple]:
    return sorted(
        (
            agreement.area.name,
            agreement.stage,
            agreement.version,
            agreement.versions.count(),
            agreement.stage_changes.count(),
            tuple(agreement.targets.order_by("pk").values_list("pk", "version", "yearly_values")),
        )
        for agreement in Agreement.objects.select_related("area")
    )


def test_the_national_round_leaves_the_demo_alone_and_adds_nothing_twice(db):
    names = list(
        Area.objects.exclude(notes__startswith=SYNTHETIC_PREFIX)
        .order_by("name")
        .values_list("name", flat=True)
    )
    # Enough areas by name to reach two of the demo's own (Blackpool and Bolton).
    areas = names.index(REFRESH_AREA) + 1
    demo = _demo_state()
    counts = seed_national(areas=areas)
    assert counts["skipped"] == 2 and counts["agreements"] == areas - 2
    assert [row for row in _demo_state() if row[0] in {r[0] for r in demo}] == demo
    totals = (Agreement.objects.count(), Version.objects.count(), StageChange.objects.count())
    again = seed_national(areas=areas)
    assert again["agreements"] == again["users"] == again["skipped"] - areas == 0
    assert totals == (
        Agreement.objects.count(),
        Version.objects.count(),
        StageChange.objects.count(),
    )
