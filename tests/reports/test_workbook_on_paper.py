"""The head's workbook as it prints: rendered by LibreOffice to PDF and measured with pypdf.

Needs LibreOffice Calc (`soffice`, Debian's libreoffice-calc-nogui); skipped without it, except in CI.
Run alone with `-m office`.
"""

import io
import math
import os
import shutil
import statistics
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from events.models import Level
from kindergarten_portal.sheets.xlsx_out import FONT_SIZE, MIN_PRINT_SCALE
from portfolios.models import ReportItem, Result
from reports.exports import rating_workbook
from reports.services import rating_build
from staff import demo as staff_demo
from tests.reports.factories import current_year

from .factories import entry

pytestmark = pytest.mark.office

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
LEGIBLE_PT = 8  # the smallest text a printed sheet may have
FOOTER_TOP = 0.7 * 72  # the bottom margin, in points: the footer (sheet name, page) is below it


@pytest.fixture
def soffice():
    if not os.path.exists(SOFFICE):
        if os.environ.get("CI"):
            pytest.fail(f"soffice not found at {SOFFICE}; CI must run the office tests")
        pytest.skip(f"soffice not found at {SOFFICE}; install libreoffice-calc-nogui to run office tests")
    return SOFFICE


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


def printed(soffice, content, tmp_path):
    """[(footer, [(text, height in points, y, font)])] for each page of the workbook's PDF."""
    source = tmp_path / "book.xlsx"
    source.write_bytes(content)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    pages = []
    for page in PdfReader(tmp_path / "book.pdf").pages:
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                matrix = _product(tm, cm)
                height = size * math.hypot(matrix[2], matrix[3])
                name = str((font or {}).get("/BaseFont", "")).split("+")[-1]
                runs.append((text.strip(), height, matrix[5], name))

        page.extract_text(visitor_text=visit)
        footer = [text for text, _height, y, _font in runs if y < FOOTER_TOP]
        pages.append((footer, runs))
    return pages


@pytest.fixture
def demo_workbook(db):
    today = timezone.localdate()
    teachers = staff_demo.build(today=today)
    entry(teachers[0], ReportItem.COMPETITIONS, level=Level.REGIONAL, result=Result.WINNER, day=today)
    return rating_workbook(rating_build(year=current_year(today)))


def test_the_rating_workbook_prints_legibly(soffice, demo_workbook, tmp_path):
    """Every sheet prints at 8 pt or more in one font family (Arial, which LibreOffice prints as its
    metric twin Liberation Sans), one page wide with its header on every page (Categories, with
    blocks below its table, aside), and no header word is broken across lines."""
    book = load_workbook(io.BytesIO(demo_workbook), read_only=True)
    headers = {ws.title: [str(v) for v in next(ws.iter_rows(max_row=1, values_only=True))] for ws in book}
    pages = printed(soffice, demo_workbook, tmp_path)
    by_sheet = {}
    for footer, runs in pages:
        (title,) = [text for text in footer if text in headers]  # the footer names the sheet
        by_sheet.setdefault(title, []).append(runs)
    assert list(by_sheet) == list(headers)
    medians = {}
    for title, sheet_pages in by_sheet.items():
        heights = [height for runs in sheet_pages for text, height, _y, _font in runs for _char in text]
        medians[title] = statistics.median(heights)
        assert min(heights) >= LEGIBLE_PT - 0.01, (title, min(heights))
        fonts = {font for runs in sheet_pages for *_rest, font in runs}
        assert fonts <= {"LiberationSans", "LiberationSans-Bold"}, (title, fonts)
        for number, runs in enumerate(sheet_pages, start=1):
            texts = [text for text, *_rest in runs]
            if number == 1 or title != "Категории":
                # the header on the page, its first column included: nothing spilled onto a page of its own
                assert headers[title][0] in texts, (title, number)
            if number == 1:
                lines = " ".join(text for text, *_rest, font in runs if font.endswith("-Bold"))
                for word in " ".join(headers[title]).split():
                    assert word in lines, (title, word)  # printed whole, not cut across two lines
    assert min(medians.values()) >= FONT_SIZE * MIN_PRINT_SCALE / 100 >= LEGIBLE_PT, medians
