"""The one sheet writer every export uses (XlsxWriter), read back with openpyxl."""

import datetime
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from kindergarten_portal.sheets.xlsx_in import Column
from kindergarten_portal.sheets.xlsx_out import (
    LINE_HEIGHT,
    MIN_PRINT_SCALE,
    PERCENT_FORMAT,
    Sheet,
    column_breaks,
    fits_page,
    fitted_widths,
    import_template,
    new_workbook,
    print_scale,
    print_widths,
    text_lines,
    word_floor,
    workbook_bytes,
    xlsx_response,
)

HEADERS = ["ФИО", "Дата", "Баллы", "Комментарий"]


def _written(rows, *, widths=(30, 12, 8, 40), formats=None, headers=HEADERS):
    wb = new_workbook("Сводка")
    sheet = Sheet(wb, "Лист", headers, widths, formats=formats)
    for row in rows:
        sheet.append(row)
    sheet.close_table()
    sheet.append(["Итого", None, Decimal("7.5"), ""], bold=True)  # below the table, outside the filter
    content = workbook_bytes(wb)
    return load_workbook(io.BytesIO(content))["Лист"], content


def test_sheet_freezes_the_header_and_filters_the_table_only():
    ws, _content = _written([["Антонова", None, 1, ""], ["Борисова", None, 2, ""]])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D3"
    assert [c.value for c in ws[1]] == HEADERS
    assert all(c.font.bold and c.fill.fgColor.rgb == "FFDDEBF7" for c in ws[1])
    assert ws["A4"].value == "Итого" and ws["A4"].font.bold


def test_sheet_sets_the_given_column_widths():
    ws, _content = _written([])
    # stored with the column's padding (5 pixels of 7 a character), as Excel stores it
    assert [int(ws.column_dimensions[letter].width) for letter in "ABCD"] == [30, 12, 8, 40]


def test_fitted_widths_follow_the_longest_value_up_to_60():
    widths = fitted_widths(
        ["Педагог", "Дата"], [["Антонова Анна Сергеевна", datetime.date(2026, 1, 5)], ["x" * 90, None]]
    )
    assert widths == [60, 12]  # capped; a date reads 10 characters, plus 2 of margin


def test_dates_read_day_month_year_and_points_one_decimal():
    ws, _content = _written(
        [["Антонова", datetime.date(2025, 10, 7), Decimal("4.5"), "=текст"]],
        formats={3: PERCENT_FORMAT},  # a column format leaves text alone
    )
    assert ws["B2"].value == datetime.datetime(2025, 10, 7)
    assert ws["B2"].number_format == "DD.MM.YYYY"
    assert ws["C2"].value == 4.5 and ws["C2"].number_format == "0.0"
    assert ws["C3"].number_format == "0.0" and ws["C3"].font.bold
    assert (ws["D2"].value, ws["D2"].data_type, ws["D2"].number_format) == ("=текст", "s", "General")


def test_a_column_format_overrides_the_date_format_and_a_cell_format_sets_a_share():
    wb = new_workbook()
    sheet = Sheet(wb, "Лист", ["Месяц", "Доля"], [10, 10], formats={0: "MM.YYYY"})
    sheet.append([datetime.date(2026, 1, 1), sheet.cell(0.25, number_format=PERCENT_FORMAT)])
    sheet.append([datetime.date(2026, 2, 1), sheet.cell(0, number_format=PERCENT_FORMAT)])
    ws = load_workbook(io.BytesIO(workbook_bytes(wb)))["Лист"]
    assert ws["A2"].number_format == "MM.YYYY" and ws["A2"].is_date
    assert (ws["B2"].value, ws["B2"].number_format) == (0.25, "0%")
    assert (ws["B3"].value, ws["B3"].number_format) == (0, "0%")


def test_formula_looking_text_stays_text():
    texts = ["=SUM(A1:A9)", '=HYPERLINK("http://evil")', "+7 (900) 000", "-1 балл", "@пример"]
    ws, content = _written([[text, None, 0, text] for text in texts])
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert sheets and all(b"<f>" not in archive.read(name) for name in sheets)
    cells = [ws.cell(row=row, column=1) for row in range(2, 2 + len(texts))]
    assert [c.value for c in cells] == texts
    assert all(c.data_type == "s" for c in cells)


def test_long_text_wraps_and_its_row_is_tall_enough():
    ws, _content = _written([["Антонова", None, 1, "слово " * 30]])  # 180 characters in a 40-wide column
    assert ws["D2"].alignment.wrap_text
    assert ws.row_dimensions[2].height == LINE_HEIGHT * 5  # six words of six characters a line
    assert ws.row_dimensions[3].height is None


def test_a_long_header_wraps_and_heightens_the_header_row():
    ws, _content = _written(
        [], headers=["ФИО", "Дата окончания курсов повышения квалификации", "Баллы", "Комм."]
    )
    assert ws["B1"].alignment.wrap_text
    assert ws.row_dimensions[1].height == LINE_HEIGHT * 4  # five lines in 12, at most four shown


def test_print_setup_is_a4_with_the_header_on_every_page_and_the_sheet_named_in_the_footer():
    ws, _content = _written([["Антонова", None, 1, ""]])  # 90 characters wide: portrait at 100%
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("portrait", 9)
    assert ws.page_setup.scale in (None, 100)  # 100% is the default, not written
    assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws["A2"].border.left.style == "thin" and ws["D1"].border.bottom.style == "thin"  # lines on paper
    assert "&A" in ws.oddFooter.left.text and "&P" in ws.oddFooter.right.text
    wide, _content = _written([], widths=(60, 30, 10, 20))  # too wide for portrait
    assert (wide.page_setup.orientation, wide.page_setup.scale) == ("landscape", None)
    wider, _content = _written([], widths=(60, 60, 60, 40))
    assert wider.page_setup.orientation == "landscape"
    assert MIN_PRINT_SCALE <= wider.page_setup.scale == print_scale([60, 60, 60, 40]) < 100


def test_one_font_everywhere():
    """Headers, cells, totals: Arial 10 (LibreOffice prints it as Liberation Sans), not the theme's."""
    ws, content = _written([["Антонова", datetime.date(2025, 10, 7), Decimal("4.5"), "слово " * 30]])
    cells = [*ws[1], *ws[2], *ws[3]]
    assert {(c.font.name, c.font.sz) for c in cells} == {("Arial", 10)}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    assert "Calibri" not in styles and 'scheme val="minor"' not in styles


def test_text_lines_wrap_at_spaces():
    assert text_lines("Педагогический аукцион «Игровые идеи»", 20) == 3
    assert text_lines("короткий текст", 20) == 1
    assert text_lines("Рекомендация", 16, bold=True) == 1  # as wide as header_floor says
    assert text_lines("первая строка\nвторая", 40) == 2
    assert text_lines("x" * 45, 12) == 5  # a word longer than the column is broken


def test_workbook_title_and_sheet_title_cut_to_31_characters():
    wb = new_workbook("Сводка рейтинга")
    Sheet(wb, "Очень длинное название листа книги Excel", ["A"], [10])
    loaded = load_workbook(io.BytesIO(workbook_bytes(wb)))
    assert loaded.properties.title == "Сводка рейтинга"
    assert loaded.sheetnames == ["Очень длинное название листа кн"]


def test_workbook_bytes_writes_into_a_file_when_given(tmp_path):
    wb = new_workbook()
    Sheet(wb, "Лист", ["A"], [10]).append(["значение"])
    path = tmp_path / "out.xlsx"
    with path.open("wb") as handle:
        assert workbook_bytes(wb, handle) is None
    assert load_workbook(path)["Лист"]["A2"].value == "значение"


def test_xlsx_response_names_the_attachment_in_any_language(tmp_path):
    response = xlsx_response(b"PK", "Самоотчёт Иванова М. П. 2025-2026.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response.content == b"PK"
    plain = xlsx_response(b"PK", "staff-2026-11-28.xlsx")
    assert plain["Content-Disposition"] == 'attachment; filename="staff-2026-11-28.xlsx"'


def test_xlsx_response_saves_a_workbook_and_streams_a_file(tmp_path):
    wb = new_workbook()
    Sheet(wb, "Лист", ["A"], [10]).append([1])
    saved = xlsx_response(wb, "book.xlsx")
    assert load_workbook(io.BytesIO(saved.content))["Лист"]["A2"].value == 1
    path = tmp_path / "book.xlsx"
    path.write_bytes(saved.content)
    with path.open("rb") as handle:
        streamed = xlsx_response(handle, "book.xlsx")
        assert b"".join(streamed.streaming_content) == saved.content
    assert streamed["Content-Disposition"] == 'attachment; filename="book.xlsx"'
    assert streamed["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_import_template_marks_required_columns_and_formats_the_example():
    columns = [
        Column("surname", "Фамилия", required=True),
        Column("hired", "Дата приёма"),
        Column("note", "Заметка"),
    ]
    content = import_template(
        title="Сотрудники",
        columns=columns,
        example=["=Иванова", datetime.date(2015, 8, 25), "да"],
        min_width=14,
        widths={"note": 50},
    )
    ws = load_workbook(io.BytesIO(content))["Сотрудники"]
    assert [c.value for c in ws[1]] == ["Фамилия *", "Дата приёма", "Заметка"]
    assert ws["A2"].value == "=Иванова" and ws["A2"].data_type == "s"
    assert ws["B2"].number_format == "DD.MM.YYYY"
    assert [int(ws.column_dimensions[letter].width) for letter in "ABC"] == [14, 15, 50]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C2"


def test_centred_columns_keep_a_number_apart_from_the_name_beside_it():
    wb = new_workbook()
    sheet = Sheet(wb, "Лист", ["Место", "Педагог", "Дата", "Вид"], [8, 30, 12, 20], centered={0, 2})
    sheet.append([1, "Антонова Анна Сергеевна", datetime.date(2026, 10, 19), "выступление"])
    ws = load_workbook(io.BytesIO(workbook_bytes(wb)))["Лист"]
    assert ws["A2"].value == 1 and ws["A2"].alignment.horizontal == "center"
    assert ws["C2"].alignment.horizontal == "center" and ws["C2"].number_format == "DD.MM.YYYY"
    assert ws["B2"].alignment.horizontal is None


def test_print_widths_narrow_the_text_columns_to_print_at_the_least_scale():
    headers = ["Педагог", "Мероприятие", "Дата", "Участники"]
    widths = print_widths([32, 60, 12, 160], headers, wrap=(1, 3))
    assert widths[0] == 32 and widths[2] == 12  # the others keep their width
    assert print_scale(widths) == MIN_PRINT_SCALE
    assert widths == [32, 60, 12, 64]  # the widest narrowed first; a unit more would print below
    assert fits_page(widths) and not fits_page([32, 60, 12, 65])
    assert print_scale([40, 50]) == 100
    # never below the header's longest word in bold (15 letters, 15% wider, and the padding)
    assert print_widths([60, 300, 100], ["Педагог", "Самообразование", "x"], wrap=(1,)) == [60, 20, 100]


def test_text_longer_than_its_column_wraps_and_the_row_reads_from_the_top():
    wb = new_workbook()
    sheet = Sheet(wb, "Лист", ["Педагог", "Мероприятие"], [30, 20])
    sheet.append(["Антонова Анна Сергеевна", "Педагогический аукцион «Игровые идеи»"])  # 38 in 20
    ws = load_workbook(io.BytesIO(workbook_bytes(wb)))["Лист"]
    assert ws["B2"].alignment.wrap_text
    assert ws.row_dimensions[2].height == LINE_HEIGHT * 3  # «Педагогический / аукцион «Игровые / идеи»»
    assert ws["A2"].alignment.vertical == "top"


def test_print_widths_keep_the_longest_word_of_the_rows_whole():
    rows = [["Христорождественская Маргарита Владимировна", "курсы", "", ""]]
    widths = print_widths([60, 60, 60, 40], ["ФИО", "Программа", "Место", "Итог"], wrap=(0,), rows=rows)
    assert (
        widths == [word_floor("Христорождественская"), 60, 60, 40] == [24, 60, 60, 40]
    )  # 20 letters, 10% wider, padding
    assert word_floor("педагог-наставник") == word_floor("наставник")  # a compound breaks after its hyphen


def test_a_sheet_too_wide_for_a_page_is_split_at_its_columns_with_the_first_on_each():
    widths = [30] + [20] * 14  # 310 characters: no page holds them at 80%, six columns beside the first do
    assert not fits_page(widths) and not fits_page(widths, pages=2) and fits_page(widths, pages=3)
    assert column_breaks(widths) == [7, 13]  # as full as each page can be, the first column counted on each
    assert MIN_PRINT_SCALE <= print_scale(widths) < 100
    narrowed = print_widths(widths, ["Название"] + ["Столбец"] * 14, wrap=range(15), pages=2)
    assert fits_page(narrowed, pages=2) and not fits_page(narrowed)  # two pages, no narrower than that
    wb = new_workbook()
    Sheet(wb, "План", ["Название"] + ["Столбец"] * 14, widths)
    ws = load_workbook(io.BytesIO(workbook_bytes(wb)))["План"]
    assert [brk.id for brk in ws.col_breaks.brk] == [7, 13]
    assert ws.print_title_cols == "$A:$A" and ws.page_setup.pageOrder == "overThenDown"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.scale == print_scale(widths)


def test_a_date_and_time_is_as_wide_as_it_reads():
    moment = datetime.datetime(2026, 10, 28, 13, 30)
    assert fitted_widths(["Начало"], [[moment]]) == [len("28.10.2026 13:30") + 2]
