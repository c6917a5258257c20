"""The month's plan as the city methodological centre (ИМЦ) sends it, and the plan's export in the
import's own layout: exporting then importing changes nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from events.importing import event_import, plan_workbook
from events.models import (
    Direction,
    Event,
    EventFormat,
    EventStatus,
    Level,
    Series,
)
from kindergarten_portal.models import Organization, OrganizationKind
from tests.events.factories import EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

IMC_HEADER = ["№ п/п", "Дата", "Время", "Мероприятие", "Форма проведения", "Место проведения", "Ответственный", "Категория участников"]  # fmt: skip
IMC_ROWS = [
    [1, datetime.datetime(2027, 2, 10), "10:00–12:00", "Развивающая среда группы", "семинар-практикум",
     "МБДОУ № 15", "Петрова И. И., МБДОУ № 15", "воспитатели средних групп"],
    [2, "17.02.2027", "14.00", "Мастер-класс «Нетрадиционные техники рисования»", "",
     "ИМЦ, ауд. 12", "Сидорова А. А.", "воспитатели"],
    [3, "24 февраля 2027 г.", "с 9.30 до 11.00", "Речевое развитие в игре", "Открытый показ НОД/ООД",
     "Детский сад № 7", "Орлова Н. В., методист ИМЦ", "учителя-логопеды"],
]  # fmt: skip


def local(*args):
    return timezone.make_aware(datetime.datetime(*args))


def imc_workbook(header=IMC_HEADER, rows=IMC_ROWS):
    wb = Workbook()
    ws = wb.active
    ws.append(["План работы ИМЦ на февраль 2027 г."])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["Утверждаю: директор ИМЦ"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.fixture
def partners():
    return (
        OrganizationFactory(
            name="Информационно-методический центр", short_name="ИМЦ", kind=OrganizationKind.IMC
        ),
        OrganizationFactory(name="МБДОУ «Детский сад № 15»", short_name="МБДОУ № 15"),
    )


def test_the_imc_plan_goes_in_without_retyping(partners):
    imc, kindergarten = partners
    result = event_import(file=imc_workbook(), dry_run=False)
    assert result.ok, [str(e) for e in result.errors]
    assert [(r.row, r.action) for r in result.rows] == [(4, "create"), (5, "create"), (6, "create")]
    assert len(result.notes) == 1  # no level column: the events are municipal, and the dry run says so
    assert result.ignored_columns == []

    events = list(Event.objects.order_by("start"))
    assert [(e.title, e.format, e.level, e.organizer, e.start, e.end) for e in events] == [
        ("Развивающая среда группы", EventFormat.WORKSHOP, Level.MUNICIPAL, kindergarten,
         local(2027, 2, 10, 10, 0), local(2027, 2, 10, 12, 0)),
        ("Мастер-класс «Нетрадиционные техники рисования»", EventFormat.MASTER_CLASS, Level.MUNICIPAL, imc,
         local(2027, 2, 17, 14, 0), None),
        ("Речевое развитие в игре", EventFormat.OPEN_SHOW, Level.MUNICIPAL, imc,
         local(2027, 2, 24, 9, 30), local(2027, 2, 24, 11, 0)),
    ]  # fmt: skip
    assert [e.responsible for e in events] == [
        "Петрова И. И., МБДОУ № 15",
        "Сидорова А. А.",
        "Орлова Н. В., методист ИМЦ",
    ]
    assert [e.audience for e in events] == ["воспитатели средних групп", "воспитатели", "учителя-логопеды"]
    assert {e.status for e in events} == {EventStatus.PLANNED}
    # The end was not given: none is invented, so the event has no length, and the row says so.
    assert [str(n) for n in result.rows[1].notes] == [
        "не указано окончание: у мероприятия нет продолжительности"
    ]
    assert [e.length_hours for e in events] == [Decimal(2), None, Decimal("1.5")]

    again = event_import(file=imc_workbook(), dry_run=False)
    assert [r.action for r in again.rows] == ["unchanged", "unchanged", "unchanged"]


def test_a_level_column_takes_usual_names(partners):
    header = ["Дата", "Время", "Мероприятие", "Форма", "Уровень", "Ответственный"]
    rows = [
        ["10.02.2027", "10:00-12:00", "Семинар по речи", "семинар", "городской", "ИМЦ"],
        ["11.02.2027", "10:00-12:00", "Конкурс чтецов", "конкурс", "Областной", "ИМЦ"],
        ["12.02.2027", "10:00-12:00", "Педсовет", "круглый стол", "уровень ДОУ", "ИМЦ"],
    ]
    result = event_import(file=imc_workbook(header, rows), dry_run=False)
    assert result.ok, [str(e) for e in result.errors]
    assert result.notes == []
    assert list(Event.objects.order_by("start").values_list("level", flat=True)) == [
        Level.MUNICIPAL,
        Level.REGIONAL,
        Level.INSTITUTIONAL,
    ]


@pytest.mark.parametrize(
    "change,column,fragment",
    [
        ({2: "утром"}, "Время", "«утром»"),
        ({2: ""}, "Время", ""),
        ({1: "30.02.2027"}, "Дата", "«30.02.2027»"),
        ({4: "пикник"}, "Форма проведения", "«пикник»"),
        ({3: "Встреча коллег", 4: ""}, "Форма проведения", ""),
        ({6: ""}, "Ответственный", ""),
    ],
    ids=["time", "no-time", "date", "format", "format-not-in-title", "no-responsible"],
)
def test_each_bad_value_is_named_and_nothing_is_written(partners, change, column, fragment):
    bad = list(IMC_ROWS[1])
    for index, value in change.items():
        bad[index] = value
    result = event_import(file=imc_workbook(rows=[IMC_ROWS[0], bad]), dry_run=False)
    assert [(e.row, e.column) for e in result.errors] == [(5, column)]
    assert fragment in result.errors[0].message
    assert not Event.objects.exists()


def test_without_a_single_city_centre_the_responsible_person_must_name_a_partner():
    OrganizationFactory(name="МБДОУ «Детский сад № 15»", short_name="МБДОУ № 15")
    result = event_import(file=imc_workbook(rows=IMC_ROWS[:2]), dry_run=True)
    assert [(e.row, e.column) for e in result.errors] == [(5, "Ответственный")]


def _plan():
    imc = OrganizationFactory(
        name="Информационно-методический центр", short_name="ИМЦ", kind=OrganizationKind.IMC
    )
    series = Series.objects.create(
        theme="Игра – как форма организации детской жизни",
        academic_year=2026,
        host=Organization.objects.own_or_create(),
    )
    direction = Direction.objects.create(name="Речевое развитие")
    return [
        EventFactory(
            title="Семинар «Игра»",
            organizer=imc,
            start=local(2027, 2, 10, 10, 0),
            end=local(2027, 2, 10, 12, 0),
            capacity=25,
            signup_deadline=local(2027, 2, 7, 23, 59),
            is_open=True,
            series=series,
            direction=direction,
            audience="воспитатели",
            description="Опыт организации\nцентров активности",
            responsible="Петрова И. И.",
        ),
        EventFactory(
            title="Фестиваль «Весна»",
            format=EventFormat.FESTIVAL,
            level=Level.REGIONAL,
            organizer=imc,
            start=local(2027, 2, 20, 9, 0),
            end=local(2027, 2, 21, 17, 30),  # over two days
            signup_deadline=local(2027, 2, 15, 18, 30),
            place="",
        ),
        EventFactory(
            title="Консультация",
            format=EventFormat.CONSULTATION,
            organizer=imc,
            status=EventStatus.HELD,
            start=local(2027, 2, 25, 15, 0),
            end=local(2027, 2, 25, 16, 0),
        ),  # fmt: skip
    ]


def test_export_then_import_changes_nothing():
    events = _plan()
    before = list(Event.objects.order_by("pk").values())
    content = plan_workbook(
        Event.objects.order_by("start").select_related("organizer", "series", "direction")
    )
    result = event_import(file=io.BytesIO(content), dry_run=False)
    assert result.ok, [str(e) for e in result.errors]
    assert [(r.row, r.action, r.obj) for r in result.rows] == [
        (n, "unchanged", e) for n, e in enumerate(events, 2)
    ]
    assert list(Event.objects.order_by("pk").values()) == before


def test_the_office_downloads_the_month_in_the_import_layout(client, senior):
    _plan()
    client.force_login(senior)
    response = client.get(reverse("events:month_xlsx", args=[2027, 2]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]][:6] == ["Название", "Форма проведения", "Уровень", "Организатор", "Начало", "Окончание"]  # fmt: skip
    assert [sheet.cell(row=n, column=1).value for n in (2, 3, 4)] == ["Семинар «Игра»", "Фестиваль «Весна»", "Консультация"]  # fmt: skip
    before = list(Event.objects.order_by("pk").values())
    result = event_import(file=io.BytesIO(content), dry_run=False)
    assert [r.action for r in result.rows] == ["unchanged", "unchanged", "unchanged"]
    assert list(Event.objects.order_by("pk").values()) == before


def test_the_month_page_offers_the_download_to_the_office_only(client, senior, anna):
    client.force_login(senior)
    assert (
        reverse("events:month_xlsx", args=[2027, 2])
        in client.get(reverse("events:month", args=[2027, 2])).content.decode()
    )
    client.force_login(anna)
    assert "plan.xlsx" not in client.get(reverse("events:month", args=[2027, 2])).content.decode()


def test_the_event_admin_exports_selected_events(client, senior):
    events = _plan()
    client.force_login(senior)
    response = client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_plan", "_selected_action": [events[0].pk, events[1].pk]},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [sheet.cell(row=n, column=1).value for n in (2, 3)] == ["Семинар «Игра»", "Фестиваль «Весна»"]
    assert sheet.cell(row=2, column=13).value == "да" and sheet.cell(row=3, column=6).value.day == 21
