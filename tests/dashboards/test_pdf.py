"""The weekly summary as a PDF, rendered by WeasyPrint and read back with pypdf: the
headline figures, the tables and the SVG charts."""

import io

from pypdf import PdfReader

from dashboards.pdf import render_summary_pdf
from dashboards.selectors import Scope


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_national_summary_has_titles_offices_figures_and_charts(round_2008):
    data = render_summary_pdf(Scope(), round_2008)
    assert data.startswith(b"%PDF")
    reader, text = read(data)
    assert "National status summary" in text
    assert "Agreements by stage and Government Office" in text  # the table's caption
    for name in ["GO North West", "GO London", "GO Yorkshire and the Humber"]:
        assert name in text
    assert "Areas\n150" in text
    assert "Most chosen indicators" in text
    assert "NI 120 All-age all cause mortality rate" in text
    # The charts' own text: each office's bar with its total, the legend, the bars' labels.
    assert "GO North West\n7" in text
    assert "Drafting Submitted to GO" in text
    assert "Agreed in part or alternative offered\n1" in text
    # The stacked chart's patterns are drawn into the page.
    first_page = reader.pages[0]["/Resources"]
    assert len(first_page["/Pattern"].get_object()) >= 8
    assert "Page 2 of" in text


def test_regional_summary_is_about_its_own_areas(north_west, round_2008):
    _, text = read(render_summary_pdf(Scope(north_west), round_2008))
    assert "GO North West status summary" in text
    assert "GO London" not in text
    for area in [
        "Cumbria",
        "Lancashire",
        "Manchester",
        "Stockport",
        "Blackpool",
        "Wigan",
        "Bolton",
    ]:
        assert area in text
    assert "Departments: DCSF, DH" in text
    assert "LANCASHIRE-FF2" in text
    assert "First draft to Government Office" in text  # Cumbria's overdue milestone
