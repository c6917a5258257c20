"""Attestation as order №196 of 24.03.2023 has it: categories without a term since 01.09.2023,
conformity to the post and its exemptions, the course rule, and the dues built on them."""

import datetime

import pytest

from staff.models import (
    Category,
    ConformityResult,
    Employee,
    LeaveKind,
    TrainingKind,
)
from staff.selectors import (
    DueKind,
    category_group_expression,
    category_on_expression,
    employee_dues,
    employees_with_dues,
    filter_course_due_within,
)
from tests.factories import (
    CategoryDecisionFactory,
    ConformityDecisionFactory,
    EmployeeFactory,
    LeaveFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
PREFETCH = ("category_decisions", "conformity_decisions", "leaves", "trainings")


def fresh(employee):
    return Employee.objects.prefetch_related(*PREFETCH).get(pk=employee.pk)


# ---------------------------------------------------------------- categories


def test_highest_granted_31_08_2023_ends_31_08_2028():
    employee = EmployeeFactory()
    decision = CategoryDecisionFactory(
        employee=employee, category=Category.HIGHEST, decision_date=D(2023, 8, 31)
    )
    assert decision.valid_until == D(2028, 8, 31)
    employee = fresh(employee)
    assert employee.category_on(D(2028, 8, 31)) == Category.HIGHEST
    assert employee.category_on(D(2028, 9, 1)) == Category.NONE


def test_highest_granted_01_09_2023_has_no_end():
    employee = EmployeeFactory()
    decision = CategoryDecisionFactory(
        employee=employee, category=Category.HIGHEST, decision_date=D(2023, 9, 1)
    )
    assert decision.valid_until is None
    employee = fresh(employee)
    assert employee.category_on(D(2023, 8, 31)) == Category.NONE
    assert employee.category_on(D(2040, 1, 1)) == Category.HIGHEST
    assert [d.kind for d in employee_dues(employee, on=D(2040, 1, 1))] == [DueKind.COURSE]


def test_a_decision_may_set_its_own_end_date():
    decision = CategoryDecisionFactory(decision_date=D(2021, 4, 1), valid_until=D(2024, 12, 31))
    assert decision.valid_until == D(2024, 12, 31)


def _category_cases():
    """Employees covering the cases the rule has; returns them in a fixed order."""
    legacy = EmployeeFactory(surname="Прежняя")  # pre-2023 first, expiring
    CategoryDecisionFactory(employee=legacy, category=Category.FIRST, decision_date=D(2019, 5, 20))
    unlimited = EmployeeFactory(surname="Бессрочная")  # post-2023 highest
    CategoryDecisionFactory(employee=unlimited, category=Category.HIGHEST, decision_date=D(2024, 2, 1))
    several = EmployeeFactory(surname="Несколько")  # first, then highest, then methodologist
    CategoryDecisionFactory(employee=several, category=Category.FIRST, decision_date=D(2020, 3, 1))
    CategoryDecisionFactory(employee=several, category=Category.HIGHEST, decision_date=D(2023, 1, 15))
    CategoryDecisionFactory(employee=several, category=Category.METHODIST, decision_date=D(2024, 10, 1))
    mentor = EmployeeFactory(surname="Наставница")  # highest after 2023 and both titles
    CategoryDecisionFactory(employee=mentor, category=Category.HIGHEST, decision_date=D(2023, 10, 1))
    CategoryDecisionFactory(employee=mentor, category=Category.MENTOR, decision_date=D(2024, 1, 10))
    CategoryDecisionFactory(employee=mentor, category=Category.METHODIST, decision_date=D(2025, 3, 3))
    handset = EmployeeFactory(surname="Досрочная")  # post-2023 with an end set by hand
    CategoryDecisionFactory(
        employee=handset, category=Category.FIRST, decision_date=D(2024, 6, 1), valid_until=D(2026, 6, 1)
    )
    none = EmployeeFactory(surname="Никакая")
    return [legacy, unlimited, several, mentor, handset, none]


def test_category_on_python_and_sql_agree():
    employees = _category_cases()
    dates = [
        D(2019, 5, 19),
        D(2019, 5, 20),
        D(2023, 1, 15),
        D(2023, 8, 31),
        D(2024, 5, 20),
        D(2024, 5, 21),
        D(2024, 10, 1),
        D(2025, 3, 3),
        D(2026, 6, 1),
        D(2026, 6, 2),
        D(2028, 1, 15),
        D(2028, 1, 16),
        D(2040, 1, 1),
    ]
    for on in dates:
        python = {e.pk: (e.category_on(on), e.category_group_on(on)) for e in map(fresh, employees)}
        annotated = Employee.objects.annotate(c=category_on_expression(on), g=category_group_expression(on))
        sql = {pk: (c, g) for pk, c, g in annotated.values_list("pk", "c", "g")}
        assert sql == python, on


def test_category_rules_on_literal_dates():
    legacy, unlimited, several, mentor, handset, none = map(fresh, _category_cases())
    assert legacy.category_on(D(2024, 5, 20)) == Category.FIRST
    assert legacy.category_on(D(2024, 5, 21)) == Category.NONE
    assert unlimited.category_on(D(2040, 1, 1)) == Category.HIGHEST
    assert several.category_on(D(2028, 1, 15)) == Category.HIGHEST  # the 2023-01-15 highest, 5 years
    assert several.category_on(D(2028, 1, 16)) == Category.NONE
    assert several.category_group_on(D(2026, 1, 1)) == Category.METHODIST
    assert mentor.category_group_on(D(2024, 6, 1)) == Category.MENTOR
    assert mentor.category_group_on(D(2025, 3, 3)) == Category.METHODIST  # methodologist named first
    assert handset.category_on(D(2026, 6, 1)) == Category.FIRST
    assert handset.category_on(D(2026, 6, 2)) == Category.NONE
    assert none.category_group_on(D(2025, 1, 1)) == Category.NONE


# ---------------------------------------------------------------- conformity to the post


def test_conformity_due_five_years_after_the_last_conformity_decision():
    employee = EmployeeFactory(hire_date=D(2010, 9, 1))
    ConformityDecisionFactory(employee=employee, decision_date=D(2017, 4, 12))
    ConformityDecisionFactory(employee=employee, decision_date=D(2022, 3, 14))
    due = fresh(employee).conformity_due_on(D(2025, 1, 1))
    assert due.date == D(2027, 3, 14)
    assert "14.03.2022" in due.rule


def test_conformity_due_two_years_after_hire_without_a_decision():
    employee = fresh(EmployeeFactory(hire_date=D(2025, 2, 3)))
    assert employee.conformity_due_on(D(2025, 6, 1)).date == D(2027, 2, 3)  # under 2 years: exempt till then
    assert employee.conformity_due_on(D(2030, 6, 1)).date == D(2027, 2, 3)  # overdue stays listed


def test_teacher_without_any_record_is_due_now():
    employee = fresh(EmployeeFactory(hire_date=None))
    assert employee.conformity_due_on(D(2026, 5, 4)).date == D(2026, 5, 4)


def test_category_holder_is_not_due_for_conformity_until_it_ends():
    employee = EmployeeFactory(hire_date=D(2010, 9, 1))
    CategoryDecisionFactory(employee=employee, category=Category.FIRST, decision_date=D(2021, 10, 1))
    employee = fresh(employee)
    assert employee.conformity_due_on(D(2026, 9, 30)) is None
    # ended: due 5 years after the category decision, her last attestation (overdue), not 2012
    assert employee.conformity_due_on(D(2026, 10, 2)).date == D(2026, 10, 1)


def test_child_care_leave_exempts_and_pushes_conformity_two_years_after_return():
    employee = EmployeeFactory(hire_date=D(2015, 9, 1))
    ConformityDecisionFactory(employee=employee, decision_date=D(2021, 5, 10))  # due 10.05.2026
    LeaveFactory(
        employee=employee, kind=LeaveKind.MATERNITY, start_date=D(2024, 1, 9), end_date=D(2024, 5, 27)
    )
    leave = LeaveFactory(
        employee=employee, kind=LeaveKind.CHILD_CARE, start_date=D(2024, 5, 28), end_date=None
    )
    due = fresh(employee).conformity_due_on(D(2026, 1, 1))
    assert due.date is None and due.leave == leave  # on leave, no return date yet: exempt
    leave.end_date = D(2026, 11, 30)
    leave.save()
    assert fresh(employee).conformity_due_on(D(2026, 1, 1)).date == D(2028, 11, 30)


def test_illness_over_four_months_pushes_conformity_one_year_after_return():
    employee = EmployeeFactory(hire_date=D(2015, 9, 1))
    ConformityDecisionFactory(employee=employee, decision_date=D(2021, 5, 10))
    LeaveFactory(
        employee=employee, kind=LeaveKind.ILLNESS, start_date=D(2025, 11, 1), end_date=D(2026, 4, 15)
    )
    assert fresh(employee).conformity_due_on(D(2026, 1, 1)).date == D(2027, 4, 15)


def test_a_leave_long_before_the_due_date_changes_nothing():
    employee = EmployeeFactory(hire_date=D(2010, 9, 1))
    ConformityDecisionFactory(employee=employee, decision_date=D(2022, 5, 10))  # due 10.05.2027
    LeaveFactory(employee=employee, kind=LeaveKind.ILLNESS, start_date=D(2022, 9, 1), end_date=D(2023, 2, 1))
    assert fresh(employee).conformity_due_on(D(2025, 1, 1)).date == D(2027, 5, 10)


def test_does_not_conform_decision_is_kept_with_its_result():
    decision = ConformityDecisionFactory(
        result=ConformityResult.DOES_NOT_CONFORM, decision_date=D(2024, 3, 1)
    )
    assert str(decision).endswith("(01.03.2024)")


# ---------------------------------------------------------------- further professional education


def test_twelve_hour_course_does_not_count_retraining_does():
    employee = EmployeeFactory()
    TrainingFactory(employee=employee, hours=12, start_date=D(2025, 3, 1), end_date=D(2025, 3, 2))
    employee = fresh(employee)
    assert employee.last_course is None
    assert employee.course_overdue_on(D(2025, 4, 1)) is True
    TrainingFactory(
        employee=employee,
        kind=TrainingKind.RETRAINING,
        hours=260,
        start_date=D(2023, 9, 1),
        end_date=D(2024, 2, 20),
    )
    employee = fresh(employee)
    assert employee.course_due == D(2027, 2, 20)
    assert employee.course_covered_on(D(2027, 2, 19)) is True
    assert employee.course_covered_on(D(2027, 2, 20)) is False


def test_sixteen_hours_and_unknown_hours_count():
    sixteen = EmployeeFactory()
    TrainingFactory(employee=sixteen, hours=16, start_date=D(2024, 6, 3), end_date=D(2024, 6, 5))
    unknown = EmployeeFactory()
    TrainingFactory(employee=unknown, hours=None, start_date=D(2024, 1, 10), end_date=D(2024, 1, 20))
    higher = EmployeeFactory()
    TrainingFactory(
        employee=higher,
        kind=TrainingKind.HIGHER_EDUCATION,
        hours=None,
        start_date=D(2020, 9, 1),
        end_date=D(2024, 6, 30),
    )
    assert fresh(sixteen).course_due == D(2027, 6, 5)
    assert fresh(unknown).course_due == D(2027, 1, 20)
    assert fresh(higher).last_course is None  # higher education is not further education


def test_course_rule_python_and_sql_agree():
    twelve = EmployeeFactory(surname="Двенадцать")
    TrainingFactory(employee=twelve, hours=12, start_date=D(2025, 3, 1), end_date=D(2025, 3, 2))
    TrainingFactory(employee=twelve, hours=36, start_date=D(2022, 3, 1), end_date=D(2022, 3, 10))
    retrained = EmployeeFactory(surname="Переподготовка")
    TrainingFactory(
        employee=retrained, kind=TrainingKind.RETRAINING, start_date=D(2023, 9, 1), end_date=D(2024, 2, 20)
    )
    nothing = EmployeeFactory(surname="Ничего")
    on = D(2025, 1, 1)
    rows = {e.pk: e for e in employees_with_dues(Employee.objects.all(), on=on)}
    assert rows[twelve.pk].last_course_end == D(2022, 3, 10)
    assert rows[retrained.pk].last_course_end == D(2024, 2, 20)
    assert rows[nothing.pk].last_course_end is None
    for until in (D(2025, 3, 9), D(2025, 3, 10), D(2027, 2, 19), D(2027, 2, 20)):
        sql = set(filter_course_due_within(employees_with_dues(Employee.objects.all(), on=on), until=until))
        python = {e for e in rows.values() if not e.course_covered_on(until)}
        assert sql == python, until


# ---------------------------------------------------------------- the dues of one teacher


def test_dues_of_a_legacy_category_holder_say_when_to_apply():
    employee = EmployeeFactory()
    CategoryDecisionFactory(employee=employee, category=Category.HIGHEST, decision_date=D(2023, 8, 31))
    TrainingFactory(employee=employee, hours=72, start_date=D(2025, 1, 10), end_date=D(2025, 1, 24))
    dues = {d.kind: d for d in employee_dues(fresh(employee), on=D(2027, 6, 1))}
    assert set(dues) == {DueKind.CATEGORY_ENDS, DueKind.COURSE}
    ends = dues[DueKind.CATEGORY_ENDS]
    assert (ends.date, ends.apply_by) == (D(2028, 8, 31), D(2028, 5, 31))
    assert "31.08.2023" in ends.rule
    assert dues[DueKind.COURSE].date == D(2028, 1, 24)


def test_dues_of_a_teacher_on_leave_show_the_exemption_and_its_end():
    employee = EmployeeFactory(hire_date=D(2018, 9, 1))
    LeaveFactory(
        employee=employee, kind=LeaveKind.CHILD_CARE, start_date=D(2025, 2, 1), end_date=D(2027, 1, 31)
    )
    dues = {d.kind: d for d in employee_dues(fresh(employee), on=D(2026, 3, 1))}
    assert dues[DueKind.CONFORMITY].date == D(2029, 1, 31)
    assert dues[DueKind.EXEMPTION_ENDS].date == D(2027, 1, 31)
    assert "31.01.2029" in dues[DueKind.EXEMPTION_ENDS].rule


def test_pregnancy_exempts_until_her_return():
    employee = EmployeeFactory(hire_date=D(2015, 9, 1))
    ConformityDecisionFactory(employee=employee, decision_date=D(2021, 5, 10))  # due 10.05.2026
    LeaveFactory(
        employee=employee, kind=LeaveKind.PREGNANCY, start_date=D(2026, 1, 12), end_date=D(2026, 7, 1)
    )
    assert fresh(employee).conformity_due_on(D(2026, 2, 1)).date == D(2026, 7, 1)
