"""Local targets on national indicators, targets in words and baseline-by dates given as a
year, a month or a day: through the target form and the services."""

import datetime as dt
from decimal import Decimal

import pytest

from agreements import services
from agreements.completeness import completeness_problems
from agreements.models import DatePrecision, Target
from core.errors import ServiceError
from indicators.models import Indicator
from tests.agreements.conftest import fill_designated
from tests.agreements.test_views import BASE, target_post


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def _free_ni(agreement, code: str = "NI 32") -> Indicator:
    assert not agreement.targets.filter(indicator__code=code).exists()
    return Indicator.objects.get(code=code)


# --- National indicators as local targets ----------------------------------------------


def test_a_local_target_on_a_national_indicator_takes_its_definition_and_units(
    signed_in, agreement
):
    ni = _free_ni(agreement)
    response = signed_in.post(
        BASE + "targets/add/local/",
        target_post(indicator=ni, indicator_source="national", units=""),
    )
    assert response.status_code == 302
    target = agreement.targets.get(indicator=ni)
    assert target.kind == Target.Kind.LOCAL
    assert target.local_title == ""
    assert target.units == ni.units
    assert target.name == f"{ni.code}: {ni.title}"


def test_the_local_form_offers_the_catalogue_less_what_the_agreement_uses(signed_in, agreement):
    page = signed_in.get(BASE + "targets/add/local/")
    offered = set(page.context["form"].fields["indicator"].queryset.values_list("code", flat=True))
    assert "NI 32" in offered
    assert "NI 120" not in offered  # already a designated target here
    assert "NI 72" not in offered  # statutory: agreed with DCSF
    assert "A national indicator" in page.content.decode()
    assert "Our own indicator" in page.content.decode()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({}, "Choose a national indicator or your own indicator"),
        ({"indicator_source": "national"}, "Choose a national indicator"),
        ({"indicator_source": "own"}, "Enter the name of your own indicator"),
        (
            {"indicator_source": "national", "local_title": "Cycling", "indicator": "NI"},
            "leave your own indicator&#x27;s name and definition blank",
        ),
        (
            {"indicator_source": "own", "local_title": "Cycling", "indicator": "NI"},
            "leave the national indicator unchosen",
        ),
    ],
)
def test_a_local_target_uses_exactly_one_indicator(signed_in, agreement, extra, message):
    ni = _free_ni(agreement)
    data = target_post(**{k: v for k, v in extra.items() if k != "indicator"})
    if "indicator" in extra:
        data["indicator"] = str(ni.pk)
    count = agreement.targets.count()
    response = signed_in.post(BASE + "targets/add/local/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert agreement.targets.count() == count


def test_the_service_refuses_both_or_neither_and_statutory_indicators(agreement, coordinator):
    ni = _free_ni(agreement)
    for fields, message in [
        (services.TargetFields(indicator=ni, local_title="Mine"), "not both"),
        (services.TargetFields(), "Choose a national indicator"),
        (
            services.TargetFields(indicator=Indicator.objects.get(code="NI 72")),
            "statutory education target",
        ),
    ]:
        with pytest.raises(ServiceError, match=message):
            services.target_create(
                agreement=agreement, actor=coordinator, kind="local", fields=fields
            )


def test_local_targets_on_national_indicators_do_not_count_towards_the_cap(
    fresh_agreement, coordinator2
):
    round_ = fresh_agreement.round
    round_.designated_target_cap = 2
    round_.save()
    fill_designated(fresh_agreement, coordinator2, 2)
    ni = _free_ni(fresh_agreement)
    services.target_create(
        agreement=fresh_agreement,
        actor=coordinator2,
        kind="local",
        fields=services.TargetFields(indicator=ni),
    )
    assert fresh_agreement.targets.filter(kind="local", indicator=ni).exists()
    assert fresh_agreement.targets.filter(kind="designated").count() == 2


def test_editing_a_local_target_switches_to_the_areas_own_indicator(signed_in, agreement):
    ni = _free_ni(agreement)
    response = signed_in.post(
        BASE + "targets/add/local/", target_post(indicator=ni, indicator_source="national")
    )
    target = agreement.targets.get(indicator=ni)
    page = signed_in.get(BASE + f"targets/{target.pk}/edit/")
    assert page.context["form"].initial["indicator_source"] == "national"
    response = signed_in.post(
        BASE + f"targets/{target.pk}/edit/",
        target_post(
            indicator_source="own",
            local_title="Repeat incidents, local count",
            version=target.version,
            reason="Our own measure",
        ),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.indicator, target.local_title) == (None, "Repeat incidents, local count")


# --- Targets stated in words --------------------------------------------------------------


def test_a_target_in_words_needs_its_statement_and_not_its_values(signed_in, agreement):
    data = target_post(
        indicator_source="own",
        local_title="Community cohesion",
        is_qualitative="on",
        value_0="",
        value_1="",
        value_2="",
    )
    response = signed_in.post(BASE + "targets/add/local/", data)
    assert response.status_code == 200
    assert "Enter the target in words" in response.content.decode()
    assert "Deemed value for 2008/09 (optional)" in response.content.decode()
    data["statement"] = "A measurable increase in people who feel they belong"
    response = signed_in.post(BASE + "targets/add/local/", data)
    assert response.status_code == 302
    target = agreement.targets.get(local_title="Community cohesion")
    assert target.is_qualitative
    assert target.statement == "A measurable increase in people who feel they belong"
    assert target.yearly_values == [None, None, None]
    messages = [p.message for p in completeness_problems(agreement)]
    assert not any(m.startswith("Community cohesion has no target value") for m in messages)
    page = signed_in.get(BASE + f"targets/{target.pk}/edit/").content.decode()
    assert "Deemed value for 2009/10 (optional)" in page


def test_completeness_asks_for_the_statement_of_a_target_in_words(agreement, coordinator):
    target = services.target_create(
        agreement=agreement,
        actor=coordinator,
        kind="local",
        fields=services.TargetFields(
            local_title="Belonging", is_qualitative=True, statement="More people belong"
        ),
    )
    Target.objects.filter(pk=target.pk).update(statement="")
    messages = [p.message for p in completeness_problems(agreement)]
    assert "Belonging does not give the target in words" in messages
    with pytest.raises(ServiceError, match="in words"):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="local",
            fields=services.TargetFields(local_title="Other", is_qualitative=True),
        )


# --- Baseline-by dates as a year, a month or a day -----------------------------------------


@pytest.mark.parametrize(
    ("precision", "parts", "stored"),
    [
        ("day", ("31", "3", "2009"), dt.date(2009, 3, 31)),
        ("month", ("", "3", "2009"), dt.date(2009, 3, 1)),
        ("year", ("", "", "2009"), dt.date(2009, 1, 1)),
    ],
)
def test_a_baseline_by_date_is_stored_as_the_first_day_of_its_period(
    signed_in, agreement, precision, parts, stored
):
    ni = _free_ni(agreement, "NI 15")
    day, month, year = parts
    response = signed_in.post(
        BASE + "targets/add/designated/",
        target_post(
            indicator=ni,
            baseline_value="",
            baseline_due_precision=precision,
            baseline_due_on_0=day,
            baseline_due_on_1=month,
            baseline_due_on_2=year,
        ),
    )
    assert response.status_code == 302
    target = agreement.targets.get(indicator=ni)
    assert (target.baseline_due_on, target.baseline_due_precision) == (stored, precision)
    form = signed_in.get(BASE + f"targets/{target.pk}/edit/").context["form"]
    assert form.initial["baseline_due_precision"] == precision
    if precision == "month":
        assert form.initial["baseline_due_on"] == ["", 3, 2009]


DUE = "The date by which a baseline will be set "


@pytest.mark.parametrize(
    ("precision", "parts", "message"),
    [
        ("year", ("", "3", "2009"), "You chose a year only: leave the day and month blank"),
        ("month", ("1", "3", "2009"), "You chose a month and year: leave the day blank"),
        (
            "month",
            ("", "", "2009"),
            DUE + "must include a month",
        ),
        ("day", ("", "3", "2009"), DUE + "must include a day,"),
        ("day", ("", "", "2009"), "must include a day and month, or choose"),
        (
            "day",
            ("31", "2", "2009"),
            DUE + "must be a real date",
        ),
        ("month", ("", "3", ""), DUE + "must include a year"),
        (
            "month",
            ("", "13", "2009"),
            DUE + "must be a real date",
        ),
        ("month", ("", "3", "09"), "Year must include 4 numbers"),
        ("year", ("", "", "209"), "Year must include 4 numbers"),
        ("day", ("1", "x", "2009"), DUE + "must be a real date"),
    ],
)
def test_an_inconsistent_baseline_by_date_is_refused_clearly(
    signed_in, agreement, precision, parts, message
):
    ni = _free_ni(agreement, "NI 15")
    day, month, year = parts
    response = signed_in.post(
        BASE + "targets/add/designated/",
        target_post(
            indicator=ni,
            baseline_due_precision=precision,
            baseline_due_on_0=day,
            baseline_due_on_1=month,
            baseline_due_on_2=year,
        ),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not agreement.targets.filter(indicator=ni).exists()


# --- Statutory education targets -----------------------------------------------------------


def test_statutory_targets_open_awaiting_dcsf_and_their_form_asks_for_no_figures(
    client, fresh_agreement, coordinator2
):
    statutory = fresh_agreement.targets.filter(kind="statutory")
    assert set(statutory.values_list("statutory_state", flat=True)) == {"awaiting"}
    target = statutory.get(indicator__code="NI 72")
    Target.objects.filter(pk=target.pk).update(
        baseline_value=Decimal("70"), yearly_values=["71", "72", "73"]
    )
    target.refresh_from_db()
    client.force_login(coordinator2)
    url = f"/agreements/2008-11/leeds/targets/{target.pk}/edit/"
    form = client.get(url).context["form"]
    assert not {"value_0", "baseline_value", "baseline_due_on", "statement"} & set(form.fields)
    response = client.post(
        url,
        {
            "outcome": "",
            "lead_partner": "",
            "caveats": "Agreed with DCSF",
            "version": target.version,
            "reason": "Caveat",
            # Figures posted anyway are not the coordinator's to set.
            "value_0": "1",
            "baseline_value": "2",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.caveats == "Agreed with DCSF"
    assert (target.baseline_value, target.yearly_values) == (Decimal("70"), ["71", "72", "73"])
    assert target.statutory_state == "awaiting"
    messages = [p.message for p in completeness_problems(fresh_agreement)]
    assert not any(m.startswith("NI 72") for m in messages)


def test_the_precision_of_a_baseline_by_date_is_normalised_by_the_service(agreement, coordinator):
    target = services.target_create(
        agreement=agreement,
        actor=coordinator,
        kind="local",
        fields=services.TargetFields(
            local_title="Allotments",
            baseline_due_on=dt.date(2009, 3, 17),
            baseline_due_precision=DatePrecision.MONTH,
        ),
    )
    assert target.baseline_due_on == dt.date(2009, 3, 1)
