"""The reference data load: real numbers, idempotent, updates in place, all or nothing."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Area, Organisation
from indicators.models import Indicator, Milestone, Round, RoundIndicator, Theme
from indicators.reference_data import REFDATA_DIR, ReferenceDataError, load


def counts() -> dict[str, int]:
    return {
        "indicators": Indicator.objects.count(),
        "indicator history": Indicator.history.count(),
        "areas": Area.objects.count(),
        "organisations": Organisation.objects.count(),
        "rounds": Round.objects.count(),
        "themes": Theme.objects.count(),
        "milestones": Milestone.objects.count(),
        "catalogue": RoundIndicator.objects.count(),
    }


@pytest.fixture
def refdata_copy(tmp_path):
    target = tmp_path / "refdata"
    shutil.copytree(REFDATA_DIR, target)
    return target


def test_the_real_reference_data_is_loaded(db):
    assert Indicator.objects.count() == 198
    assert not Indicator.objects.filter(code="NI 31").exists()
    assert Indicator.objects.filter(code="NI 199").exists()
    assert Area.objects.count() == 150
    assert Organisation.objects.filter(kind="government_office").count() == 9
    assert Organisation.objects.filter(kind="locality").count() == 150
    assert Organisation.objects.filter(kind="department").count() == 22
    assert Indicator.objects.get(code="NI 120").lead_department.abbreviation == "DH"


def test_rounds_carry_their_rules_and_catalogues(db):
    current = Round.objects.get(slug="2008-11")
    assert current.designated_target_cap == 35
    assert current.statutory_targets_apply
    assert current.years == ["2008/09", "2009/10", "2010/11"]
    assert current.structure == Round.Structure.THEMES
    assert current.catalogue.count() == 198
    assert current.catalogue.filter(is_statutory=True).count() == 16
    assert current.themes.count() == 7
    pilots = Round.objects.get(slug="2005-pilots")
    assert pilots.designated_target_cap is None
    assert pilots.structure == Round.Structure.BLOCKS
    assert not pilots.statutory_targets_apply
    assert [theme.name for theme in pilots.themes.all()][:1] == ["Children and young people"]


def test_loading_twice_changes_nothing(db):
    before = counts()
    report = load()
    assert not report.changed
    assert counts() == before


def test_command_reports_when_already_up_to_date(db, capsys):
    call_command("load_reference_data")
    assert "already up to date" in capsys.readouterr().out


def test_a_changed_row_is_updated_not_duplicated(db, refdata_copy):
    path = refdata_copy / "national_indicators.csv"
    text = path.read_text()
    path.write_text(
        text.replace("All-age all cause mortality rate", "All-age all-cause mortality rate")
    )
    report = load(refdata_copy)
    assert report.updated["indicators"] == 1
    assert Indicator.objects.count() == 198
    indicator = Indicator.objects.get(code="NI 120")
    assert indicator.title == "All-age all-cause mortality rate"
    assert indicator.history.first().history_change_reason == "Reference data load"


def test_a_correction_made_in_the_portal_is_kept(db, refdata_copy, admin_user):
    indicator = Indicator.objects.get(code="NI 120")
    indicator.source = "Office for National Statistics"
    indicator._history_user = admin_user
    indicator.save()
    report = load()
    assert report.kept["indicators"] == 1
    indicator.refresh_from_db()
    assert indicator.source == "Office for National Statistics"


@pytest.mark.parametrize(
    ("filename", "old", "new", "message"),
    [
        (
            "laa_areas_extended.csv",
            "Darlington,GO North East,unitary",
            "Darlington,GO North East,city",
            r"laa_areas_extended.csv, line 2: tier 'city'",
        ),
        (
            "national_indicators.csv",
            "NI 120,120,",
            "NI 120,121,",
            r"national_indicators.csv, line \d+: number '121' does not match code 'NI 120'",
        ),
        (
            "national_indicators.csv",
            "NI 120,120,All-age all cause mortality rate,Adult health and wellbeing,DH",
            "NI 120,120,All-age all cause mortality rate,Adult health and wellbeing,XYZ",
            r"national_indicators.csv, line \d+: lead_department 'XYZ' is not in departments.csv",
        ),
        (
            "statutory_education_targets.csv",
            "NI 72,",
            "NI 31,",
            r"statutory_education_targets.csv, line 2: code 'NI 31' is not in "
            r"national_indicators.csv",
        ),
        (
            "departments.csv",
            "abbreviation,full_name",
            "abbrev,full_name",
            r"departments.csv, line 1: missing column\(s\): abbreviation",
        ),
        (
            "rounds.toml",
            "designated_target_cap = 35",
            "designated_target_cap = = 35",
            r"rounds.toml, line \d+: not valid TOML",
        ),
        (
            "rounds.toml",
            'structure = "blocks"',
            'structure = "chapters"',
            r"rounds.toml, line \d+: structure 'chapters' must be themes or blocks",
        ),
    ],
)
def test_a_malformed_file_fails_with_file_line_and_reason_and_loads_nothing(
    db, refdata_copy, filename, old, new, message
):
    path = refdata_copy / filename
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    # A valid change elsewhere must not be saved either.
    indicators = refdata_copy / "national_indicators.csv"
    indicators.write_text(
        indicators.read_text().replace("Civic participation in the local area", "Changed")
    )
    before = counts()
    with pytest.raises(ReferenceDataError, match=message):
        load(refdata_copy)
    assert counts() == before
    assert not Indicator.objects.filter(title="Changed").exists()


def test_a_duplicate_row_is_refused(db, refdata_copy):
    path = refdata_copy / "national_indicators.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]))
    with pytest.raises(
        ReferenceDataError, match=r"line 200: duplicate indicator 'NI 1' \(first on line 2\)"
    ):
        load(refdata_copy)


def test_the_command_names_the_problem_and_says_nothing_was_loaded(db, refdata_copy):
    (refdata_copy / "laa_areas_extended.csv").write_text("name,tier\nDarlington,unitary\n")
    with pytest.raises(
        CommandError, match="Nothing was loaded. laa_areas_extended.csv, line 1: missing column"
    ):
        call_command("load_reference_data", "--directory", str(refdata_copy))


def test_missing_rows_are_recreated(db):
    RoundIndicator.objects.all().delete()
    Milestone.objects.all().delete()
    report = load()
    assert report.created["catalogue entries"] == 198
    assert report.created["milestones"] == 7
    assert report.created["indicators"] == 0
    assert RoundIndicator.objects.filter(round__slug="2008-11", is_statutory=True).count() == 16
