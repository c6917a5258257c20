"""End to end: the senior educator imports the network's month plan from the office's workbook through
the admin: a file with a bad row is refused whole, the corrected one is checked by a dry run, then
imported."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, EventFormat, EventStatus, Level
from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from tests.browser_steps import new_page, open_menu_link, sign_in, xlsx_upload
from tests.factories import UserFactory

from .factories import OrganizationFactory

pytestmark = pytest.mark.browser

HEADER = [
    "Название",
    "Форма проведения",
    "Уровень",
    "Организатор",
    "Начало",
    "Окончание",
    "Место проведения",
    "Ссылка для подключения",
    "Описание",
    "Целевая аудитория",
    "Количество мест",
    "Срок записи",
    "Открыто для партнёров",
    "Годовой семинар",
    "Направление",
]
WORKSHOP = [
    "Развивающая предметно-пространственная среда группы",
    "семинар-практикум",
    "муниципальный",
    "ИМЦ",
    datetime.datetime(2027, 2, 10, 10, 0),
    "12:00",
    "МБДОУ № 15, ул. Ленина, 5",
    "",
    "Опыт организации центров активности",
    "воспитатели средних групп",
    25,
    datetime.date(2027, 2, 7),
    "да",
    "",
    "",
]
# Excel shows the start and the deadline as dates, as in the office's own file.
FORMATS = {"E2": "DD.MM.YYYY HH:MM", "L2": "DD.MM.YYYY"}


def master_class(organizer):
    # Typed as text, the way a plan copied from a letter often is.
    return [
        "Мастер-класс «Нетрадиционные техники рисования»",
        "мастер-класс",
        "муниципальный",
        organizer,
        "17.02.2027 14:00",
        "15:30",
        "Детский сад № 7",
        "",
        "",
        "воспитатели",
        "",
        "",
        "нет",
        "",
        "",
    ]


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.django_db(transaction=True)
def test_event_plan_import_refuses_a_bad_row_then_dry_runs_and_imports(live_server, new_context):
    UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    imc = OrganizationFactory(name="Информационно-методический центр", short_name="ИМЦ")

    office = new_page(new_context)
    sign_in(office, live_server.url, "metodist")
    open_menu_link(office, "Администрирование")
    office.get_by_role("link", name="Мероприятия", exact=True).click()
    office.get_by_role("link", name="Импорт плана на месяц").click()
    expect(office.get_by_role("heading", name="Импорт плана на месяц из Excel")).to_be_visible()
    workbook = office.get_by_label("Книга Excel (.xlsx)")

    # An organizer that is not among the partners: the row and the column are named, nothing written.
    bad = xlsx_upload(
        "plan-fevral.xlsx", [HEADER, WORKSHOP, master_class("ГМО музыкальных руководителей")], formats=FORMATS
    )
    workbook.set_input_files(bad)
    office.get_by_role("button", name="Проверить (пробный прогон)").click()
    expect(office.locator("#import-errors li")).to_have_text(
        [
            "Строка 3, столбец «Организатор»: неизвестная организация «ГМО музыкальных руководителей»; "
            "сначала добавьте её в список партнёров."
        ]
    )
    workbook.set_input_files(bad)
    office.get_by_role("button", name="Импортировать").click()
    expect(office.locator(".messagelist")).to_have_text(
        "Ничего не импортировано: исправьте ошибки ниже и загрузите файл снова."
    )
    expect(office.locator("#import-errors li")).to_have_count(1)
    assert not Event.objects.exists()

    # The corrected file: the dry run lists the events and writes nothing.
    fixed = xlsx_upload("plan-fevral.xlsx", [HEADER, WORKSHOP, master_class("ИМЦ")], formats=FORMATS)
    workbook.set_input_files(fixed)
    office.get_by_role("button", name="Проверить (пробный прогон)").click()
    expect(office.get_by_role("heading", name="Пробный прогон: пока ничего не записано")).to_be_visible()
    expect(office.locator("#import-summary")).to_have_text("Создать: 2; обновить: 0; без изменений: 0.")
    rows = office.locator("#content table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("10.02.2027 10:00")
    expect(rows.nth(0)).to_contain_text("Развивающая предметно-пространственная среда группы")
    expect(rows.nth(1)).to_contain_text("17.02.2027 14:00")
    expect(rows.nth(1)).to_contain_text("создать")
    assert not Event.objects.exists()

    # Chosen again (the browser does not keep it) and imported.
    workbook.set_input_files(fixed)
    office.get_by_role("button", name="Импортировать").click()
    expect(office.get_by_role("heading", name="Импортировано", exact=True)).to_be_visible()
    expect(office.locator(".messagelist")).to_have_text(
        "Импорт выполнен: создано 2, обновлено 0, без изменений 0."
    )
    workshop = Event.objects.get(title="Развивающая предметно-пространственная среда группы")
    assert (workshop.format, workshop.level, workshop.organizer) == (
        EventFormat.WORKSHOP,
        Level.MUNICIPAL,
        imc,
    )
    assert (workshop.start, workshop.end) == (local(2027, 2, 10, 10, 0), local(2027, 2, 10, 12, 0))
    assert workshop.signup_deadline == local(2027, 2, 7, 23, 59)
    assert (workshop.capacity, workshop.is_open, workshop.status) == (25, True, EventStatus.PLANNED)
    assert workshop.place == "МБДОУ № 15, ул. Ленина, 5"
    drawing = Event.objects.get(title="Мастер-класс «Нетрадиционные техники рисования»")
    assert (drawing.start, drawing.end) == (local(2027, 2, 17, 14, 0), local(2027, 2, 17, 15, 30))
    assert (drawing.capacity, drawing.is_open, drawing.signup_deadline) == (None, False, None)
    assert Event.objects.count() == 2
