"""A workbook as it prints: rendered by LibreOffice Calc to PDF, its text read back with pypdf.

Needs `soffice` (Debian's libreoffice-calc-nogui): the `soffice` fixture (tests/conftest.py) skips
without it, except in CI, where the office tests must run.
"""

import math
import re
import subprocess
from dataclasses import dataclass

from pypdf import PdfReader

LEGIBLE_PT = 8  # the smallest text a printed sheet may have
FOOTER_TOP = 0.7 * 72  # the bottom margin, in points: the footer (sheet name, page) is below it
LEFT_MARGIN = 0.5 * 72  # points: what starts left of it is the rest of something cut at a page's edge
# Arial, which LibreOffice prints as its metric twin.
FONT_FAMILY = "LiberationSans"
# What a cell prints that is no word of its text: numbers, dates, times, shares, page numbers.
FIGURE = re.compile(r"[\d.,:;/%()+\-–—«»„“…]+")


@dataclass
class Run:
    """A line of text on a printed page: its height in points, its baseline and its font."""

    text: str
    height: float
    x: float
    y: float
    font: str
    upright: bool  # not turned (a chart's axis title is)

    @property
    def bold(self):
        return self.font.endswith("-Bold")


@dataclass
class Page:
    runs: list
    fonts: set  # the fonts the page embeds (what `pdffonts` lists), subset prefixes dropped

    @property
    def footer(self):
        return [run.text for run in self.runs if run.y < FOOTER_TOP]

    @property
    def texts(self):
        return [run.text for run in self.runs]


def _product(m, n):
    """The product of two PDF matrices [a b c d e f]."""
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _base_name(font) -> str:
    return str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]


def render(soffice, content: bytes, directory) -> "pathlib.Path":  # noqa: F821
    """The workbook's PDF as LibreOffice prints it, written into `directory`."""
    source = directory / "book.xlsx"
    source.write_bytes(content)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(directory / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(directory),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return directory / "book.pdf"


def printed(soffice, content: bytes, directory) -> list[Page]:
    """The pages of the workbook as LibreOffice prints it."""
    pages = []
    for pdf_page in PdfReader(render(soffice, content, directory)).pages:
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                matrix = _product(tm, cm)
                height = size * math.hypot(matrix[2], matrix[3])
                runs.append(
                    Run(text.strip(), height, matrix[4], matrix[5], _base_name(font or {}), not matrix[1])
                )

        pdf_page.extract_text(visitor_text=visit)
        resources = pdf_page.get("/Resources") or {}
        fonts = {_base_name(font.get_object()) for font in (resources.get("/Font") or {}).values()}
        pages.append(Page(runs, fonts))
    return pages


def cut_words(page: Page, words: set[str]) -> list[str]:
    """The printed pieces of text on the page that are neither a word of `words` nor a figure: a
    word cut at the cell's edge or broken across two lines leaves such a piece. A compound may break
    after its hyphen («педагог-» / «наставник»), as Russian typesetting allows."""
    words = words | {part for word in words for part in re.findall(r"[^-]+-|[^-]+$", word)}
    return [
        piece
        for run in page.runs
        if run.upright  # a turned title is read letter by letter
        for piece in run.text.split()
        if piece not in words and not FIGURE.fullmatch(piece)
    ]
