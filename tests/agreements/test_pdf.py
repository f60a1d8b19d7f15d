"""The agreement PDF, rendered by WeasyPrint and read back with pypdf."""

import io

from pypdf import PdfReader

from agreements.pdf import render_agreement_pdf


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_a_draft_pdf_holds_every_designated_target_and_a_watermark(agreement):
    data = render_agreement_pdf(agreement, draft=True)
    assert data.startswith(b"%PDF")
    pages, text = pdf_text(data)
    assert pages >= 3
    for target in agreement.targets.filter(kind="designated"):
        assert target.indicator.code in text
    assert "700" in text and "688" in text and "675" in text  # NI 120's yearly targets
    assert "Households in fuel poverty" in text
    assert "DRAFT" in text
    assert "Cumbria Local Area Agreement" in text
    assert "Page 2 of" in text
    second_page = PdfReader(io.BytesIO(data)).pages[1].extract_text()
    assert "Cumbria Local Area Agreement" in second_page  # the running header


def test_a_final_pdf_has_no_watermark_and_names_its_version(agreement):
    _, text = pdf_text(render_agreement_pdf(agreement, version_label="Version 3", draft=False))
    assert "DRAFT" not in text
    assert "Version 3" in text
