"""The one reader every import uses (xlsx_in.read_table and its helpers): values as people type
them, the header found below titles, and the limits that refuse a file at once."""

import datetime
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from kindergarten_portal.sheets.xlsx_in import (
    MAX_DATA_ROWS,
    Column,
    ImportRefused,
    keyed,
    open_workbook,
    parse_date,
    parse_time_range,
    parse_whole_number,
    read_table,
)
from staff.importing import staff_import
from staff.models import Employee

D = datetime.date
T = datetime.time


@pytest.mark.parametrize(
    "value,expected",
    [
        (datetime.datetime(2010, 9, 1), D(2010, 9, 1)),
        (D(2010, 9, 1), D(2010, 9, 1)),
        (40422, D(2010, 9, 1)),  # Excel's day number
        (40422.0, D(2010, 9, 1)),
        ("40422", D(2010, 9, 1)),
        ("01.09.2010", D(2010, 9, 1)),
        (" 01.09.2010 г. ", D(2010, 9, 1)),
        ("1.9.10", D(2010, 9, 1)),
        ("2010-09-01", D(2010, 9, 1)),
        ("01/09/2010", D(2010, 9, 1)),
        ("1 сентября 2010 г.", D(2010, 9, 1)),
        ("1 Сентября 2010 года", D(2010, 9, 1)),
        ("15 мая 2024", D(2024, 5, 15)),
        ("3 янв. 2025", D(2025, 1, 3)),
        (None, None),
        ("", None),
    ],
)
def test_dates_are_read_as_people_type_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31.02.2021", "вчера", "32 мая 2024", 2012, "1 сентабря 2010", True])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("10.00", (T(10, 0), None)),
        ("10:00", (T(10, 0), None)),
        ("9-30", (T(9, 30), None)),
        ("10:00–12:00", (T(10, 0), T(12, 0))),
        ("10.00 - 12.30", (T(10, 0), T(12, 30))),
        ("с 14.00 до 15.30", (T(14, 0), T(15, 30))),
        (T(10, 0), (T(10, 0), None)),
        (datetime.datetime(1899, 12, 30, 10, 0), (T(10, 0), None)),
        (10 / 24, (T(10, 0), None)),  # a time cell: the part of a day
        (10.3, (T(10, 30), None)),  # «10,30» in a Russian Excel
        (None, (None, None)),
    ],
)
def test_times_and_ranges_are_read_as_people_type_them(value, expected):
    assert parse_time_range(value) == expected


@pytest.mark.parametrize(
    "value", ["утром", "25:00", "10:75", "10:00-12:00-14:00", "10:00 (регистрация с 9)", 30.5]
)
def test_what_is_not_a_time_is_refused(value):
    with pytest.raises(ValueError):
        parse_time_range(value)


def test_whole_numbers_take_their_units():
    assert parse_whole_number("72 ч.", units={"ч"}) == 72
    assert parse_whole_number(36.0) == 36
    assert parse_whole_number("") is None
    for bad in ("-3", "72 дня", "семьдесят", "7.5"):
        with pytest.raises(ValueError):
            parse_whole_number(bad, units={"ч"})


def test_headers_compare_without_case_yo_spaces_or_punctuation():
    assert keyed(" Пед. стаж  с ") == keyed("пед стаж с")
    assert keyed("Дата приёма *") == keyed("дата приема")
    assert keyed("Семинар-практикум") == keyed("семинар практикум")


COLUMNS = [
    Column("surname", "Surname", required=True, aliases=("Фамилия",)),
    Column("position", "Position", required=True, aliases=("Должность",)),
    Column("hire_date", "Hire date", aliases=("Дата приема",)),
]


def sheet_of(rows, merge=None):
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    out = io.BytesIO()
    wb.save(out)
    return out


def test_the_header_is_found_below_a_merged_title_a_note_and_blank_rows():
    file = sheet_of(
        [
            ["Список сотрудников", None, None],
            [],
            ["Заполняет старший воспитатель до 5 числа"],
            ["Должность", "ФАМИЛИЯ", "Дата приёма", "Стаж"],
            ["воспитатель", "Петрова", "01.09.2016", "5"],
            [],
            ["логопед", "Сидорова", "", ""],
        ],
        merge="A1:C1",
    )
    workbook = open_workbook(file)
    table = read_table(workbook.worksheets[0], COLUMNS)
    assert table.issues == []
    assert table.header_row == 4
    assert table.positions == {"position": 0, "surname": 1, "hire_date": 2}
    assert table.ignored == ["Стаж"]
    assert list(table.rows()) == [
        (5, {"position": "воспитатель", "surname": "Петрова", "hire_date": "01.09.2016"}),
        (7, {"position": "логопед", "surname": "Сидорова", "hire_date": None}),
    ]
    workbook.close()


def test_a_missing_column_names_the_row_read_as_header_and_what_it_holds():
    file = sheet_of([["План"], ["Фамилия", "Группа"], ["Петрова", "Звездочка"]])
    table = read_table(open_workbook(file).worksheets[0], COLUMNS)
    (issue,) = table.issues
    assert "«Position»" in issue.message or "«Должность»" in issue.message
    assert re.search(r"\b2\b", issue.message)  # the row read as the header
    assert "«Фамилия», «Группа»" in issue.message


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(ImportRefused):
        open_workbook(io.BytesIO(b"surname;name\nIvanova;Anna\n"))


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    out.seek(0)
    return out


def test_a_compressed_bomb_is_refused_before_it_is_unpacked():
    # 9 MB of one character packs into a few kilobytes: under the size limit, far beyond any sheet's ratio.
    bomb = _zip({"[Content_Types].xml": "<Types/>", "xl/worksheets/sheet1.xml": b"<" + b"a" * (9 * 2**20)})
    assert len(bomb.getvalue()) < 100_000
    with pytest.raises(ImportRefused, match="bomb|бомб"):
        open_workbook(bomb)


def test_a_file_unpacking_past_ten_megabytes_is_refused():
    big = _zip({f"xl/media/image{n}.bin": bytes(range(256)) * 2**12 * 3 for n in range(4)})  # 4 × 3 MB
    with pytest.raises(ImportRefused, match="10"):
        open_workbook(big)


def _long_sheet(rows):
    """A workbook of `rows` data rows, its sheet written directly (openpyxl takes long to write that
    many): a header, then one surname a row, its size declared as spreadsheet programs do."""
    template = io.BytesIO()
    wb = Workbook()
    wb.active.append(["Фамилия", "Имя", "Должность"])
    wb.save(template)
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>П{n}</t></is></c></row>' for n in range(2, rows + 2)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:C{rows + 1}"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Фамилия</t></is></c><c r="B1" t="inlineStr"><is><t>Имя</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>Должность</t></is></c></row>'
        f"{body}</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = sheet.encode() if member.filename == "xl/worksheets/sheet1.xml" else source.read(member)
            target.writestr(member.filename, data)
    out.seek(0)
    return out


@pytest.mark.django_db
def test_a_hundred_thousand_row_file_is_refused_and_nothing_written():
    file = _long_sheet(100_000)
    assert sum(m.file_size for m in zipfile.ZipFile(file).infolist()) < 10 * 2**20  # refused by its rows
    result = staff_import(file=file, dry_run=False)
    assert [e.row for e in result.errors] == [None]
    assert str(MAX_DATA_ROWS) in result.errors[0].message
    assert not Employee.objects.exists()


@pytest.mark.django_db
def test_five_thousand_and_one_rows_are_refused_by_the_row_count():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Фамилия", "Имя", "Должность"])
    for n in range(MAX_DATA_ROWS + 1):
        ws.append([f"П{n}", "А", "воспитатель"])
    out = io.BytesIO()
    wb.save(out)
    result = staff_import(file=out, dry_run=True)
    assert [(e.row, str(MAX_DATA_ROWS) in e.message) for e in result.errors] == [(None, True)]
