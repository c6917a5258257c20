import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
BASE_CATEGORIES = (Category.HIGHEST, Category.FIRST, Category.CONFORMITY, Category.NONE)
TITLE_CATEGORIES = (Category.METHODIST, Category.MENTOR)


def is_young_teacher(experience_start: datetime.date | None, on: datetime.date) -> bool:
    """Pedagogical experience below YOUNG_TEACHER_YEARS on that date (no start on record: young)."""
    if not experience_start:
        return True
    return full_years_and_months(experience_start, on)[0] < settings.YOUNG_TEACHER_YEARS


class KindergartenGroup(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    age_band = models.CharField(_("age band"), max_length=50, blank=True)
    orientation = models.CharField(
        _("orientation"), max_length=20, choices=Orientation.choices, default=Orientation.GENERAL
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("kindergarten group")
        verbose_name_plural = _("kindergarten groups")

    def __str__(self):
        return self.name


class EmployeeQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(dismissal_date__isnull=True) | Q(dismissal_date__gt=on))


class Employee(models.Model):
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
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
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

    objects = EmployeeQuerySet.as_manager()

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
            decision
            for decision in self.category_decisions.all()
            if decision.category in categories and decision.decision_date <= on <= decision.valid_until
        ]
        return max(in_force, key=lambda d: (d.decision_date, d.pk or 0), default=None)

    def category_on(self, on=None):
        decision = self.current_decision_on(on)
        return decision.category if decision else Category.NONE

    @property
    def current_category(self):
        return self.category_on()

    @property
    def current_category_display(self):
        return Category(self.current_category).label

    @property
    def current_titles(self):
        """Methodologist / mentor titles in force today."""
        today = timezone.localdate()
        return [
            d
            for d in self.category_decisions.all()
            if d.category in TITLE_CATEGORIES and d.decision_date <= today <= d.valid_until
        ]

    @property
    def attestation_due(self):
        decision = self.current_decision_on()
        return decision.valid_until if decision else None

    @property
    def last_course(self):
        courses = [t for t in self.trainings.all() if t.kind == TrainingKind.COURSE and t.end_date]
        return max(courses, key=lambda t: t.end_date, default=None)

    @property
    def course_due(self):
        """The date by which the next course training is due (today if none on record)."""
        course = self.last_course
        if course is None:
            return timezone.localdate()
        return add_years(course.end_date, settings.COURSE_PERIOD_YEARS)

    def course_overdue_on(self, on=None):
        return self.course_due <= (on or timezone.localdate())


class CategoryDecision(models.Model):
    employee = models.ForeignKey(
        Employee,
        verbose_name=_("employee"),
        on_delete=models.CASCADE,
        related_name="category_decisions",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    decision_date = models.DateField(_("decision date"))
    order_number = models.CharField(_("order number"), max_length=50, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        blank=True,
        help_text=_("Leave empty for the usual five years from the decision date."),
    )

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("qualification category decision")
        verbose_name_plural = _("qualification category decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("decision_date")),
                name="category_valid_after_decision",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} ({self.decision_date:%d.%m.%Y})"

    def save(self, *args, **kwargs):
        if not self.valid_until and self.decision_date:
            self.valid_until = add_years(self.decision_date, settings.CATEGORY_VALIDITY_YEARS)
        super().save(*args, **kwargs)

    def clean(self):
        if not self.valid_until and self.decision_date:
            self.valid_until = add_years(self.decision_date, settings.CATEGORY_VALIDITY_YEARS)
        if self.valid_until and self.decision_date and self.valid_until < self.decision_date:
            raise ValidationError({"valid_until": _("The category cannot expire before it is granted.")})
        if self.category in TITLE_CATEGORIES and self.employee_id and self.decision_date:
            holds_highest = CategoryDecision.objects.filter(
                employee_id=self.employee_id,
                category=Category.HIGHEST,
                decision_date__lte=self.decision_date,
                valid_until__gte=self.decision_date,
            ).exists()
            if not holds_highest:
                raise ValidationError(
                    {"category": _("Only a holder of the highest category can receive this title.")}
                )


class TrainingKind(models.TextChoices):
    COURSE = "course", _("course training")
    RETRAINING = "retraining", _("professional retraining")
    HIGHER_EDUCATION = "higher_education", _("higher education")


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

    @property
    def is_active(self):
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)
