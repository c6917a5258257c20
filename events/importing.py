"""Import of a month's event plan (the ГМО/ИМЦ plan) from xlsx: every row is checked, and either all
rows are written or none. Cell reading and error wording are shared with the staff import."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindergarten_portal.spreadsheets import (
    Column,
    ImportIssue,
    cell_text,
    choice_lookup,
    import_template,
    norm,
    read_table,
)

from .models import Direction, Event, EventFormat, EventStatus, Level, Organization, Series

IMPORT_COLUMNS = [
    Column("title", gettext_lazy("Title"), required=True),
    Column("format", gettext_lazy("Format"), required=True),
    Column("level", gettext_lazy("Level"), required=True),
    Column("organizer", gettext_lazy("Organizer"), required=True),
    Column("start", gettext_lazy("Start"), required=True),
    Column("end", gettext_lazy("End"), required=True),
    Column("place", gettext_lazy("Place")),
    Column("online_link", gettext_lazy("Online link")),
    Column("description", gettext_lazy("Description")),
    Column("audience", gettext_lazy("Audience")),
    Column("capacity", gettext_lazy("Capacity")),
    Column("signup_deadline", gettext_lazy("Sign-up deadline")),
    Column("is_open", gettext_lazy("Open to partners")),
    Column("series", gettext_lazy("Year-long series")),
    Column("direction", gettext_lazy("Direction")),
]
YES = {"1", "yes", "y", "true", "+", "да", "д", "открыто", "open"}
NO = {"", "0", "no", "n", "false", "-", "нет", "н"}


@dataclass
class EventImportRow:
    row: int
    action: str  # "create" | "update" | "unchanged"
    values: dict
    event: Event | None = None

    @property
    def title(self):
        return self.values["title"]

    @property
    def start(self):
        return self.values["start"]


@dataclass
class EventImportResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def ok(self):
        return not self.errors

    @property
    def created(self):
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updated(self):
        return sum(1 for r in self.rows if r.action == "update")

    @property
    def unchanged(self):
        return sum(1 for r in self.rows if r.action == "unchanged")


def _aware(value: datetime.datetime):
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _parse_datetime(value):
    """A cell with date and time; text as DD.MM.YYYY HH:MM. ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return _aware(value)
    text = cell_text(value)
    for fmt in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H.%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return _aware(datetime.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(text)


def _parse_end(value, start):
    """The end: a full date and time, or only a time on the start's day."""
    if isinstance(value, datetime.time):
        return _aware(datetime.datetime.combine(timezone.localtime(start).date(), value))
    text = cell_text(value)
    for fmt in ("%H:%M", "%H.%M"):
        try:
            moment = datetime.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
        return _aware(datetime.datetime.combine(timezone.localtime(start).date(), moment))
    return _parse_datetime(value)


def _parse_deadline(value):
    """A date and time, or a date alone meaning «until the end of that day»."""
    # Excel has no date-only cell: a date cell reads as a datetime at midnight, and means the whole day.
    if isinstance(value, datetime.datetime) and value.time() != datetime.time(0, 0):
        return _aware(value)
    if isinstance(value, datetime.date):
        return _aware(datetime.datetime.combine(value, datetime.time(23, 59)))
    text = cell_text(value)
    try:
        day = datetime.datetime.strptime(text, "%d.%m.%Y").date()
    except ValueError:
        return _parse_datetime(value)
    return _aware(datetime.datetime.combine(day, datetime.time(23, 59)))


def event_import_template() -> bytes:
    """An empty plan workbook with the expected headers and one example row."""
    start = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=30), datetime.time(10, 0)
    )
    return import_template(
        title=_("Plan"),
        columns=IMPORT_COLUMNS,
        example=[
            "Развивающая предметно-пространственная среда группы",
            str(EventFormat.WORKSHOP.label),
            str(Level.MUNICIPAL.label),
            "ГМО воспитателей",
            start,
            "12:00",
            "МБДОУ № 15, ул. Ленина, 5",
            "",
            "Опыт организации центров активности",
            "воспитатели средних групп",
            25,
            start.date() - datetime.timedelta(days=3),
            "да",
            "",
            "",
        ],
        min_width=16,
        widths={"title": 50},
    )


def _names_lookup(queryset, *attrs):
    lookup = {}
    for obj in queryset:
        for attr in attrs:
            value = getattr(obj, attr)
            if value:
                lookup.setdefault(norm(value), obj)
    return lookup


def event_import(*, file, dry_run: bool) -> EventImportResult:
    """Validate every row of a plan workbook; write all rows (status «planned») only if all are valid.

    A row with the same title and start as an existing event updates it; others create events.
    Returns an EventImportResult whose `errors` name the row and column of each problem.
    """
    result = EventImportResult(dry_run=dry_run)
    sheet, header_index, positions, issues = read_table(file, IMPORT_COLUMNS)
    if issues:
        result.errors.extend(issues)
        return result

    formats = choice_lookup(EventFormat)
    levels = choice_lookup(Level)
    organizations = _names_lookup(Organization.objects.all(), "name", "short_name")
    series_lookup = _names_lookup(Series.objects.order_by("-academic_year"), "theme")
    directions = _names_lookup(Direction.objects.all(), "name")
    labels = {c.key: str(c.label) for c in IMPORT_COLUMNS}
    seen = {}

    for number, raw in enumerate(sheet[header_index + 1 :], start=header_index + 2):
        cells = {key: (raw[i] if i < len(raw) else None) for key, i in positions.items()}
        if not any(cell_text(v) for v in cells.values()):
            continue
        errors_before = len(result.errors)

        def error(key, message, row=number):
            result.errors.append(ImportIssue(row, labels.get(key, ""), message))

        values = {
            key: cell_text(cells.get(key))
            for key in ("title", "place", "online_link", "description", "audience")
        }
        if not values["title"]:
            error("title", _("this field is required."))
        for key, lookup, message in (
            ("format", formats, _("unknown format «%(value)s».")),
            ("level", levels, _("unknown level «%(value)s».")),
        ):
            text = cell_text(cells.get(key))
            values[key] = lookup.get(norm(text))
            if not text:
                error(key, _("this field is required."))
            elif values[key] is None:
                error(key, message % {"value": text})

        organizer_text = cell_text(cells.get("organizer"))
        values["organizer"] = organizations.get(norm(organizer_text))
        if not organizer_text:
            error("organizer", _("this field is required."))
        elif values["organizer"] is None:
            error(
                "organizer",
                _("unknown organization «%(value)s»; add it to the partners first.")
                % {"value": organizer_text},
            )

        values["start"] = values["end"] = values["signup_deadline"] = None
        try:
            values["start"] = _parse_datetime(cells.get("start"))
        except ValueError:
            error(
                "start",
                _("«%(value)s» is not a date and time; use DD.MM.YYYY HH:MM.")
                % {"value": cell_text(cells.get("start"))},
            )
        if values["start"] is not None:
            try:
                values["end"] = _parse_end(cells.get("end"), values["start"])
            except ValueError:
                error(
                    "end",
                    _("«%(value)s» is not a time or a date and time; use HH:MM or DD.MM.YYYY HH:MM.")
                    % {"value": cell_text(cells.get("end"))},
                )
        if cell_text(cells.get("signup_deadline")):
            try:
                values["signup_deadline"] = _parse_deadline(cells.get("signup_deadline"))
            except ValueError:
                error(
                    "signup_deadline",
                    _("«%(value)s» is not a date; use DD.MM.YYYY.")
                    % {"value": cell_text(cells.get("signup_deadline"))},
                )

        capacity_text = cell_text(cells.get("capacity"))
        values["capacity"] = None
        if capacity_text:
            if capacity_text.isdigit() and int(capacity_text) > 0:
                values["capacity"] = int(capacity_text)
            else:
                error("capacity", _("«%(value)s» is not a positive whole number.") % {"value": capacity_text})

        open_text = norm(cell_text(cells.get("is_open")))
        if open_text in YES:
            values["is_open"] = True
        elif open_text in NO:
            values["is_open"] = False
        else:
            error(
                "is_open",
                _("write «yes» or «no», not «%(value)s».") % {"value": cell_text(cells.get("is_open"))},
            )

        for key, lookup, message in (
            ("series", series_lookup, _("unknown year-long series «%(value)s».")),
            ("direction", directions, _("unknown direction «%(value)s».")),
        ):
            text = cell_text(cells.get(key))
            values[key] = lookup.get(norm(text)) if text else None
            if text and values[key] is None:
                error(key, message % {"value": text})

        if values["title"] and values["start"] is not None:
            identity = (norm(values["title"]), values["start"])
            if identity in seen:
                error(
                    "title",
                    _("the same event is already in row %(row)d.") % {"row": seen[identity]},
                )
            else:
                seen[identity] = number

        if len(result.errors) > errors_before:
            continue

        existing = Event.objects.filter(title__iexact=values["title"], start=values["start"]).first()
        if existing is not None and all(getattr(existing, key) == value for key, value in values.items()):
            result.rows.append(EventImportRow(row=number, action="unchanged", values=values, event=existing))
            continue
        candidate = existing or Event()
        for key, value in values.items():
            setattr(candidate, key, value)
        if existing is None:
            candidate.status = EventStatus.PLANNED
        try:
            candidate.full_clean(validate_unique=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                error(field_name if field_name in labels else "", " ".join(messages))
            continue
        result.rows.append(
            EventImportRow(
                row=number, action="update" if existing else "create", values=values, event=existing
            )
        )

    if not result.rows and not result.errors:
        result.errors.append(ImportIssue(None, "", _("The sheet has no rows with data.")))
    if result.errors or dry_run:
        return result

    with transaction.atomic():
        for row in result.rows:
            if row.action == "unchanged":
                continue
            event = row.event or Event(status=EventStatus.PLANNED)
            for key, value in row.values.items():
                setattr(event, key, value)
            event.save()
    result.written = True
    return result
