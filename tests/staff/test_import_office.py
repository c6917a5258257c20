"""The staff import takes a workbook as an office keeps it: a title above the header, its own column
names and order, one «ФИО» column, dates as typed, a current category and the last course per person
(as columns or as sheets «Категории» and «Курсы»). Each file is made here in that shape."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from reports.selectors.dashboard import dashboard_figures
from staff.academic import AcademicYear
from staff.importing import staff_import
from staff.models import (
    Category,
    CategoryDecision,
    EducationLevel,
    Employee,
    KindergartenGroup,
    Position,
    Training,
    TrainingKind,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

OFFICE_HEADER = [
    "№ п/п",
    "ФИО",
    "Должность",
    "Группа",
    "Образование",
    "Пед. стаж с",
    "Дата приема",
    "Категория",
    "Дата присвоения",
    "Приказ",
    "Курсы",
    "Кол-во часов",
    "Дата окончания курсов",
    "Примечание",
]
OFFICE_ROWS = [
    [
        1,
        " Петрова  Елена Сергеевна ",
        "Воспитатель",
        "Звездочка",
        "высшее педагогическое",
        datetime.datetime(2010, 9, 1),  # a real Excel date
        40422,  # the same day as Excel's day number (a cell that lost its date format)
        "высшая",
        "28.03.2024",
        "№ 412-Д",
        "Реализация ФОП ДО в группах раннего возраста",
        "72 ч.",
        datetime.datetime(2025, 4, 18),
        "декрет с 2027",
    ],
    [
        2,
        "Сидорова Анна Павловна",
        "инструктор по физкультуре",
        "Звёздочка",
        "среднее специальное",
        "1 сентября 2015 г.",
        "1.9.15",
        "Первая",
        datetime.datetime(2025, 12, 24),
        "1533-Д",
        "",
        "",
        "",
        "",
    ],
    [
        3,
        "Кузнецова Ольга Ивановна",
        "муз. руководитель",
        "ЗВЁЗДОЧКА; Ромашка",
        "",
        "2019-09-02",
        "02.09.2019",
        "б/к",
        "",
        "",
        "Музыкальное воспитание дошкольников",
        36,
        "15.05.2024",
        "",
    ],
]


def office_workbook(header=OFFICE_HEADER, rows=OFFICE_ROWS, *, extra_sheets=None):
    """The list as an office keeps it: a merged title, a date line, a blank row, then the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Педагоги"
    ws.append(["Список педагогических работников МБДОУ «Детский сад № 15»"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["на 01.09.2026"])
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    for title, sheet_rows in (extra_sheets or {}).items():
        sheet = wb.create_sheet(title)
        for row in sheet_rows:
            sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def decisions(employee):
    return [
        (d.category, d.decision_date, d.order_number)
        for d in CategoryDecision.objects.filter(employee=employee).order_by("decision_date")
    ]


def courses(employee):
    return [
        (t.kind, t.programme, t.hours, t.end_date)
        for t in Training.objects.filter(employee=employee).order_by("end_date")
    ]


def test_an_office_workbook_goes_in_on_the_first_try():
    result = staff_import(file=office_workbook(), dry_run=False)
    assert result.ok, [str(e) for e in result.errors]
    assert result.written
    # The header was found in row 4; the data rows are named by their sheet rows.
    assert [(r.row, r.action, r.label) for r in result.rows] == [
        (5, "create", "Петрова Елена Сергеевна"),
        (6, "create", "Сидорова Анна Павловна"),
        (7, "create", "Кузнецова Ольга Ивановна"),
    ]
    assert result.ignored_columns == ["Примечание"]  # «№ п/п» is the rows' numbers, not a lost column

    petrova = Employee.objects.get(surname="Петрова")
    assert (petrova.name, petrova.patronymic, petrova.position) == ("Елена", "Сергеевна", Position.EDUCATOR)
    assert petrova.education_level == EducationLevel.HIGHER
    assert (petrova.experience_start, petrova.hire_date) == (
        datetime.date(2010, 9, 1),
        datetime.date(2010, 9, 1),
    )
    assert decisions(petrova) == [(Category.HIGHEST, datetime.date(2024, 3, 28), "№ 412-Д")]
    assert courses(petrova) == [
        (TrainingKind.COURSE, "Реализация ФОП ДО в группах раннего возраста", 72, datetime.date(2025, 4, 18))
    ]

    sidorova = Employee.objects.get(surname="Сидорова")
    assert sidorova.position == Position.PE_INSTRUCTOR
    assert sidorova.education_level == EducationLevel.SECONDARY_VOCATIONAL
    assert (sidorova.experience_start, sidorova.hire_date) == (
        datetime.date(2015, 9, 1),
        datetime.date(2015, 9, 1),
    )
    assert decisions(sidorova) == [(Category.FIRST, datetime.date(2025, 12, 24), "1533-Д")]
    assert courses(sidorova) == []

    kuznetsova = Employee.objects.get(surname="Кузнецова")
    assert kuznetsova.position == Position.MUSIC_DIRECTOR
    assert kuznetsova.experience_start == datetime.date(2019, 9, 2)
    assert decisions(kuznetsova) == []  # «б/к»: no category, nothing to record
    assert courses(kuznetsova) == [
        (TrainingKind.COURSE, "Музыкальное воспитание дошкольников", 36, datetime.date(2024, 5, 15))
    ]

    # «Звездочка», «Звёздочка» and «ЗВЁЗДОЧКА» are one group, spelled as first written.
    assert sorted(KindergartenGroup.objects.values_list("name", flat=True)) == ["Звездочка", "Ромашка"]
    assert [g.name for g in sidorova.groups.all()] == ["Звездочка"]
    assert sorted(g.name for g in kuznetsova.groups.all()) == ["Звездочка", "Ромашка"]

    # The dashboard now counts their categories and courses.
    figures = dashboard_figures(year=AcademicYear(2026), as_of=datetime.date(2026, 10, 1))
    assert dict(figures.categories)["highest"] == 1
    assert dict(figures.categories)["first"] == 1
    assert dict(figures.categories)["none"] == 1
    assert (figures.covered, figures.staff_total) == (2, 3)


def test_importing_the_same_office_file_again_changes_nothing():
    staff_import(file=office_workbook(), dry_run=False)
    before = (
        list(Employee.objects.order_by("pk").values()),
        list(CategoryDecision.objects.order_by("pk").values()),
        list(Training.objects.order_by("pk").values()),
        list(KindergartenGroup.objects.order_by("pk").values()),
    )
    result = staff_import(file=office_workbook(), dry_run=False)
    assert [(r.row, r.action) for r in result.rows] == [(5, "unchanged"), (6, "unchanged"), (7, "unchanged")]
    after = (
        list(Employee.objects.order_by("pk").values()),
        list(CategoryDecision.objects.order_by("pk").values()),
        list(Training.objects.order_by("pk").values()),
        list(KindergartenGroup.objects.order_by("pk").values()),
    )
    assert after == before


def test_dry_run_lists_new_category_and_course_of_someone_on_record():
    employee = EmployeeFactory(surname="Петрова", name="Елена", patronymic="Сергеевна", position="educator")
    result = staff_import(file=office_workbook(rows=OFFICE_ROWS[:1]), dry_run=True)
    (row,) = result.rows
    assert row.action == "update"
    assert "category" in row.changed and "course_programme" in row.changed
    assert decisions(employee) == [] and courses(employee) == []


def test_a_fresh_import_of_groups_differing_in_yo_and_case_makes_one_group_each():
    header = ["Фамилия", "Имя", "Должность", "Группы"]
    rows = [
        ["Иванова", "Мария", "воспитатель", "Звёздочка"],
        ["Смирнова", "Ольга", "воспитатель", "звездочка ;  Ёлочка"],
        ["Орлова", "Нина", "воспитатель", "ЕЛОЧКА, Звездочка"],
    ]
    result = staff_import(file=office_workbook(header, rows), dry_run=False)
    assert result.ok, [str(e) for e in result.errors]
    assert set(KindergartenGroup.objects.values_list("name", flat=True)) == {"Звёздочка", "Ёлочка"}
    orlova = Employee.objects.get(surname="Орлова")
    assert {g.name for g in orlova.groups.all()} == {"Звёздочка", "Ёлочка"}


def test_categories_and_courses_on_their_own_sheets_are_matched_by_full_name():
    header = ["Фамилия", "Имя", "Отчество", "Должность"]
    rows = [["Петрова", "Елена", "Сергеевна", "воспитатель"], ["Сидорова", "Анна", "Павловна", "логопед"]]
    on_record = EmployeeFactory(surname="Белова", name="Ольга", patronymic="Викторовна")
    extra = {
        "Категории": [
            ["Категории педагогов"],
            ["ФИО", "Категория", "Дата", "Номер приказа"],
            ["ПЕТРОВА Елена Сергеевна", "высшая квалификационная категория", "1 февраля 2024 г.", "205-Д"],
            ["Белова Ольга Викторовна", "первая", datetime.datetime(2025, 2, 26), "311-Д"],
        ],
        "Курсы": [
            ["ФИО", "Программа", "Организация", "Часы", "Дата окончания"],
            ["Сидорова Анна Павловна", "Логопедический массаж", "ИРО", 72, "20.11.2025"],
        ],
    }
    result = staff_import(file=office_workbook(header, rows, extra_sheets=extra), dry_run=False)
    assert result.ok, [str(e) for e in result.errors]
    assert [(r.label, r.action) for r in result.rows] == [
        ("Петрова Елена Сергеевна", "create"),
        ("Сидорова Анна Павловна", "create"),
        ("Белова Ольга Викторовна", "update"),
    ]
    petrova = Employee.objects.get(surname="Петрова")
    assert decisions(petrova) == [(Category.HIGHEST, datetime.date(2024, 2, 1), "205-Д")]
    assert decisions(on_record) == [(Category.FIRST, datetime.date(2025, 2, 26), "311-Д")]
    sidorova = Employee.objects.get(surname="Сидорова")
    assert sidorova.position == Position.SPEECH_THERAPIST
    assert courses(sidorova) == [
        (TrainingKind.COURSE, "Логопедический массаж", 72, datetime.date(2025, 11, 20))
    ]
    assert Training.objects.get(employee=sidorova).provider == "ИРО"

    again = staff_import(file=office_workbook(header, rows, extra_sheets=extra), dry_run=False)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged", "unchanged"]
    assert CategoryDecision.objects.count() == 2 and Training.objects.count() == 1


def test_a_name_on_the_categories_sheet_that_is_nowhere_is_named_by_sheet_and_row():
    header = ["Фамилия", "Имя", "Должность"]
    extra = {
        "Категории": [["ФИО", "Категория", "Дата присвоения"], ["Никитина Вера", "первая", "01.02.2024"]]
    }
    result = staff_import(
        file=office_workbook(header, [["Петрова", "Елена", "воспитатель"]], extra_sheets=extra), dry_run=False
    )
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [("Категории", 2, "ФИО")]
    assert "Никитина Вера" in result.errors[0].message
    assert not Employee.objects.exists()


def test_a_missing_required_column_names_the_header_row_and_the_columns_found():
    header = ["Сотрудник", "Группа", "Стаж с"]
    result = staff_import(
        file=office_workbook(header, [["Петрова Елена", "Звездочка", "01.09.2010"]]), dry_run=True
    )
    (error,) = result.errors
    assert error.row is None
    assert "«Должность»" in error.message
    assert "4" in error.message  # the header row after the title, the date line and a blank row
    assert "«Сотрудник», «Группа», «Стаж с»" in error.message


BASE = [
    "Фамилия",
    "Имя",
    "Должность",
    "Категория",
    "Дата присвоения",
    "Курсы",
    "Кол-во часов",
    "Дата окончания курсов",
]


def good(**changes):
    values = dict(
        zip(
            BASE,
            ["Петрова", "Елена", "воспитатель", "первая", "01.02.2024", "ФОП ДО", 72, "20.11.2025"],
            strict=True,
        )
    )
    values.update(changes)
    return [values[h] for h in BASE]


@pytest.mark.parametrize(
    "row,column,fragment",
    [
        (good(Должность="завхоз"), "Должность", "«завхоз»"),
        (good(Категория="вторая"), "Категория", "«вторая»"),
        (good(**{"Дата присвоения": ""}), "Дата присвоения", ""),
        (good(**{"Дата присвоения": "весной"}), "Дата присвоения", "«весной»"),
        (good(**{"Дата присвоения": "01.02.2099"}), "Дата присвоения", ""),
        (good(**{"Кол-во часов": "много"}), "Кол-во часов", "«много»"),
        (good(**{"Кол-во часов": "-3"}), "Кол-во часов", "«-3»"),
        (good(Курсы=""), "Курсы", ""),
        (good(**{"Дата окончания курсов": "31.02.2025"}), "Дата окончания курсов", "«31.02.2025»"),
    ],
    ids=[
        "position",
        "category",
        "category-without-date",
        "category-date",
        "category-date-future",
        "hours",
        "negative-hours",
        "course-without-programme",
        "course-end",
    ],
)
def test_each_bad_value_is_named_by_row_column_and_value_and_writes_nothing(row, column, fragment):
    result = staff_import(file=office_workbook(BASE, [good(Фамилия="Сидорова"), row]), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(6, column)]
    assert fragment in result.errors[0].message
    assert not result.written
    assert not Employee.objects.exists()
    assert not CategoryDecision.objects.exists() and not Training.objects.exists()


def test_unknown_position_says_what_would_be_accepted():
    result = staff_import(file=office_workbook(BASE, [good(Должность="дворник")]), dry_run=True)
    assert "инструктор по физической культуре" in result.errors[0].message


def test_a_single_word_in_the_full_name_column_is_refused():
    result = staff_import(
        file=office_workbook(["ФИО", "Должность"], [["Петрова", "воспитатель"]]), dry_run=False
    )
    assert [(e.row, e.column) for e in result.errors] == [(5, "ФИО")]
    assert "«Петрова»" in result.errors[0].message


def test_errors_stop_being_listed_after_two_hundred_and_the_rest_are_counted(tmp_path):
    rows = [[f"Петрова{n}", "Елена", "сторож"] for n in range(250)]
    result = staff_import(file=office_workbook(["Фамилия", "Имя", "Должность"], rows), dry_run=False)
    assert len(result.errors) == 200
    assert result.errors_more == 50
    assert result.errors[0].row == 5 and result.errors[-1].row == 204
    path = tmp_path / "bad.xlsx"
    path.write_bytes(office_workbook(["Фамилия", "Имя", "Должность"], rows).getvalue())
    with pytest.raises(CommandError) as raised:
        call_command("import_staff", str(path), stderr=io.StringIO())
    assert "250" in str(raised.value)
    assert not Employee.objects.exists()


def test_the_admin_dry_run_lists_the_ignored_columns_and_the_new_groups(client, senior):
    client.force_login(senior)
    upload = SimpleUploadedFile("kadry.xlsx", office_workbook().getvalue())
    response = client.post(reverse("admin:staff_employee_import"), {"file": upload, "check": "1"})
    body = response.content.decode()
    assert "«Примечание»" in body.split('id="import-ignored"')[1].split("</li>")[0]
    assert "Новые группы: Звездочка, Ромашка" in body
    assert "Создать: 3; обновить: 0; без изменений: 0." in body
    assert not Employee.objects.exists()
