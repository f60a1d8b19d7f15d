"""One target presentation: the same text for a target on its page, the targets list, the
print view, every version page and the PDF, whether read live or from a frozen version."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import Organisation
from agreements.models import DistrictShare, Target
from agreements.presentation import TargetPresentation, date_at_precision
from agreements.selectors import target_presentations, targets_for
from indicators.models import Indicator
from jobs.pdf import render_agreement_pdf
from negotiations.models import Version
from negotiations.versions import snapshot
from tests.jobs.conftest import pdf_text

YEARS = ["2008/09", "2009/10", "2010/11"]
NOTE = "Statutory education targets are agreed with DCSF; their values follow in the autumn."


def frozen(**item) -> TargetPresentation:
    base = {"key": "NI 120", "kind": "designated", "code": "NI 120", "name": "Mortality"}
    return TargetPresentation.from_snapshot(base | item, YEARS)


# --- The presentation itself ---------------------------------------------------------------


def test_values_keep_the_places_typed_and_the_units():
    target = frozen(
        units="%",
        baseline_value="80",
        baseline_places=1,
        baseline_year="2007/08",
        yearly_values=["78.0", "77", "76.50"],
    )
    assert target.baseline_text == "80.0% (2007/08)"
    assert [year.text for year in target.years] == ["78.0%", "77%", "76.50%"]
    assert [year.value for year in target.years] == ["78.0", "77", "76.50"]


def test_units_other_than_a_percentage_follow_the_value():
    target = frozen(units="households", baseline_value="700", yearly_values=["688", None])
    assert target.baseline_text == "700 households"
    assert [year.text for year in target.years] == ["688 households", "", ""]


@pytest.mark.parametrize(
    ("precision", "text", "iso"),
    [
        ("year", "By 2009", "2009"),
        ("month", "By March 2009", "2009-03"),
        ("day", "By 31 March 2009", "2009-03-31"),
    ],
)
def test_a_baseline_by_date_is_shown_as_precisely_as_it_was_given(precision, text, iso):
    target = frozen(
        baseline_value=None, baseline_due_on="2009-03-31", baseline_due_precision=precision
    )
    assert target.baseline_text == text
    assert target.baseline_by_iso == iso
    assert target.baseline_year == ""


def test_a_deferred_target_keeps_its_caveat():
    target = frozen(is_deferred=True, caveats="Waits for the 2008 Place Survey.")
    assert target.is_deferred and target.caveats == "Waits for the 2008 Place Survey."


def test_a_qualitative_target_shows_its_statement_and_deemed_values():
    target = frozen(
        kind="local",
        code="",
        name="Cleaner streets",
        units="%",
        is_qualitative=True,
        statement="A measurable improvement in street cleanliness",
        yearly_values=["4.1", None, None],
    )
    assert target.label == "Cleaner streets" and target.code == "Local"
    assert target.statement == "A measurable improvement in street cleanliness"
    assert [year.text for year in target.years] == ["deemed 4.1%", "", ""]
    assert not target.baseline_missing


def test_a_statutory_target_awaiting_figures_is_never_missing():
    target = frozen(kind="statutory", statutory_state="awaiting", baseline_value=None)
    assert target.baseline_text == "Awaiting DCSF figures"
    assert target.is_awaiting_figures and not target.baseline_missing
    assert frozen(kind="statutory", statutory_state="set").statutory_state_label == "Set"


def test_a_national_indicator_used_as_a_local_target_takes_its_units_and_department():
    target = frozen(
        kind="local",
        code="NI 47",
        name="People killed or seriously injured in road traffic accidents",
        units="",
        indicator_units="number",
        lead_department="DfT",
        yearly_values=["250"],
    )
    assert target.label.startswith("NI 47: People killed")
    assert target.units == "number" and target.lead_department == "DfT"
    assert target.years[0].text == "250 number"


def test_a_district_split_keeps_the_places_typed():
    target = frozen(
        units="%",
        district_shares=[
            {"district": "Cherwell", "value": "12", "places": 1},
            {"district": "Oxford", "value": "8.5", "places": 1},
        ],
    )
    assert target.district_split == "Cherwell: 12.0; Oxford: 8.5"
    assert [part.text for part in target.district_parts] == ["12.0%", "8.5%"]


def test_a_version_frozen_before_the_new_fields_still_reads():
    target = TargetPresentation.from_snapshot(
        {
            "key": "local:3",
            "kind": "local",
            "name": "Fewer empty homes",
            "baseline_value": "12.5",
            "baseline_due_on": None,
            "yearly_values": ["12"],
            "district_shares": [{"district": "Carlisle", "value": "4"}],
            "status": "agreed",
        },
        YEARS,
    )
    assert target.baseline_text == "12.5"
    assert [year.text for year in target.years] == ["12", "", ""]
    assert target.district_split == "Carlisle: 4"
    assert target.status_label == "Agreed"


def test_dates_at_each_precision():
    day = dt.date(2009, 3, 31)
    assert [date_at_precision(day, p) for p in ("year", "month", "day")] == [
        "2009",
        "March 2009",
        "31 March 2009",
    ]


# --- Live, on the pages, in a version and in the PDF ----------------------------------------


@pytest.fixture
def shown(agreement, coordinator):
    """Cumbria's agreement with one target of each kind the presentation must get right."""
    round_ = agreement.round
    round_.statutory_note = NOTE
    round_.save(update_fields=["statutory_note"])
    used = set(agreement.targets.exclude(indicator=None).values_list("indicator_id", flat=True))
    free = list(Indicator.objects.exclude(pk__in=used).order_by("number")[:3])
    ni120 = agreement.targets.get(indicator__code="NI 120")
    Target.objects.filter(pk=ni120.pk).update(
        units="%",
        baseline_value=Decimal("80"),
        baseline_places=1,
        baseline_year="2007/08",
        yearly_values=["78.0", "77", "76.50"],
        is_stretch=True,
    )
    districts = [
        Organisation.objects.create(name=name, slug=slug, kind=Organisation.Kind.PARTNER)
        for name, slug in (
            ("Cherwell District Council", "cherwell"),
            ("Oxford City Council", "oxford"),
        )
    ]
    ni120.district_shares.all().delete()
    DistrictShare.objects.create(target=ni120, district=districts[0], value=Decimal("12"), places=1)
    DistrictShare.objects.create(
        target=ni120, district=districts[1], value=Decimal("8.5"), places=1
    )
    Target.objects.create(
        agreement=agreement,
        kind=Target.Kind.DESIGNATED,
        indicator=free[0],
        is_deferred=True,
        caveats="Waits for the 2008 Place Survey.",
        baseline_due_on=dt.date(2009, 3, 31),
        baseline_due_precision="month",
        yearly_values=[None, None, None],
        status="deferred",
    )
    Target.objects.create(
        agreement=agreement,
        kind=Target.Kind.LOCAL,
        local_title="Cleaner streets",
        units="%",
        is_qualitative=True,
        statement="A measurable improvement in street cleanliness",
        yearly_values=["4.1", None, None],
    )
    Target.objects.create(
        agreement=agreement,
        kind=Target.Kind.STATUTORY,
        indicator=free[1],
        statutory_state=Target.StatutoryState.AWAITING,
        yearly_values=[None, None, None],
    )
    free[2].units = "households"
    free[2].save(update_fields=["units"])
    Target.objects.create(
        agreement=agreement,
        kind=Target.Kind.LOCAL,
        indicator=free[2],
        baseline_value=Decimal("700"),
        baseline_year="2007/08",
        yearly_values=["688", "675", "660"],
    )
    return {"deferred": free[0], "statutory": free[1], "ni_local": free[2]}


def expected_texts(shown) -> list[str]:
    return [
        "80.0% (2007/08)",
        "78.0%",
        "76.50%",
        "Stretch",
        "Cherwell District Council: 12.0%",
        "Oxford City Council: 8.5%",
        "Deferred to refresh",
        "Waits for the 2008 Place Survey.",
        "By March 2009",
        "A measurable improvement in street cleanliness",
        "deemed 4.1%",
        "Awaiting DCSF figures",
        NOTE,
        shown["ni_local"].code,
        "688 households",
        "National indicator used as a local target",
    ]


def test_the_live_and_the_frozen_presentation_are_the_same(agreement, shown):
    years = agreement.round.years
    frozen_targets = {item["key"]: item for item in snapshot(agreement)["targets"]}
    for target in targets_for(agreement):
        live = TargetPresentation.from_target(target, years)
        from_version = TargetPresentation.from_snapshot(frozen_targets[live.key], years)
        assert dataclasses.replace(live, pk=None) == from_version, live.key


def test_the_targets_list_and_the_print_view_show_every_case(client, coordinator, shown):
    client.force_login(coordinator)
    for path in ["/agreements/2008-11/cumbria/targets/", "/agreements/2008-11/cumbria/print/"]:
        page = client.get(path).content.decode()
        for text in expected_texts(shown):
            assert text in page, (path, text)
        assert page.count(NOTE) == 1


def test_the_target_page_shows_precision_units_and_the_district_split(
    client, coordinator, agreement, shown
):
    client.force_login(coordinator)
    ni120 = agreement.targets.get(indicator__code="NI 120")
    page = client.get(f"/agreements/2008-11/cumbria/targets/{ni120.pk}/").content.decode()
    for text in ["80.0% (2007/08)", "78.0%", "76.50%", "Cherwell District Council: 12.0%"]:
        assert text in page
    statutory = agreement.targets.get(indicator=shown["statutory"])
    page = client.get(f"/agreements/2008-11/cumbria/targets/{statutory.pk}/").content.decode()
    assert "Awaiting DCSF figures" in page and NOTE in page and "Not given" not in page


def test_a_version_page_and_the_pdf_show_every_case(client, coordinator, agreement, shown):
    number = (agreement.versions.order_by("-number").values_list("number", flat=True).first()) or 0
    version = Version.objects.create(
        agreement=agreement, number=number + 1, content=snapshot(agreement)
    )
    client.force_login(coordinator)
    page = client.get(f"/agreements/2008-11/cumbria/versions/{version.number}/").content.decode()
    for text in expected_texts(shown):
        assert text in page, text
    _, text = pdf_text(render_agreement_pdf(agreement, version=version))
    flat = " ".join(text.split())
    for expected in expected_texts(shown):
        assert " ".join(expected.split()) in flat, expected


def test_target_presentations_group_by_kind_with_the_note(agreement, shown):
    groups = target_presentations(agreement)
    assert groups.statutory_note == NOTE
    assert [t.is_statutory for t in groups.statutory] == [True] * len(groups.statutory)
    assert {t.kind for t in groups.local} == {"local"}
    assert len(groups.all) == agreement.targets.count()
