"""The attestation calendar: the selector on literal dates, the admin page and its xlsx."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from staff.dates import add_months, add_years
from staff.models import Category, LeaveKind
from staff.selectors import DueKind, attestation_calendar, attestation_calendar_page, calendar_keys, dues_on
from tests.factories import (
    CategoryDecisionFactory,
    ConformityDecisionFactory,
    EmployeeFactory,
    LeaveFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
CALENDAR = "/admin/staff/employee/attestation-calendar/"


def _office():
    """Five teachers seen on 01.06.2027: each kind of due once."""
    legacy = EmployeeFactory(surname="Прежняя")
    CategoryDecisionFactory(employee=legacy, category=Category.HIGHEST, decision_date=D(2023, 8, 31))
    TrainingFactory(employee=legacy, hours=72, start_date=D(2025, 1, 10), end_date=D(2025, 1, 24))
    unlimited = EmployeeFactory(surname="Бессрочная")
    CategoryDecisionFactory(employee=unlimited, category=Category.FIRST, decision_date=D(2024, 3, 1))
    TrainingFactory(employee=unlimited, hours=36, start_date=D(2026, 9, 1), end_date=D(2026, 9, 10))
    conformity = EmployeeFactory(surname="Соответствует", hire_date=D(2012, 9, 1))
    ConformityDecisionFactory(employee=conformity, decision_date=D(2022, 11, 15))
    TrainingFactory(employee=conformity, hours=24, start_date=D(2026, 2, 1), end_date=D(2026, 2, 5))
    away = EmployeeFactory(surname="Декретная", hire_date=D(2019, 9, 1))
    LeaveFactory(employee=away, kind=LeaveKind.CHILD_CARE, start_date=D(2025, 3, 1), end_date=D(2028, 2, 29))
    TrainingFactory(employee=away, hours=72, start_date=D(2026, 1, 1), end_date=D(2026, 1, 10))
    open_leave = EmployeeFactory(surname="Беременная", hire_date=D(2019, 9, 1))
    LeaveFactory(employee=open_leave, kind=LeaveKind.PREGNANCY, start_date=D(2027, 3, 1), end_date=None)
    TrainingFactory(employee=open_leave, hours=72, start_date=D(2026, 11, 1), end_date=D(2026, 11, 20))
    return legacy, unlimited, conformity, away, open_leave


def _lines(dues):
    return [(d.employee.surname, d.kind, d.date, d.apply_by) for d in dues]


def test_calendar_lists_the_next_12_months_with_reasons():
    _office()
    rows = attestation_calendar(on=D(2027, 6, 1))
    assert _lines(rows) == [
        ("Соответствует", DueKind.CONFORMITY, D(2027, 11, 15), None),
        ("Прежняя", DueKind.COURSE, D(2028, 1, 24), None),
        ("Декретная", DueKind.EXEMPTION_ENDS, D(2028, 2, 29), None),
        ("Прежняя", DueKind.CATEGORY_ENDS, D(2028, 8, 31), D(2028, 5, 31)),
        ("Беременная", DueKind.EXEMPT, None, None),
    ]
    conformity, _course, exemption, category, exempt = rows
    assert "15.11.2022" in conformity.rule
    assert "28.02.2030" in exemption.rule  # conformity 2 years after her return (29.02 falls on 28.02)
    assert "31.08.2023" in category.rule
    assert "01.03.2027" in exempt.rule
    assert "Бессрочная" not in {d.employee.surname for d in rows if d.kind != DueKind.COURSE}


def test_calendar_filters_by_month_of_the_day_to_act():
    _office()
    rows = attestation_calendar(on=D(2027, 6, 1), month=D(2028, 5, 1))
    assert _lines(rows) == [("Прежняя", DueKind.CATEGORY_ENDS, D(2028, 8, 31), D(2028, 5, 31))]


def test_every_due_item_for_reminders_has_person_kind_date_and_reason():
    _office()
    dues = dues_on(on=D(2027, 6, 1))
    assert {d.kind for d in dues} == set(DueKind) - {DueKind.EXEMPT} | {DueKind.EXEMPT}
    assert all(d.reason and d.rule and d.employee.pk for d in dues)
    bessrochnaya = [d for d in dues if d.employee.surname == "Бессрочная"]
    assert [(d.kind, d.date) for d in bessrochnaya] == [(DueKind.COURSE, D(2029, 9, 10))]


def test_calendar_page_shows_rows_and_keeps_its_query_count(
    client, head, django_assert_num_queries, time_machine
):
    # A literal day: on the 29th–31st four months on and three back is not one month on.
    time_machine.move_to(datetime.datetime(2026, 10, 15, 10, tzinfo=timezone.get_current_timezone()))
    today = timezone.localdate()
    legacy = EmployeeFactory(surname="Скоро")
    CategoryDecisionFactory(
        employee=legacy,
        category=Category.FIRST,
        decision_date=D(2022, 1, 10),
        valid_until=add_months(today, 4),
    )
    TrainingFactory(employee=legacy, start_date=add_years(today, -1), end_date=add_years(today, -1))
    client.force_login(head)
    client.get(CALENDAR)
    # session, user, permissions (2); the keys of every due (5); the page's employees and their
    # decisions, conformity decisions, leaves and trainings (5)
    with django_assert_num_queries(14) as one:
        body = client.get(CALENDAR).content.decode()
    assert "Скоро" in body and add_months(today, 4).strftime("%d.%m.%Y") in body
    assert add_months(today, 1).strftime("%d.%m.%Y") in body  # apply 3 months before the end
    for index in range(6):
        employee = EmployeeFactory(surname=f"Без категории {index}", hire_date=add_years(today, -1))
        TrainingFactory(employee=employee, start_date=add_years(today, -1), end_date=add_years(today, -1))
        LeaveFactory(
            employee=employee, kind=LeaveKind.ILLNESS, start_date=add_months(today, -6), end_date=None
        )
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(CALENDAR).content.decode()
    assert body.count("Без категории") == 6


def test_calendar_month_filter_and_xlsx(client, senior, time_machine):
    # A literal day: on the 29th–31st four months on and three back is not one month on.
    time_machine.move_to(datetime.datetime(2026, 10, 15, 10, tzinfo=timezone.get_current_timezone()))
    today = timezone.localdate()
    legacy = EmployeeFactory(surname="Скоро")
    CategoryDecisionFactory(
        employee=legacy,
        category=Category.FIRST,
        decision_date=D(2022, 1, 10),
        valid_until=add_months(today, 4),
    )
    TrainingFactory(employee=legacy, start_date=add_years(today, -1), end_date=add_years(today, -1))
    unlimited = EmployeeFactory(surname="Бессрочная")
    CategoryDecisionFactory(employee=unlimited, category=Category.FIRST, decision_date=D(2024, 3, 1))
    TrainingFactory(employee=unlimited, start_date=add_years(today, -1), end_date=add_years(today, -1))
    client.force_login(senior)
    apply_month = add_months(today, 1).strftime("%Y-%m")
    body = client.get(CALENDAR + f"?month={apply_month}").content.decode()
    assert "Скоро" in body and "Бессрочная" not in body
    body = client.get(CALENDAR + f"?month={add_months(today, 2):%Y-%m}").content.decode()
    assert "Скоро" not in body
    response = client.get(reverse("admin:staff_employee_attestation_calendar_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_name = {}
    for row in rows[1:]:
        by_name.setdefault(row[0], []).append(row)
    assert rows[0][:4] == ("ФИО", rows[0][1], rows[0][2], rows[0][3])
    (ending,) = [r for r in by_name["Скоро Мария Ивановна"] if r[3] is not None]
    assert ending[2].date() == add_months(today, 4) and ending[3].date() == add_months(today, 1)
    assert ending[6].date() == add_years(today, 2)  # her next course due
    # A category granted after 01.09.2023 never ends: nothing of hers is due within the year.
    assert "Бессрочная Мария Ивановна" not in by_name


def test_teachers_cannot_open_the_calendar(client, anna):
    client.force_login(anna)
    assert client.get(CALENDAR).status_code == 302


@pytest.mark.parametrize("on", [D(2027, 6, 1), D(2025, 3, 1), D(2028, 2, 29), D(2030, 2, 28)])
def test_calendar_keys_have_the_dates_of_every_due(on):
    """The page's light reading gives each due the date `employee_dues` gives it, and the order."""
    _office()
    # More shapes: a category "none" decision, two conformity decisions, a leave over a due date,
    # a dismissed teacher, no hire date, a short course that does not count, a title.
    none = EmployeeFactory(surname="Нет", hire_date=None)
    CategoryDecisionFactory(
        employee=none, category=Category.NONE, decision_date=D(2024, 1, 1), valid_until=None
    )
    twice = EmployeeFactory(surname="Дважды", hire_date=D(2010, 2, 28))
    ConformityDecisionFactory(employee=twice, decision_date=D(2020, 2, 29))
    ConformityDecisionFactory(employee=twice, decision_date=D(2016, 5, 5))
    LeaveFactory(employee=twice, kind=LeaveKind.ILLNESS, start_date=D(2024, 9, 1), end_date=D(2026, 1, 31))
    LeaveFactory(employee=twice, kind=LeaveKind.MATERNITY, start_date=D(2026, 6, 1), end_date=D(2027, 8, 1))
    EmployeeFactory(surname="Ушла", dismissal_date=D(2024, 1, 1))
    short = EmployeeFactory(surname="Коротко", hire_date=D(2023, 9, 1))
    TrainingFactory(employee=short, hours=8, start_date=D(2026, 1, 1), end_date=D(2026, 1, 2))
    TrainingFactory(employee=short, hours=None, start_date=D(2024, 2, 1), end_date=D(2024, 2, 29))
    titled = EmployeeFactory(surname="Методистова")
    CategoryDecisionFactory(employee=titled, category=Category.HIGHEST, decision_date=D(2021, 4, 30))
    CategoryDecisionFactory(employee=titled, category=Category.METHODIST, decision_date=D(2024, 4, 30))
    expected = [(d.employee.pk, d.kind, d.date, d.apply_by) for d in dues_on(on=on)]
    keys = [(k.employee_id, k.kind, k.date, k.apply_by) for k in calendar_keys(on=on)]
    assert keys == expected and len({k[1] for k in keys}) >= 3


def test_calendar_page_pages_the_rows_and_shows_the_first_exempt(client, senior):
    today = timezone.localdate()
    for index in range(7):  # no category, hired long ago: conformity and course overdue
        EmployeeFactory(surname=f"Должница{index}", hire_date=D(2010, 9, 1))
    for index in range(3):
        away = EmployeeFactory(surname=f"Отпускница{index}", hire_date=D(2010, 9, 1))
        LeaveFactory(
            employee=away, kind=LeaveKind.CHILD_CARE, start_date=add_months(today, -1), end_date=None
        )
    page = attestation_calendar_page(on=today, per_page=5, exempt_shown=2)
    everything = attestation_calendar(on=today)
    dated = [d for d in everything if d.date is not None]
    assert [(d.employee.pk, d.kind) for d in page.rows] == [(d.employee.pk, d.kind) for d in dated[:5]]
    assert page.page.paginator.count == len(dated) == 17 and page.page.paginator.num_pages == 4
    assert len(page.exempt) == 2 and page.exempt_total == 3
    last = attestation_calendar_page(on=today, per_page=5, page_number=4)
    assert [(d.employee.pk, d.kind) for d in last.rows] == [(d.employee.pk, d.kind) for d in dated[15:]]
    client.force_login(senior)
    body = client.get(CALENDAR, {"page": 2}).content.decode()
    assert 'id="calendar-pager"' not in body  # 17 rows: one page of 50


def test_calendar_page_links_the_next_pages_keeping_the_month(client, senior, monkeypatch):
    monkeypatch.setattr("staff.admin.CALENDAR_PAGE_SIZE", 2)
    for index in range(3):
        EmployeeFactory(surname=f"Должница{index}", hire_date=D(2010, 9, 1))  # conformity and course
    client.force_login(senior)
    first = client.get(CALENDAR).content.decode()
    assert 'id="calendar-pager"' in first and 'href="?page=3"' in first and first.count("Должница") == 2
    third = client.get(CALENDAR, {"page": 3}).content.decode()
    assert third.count('<tr data-kind="') == 2
    month = timezone.localdate().strftime("%Y-%m")
    in_month = client.get(CALENDAR, {"month": month}).content.decode()
    assert f'href="?month={month}&amp;page=2"' in in_month
