import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from staff.dates import add_years, full_years_and_months
from staff.models import Category, CategoryDecision, Employee, TrainingKind
from staff.selectors import attestation_state
from tests.factories import CategoryDecisionFactory, EmployeeFactory, MentorshipFactory, TrainingFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    "start,end,expected",
    [
        (D(2020, 9, 1), D(2022, 8, 31), (1, 11)),
        (D(2020, 9, 1), D(2022, 9, 1), (2, 0)),
        (D(2020, 1, 31), D(2020, 2, 28), (0, 0)),
        (D(2020, 1, 31), D(2020, 2, 29), (0, 1)),  # month end counts as the same day
        (D(2020, 1, 31), D(2020, 3, 1), (0, 1)),
        (D(2020, 2, 29), D(2021, 2, 27), (0, 11)),
        (D(2020, 2, 29), D(2021, 2, 28), (1, 0)),  # leap-day anniversary on 28 February
        (D(2020, 2, 29), D(2021, 3, 1), (1, 0)),
        (D(2022, 5, 10), D(2021, 5, 10), (0, 0)),
    ],
)
def test_full_years_and_months_edge_dates(start, end, expected):
    assert full_years_and_months(start, end) == expected


def test_add_years_leap_day_falls_back_to_28_february():
    assert add_years(D(2024, 2, 29), 5) == D(2029, 2, 28)


def test_young_teacher_threshold_is_exclusive_and_configurable(settings):
    employee = EmployeeFactory(experience_start=D(2023, 9, 1))
    assert employee.is_young_teacher_on(D(2025, 8, 31)) is True
    assert employee.is_young_teacher_on(D(2025, 9, 1)) is False
    settings.YOUNG_TEACHER_YEARS = 3
    assert employee.is_young_teacher_on(D(2025, 9, 1)) is True


def test_experience_display_uses_plural_forms():
    employee = EmployeeFactory(experience_start=D(2000, 1, 1))
    years, months = employee.experience_on(D(2021, 3, 15))
    assert (years, months) == (21, 2)


def test_category_valid_until_defaults_to_five_years_before_september_2023_and_none_after():
    assert CategoryDecisionFactory(decision_date=D(2020, 2, 29), valid_until=None).valid_until == D(
        2025, 2, 28
    )
    assert CategoryDecisionFactory(decision_date=D(2023, 8, 31)).valid_until == D(2028, 8, 31)
    assert CategoryDecisionFactory(decision_date=D(2023, 9, 1)).valid_until is None
    assert CategoryDecisionFactory(decision_date=D(2024, 2, 29)).valid_until is None


def test_current_category_is_latest_decision_in_force_on_the_date():
    employee = EmployeeFactory()
    CategoryDecisionFactory(employee=employee, category=Category.FIRST, decision_date=D(2018, 5, 10))
    CategoryDecisionFactory(employee=employee, category=Category.HIGHEST, decision_date=D(2022, 4, 1))
    employee = Employee.objects.prefetch_related("category_decisions").get(pk=employee.pk)
    assert employee.category_on(D(2022, 3, 31)) == Category.FIRST
    assert employee.category_on(D(2022, 4, 1)) == Category.HIGHEST
    assert employee.category_on(D(2027, 4, 1)) == Category.HIGHEST  # last day in force
    assert employee.category_on(D(2027, 4, 2)) == Category.NONE  # expired, nothing newer


def test_attestation_due_is_valid_until_of_the_decision_in_force():
    employee = EmployeeFactory()
    CategoryDecisionFactory(
        employee=employee,
        category=Category.FIRST,
        decision_date=D(2022, 5, 1),
        valid_until=D(2027, 12, 7),
    )
    state = attestation_state(employee, on=D(2026, 12, 7))
    assert state.category_due.date == D(2027, 12, 7)
    assert state.without_term is False


def test_attestation_due_is_none_for_a_category_without_term():
    employee = EmployeeFactory()
    CategoryDecisionFactory(employee=employee, category=Category.FIRST, decision_date=D(2024, 5, 1))
    state = attestation_state(employee, on=D(2026, 12, 7))
    assert state.category_due is None
    assert state.without_term is True


def test_titles_need_the_highest_category():
    employee = EmployeeFactory()
    CategoryDecisionFactory(employee=employee, category=Category.FIRST, decision_date=D(2024, 1, 10))
    title = CategoryDecision(employee=employee, category=Category.METHODIST, decision_date=D(2025, 1, 10))
    with pytest.raises(ValidationError) as exc:
        title.full_clean()
    assert "category" in exc.value.message_dict
    CategoryDecisionFactory(employee=employee, category=Category.HIGHEST, decision_date=D(2024, 6, 1))
    title.full_clean()  # now she holds the highest category on the decision date


def test_title_is_not_a_base_category():
    employee = EmployeeFactory()
    CategoryDecisionFactory(employee=employee, category=Category.HIGHEST, decision_date=D(2024, 6, 1))
    CategoryDecisionFactory(employee=employee, category=Category.MENTOR, decision_date=D(2025, 6, 1))
    employee = Employee.objects.prefetch_related("category_decisions").get(pk=employee.pk)
    assert employee.category_on(D(2025, 7, 1)) == Category.HIGHEST


def test_course_due_three_years_after_last_course(settings):
    employee = EmployeeFactory()
    TrainingFactory(employee=employee, end_date=D(2022, 11, 22), start_date=D(2022, 11, 1))
    TrainingFactory(
        employee=employee, kind=TrainingKind.RETRAINING, end_date=D(2025, 5, 1), start_date=D(2024, 9, 1)
    )
    assert employee.course_due == D(2028, 5, 1)  # professional retraining counts too
    assert employee.course_overdue_on(D(2028, 4, 30)) is False
    assert employee.course_overdue_on(D(2028, 5, 1)) is True


def test_course_due_today_without_any_course():
    employee = EmployeeFactory()
    assert employee.course_overdue_on(D.today()) is True


def test_dismissed_staff_leave_current_list_but_stay_in_history():
    kept = EmployeeFactory()
    gone = EmployeeFactory(dismissal_date=D(2024, 6, 30))
    later = EmployeeFactory(dismissal_date=D(2099, 1, 1))
    current = set(Employee.objects.current(on=D(2025, 1, 1)))
    assert current == {kept, later}
    assert Employee.objects.filter(pk=gone.pk).exists()


def test_database_refuses_dismissal_before_hire():
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployeeFactory(hire_date=D(2020, 1, 1), dismissal_date=D(2019, 1, 1))


def test_mentor_cannot_mentor_herself():
    employee = EmployeeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MentorshipFactory(mentor=employee, mentee=employee)


def test_one_user_one_staff_record(anna):
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployeeFactory(user=anna)


def test_full_name_and_short_name():
    employee = EmployeeFactory(surname="Иванова", name="Мария", patronymic="Петровна")
    assert employee.full_name == "Иванова Мария Петровна"
    assert employee.short_name == "Иванова М.П."
