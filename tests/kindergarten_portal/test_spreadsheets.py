"""The one sheet writer every export uses, read back with openpyxl."""

import datetime
import io
import zipfile
from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.dimensions import RowDimension

from kindergarten_portal.spreadsheets import (
    PERCENT_FORMAT,
    Column,
    Sheet,
    _LookCell,
    fitted_widths,
    import_template,
    new_workbook,
    print_scale,
    print_widths,
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
    assert all(c.font.bold and c.fill.fgColor.rgb == "00DDEBF7" for c in ws[1])
    assert ws["A4"].value == "Итого" and ws["A4"].font.bold


def test_sheet_sets_the_given_column_widths():
    ws, _content = _written([])
    assert [ws.column_dimensions[letter].width for letter in "ABCD"] == [30, 12, 8, 40]


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
    assert ws.row_dimensions[2].height == 15 * 5  # 180 / (40 - 2), rounded up
    assert ws.row_dimensions[3].height is None


def test_a_long_header_wraps_and_heightens_the_header_row():
    ws, _content = _written(
        [], headers=["ФИО", "Дата окончания курсов повышения квалификации", "Баллы", "Комм."]
    )
    assert ws["B1"].alignment.wrap_text
    assert ws.row_dimensions[1].height == 15 * 4  # 45 characters in 10: five lines, at most four shown


def test_print_setup_is_a4_landscape_one_page_wide_with_the_header_on_every_page():
    ws, _content = _written([["Антонова", None, 1, ""]])
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"


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
    assert [ws.column_dimensions[letter].width for letter in "ABC"] == [14, 15, 50]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:C2"


def test_centred_columns_keep_a_number_apart_from_the_name_beside_it():
    wb = new_workbook()
    sheet = Sheet(wb, "Лист", ["Место", "Педагог", "Дата", "Вид"], [8, 30, 12, 20], centered={0, 2})
    sheet.append([1, "Антонова Анна Сергеевна", datetime.date(2026, 10, 19), "выступление"])
    ws = load_workbook(io.BytesIO(workbook_bytes(wb)))["Лист"]
    assert ws["A2"].value == 1 and ws["A2"].alignment.horizontal == "center"
    assert ws["C2"].alignment.horizontal == "center" and ws["C2"].number_format == "DD.MM.YYYY"
    assert ws["B2"].alignment.horizontal is None


def test_print_widths_narrow_the_text_columns_to_print_at_70_percent():
    headers = ["Педагог", "Мероприятие", "Дата", "Участники"]
    widths = print_widths([32, 60, 12, 160], headers, wrap=(1, 3))
    assert sum(widths) == 208  # 146 units at 100%: 70% of the page's width
    assert widths[0] == 32 and widths[2] == 12  # the others keep their width
    assert print_scale(widths) == 70
    assert print_scale([40, 50]) == 100
    # never below the header's longest word: labels are not cut
    assert print_widths([60, 300], ["Педагог", "Самообразование"], wrap=(1,), budget=50) == [60, 17]


def test_text_longer_than_its_column_wraps_and_the_row_reads_from_the_top():
    wb = new_workbook()
    sheet = Sheet(wb, "Лист", ["Педагог", "Мероприятие"], [30, 20])
    sheet.append(["Антонова Анна Сергеевна", "Педагогический аукцион «Игровые идеи»"])  # 38 in 20
    ws = load_workbook(io.BytesIO(workbook_bytes(wb)))["Лист"]
    assert ws["B2"].alignment.wrap_text
    assert ws.row_dimensions[2].height == 15 * 3  # 38 / (20 - 2), rounded up
    assert ws["A2"].alignment.vertical == "top"


def _sheet_xml(openpyxls_own_rows):
    """The details-like sheet's XML, its rows made by Sheet's `_values_to_row` or openpyxl's own,
    and its styled cells Sheet's (`_LookCell`) or openpyxl's own `Cell` of the same value and look."""
    wb = new_workbook()
    sheet = Sheet(
        wb, "Лист", ["Педагог", "Дата", "Мероприятие", "Часы", "Баллы"], [20, 12, 20, 8, 8], centered={1}
    )
    if openpyxls_own_rows:
        del sheet.ws._values_to_row  # the class's own method again
        append = sheet.ws.append

        def own_cells(row):
            cells = []
            for value in row:
                if type(value) is _LookCell:
                    cell = Cell(sheet.ws, row=1, column=1, value=value._value, style_array=value._style)
                    cell.data_type, value = value.data_type, cell
                cells.append(value)
            append(cells)

        sheet.ws.append = own_cells
    rows = [
        ["Антонова Анна Сергеевна", datetime.date(2026, 1, 27), "Семинар", 16, Decimal("2.5")],
        ["Борисова", datetime.date(2026, 2, 3), "Педагогический аукцион «Игровые идеи»", None, Decimal("1")],
        ["=СУММ(A1:A2)", None, "", 0, 3.25],
        [
            "Ёлкина Алёна",
            datetime.datetime(2026, 3, 1, 10, 30),
            "Мастер-класс по ТРИЗ для педагогов",
            72,
            None,
        ],
    ]
    for _round in range(2):  # the second round refills the cells the first one made
        for row in rows:
            sheet.append(row)
    sheet.close_table()
    sheet.append(["Итого", None, "", 88, Decimal("13.5")], bold=True)
    sheet.append([sheet.cell("Ссылка", bold=True), sheet.cell(datetime.date(2026, 5, 1))])
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(wb))) as archive:
        return archive.read("xl/worksheets/sheet1.xml"), archive.read("xl/styles.xml")


def test_rows_go_in_as_openpyxl_itself_would_write_them():
    """Sheet hands openpyxl its rows and its styled cells its own way (spreadsheets._values_to_row
    and _LookCell, for speed): the sheet and its styles come out byte for byte as through openpyxl's
    own method and cells."""
    ours, own = _sheet_xml(False), _sheet_xml(True)
    assert b"<c " in ours[0] and b' s="' in ours[0]  # cells, some styled
    assert ours == own
    # A wrapped row's height, as openpyxl writes a row dimension's (Sheet gives it as attributes).
    dimension = RowDimension(new_workbook().create_sheet("x"), index=3, ht=15 * 3, customHeight=True)
    attributes = " ".join(f'{name}="{value}"' for name, value in dimension)
    assert f'<row r="3" {attributes}>'.encode() in ours[0]


def test_a_cell_restyled_after_it_was_made_keeps_its_own_look():
    """Cells of one look share its style index (_LookCell); one changed afterwards is not given it."""
    wb = new_workbook()
    sheet = Sheet(wb, "Лист", ["Дата", "Доля"], [12, 12])
    same, changed = sheet.cell(datetime.date(2026, 5, 1)), sheet.cell(datetime.date(2026, 5, 2))
    assert type(same) is _LookCell and type(changed) is _LookCell
    changed.number_format = "0.00"
    sheet.append([same])
    sheet.append([changed])
    sheet.append([sheet.cell(datetime.date(2026, 5, 3))])  # the look's index, as before the change
    ws = load_workbook(io.BytesIO(workbook_bytes(wb)))["Лист"]
    assert [ws[f"A{row}"].number_format for row in (2, 3, 4)] == ["DD.MM.YYYY", "0.00", "DD.MM.YYYY"]
