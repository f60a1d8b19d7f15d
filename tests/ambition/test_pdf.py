"""The draft PDF places each target among other areas' signed targets, strip and table
drawn as in the page; a signed PDF, kept as signed, carries no figures."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from jobs.pdf import render_agreement_pdf
from tests.ambition.conftest import area_with_target, freeze


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_a_draft_pdf_shows_where_its_targets_sit_and_a_signed_one_does_not(test_round):
    for end in (8, 7, 9):
        area_with_target(test_round, "NI 117", 10, end)
    mine = area_with_target(test_round, "NI 117", 10, 11, stage="drafting")
    agreement = mine.agreement
    text = _text(render_agreement_pdf(agreement))
    assert "Ambition in context" in text
    assert "A smaller improvement than 3 in 3 comparable areas." in text
    assert "This proposal" in text  # the strip's label, drawn by WeasyPrint from the SVG
    freeze(agreement, "signed")
    agreement.refresh_from_db()
    assert "Ambition in context" not in _text(render_agreement_pdf(agreement))
