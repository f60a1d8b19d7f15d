"""Freezing an agreement's complete content into a version's JSON.

The layout is the contract between versions, compare and (later) the PDF: keys are stable
across versions (an indicator's code, a local target's id, a funding stream's name).
"""

from __future__ import annotations

from agreements.keys import target_key
from agreements.models import Agreement
from agreements.selectors import funding_for, targets_for, themes_with_outcomes
from negotiations import registry

SCHEMA = 1


def _decimal(value) -> str | None:
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _department(indicator) -> str:
    department = indicator.lead_department
    return department.abbreviation or department.name


def snapshot(agreement: Agreement) -> dict:
    targets = []
    for target in targets_for(agreement):
        targets.append(
            {
                "key": target_key(target),
                "id": target.pk,
                "kind": target.kind,
                "code": target.indicator.code if target.indicator_id else "",
                "name": target.indicator.title if target.indicator_id else target.local_title,
                "definition": target.local_definition,
                "outcome": target.outcome.title if target.outcome_id else None,
                "units": target.units,
                "polarity": target.polarity,
                "baseline_value": _decimal(target.baseline_value),
                "baseline_places": target.baseline_places,
                "baseline_year": target.baseline_year,
                "baseline_due_on": target.baseline_due_on.isoformat()
                if target.baseline_due_on
                else None,
                "baseline_due_precision": target.baseline_due_precision,
                "yearly_values": list(target.yearly_values or []),
                "is_qualitative": target.is_qualitative,
                "statement": target.statement,
                "statutory_state": target.statutory_state,
                # A national indicator's own units and lead department, shown beside a
                # target that uses it (a local target may use one too).
                "indicator_units": target.indicator.units if target.indicator_id else "",
                "lead_department": _department(target.indicator) if target.indicator_id else "",
                "is_stretch": target.is_stretch,
                "is_deferred": target.is_deferred,
                "caveats": target.caveats,
                "lead_partner": target.lead_partner.name if target.lead_partner_id else None,
                "contributing_partners": sorted(p.name for p in target.contributing_partners.all()),
                "district_shares": [
                    {"district": s.district.name, "value": _decimal(s.value), "places": s.places}
                    for s in target.district_shares.all()
                ],
                "status": target.status,
            }
        )
    funding = []
    for entry in funding_for(agreement):
        funding.append(
            {
                "key": entry.stream.name,
                "stream": entry.stream.name,
                "department": entry.stream.department.abbreviation,
                "provider": entry.provider.name,
                "arrangement": entry.arrangement,
                "is_unquantified": entry.is_unquantified,
                "yearly_amounts": list(entry.yearly_amounts or []),
                "conditions": entry.conditions,
                "outcomes": sorted(o.title for o in entry.outcomes.all()),
                "consent_given_by": entry.consent_given_by,
                "consent_given_on": entry.consent_given_on.isoformat()
                if entry.consent_given_on
                else None,
                "status": entry.status,
            }
        )
    return {
        "schema": SCHEMA,
        "area": agreement.area.name,
        "round": agreement.round.slug,
        "years": agreement.round.years,
        # The round's note on statutory targets as it stood, so that a version (and its
        # signed PDF) reads the same however the round's note is later reworded.
        "statutory_note": agreement.round.statutory_note,
        "story_of_place": agreement.story_of_place,
        "governance": agreement.governance,
        "themes": [
            {
                "name": agreement_theme.theme.name,
                "outcomes": [
                    {"title": o.title, "description": o.description}
                    for o in agreement_theme.outcomes.all()
                ],
            }
            for agreement_theme in themes_with_outcomes(agreement)
        ],
        "targets": targets,
        "funding": funding,
        "requests": registry.requests().frozen(agreement),
    }
