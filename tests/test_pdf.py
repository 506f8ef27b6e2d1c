"""The PDFs the fake serves: real files a PDF library can open and read the document back from."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
from datetime import datetime, timezone

import pypdf
import pytest

from fake_dinero.pdf import PdfDocument, render_pdf

CREATED = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)

INVOICE = PdfDocument(
    title="Invoice 3",
    issuer=("Demo Company ApS", "Main Street 1", "8000 Aarhus C", "CVR 12345678"),
    recipient=("Acme Trading", "Harbour Road 7", "2100 Copenhagen"),
    facts=(("Date", "2026-03-02"), ("Payment date", "2026-03-10")),
    columns=("Description", "Quantity", "Unit", "Price", "Amount"),
    rows=(
        ("Consulting, March", "10.00", "hours", "1,000.00", "10,000.00"),
        ("Travel", "1.00", "pcs", "250.00", "250.00"),
    ),
    totals=(("Subtotal", "10,250.00"), ("VAT 25%", "2,562.50"), ("Total DKK", "12,812.50")),
    note="Please pay to reg. 1234 account 5678901.",
    created=CREATED,
)


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(pdf).pages)


def test_a_pdf_is_a_complete_pdf_file() -> None:
    pdf = render_pdf(INVOICE)

    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip(b"\r\n").endswith(b"%%EOF")


def test_a_pdf_opens_in_a_pdf_library_as_one_a4_page() -> None:
    pages = _reader(render_pdf(INVOICE)).pages

    assert len(pages) == 1
    assert (round(float(pages[0].mediabox.width)), round(float(pages[0].mediabox.height))) == (595, 842)


def test_a_pdf_shows_its_number_contact_and_totals() -> None:
    text = _text(render_pdf(INVOICE))

    assert "Invoice 3" in text
    assert "Acme Trading" in text
    assert "Total DKK" in text
    assert "12,812.50" in text


def test_a_pdf_shows_its_issuer_facts_and_note() -> None:
    text = _text(render_pdf(INVOICE))

    assert "Demo Company ApS" in text
    assert "CVR 12345678" in text
    assert "2026-03-10" in text
    assert "Please pay to reg. 1234 account 5678901." in text


def test_a_pdf_shows_each_line_of_the_table() -> None:
    text = _text(render_pdf(INVOICE))

    assert "Description" in text
    assert "Consulting, March" in text
    assert "10,000.00" in text
    assert "Travel" in text


def test_a_typical_invoice_pdf_is_a_few_kilobytes() -> None:
    assert len(render_pdf(INVOICE)) < 10_000


def test_a_pdf_keeps_danish_letters() -> None:
    danish = dataclasses.replace(INVOICE, recipient=("Æblegården Ørsted & Søn", "Åvej 5"), note="Beløb i kr., café")

    text = _text(render_pdf(danish))

    assert "Æblegården Ørsted & Søn" in text
    assert "Åvej 5" in text
    assert "Beløb i kr., café" in text


def test_a_pdf_shows_the_euro_sign_which_the_core_fonts_have() -> None:
    euro = dataclasses.replace(INVOICE, totals=(("Total EUR", "€ 100.00"),))

    assert "€ 100.00" in _text(render_pdf(euro))


def test_characters_the_core_fonts_lack_are_replaced_rather_than_crashing() -> None:
    foreign = dataclasses.replace(
        INVOICE,
        title="Invoice 😀 3",
        recipient=("北京 Trading",),
        rows=(("Tea 🍵 for Erdős in Łódź", "1", "pcs", "1.00", "1.00"),),
        note="\ud800 \x00\t\r zero\u200bwidth",
    )

    text = _text(render_pdf(foreign))

    assert "Invoice ? 3" in text
    assert "?? Trading" in text
    assert "Tea ? for Erdos in ?ódz" in text


def test_very_long_texts_are_wrapped_or_cut_rather_than_crashing() -> None:
    long = "word " * 3000
    huge = dataclasses.replace(
        INVOICE,
        title="T" * 2000,
        recipient=("R" * 2000,) * 50,
        facts=(("F" * 500, long),),
        rows=(tuple(long for _ in INVOICE.columns), tuple("W" * 5000 for _ in INVOICE.columns)),
        totals=(("L" * 500, "9" * 500),),
    )

    assert len(_reader(render_pdf(huge)).pages) >= 1


def test_a_document_with_no_table_no_totals_and_no_note_still_renders() -> None:
    bare = PdfDocument(title="Statement", issuer=(), recipient=(), facts=(), columns=(), rows=(), totals=())

    assert "Statement" in _text(render_pdf(bare))


def test_the_same_document_gives_byte_identical_pdfs() -> None:
    assert render_pdf(INVOICE) == render_pdf(dataclasses.replace(INVOICE))


def test_a_document_without_a_creation_time_is_still_deterministic() -> None:
    undated = dataclasses.replace(INVOICE, created=None)

    assert render_pdf(undated) == render_pdf(undated)


def test_a_pdf_is_dated_by_the_fakes_clock() -> None:
    metadata = _reader(render_pdf(INVOICE)).metadata

    assert metadata is not None
    assert metadata.creation_date == CREATED
    assert metadata.title == "Invoice 3"


def test_a_naive_creation_time_is_read_as_utc_on_every_host() -> None:
    naive = dataclasses.replace(INVOICE, created=CREATED.replace(tzinfo=None))

    assert render_pdf(naive) == render_pdf(INVOICE)


def test_many_rows_flow_onto_further_pages() -> None:
    rows = tuple((f"Item {n}", "1.00", "pcs", "10.00", "10.00") for n in range(200))
    long_invoice = dataclasses.replace(INVOICE, rows=rows)

    pages = _reader(render_pdf(long_invoice)).pages

    assert len(pages) > 1
    assert "Item 0" in pages[0].extract_text()
    assert "Item 199" in pages[-1].extract_text()


def test_a_row_must_have_one_cell_per_column() -> None:
    with pytest.raises(ValueError, match="row 0 has 2 cells"):
        dataclasses.replace(INVOICE, rows=(("Consulting", "1"),))


def test_importing_the_module_does_not_import_fpdf() -> None:
    probe = "import sys, fake_dinero.pdf; print('fpdf' in sys.modules)"

    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert result.stdout.strip() == "False"
