"""The agreement PDF, rendered by WeasyPrint and read back with pypdf."""

import io

from django.utils import timezone
from pypdf import PdfReader

from agreements.stages import Stage
from jobs.pdf import render_agreement_pdf
from negotiations.models import Version
from negotiations.versions import snapshot


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def test_a_draft_pdf_holds_every_designated_target_and_a_watermark(agreement):
    data = render_agreement_pdf(agreement)
    assert data.startswith(b"%PDF")
    pages, text = pdf_text(data)
    assert pages >= 3
    for target in agreement.targets.filter(kind="designated"):
        assert target.indicator.code in text
    assert "700" in text and "688" in text and "675" in text  # NI 120's yearly targets
    assert "Households in fuel poverty" in text
    assert "DRAFT" in text
    assert "Working draft" in text
    assert "Cumbria Local Area Agreement" in text
    assert "Page 2 of" in text
    second_page = PdfReader(io.BytesIO(data)).pages[1].extract_text()
    assert "Cumbria Local Area Agreement" in second_page  # the running header


def test_a_signed_pdf_has_no_watermark_and_names_its_version(agreement):
    version = Version.objects.create(agreement=agreement, number=3, content=snapshot(agreement))
    agreement.signed_version, agreement.signed_at = version, timezone.now()
    agreement.stage = Stage.SIGNED
    agreement.save()
    _, text = pdf_text(render_agreement_pdf(agreement))
    assert "DRAFT" not in text
    assert "Version 3" in text
