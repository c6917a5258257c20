"""Network interaction: partners, directions and year-long series, events, participation, outbox."""

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kindergarten_portal.models import Organization, kindergarten_key
from kindergarten_portal.tenancy import kindergarten_manager
from staff.academic import AcademicYear
from staff.models import Employee


class EventFormat(models.TextChoices):
    SEMINAR = "seminar", _("seminar")
    WORKSHOP = "workshop", _("seminar-workshop")
    MASTER_CLASS = "master_class", _("master class")
    OPEN_SHOW = "open_show", _("open show of work with children")
    CONSULTATION = "consultation", _("consultation")
    WEBINAR = "webinar", _("webinar")
    CONFERENCE = "conference", _("conference")
    ROUND_TABLE = "round_table", _("round table")
    AUCTION = "auction", _("pedagogical auction")
    MUTUAL_VISIT = "mutual_visit", _("mutual visit")
    OPEN_DOOR_DAY = "open_door_day", _("open-door day")
    TRAINING = "training", pgettext_lazy("event format", "training")
    COMPETITION = "competition", _("competition")
    FESTIVAL = "festival", _("festival")
    CAMPAIGN = "campaign", _("campaign")


# The forms in which a teacher passes on what she learned at an event (the portfolio names her entry
# by it: «проведение консультации»); any other form leaves it empty.
SHARING_FORMATS = [
    EventFormat.CONSULTATION,
    EventFormat.MASTER_CLASS,
    EventFormat.SEMINAR,
    EventFormat.WORKSHOP,
    EventFormat.OPEN_SHOW,
    EventFormat.ROUND_TABLE,
]


class Level(models.TextChoices):
    """Level of an event or an achievement (reused by portfolios)."""

    INSTITUTIONAL = "institutional", _("institutional")
    MUNICIPAL = "municipal", _("municipal")
    REGIONAL = "regional", _("regional")
    FEDERAL = "federal", _("federal")
    INTERNATIONAL = "international", _("international")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class ParticipationRole(models.TextChoices):
    LISTENER = "listener", _("listener")
    SPEAKER = "speaker", _("speaker")
    ORGANIZER = "organizer", _("organizer")
    OPEN_SHOW_PRESENTER = "open_show_presenter", _("presenter of an open show")
    JURY = "jury", _("jury member")


class ParticipationStatus(models.TextChoices):
    # A recommendation the teacher has not acted on yet: no place is taken.
    RECOMMENDED = "recommended", _("recommended, not signed up")
    SIGNED_UP = "signed_up", _("signed up")
    WAITING = "waiting", _("waiting list")
    ATTENDED = "attended", _("attended")
    ABSENT = "absent", _("absent")
    CANCELLED = "cancelled", _("cancelled")


# The msgids of the labels above, which speak of a teacher: Employee.gendered puts them in her or
# his grammatical gender («записана», «выступающий»).
ROLE_MSGIDS = {
    ParticipationRole.LISTENER: "listener",
    ParticipationRole.SPEAKER: "speaker",
    ParticipationRole.ORGANIZER: "organizer",
    ParticipationRole.OPEN_SHOW_PRESENTER: "presenter of an open show",
    ParticipationRole.JURY: "jury member",
}
STATUS_MSGIDS = {
    ParticipationStatus.RECOMMENDED: "recommended, not signed up",
    ParticipationStatus.SIGNED_UP: "signed up",
    ParticipationStatus.WAITING: "waiting list",
    ParticipationStatus.ATTENDED: "attended",
    ParticipationStatus.ABSENT: "absent",
    ParticipationStatus.CANCELLED: "cancelled",
}

# Their female and male forms are looked up by context at run time; listed here so that
# makemessages keeps them in the catalogue.
GENDERED_FORMS = (
    pgettext_lazy("female", "listener"),
    pgettext_lazy("male", "listener"),
    pgettext_lazy("female", "speaker"),
    pgettext_lazy("male", "speaker"),
    pgettext_lazy("female", "organizer"),
    pgettext_lazy("male", "organizer"),
    pgettext_lazy("female", "presenter of an open show"),
    pgettext_lazy("male", "presenter of an open show"),
    pgettext_lazy("female", "jury member"),
    pgettext_lazy("male", "jury member"),
    pgettext_lazy("female", "recommended, not signed up"),
    pgettext_lazy("male", "recommended, not signed up"),
    pgettext_lazy("female", "signed up"),
    pgettext_lazy("male", "signed up"),
    pgettext_lazy("female", "waiting list"),
    pgettext_lazy("male", "waiting list"),
    pgettext_lazy("female", "attended"),
    pgettext_lazy("male", "attended"),
    pgettext_lazy("female", "absent"),
    pgettext_lazy("male", "absent"),
    pgettext_lazy("female", "cancelled"),
    pgettext_lazy("male", "cancelled"),
)

# Statuses that hold a place against the event's capacity.
PLACE_TAKING = (ParticipationStatus.SIGNED_UP, ParticipationStatus.ATTENDED)


class RecommendationReason(models.TextChoices):
    DIFFICULTY = "difficulty", _("difficulty in an educational area")
    OPEN_EVENT = "open_event", _("preparing an open event")


class EducationalArea(models.TextChoices):
    """The five educational areas of the federal standard (ФГОС ДО)."""

    SOCIAL_COMMUNICATIVE = "social_communicative", _("social and communicative development")
    COGNITIVE = "cognitive", _("cognitive development")
    SPEECH = "speech", _("speech development")
    ARTISTIC = "artistic", _("artistic and aesthetic development")
    PHYSICAL = "physical", _("physical development")


class Direction(models.Model):
    """A significant direction of network interaction (значимое направление)."""

    name = models.CharField(pgettext_lazy("organization", "name"), max_length=255, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("direction of interaction")
        verbose_name_plural = _("directions of interaction")

    def __str__(self):
        return self.name


class Series(models.Model):
    """A year-long series of events on one theme (годовой семинар)."""

    theme = models.CharField(_("theme"), max_length=500)
    academic_year = models.PositiveSmallIntegerField(
        _("academic year"), help_text=_("The year it starts in: 2025 means 2025/2026.")
    )
    direction = models.ForeignKey(
        Direction, verbose_name=_("direction"), null=True, blank=True, on_delete=models.SET_NULL
    )
    lead = models.ForeignKey(
        Employee,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="series_led",
    )
    initiative_group = models.ManyToManyField(
        Employee, verbose_name=_("initiative group"), blank=True, related_name="series_groups"
    )
    description = models.TextField(_("description"), blank=True)
    # The kindergarten whose office runs the series.
    host = kindergarten_key("series_hosted", _("host"))

    objects = kindergarten_manager("host")

    class Meta:
        ordering = ["-academic_year", "theme"]
        verbose_name = _("year-long series")
        verbose_name_plural = pgettext_lazy("plural", "year-long series")
        constraints = [
            models.UniqueConstraint(
                fields=["host", "theme", "academic_year"],
                name="series_theme_year_unique",
                violation_error_message=_(
                    "The kindergarten already has a year-long series on this theme this year."
                ),
            )
        ]

    def __str__(self):
        return f"{self.theme} ({self.academic_year_display})"

    @property
    def academic_year_display(self):
        return AcademicYear(self.academic_year).label


class Event(models.Model):
    title = models.CharField(_("title"), max_length=500)
    format = models.CharField(_("format"), max_length=30, choices=EventFormat.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    organizer = models.ForeignKey(
        Organization, verbose_name=_("organizer"), on_delete=models.PROTECT, related_name="events_organized"
    )
    # The kindergarten on the portal whose office keeps this row (its plan, sign-ups, attendance); the
    # organizer may be a partner off the portal (the library), entered by that office.
    host = kindergarten_key("events_hosted", _("host"))
    co_organizers = models.ManyToManyField(
        Organization, verbose_name=_("co-organizers"), blank=True, related_name="events_co_organized"
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("year-long series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    direction = models.ForeignKey(
        Direction,
        verbose_name=_("direction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(
        _("end"), null=True, blank=True, help_text=_("Leave empty when the plan gives none.")
    )
    hours = models.DecimalField(
        _("length, hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_(
            "What a certificate states. Leave empty to work it out from the start and the end of a "
            "one-day event; with neither, a certificate states no length."
        ),
    )
    place = models.CharField(_("place"), max_length=500, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("audience"), max_length=500, blank=True)
    # The person the city plan names for an event (ИМЦ plans name a person, not an organization).
    responsible = models.CharField(_("responsible person"), max_length=255, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    signup_deadline = models.DateTimeField(
        _("sign-up deadline"),
        null=True,
        blank=True,
        help_text=_("Leave empty to allow sign-up until the start."),
    )
    is_open = models.BooleanField(
        _("open to partners"),
        default=False,
        help_text=_("Shown on the public page, where colleagues from partner organizations register."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    results_text = models.TextField(
        _("results"), blank=True, help_text=_("Short description, participants, congratulations.")
    )
    results_published = models.BooleanField(_("results published"), default=False)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = kindergarten_manager("host")

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="event_end_after_start"),
            models.CheckConstraint(
                condition=Q(results_published=False) | Q(status="held"), name="event_results_only_when_held"
            ),
        ]
        indexes = [models.Index(fields=["start"])]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.start):%d.%m.%Y})"

    def save(self, *args, **kwargs):
        if self.results_published and self.results_published_at is None:
            self.results_published_at = timezone.now()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end cannot precede the start.")
        if self.start and self.signup_deadline and self.signup_deadline > self.start:
            errors["signup_deadline"] = _("The sign-up deadline cannot be after the start.")
        if self.results_published and self.status != EventStatus.HELD:
            errors["results_published"] = _("Only the results of a held event can be published.")
        if errors:
            raise ValidationError(errors)

    @property
    def deadline(self):
        """The moment sign-up closes: the sign-up deadline, or the start when none is set."""
        return self.signup_deadline or self.start

    def is_signup_open(self, now=None):
        return self.status == EventStatus.PLANNED and (now or timezone.now()) < self.deadline

    @property
    def signup_is_open(self):
        return self.is_signup_open()

    @property
    def is_full(self):
        return self.capacity is not None and self.places_left == 0

    @property
    def is_external(self):
        """Organized by someone other than its host kindergarten (a partner, the city's centre, another
        kindergarten): a teacher who attended it shares the experience at home."""
        return self.organizer_id != self.host_id

    # The two below read the annotations of selectors.with_places().

    @property
    def finish(self):
        """The moment the event is over: its end, or its start when no end is given."""
        return self.end or self.start

    @property
    def length_hours(self) -> Decimal | None:
        """What a certificate states as the length: the hours the office entered, else the start to
        the end of a one-day event to the half hour; None when neither is given (none is invented)."""
        if self.hours is not None:
            return self.hours
        if self.end is None or timezone.localdate(self.start) != timezone.localdate(self.end):
            return None  # over several days the clock time says nothing of the hours
        half_hours = round((self.end - self.start).total_seconds() / 1800)
        return Decimal(half_hours) / 2 if half_hours else None

    @property
    def places_taken(self):
        return self.teachers_taken + self.externals_taken

    @property
    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.places_taken, 0)


def over_q(lookup: str, moment, prefix: str = "") -> Q:
    """A filter on the moment an event is over (Event.finish: its end, or its start without one),
    e.g. over_q("lt", now) for the events over by now; `prefix` reaches it through a relation
    ("event__")."""
    return Q(**{f"{prefix}end__{lookup}": moment}) | Q(
        **{f"{prefix}end__isnull": True, f"{prefix}start__{lookup}": moment}
    )


class EventPhoto(models.Model):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="events/photos/")
    caption = models.CharField(_("caption"), max_length=255, blank=True)

    objects = kindergarten_manager("event__host")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.image.name


class Participation(models.Model):
    """A teacher at an event: sign-up, recommendation, attendance and experience sharing in one row."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="participations"
    )
    teacher = models.ForeignKey(
        Employee, verbose_name=_("teacher"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(
        _("role"), max_length=30, choices=ParticipationRole.choices, default=ParticipationRole.LISTENER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.SIGNED_UP
    )
    # Orders the waiting list: the first in line is the one who joined it first.
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommended_at = models.DateTimeField(_("recommended at"), null=True, blank=True)
    recommendation_reason = models.CharField(
        _("reason for the recommendation"), max_length=20, choices=RecommendationReason.choices, blank=True
    )
    recommendation_area = models.CharField(
        _("educational area"), max_length=30, choices=EducationalArea.choices, blank=True
    )
    recommendation_comment = models.TextField(_("comment on the recommendation"), blank=True)

    sharing_due = models.DateField(_("experience sharing due"), null=True, blank=True)
    sharing_done = models.DateField(_("experience shared on"), null=True, blank=True)
    sharing_account = models.TextField(_("how and to whom the experience was shared"), blank=True)
    sharing_format = models.CharField(
        _("form of sharing"),
        max_length=30,
        choices=[(value, EventFormat(value).label) for value in SHARING_FORMATS],
        blank=True,
        help_text=_("Empty: another form, described in the account."),
    )

    objects = kindergarten_manager("teacher__organization")

    class Meta:
        ordering = ["event__start", "status_changed_at", "pk"]
        verbose_name = _("participation")
        verbose_name_plural = _("participation records")
        constraints = [
            models.UniqueConstraint(fields=["event", "teacher"], name="participation_once_per_event"),
            models.CheckConstraint(
                condition=~Q(recommendation_reason="difficulty") | ~Q(recommendation_area=""),
                name="participation_difficulty_has_area",
            ),
        ]

    def __str__(self):
        return f"{self.teacher} — {self.event.title}"

    def clean(self):
        errors = {}
        if self.recommendation_reason == RecommendationReason.DIFFICULTY and not self.recommendation_area:
            errors["recommendation_area"] = _("Name the educational area of the difficulty.")
        if self.sharing_done and not self.sharing_account.strip():
            errors["sharing_account"] = _("Say briefly how and to whom the experience was shared.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_recommended(self):
        return bool(self.recommendation_reason)

    @property
    def sharing_open(self):
        return self.sharing_due is not None and self.sharing_done is None

    @property
    def status_label(self):
        """The status in the teacher's grammatical gender: «записана», «присутствовал»."""
        return self.teacher.gendered(STATUS_MSGIDS[self.status])

    @property
    def role_label(self):
        """The role in the teacher's grammatical gender: «выступающая», «ведущий открытого показа»."""
        return self.teacher.gendered(ROLE_MSGIDS[self.role])


class ExternalParticipant(models.Model):
    """A colleague from a partner organization registered for an open event on the public page."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="external_participants"
    )
    full_name = models.CharField(_("full name"), max_length=255)
    organization = models.CharField(_("organization"), max_length=255)
    position = models.CharField(_("position"), max_length=255)
    email = models.EmailField(_("e-mail"))
    consent = models.BooleanField(_("consent to personal-data processing"), default=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    # Ticked by the office from the sign-in sheet; it lets a certificate be issued.
    attended = models.BooleanField(_("attended"), default=False)
    # The term of keeping the personal data ran out (`external_personal_data_remove`): the row stays,
    # anonymised, so that the counts of registered and attended stay right.
    personal_data_removed_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)

    objects = kindergarten_manager("event__host")

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("external participant")
        verbose_name_plural = _("external participants")
        constraints = [
            # E-mails are stored lower-cased by the registration service; removed ones are blank.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email=""),
                name="external_participant_once_per_event",
            ),
            models.CheckConstraint(
                condition=Q(consent=True, consent_at__isnull=False), name="external_participant_consented"
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.organization})"


class EventCertificate(models.Model):
    """An attendance certificate of a teacher's participation or of an external participant.

    The number is fixed when the row is made (the issue year and the row's id, which is never
    reused), so printing it again gives the same number. `check_code` goes into the verification
    address beside the number, so certificates cannot be looked up by counting numbers; `token`
    is the secret download address of an external participant's certificate. `issued_by` is the
    kindergarten that held the event (its host when issued): the certificate names it and its head,
    and it is that kindergarten's row.
    """

    number = models.CharField(_("number"), max_length=20, unique=True, null=True, editable=False)
    participation = models.OneToOneField(
        Participation,
        verbose_name=_("participation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    external_participant = models.OneToOneField(
        ExternalParticipant,
        verbose_name=_("external participant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    check_code = models.CharField(_("check code"), max_length=16, editable=False)
    token = models.CharField(_("download token"), max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    issued_by = kindergarten_key("certificates_issued", _("issued by"))

    # Read only within the request's kindergartens (see kindergarten_portal.tenancy); the public
    # pages (its check page, the download links) read it at the portal's addresses city-wide.
    objects = kindergarten_manager("issued_by")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(participation__isnull=False, external_participant__isnull=True)
                | Q(participation__isnull=True, external_participant__isnull=False),
                name="certificate_of_one_participant",
            ),
        ]

    def __str__(self):
        return self.number or "—"

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def attendance_holds(self):
        """Attendance is still marked (the office may take it back after the certificate was issued)."""
        if self.participation_id:
            return self.participation.status == ParticipationStatus.ATTENDED
        return self.external_participant.attended

    @property
    def is_valid(self):
        return not self.is_revoked and self.attendance_holds

    @staticmethod
    def new_secrets():
        return {"check_code": secrets.token_hex(5), "token": secrets.token_urlsafe(32)}

    def format_number(self):
        return f"{timezone.localtime(self.issued_at):%Y}-{self.pk:06d}"


class PublishedPlan(models.Model):
    """The senior educator's mark that a month's plan is final: `send_notifications` then e-mails it
    to every current teacher once (events.notifications.queue_monthly_plans)."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organization = kindergarten_key("published_plans")

    objects = kindergarten_manager("organization")

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("published plan")
        verbose_name_plural = _("published plans")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month"],
                name="published_plan_once_per_month",
                violation_error_message=_("The kindergarten's plan of this month is already published."),
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="published_plan_month_valid"
            ),
        ]

    def __str__(self):
        return f"{self.month:02d}.{self.year}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


class CalendarToken(models.Model):
    """The secret part of a teacher's personal iCalendar address; regenerating revokes the old one."""

    employee = models.OneToOneField(
        Employee, verbose_name=_("employee"), on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = kindergarten_manager("employee__organization")

    class Meta:
        verbose_name = _("calendar address")
        verbose_name_plural = _("calendar addresses")

    def __str__(self):
        return str(self.employee)

    @staticmethod
    def new_token():
        return secrets.token_urlsafe(32)
