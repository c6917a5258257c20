"""The staff indicators of the kindergarten's self-evaluation (самообследование).

Order of the Ministry of Education and Science №1324 of 10.12.2013, appendix 1 («Показатели
деятельности дошкольной образовательной организации»), indicators 1.7–1.15. The Russian
catalogue carries the order's own wording of each title.

Who is counted on a date: staff employed that day (hired on or before it, not dismissed by it —
the same `Employee.objects.current()` the rest of the portal uses). Pedagogical staff hold a
post of PEDAGOGICAL_POSITIONS (the senior educator included); the head and her deputies are the
administrative staff, who join the pedagogical staff only in 1.12 and 1.13.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .dates import add_years
from .models import (
    PEDAGOGICAL_POSITIONS,
    TITLE_CATEGORIES,
    Category,
    EducationLevel,
    Employee,
    KindergartenGroup,
    Position,
    Training,
    base_category,
    further_education_q,
)
from .selectors import category_group_expression

# Further professional education (ДПО) counted in 1.12 and 1.13: completed within the last DPO_YEARS,
# by the one course rule (`further_education_q`: a course of 16 hours or more, or retraining).
DPO_YEARS = 5


# 1.15: which post answers each question. The order also asks about a «логопед» (a speech
# therapist who is not a teacher); the portal has no such post, so that answer is always "no".
SPECIALISTS = [
    ("1.15.1", _("Has a music director"), (Position.MUSIC_DIRECTOR,)),
    ("1.15.2", _("Has a physical education instructor"), (Position.PE_INSTRUCTOR,)),
    ("1.15.3", _("Has a speech therapist teacher"), (Position.SPEECH_THERAPIST,)),
    ("1.15.4", _("Has a speech therapist (not a teacher)"), ()),
    ("1.15.5", _("Has a special-needs teacher"), (Position.DEFECTOLOGIST,)),
    ("1.15.6", _("Has an educational psychologist"), (Position.PSYCHOLOGIST,)),
]


@dataclass(frozen=True)
class Indicator:
    """One line of the table. Which value it carries depends on the indicator:
    a count (and its share in %, where the order asks for one), a ratio, or yes/no."""

    number: str
    title: str
    count: int | None = None
    share: Decimal | None = None  # percent, one decimal
    pupils_per_teacher: Decimal | None = None  # 1.14, read as «1/9,5»
    present: bool | None = None  # 1.15.x
    level: int | None = None  # the indent of a line without a number of the order

    @property
    def depth(self) -> int:
        if self.level is not None:
            return self.level
        return self.number.count(".") - 1

    @property
    def value(self):
        """What the page and the sheet show: the count, «1/9,5» or yes/no (None for a heading)."""
        if self.present is not None:
            return gettext("yes") if self.present else gettext("no")
        if self.pupils_per_teacher is not None:
            return f"1/{floatformat(self.pupils_per_teacher, -1)}"
        return self.count


@dataclass(frozen=True)
class SelfEvaluation:
    on: datetime.date
    indicators: list
    gaps: list  # (message, count): records missing what an indicator needs, so a figure can be checked


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rounded_shares(counts, places: int = 1) -> list[Decimal]:
    """Each count's share of their sum in percent, rounded to `places` decimals so that the shares
    add up to exactly 100 (largest remainder: what rounding down leaves over goes to the largest
    fractions, the first of equal ones). All zero when the sum is zero."""
    counts = list(counts)
    unit = Decimal(1).scaleb(-places)
    whole = sum(counts)
    if not whole:
        return [Decimal(0).quantize(unit) for _n in counts]
    exact = [Decimal(n) * 100 / whole / unit for n in counts]  # in units of the last place
    floors = [e.to_integral_value(ROUND_FLOOR) for e in exact]
    left = int(Decimal(100) / unit - sum(floors))
    for i in sorted(range(len(counts)), key=lambda i: (floors[i] - exact[i], i))[:left]:
        floors[i] += 1
    return [(f * unit).quantize(unit) for f in floors]


def staff_on(on: datetime.date):
    """Everyone employed on that date: hired by then (or hire date unknown), not yet dismissed."""
    return Employee.objects.current(on=on).filter(Q(hire_date__isnull=True) | Q(hire_date__lte=on))


def self_evaluation_indicators(*, on: datetime.date) -> SelfEvaluation:
    """Indicators 1.7–1.15 of order №1324 on the date `on`, with the data gaps behind them.

    Two queries whatever the size of the staff: employees (with their further education and
    category annotated), the groups' pupils.
    """
    dpo = Training.objects.filter(
        further_education_q(),
        employee=OuterRef("pk"),
        end_date__gte=add_years(on, -DPO_YEARS),
        end_date__lte=on,
    )
    # Plain rows, the category group read in SQL (category_group_expression, kept equal to
    # Employee.category_group_on by a test) — the same one the dashboard and the rating count by:
    # a city's 6 000 staff as model records with their decisions took 0.8 s.
    employees = [
        SimpleNamespace(**row)
        for row in staff_on(on)
        .annotate(
            has_dpo=Exists(dpo),
            has_fgos_course=Exists(dpo.filter(on_fgos=True)),
            category_group=category_group_expression(on),
        )
        .values(
            "position",
            "education_level",
            "education_pedagogical",
            "experience_start",
            "birth_date",
            "has_dpo",
            "has_fgos_course",
            "category_group",
        )
        .order_by()
    ]
    teachers = [e for e in employees if e.position in PEDAGOGICAL_POSITIONS]
    total = len(teachers)

    def counted(number, title, members, whole=total):
        return Indicator(number, title, count=len(members), share=percent(len(members), whole))

    higher = [e for e in teachers if e.education_level == EducationLevel.HIGHER]
    vocational = [e for e in teachers if e.education_level == EducationLevel.SECONDARY_VOCATIONAL]
    # Each teacher in one base category; a methodologist or mentor is counted in the highest.
    category_groups = [e.category_group for e in teachers]
    categories = [base_category(g) for g in category_groups]
    highest, first = categories.count(Category.HIGHEST), categories.count(Category.FIRST)
    highest_share, first_share, none_share = rounded_shares([highest, first, total - highest - first])
    known_experience = [e for e in teachers if e.experience_start]
    known_age = [e for e in teachers if e.birth_date]
    # "Under 5 years" is fewer than five full years; "over 30" is more than thirty years to the day.
    five_years_ago, thirty_years_ago = add_years(on, -5), add_years(on, -30)
    with_dpo = [e for e in employees if e.has_dpo]

    groups = KindergartenGroup.objects.aggregate(
        total_pupils=Sum("pupils"), without_pupils=Count("pk", filter=Q(pupils__isnull=True))
    )
    pupils = groups["total_pupils"] or 0
    ratio = (Decimal(pupils) / total).quantize(Decimal("0.1"), ROUND_HALF_UP) if total and pupils else None
    present = {e.position for e in teachers}

    indicators = [
        Indicator("1.7", _("Total number of pedagogical staff, including:"), count=total),
        counted("1.7.1", _("Pedagogical staff with higher education"), higher),
        counted(
            "1.7.2",
            _("Pedagogical staff with higher education of pedagogical profile"),
            [e for e in higher if e.education_pedagogical],
        ),
        counted("1.7.3", _("Pedagogical staff with secondary vocational education"), vocational),
        counted(
            "1.7.4",
            _("Pedagogical staff with secondary vocational education of pedagogical profile"),
            [e for e in vocational if e.education_pedagogical],
        ),
        # The shares of 1.8.1, 1.8.2 and those without a category add up to 100.
        Indicator(
            "1.8",
            _("Pedagogical staff awarded a qualification category by attestation, including:"),
            count=highest + first,
            share=(highest_share + first_share) if total else None,
        ),
        Indicator(
            "1.8.1", _("With the highest category"), count=highest, share=highest_share if total else None
        ),
        *(
            Indicator(
                "",
                _("including %(title)s") % {"title": Category(title).label},
                count=category_groups.count(title),
                level=3,
            )
            for title in TITLE_CATEGORIES
        ),
        Indicator("1.8.2", _("With the first category"), count=first, share=first_share if total else None),
        Indicator(
            "",
            _("Pedagogical staff without a qualification category"),
            count=total - highest - first,
            share=none_share if total else None,
            level=1,
        ),
        Indicator("1.9", _("Pedagogical staff whose pedagogical experience is:")),
        counted(
            "1.9.1",
            _("Experience under 5 years"),
            [e for e in known_experience if e.experience_start > five_years_ago],
        ),
        counted(
            "1.9.2",
            _("Experience over 30 years"),
            [e for e in known_experience if e.experience_start < thirty_years_ago],
        ),
        counted(
            "1.10",
            _("Pedagogical staff under 30 years of age"),
            [e for e in known_age if e.birth_date > thirty_years_ago],
        ),
        counted(
            "1.11",
            _("Pedagogical staff aged 55 and over"),
            [e for e in known_age if e.birth_date <= add_years(on, -55)],
        ),
        counted(
            "1.12",
            _(
                "Pedagogical and administrative staff who completed course training or professional "
                "retraining in the last 5 years"
            ),
            with_dpo,
            whole=len(employees),
        ),
        counted(
            "1.13",
            _("Pedagogical and administrative staff who completed course training on the federal standard"),
            [e for e in with_dpo if e.has_fgos_course],
            whole=len(employees),
        ),
        Indicator(
            "1.14",
            _("Ratio “pedagogical staff member / pupils” in the kindergarten"),
            pupils_per_teacher=ratio,
        ),
        Indicator("1.15", _("The kindergarten has the following pedagogical staff:")),
        *(
            Indicator(number, title, present=any(p in present for p in positions))
            for number, title, positions in SPECIALISTS
        ),
    ]
    gaps = [
        (
            _("pedagogical staff without an education level"),
            sum(1 for e in teachers if not e.education_level),
        ),
        (_("pedagogical staff without the date their experience began"), total - len(known_experience)),
        (_("pedagogical staff without a date of birth"), total - len(known_age)),
        (_("groups without the number of pupils"), groups["without_pupils"]),
    ]
    return SelfEvaluation(on=on, indicators=indicators, gaps=[(m, n) for m, n in gaps if n])
