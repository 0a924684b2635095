"""PDF documents fleetadmin renders (invoices, terms of use): fpdf2 with the vendored DejaVu font, so any name,
address or currency symbol prints, and "Page n/N" in the footer."""
from functools import cache

from django.conf import settings
from fpdf import FPDF

FONTS = settings.BASE_DIR / "static" / "fonts" / "dejavu"
FONT = "DejaVu"
STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf",
          "BI": "DejaVuSans-BoldOblique.ttf"}


@cache
def printable() -> frozenset[int]:
    """The characters the font has a glyph for (one of them missing would vanish silently from a PDF)."""
    # fontTools is heavy and only the PDF fonts need it.
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(FONTS / STYLES[""])).getBestCmap())


def missing_characters(text: str) -> list[str]:
    """The characters of `text` the PDF font cannot print, each once, in order (spaces and controls aside)."""
    font = printable()
    return list(dict.fromkeys(c for c in text if ord(c) not in font and c.isprintable() and not c.isspace()))


class Document(FPDF):
    def __init__(self, **kwargs):
        super().__init__(format="A4", **kwargs)
        for style, file in STYLES.items():  # every style Markdown can ask for (*italic*, ***bold italic***)
            self.add_font(FONT, style, str(FONTS / file))
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-15)
        self.set_font(FONT, size=8)
        self.cell(0, 10, f"Page {self.page_no()}/{{nb}}", align="C")
