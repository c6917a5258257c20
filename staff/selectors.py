"""Reads of staff data used by the admin, the self-service pages and the reports."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import (
    Case,
    Exists,
    Max,
    OuterRef,
    Prefetch,
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
    CONFORMITY_AFTER_HIRE_YEARS,
    CONFORMITY_PERIOD_YEARS,
    COURSE_MIN_HOURS,
    Category,
    CategoryDecision,
    Employee,
    Mentorship,
    Training,
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
        # Each mentorship with the other person in the same query.
        Prefetch("mentorships_as_mentor", queryset=Mentorship.objects.select_related("mentee")),
        Prefetch("mentorships_as_mentee", queryset=Mentorship.objects.select_related("mentor")),
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
        # A subquery, not MAX over a JOIN: without GROUP BY, the admin's pager counts the employees
        # alone and the page's rows are computed for the page only (6 000 staff: 240 ms -> 40 ms).
        last_course_end=Subquery(
            Training.objects.filter(further_education_q(), employee=OuterRef("pk"), end_date__isnull=False)
            .order_by("-end_date")
            .values("end_date")[:1]
        ),
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
    # The same as `last_course_end` null or on/before the cutoff, as an anti-join: the list's pager
    # counts without computing the annotation for every employee.
    recent = Training.objects.filter(further_education_q(), employee=OuterRef("pk"), end_date__gt=cutoff)
    return queryset.filter(~Exists(recent))


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
    overdue: bool = False  # the day to act is past on the date the due was seen

    @property
    def kind_display(self):
        return DueKind(self.kind).label

    @property
    def action_date(self):
        """The day to act on: the application date for a category, else the due date."""
        return self.apply_by or self.date


# What the office and the reminders chase: the exempt and the end of an exemption are information.
ACTION_KINDS = (DueKind.CATEGORY_ENDS, DueKind.CONFORMITY, DueKind.COURSE)
ATTESTATION_KINDS = (DueKind.CATEGORY_ENDS, DueKind.CONFORMITY)


def _day(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def category_ended_text(decision: CategoryDecision) -> str:
    """«первая категория окончилась 15.03.2026»."""
    return _("the %(category)s category ended on %(date)s") % {
        "category": decision.get_category_display(),
        "date": _day(decision.valid_until),
    }


def category_ended_advice() -> str:
    return _("apply for a category or pass attestation for conformity to the post")


@dataclass(frozen=True)
class AttestationState:
    """One teacher's attestation seen on one date, computed once (`attestation_state`) and read by
    every page, workbook and reminder: her category in force, the legacy category that ended (if
    nothing followed it), and what is due with the day to act, the reason and the rule."""

    employee: Employee
    on: datetime.date
    decision: CategoryDecision | None  # her category in force (highest / first), None without
    titles: tuple  # methodologist / mentor decisions in force
    ended: CategoryDecision | None  # the legacy category that ended and that nothing followed
    dues: tuple  # of Due, in the order of the day to act (the exempt last)

    def _first(self, kind):
        return next((d for d in self.dues if d.kind == kind), None)

    @property
    def category_due(self) -> Due | None:
        return self._first(DueKind.CATEGORY_ENDS)

    @property
    def conformity(self) -> Due | None:
        return self._first(DueKind.CONFORMITY)

    @property
    def exempt(self) -> Due | None:
        return self._first(DueKind.EXEMPT)

    @property
    def course(self) -> Due | None:
        return self._first(DueKind.COURSE)

    @property
    def overdue(self) -> list[Due]:
        return [d for d in self.dues if d.overdue]

    @property
    def without_term(self) -> bool:
        return self.decision is not None and self.decision.valid_until is None

    @property
    def category_text(self) -> str:
        """«высшая категория, бессрочно», «первая категория до 15.03.2026», «без категории; первая
        категория окончилась 15.03.2026»."""
        if self.decision is not None:
            values = {"category": self.decision.get_category_display()}
            if self.decision.valid_until is None:
                text = _("%(category)s category, no end date") % values
            else:
                text = _("%(category)s category until %(date)s") % {
                    **values,
                    "date": _day(self.decision.valid_until),
                }
            titles = ", ".join(str(t.get_category_display()) for t in self.titles)
            return f"{text} ({titles})" if titles else text
        if self.ended is not None:
            return _("no category: %(ended)s") % {"ended": category_ended_text(self.ended)}
        return str(Category.NONE.label)

    @property
    def attestation_text(self) -> str:
        """What her attestation asks of her, in one line (the staff list, the staff card)."""
        due = self.category_due
        if due is not None:
            text = _("apply by %(apply_by)s (the category ends %(date)s)") % {
                "apply_by": _day(due.apply_by),
                "date": _day(due.date),
            }
        elif self.without_term:
            return str(_("no end date"))
        elif self.conformity is not None:
            due = self.conformity
            text = _("conformity: %(date)s") % {"date": _day(due.date)}
        elif self.exempt is not None:
            return _("exempt (%(leave)s)") % {"leave": self.exempt.reason}
        else:
            return "—"
        if due.overdue:
            text = _("%(due)s, overdue") % {"due": text}
        if self.ended is not None:
            text = f"{text}; {category_ended_text(self.ended)}"
        return text


def attestation_state(employee: Employee, *, on: datetime.date) -> AttestationState:
    """Her attestation state on that date. Reads the prefetches of `dues_on` / `employee_page`
    (`category_decisions`, `conformity_decisions`, `leaves`, `trainings`): no query of its own."""
    dismissed = employee.dismissal_date is not None and employee.dismissal_date <= on
    decision = employee.current_decision_on(on)
    return AttestationState(
        employee=employee,
        on=on,
        decision=decision if decision is not None and decision.category != Category.NONE else None,
        titles=tuple(employee.titles_on(on)),
        ended=None if dismissed else employee.ended_category_on(on),
        dues=() if dismissed else tuple(_dues(employee, on=on)),
    )


def employee_dues(employee: Employee, *, on: datetime.date) -> list[Due]:
    """Everything due for one employee seen on that date (`attestation_state(...).dues`)."""
    return list(attestation_state(employee, on=on).dues)


def _dues(employee: Employee, *, on: datetime.date) -> list[Due]:
    """Everything due for one employee seen on that date, with no window: the end of a category
    granted before 01.09.2023, conformity to the post (or her exemption), and the next course."""
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
        apply_by = add_months(decision.valid_until, -APPLY_MONTHS_BEFORE_END)
        dues.append(
            Due(
                employee,
                DueKind.CATEGORY_ENDS,
                decision.valid_until,
                apply_by,
                _("the %(category)s category ends; apply about 3 months before")
                % {"category": decision.get_category_display()},
                rule,
                apply_by < on,
            )
        )
    conformity = employee.conformity_due_on(on)
    if conformity is not None:
        if conformity.date is None:
            leave = conformity.leave
            dues.append(Due(employee, DueKind.EXEMPT, None, None, leave.get_kind_display(), conformity.rule))
        else:
            ended = employee.ended_category_on(on)
            if ended is not None:
                reason = _("%(ended)s: %(advice)s") % {
                    "ended": category_ended_text(ended),
                    "advice": category_ended_advice(),
                }
            else:
                reason = _("no qualification category")
            dues.append(
                Due(
                    employee,
                    DueKind.CONFORMITY,
                    conformity.date,
                    None,
                    reason,
                    conformity.rule,
                    conformity.date < on,
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
        course_date = on
    else:
        course_rule = _("%(years)d years after the training that ended %(date)s") % {
            "years": settings.COURSE_PERIOD_YEARS,
            "date": _day(course.end_date),
        }
        course_date = employee.course_due_on(on)
    dues.append(
        Due(
            employee,
            DueKind.COURSE,
            course_date,
            None,
            _("further professional education (a course of 16 hours or more, or retraining)"),
            course_rule,
            course_date < on,
        )
    )
    return sorted(dues, key=lambda d: (d.action_date is None, d.action_date or on, d.kind))


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
    return _in_calendar(dues_on(on=on), on=on, months=months, month=month)


def _in_calendar(items, *, on, months, month):
    """The calendar's rule, for dues and their light keys alike (anything with `action_date`): the
    day to act falls before `months` from `on` (overdue included) or there is none (exempt); with
    `month` (a date of that month), only a day to act in that month."""
    until = add_months(on, months)
    rows = [item for item in items if item.action_date is None or item.action_date <= until]
    if month is not None:
        rows = [
            item
            for item in rows
            if item.action_date
            and (item.action_date.year, item.action_date.month) == (month.year, month.month)
        ]
    return rows


# ---------------------------------------------------------------- the calendar at scale
# `attestation_calendar` builds every due with its texts from full employee records: a city's
# 6 000 staff take seconds. The page needs the texts of one page only: `calendar_keys` reads the
# dates of every due from plain tuples (five queries, no model instances, no texts) and
# `attestation_calendar_page` builds the real dues (`employee_dues`) of the page's employees alone.
# The dates follow the rules of `employee_dues` and the model (current_decision_on,
# conformity_due_on, last_course); a test keeps both equal.


class DueKey(NamedTuple):
    """A due's place in the calendar: what `Due` has, without the texts and the employee record.
    A tuple whose fields come in the calendar's order, so that a list of them sorts as it is."""

    exempt: bool  # the exempt (no date) come last
    sort_date: datetime.date  # the day to act (`on` for the exempt)
    full_name: str
    kind: str
    employee_id: int
    date: datetime.date | None
    apply_by: datetime.date | None

    @property
    def action_date(self):
        return self.apply_by or self.date


def _grouped(rows):
    by_employee = {}
    for row in rows:
        by_employee.setdefault(row[0], []).append(row[1:])
    return by_employee


def calendar_keys(*, on: datetime.date, employees=None) -> list[DueKey]:
    """The dues of the staff on the books on that date (or of those `employees` among them), as
    keys, in the calendar's order (the exempt last). Five queries whatever the number of staff."""
    from .models import YEARS_AFTER_RETURN, ConformityDecision, Leave  # beside the rules they follow

    staff = Employee.objects.current(on=on)
    if employees is not None:
        staff = staff.filter(pk__in=employees.values("pk"))
    of_staff = {"employee__in": staff.values("pk")}
    people = staff.values_list("pk", "surname", "name", "patronymic", "hire_date").order_by()
    # Every decision taken by then: the latest in force among the categories is her category, the
    # latest of all (titles too) her last attestation.
    decisions = _grouped(
        CategoryDecision.objects.filter(decision_date__lte=on, **of_staff)
        .values_list("employee_id", "decision_date", "pk", "category", "valid_until")
        .order_by()
    )
    conformity = _grouped(
        ConformityDecision.objects.filter(**of_staff)
        .values_list("employee_id", "decision_date", "pk")
        .order_by()
    )
    leaves = _grouped(
        Leave.objects.filter(**of_staff)
        .values_list("employee_id", "start_date", "pk", "kind", "end_date")
        .order_by("start_date", "-pk")  # the order conformity_due_on walks them in
    )
    courses = dict(
        Training.objects.filter(further_education_q(), end_date__isnull=False, **of_staff)
        .values("employee_id")
        .annotate(last=Max("end_date"))
        .values_list("employee_id", "last")
        .order_by()
    )
    course_years = settings.COURSE_PERIOD_YEARS
    base, none, no_leaves = frozenset(BASE_CATEGORIES), Category.NONE, ()
    category_ends, conformity_due, exempt, exemption_ends, course = (
        DueKind.CATEGORY_ENDS,
        DueKind.CONFORMITY,
        DueKind.EXEMPT,
        DueKind.EXEMPTION_ENDS,
        DueKind.COURSE,
    )
    keys = []
    add = keys.append
    for pk, surname, name, patronymic, hire_date in people:
        full_name = (
            f"{surname} {name} {patronymic}"
            if name and patronymic
            else " ".join(part for part in (surname, name, patronymic) if part)
        )
        taken = decisions.get(pk, no_leaves)
        held = [d for d in taken if d[2] in base and (d[3] is None or d[3] >= on)]
        decision = max(held) if held else None  # the latest in force (date, pk)
        if decision is not None and decision[3] is not None:
            apply_by = add_months(decision[3], -APPLY_MONTHS_BEFORE_END)
            add(DueKey(False, apply_by, full_name, category_ends, pk, decision[3], apply_by))
        if decision is None or decision[2] == none:
            last = conformity.get(pk)
            last_conformity = max(last)[0] if last else None
            last_category = max(taken)[0] if taken else None
            if last_category and (last_conformity is None or last_category > last_conformity):
                date = add_years(last_category, CONFORMITY_PERIOD_YEARS)
            elif last_conformity:
                date = add_years(last_conformity, CONFORMITY_PERIOD_YEARS)
            elif hire_date:
                date = add_years(hire_date, CONFORMITY_AFTER_HIRE_YEARS)
            else:
                date = on
            if hire_date:
                date = max(date, add_years(hire_date, CONFORMITY_AFTER_HIRE_YEARS))
            away = leaves.get(pk, no_leaves)
            for start, _pk, kind, end in away:
                if start > max(date, on):
                    break
                if end is None:
                    date = None  # exempt while on leave
                    break
                date = max(date, add_years(end, YEARS_AFTER_RETURN[kind]))
            if date is None:
                add(DueKey(True, on, full_name, exempt, pk, None, None))
            else:
                add(DueKey(False, date, full_name, conformity_due, pk, date, None))
            for start, _pk, _kind, end in away:
                if end is not None and end >= on and start <= on:
                    add(DueKey(False, end, full_name, exemption_ends, pk, end, None))
        last_course = courses.get(pk)
        date = add_years(last_course, course_years) if last_course else on
        add(DueKey(False, date, full_name, course, pk, date, None))
    keys.sort()
    return keys


@dataclass
class CalendarPage:
    rows: list  # the page's dues (Due), in the calendar's order
    page: object  # the page of keys (Django's Page over DueKey), for the pager
    exempt: list  # the first `exempt_shown` exempt (Due)
    exempt_total: int


def attestation_calendar_page(
    *, on: datetime.date, page_number=None, per_page=50, months=12, month=None, exempt_shown=50
) -> CalendarPage:
    """One page of the attestation calendar (`attestation_calendar`'s rows), and the first exempt.

    Ten queries whatever the number of staff: the keys of every due (five), then the employees of
    the page and of the exempt shown with what their dues read (five)."""
    from django.core.paginator import Paginator

    keys = _in_calendar(calendar_keys(on=on), on=on, months=months, month=month)
    dated = [k for k in keys if k.date is not None]
    exempt = [k for k in keys if k.date is None]
    page = Paginator(dated, per_page).get_page(page_number)
    rows = list(page.object_list)
    shown = dues_of_keys(rows + exempt[:exempt_shown], on=on)
    return CalendarPage(
        rows=shown[: len(rows)],
        page=page,
        exempt=shown[len(rows) :],
        exempt_total=len(exempt),
    )


def due_keys_within(*, on: datetime.date, until: datetime.date, kinds=ACTION_KINDS, employees=None):
    """The keys of the dues of `kinds` whose day to act falls on or before `until`, overdue ones
    included, soonest (so overdue) first. Five queries (calendar_keys)."""
    return [
        key
        for key in calendar_keys(on=on, employees=employees)
        if key.kind in kinds and key.date is not None and key.action_date <= until
    ]


def filter_attestation_due_within(queryset, *, until: datetime.date, on: datetime.date | None = None):
    """Employees whose category application or conformity attestation falls due on or before
    `until` (overdue included), seen on `on` (today by default): the staff list's filter."""
    on = on or timezone.localdate()
    due = {key.employee_id for key in due_keys_within(on=on, until=until, kinds=ATTESTATION_KINDS)}
    return queryset.filter(pk__in=due)


def dues_of_keys(keys, *, on: datetime.date) -> list[Due]:
    """The real dues (texts and employee records) of these keys, in their order. Five queries."""
    employees = Employee.objects.filter(pk__in={k.employee_id for k in keys})
    found = {}
    for item in dues_on(on=on, employees=employees):
        found.setdefault((item.employee.pk, item.kind, item.date), []).append(item)
    return [found[(k.employee_id, k.kind, k.date)].pop(0) for k in keys]


@dataclass
class OfficeDues:
    rows: list  # the first dues (Due), overdue first, then by the day to act
    overdue_total: int
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def office_dues(*, on: datetime.date, months: int = 3, shown: int = 15) -> OfficeDues:
    """What the office must chase: every due (category application, conformity, course) that is
    overdue or whose day to act falls within `months`, overdue first; the first `shown` of them
    with their texts, and the totals. Ten queries whatever the number of staff."""
    keys = due_keys_within(on=on, until=add_months(on, months))
    return OfficeDues(
        rows=dues_of_keys(keys[:shown], on=on),
        overdue_total=sum(1 for k in keys if k.action_date < on),
        total=len(keys),
    )
