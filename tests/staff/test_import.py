import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from staff.importing import staff_import, staff_import_template
from staff.models import Employee, KindergartenGroup, Position
from tests.factories import EmployeeFactory, KindergartenGroupFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Должность",
    "Группы",
    "Начало педагогического стажа",
    "Дата приёма",
    "E-mail",
]


def row(n, **overrides):
    values = {
        "Фамилия": f"Петрова{n}",
        "Имя": "Ольга",
        "Отчество": "Ивановна",
        "Должность": "воспитатель",
        "Группы": "Солнышко",
        "Начало педагогического стажа": datetime.datetime(2015, 9, 1),
        "Дата приёма": "01.09.2016",
        "E-mail": f"p{n}@example.org",
    }
    values.update(overrides)
    return values


def workbook(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for values in rows:
        ws.append([values.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def messages(result):
    return [str(e) for e in result.errors]


def test_valid_file_creates_employees_and_groups():
    result = staff_import(file=workbook([row(1), row(2, Группы="Ромашка; Солнышко")]), dry_run=False)
    assert result.ok and result.written
    assert result.created == 2
    employee = Employee.objects.get(surname="Петрова2")
    assert employee.position == Position.EDUCATOR
    assert employee.experience_start == datetime.date(2015, 9, 1)
    assert employee.hire_date == datetime.date(2016, 9, 1)
    assert sorted(g.name for g in employee.groups.all()) == ["Ромашка", "Солнышко"]
    assert KindergartenGroup.objects.count() == 2


def test_dry_run_reports_and_writes_nothing():
    result = staff_import(file=workbook([row(1), row(2)]), dry_run=True)
    assert result.ok and not result.written
    assert result.created == 2
    assert result.notes == ["Новые группы: Солнышко"]
    assert Employee.objects.count() == 0
    assert KindergartenGroup.objects.count() == 0


def test_reimporting_the_same_file_changes_nothing():
    staff_import(file=workbook([row(1), row(2)]), dry_run=False)
    before = list(Employee.objects.values())
    result = staff_import(file=workbook([row(1), row(2)]), dry_run=False)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert list(Employee.objects.values()) == before


def test_existing_employee_is_updated_by_full_name_ignoring_case_and_yo():
    EmployeeFactory(surname="Семёнова", name="Анна", patronymic="Павловна", position=Position.EDUCATOR)
    result = staff_import(
        file=workbook(
            [row(1, Фамилия="СЕМЕНОВА", Имя="анна", Отчество="Павловна", Должность="учитель-логопед")]
        ),
        dry_run=False,
    )
    assert (result.created, result.updated) == (0, 1)
    assert Employee.objects.get().position == Position.SPEECH_THERAPIST


def test_english_headers_and_position_codes_are_accepted():
    headers = ["Surname", "Name", "Position"]
    result = staff_import(
        file=workbook([{"Surname": "Smith", "Name": "Jane", "Position": "psychologist"}], headers=headers),
        dry_run=False,
    )
    assert result.ok, messages(result)
    assert Employee.objects.get().position == Position.PSYCHOLOGIST


@pytest.mark.parametrize(
    "build,expected",
    [
        (lambda: workbook([row(1)], headers=[h for h in HEADERS if h != "Должность"]), "«Должность»"),
        (lambda: workbook([row(1, **{"Дата приёма": "31.02.2020"})]), "Строка 2, столбец «Дата приёма»"),
        (lambda: workbook([row(1, Должность="завхоз")]), "неизвестная должность «завхоз»"),
        (lambda: workbook([row(1), row(2), row(1)]), "уже есть в строке 2"),
        (lambda: workbook([]), "нет ни одной строки с данными"),
        (lambda: io.BytesIO(b"surname;name\nIvanova;Anna\n"), "не является книгой Excel"),
        (lambda: workbook([row(1, Фамилия="")]), "Строка 2, столбец «Фамилия»"),
        (lambda: workbook([row(1, **{"E-mail": "not-an-address"})]), "столбец «E-mail»"),
    ],
    ids=[
        "missing-column",
        "bad-date",
        "unknown-position",
        "duplicate-person",
        "empty-sheet",
        "not-xlsx",
        "blank-surname",
        "bad-email",
    ],
)
def test_bad_input_gives_a_clear_russian_message_and_writes_nothing(build, expected):
    result = staff_import(file=build(), dry_run=False)
    assert not result.ok and not result.written
    assert any(expected in message for message in messages(result)), messages(result)
    assert Employee.objects.count() == 0
    assert KindergartenGroup.objects.count() == 0


def test_completely_empty_workbook_is_refused():
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = staff_import(file=out, dry_run=False)
    assert messages(result) == ["Лист пуст."]


def test_two_hundred_rows_with_one_bad_row_write_nothing_and_name_row_and_column():
    rows = [row(n) for n in range(200)]
    rows[136]["Должность"] = "дворник"  # sheet row 138 (header is row 1)
    result = staff_import(file=workbook(rows), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(138, "Должность")]
    assert messages(result)[0].startswith("Строка 138, столбец «Должность»: неизвестная должность «дворник».")
    assert "инструктор по физической культуре" in messages(result)[0]  # what would be accepted
    assert Employee.objects.count() == 0


def test_template_round_trips_through_the_import():
    template = io.BytesIO(staff_import_template())
    sheet = load_workbook(template).active
    assert sheet["A1"].value == "Фамилия *"
    assert sheet.freeze_panes == "A2"
    template.seek(0)
    result = staff_import(file=template, dry_run=False)
    assert result.ok, messages(result)
    assert Employee.objects.get().full_name == "Иванова Мария Петровна"


def test_command_dry_run_and_errors(tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook([row(1)]).getvalue())
    call_command("import_staff", str(good), "--dry-run")
    assert Employee.objects.count() == 0
    call_command("import_staff", str(good))
    assert Employee.objects.count() == 1

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([row(2, Должность="сторож")]).getvalue())
    with pytest.raises(CommandError):
        call_command("import_staff", str(bad))
    assert "сторож" in capsys.readouterr().err
    assert Employee.objects.count() == 1


def test_admin_import_page_dry_run_then_apply(client, senior):
    client.force_login(senior)
    url = reverse("admin:staff_employee_import")
    data = workbook([row(1), row(2)]).getvalue()
    response = client.post(url, {"file": SimpleUploadedFile("staff.xlsx", data), "check": "1"})
    assert response.status_code == 200
    assert "Создать: 2" in response.content.decode()
    assert Employee.objects.count() == 0
    response = client.post(url, {"file": SimpleUploadedFile("staff.xlsx", data), "apply": "1"}, follow=True)
    assert Employee.objects.count() == 2
    assert "создано 2" in response.content.decode()


def test_admin_import_page_shows_errors_and_writes_nothing(client, senior):
    client.force_login(senior)
    data = workbook([row(1, Должность="сторож")]).getvalue()
    response = client.post(
        reverse("admin:staff_employee_import"), {"file": SimpleUploadedFile("s.xlsx", data), "apply": "1"}
    )
    body = response.content.decode()
    assert "Ничего не импортировано" in body
    assert "неизвестная должность «сторож»" in body
    assert Employee.objects.count() == 0


def test_head_cannot_import(client, head):
    client.force_login(head)
    data = workbook([row(1)]).getvalue()
    response = client.post(
        reverse("admin:staff_employee_import"), {"file": SimpleUploadedFile("s.xlsx", data), "apply": "1"}
    )
    assert response.status_code == 403
    assert Employee.objects.count() == 0


def test_update_keeps_what_the_file_leaves_blank_and_the_stored_spelling(client, senior):
    employee = EmployeeFactory(
        surname="Белова",
        name="Ольга",
        patronymic="Викторовна",
        email="belova@sad.ru",
        education_institution="УрГПУ",
        hire_date=datetime.date(2016, 9, 1),
    )
    employee.groups.add(KindergartenGroupFactory(name="Ромашка"))
    headers = ["Фамилия", "Имя", "Отчество", "Должность", "Телефон"]
    rows = [{"Фамилия": "белова", "Имя": "ольга", "Отчество": "викторовна", "Должность": "воспитатель",
             "Телефон": "+7 900 111-22-33"}]  # fmt: skip
    client.force_login(senior)
    data = workbook(rows, headers=headers).getvalue()
    response = client.post(
        reverse("admin:staff_employee_import"), {"file": SimpleUploadedFile("s.xlsx", data), "check": "1"}
    )
    assert "изменения: Телефон" in response.content.decode()
    result = staff_import(file=workbook(rows, headers=headers), dry_run=False)
    assert (result.created, result.updated) == (0, 1) and result.rows[0].changed == ["phone"]
    employee.refresh_from_db()
    assert employee.full_name == "Белова Ольга Викторовна"
    assert employee.phone == "+7 900 111-22-33"
    assert (employee.email, employee.education_institution) == ("belova@sad.ru", "УрГПУ")
    assert employee.hire_date == datetime.date(2016, 9, 1)
    assert [g.name for g in employee.groups.all()] == ["Ромашка"]


def test_a_bad_phone_in_the_file_is_named_by_row_and_column():
    result = staff_import(
        file=workbook([row(1, **{"E-mail": ""})], headers=HEADERS + ["Телефон"]), dry_run=True
    )
    assert result.ok
    bad = row(2)
    bad["Телефон"] = "звонить вахтёру"
    result = staff_import(file=workbook([bad], headers=HEADERS + ["Телефон"]), dry_run=False)
    assert any("Строка 2, столбец «Телефон»" in m for m in messages(result)), messages(result)
    assert Employee.objects.count() == 0


def test_birth_date_column_is_read_and_kept_when_left_blank():
    # "Date of birth": the English header is accepted until the Russian catalogue is compiled.
    headers = [*HEADERS, "Date of birth"]
    staff_import(file=workbook([row(1, **{"Date of birth": "23.11.1987"})], headers), dry_run=False)
    assert Employee.objects.get().birth_date == datetime.date(1987, 11, 23)
    result = staff_import(file=workbook([row(1)], headers), dry_run=False)
    assert result.unchanged == 1
    assert Employee.objects.get().birth_date == datetime.date(1987, 11, 23)
    bad = staff_import(file=workbook([row(1, **{"Date of birth": "23.13.1987"})], headers), dry_run=True)
    assert len(bad.errors) == 1 and "23.13.1987" in str(bad.errors[0])


@pytest.mark.parametrize(
    "written,sex",
    [
        ("ж", "female"),
        ("Жен.", "female"),
        ("female", "female"),
        ("м", "male"),
        ("муж", "male"),
        ("Male", "male"),
    ],
)
def test_sex_column_takes_the_usual_ways_of_writing_it(written, sex):
    # "Sex" is the column's English header; the Russian «Пол» comes with the merged catalogue.
    headers = ["Surname", "Name", "Sex", "Position"]
    data = {"Surname": "Смирнова", "Name": "Ольга", "Sex": written, "Position": "воспитатель"}
    result = staff_import(file=workbook([data], headers=headers), dry_run=False)
    assert result.ok, messages(result)
    assert Employee.objects.get().sex == sex


def test_sex_column_refuses_other_words_and_a_blank_keeps_the_stored_sex():
    headers = ["Surname", "Name", "Sex", "Position"]
    data = {"Surname": "Смирнова", "Name": "Ольга", "Sex": "да", "Position": "воспитатель"}
    result = staff_import(file=workbook([data], headers=headers), dry_run=False)
    assert not result.ok and Employee.objects.count() == 0
    EmployeeFactory(surname="Смирнова", name="Ольга", patronymic="", sex="female")
    result = staff_import(file=workbook([{**data, "Sex": ""}], headers=headers), dry_run=False)
    assert result.ok, messages(result)
    assert Employee.objects.get().sex == "female"
