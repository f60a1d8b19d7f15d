"""Drafting through the pages: forms, errors, conflicts, import, history, query counts."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from accounts.models import Area, Organisation
from agreements import services
from agreements.models import Agreement, Target
from indicators.models import Indicator
from tests.agreements.conftest import designated_fields, free_designated_codes

BASE = "/agreements/2008-11/cumbria/"


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def target_post(indicator=None, **extra):
    data = {
        "baseline_value": "10",
        "baseline_year": "2007/08",
        "baseline_due_on_0": "",
        "baseline_due_on_1": "",
        "baseline_due_on_2": "",
        "value_0": "11",
        "value_1": "12",
        "value_2": "13",
        "units": "",
        "polarity": "",
        "caveats": "",
        "outcome": "",
        "lead_partner": "",
    }
    if indicator is not None:
        data["indicator"] = str(indicator.pk)
    data.update(extra)
    return data


def test_coordinator_opens_their_agreement_from_the_list(client, coordinator2):
    client.force_login(coordinator2)
    page = client.get("/agreements/")
    assert "Open the Local Area Agreements 2008-11 agreement for Leeds" in page.content.decode()
    response = client.post("/agreements/open/")
    assert response.status_code == 302
    assert response.url == "/agreements/2008-11/leeds/"
    assert Agreement.objects.filter(area__name="Leeds").count() == 1


def test_admin_opens_agreements_for_every_area(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/agreements/rounds/2008-11/open/", follow=True)
    assert "Opened 143 agreements" in response.content.decode()


def test_home_lists_the_coordinators_agreement_with_its_stage(signed_in):
    table = signed_in.get("/").content.decode()
    assert 'href="/agreements/2008-11/cumbria/"' in table
    assert "Drafting" in table


def test_writing_the_story_of_place(signed_in, agreement):
    response = signed_in.post(
        BASE + "narrative/",
        {
            "story_of_place": "Our **ambition**\n\n- one\n- two",
            "governance": "The LSP board",
            "version": agreement.version,
            "reason": "",
        },
    )
    assert response.status_code == 302
    page = signed_in.get(BASE).content.decode()
    assert "<strong>ambition</strong>" in page
    assert '<ul class="govuk-list govuk-list--bullet">' in page


def test_second_save_from_an_old_version_gets_a_conflict_page_and_saves_nothing(
    client, coordinator, partner, agreement
):
    from partners.models import PartnerRepresentative

    PartnerRepresentative.objects.filter(user=partner).update(access="edit")
    version = agreement.version
    client.force_login(coordinator)
    client.post(
        BASE + "narrative/",
        {"story_of_place": "Coordinator's words", "governance": "", "version": version},
    )
    client.force_login(partner)
    response = client.post(
        BASE + "narrative/",
        {"story_of_place": "Partner's words", "governance": "", "version": version},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this while you were editing it" in body
    assert "Partner&#x27;s words" in body and "Coordinator&#x27;s words" in body
    agreement.refresh_from_db()
    assert agreement.story_of_place == "Coordinator's words"


def test_adding_a_theme_and_an_outcome(client, coordinator2, fresh_agreement):
    client.force_login(coordinator2)
    base = "/agreements/2008-11/leeds/themes/"
    theme = fresh_agreement.round.themes.get(name="Local economy")
    assert client.post(base, {"theme": theme.pk}).status_code == 302
    agreement_theme = fresh_agreement.themes.get()
    response = client.post(
        base, {"agreement_theme": agreement_theme.pk, "title": "", "description": ""}
    )
    assert "Enter the outcome" in response.content.decode()
    assert (
        client.post(
            base, {"agreement_theme": agreement_theme.pk, "title": "More jobs", "description": ""}
        ).status_code
        == 302
    )
    assert agreement_theme.outcomes.get().title == "More jobs"


def test_indicator_search_without_javascript_narrows_the_choice(signed_in):
    page = signed_in.get(BASE + "targets/add/designated/", {"q": "mortality"}).content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page)
    assert any(o.startswith("NI 121 ") for o in options)  # mortality from circulatory diseases
    assert not any(o.startswith("NI 1 ") for o in options)
    assert len(options) < 15
    # NI 120 is already in the agreement and statutory indicators are never offered.
    assert not any(o.startswith("NI 120 ") for o in options)
    full = signed_in.get(BASE + "targets/add/designated/").content.decode()
    assert "NI 72 –" not in full


def test_adding_a_designated_target_through_the_form(signed_in, agreement):
    indicator = Indicator.objects.get(code="NI 1")
    response = signed_in.post(BASE + "targets/add/designated/", target_post(indicator))
    assert response.status_code == 302
    target = agreement.targets.get(indicator=indicator)
    assert target.yearly_values == ["11", "12", "13"]


def test_bad_input_gets_an_error_summary_and_keeps_what_was_typed(signed_in, agreement):
    indicator = Indicator.objects.get(code="NI 1")
    response = signed_in.post(
        BASE + "targets/add/designated/",
        target_post(indicator, value_1="twelve", is_deferred="on", caveats=""),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in body
    assert "Target for 2009/10 must be a number" in body
    assert "Give a caveat for a deferred target" in body
    assert 'value="twelve"' in body
    assert not agreement.targets.filter(indicator=indicator).exists()


def test_the_cap_is_reported_on_the_form(signed_in, agreement, coordinator):
    for code in free_designated_codes(agreement, 31):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=designated_fields(code),
        )
    indicator = Indicator.objects.get(code=free_designated_codes(agreement, 1)[0])
    response = signed_in.post(BASE + "targets/add/designated/", target_post(indicator))
    assert "already has 35 designated targets" in response.content.decode()
    assert agreement.targets.filter(kind="designated").count() == 35


def test_the_cap_is_stated_before_the_form_is_offered(signed_in, agreement, coordinator):
    listing = signed_in.get(BASE + "targets/").content.decode()
    assert 'data-testid="designated-cap-reached"' not in listing
    assert "Add a designated target</a>" in listing
    assert "form" in signed_in.get(BASE + "targets/add/designated/").context
    for code in free_designated_codes(agreement, 31):
        services.target_create(
            agreement=agreement,
            actor=coordinator,
            kind="designated",
            fields=designated_fields(code),
        )
    listing = signed_in.get(BASE + "targets/").content.decode()
    assert 'data-testid="designated-cap-reached"' in listing
    assert "This agreement has 35 designated targets, the most the round allows." in listing
    assert "Add a designated target</a>" not in listing
    assert "Add a local target</a>" in listing
    page = signed_in.get(BASE + "targets/add/designated/")
    assert page.status_code == 200
    assert "form" not in page.context
    assert "You cannot add another designated target" in page.content.decode()
    assert "/targets/add/local/" in page.content.decode()


def test_adding_a_local_target(signed_in, agreement):
    response = signed_in.post(
        BASE + "targets/add/local/",
        target_post(
            indicator_source="own",
            local_title="Cycle journeys",
            local_definition="Counted at 12 sites",
        ),
    )
    assert response.status_code == 302
    assert agreement.targets.filter(kind="local", local_title="Cycle journeys").exists()


def test_editing_needs_a_reason_and_the_history_shows_old_and_new_values(signed_in, agreement):
    target = agreement.targets.get(indicator__code="NI 120")
    url = BASE + f"targets/{target.pk}/edit/"
    form = signed_in.get(url).context["form"]
    data = target_post(
        target.indicator,
        baseline_value="712",
        value_0="695",
        value_1="688",
        value_2="675",
        version=target.version,
        lead_partner=form.initial["lead_partner"],
    )
    response = signed_in.post(url, {**data, "reason": ""})
    assert "Enter a reason for the change" in response.content.decode()
    assert signed_in.post(url, {**data, "reason": "New ONS figures"}).status_code == 302
    history = signed_in.get(BASE + f"targets/{target.pk}/history/").content.decode()
    assert "New ONS figures" in history
    assert "700, 688, 675" in history and "695, 688, 675" in history
    assert "Chris Coordinator" in history


def test_target_conflict_page_shows_both_versions(signed_in, agreement, coordinator):
    target = agreement.targets.get(indicator__code="NI 120")
    stale = target.version
    services.target_update(
        target=target,
        actor=coordinator,
        expected_version=stale,
        fields=designated_fields(
            "NI 120",
            baseline_value=Decimal("712.0"),
            yearly_values=(Decimal("1"), Decimal("2"), Decimal("3")),
            is_stretch=True,
        ),
        reason="First",
    )
    response = signed_in.post(
        BASE + f"targets/{target.pk}/edit/",
        {
            **target_post(target.indicator, value_0="12500.5", baseline_value="1250"),
            "version": stale,
            "reason": "Second",
        },
    )
    assert response.status_code == 409
    rows = {label: (yours, saved) for label, yours, saved in response.context["rows"]}
    assert rows["Target for 2008/09"] == ("12,500.5", "1")
    # The figure as typed, never the stored "712.0000"; yes or no, never "False".
    assert rows["Baseline"] == ("1,250", "712.0")
    assert rows["Stretch"] == ("No", "Yes")
    page = response.content.decode()
    assert "712.0000" not in page and "False" not in page and "True" not in page
    target.refresh_from_db()
    assert target.yearly_values == ["1", "2", "3"]


def test_removing_a_target(signed_in, agreement):
    target = agreement.targets.get(indicator__code="NI 16")
    response = signed_in.post(
        BASE + f"targets/{target.pk}/remove/",
        {"version": target.version, "reason": "Not a priority"},
    )
    assert response.status_code == 302
    assert not agreement.targets.filter(pk=target.pk).exists()
    statutory = agreement.targets.filter(kind="statutory").first()
    assert signed_in.get(BASE + f"targets/{statutory.pk}/remove/").status_code == 404


def test_funding_stream_with_consent_through_the_forms(signed_in, agreement, locality):
    from agreements.models import FundingStream

    stream = FundingStream.objects.get(name="Area Based Grant")
    response = signed_in.post(
        BASE + "funding/add/",
        {
            "stream": stream.pk,
            "provider": locality.pk,
            "arrangement": "pooled",
            "amount_0": "1000000",
            "amount_1": "",
            "amount_2": "",
            "conditions": "",
        },
    )
    entry = agreement.funding.get(stream=stream)
    assert response.url == BASE + f"funding/{entry.pk}/consent/"
    listing = signed_in.get(BASE + "funding/").content.decode()
    assert listing.count('data-testid="no-consent"') == 2
    response = signed_in.post(
        response.url,
        {
            "given_by": "Jo Smith, Director of Finance",
            "given_on_0": "14",
            "given_on_1": "2",
            "given_on_2": "2008",
            "version": entry.version,
        },
    )
    assert response.status_code == 302
    assert signed_in.get(BASE + "funding/").content.decode().count('data-testid="no-consent"') == 1


def test_funding_needs_amounts_or_unquantified(signed_in, agreement, locality):
    from agreements.models import FundingStream

    stream = FundingStream.objects.get(name="Area Based Grant")
    response = signed_in.post(
        BASE + "funding/add/",
        {
            "stream": stream.pk,
            "provider": locality.pk,
            "arrangement": "pooled",
            "amount_0": "",
            "amount_1": "",
            "amount_2": "",
        },
    )
    assert "Enter the amounts, or say the amount is not yet quantified" in response.content.decode()


def test_inviting_a_partner_representative(
    signed_in, agreement, mailoutbox, django_capture_on_commit_callbacks
):
    partnership = agreement.area.partnerships.get(organisation__name="Carlisle City Council")
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            BASE + "partners/",
            {
                "action": "invite",
                "partnership": partnership.pk,
                "full_name": "Dee District",
                "email": "dee@carlisle.example",
                "access": "edit",
            },
        )
    assert response.status_code == 302
    assert mailoutbox[0].to == ["dee@carlisle.example"]
    assert (
        "Dee District (view, comment and edit)"
        in signed_in.get(BASE + "partners/").content.decode()
    )


def test_completeness_page_links_each_problem_to_its_fix(signed_in):
    page = signed_in.get(BASE + "completeness/").content.decode()
    assert re.search(
        r'href="/agreements/2008-11/cumbria/targets/\d+/edit/">NI 16 has no lead partner', page
    )
    assert (
        'href="/agreements/2008-11/cumbria/themes/">The theme ‘Safer communities’ has no outcomes'
        in page
    )


def test_print_view_holds_the_whole_draft(client, negotiator, agreement):
    client.force_login(negotiator)
    page = client.get(BASE + "print/").content.decode()
    for text in [
        "Cumbria Local Area Agreement",
        "Story of place",
        "NI 120",
        "NI 72",
        "Households in fuel poverty",
        "Primary care trust mainstream budget",
    ]:
        assert text in page


# --- Import --------------------------------------------------------------------------------


def csv_upload(rows, header=None, name="targets.csv"):
    from agreements.importing import columns

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or columns(Agreement.objects.get(area__name="Cumbria")))
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(), content_type="text/csv")


def row(
    code, *, baseline="5", values=("6", "7", "8"), lead="", deferred="no", caveats="", outcome=""
):
    return [code, outcome, baseline, "2007/08", "", *values, "", "no", deferred, caveats, lead]


def test_the_templates_download(signed_in):
    text = signed_in.get(BASE + "targets/import/template.csv").content.decode()
    assert text.splitlines()[0].startswith("indicator code,outcome,baseline value")
    assert "target 2010/11" in text.splitlines()[0]
    response = signed_in.get(BASE + "targets/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "indicator code"


def test_a_good_csv_imports_every_row(signed_in, agreement):
    upload = csv_upload(
        [
            row("NI 1", lead="Cumbria (lead council)"),
            row("ni 2"),
            row("NI3", deferred="yes", caveats="Place Survey in 2008", values=("", "", "")),
        ]
    )
    response = signed_in.post(BASE + "targets/import/", {"file": upload})
    assert response.status_code == 302
    codes = set(
        agreement.targets.filter(kind="designated").values_list("indicator__code", flat=True)
    )
    assert {"NI 1", "NI 2", "NI 3"} <= codes
    assert (
        agreement.targets.get(indicator__code="NI 1").lead_partner.name == "Cumbria (lead council)"
    )


def test_a_file_with_any_problem_imports_nothing_and_names_each_problem(signed_in, agreement):
    before = agreement.targets.count()
    upload = csv_upload(
        [
            row("NI 1"),
            row("NI 999"),
            row("NI 120"),
            row("NI 72"),
            row("NI 2", values=("6", "lots", "8")),
            row("NI 1"),
            row("NI 4", lead="Nobody Ltd"),
            row("NI 5", deferred="maybe"),
        ]
    )
    response = signed_in.post(BASE + "targets/import/", {"file": upload})
    assert response.status_code == 400
    problems = [(p.row, p.column, p.message) for p in response.context["problems"]]
    assert (
        3,
        "indicator code",
        "NI 999 is not in the Local Area Agreements 2008-11 indicator set",
    ) in problems
    assert (4, "indicator code", "NI 120 is already in this agreement") in problems
    assert (
        5,
        "indicator code",
        "NI 72 is a statutory education target, not a designated one",
    ) in problems
    assert (6, "target 2009/10", "must be a number, like 750 or 12.5") in problems
    assert (7, "indicator code", "NI 1 is also on row 2") in problems
    assert (8, "lead partner", "Nobody Ltd is not a partner in Cumbria") in problems
    assert (9, "deferred", "must be yes or no") in problems
    body = response.content.decode()
    assert 'class="govuk-error-summary"' in body and "Nothing was imported" in body
    assert agreement.targets.count() == before


def test_an_xlsx_file_imports(signed_in, agreement):
    from agreements.importing import columns

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns(agreement))
    sheet.append(["NI 8", None, 12.5, "2007/08", None, 13, 14, 15, None, "yes", "no", None, None])
    data = io.BytesIO()
    workbook.save(data)
    upload = SimpleUploadedFile("targets.xlsx", data.getvalue())
    assert signed_in.post(BASE + "targets/import/", {"file": upload}).status_code == 302
    target = agreement.targets.get(indicator__code="NI 8")
    assert target.is_stretch and target.yearly_values == ["13", "14", "15"]


def test_import_refuses_too_many_for_the_cap(signed_in, agreement):
    codes = free_designated_codes(agreement, 32)
    response = signed_in.post(
        BASE + "targets/import/", {"file": csv_upload([row(c) for c in codes])}
    )
    messages = [p.message for p in response.context["problems"]]
    assert "The agreement has 4 designated targets; adding 32 would pass the cap of 35" in messages


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("targets.pdf", b"%PDF-1.4", "The file must be a CSV or an XLSX file"),
        ("targets.xlsx", b"not a workbook", "not a readable XLSX workbook"),
        ("targets.csv", "indicator code\nNI 1\n".encode("utf-16"), "saved as UTF-8"),
        ("targets.csv", b"a,b\n1,2\n", "This column is missing"),
        ("targets.csv", b"", "The submitted file is empty"),
    ],
)
def test_unusable_files_are_refused_clearly(signed_in, name, content, message):
    response = signed_in.post(BASE + "targets/import/", {"file": SimpleUploadedFile(name, content)})
    assert message in response.content.decode()


def test_an_oversized_file_is_refused(signed_in):
    big = SimpleUploadedFile("targets.csv", b"x" * (2 * 1024 * 1024 + 1))
    response = signed_in.post(BASE + "targets/import/", {"file": big})
    assert "The file must be smaller than 2 MB" in response.content.decode()


# --- Query counts ----------------------------------------------------------------------------


@pytest.fixture
def agreement_with_targets(admin_user, coordinator2):
    def build(count: int) -> Agreement:
        agreement, _ = services.agreement_open(
            area=Area.objects.get(name="Leeds"),
            round=Agreement.objects.first().round,
            actor=coordinator2,
        )
        Target.objects.filter(agreement=agreement).delete()
        lead = Organisation.objects.get(kind="locality", area__name="Leeds")
        designated = min(count, 35)
        for code in free_designated_codes(agreement, designated):
            services.target_create(
                agreement=agreement,
                actor=coordinator2,
                kind="designated",
                fields=designated_fields(code, lead_partner=lead),
            )
        for n in range(count - designated):
            services.target_create(
                agreement=agreement,
                actor=coordinator2,
                kind="local",
                fields=services.TargetFields(local_title=f"Local {n}", lead_partner=lead),
            )
        assert agreement.targets.count() == count
        return agreement

    return build


@pytest.mark.parametrize("page", ["", "targets/", "print/", "completeness/"])
def test_pages_run_the_same_number_of_queries_for_5_and_51_targets(
    client, coordinator2, agreement_with_targets, django_assert_max_num_queries, page
):
    client.force_login(coordinator2)
    counts = []
    for count in (5, 51):
        agreement_with_targets(count)
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(25):
            assert client.get(f"/agreements/2008-11/leeds/{page}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    ("email", "links"),
    [
        ("coordinator@example.org", True),
        ("partner@example.org", False),
        ("negotiator@example.org", False),
        ("admin@example.org", False),
    ],
)
def test_the_completeness_check_links_to_fixes_only_for_those_who_may_make_them(
    client, agreement, email, links
):
    from accounts.models import User

    client.force_login(User.objects.get(email=email))
    page = client.get(BASE + "completeness/").content.decode()
    problems = page.split('data-testid="problems"', 1)[1].split("</ul>", 1)[0]
    assert problems.count("<li>") > 0
    assert ("/edit/" in problems or "/consent/" in problems or "href" in problems) is links
