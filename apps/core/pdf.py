"""PDF documents fleetadmin renders (invoices, terms of use): fpdf2 with the vendored DejaVu font, so any name,
address or currency symbol prints, and "Page n/N" in the footer."""
from django.conf import settings
from fpdf import FPDF

FONTS = settings.BASE_DIR / "static" / "fonts" / "dejavu"
FONT = "DejaVu"


class Document(FPDF):
    def __init__(self, **kwargs):
        super().__init__(format="A4", **kwargs)
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-15)
        self.set_font(FONT, size=8)
        self.cell(0, 10, f"Page {self.page_no()}/{{nb}}", align="C")
