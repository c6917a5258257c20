"""The staff import at scale: a fixed number of queries whatever the number of rows, and the rules
a save of one record carries (portfolio entries, a dismissed teacher's sign-ups, the title rule)
kept by its bulk writes."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from events.models import Participation, ParticipationStatus
from kindergarten_portal.models import Organization
from portfolios.models import EntryStatus, PortfolioEntry, StatusChange
from staff.importing import staff_import
from staff.models import Category, CategoryDecision, Employee, Training, TrainingKind
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.factories import (
    CategoryDecisionFactory,
    EmployeeFactory,
    KindergartenGroupFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db

HEADER = ["ФИО", "Должность", "Группа", "Телефон", "Категория", "Дата присвоения", "Приказ", "Курсы",
          "Кол-во часов", "Дата окончания курсов"]  # fmt: skip


def person(n, *, surname="Петрова", group="Солнышко", category="первая", order="", hours=72):
    return [f"{surname} Ольга{'а' * n} Ивановна", "воспитатель", group, f"+7 900 000-00-{n:02d}",
            category, "28.03.2024", order, "Реализация ФОП ДО", hours, "18.04.2025"]  # fmt: skip


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(["Список педагогических работников"])
    ws.append(HEADER)
    for values in rows:
        ws.append(values)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def queries(file, *, dry_run=False):
    with CaptureQueriesContext(connection) as captured:
        result = staff_import(file=file, dry_run=dry_run)
    assert result.ok, [str(e) for e in result.errors]
    return len(captured)


# On SQLite Django splits a bulk statement at 999 parameters (some 40 rows of these tables), so
# there the count grows by such batches; PostgreSQL writes the rows of a batch in one statement.
def test_new_staff_with_a_category_and_a_course_take_the_same_queries_at_one_row_and_fifty(
    requires_postgres, django_assert_num_queries
):
    Organization.objects.own_or_create()  # the kindergarten on record, as always
    EmployeeFactory(surname="Сидорова")  # someone on record, as always: her related rows are read too
    one = queries(workbook([person(1, surname="Иванова", group="Ромашка")]))
    fifty = workbook([person(n, group="Солнышко") for n in range(50)])
    with django_assert_num_queries(one):
        result = staff_import(file=fifty, dry_run=False)
    assert result.created == 50
    assert Employee.objects.count() == 52
    assert CategoryDecision.objects.count() == 51
    assert Training.objects.filter(kind=TrainingKind.COURSE, hours=72).count() == 51
    assert Employee.objects.filter(groups__name="Солнышко").count() == 50


def test_updates_take_the_same_queries_at_one_row_and_fifty(requires_postgres, django_assert_num_queries):
    Organization.objects.own_or_create()
    group = KindergartenGroupFactory(name="Солнышко")
    for n in range(51):
        employee = EmployeeFactory(surname="Петрова", name=f"Ольга{'а' * n}", patronymic="Ивановна")
        employee.groups.add(group)
        CategoryDecisionFactory(
            employee=employee, category=Category.FIRST, decision_date=datetime.date(2024, 3, 28)
        )
        TrainingFactory(employee=employee, programme="Реализация ФОП ДО", end_date=datetime.date(2025, 4, 18))
    rows = [person(n, order=f"№ {n}-Д", hours=36) for n in range(51)]
    one = queries(workbook(rows[:1]))
    assert queries(workbook(rows[1:]), dry_run=True) == queries(workbook(rows[:1]), dry_run=True)
    with django_assert_num_queries(one):
        result = staff_import(file=workbook(rows[1:]), dry_run=False)
    assert (result.created, result.updated) == (0, 50)
    assert sorted(CategoryDecision.objects.values_list("order_number", flat=True)) == sorted(
        f"№ {n}-Д" for n in range(51)
    )
    assert set(Training.objects.values_list("hours", flat=True)) == {36}
    assert Employee.objects.get(name="Ольгааа").phone == "+7 900 000-00-02"


def test_each_imported_course_and_category_becomes_an_approved_portfolio_entry():
    result = staff_import(file=workbook([person(1, order="№ 412-Д")]), dry_run=False)
    assert result.written
    decision, course = CategoryDecision.objects.get(), Training.objects.get()
    entries = {e.source_type: e for e in PortfolioEntry.objects.all()}
    assert set(entries) == {"staff.categorydecision", "staff.training"}
    assert (entries["staff.training"].source_id, entries["staff.training"].title) == (
        course.pk,
        "Реализация ФОП ДО",
    )
    assert (entries["staff.training"].hours, entries["staff.training"].date) == (
        72,
        datetime.date(2025, 4, 18),
    )
    assert entries["staff.training"].is_public
    assert entries["staff.categorydecision"].source_id == decision.pk
    assert entries["staff.categorydecision"].title.endswith("(№ 412-Д)")
    assert not entries["staff.categorydecision"].is_public
    assert {e.status for e in entries.values()} == {EntryStatus.APPROVED}
    assert all(e.approved_at for e in entries.values())
    assert sorted(StatusChange.objects.values_list("from_status", "to_status")) == [
        ("", EntryStatus.APPROVED),
        ("", EntryStatus.APPROVED),
    ]

    # The same course again with other hours: its entry follows, approved as before, no new change.
    staff_import(file=workbook([person(1, order="№ 412-Д", hours=36)]), dry_run=False)
    entry = PortfolioEntry.objects.get(source_type="staff.training")
    assert (entry.pk, entry.hours, entry.status) == (entries["staff.training"].pk, 36, EntryStatus.APPROVED)
    assert StatusChange.objects.count() == 2


def test_a_title_needs_the_highest_category_on_record():
    result = staff_import(file=workbook([person(1, category="методист")]), dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "Категория", "Это звание может получить только педагог с высшей категорией.")
    ]
    assert not Employee.objects.exists()

    employee = EmployeeFactory(surname="Петрова", name="Ольгаа", patronymic="Ивановна")
    CategoryDecisionFactory(
        employee=employee, category=Category.HIGHEST, decision_date=datetime.date(2023, 1, 10)
    )
    result = staff_import(file=workbook([person(1, category="методист")]), dry_run=False)
    assert result.written, [str(e) for e in result.errors]
    assert employee.category_decisions.get(category=Category.METHODIST).decision_date == datetime.date(
        2024, 3, 28
    )


def test_updating_a_teacher_whose_dismissal_has_come_releases_her_places():
    teacher = EmployeeFactory(surname="Петрова", name="Ольгаа", patronymic="Ивановна")
    place = ParticipationFactory(event=EventFactory(start=in_days(7)), teacher=teacher)
    # Entered ahead of the day (no release then); the day has come.
    Employee.objects.filter(pk=teacher.pk).update(dismissal_date=timezone.localdate())

    result = staff_import(file=workbook([person(1)]), dry_run=False)

    assert result.updated == 1
    assert Participation.objects.get(pk=place.pk).status == ParticipationStatus.CANCELLED
