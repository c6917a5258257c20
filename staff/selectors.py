"""Reads of staff data used by the admin, the self-service pages and the reports."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Max,
    OuterRef,
    Q,
    Subquery,
    TextChoices,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import add_months, add_years
from .models import (
    APPLY_MONTHS_BEFORE_END,
    BASE_CATEGORIES,
    CATEGORY_GROUPS,
    COURSE_MIN_HOURS,
    Category,
    CategoryDecision,
    Employee,
    category_term_end,
    further_education_q,
)


def employee_page(employee):
    """The employee (already read, e.g. by staff.access) with what her page shows prefetched."""
    prefetch_related_objects(
        [employee],
        "groups",
        "category_decisions",
        "conformity_decisions",
        "leaves",
        "trainings",
        "mentorships_as_mentor__mentee",
        "mentorships_as_mentee__mentor",
    )
    return employee


def decisions_in_force(on: datetime.date, categories=BASE_CATEGORIES):
    """The employee's (OuterRef "pk") decisions among `categories` in force on that date, latest first.

    In force: granted on or before that date and without an end date (granted from 01.09.2023) or
    ending on or after it. The Python form is CategoryDecision.in_force_on.
    """
    return CategoryDecision.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on),
        employee=OuterRef("pk"),
        category__in=categories,
        decision_date__lte=on,
    ).order_by("-decision_date", "-pk")


def category_on_expression(on: datetime.date):
    """An annotation: the employee's qualification category on that date ("none" without one).

    The SQL form of Employee.category_on.
    """
    return Coalesce(Subquery(decisions_in_force(on).values("category")[:1]), Value(Category.NONE))


def category_group_expression(on: datetime.date):
    """An annotation: her group among CATEGORY_GROUPS (a title she holds, else her category).

    The SQL form of Employee.category_group_on: her decisions in force among CATEGORY_GROUPS, the
    titles first (methodologist before mentor), then the latest. One subquery rather than one for
    the titles and one for the category: a city's 6 000 staff cost half as much, and the
    planner's estimate stays under PostgreSQL's JIT threshold (compiling took longer than the query).
    """
    group_order = Case(
        When(category=Category.METHODIST, then=0), When(category=Category.MENTOR, then=1), default=2
    )
    decisions = (
        decisions_in_force(on, CATEGORY_GROUPS)
        .annotate(group_order=group_order)
        .order_by("group_order", "-decision_date", "-pk")
    )
    return Coalesce(Subquery(decisions.values("category")[:1]), Value(Category.NONE))


def employees_with_dues(queryset=None, *, on: datetime.date | None = None):
    """Employees annotated in SQL with `category_now`, `category_group_now`, `attestation_due_on`
    (None: no end date or no category) and `last_course_end` (of training that counts for the rule).

    The annotations let lists filter and sort by them; the rows also carry the prefetches
    the model's derived properties read, so rendering costs no query per row.
    """
    on = on or timezone.localdate()
    queryset = Employee.objects.all() if queryset is None else queryset
    in_force = decisions_in_force(on)
    return queryset.annotate(
        category_now=category_on_expression(on),
        category_group_now=category_group_expression(on),
        attestation_due_on=Subquery(in_force.values("valid_until")[:1]),
        last_course_end=Max("trainings__end_date", filter=further_education_q("trainings__")),
    ).prefetch_related("groups", "category_decisions", "trainings")


def course_due_cutoff(on: datetime.date | None = None) -> datetime.date:
    """A counted training that ended on or before this date no longer covers its holder on `on`
    (SQL side of Employee.course_covered_on: covered when last_course_end > cutoff)."""
    on = on or timezone.localdate()
    return add_years(on, -settings.COURSE_PERIOD_YEARS)


def filter_course_due_within(queryset, *, until: datetime.date):
    """Employees (annotated by employees_with_dues) whose next course training falls due on or
    before `until` (SQL side of Employee.course_due)."""
    cutoff = add_years(until, -settings.COURSE_PERIOD_YEARS)
    return queryset.filter(Q(last_course_end__isnull=True) | Q(last_course_end__lte=cutoff))


def filter_attestation_due_within(queryset, *, until: datetime.date):
    return queryset.filter(attestation_due_on__isnull=False, attestation_due_on__lte=until)


# ---------------------------------------------------------------- attestation dues


class DueKind(TextChoices):
    CATEGORY_ENDS = "category_ends", gettext_lazy("category ends")
    CONFORMITY = "conformity", gettext_lazy("attestation for conformity to the post")
    EXEMPTION_ENDS = "exemption_ends", gettext_lazy("exemption ends")
    EXEMPT = "exempt", gettext_lazy("exempt from conformity attestation")
    COURSE = "course", gettext_lazy("course training")


@dataclass(frozen=True)
class Due:
    """One thing a teacher must do by a date: what, when, by when to apply, why, and the rule."""

    employee: Employee
    kind: str
    date: datetime.date | None  # None: exempt with no end in sight
    apply_by: datetime.date | None  # a category: the day the application should go in
    reason: str
    rule: str

    @property
    def kind_display(self):
        return DueKind(self.kind).label

    @property
    def action_date(self):
        """The day to act on: the application date for a category, else the due date."""
        return self.apply_by or self.date


def _day(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def employee_dues(employee: Employee, *, on: datetime.date) -> list[Due]:
    """Everything due for one employee seen on that date, with no window: the end of a category
    granted before 01.09.2023, conformity to the post (or her exemption), and the next course.

    Reads the prefetches of `dues_on` / `employee_for_user` (no query per employee).
    """
    dues = []
    decision = employee.current_decision_on(on)
    if decision is not None and decision.valid_until is not None:
        if decision.valid_until == category_term_end(decision.decision_date):
            rule = _("granted %(date)s, before 01.09.2023: a term of %(years)d years") % {
                "date": _day(decision.decision_date),
                "years": settings.CATEGORY_VALIDITY_YEARS,
            }
        else:
            rule = _("the end date set by the decision of %(date)s") % {"date": _day(decision.decision_date)}
        dues.append(
            Due(
                employee,
                DueKind.CATEGORY_ENDS,
                decision.valid_until,
                add_months(decision.valid_until, -APPLY_MONTHS_BEFORE_END),
                _("the %(category)s category ends; apply about 3 months before")
                % {"category": decision.get_category_display()},
                rule,
            )
        )
    conformity = employee.conformity_due_on(on)
    if conformity is not None:
        if conformity.date is None:
            leave = conformity.leave
            dues.append(Due(employee, DueKind.EXEMPT, None, None, leave.get_kind_display(), conformity.rule))
        else:
            dues.append(
                Due(
                    employee,
                    DueKind.CONFORMITY,
                    conformity.date,
                    None,
                    _("no qualification category"),
                    conformity.rule,
                )
            )
        for leave in employee.leaves.all():
            if leave.end_date is not None and leave.end_date >= on and leave.start_date <= on:
                dues.append(
                    Due(
                        employee,
                        DueKind.EXEMPTION_ENDS,
                        leave.end_date,
                        None,
                        _("returns from %(leave)s") % {"leave": leave.get_kind_display()},
                        _("conformity no earlier than %(years)s after her return: %(date)s")
                        % {"years": leave.grace_display, "date": _day(leave.earliest_attestation)},
                    )
                )
    course = employee.last_course
    if course is None:
        course_rule = _("no course of %(hours)d hours or more, nor retraining, on record: due now") % {
            "hours": COURSE_MIN_HOURS
        }
    else:
        course_rule = _("%(years)d years after the training that ended %(date)s") % {
            "years": settings.COURSE_PERIOD_YEARS,
            "date": _day(course.end_date),
        }
    dues.append(
        Due(
            employee,
            DueKind.COURSE,
            employee.course_due if course else on,
            None,
            _("further professional education (a course of 16 hours or more, or retraining)"),
            course_rule,
        )
    )
    return dues


def dues_on(*, on: datetime.date | None = None, employees=None) -> list[Due]:
    """Every due item of the staff on the books on that date, in order of the day to act
    (the exempt last): the ground for the attestation calendar and for reminders. Five queries."""
    on = on or timezone.localdate()
    employees = Employee.objects.current(on=on) if employees is None else employees
    employees = employees.prefetch_related(
        "category_decisions", "conformity_decisions", "leaves", "trainings"
    )
    dues = [due for employee in employees for due in employee_dues(employee, on=on)]
    return sorted(
        dues,
        key=lambda d: (d.action_date is None, d.action_date or on, d.employee.full_name, d.kind),
    )


def attestation_calendar(*, on: datetime.date | None = None, months: int = 12, month=None) -> list[Due]:
    """Dues whose day to act falls before `months` from `on` (overdue ones included), plus the
    exempt; with `month` (a date of that month) only those whose day to act falls in that month."""
    on = on or timezone.localdate()
    until = add_months(on, months)
    rows = [d for d in dues_on(on=on) if d.action_date is None or d.action_date <= until]
    if month is not None:
        rows = [
            d
            for d in rows
            if d.action_date and (d.action_date.year, d.action_date.month) == (month.year, month.month)
        ]
    return rows
