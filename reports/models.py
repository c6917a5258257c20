"""Academic years, the scoring table, recommendation criteria, rating builds and self-reports."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Level
from kindergarten_portal.models import kindergarten_key
from kindergarten_portal.tenancy import kindergarten_manager
from portfolios.models import ReportItem, Result
from staff import academic
from staff.models import Category, Employee, category_group_label

# Levels in ascending order; the rank is what "the minimum level reached" compares.
LEVEL_RANK = {level.value: rank for rank, level in enumerate(Level, start=1)}

# Directions of the rating: the first digit of the self-report item.
DIRECTIONS = ("1", "2", "3", "4")
DIRECTION_LABELS = {
    "1": _("1 Raising the professional level"),
    "2": _("2 Letters of gratitude, awards"),
    "3": _("3 Results of methodological work"),
    "4": _("4 Pupils' competitions and festivals"),
}


def direction_of(item: str) -> str:
    return item.split(".", 1)[0]


class AcademicYear(models.Model):
    """The stored record of an academic year, which self-reports and rating builds belong to; its
    dates and label are those of `staff.academic.AcademicYear` (`period`)."""

    start_year = models.PositiveSmallIntegerField(
        _("starts in"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The calendar year it begins in: 2025 means 1 September 2025 – 31 August 2026."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("academic year")
        verbose_name_plural = _("academic years")

    def __str__(self):
        return self.label

    @property
    def period(self) -> academic.AcademicYear:
        return academic.AcademicYear(self.start_year)

    @property
    def label(self) -> str:
        return self.period.label

    @property
    def start(self) -> datetime.date:
        return self.period.start

    @property
    def end(self) -> datetime.date:
        return self.period.end

    @property
    def is_current(self) -> bool:
        return self.period == academic.AcademicYear.current()

    def contains(self, day: datetime.date) -> bool:
        return self.period.contains(day)


class ScoringRule(models.Model):
    """Points for one approved portfolio entry.

    An entry takes the points of the most specific rule of its item that matches it: a rule naming
    the level and the result beats one naming only one of them, which beats a rule for any level and
    any result; among course rules the one with the highest "from hours" the entry reaches wins.
    An entry no rule matches scores nothing.
    """

    item = models.CharField(_("self-report item"), max_length=4, choices=ReportItem.choices)
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=Level.choices,
        blank=True,
        help_text=_("Leave empty for any level (and for entries without a level)."),
    )
    result = models.CharField(
        _("result"),
        max_length=20,
        choices=Result.choices,
        blank=True,
        help_text=_("Leave empty for any result (and for entries without a result)."),
    )
    min_hours = models.PositiveIntegerField(
        _("from hours"),
        default=0,
        help_text=_("For course training: the rule applies from this many hours on; 0 for any."),
    )
    points = models.DecimalField(
        _("points"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Points one entry earns under this rule."),
    )
    # Whose table: a kindergarten's own, or (empty) the city's default every kindergarten starts from.
    organization = kindergarten_key("scoring_rules", city_default=True)

    class Meta:
        ordering = ["item", "level", "result", "min_hours"]
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "level", "result", "min_hours"],
                condition=Q(organization__isnull=True),
                name="scoring_rule_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "item", "level", "result", "min_hours"],
                condition=Q(organization__isnull=False),
                name="scoring_rule_unique_per_kindergarten",
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="scoring_rule_points_not_negative"),
        ]

    def __str__(self):
        parts = [self.get_item_display()]
        if self.level:
            parts.append(self.get_level_display())
        if self.result:
            parts.append(self.get_result_display())
        if self.min_hours:
            parts.append(_("from %(hours)d h") % {"hours": self.min_hours})
        return " · ".join(str(part) for part in parts)

    @property
    def specificity(self):
        return (bool(self.level) + bool(self.result), self.min_hours)

    def matches(self, *, item, level, result, hours) -> bool:
        return (
            self.item == item
            and (not self.level or self.level == level)
            and (not self.result or self.result == result)
            and (hours or 0) >= self.min_hours
        )


class Outcome(models.TextChoices):
    CONFIRM_FIRST = "confirm_first", _("confirm the first category")
    RAISE_TO_FIRST = "raise_to_first", _("raise to the first category")
    CONFIRM_HIGHEST = "confirm_highest", _("confirm the highest category")
    RAISE_TO_HIGHEST = "raise_to_highest", _("raise to the highest category")


# Which outcomes a teacher of a category is considered for, the better one first.
OUTCOMES_FOR_CATEGORY = {
    Category.HIGHEST: (Outcome.CONFIRM_HIGHEST,),
    Category.METHODIST: (Outcome.CONFIRM_HIGHEST,),  # highest + methodologist / mentor
    Category.MENTOR: (Outcome.CONFIRM_HIGHEST,),
    Category.FIRST: (Outcome.RAISE_TO_HIGHEST, Outcome.CONFIRM_FIRST),
    Category.CONFORMITY: (Outcome.RAISE_TO_FIRST,),
    Category.NONE: (Outcome.RAISE_TO_FIRST,),
}


class RecommendationCriterion(models.Model):
    """What a teacher needs in the year's rating to be recommended for one outcome."""

    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    min_total = models.DecimalField(
        _("minimum total points"), max_digits=6, decimal_places=1, validators=[MinValueValidator(0)]
    )
    min_level = models.CharField(
        _("minimum level under items 3.x"),
        max_length=20,
        choices=Level.choices,
        blank=True,
        help_text=_(
            "The teacher must have at least one approved entry under items 3.1–3.3 of this level or higher."
            " Leave empty to ask for none."
        ),
    )
    # Whose criteria: a kindergarten's own, or (empty) the city's default every kindergarten starts from.
    organization = kindergarten_key("recommendation_criteria", city_default=True)

    class Meta:
        ordering = ["outcome"]
        verbose_name = _("recommendation criterion")
        verbose_name_plural = _("recommendation criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome"], condition=Q(organization__isnull=True), name="criterion_once_per_outcome"
            ),
            models.UniqueConstraint(
                fields=["organization", "outcome"],
                condition=Q(organization__isnull=False),
                name="criterion_once_per_outcome_per_kindergarten",
            ),
        ]

    def __str__(self):
        return self.get_outcome_display()


def person_name(user) -> str:
    """A user as people know her: the full name, or the login when none is given ("—" for nobody)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.username


class RatingBuild(models.Model):
    """One version of the category-rating summary of an academic year, as it was built."""

    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="rating_builds"
    )
    built_at = models.DateTimeField(_("built at"), default=timezone.now)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("built by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    as_of = models.DateField(
        _("categories as of"), help_text=_("Categories, dues and courses are read on this date.")
    )
    workbook = models.FileField(_("workbook"), upload_to="reports/workbooks/", blank=True, max_length=255)
    teachers_count = models.PositiveIntegerField(_("teachers"), default=0)
    entries_count = models.PositiveIntegerField(_("entries counted"), default=0)
    # The kindergarten whose teachers it ranks.
    organization = kindergarten_key("rating_builds")

    objects = kindergarten_manager("organization")

    class Meta:
        ordering = ["-built_at", "-pk"]
        verbose_name = _("rating build")
        verbose_name_plural = _("rating builds")
        get_latest_by = ["built_at", "pk"]

    def __str__(self):
        return f"{self.academic_year} · {timezone.localtime(self.built_at):%d.%m.%Y %H:%M}"

    @property
    def built_by_name(self):
        return person_name(self.built_by)


class RatingRow(models.Model):
    """One teacher's line of a rating build; frozen with the build."""

    # No index of its own: the unique (build, teacher) and the (build, rank) index both begin with
    # it, and a build stores thousands of rows at once (one index fewer to fill).
    build = models.ForeignKey(
        RatingBuild, verbose_name=_("build"), on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    teacher = models.ForeignKey(
        Employee, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="rating_rows"
    )
    teacher_name = models.CharField(_("teacher"), max_length=320)
    position = models.CharField(_("position"), max_length=30)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    is_young_teacher = models.BooleanField(_("young teacher"), default=False)
    # {"1.1": "5.0", ...}: points per self-report item, as decimal strings.
    item_points = models.JSONField(_("points per item"), default=dict)
    direction_1 = models.DecimalField(_("direction 1"), max_digits=8, decimal_places=1, default=0)
    direction_2 = models.DecimalField(_("direction 2"), max_digits=8, decimal_places=1, default=0)
    direction_3 = models.DecimalField(_("direction 3"), max_digits=8, decimal_places=1, default=0)
    direction_4 = models.DecimalField(_("direction 4"), max_digits=8, decimal_places=1, default=0)
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=1, default=0)
    rank = models.PositiveIntegerField(_("rank"))
    category_rank = models.PositiveIntegerField(_("rank in category"))
    entries_count = models.PositiveIntegerField(_("entries counted"), default=0)
    top_level_3 = models.CharField(
        _("highest level under 3.x"), max_length=20, choices=Level.choices, blank=True
    )
    recommendation = models.CharField(_("recommendation"), max_length=20, choices=Outcome.choices, blank=True)
    # [{"outcome": ..., "min_total": "40.0", "min_level": "municipal", "total_met": true, "level_met": false}]
    criteria = models.JSONField(_("criteria met and missed"), default=list)

    objects = kindergarten_manager("build__organization")

    class Meta:
        ordering = ["rank", "teacher_name", "pk"]
        verbose_name = _("rating row")
        verbose_name_plural = _("rating rows")
        constraints = [
            models.UniqueConstraint(fields=["build", "teacher"], name="rating_row_once_per_teacher"),
        ]
        # The dashboard and the admin's build page read a build's first rows by rank.
        indexes = [models.Index(fields=["build", "rank"], name="rating_row_build_rank")]

    def __str__(self):
        return f"{self.rank}. {self.teacher_name}"

    @property
    def category_group_display(self):
        """Her category as the rating groups it: "highest + teacher-methodologist" for a title."""
        return category_group_label(self.category)

    @property
    def directions(self):
        return [self.direction_1, self.direction_2, self.direction_3, self.direction_4]


class SelfReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")


class SelfReport(models.Model):
    """A teacher's year-end self-report: her approved entries by item, her comments, a reflection.

    Until accepted the entries are read live; accepting stores them in `snapshot`, so later changes
    to entries never alter an accepted report.
    """

    teacher = models.ForeignKey(
        Employee, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="self_reports"
    )
    academic_year = models.ForeignKey(
        AcademicYear, verbose_name=_("academic year"), on_delete=models.PROTECT, related_name="self_reports"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SelfReportStatus.choices, default=SelfReportStatus.DRAFT
    )
    # {"1.1": "comment", ...}
    comments = models.JSONField(_("comments per item"), default=dict, blank=True)
    reflection = models.TextField(_("closing reflection"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    snapshot = models.JSONField(_("accepted content"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = kindergarten_manager("teacher__organization")

    class Meta:
        ordering = ["-academic_year__start_year", "teacher__surname", "teacher__name"]
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        constraints = [
            models.UniqueConstraint(fields=["teacher", "academic_year"], name="self_report_once_per_year"),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(snapshot__isnull=False),
                name="self_report_accepted_has_snapshot",
            ),
        ]

    def __str__(self):
        return f"{self.teacher} · {self.academic_year}"

    @property
    def reviewed_by_name(self):
        return person_name(self.reviewed_by)

    @property
    def is_editable(self):
        return self.status in (SelfReportStatus.DRAFT, SelfReportStatus.RETURNED)

    @property
    def is_frozen(self):
        return self.status == SelfReportStatus.ACCEPTED

    @property
    def status_badge(self):
        return {
            SelfReportStatus.DRAFT: "secondary",
            SelfReportStatus.SUBMITTED: "primary",
            SelfReportStatus.RETURNED: "warning",
            SelfReportStatus.ACCEPTED: "success",
        }[self.status]

    def clean(self):
        unknown = set(self.comments or {}) - {item.value for item in ReportItem}
        if unknown:
            raise ValidationError({"comments": _("Comments may only be given on the items of the report.")})
