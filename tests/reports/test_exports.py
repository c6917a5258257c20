"""The head's workbook opened back with openpyxl: sheets, headers, panes, filters, formats, charts."""

import datetime
import io
import posixpath
import zipfile
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from events.models import EventStatus, Level
from kindergarten_portal.sheets.xlsx_out import MIN_PRINT_SCALE, column_pixels, print_scale
from portfolios.models import ReportItem, Result
from reports.exports import rating_workbook
from reports.services import rating_build
from staff import demo as staff_demo
from tests.events.factories import EventFactory
from tests.reports.factories import current_year

from .factories import entry, teacher_with_category, year

# The head forwards the workbook as it is: Russian sheet names and headers. (The two sheets added
# for printing read as the catalogue has them: Russian once it is compiled.)
SHEETS = [
    "Рейтинг",
    _("Summary by category"),
    _("Recommendation criteria"),
    "Детализация самоотчётов",
    "Категории",
    "Курсы повышения квалификации",
    "Мероприятия",
    "Список на благодарность",
]


@pytest.fixture
def demo_workbook(db):
    today = timezone.localdate()
    teachers = staff_demo.build(today=today)
    entry(teachers[0], ReportItem.COMPETITIONS, level=Level.REGIONAL, result=Result.WINNER, day=today)
    build = rating_build(year=current_year(today))
    content = rating_workbook(build)
    return load_workbook(io.BytesIO(content)), content


CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _charts(content, sheet_title):
    """The charts of a sheet as the file has them (OOXML parts, read without openpyxl's internals):
    [(the first column of its anchor, the chart's XML element)]."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:

        def xml(name):
            return ElementTree.fromstring(archive.read(name))

        def targets(part):
            folder, name = posixpath.split(part)
            rels_name = posixpath.join(folder, "_rels", name + ".rels")
            if rels_name not in archive.namelist():
                return {}
            # A target is relative to the part's folder, or absolute from the package's root.
            return {
                rel.get("Id"): posixpath.normpath(posixpath.join(folder, rel.get("Target"))).lstrip("/")
                for rel in xml(rels_name).iter(f"{{{RELATIONSHIPS}}}Relationship")
            }

        sheet_ids = {
            sheet.get("name"): sheet.get(f"{{{OFFICE_RELATIONSHIPS}}}id")
            for sheet in xml("xl/workbook.xml").iter(f"{{{MAIN}}}sheet")
        }
        sheet_part = targets("xl/workbook.xml")[sheet_ids[sheet_title]]
        found = []
        for drawing in xml(sheet_part).iter(f"{{{MAIN}}}drawing"):
            drawing_part = targets(sheet_part)[drawing.get(f"{{{OFFICE_RELATIONSHIPS}}}id")]
            charts = targets(drawing_part)
            for anchor in xml(drawing_part):
                column = int(anchor.find(f"{{{DRAWING}}}from/{{{DRAWING}}}col").text)
                for reference in anchor.iter(f"{{{CHART}}}chart"):
                    found.append((column, xml(charts[reference.get(f"{{{OFFICE_RELATIONSHIPS}}}id")])))
        return found


def _rows(ws):
    return list(ws.iter_rows(values_only=True))


def test_workbook_has_its_sheets_headers_panes_filters_and_print_setup(demo_workbook):
    wb, _content = demo_workbook
    assert wb.sheetnames == SHEETS
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws["A1"].font.bold
    rating = wb["Рейтинг"]
    assert _rows(rating)[0][:4] == ("Место", "Место в категории", "Педагог", "Категория")
    assert _rows(rating)[0][-1] == "Рекомендация"
    assert rating.auto_filter.ref == "A1:J22"  # the seed's 20 and one on child-care leave
    # a name longer than its column wraps, in a row as tall as its lines
    name = next(row[2] for row in rating.iter_rows(min_row=2) if row[2].value == "Антонова Анна Сергеевна")
    if rating.column_dimensions["C"].width < len(name.value) + 2:
        assert name.alignment.wrap_text and rating.row_dimensions[name.row].height >= 25


def _widths(ws):
    """The sheet's column widths as set (stored with the column's padding, 5 pixels of 7)."""
    widths = {}
    for dimension in ws.column_dimensions.values():  # neighbours of one width come as one range
        for index in range(dimension.min, dimension.max + 1):
            widths[index] = int(dimension.width)
    return [widths[index] for index in sorted(widths)]


def test_every_sheet_prints_on_a4_at_80_percent_or_more_with_its_header_on_every_page(demo_workbook):
    """A sheet prints at a fixed scale that fits its width on the page (portrait when it fits at
    100%, else landscape), never below 80%: Arial 10 prints at 8 pt or more (test_print.py renders
    it with LibreOffice and measures)."""
    wb, _content = demo_workbook
    for ws in wb:
        setup = ws.page_setup
        scale = setup.scale or 100
        assert setup.paperSize == 9, ws.title
        assert scale >= MIN_PRINT_SCALE, ws.title
        assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage), ws.title
        assert (ws.page_margins.left, ws.page_margins.right) == (0.5, 0.5), ws.title
        if ws.title not in (SHEETS[1], "Категории"):  # the sheets with a chart beside the table
            assert scale == print_scale(_widths(ws)), ws.title
            page = 10.69 if setup.orientation == "landscape" else 7.27  # inches between the margins
            assert sum(column_pixels(w) for w in _widths(ws)) * scale / 100 <= page * 96, ws.title
        # the repeated header belongs to the table sheets; the categories sheet has blocks below
        expected = None if ws.title == "Категории" else "$1:$1"
        assert ws.print_title_rows == expected, ws.title
    rating = wb["Рейтинг"]
    # rank and rank in category as wide as their headers' words; the name, the category and the
    # recommendation narrowed alike, so that the sheet prints at 80% on landscape
    widths = _widths(rating)
    assert widths[:2] == [8, 13] and min(widths[2], widths[3], widths[9]) >= 18, widths


def test_numbers_never_run_into_the_text_beside_them(demo_workbook):
    """A right-aligned number followed by a left-aligned name reads as «1Антонова»: such number
    columns are centred."""
    wb, _content = demo_workbook
    rating = wb["Рейтинг"]
    for column in ("A", "B", "I"):  # rank, rank in category, total (before the recommendation)
        assert rating[f"{column}2"].alignment.horizontal == "center", column
    assert rating["C2"].alignment.horizontal in (None, "general")
    assert wb["Детализация самоотчётов"]["D2"].alignment.horizontal == "center"  # date before the kind


def test_workbook_rating_and_its_summary_are_grouped_by_base_category(demo_workbook):
    wb, _content = demo_workbook
    rating = wb["Рейтинг"]
    rows = _rows(rating)[1:22]
    categories = [row[3] for row in rows]
    # Each teacher in one group: a methodologist and a mentor among the highest, by rank.
    assert sorted(categories[:9]) == [
        "высшая",
        *["высшая"] * 6,
        "высшая + педагог-методист",
        "высшая + педагог-наставник",
    ]
    assert categories[9:] == [*["первая"] * 10, *["без категории"] * 2]
    highest_ranks = [row[0] for row in rows[:9]]
    assert highest_ranks == sorted(highest_ranks)
    assert rows[0][2] == "Антонова Анна Сергеевна" and rows[0][0] == 1
    assert len(_rows(rating)) == 22  # no summary under the repeated header
    summary = wb[SHEETS[1]]
    assert [row[:2] for row in _rows(summary)[1:]] == [("высшая", 9), ("первая", 10), ("без категории", 2)]


def _xml(archive, name):
    return ElementTree.fromstring(archive.read(name))


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
XDR = "{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"


def test_summary_and_categories_have_a_bar_chart_from_zero_beside_the_table(demo_workbook):
    _wb, content = demo_workbook
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        # Sheets in order: the summary (2) and the categories (5) hold a drawing, the others none.
        drawn = [n for n in range(1, 9) if b"<drawing " in archive.read(f"xl/worksheets/sheet{n}.xml")]
        assert drawn == [2, 5]
        charts = sorted(n for n in names if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        for name in charts:
            chart = _xml(archive, name)
            value_axis = chart.find(f".//{C}valAx")
            assert value_axis.find(f"{C}scaling/{C}min").get("val") == "0", name
            assert value_axis.find(f"{C}delete") is None or value_axis.find(f"{C}delete").get("val") == "0"
            labels = chart.find(f".//{C}dLbls")
            assert labels.find(f"{C}showVal").get("val") == "1", name
            assert chart.find(f".//{C}legend") is None, name
            fonts = {
                latin.get("typeface")
                for latin in chart.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}latin")
            }
            assert fonts == {"Arial"}, name
        for name in (n for n in names if n.startswith("xl/drawings/drawing")):
            # the chart stands beside the table (four columns and a gap), not over it
            assert int(_xml(archive, name).find(f".//{XDR}from/{XDR}col").text) >= 4, name


def test_workbook_categories_read_9_10_1_and_courses_100_percent(demo_workbook):
    wb, _content = demo_workbook
    rows = _rows(wb["Категории"])
    counts = {row[0]: row[1] for row in rows if row[0]}
    assert counts["высшая"] == 9
    assert counts["первая"] == 10
    assert counts["без категории"] == 2  # the young teacher and one on child-care leave
    # Each teacher counted once: the table adds up to the staff and its shares to 100%.
    table = rows[1:4]
    assert [row[0] for row in table] == ["высшая", "первая", "без категории"]
    assert sum(row[1] for row in table) == counts["Итого"] == 21
    assert [round(row[2] * 100) for row in table] == [43, 48, 9]  # 42.9, 47.6, 9.5: rounded to add up to 100
    assert rows[4][2] == 1
    # The titles are named within the highest, not added to it.
    assert counts["высшая, в том числе педагог-методист"] == 1
    assert counts["высшая, в том числе педагог-наставник"] == 1
    assert "высшая + педагог-методист" not in counts
    assert counts["Молодые педагоги"] == 1
    assert wb["Категории"]["C2"].number_format == "0%"
    courses = _rows(wb["Курсы повышения квалификации"])
    assert any(row[0] == "100% педагогов прошли курсовую подготовку" for row in courses)
    assert all(row[6] == "да" for row in courses[1:22])


def test_workbook_dates_are_day_month_year(demo_workbook):
    wb, _content = demo_workbook
    courses = wb["Курсы повышения квалификации"]
    assert isinstance(courses["D2"].value, datetime.datetime)
    assert courses["D2"].number_format == "DD.MM.YYYY"
    assert wb["Детализация самоотчётов"]["D2"].number_format == "DD.MM.YYYY"


def test_formula_looking_titles_stay_text(db):
    teacher = teacher_with_category(surname='=HYPERLINK("http://evil")')
    titles = ["=SUM(A1:A9)", "+7 (900) 000", "-1 балл", "@пример"]
    for title in titles:
        entry(teacher, ReportItem.AWARDS, title=title, organizer="=1+1")
    build = rating_build(year=year(), today=datetime.date(2026, 11, 20), workbook=False)
    content = rating_workbook(build)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name), name
    details = load_workbook(io.BytesIO(content))["Детализация самоотчётов"]
    cells = [details.cell(row=r, column=3) for r in range(2, 6)]
    assert sorted(c.value for c in cells) == sorted(titles)
    assert all(c.data_type == "s" for c in cells)
    assert details["A2"].value.startswith("=HYPERLINK") and details["A2"].data_type == "s"
    assert details["H2"].value == "=1+1" and details["H2"].data_type == "s"


def test_long_text_wraps_with_a_row_height_so_it_prints_readably(demo_workbook):
    wb, _content = demo_workbook
    rating = wb["Рейтинг"]
    assert rating.row_dimensions[1].height >= 25  # the long direction headers wrap
    criteria_sheet = wb[SHEETS[2]]
    criteria = [row[4] for row in criteria_sheet.iter_rows(min_row=2, max_row=21)]
    assert criteria_sheet["A2"].value == "Антонова Анна Сергеевна"  # rank 1 of the highest
    long_cells = [cell for cell in criteria if cell.value and len(cell.value) > 60]
    assert long_cells, "the criteria column holds long text in the demo"
    for cell in long_cells:
        assert cell.alignment.wrap_text
        assert criteria_sheet.row_dimensions[cell.row].height >= 25
        # the rest of its row is aligned to the top with it
        assert criteria_sheet.cell(row=cell.row, column=1).alignment.vertical == "top"


def test_events_month_is_a_date_so_it_sorts_and_filters_in_order(db):
    def at(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    for day in (datetime.date(2026, 1, 20), datetime.date(2025, 10, 7), datetime.date(2025, 10, 31)):
        EventFactory(title=f"Семинар {day:%d.%m}", start=at(day), status=EventStatus.HELD)
    build = rating_build(year=year(), today=datetime.date(2026, 11, 20), workbook=False)
    events = load_workbook(io.BytesIO(rating_workbook(build)))["Мероприятия"]
    months = [events.cell(row=r, column=1) for r in range(2, 5)]
    assert [c.value for c in months] == [
        datetime.datetime(2025, 10, 1),
        datetime.datetime(2025, 10, 1),
        datetime.datetime(2026, 1, 1),
    ]
    assert all(c.number_format == "MM.YYYY" and c.is_date for c in months)
    assert sorted(c.value for c in months)[-1].month == 1  # 01.2026 sorts after 10.2025
    assert events["B2"].number_format == "DD.MM.YYYY"
