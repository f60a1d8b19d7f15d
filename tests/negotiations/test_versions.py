"""Submitting freezes an immutable version; any two versions can be compared."""

from decimal import Decimal

import pytest

from agreements import services as drafting
from agreements.stages import Action, Stage
from negotiations import services
from negotiations.models import ImmutableError, Version
from tests.agreements.conftest import designated_fields
from tests.negotiations.conftest import resolve_all


def resubmit_with_changes(agreement, coordinator, negotiator):
    """Return the draft, change it (one target changed, one removed, one added), resubmit."""
    resolve_all(agreement, negotiator)
    services.agreement_transition(
        agreement=agreement,
        actor=negotiator,
        action=Action.RETURN,
        expected_stage=Stage.IN_REVIEW,
        comment="Raise the ambition on NI 56",
    )
    agreement.refresh_from_db()
    lead = agreement.area.organisations.get(kind="locality")
    target = agreement.targets.get(indicator__code="NI 56")
    drafting.target_update(
        target=target,
        actor=coordinator,
        expected_version=target.version,
        reason="More ambitious",
        fields=designated_fields(
            "NI 56",
            baseline_value=Decimal("10.2"),
            yearly_values=(Decimal("9.8"), Decimal("9.4"), Decimal("9.0")),
            lead_partner=lead,
        ),
    )
    removed = agreement.targets.get(indicator__code="NI 117")
    drafting.target_delete(target=removed, actor=coordinator, expected_version=removed.version)
    drafting.target_create(
        agreement=agreement,
        actor=coordinator,
        kind="designated",
        fields=designated_fields("NI 8", lead_partner=lead),
    )
    drafting.agreement_update_narrative(
        agreement=agreement,
        actor=coordinator,
        expected_version=agreement.version,
        story_of_place=agreement.story_of_place + " Evidence: the 2007 school census.",
        governance=agreement.governance,
    )
    return services.agreement_transition(
        agreement=agreement,
        actor=coordinator,
        action=Action.SUBMIT,
        expected_stage=Stage.RETURNED,
    )


def test_submitting_freezes_the_complete_content(lancashire):
    version = lancashire.versions.get()
    assert version.number == 1
    content = version.content
    assert content["area"] == "Lancashire" and content["years"] == ["2008/09", "2009/10", "2010/11"]
    ni56 = next(t for t in content["targets"] if t["key"] == "NI 56")
    assert ni56["yearly_values"] == ["10.0", "9.8", "9.5"]
    assert ni56["baseline_value"] == "10.2"
    assert len([t for t in content["targets"] if t["kind"] == "statutory"]) == 16
    assert content["story_of_place"].startswith("Lancashire's partnership")


def test_a_version_never_changes_after_later_edits(lancashire, lancashire_coordinator, negotiator):
    before = lancashire.versions.get(number=1).content
    change = resubmit_with_changes(lancashire, lancashire_coordinator, negotiator)
    assert change.version.number == 2
    assert lancashire.versions.get(number=1).content == before
    version = lancashire.versions.get(number=1)
    version.content = {"tampered": True}
    with pytest.raises(ImmutableError):
        version.save()


def test_compare_shows_added_removed_and_changed_targets(
    client, lancashire, lancashire_coordinator, negotiator
):
    resubmit_with_changes(lancashire, lancashire_coordinator, negotiator)
    services.agreement_transition(
        agreement=lancashire,
        actor=negotiator,
        action=Action.START_REVIEW,
        expected_stage=Stage.SUBMITTED,
    )
    client.force_login(negotiator)
    page = client.get("/agreements/2008-11/lancashire/negotiation/").content.decode()
    assert "See what changed since the version you last reviewed" in page
    assert "compare/?from=1&amp;to=2" in page
    # The GO opens on what changed since the version it last reviewed.
    response = client.get("/agreements/2008-11/lancashire/versions/compare/")
    assert (response.context["old"].number, response.context["new"].number) == (1, 2)
    comparison = response.context["comparison"]
    assert [t["key"] for t in comparison.targets_added] == ["NI 8"]
    assert [t["key"] for t in comparison.targets_removed] == ["NI 117"]
    (changed,) = comparison.targets_changed
    assert changed.key == "NI 56"
    years = {y.year: (y.old, y.new, y.difference) for y in changed.years}
    assert years["2010/11"] == ("9.5", "9.0", Decimal("-0.5"))
    assert comparison.story_of_place.changed
    body = response.content.decode()
    assert "<ins>" in body and "census" in body


def test_compare_queries_do_not_grow_with_targets(
    client, lancashire, negotiator, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    content = lancashire.versions.get(number=1).content
    template = content["targets"][0]

    def with_targets(count: int) -> dict:
        targets = [{**template, "key": f"NI {n}", "code": f"NI {n}"} for n in range(1, count + 1)]
        return {**content, "targets": targets}

    Version.objects.create(agreement=lancashire, number=2, content=with_targets(5))
    Version.objects.create(agreement=lancashire, number=3, content=with_targets(5))
    Version.objects.create(agreement=lancashire, number=4, content=with_targets(51))
    Version.objects.create(agreement=lancashire, number=5, content=with_targets(51))
    client.force_login(negotiator)
    counts = []
    for old, new in ((2, 3), (4, 5)):
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(20):
            url = f"/agreements/2008-11/lancashire/versions/compare/?from={old}&to={new}"
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_unknown_versions_are_404(client, lancashire, negotiator):
    client.force_login(negotiator)
    assert (
        client.get("/agreements/2008-11/lancashire/versions/compare/?from=1&to=9").status_code
        == 404
    )
    assert client.get("/agreements/2008-11/lancashire/versions/7/").status_code == 404
    assert client.get("/agreements/2008-11/lancashire/versions/compare/?from=x").status_code == 404


def test_versions_are_numbered_once(lancashire):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Version.objects.create(agreement=lancashire, number=1, content={})
