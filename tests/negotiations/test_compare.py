"""Comparing two frozen versions of an agreement, on plain dicts with no database."""

from __future__ import annotations

import copy
from decimal import Decimal

from negotiations.compare import FieldChange, ValueChange, compare, diff_text

YEARS = ["2008/09", "2009/10", "2010/11"]


def target(key: str, **overrides) -> dict:
    local = key.startswith("local:")
    data = {
        "key": key,
        "id": 1,
        "kind": "local" if local else "designated",
        "code": "" if local else key,
        "name": f"Indicator {key}",
        "definition": "",
        "outcome": None,
        "units": "%",
        "polarity": "higher",
        "baseline_value": "10",
        "baseline_year": "2007/08",
        "baseline_due_on": None,
        "yearly_values": ["11", "12", "13"],
        "is_stretch": False,
        "is_deferred": False,
        "caveats": "",
        "lead_partner": "Borsetshire County Council",
        "contributing_partners": ["Borsetshire Police"],
        "district_shares": [],
        "status": "proposed",
    }
    return data | overrides


def funding(stream: str, **overrides) -> dict:
    data = {
        "key": stream,
        "stream": stream,
        "department": "DCLG",
        "provider": "Department for Communities and Local Government",
        "arrangement": "pooled",
        "is_unquantified": False,
        "yearly_amounts": ["1000", "1000", "1000"],
        "conditions": "",
        "outcomes": [],
        "consent_given_by": "",
        "consent_given_on": None,
        "status": "proposed",
    }
    return data | overrides


def content(**overrides) -> dict:
    data = {
        "schema": 1,
        "area": "Borsetshire",
        "round": "2008",
        "years": YEARS,
        "story_of_place": "Borsetshire is a rural county with market towns.",
        "governance": "The board meets quarterly.",
        "themes": [
            {
                "name": "Safer communities",
                "outcomes": [{"title": "Less crime", "description": "Fewer burglaries."}],
            },
            {"name": "Economy", "outcomes": [{"title": "More jobs", "description": ""}]},
        ],
        "targets": [target("NI 120"), target("NI 1"), target("local:7"), target("NI 56")],
        "funding": [funding("Area Based Grant"), funding("Supporting People")],
        "requests": [],
    }
    return data | overrides


def test_identical_versions_have_no_changes():
    old = content()
    result = compare(old, copy.deepcopy(old))
    assert not result.has_changes
    assert result.years == YEARS
    assert result.targets_unchanged_count == 4
    assert result.funding_unchanged_count == 2
    assert not result.story_of_place.changed
    assert result.story_of_place.ops == [("equal", old["story_of_place"])]


def test_targets_added_removed_and_changed_by_key():
    old = content()
    new = content(
        targets=[
            target("NI 120", baseline_value="712", yearly_values=["690", "680.5", None]),
            target("NI 1", yearly_values=["11", "12.0", "14"]),  # only a yearly value moves
            target("NI 56"),
            target("local:9", name="Empty homes brought back into use"),
        ]
    )

    result = compare(old, new)

    assert result.has_changes
    assert [t["key"] for t in result.targets_added] == ["local:9"]
    assert result.targets_added[0]["name"] == "Empty homes brought back into use"
    assert [t["key"] for t in result.targets_removed] == ["local:7"]
    assert result.targets_unchanged_count == 1  # NI 56
    assert [c.key for c in result.targets_changed] == ["NI 120", "NI 1"]

    ni120, ni1 = result.targets_changed
    assert (ni120.code, ni120.name, ni120.kind) == ("NI 120", "Indicator NI 120", "designated")
    assert ni120.baseline == ValueChange(old="10", new="712", difference=Decimal("702"))
    assert [(y.year, y.old, y.new, y.difference, y.changed) for y in ni120.years] == [
        ("2008/09", "11", "690", Decimal("679"), True),
        ("2009/10", "12", "680.5", Decimal("668.5"), True),
        ("2010/11", "13", None, None, True),
    ]
    assert ni120.fields == []

    # "12" and "12.0" are the same figure; only the last year changed.
    assert ni1.baseline is None
    assert [y.changed for y in ni1.years] == [False, False, True]
    assert ni1.years[2].difference == Decimal("1")
    assert ni1.years[1].difference == Decimal("0")
    assert ni1.fields == []


def test_other_target_fields_are_reported_with_labels():
    old = content()
    changed = target(
        "NI 1",
        baseline_year="2006/07",
        baseline_due_on="2009-03-31",
        lead_partner="Felpersham City Council",
        is_stretch=True,
        is_deferred=True,
        caveats="Subject to the new survey.",
        status="agreed",
        units="number",
        polarity="lower",
        outcome="Less crime",
        definition="Per 1,000 population",
        contributing_partners=["Borsetshire Police", "Felpersham PCT"],
        district_shares=[{"district": "Felpersham", "value": "4"}],
    )
    new = content(targets=[target("NI 120"), changed, target("local:7"), target("NI 56")])

    (change,) = compare(old, new).targets_changed

    assert change.key == "NI 1"
    assert change.baseline is None
    assert not any(y.changed for y in change.years)
    by_label = {f.label: f for f in change.fields}
    assert set(by_label) == {
        "Baseline year",
        "Baseline due on",
        "Lead partner",
        "Stretch",
        "Deferred",
        "Caveats",
        "Status",
        "Units",
        "Polarity",
        "Outcome",
        "Definition",
        "Contributing partners",
        "District split",
    }
    assert by_label["Lead partner"] == FieldChange(
        "Lead partner", "Borsetshire County Council", "Felpersham City Council"
    )
    assert (by_label["Stretch"].old_text, by_label["Stretch"].new_text) == ("No", "Yes")
    assert by_label["Contributing partners"].new_text == "Borsetshire Police, Felpersham PCT"
    assert by_label["District split"].old_text == ""
    assert by_label["District split"].new_text == "Felpersham: 4"
    assert by_label["Outcome"].old is None


def test_baseline_set_from_nothing_and_yearly_lists_of_different_lengths():
    old = content(targets=[target("NI 1", baseline_value=None, yearly_values=["5"])])
    new = content(targets=[target("NI 1", baseline_value="2.5", yearly_values=[])])

    (change,) = compare(old, new).targets_changed

    assert change.baseline == ValueChange(old=None, new="2.5", difference=None)
    assert [(y.year, y.old, y.new, y.changed) for y in change.years] == [
        ("2008/09", "5", None, True),
        ("2009/10", None, None, False),
        ("2010/11", None, None, False),
    ]


def test_years_fall_back_to_the_old_version():
    old = content()
    new = content(years=None)
    assert compare(old, new).years == YEARS


def test_funding_added_removed_and_changed():
    old = content()
    new = content(
        funding=[
            funding(
                "Area Based Grant",
                yearly_amounts=["1000", "1250.50"],
                consent_given_by="J. Smith",
                consent_given_on="2008-05-01",
                status="agreed",
            ),
            funding("Neighbourhood Renewal Fund"),
        ]
    )

    result = compare(old, new)

    assert [f["key"] for f in result.funding_added] == ["Neighbourhood Renewal Fund"]
    assert [f["key"] for f in result.funding_removed] == ["Supporting People"]
    assert result.funding_unchanged_count == 0
    (change,) = result.funding_changed
    assert (change.key, change.stream) == ("Area Based Grant", "Area Based Grant")
    assert [(y.year, y.old, y.new, y.difference, y.changed) for y in change.years] == [
        ("2008/09", "1000", "1000", Decimal("0"), False),
        ("2009/10", "1000", "1250.50", Decimal("250.50"), True),
        ("2010/11", "1000", None, None, True),
    ]
    assert [(f.label, f.old, f.new) for f in change.fields] == [
        ("Consent given by", "", "J. Smith"),
        ("Consent given on", None, "2008-05-01"),
        ("Status", "proposed", "agreed"),
    ]


def test_narrative_ops_rebuild_both_texts():
    old_text = "Borsetshire is a  rural county\nwith market towns and villages."
    new_text = "Borsetshire is a growing rural county\nwith market towns.\n\nNew paragraph."
    result = compare(
        content(story_of_place=old_text), content(story_of_place=new_text)
    ).story_of_place

    assert result.changed
    assert "".join(text for tag, text in result.ops if tag in ("equal", "insert")) == new_text
    assert "".join(text for tag, text in result.ops if tag in ("equal", "delete")) == old_text
    assert {tag for tag, _ in result.ops} == {"equal", "insert", "delete"}
    assert ("delete", " villages.") not in result.ops  # adjacent deletions are merged
    assert any(tag == "insert" and "growing" in text for tag, text in result.ops)
    assert any(tag == "delete" and "villages." in text for tag, text in result.ops)
    assert not compare(content(), content()).governance.changed


def test_narrative_from_nothing():
    diff = diff_text(None, "The board meets quarterly.")
    assert diff.changed
    assert diff.ops == [("insert", "The board meets quarterly.")]
    assert diff_text("", None) == diff_text(None, "")
    assert not diff_text(None, "").changed


def test_themes_and_outcomes():
    old = content()
    new = content(
        themes=[
            {
                "name": "Safer communities",
                "outcomes": [
                    {"title": "Less crime", "description": "Fewer burglaries and thefts."},
                    {"title": "Safer roads", "description": ""},
                ],
            },
            {"name": "Health", "outcomes": [{"title": "Longer lives", "description": ""}]},
        ]
    )

    result = compare(old, new)

    assert result.has_changes
    assert result.themes_added == ["Health"]
    assert result.themes_removed == ["Economy"]
    assert result.outcomes_added == [
        ("Safer communities", "Safer roads"),
        ("Health", "Longer lives"),
    ]
    assert result.outcomes_removed == [("Economy", "More jobs")]
    assert result.outcomes_changed == [("Safer communities", "Less crime")]
    assert result.targets_unchanged_count == 4


def test_requests_are_matched_by_key():
    old = content(requests=[{"key": "r1", "text": "Freedom A"}, {"key": "r2", "text": "B"}])
    new = content(requests=[{"key": "r1", "text": "Freedom A, amended"}, {"key": "r3"}])

    result = compare(old, new)

    assert [r["key"] for r in result.requests_added] == ["r3"]
    assert [r["key"] for r in result.requests_removed] == ["r2"]
    assert result.requests_changed == [{"key": "r1", "text": "Freedom A, amended"}]
