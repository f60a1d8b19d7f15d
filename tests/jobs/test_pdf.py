"""The agreement PDF read back with pypdf: every designated target with its yearly values,
the version, the signatories; DRAFT on drafts only; a signed PDF that never changes."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from agreements import services as drafting
from agreements.models import Agreement
from agreements.stages import Stage
from core.text import grouped
from freedoms.models import FreedomRequest
from indicators.models import Round
from jobs.models import Job, Kind, State
from jobs.pdf import render_agreement_pdf, source_for
from jobs.producers import version_pdf_ensure
from jobs.services import agreement_pdf_request
from negotiations.versions import snapshot
from tests.agreements.conftest import designated_fields, fill_designated
from tests.jobs.conftest import job_files, pdf_text, run, sign


def _number(value) -> str:
    """A figure as the PDF writes it: no trailing zeros, commas between thousands."""
    text = str(value)
    return grouped(text.rstrip("0").rstrip(".") if "." in text else text)


def test_a_signed_pdf_holds_every_designated_target_its_values_the_version_and_signatories(
    agreement, coordinator
):
    fill_designated(
        agreement, coordinator, 35 - agreement.targets.filter(kind="designated").count()
    )
    version = sign(agreement)
    pages, text = pdf_text(render_agreement_pdf(agreement))
    designated = [t for t in version.content["targets"] if t["kind"] == "designated"]
    assert len(designated) == 35
    for target in designated:
        assert target["code"] in text
        for value in target["yearly_values"]:
            if value is not None:
                assert _number(value) in text
    assert f"Version {version.number}" in text
    for name in ["Pat Partner", "Cllr Ada Council", "Rhiannon Director", "Hazel Minister"]:
        assert name in text
    assert "Secretary of State" in text
    assert "Committed to" in text  # the partner's commitments, as it signed them
    assert "signed on 20 June 2008" in text
    assert "DRAFT" not in text
    assert "Sign-off record" in text


def test_a_draft_pdf_carries_the_watermark_and_no_signatures(agreement):
    _, text = pdf_text(render_agreement_pdf(agreement))
    assert "DRAFT" in text
    assert "Working draft" in text
    assert "This is a draft. It has not been signed." in text


def test_the_signed_pdf_does_not_change_when_an_amendment_starts(agreement, coordinator):
    version = sign(agreement)
    target = agreement.targets.get(indicator__code="NI 120")
    signed_values = version.content["targets"]
    assert any(t["code"] == "NI 120" and "700" in t["yearly_values"] for t in signed_values)
    # An amendment: the draft changes, the signed version stays.
    Agreement.objects.filter(pk=agreement.pk).update(stage=Stage.DRAFTING)
    agreement.refresh_from_db()
    drafting.target_update(
        target=target,
        actor=coordinator,
        expected_version=target.version,
        reason="Refresh",
        fields=designated_fields(
            "NI 120",
            baseline_value=Decimal("720"),
            yearly_values=(Decimal("711"), Decimal("699"), Decimal("687")),
            lead_partner=target.lead_partner,
        ),
    )
    _, signed_text = pdf_text(render_agreement_pdf(agreement))
    assert "700" in signed_text and "711" not in signed_text
    assert source_for(agreement).version == version  # a signed agreement prints its signed one
    assert any(t["yearly_values"][0] == "711" for t in snapshot(agreement)["targets"])


def test_a_signed_version_is_rendered_once(agreement):
    sign(agreement)
    first = version_pdf_ensure(agreement=agreement)
    again = version_pdf_ensure(agreement=agreement)
    assert first.pk == again.pk
    assert first.pages >= 3 and len(first.sha256) == 64


def test_the_pdf_job_for_a_signed_agreement_has_no_watermark(agreement, coordinator):
    sign(agreement)
    job = run(agreement_pdf_request(agreement=agreement, actor=coordinator))
    assert job.state == State.DONE and job.kind == Kind.AGREEMENT_PDF
    assert len(job_files(job)) == 1
    data = job.file.open("rb").read()
    _, text = pdf_text(data)
    assert "DRAFT" not in text and "Version" in text


def test_a_version_shows_answers_to_requests_only_once_relayed(db):
    lancashire = FreedomRequest.objects.filter(state="relayed").select_related("agreement")
    relayed = lancashire.first()
    content = snapshot(relayed.agreement)
    frozen = {item["number"]: item for item in content["requests"]}
    assert frozen[relayed.number]["outcome"] == relayed.outcome
    assert frozen[relayed.number]["reason"] == relayed.reason
    unrelayed = (
        FreedomRequest.objects.filter(agreement=relayed.agreement).exclude(state="relayed").first()
    )
    assert unrelayed is not None, "the demo has a request the GO has not relayed"
    assert frozen[unrelayed.number]["outcome"] == ""
    assert frozen[unrelayed.number]["reason"] == ""


def test_every_signed_version_has_its_pdf_on_its_version_page(client, agreement, coordinator):
    from jobs.models import VersionPdf

    first = sign(agreement)
    second = sign(agreement)  # an amendment, signed in turn: the first is no longer current
    assert agreement.signed_version == second
    unsigned = type(first).objects.create(
        agreement=agreement, number=second.number + 1, content=snapshot(agreement)
    )
    client.force_login(coordinator)
    base = "/agreements/2008-11/cumbria/versions/"
    link = f"/jobs/agreements/2008-11/cumbria/versions/{first.number}/signed.pdf"
    page = client.get(f"{base}{first.number}/").content.decode()
    assert "Download the signed PDF" in page and link in page
    assert "Download the signed PDF" not in client.get(f"{base}{unsigned.number}/").content.decode()
    unsigned_link = f"/jobs/agreements/2008-11/cumbria/versions/{unsigned.number}/signed.pdf"
    assert client.get(unsigned_link).status_code == 404

    # The first request renders it through a job; later ones are served the stored file.
    response = client.get(link)
    assert response.status_code == 302
    job = run(Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1]))
    assert job.state == State.DONE
    stored = VersionPdf.objects.get(version=first)
    response = client.get(link)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data == stored.file.open("rb").read()
    _, text = pdf_text(data)
    assert f"Version {first.number}" in text and "DRAFT" not in text


def test_a_signed_version_renders_the_same_text_twice_from_its_frozen_content(
    agreement, monkeypatch
):
    assert agreement.targets.filter(kind="statutory").exists()
    Round.objects.filter(pk=agreement.round_id).update(statutory_note="Set by DCSF in June.")
    agreement = Agreement.objects.get(pk=agreement.pk)
    first = sign(agreement)
    sign(agreement)
    texts = [pdf_text(render_agreement_pdf(agreement, version=first))[1]]
    # Later: the round's note is reworded and the PDF is printed on another day.
    Round.objects.filter(pk=agreement.round_id).update(statutory_note="Reworded by DCSF.")
    agreement = Agreement.objects.get(pk=agreement.pk)
    later = timezone.now() + dt.timedelta(days=400)
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later.date())
    texts.append(pdf_text(render_agreement_pdf(agreement, version=first))[1])
    assert texts[0] == texts[1]
    assert "Set by DCSF in June." in texts[0] and "Reworded by DCSF." not in texts[0]
    assert "As signed on 20 June 2008" in texts[0] and "Produced on" not in texts[0]
    assert "DRAFT" not in texts[0]


def test_someone_who_cannot_see_the_agreement_gets_no_signed_pdf(client, agreement, coordinator2):
    version = sign(agreement)
    client.force_login(coordinator2)
    url = f"/jobs/agreements/2008-11/cumbria/versions/{version.number}/signed.pdf"
    assert client.get(url).status_code == 404
