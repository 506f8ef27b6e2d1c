"""Small, real PDFs for the fake's PDF endpoints (invoices, credit notes, offers, reminders, statements).

The bytes come from fpdf2, never from hand-written PDF syntax, so every viewer and parser a client
may use can open them. fpdf is imported inside ``render_pdf`` because importing it costs ~280 ms and
most users of the fake never ask for a PDF.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = ["PdfDocument", "render_pdf"]

EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)
"""CreationDate when a document has none: fixed, so the same document always gives the same bytes."""

ENCODING = "cp1252"
"""fpdf2 declares its core fonts /WinAnsiEncoding, which is cp1252: a superset of latin-1 that also has €, – and ’."""

MAX_COLUMNS = 12
"""More columns than this would leave some narrower than one letter, which fpdf2 cannot lay out."""

CELL_LINES = 20
"""fpdf2 refuses a table row taller than a page, so a longer cell text is cut (with an ellipsis) instead."""

ADDRESS_LINES = 8
"""Recipient and issuer sit side by side on the first page; a longer address is cut so they stay there."""

_PADDING = (1, 1.5)

_REPLACEMENTS = {"\u2212": "-", "\u2009": " ", "\u202f": " ", "\u200b": ""}
_NUMBER = re.compile(r"^[-+\u2212]?[\d.,'\s]*\d[\d.,'\s]*%?$")


@dataclass(frozen=True)
class PdfDocument:
    """What goes on one page-set of a sales document."""

    title: str
    issuer: tuple[str, ...]
    recipient: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[str, str], ...]
    note: str | None = None
    created: datetime | None = None

    def __post_init__(self) -> None:
        if len(self.columns) > MAX_COLUMNS:
            raise ValueError(f"at most {MAX_COLUMNS} columns fit on an A4 page, got {len(self.columns)}")
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"row {index} has {len(row)} cells but there are {len(self.columns)} columns")


def _printable(text: str) -> str:
    """Text the core fonts can show: unknown characters become their ASCII base letter, a known stand-in, or '?'.

    Core fonts carry no glyphs beyond cp1252, and fpdf2 raises on anything else; a client's odd
    contact name must never turn a PDF request into a 500.
    """
    try:
        text.encode(ENCODING)
        return text
    except UnicodeEncodeError:
        pass
    out = []
    for char in text:
        try:
            char.encode(ENCODING)
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        if char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
            continue
        base = unicodedata.normalize("NFKD", char).encode(ENCODING, "ignore").decode(ENCODING)
        base = "".join(c for c in base if not unicodedata.combining(c))
        out.append(base or "?")
    return "".join(out)


def _clip(pdf: FPDF, text: str, width: float, max_lines: int) -> str:
    """``text`` cut to what fits in ``max_lines`` wrapped lines of ``width`` mm in the current font."""
    text = _printable(text)
    if text.count("\n") >= max_lines:
        text = "\n".join(text.split("\n")[: max_lines + 1])
    total = pdf.get_string_width(text)
    if text.count("\n") + 2 * total / width < max_lines:
        return text  # surely fits: skip the costly dry run
    budget = (max_lines + 1) * width  # a little more than fits, so the dry run below stays short
    cut = total > budget
    if cut:
        text = text[: int(len(text) * budget / total) + 1]
    lines = pdf.multi_cell(width, 5, text, dry_run=True, output="LINES", padding=_PADDING)
    if len(lines) <= max_lines:
        return text + "..." if cut else text
    return "\n".join(lines[: max_lines - 1] + [lines[max_lines - 1][:-3].rstrip() + "..."])


def _is_numeric(column: int, document: PdfDocument) -> bool:
    """Amount-like columns are right-aligned so the decimals line up."""
    values = [row[column].strip() for row in document.rows if row[column].strip()]
    return bool(values) and all(_NUMBER.match(value) for value in values)


def _column_weights(document: PdfDocument) -> tuple[float, ...]:
    """Share the page by content length, within bounds, so descriptions get room and numbers stay narrow."""
    weights = []
    for index, heading in enumerate(document.columns):
        longest = max([len(heading)] + [len(row[index]) for row in document.rows])
        weights.append(float(min(max(longest, 6), 40)))
    return tuple(weights)


def render_pdf(document: PdfDocument) -> bytes:
    """Lay ``document`` out on A4 pages and return the PDF file's bytes (deterministic for equal documents)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    created = document.created or EPOCH
    if created.tzinfo is None:  # fpdf2 would read a naive time in the machine's zone, which varies between hosts
        created = created.replace(tzinfo=timezone.utc)

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_creation_date(created)
    pdf.set_title(_printable(document.title))
    pdf.set_creator("fake-dinero")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    width = pdf.epw
    block = width * 0.45
    line = 5.0

    top = pdf.get_y()
    pdf.set_font("Helvetica", size=9)
    for text in document.recipient[:ADDRESS_LINES]:
        pdf.multi_cell(block, line, _clip(pdf, text, block, 3), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y()
    pdf.set_y(top)
    for index, text in enumerate(document.issuer[:ADDRESS_LINES]):
        pdf.set_x(pdf.l_margin + width - block)
        pdf.set_font("Helvetica", style="B" if index == 0 else "", size=9)
        pdf.multi_cell(block, line, _clip(pdf, text, block, 3), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(max(bottom, pdf.get_y()) + 8)

    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(width, 8, _clip(pdf, document.title, width, 3), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)

    for label, value in document.facts:
        pdf.set_font("Helvetica", style="B", size=9)
        pdf.cell(40, line, _clip(pdf, label, 40, 1))
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(width - 40, line, _clip(pdf, value, width - 40, 3), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)

    if document.columns:
        weights = _column_weights(document)
        widths = [width * weight / sum(weights) for weight in weights]
        aligns = tuple("RIGHT" if _is_numeric(i, document) else "LEFT" for i in range(len(document.columns)))
        pdf.set_font("Helvetica", style="B", size=9)
        header = [_clip(pdf, text, w, 3) for text, w in zip(document.columns, widths, strict=True)]
        pdf.set_font("Helvetica", size=9)
        body = [[_clip(pdf, text, w, CELL_LINES) for text, w in zip(row, widths, strict=True)] for row in document.rows]
        with pdf.table(
            col_widths=weights,
            text_align=aligns,
            borders_layout="SINGLE_TOP_LINE",
            line_height=line,
            padding=_PADDING,
            repeat_headings=1,
        ) as table:
            for cells in (header, *body):
                row = table.row()
                for text in cells:
                    row.cell(text)
        pdf.ln(4)

    labels = width * 0.3
    amounts = width * 0.2
    for index, (label, value) in enumerate(document.totals):
        pdf.set_font("Helvetica", style="B" if index == len(document.totals) - 1 else "", size=9)
        pdf.set_x(pdf.l_margin + width - labels - amounts)
        pdf.cell(labels, line, _clip(pdf, label, labels, 1))
        pdf.cell(amounts, line, _clip(pdf, value, amounts, 1), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if document.note:
        pdf.ln(6)
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(width, line, _printable(document.note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    return bytes(pdf.output())
