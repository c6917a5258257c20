import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kindergarten_portal.models import kindergarten_key
from kindergarten_portal.tenancy import kindergarten_manager
from kindergarten_portal.typography import gendered

from .dates import add_years, full_years_and_months


class Position(models.TextChoices):
    EDUCATOR = "educator", _("educator")
    SENIOR_EDUCATOR = "senior_educator", _("senior educator")
    MUSIC_DIRECTOR = "music_director", _("music director")
    PE_INSTRUCTOR = "pe_instructor", _("physical education instructor")
    SPEECH_THERAPIST = "speech_therapist", _("speech therapist")
    DEFECTOLOGIST = "defectologist", _("special-needs teacher")
    PSYCHOLOGIST = "psychologist", _("educational psychologist")
    ADDITIONAL_EDUCATION = "additional_education", _("teacher of additional education")
    HEAD = "head", _("head of the kindergarten")
    DEPUTY_HEAD = "deputy_head", _("deputy head of the kindergarten")


# Self-evaluation (order №1324): the head and her deputies are the administrative staff; every
# other post, the senior educator included, is pedagogical.
ADMINISTRATIVE_POSITIONS = (Position.HEAD, Position.DEPUTY_HEAD)
PEDAGOGICAL_POSITIONS = tuple(p for p in Position if p not in ADMINISTRATIVE_POSITIONS)


class Sex(models.TextChoices):
    """Grammatical gender of the documents printed for her or him (certificates)."""

    FEMALE = "female", _("female")
    MALE = "male", _("male")


class Orientation(models.TextChoices):
    GENERAL = "general", _("general development")
    COMPENSATORY = "compensatory", _("compensatory")
    COMBINED = "combined", _("combined")
    HEALTH = "health", _("health-improving")


class EducationLevel(models.TextChoices):
    HIGHER = "higher", _("higher")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("secondary vocational")
    OTHER = "other", _("other")


class Category(models.TextChoices):
    HIGHEST = "highest", _("highest")
    FIRST = "first", _("first")
    CONFORMITY = "conformity", _("conformity to the post")
    NONE = "none", _("no category")
    METHODIST = "methodist", _("teacher-methodologist")
    MENTOR = "mentor", _("teacher-mentor")


# Qualification categories proper; methodologist and mentor are titles held on top of "highest".
# Conformity to the post is not a category (see ConformityDecision); its code stays for old rating rows.
BASE_CATEGORIES = (Category.HIGHEST, Category.FIRST, Category.NONE)
TITLE_CATEGORIES = (Category.METHODIST, Category.MENTOR)
DECISION_CATEGORIES = (Category.HIGHEST, Category.FIRST, Category.METHODIST, Category.MENTOR)
# How staff are grouped and counted: a title holder is "highest + methodologist/mentor".
CATEGORY_GROUPS = (Category.METHODIST, Category.MENTOR, Category.HIGHEST, Category.FIRST, Category.NONE)

# Order №196 of 24.03.2023: a category (or title) granted on or after this day has no end date;
# one granted before keeps its term of CATEGORY_VALIDITY_YEARS.
CATEGORY_NO_TERM_FROM = datetime.date(2023, 9, 1)
# The application for a new category goes in about this many months before the old one ends.
APPLY_MONTHS_BEFORE_END = 3
# Conformity to the post (273-FZ art. 49): every 5 years for a teacher without a category,
# the first one 2 years after her hire; after a leave no earlier than this many years after return.
CONFORMITY_PERIOD_YEARS = 5
CONFORMITY_AFTER_HIRE_YEARS = 2
# Further professional education (273-FZ art. 47): a course counts from this many hours.
COURSE_MIN_HOURS = 16


def category_term_end(decision_date: datetime.date) -> datetime.date | None:
    """The automatic end of a category granted that day: five years before 01.09.2023, none after."""
    if decision_date >= CATEGORY_NO_TERM_FROM:
        return None
    return add_years(decision_date, settings.CATEGORY_VALIDITY_YEARS)


def category_group_label(code: str) -> str:
    """How a group of CATEGORY_GROUPS reads: "highest + teacher-methodologist" for a title."""
    if code in TITLE_CATEGORIES:
        return _("%(category)s + %(title)s") % {
            "category": Category.HIGHEST.label,
            "title": Category(code).label,
        }
    return str(Category(code).label)


def base_category(group: str) -> str:
    """The base category (BASE_CATEGORIES) a group of CATEGORY_GROUPS counts under: a methodologist
    or mentor is a holder of the highest category, counted there once and named among its titles."""
    return Category.HIGHEST.value if group in TITLE_CATEGORIES else str(group)


def is_young_teacher(experience_start: datetime.date | None, on: datetime.date) -> bool:
    """Pedagogical experience below YOUNG_TEACHER_YEARS on that date (no start on record: young)."""
    if not experience_start:
        return True
    return full_years_and_months(experience_start, on)[0] < settings.YOUNG_TEACHER_YEARS


def validate_not_future(day: datetime.date):
    if day and day > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))


class KindergartenGroup(models.Model):
    organization = kindergarten_key("kindergarten_groups")
    name = models.CharField(_("name"), max_length=100)
    age_band = models.CharField(_("age band"), max_length=50, blank=True)
    orientation = models.CharField(
        _("orientation"), max_length=20, choices=Orientation.choices, default=Orientation.GENERAL
    )
    pupils = models.PositiveSmallIntegerField(
        _("pupils"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("The number of children in the group (for the self-evaluation report)."),
    )

    objects = kindergarten_manager("organization")

    class Meta:
        ordering = ["name"]
        verbose_name = _("kindergarten group")
        verbose_name_plural = _("kindergarten groups")
        constraints = [
            models.CheckConstraint(
                condition=Q(pupils__isnull=True) | Q(pupils__gte=1), name="group_pupils_positive"
            ),
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="group_name_once_per_kindergarten",
                violation_error_message=_("The kindergarten already has a group of this name."),
            ),
        ]

    def __str__(self):
        return self.name


class EmployeeQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(dismissal_date__isnull=True) | Q(dismissal_date__gt=on))


class Employee(models.Model):
    # The kindergarten this record belongs to, and everything reached through it (entries, self-reports,
    # rating rows).
    organization = kindergarten_key("employees")
    surname = models.CharField(_("surname"), max_length=100)
    name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True)
    # Blank: documents use wording that reads right for either.
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    position = models.CharField(_("position"), max_length=30, choices=Position.choices)
    groups = models.ManyToManyField(
        KindergartenGroup, verbose_name=_("groups"), related_name="employees", blank=True
    )
    education_level = models.CharField(
        _("education level"), max_length=30, choices=EducationLevel.choices, blank=True
    )
    education_institution = models.CharField(_("educational institution"), max_length=255, blank=True)
    education_year = models.PositiveSmallIntegerField(_("year of graduation"), null=True, blank=True)
    education_speciality = models.CharField(_("speciality"), max_length=255, blank=True)
    experience_start = models.DateField(
        _("pedagogical experience since"),
        null=True,
        blank=True,
        help_text=_("The date her pedagogical experience began."),
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    dismissal_date = models.DateField(_("dismissal date"), null=True, blank=True)
    # One account through her working life: a teacher who moves to another kindergarten keeps it, and
    # each kindergarten's record of her work is its own row. One current employment at a time (the
    # constraint below); kindergarten_portal.access.employment.current_employment reads it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employments",
        related_query_name="employee",
    )
    photo = models.ImageField(_("photo"), upload_to="staff/photos/", blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[\d\s()\-]*\d[\d\s()\-]*$",
                _("Enter a phone number: digits, spaces, brackets, dashes and a leading +."),
            ),
            RegexValidator(r"(\d\D*){6,}", _("A phone number has at least 6 digits.")),
        ],
    )
    email = models.EmailField(_("e-mail"), blank=True)
    # For the self-evaluation staff indicators (order №1324). The birth date is the office's:
    # the admin shows it, no page of the teacher's and no public page does.
    birth_date = models.DateField(_("date of birth"), null=True, blank=True, validators=[validate_not_future])
    education_pedagogical = models.BooleanField(
        _("education of pedagogical profile"),
        default=False,
        help_text=_("The higher or secondary vocational education is of pedagogical profile."),
    )
    # The monthly e-mail of next month's plan (events.notifications): she may turn it off on her page.
    plan_mail_opt_out = models.BooleanField(
        _("no monthly plan e-mail"),
        default=False,
        help_text=_("Do not send me next month's event plan by e-mail."),
    )
    # Her separate consent to dissemination (152-FZ art. 10.1) of her name in published event results
    # and their feed, given and withdrawn on her own page. Without it those pages name her position
    # and kindergarten only.
    results_name_consent_at = models.DateTimeField(
        _("consent to her name in published event results given at"), null=True, blank=True
    )

    # Read only within the request's kindergartens (see kindergarten_portal.tenancy).
    objects = kindergarten_manager("organization", EmployeeQuerySet)

    class Meta:
        ordering = ["surname", "name", "patronymic"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [
            models.CheckConstraint(
                condition=Q(dismissal_date__isnull=True)
                | Q(hire_date__isnull=True)
                | Q(dismissal_date__gte=models.F("hire_date")),
                name="employee_dismissal_after_hire",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(dismissal_date__isnull=True),
                name="employee_one_current_employment",
                violation_error_message=_(
                    "This account already has a current staff record: the other record needs a "
                    "dismissal date first."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)

    @property
    def short_name(self):
        initials = "".join(f"{part[0]}." for part in (self.name, self.patronymic) if part)
        return f"{self.surname} {initials}".strip()

    def gendered(self, message: str) -> str:
        """`message` in this person's grammatical gender (see `gendered`)."""
        return gendered(message, self.sex)

    def name_is_public(self, on: datetime.date) -> bool:
        """Her name may stand on public pages on `on`: she consented, and she is not dismissed."""
        return bool(self.results_name_consent_at) and not (self.dismissal_date and self.dismissal_date <= on)

    @property
    def mail_address(self):
        """The address she is written to: her staff record's e-mail, else her account's ("" if none)."""
        if self.email:
            return self.email
        return self.user.email if self.user_id else ""

    def clean(self):
        if self.dismissal_date and self.hire_date and self.dismissal_date < self.hire_date:
            raise ValidationError({"dismissal_date": _("Dismissal cannot precede the hire date.")})
        today = timezone.localdate()
        if self.experience_start and self.experience_start > today:
            raise ValidationError(
                {"experience_start": _("Pedagogical experience cannot begin in the future.")}
            )

    # Derived values. They read prefetched `category_decisions` / `trainings` where present,
    # so a list of employees costs no query per row.

    def experience_on(self, on: datetime.date | None = None) -> tuple[int, int]:
        if not self.experience_start:
            return 0, 0
        return full_years_and_months(self.experience_start, on or timezone.localdate())

    @property
    def experience_display(self):
        years, months = self.experience_on()
        parts = []
        if years:
            parts.append(ngettext("%(count)d year", "%(count)d years", years) % {"count": years})
        if months or not years:
            parts.append(ngettext("%(count)d month", "%(count)d months", months) % {"count": months})
        return " ".join(parts)

    def is_young_teacher_on(self, on=None):
        return is_young_teacher(self.experience_start, on or timezone.localdate())

    @property
    def is_young_teacher(self):
        return self.is_young_teacher_on()

    def current_decision_on(self, on=None, categories=BASE_CATEGORIES):
        """The latest decision in force on that date among `categories`, or None."""
        on = on or timezone.localdate()
        in_force = [
            d for d in self.category_decisions.all() if d.category in categories and d.in_force_on(on)
        ]
        return max(in_force, key=lambda d: (d.decision_date, d.pk or 0), default=None)

    def category_on(self, on=None):
        """Her qualification category on that date ("none" without one).

        The SQL form of the same rule is staff.selectors.category_on_expression; a test keeps them equal.
        """
        decision = self.current_decision_on(on)
        return decision.category if decision else Category.NONE

    def titles_on(self, on=None) -> list:
        """Methodologist / mentor titles in force on that date (decisions, latest first)."""
        on = on or timezone.localdate()
        titles = [
            d for d in self.category_decisions.all() if d.category in TITLE_CATEGORIES and d.in_force_on(on)
        ]
        return sorted(
            titles, key=lambda d: (TITLE_CATEGORIES.index(d.category), -d.decision_date.toordinal())
        )

    def category_group_on(self, on=None):
        """Her group among CATEGORY_GROUPS: a title if she holds one, else her category.

        SQL form: staff.selectors.category_group_expression.
        """
        titles = self.titles_on(on)
        return titles[0].category if titles else self.category_on(on)

    @property
    def current_category(self):
        return self.category_on()

    @property
    def current_category_display(self):
        return Category(self.current_category).label

    @property
    def current_titles(self):
        """Methodologist / mentor titles in force today."""
        return self.titles_on()

    # Conformity to the post. Reads prefetched `conformity_decisions`, `leaves` and `category_decisions`.

    @property
    def last_conformity(self):
        return max(self.conformity_decisions.all(), key=lambda d: (d.decision_date, d.pk or 0), default=None)

    def last_category_decision_on(self, on: datetime.date) -> "CategoryDecision | None":
        """Her latest category decision (any category or title) taken on or before that date."""
        decisions = [d for d in self.category_decisions.all() if d.decision_date <= on]
        return max(decisions, key=lambda d: (d.decision_date, d.pk or 0), default=None)

    def ended_category_on(self, on: datetime.date) -> "CategoryDecision | None":
        """The category she held last, when it has ended by that date and nothing followed it: no
        category in force, no conformity decision after its end. None otherwise."""
        if self.current_decision_on(on) is not None:
            return None
        ended = [
            d
            for d in self.category_decisions.all()
            if d.category in BASE_CATEGORIES and d.valid_until is not None and d.valid_until < on
        ]
        decision = max(ended, key=lambda d: (d.valid_until, d.decision_date, d.pk or 0), default=None)
        last = self.last_conformity
        if decision is None or (last is not None and last.decision_date > decision.valid_until):
            return None
        return decision

    def conformity_due_on(self, on=None) -> "ConformityDue | None":
        """When her attestation for conformity to the post is due, seen on that date, and why.

        None while she holds a category (or is not on the books). Otherwise 5 years after her last
        attestation of any kind: a conformity decision or a category decision (so a legacy category
        that ran its 5 years leaves her due at once, never at a date before it was granted); with
        neither, 2 years after her hire (no hire date: due now, so she never drops out of the dues).
        Never within her first 2 years in the post. A leave covering that date moves it: while the
        leave has no end she is exempt (`date` None); after it, no earlier than 2 years (maternity,
        child care) or 1 year (illness) after her return.

        The light form of the same rule is staff.selectors.calendar_keys; a test keeps them equal.
        """
        on = on or timezone.localdate()
        if self.category_on(on) != Category.NONE or (self.dismissal_date and self.dismissal_date <= on):
            return None
        last = self.last_conformity
        category = self.last_category_decision_on(on)
        if category is not None and (last is None or category.decision_date > last.decision_date):
            due = add_years(category.decision_date, CONFORMITY_PERIOD_YEARS)
            rule = _("5 years after her last attestation, the %(category)s category decision of %(date)s") % {
                "category": category.get_category_display(),
                "date": category.decision_date.strftime("%d.%m.%Y"),
            }
        elif last is not None:
            due = add_years(last.decision_date, CONFORMITY_PERIOD_YEARS)
            rule = _("5 years after the conformity decision of %(date)s") % {
                "date": last.decision_date.strftime("%d.%m.%Y")
            }
        elif self.hire_date:
            due = add_years(self.hire_date, CONFORMITY_AFTER_HIRE_YEARS)
            rule = _("no conformity decision on record: 2 years after her hire on %(date)s") % {
                "date": self.hire_date.strftime("%d.%m.%Y")
            }
        else:
            due = on
            rule = _("no conformity decision and no hire date on record: due now")
        if self.hire_date and due < add_years(self.hire_date, CONFORMITY_AFTER_HIRE_YEARS):
            due = add_years(self.hire_date, CONFORMITY_AFTER_HIRE_YEARS)
            rule = _("less than 2 years in the post: 2 years after her hire on %(date)s") % {
                "date": self.hire_date.strftime("%d.%m.%Y")
            }
        for leave in sorted(self.leaves.all(), key=lambda leave: leave.start_date):
            if leave.start_date > max(due, on):
                break
            if leave.end_date is None:
                return ConformityDue(
                    None,
                    _("exempt while on %(leave)s since %(date)s")
                    % {
                        "leave": leave.get_kind_display(),
                        "date": leave.start_date.strftime("%d.%m.%Y"),
                    },
                    leave,
                )
            earliest = leave.earliest_attestation
            if earliest > due:
                due = earliest
                values = {
                    "leave": leave.get_kind_display(),
                    "end": leave.end_date.strftime("%d.%m.%Y"),
                    "years": leave.grace_display,
                }
                if YEARS_AFTER_RETURN[leave.kind]:
                    rule = _("%(leave)s until %(end)s: no earlier than %(years)s after her return") % values
                else:
                    rule = _("%(leave)s until %(end)s: due on her return") % values
        return ConformityDue(due, rule, None)

    # Further professional education: a course of COURSE_MIN_HOURS or more, or retraining.

    @property
    def last_course(self):
        """Her latest training that counts for the course rule (Training.counts_for_course_rule)."""
        counted = [t for t in self.trainings.all() if t.counts_for_course_rule and t.end_date]
        return max(counted, key=lambda t: t.end_date, default=None)

    @property
    def course_due(self):
        """The date by which the next course training is due (today if none on record).

        SQL form: the `last_course_end` annotation of staff.selectors.employees_with_dues with
        filter_course_due_within / course_due_cutoff.
        """
        return self.course_due_on(timezone.localdate())

    def course_due_on(self, on: datetime.date) -> datetime.date:
        """The next course due as seen on that date: `on` itself when nothing counts on record."""
        course = self.last_course
        if course is None:
            return on
        return add_years(course.end_date, settings.COURSE_PERIOD_YEARS)

    def course_covered_on(self, on=None) -> bool:
        """A counted training ended within the last COURSE_PERIOD_YEARS before that date."""
        on = on or timezone.localdate()
        return self.last_course is not None and self.course_due_on(on) > on

    def course_overdue_on(self, on=None):
        return not self.course_covered_on(on)


class ConformityDue(NamedTuple):
    """Her conformity attestation date (None: exempt for now), the rule behind it, the open leave."""

    date: datetime.date | None
    rule: str
    leave: "Leave | None"


class CategoryDecision(models.Model):
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="category_decisions",
    )
    category = models.CharField(
        _("category"), max_length=20, choices=[(c.value, c.label) for c in DECISION_CATEGORIES]
    )
    decision_date = models.DateField(_("decision date"))
    order_number = models.CharField(_("order number"), max_length=50, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty: a category granted before 01.09.2023 runs five years,"
            " one granted from 01.09.2023 has no end date."
        ),
    )

    objects = kindergarten_manager("employee__organization")

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("qualification category decision")
        verbose_name_plural = _("qualification category decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("decision_date")),
                name="category_valid_after_decision",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} ({self.decision_date:%d.%m.%Y})"

    def save(self, *args, **kwargs):
        if not self.valid_until and self.decision_date:
            self.valid_until = category_term_end(self.decision_date)
        super().save(*args, **kwargs)

    def in_force_on(self, on: datetime.date) -> bool:
        return self.decision_date <= on and (self.valid_until is None or on <= self.valid_until)

    def clean(self):
        if not self.valid_until and self.decision_date:
            self.valid_until = category_term_end(self.decision_date)
        if self.valid_until and self.decision_date and self.valid_until < self.decision_date:
            raise ValidationError({"valid_until": _("The category cannot expire before it is granted.")})
        if self.category in TITLE_CATEGORIES and self.employee_id and self.decision_date:
            holds_highest = (
                CategoryDecision.objects.filter(
                    employee_id=self.employee_id,
                    category=Category.HIGHEST,
                    decision_date__lte=self.decision_date,
                )
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=self.decision_date))
                .exists()
            )
            if not holds_highest:
                raise ValidationError(
                    {"category": _("Only a holder of the highest category can receive this title.")}
                )


class TrainingKind(models.TextChoices):
    COURSE = "course", _("course training")
    RETRAINING = "retraining", _("professional retraining")
    HIGHER_EDUCATION = "higher_education", _("higher education")


class ConformityResult(models.TextChoices):
    CONFORMS = "conforms", _("conforms to the post")
    DOES_NOT_CONFORM = "does_not_conform", _("does not conform to the post")


class ConformityDecision(models.Model):
    """An attestation for conformity to the post: an outcome of attestation, not a category."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="conformity_decisions"
    )
    decision_date = models.DateField(_("decision date"))
    order_number = models.CharField(_("order number"), max_length=50, blank=True)
    result = models.CharField(
        _("result"), max_length=20, choices=ConformityResult.choices, default=ConformityResult.CONFORMS
    )

    objects = kindergarten_manager("employee__organization")

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("conformity to the post decision")
        verbose_name_plural = _("conformity to the post decisions")

    def __str__(self):
        return f"{self.get_result_display()} ({self.decision_date:%d.%m.%Y})"


class LeaveKind(models.TextChoices):
    PREGNANCY = "pregnancy", _("pregnancy")
    MATERNITY = "maternity", _("maternity leave")
    CHILD_CARE = "child_care", _("child-care leave")
    ILLNESS = "illness", _("illness over 4 months")


# After her return, conformity is due no earlier than this many years (273-FZ art. 49, order №196).
YEARS_AFTER_RETURN = {
    LeaveKind.PREGNANCY: 0,
    LeaveKind.MATERNITY: 2,
    LeaveKind.CHILD_CARE: 2,
    LeaveKind.ILLNESS: 1,
}


class Leave(models.Model):
    """A period that exempts her from attestation for conformity to the post."""

    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="leaves"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=LeaveKind.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty while she has not returned.")
    )

    objects = kindergarten_manager("employee__organization")

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("leave")
        verbose_name_plural = _("leaves")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="leave_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.start_date:%d.%m.%Y})"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot precede the start.")})

    @property
    def earliest_attestation(self) -> datetime.date | None:
        """The first day conformity may be due after her return (None while she is away)."""
        if self.end_date is None:
            return None
        return add_years(self.end_date, YEARS_AFTER_RETURN[self.kind])

    @property
    def grace_display(self) -> str:
        years = YEARS_AFTER_RETURN[self.kind]
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}


def further_education_q(prefix: str = "") -> Q:
    """SQL form of Training.counts_for_course_rule (prefix "trainings__" from an employee)."""
    course = Q(**{f"{prefix}kind": TrainingKind.COURSE}) & (
        Q(**{f"{prefix}hours__isnull": True}) | Q(**{f"{prefix}hours__gte": COURSE_MIN_HOURS})
    )
    return course | Q(**{f"{prefix}kind": TrainingKind.RETRAINING})


class Training(models.Model):
    employee = models.ForeignKey(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="trainings"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=TrainingKind.choices, default=TrainingKind.COURSE
    )
    programme = models.CharField(_("programme"), max_length=500)
    provider = models.CharField(_("provider"), max_length=255, blank=True)
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    scan = models.FileField(_("scan"), upload_to="staff/certificates/", blank=True)
    # Self-evaluation indicator 1.13 counts course training on the federal standard.
    on_fgos = models.BooleanField(
        _("on the federal standard (FGOS DO)"),
        default=False,
        help_text=_(
            "The programme teaches applying the federal state educational standard of preschool education."
        ),
    )

    objects = kindergarten_manager("employee__organization")

    class Meta:
        ordering = ["-end_date", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="training_end_after_start",
            ),
        ]

    def __str__(self):
        return self.programme

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot precede the start.")})

    @property
    def counts_for_course_rule(self) -> bool:
        """Further professional education for the 3-year rule: a course of 16 hours or more, or
        professional retraining. A course without hours on record counts (older records often lack
        them); the staff card shows its hours as missing. SQL form: further_education_q."""
        if self.kind == TrainingKind.RETRAINING:
            return True
        return self.kind == TrainingKind.COURSE and (self.hours is None or self.hours >= COURSE_MIN_HOURS)


class Mentorship(models.Model):
    mentor = models.ForeignKey(
        Employee, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        Employee, verbose_name=_("mentee"), on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    goals = models.TextField(_("goals"), blank=True)

    objects = kindergarten_manager("mentee__organization")

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")
        constraints = [
            models.CheckConstraint(condition=~Q(mentor=models.F("mentee")), name="mentorship_not_self"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="mentorship_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.mentor.short_name} → {self.mentee.short_name}"

    def clean(self):
        if self.mentor_id and self.mentor_id == self.mentee_id:
            raise ValidationError(_("A teacher cannot mentor herself."))
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot precede the start.")})

    def is_active_on(self, on: datetime.date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date >= on)

    @property
    def is_active(self):
        return self.is_active_on(timezone.localdate())
