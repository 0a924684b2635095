"""QR codes for vehicle labels: single codes as PNG or SVG (segno) and printable label sheets as PDF (fpdf2).

A code holds the vehicle's serial number, which is what the riders' app reads to find the vehicle.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from fpdf import FPDF

A4_WIDTH_CM, A4_HEIGHT_CM = 21.0, 29.7
MARGIN_CM = 1.0
CAPTION_CM = 0.5  # room under each code for the serial in clear


def qr_png(serial: str, *, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    segno.make(serial, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(serial: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(serial, error="m").save(buffer, kind="svg", scale=10, border=4, xmldecl=True)
    return buffer.getvalue()


@dataclass(frozen=True)
class SheetLayout:
    columns: int
    rows: int

    @property
    def count(self) -> int:
        return self.columns * self.rows


MIN_LABEL_CM = 1.0


def sheet_layout(label_width_cm: float, label_height_cm: float) -> SheetLayout:
    """How many labels of that size fit on an A4 page inside 1 cm margins (0 when none does). A label is at least
    `MIN_LABEL_CM` each way: a smaller QR code cannot be scanned (and a tiny size would ask for millions)."""
    usable_width, usable_height = A4_WIDTH_CM - 2 * MARGIN_CM, A4_HEIGHT_CM - 2 * MARGIN_CM
    if label_width_cm < MIN_LABEL_CM or label_height_cm < MIN_LABEL_CM:
        return SheetLayout(0, 0)
    return SheetLayout(int(usable_width // label_width_cm), int(usable_height // label_height_cm))


def sheet_serial(prefix: str, number: int) -> str:
    """The serial of the label `number`: the prefix then the number, zero-padded to 6 characters at least."""
    digits = max(6 - len(prefix), 1)
    return f"{prefix}{number:0{digits}d}"


def qr_sheet_pdf(*, prefix: str, begin_id: int, label_width_cm: float, label_height_cm: float) -> tuple[bytes, list[str]]:
    """One A4 page filled with labels of the given size, serials counting up from `begin_id`."""
    layout = sheet_layout(label_width_cm, label_height_cm)
    serials = [sheet_serial(prefix, begin_id + n) for n in range(layout.count)]
    pdf = FPDF(orientation="portrait", unit="cm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margin(0)
    pdf.add_page()
    pdf.set_font("Helvetica", size=8)
    code_side = max(min(label_width_cm, label_height_cm - CAPTION_CM), 0.1)
    for index, serial in enumerate(serials):
        column, row = index % layout.columns, index // layout.columns
        left = MARGIN_CM + column * label_width_cm
        top = MARGIN_CM + row * label_height_cm
        pdf.image(io.BytesIO(qr_png(serial)), x=left + (label_width_cm - code_side) / 2, y=top, w=code_side,
                  h=code_side)
        pdf.set_xy(left, top + code_side)
        pdf.cell(w=label_width_cm, h=CAPTION_CM, text=serial, align="C")
    return bytes(pdf.output()), serials
