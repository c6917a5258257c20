import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from openpyxl import Workbook, load_workbook

from events.importing import event_import, event_import_template
from events.models import Event, EventFormat, EventStatus, Level
from kindergarten_portal.models import Organization
from tests.events.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

HEADERS = [
    "Title",
    "Format",
    "Level",
    "Organizer",
    "Start",
    "End",
    "Place",
    "Capacity",
    "Sign-up deadline",
    "Open to partners",
]


def _day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _workbook(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _good_rows():
    start = datetime.datetime.combine(_day(20), datetime.time(10, 0))
    return [
        ["Семинар по речи", "seminar", "municipal", "ГМО воспитателей", start, "12:00", "ИМЦ", 20, _day(18), "да"],
        ["Мастер-класс", "master class", "regional", "ИМЦ", f"{_day(21):%d.%m.%Y} 14:00", f"{_day(21):%d.%m.%Y} 16:00", "", "", "", "нет"],
    ]  # fmt: skip


@pytest.fixture
def organizers():
    OrganizationFactory(name="ГМО воспитателей дошкольных организаций", short_name="ГМО воспитателей")
    OrganizationFactory(name="Информационно-методический центр", short_name="ИМЦ")


def test_dry_run_checks_and_writes_nothing(organizers):
    result = event_import(file=_workbook(_good_rows()), dry_run=True)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 2
    assert not result.written
    assert not Event.objects.exists()


def test_import_writes_every_row_as_planned(organizers):
    result = event_import(file=_workbook(_good_rows()), dry_run=False)
    assert result.written
    seminar = Event.objects.get(title="Семинар по речи")
    assert seminar.status == EventStatus.PLANNED
    assert seminar.format == EventFormat.SEMINAR
    assert seminar.level == Level.MUNICIPAL
    assert seminar.organizer.short_name == "ГМО воспитателей"
    assert timezone.localtime(seminar.start).time() == datetime.time(10, 0)
    assert timezone.localtime(seminar.end).time() == datetime.time(12, 0)
    assert seminar.capacity == 20
    assert timezone.localtime(seminar.signup_deadline).date() == _day(18)
    assert seminar.is_open is True
    master = Event.objects.get(title="Мастер-класс")
    assert master.format == EventFormat.MASTER_CLASS
    assert master.level == Level.REGIONAL
    assert master.capacity is None and master.is_open is False
    # Kept by our kindergarten's office, whoever organizes them.
    assert {event.host for event in (seminar, master)} == {Organization.objects.own()}


def test_import_again_updates_instead_of_duplicating(organizers):
    event_import(file=_workbook(_good_rows()), dry_run=False)
    rows = _good_rows()
    rows[0][7] = 30
    result = event_import(file=_workbook(rows), dry_run=False)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Event.objects.count() == 2
    assert Event.objects.get(title="Семинар по речи").capacity == 30


def test_reimport_of_an_unchanged_plan_changes_nothing(organizers, client, senior, tmp_path):
    event_import(file=_workbook(_good_rows()), dry_run=False)
    stamps = dict(Event.objects.values_list("pk", "updated_at"))
    result = event_import(file=_workbook(_good_rows()), dry_run=False)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert [row.action for row in result.rows] == ["unchanged", "unchanged"]
    assert dict(Event.objects.values_list("pk", "updated_at")) == stamps

    plan = tmp_path / "plan.xlsx"
    plan.write_bytes(_workbook(_good_rows()).getvalue())
    out = io.StringIO()
    with override("en"):
        call_command("import_events", str(plan), stdout=out)
    assert "Created 0, updated 0; 2 unchanged." in out.getvalue()

    client.force_login(senior)
    response = client.post(reverse("admin:events_event_import"), {"file": _named(_workbook(_good_rows()))})
    assert response.context["result"].unchanged == 2
    assert response.content.decode().count("<td>без изменений</td>") == 2


def test_one_bad_row_writes_nothing_and_is_named(organizers):
    rows = _good_rows()
    start = datetime.datetime.combine(_day(22), datetime.time(15, 0))
    rows.append(
        ["Круглый стол", "round table", "municipal", "ГМО воспитателей", start, "13:00", "", "", "", ""]
    )
    rows.append(
        ["Конкурс", "competition", "галактический", "Неизвестный центр", start, "17:00", "", "-3", "", ""]
    )
    result = event_import(file=_workbook(rows), dry_run=False)
    assert not result.written
    assert not Event.objects.exists()
    messages = [str(e) for e in result.errors]
    # Ends before it starts: the column is named as the file names it.
    assert [e.column for e in result.errors if e.row == 4] == ["End"]
    assert {e.row for e in result.errors} == {4, 5}
    assert any("галактический" in m for m in messages)
    assert any("Неизвестный центр" in m for m in messages)
    assert any("-3" in m for m in messages)


def test_missing_required_column_is_reported(organizers):
    result = event_import(file=_workbook([["Семинар"]], headers=["Title"]), dry_run=False)
    assert not result.written
    # The format may be told from the title, the level defaults to municipal, the end may be left empty.
    assert [e.message.split(".")[0] for e in result.errors] == [
        "Нет обязательного столбца «Организатор»",
        "Нет обязательного столбца «Начало»",
    ]


def test_not_a_workbook_is_reported():
    result = event_import(file=io.BytesIO(b"not a zip"), dry_run=True)
    assert result.errors and result.errors[0].row is None


def test_template_reimports_once_the_organizer_exists():
    OrganizationFactory(name="ГМО воспитателей")
    result = event_import(file=io.BytesIO(event_import_template()), dry_run=True)
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 1
    assert load_workbook(io.BytesIO(event_import_template())).active.freeze_panes == "A2"


def test_command_dry_run_and_failure(organizers, tmp_path):
    good = tmp_path / "plan.xlsx"
    good.write_bytes(_workbook(_good_rows()).getvalue())
    out = io.StringIO()
    call_command("import_events", str(good), "--dry-run", stdout=out)
    assert "Семинар по речи" in out.getvalue()
    # Each row says what happens to it in Russian, and the output ends its last line.
    assert ": создать " in out.getvalue() and ": create " not in out.getvalue()
    assert out.getvalue().endswith("\n")
    assert not Event.objects.exists()
    call_command("import_events", str(good), stdout=io.StringIO())
    assert Event.objects.count() == 2

    rows = _good_rows()
    rows[1][3] = "Нет такой"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_workbook(rows).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_events", str(bad), stderr=err, stdout=io.StringIO())
    assert "3" in err.getvalue() and "Нет такой" in err.getvalue()


def test_admin_import_view_checks_then_imports(client, senior, organizers):
    client.force_login(senior)
    url = reverse("admin:events_event_import")
    response = client.post(url, {"file": _named(_workbook(_good_rows())), "check": "1"})
    assert response.status_code == 200
    assert response.context["result"].created == 2
    assert not Event.objects.exists()
    response = client.post(url, {"file": _named(_workbook(_good_rows())), "apply": "1"})
    assert response.context["result"].written
    assert Event.objects.count() == 2


def test_admin_import_with_bad_row_names_it(client, senior, organizers):
    rows = _good_rows()
    rows[1][1] = "пикник"
    client.force_login(senior)
    response = client.post(
        reverse("admin:events_event_import"), {"file": _named(_workbook(rows)), "apply": "1"}
    )
    content = response.content.decode()
    assert "пикник" in content
    assert "3" in content
    assert not Event.objects.exists()


def _named(buffer):
    buffer.name = "plan.xlsx"
    return buffer


def test_deadline_in_a_date_cell_lasts_until_the_end_of_that_day(organizers):
    # openpyxl reads a date cell as a datetime at midnight; the office means the whole day.
    rows = _good_rows()
    rows[0][4] = datetime.datetime(2027, 2, 10, 10, 0)
    rows[0][8] = datetime.date(2027, 2, 7)
    rows[1][4:6] = ["10.02.2027 14:00", "16:00"]
    rows[1][8] = datetime.datetime(2027, 2, 7, 18, 30)  # a date and time is kept as it is
    event_import(file=_workbook(rows), dry_run=False)
    seminar = Event.objects.get(title="Семинар по речи")
    assert seminar.signup_deadline == timezone.make_aware(datetime.datetime(2027, 2, 7, 23, 59))
    master = Event.objects.get(title="Мастер-класс")
    assert master.signup_deadline == timezone.make_aware(datetime.datetime(2027, 2, 7, 18, 30))
