import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Level
from kindergarten_portal.tenancy import kindergarten_manager
from staff.academic import AcademicYear
from staff.models import Employee


class ReportItem(models.TextChoices):
    """The items of the year-end self-report (seed 002); the value is the item's number."""

    ATTESTATION = "1.1", _("1.1 Attestation")
    HIGHER_EDUCATION = "1.2", _("1.2 Higher education")
    RETRAINING = "1.3", _("1.3 Professional retraining")
    COURSE_TRAINING = "1.4", _("1.4 Course training")
    PARENTS = "1.5", _("1.5 Lectures and trainings with parents")
    SELF_EDUCATION = "1.6", _("1.6 Self-education")
    AWARDS = "2", _("2 Letters of gratitude, awards")
    METHODOLOGICAL = "3.1", _("3.1 Methodological associations, speeches")
    EXPERIENCE_SHARING = "3.2", _("3.2 Sharing of experience")
    COMPETITIONS = "3.3", _("3.3 Participation in competitions")
    PUPILS = "4", _("4 Pupils' competitions and festivals")


ITEM_ORDER = [item.value for item in ReportItem]


class EntryKind(models.TextChoices):
    CERTIFICATE = "certificate", _("certificate")
    DIPLOMA = "diploma", _("diploma")
    GRATITUDE = "gratitude", _("letter of gratitude")
    AWARD = "award", _("award")
    COMPETITION_RESULT = "competition_result", _("competition result")
    PUBLICATION = "publication", _("publication")
    SPEECH = "speech", _("speech")
    # An event she ran, named by its form (the event's format); "open event" when the form has no
    # name of its own here.
    OPEN_EVENT = "open_event", _("open event conducted")
    MASTER_CLASS = "master_class", _("master class conducted")
    OPEN_SHOW = "open_show", _("open show conducted")
    CONSULTATION = "consultation", _("consultation conducted")
    SEMINAR = "seminar", _("seminar conducted")
    WORKSHOP = "workshop", _("seminar-workshop conducted")
    WEBINAR = "webinar", _("webinar conducted")
    ROUND_TABLE = "round_table", _("round table conducted")
    AUCTION = "auction", _("pedagogical auction conducted")
    TRAINING = "training", _("training conducted")
    OPEN_DOOR_DAY = "open_door_day", _("open-door day conducted")
    FESTIVAL = "festival", _("festival conducted")
    CAMPAIGN = "campaign", _("campaign conducted")
    EXPERIENCE_SHARED = "experience_shared", _("experience shared with colleagues")
    COURSE = "course", _("course training")
    RETRAINING = "retraining", _("professional retraining")
    HIGHER_EDUCATION = "higher_education", _("higher education")
    ATTESTATION = "attestation", _("attestation")
    PARENTS_LECTURE = "parents_lecture", _("lecture or training for parents")
    EVENT_ATTENDED = "event_attended", _("webinar or seminar attended")
    EVENT_ORGANIZED = "event_organized", _("event organized")
    JURY = "jury", _("jury member")
    PUPILS_RESULT = "pupils_result", _("pupils' result")
    OTHER = "other", _("other")


class Result(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    PRIZE_WINNER = "prize_winner", _("prize-winner")
    WINNER = "winner", _("winner")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")
    # An entry derived from a staff or event record that no longer holds (attendance unmarked...).
    WITHDRAWN = "withdrawn", _("withdrawn")


# Kinds where a competition result (participant / prize-winner / winner) applies.
RESULT_KINDS = {EntryKind.COMPETITION_RESULT, EntryKind.PUPILS_RESULT, EntryKind.AWARD, EntryKind.DIPLOMA}

# A competition entry without its level and result cannot be scored in the self-report.
RESULT_REQUIRED_KINDS = {EntryKind.COMPETITION_RESULT, EntryKind.PUPILS_RESULT}
RESULT_REQUIRED_ITEMS = {ReportItem.COMPETITIONS, ReportItem.PUPILS}


EARLIEST_ENTRY_DATE = datetime.date(1970, 1, 1)


def entry_date_bounds(today=None) -> tuple[datetime.date, datetime.date]:
    """The dates a teacher's own entry may carry: from 1970 to a year ahead (a planned event)."""
    today = today or timezone.localdate()
    try:
        latest = today.replace(year=today.year + 1)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + 1, day=28)
    return EARLIEST_ENTRY_DATE, latest


class EntryQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=EntryStatus.APPROVED)

    def of_academic_year(self, year: AcademicYear):
        return self.filter(date__gte=year.start, date__lte=year.end)


class PortfolioEntry(models.Model):
    teacher = models.ForeignKey(
        Employee, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="portfolio_entries"
    )
    item = models.CharField(_("self-report item"), max_length=4, choices=ReportItem.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=EntryKind.choices)
    title = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    organizer = models.CharField(_("organizer"), max_length=255, blank=True)
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    pupils_count = models.PositiveSmallIntegerField(
        _("number of pupils"),
        null=True,
        blank=True,
        help_text=_("For pupils' results: how many children took part (no names)."),
    )
    competition = models.CharField(_("competition or festival"), max_length=255, blank=True)
    is_public = models.BooleanField(
        _("show on my mini-site"), default=True, help_text=_("Only approved entries are ever shown.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT, db_index=True
    )
    reviewer_comment = models.TextField(_("reviewer's comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    # The staff or event record an entry was derived from ("staff.training", pk); empty for own entries.
    source_type = models.CharField(_("source"), max_length=50, blank=True, editable=False)
    source_id = models.PositiveBigIntegerField(_("source id"), null=True, blank=True, editable=False)
    # The source record was deleted: the approved entry is kept as it was, with the source's text.
    source_deleted = models.BooleanField(_("source deleted"), default=False, editable=False)
    # A teacher who moved carries chosen approved entries from her old kindergarten to her new one
    # without a second review (services.entries_carry): the copy names the kindergarten that
    # verified it, «подтверждено: <kindergarten>», and the entry it was copied from.
    confirmed_by = models.ForeignKey(
        "kindergarten_portal.Organization",
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_copies",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = kindergarten_manager("teacher__organization", EntryQuerySet)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("portfolio entry")
        verbose_name_plural = _("portfolio entries")
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=~Q(source_type=""),
                name="portfolio_entry_one_per_source",
            ),
            models.CheckConstraint(
                condition=Q(source_type="", source_id__isnull=True)
                | (~Q(source_type="") & Q(source_id__isnull=False)),
                name="portfolio_entry_source_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="portfolio_entry_approved_has_time",
            ),
            models.UniqueConstraint(
                fields=["teacher", "carried_from"],
                condition=Q(carried_from__isnull=False),
                name="portfolio_entry_carried_once",
            ),
        ]
        indexes = [
            models.Index(fields=["teacher", "date"]),
            models.Index(fields=["status", "submitted_at"]),
            # The admin's entry list: its order (oldest submission first) read from an index, not a
            # sort of the whole table; and its date hierarchy's first and last dates.
            # PostgreSQL's ascending index puts NULLs last, as the list orders; a plain index (not an
            # expression with NULLS LAST) also builds on SQLite, the demo's database.
            models.Index(fields=["submitted_at", "id"], name="entry_admin_order"),
            models.Index(fields=["date"], name="entry_date"),
            # The admin's date hierarchy over a status (the review queue: "submitted").
            models.Index(fields=["status", "date"], name="entry_status_date"),
        ]

    def __str__(self):
        return self.title

    @property
    def status_label(self):
        """Her status as the badges read it: a carried entry names the kindergarten that confirmed it."""
        if self.status == EntryStatus.APPROVED and self.confirmed_by_id:
            return _("Confirmed: %(kindergarten)s") % {"kindergarten": self.confirmed_by.name}
        return capfirst(self.get_status_display())

    def clean(self):
        errors = {}
        if self.item == ReportItem.PUPILS:
            if not self.pupils_count:
                errors["pupils_count"] = _("Give the number of pupils who took part.")
            if not self.competition:
                errors["competition"] = _("Name the competition or festival.")
        if self.kind in RESULT_REQUIRED_KINDS or self.item in RESULT_REQUIRED_ITEMS:
            if not self.level:
                errors["level"] = _("Give the level of the competition.")
            if not self.result:
                errors["result"] = _("Give the result: participant, prize-winner or winner.")
        if (
            self.result
            and self.kind not in RESULT_KINDS
            and self.item
            not in (
                ReportItem.COMPETITIONS,
                ReportItem.PUPILS,
            )
        ):
            errors["result"] = _("A result applies only to competitions, awards and diplomas.")
        if self.hours is not None and self.hours == 0:
            errors["hours"] = _("Hours must be a positive number.")
        # Derived entries take their date from a staff or event record, checked where it is kept.
        if self.date and not self.source_type:
            earliest, latest = entry_date_bounds()
            if not earliest <= self.date <= latest:
                errors["date"] = _("Give a date between %(earliest)s and %(latest)s.") % {
                    "earliest": date_format(earliest, "SHORT_DATE_FORMAT"),
                    "latest": date_format(latest, "SHORT_DATE_FORMAT"),
                }
        if errors:
            raise ValidationError(errors)

    @property
    def academic_year(self) -> AcademicYear:
        return AcademicYear.of(self.date)

    @property
    def evidence_is_private(self):
        """Scans of pupils' results name the children: only the owner and the office see them."""
        return self.item == ReportItem.PUPILS or self.kind == EntryKind.PUPILS_RESULT

    @property
    def is_derived(self):
        return bool(self.source_type)

    @property
    def is_editable(self):
        """The teacher may change it: her own entry that is not under review or approved."""
        return not self.is_derived and self.status in (EntryStatus.DRAFT, EntryStatus.RETURNED)

    @property
    def files_label(self) -> str:
        """«3 файла»: the count of her files, where the list read it (`files_count`, an annotation)."""
        return ngettext("%(counter)s file", "%(counter)s files", self.files_count) % {
            "counter": self.files_count
        }

    @property
    def facts(self) -> str:
        """The entry's facts in one line, as its lists show them: «12.03.2026 · Публикация ·
        Муниципальный · ИМЦ · 72 часа». Worked out here, once per row, instead of a template
        include with a dozen lookups per entry (a year's portfolio lists dozens)."""
        parts = [self.date.strftime("%d.%m.%Y"), capfirst(self.get_kind_display())]
        if self.level:
            parts.append(self.get_level_display())
        if self.result:
            parts.append(self.get_result_display())
        if self.organizer:
            parts.append(self.organizer)
        if self.hours:
            parts.append(ngettext("%(hours)s hour", "%(hours)s hours", self.hours) % {"hours": self.hours})
        if self.pupils_count:
            parts.append(
                ngettext("%(pupils)s pupil", "%(pupils)s pupils", self.pupils_count)
                % {"pupils": self.pupils_count}
            )
        if self.competition:
            parts.append(self.competition)
        return " · ".join(str(part) for part in parts)

    @property
    def status_badge(self):
        return {
            EntryStatus.DRAFT: "secondary",
            EntryStatus.SUBMITTED: "primary",
            EntryStatus.APPROVED: "success",
            EntryStatus.RETURNED: "warning",
            EntryStatus.WITHDRAWN: "dark",
        }[self.status]


def evidence_upload_to(instance, filename):
    # A random name under a private folder: MEDIA is never served; the view checks access.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"portfolios/evidence/{instance.entry.teacher_id}/{uuid.uuid4().hex}.{extension}"


def thumbnail_upload_to(instance, filename):
    return f"portfolios/thumbnails/{instance.entry.teacher_id}/{uuid.uuid4().hex}.jpg"


class EvidenceFile(models.Model):
    entry = models.ForeignKey(
        PortfolioEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="evidence_files"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=255)
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_upload_to, blank=True, max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    original_name = models.CharField(_("original file name"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("content hash"), max_length=64, db_index=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("same file as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The teacher uploaded this very file before and confirmed uploading it again."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = kindergarten_manager("entry__teacher__organization")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name or self.file.name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    @property
    def is_pdf(self):
        return self.content_type == "application/pdf"


class StatusChange(models.Model):
    """Every status change of an entry, with who made it; approvals and returns notify the teacher."""

    entry = models.ForeignKey(
        PortfolioEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=EntryStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=EntryStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    notify = models.BooleanField(_("tell the teacher"), default=False)
    notified_at = models.DateTimeField(_("teacher told at"), null=True, blank=True)

    objects = kindergarten_manager("entry__teacher__organization")

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        indexes = [models.Index(fields=["notify", "notified_at"])]

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


# The version of the mini-site consent text (portfolios/forms.py, MiniSiteForm): change it whenever
# the text changes, so that every published page asks for the consent again.
MINISITE_CONSENT_VERSION = "2"


class MiniSite(models.Model):
    """A teacher's public page at /t/<slug>/: opt-in, with the date she consented."""

    teacher = models.OneToOneField(
        Employee, verbose_name=_("teacher"), on_delete=models.CASCADE, related_name="minisite"
    )
    slug = models.SlugField(
        _("address"),
        max_length=80,
        unique=True,
        help_text=_("Latin letters, digits and hyphens: the page will be at /t/<address>/."),
    )
    published = models.BooleanField(_("published"), default=False)
    # The consent to dissemination (152-FZ art. 10.1): when it was given, to which text, for which
    # parts. Cleared when the page is unpublished, so publishing again asks again.
    consent_at = models.DateTimeField(_("consent to publish given at"), null=True, blank=True)
    consent_text_version = models.CharField(_("version of the consent text"), max_length=20, blank=True)
    about = models.TextField(_("about me"), blank=True)
    credo = models.TextField(_("pedagogical credo"), blank=True)
    show_photo = models.BooleanField(_("show my photo"), default=True)
    show_about = models.BooleanField(_("show the texts about me"), default=True)
    show_group = models.BooleanField(_("show my group"), default=True)
    show_category = models.BooleanField(_("show my category and experience"), default=True)
    show_achievements = models.BooleanField(_("show my approved public achievements"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = kindergarten_manager("teacher__organization")

    class Meta:
        ordering = ["teacher__surname", "teacher__name"]
        verbose_name = _("mini-site")
        verbose_name_plural = _("mini-sites")
        constraints = [
            models.CheckConstraint(
                condition=Q(published=False) | Q(consent_at__isnull=False),
                name="minisite_published_needs_consent",
            ),
        ]

    def __str__(self):
        return self.slug

    # The parts she may choose to show, in the order the consent lists them.
    PARTS = ("show_photo", "show_about", "show_group", "show_category", "show_achievements")

    def clean(self):
        if self.published and not self.consent_at:
            raise ValidationError(_("A mini-site can be published only with the teacher's consent."))
