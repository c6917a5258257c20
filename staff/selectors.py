"""Reads of staff data used by the admin, the self-service pages and the reports."""

import datetime

from django.conf import settings
from django.db.models import Max, OuterRef, Q, Subquery, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone

from .dates import add_years
from .models import BASE_CATEGORIES, Category, CategoryDecision, Employee, TrainingKind


def employee_page(employee):
    """The employee (already read, e.g. by staff.access) with what her page shows prefetched."""
    prefetch_related_objects(
        [employee],
        "groups",
        "category_decisions",
        "trainings",
        "mentorships_as_mentor__mentee",
        "mentorships_as_mentee__mentor",
    )
    return employee


def decisions_in_force(on: datetime.date):
    """The employee's (OuterRef "pk") category decisions in force on that date, latest first."""
    return CategoryDecision.objects.filter(
        employee=OuterRef("pk"),
        category__in=BASE_CATEGORIES,
        decision_date__lte=on,
        valid_until__gte=on,
    ).order_by("-decision_date", "-pk")


def category_on_expression(on: datetime.date):
    """An annotation: the employee's qualification category on that date ("none" without one)."""
    return Coalesce(Subquery(decisions_in_force(on).values("category")[:1]), Value(Category.NONE))


def employees_with_dues(queryset=None, *, on: datetime.date | None = None):
    """Employees annotated in SQL with `category_now`, `attestation_due_on` and `last_course_end`.

    The annotations let lists filter and sort by them; the rows also carry the prefetches
    the model's derived properties read, so rendering costs no query per row.
    """
    on = on or timezone.localdate()
    queryset = Employee.objects.all() if queryset is None else queryset
    in_force = decisions_in_force(on)
    return queryset.annotate(
        category_now=category_on_expression(on),
        attestation_due_on=Subquery(in_force.values("valid_until")[:1]),
        last_course_end=Max("trainings__end_date", filter=Q(trainings__kind=TrainingKind.COURSE)),
    ).prefetch_related("groups", "category_decisions", "trainings")


def course_due_cutoff(on: datetime.date | None = None) -> datetime.date:
    """A course that ended before this date no longer counts: its holder is due."""
    on = on or timezone.localdate()
    return add_years(on, -settings.COURSE_PERIOD_YEARS)


def filter_course_due_within(queryset, *, until: datetime.date):
    """Employees whose next course training falls due on or before `until`."""
    cutoff = add_years(until, -settings.COURSE_PERIOD_YEARS)
    return queryset.filter(Q(last_course_end__isnull=True) | Q(last_course_end__lte=cutoff))


def filter_attestation_due_within(queryset, *, until: datetime.date):
    return queryset.filter(attestation_due_on__isnull=False, attestation_due_on__lte=until)
