"""End to end: the senior educator creates a teacher's sign-in in the admin; the teacher sets her
password by the e-mailed link on her phone, signs in and sees her page. The staff list is imported
from the office's workbook through the admin, with a dry run first."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from kindergarten_portal.access.roles import SENIOR_EDUCATOR, TEACHER
from staff.models import EducationLevel, Employee, KindergartenGroup, Position
from tests.browser_steps import new_page, open_menu_link, sign_in, xlsx_upload
from tests.factories import EmployeeFactory, UserFactory
from tests.outbox import send_queued

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Ромашка-весна-2026"


@pytest.mark.django_db(transaction=True)
def test_account_created_password_set_by_mailed_link_and_signed_in(live_server, new_context):
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    employee = EmployeeFactory(surname="Васильева", name="Ольга", email="vasilyeva@example.org")

    office = new_page(new_context)
    sign_in(office, live_server.url, "metodist")
    open_menu_link(office, "Кадры")
    office.locator("#result_list tr", has_text="Васильева").get_by_role("checkbox").check()
    office.get_by_role("combobox", name=re.compile("^Действие")).select_option(
        label="Создать учётные записи и отправить ссылку для установки пароля"
    )
    office.get_by_role("button", name="Выполнить").click()
    expect(office.locator(".messagelist")).to_contain_text(
        "Создана 1 учётная запись: Васильева О.И. (vasilyeva)."
    )

    employee.refresh_from_db()
    user = employee.user
    assert user.username == "vasilyeva" and user.email == "vasilyeva@example.org"
    assert list(user.groups.values_list("name", flat=True)) == [TEACHER]
    assert send_queued() == 1  # the sender, as cron runs it
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vasilyeva@example.org"]
    assert "vasilyeva" in message.body  # her login
    [link] = [url for url in re.findall(r"https?://\S+", message.body) if "/reset/" in url]
    assert link.startswith(live_server.url)

    teacher = new_page(new_context, phone=True)
    teacher.goto(link)
    expect(teacher.get_by_role("heading", name="Новый пароль")).to_be_visible()
    teacher.locator("#id_new_password1").fill(NEW_PASSWORD)
    teacher.locator("#id_new_password2").fill(NEW_PASSWORD)
    teacher.get_by_role("button", name="Сохранить").click()
    expect(teacher.get_by_role("heading", name="Пароль установлен")).to_be_visible()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once only.
    teacher.goto(link)
    expect(teacher.get_by_role("heading", name="Новый пароль")).to_be_visible()
    expect(teacher.locator("#id_new_password1")).to_have_count(0)

    teacher.go_back()
    teacher.get_by_role("link", name="Продолжить").click()
    expect(teacher.get_by_role("heading", name="Войти")).to_be_visible()
    teacher.get_by_label("Имя пользователя").fill("vasilyeva")
    teacher.get_by_label("Пароль").fill(NEW_PASSWORD)
    teacher.get_by_role("button", name="Войти").click()
    expect(teacher.get_by_role("heading", name="Здравствуйте, Ольга Васильева")).to_be_visible()
    open_menu_link(teacher, "Моя страница")
    expect(teacher.get_by_role("heading", name="Васильева Ольга Ивановна")).to_be_visible()
    assert get_user_model().objects.filter(username="vasilyeva").count() == 1


HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Должность",
    "Группы",
    "Уровень образования",
    "Учебное заведение",
    "Год окончания",
    "Специальность",
    "Начало педагогического стажа",
    "Дата приёма",
    "Телефон",
    "E-mail",
]
PETROVA = [
    "Петрова",
    "Елена",
    "Сергеевна",
    "воспитатель",
    "Солнышко",
    "высшее",
    "Уральский государственный педагогический университет",
    2010,
    "Дошкольная педагогика и психология",
    datetime.date(2010, 9, 1),
    datetime.date(2018, 8, 27),
    "+7 912 345-67-89",
    "petrova@example.org",
]
# Already on record (from the factory: experience since 01.09.2015, hired 01.09.2016): a new phone.
ANTONOVA = [
    "Антонова",
    "Мария",
    "Ивановна",
    "воспитатель",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "+7 900 111-22-33",
    "",
]


def sidorova(hire_date):
    return [
        "Сидорова",
        "Анна",
        "Павловна",
        "музыкальный руководитель",
        "Ромашка; Солнышко",
        "среднее профессиональное",
        "Свердловский областной педагогический колледж",
        2021,
        "Музыкальное образование",
        datetime.date(2021, 9, 1),
        hire_date,
        "",
        "",
    ]


@pytest.mark.django_db(transaction=True)
def test_staff_import_refuses_a_bad_row_then_dry_runs_and_imports(live_server, new_context):
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    antonova = EmployeeFactory(surname="Антонова", name="Мария", patronymic="Ивановна")

    office = new_page(new_context)
    sign_in(office, live_server.url, "metodist")
    open_menu_link(office, "Кадры")
    office.get_by_role("link", name="Импорт из Excel").click()
    expect(office.get_by_role("heading", name="Импорт сотрудников из Excel")).to_be_visible()
    workbook = office.get_by_label("Книга Excel (.xlsx)")

    # A hire date that does not exist: the row and the column are named, nothing is written.
    workbook.set_input_files(xlsx_upload("kadry.xlsx", [HEADER, PETROVA, ANTONOVA, sidorova("31.02.2021")]))
    office.get_by_role("button", name="Импортировать").click()
    expect(office.locator(".messagelist")).to_have_text(
        "Ничего не импортировано: исправьте ошибки ниже и загрузите файл снова."
    )
    expect(office.locator("#import-errors li")).to_have_text(
        ["Строка 4, столбец «Дата приёма»: «31.02.2021» — не дата; используйте ДД.ММ.ГГГГ."]
    )
    assert list(Employee.objects.all()) == [antonova]
    assert not KindergartenGroup.objects.exists()
    antonova.refresh_from_db()
    assert antonova.phone == ""

    # The corrected file: the dry run shows what would change, and still writes nothing.
    fixed = xlsx_upload("kadry.xlsx", [HEADER, PETROVA, ANTONOVA, sidorova(datetime.date(2021, 9, 1))])
    workbook.set_input_files(fixed)
    office.get_by_role("button", name="Проверить (пробный прогон)").click()
    expect(office.get_by_role("heading", name="Пробный прогон: пока ничего не записано")).to_be_visible()
    expect(office.locator("#import-summary")).to_contain_text("Создать: 2; обновить: 1; без изменений: 0.")
    rows = office.locator("#content table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Петрова Елена Сергеевна")
    expect(rows.nth(0)).to_contain_text("создать")
    expect(rows.nth(1)).to_contain_text("Антонова Мария Ивановна")
    expect(rows.nth(1)).to_contain_text("обновить")
    expect(rows.nth(2)).to_contain_text("Сидорова Анна Павловна")
    assert Employee.objects.count() == 1

    # The browser does not keep a chosen file after the page reloads: she chooses it again.
    workbook.set_input_files(fixed)
    office.get_by_role("button", name="Импортировать").click()
    expect(office.get_by_role("heading", name="Импортировано", exact=True)).to_be_visible()
    expect(office.locator(".messagelist")).to_have_text(
        "Импорт выполнен: создано 2, обновлено 1, без изменений 0."
    )
    petrova = Employee.objects.get(surname="Петрова")
    assert (petrova.name, petrova.patronymic, petrova.position) == ("Елена", "Сергеевна", Position.EDUCATOR)
    assert petrova.education_level == EducationLevel.HIGHER and petrova.education_year == 2010
    assert (petrova.experience_start, petrova.hire_date) == (
        datetime.date(2010, 9, 1),
        datetime.date(2018, 8, 27),
    )
    assert (petrova.phone, petrova.email) == ("+7 912 345-67-89", "petrova@example.org")
    assert [g.name for g in petrova.groups.all()] == ["Солнышко"]
    sidorova_record = Employee.objects.get(surname="Сидорова")
    assert sidorova_record.position == Position.MUSIC_DIRECTOR
    assert sorted(g.name for g in sidorova_record.groups.all()) == ["Ромашка", "Солнышко"]
    antonova.refresh_from_db()
    assert antonova.phone == "+7 900 111-22-33"
    assert antonova.hire_date == datetime.date(2016, 9, 1)  # left blank in the file: kept
    assert Employee.objects.count() == 3
