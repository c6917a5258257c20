"""Import of a month's event plan (the ГМО/ИМЦ plan) from xlsx, and its export in the same layout.

Every row is checked, and either all rows are written or none. Besides the portal's own layout the
import takes the plan as the city methodological centre sends it: a title above the header, the date
and the time in separate columns («10:00–12:00»), a responsible person instead of the organizer, and
often no level column (the events of a city plan are then municipal).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kindergarten_portal.models import Organization, OrganizationKind
from kindergarten_portal.sheets.imports import CREATE, UNCHANGED, UPDATE, ImportResult, ImportRow
from kindergarten_portal.sheets.xlsx_in import (
    Column,
    ImportRefused,
    accepted,
    cell_text,
    choice_lookup,
    choice_of,
    clean_name,
    keyed,
    norm,
    open_workbook,
    parse_date,
    parse_time_range,
    parse_whole_number,
    read_table,
)
from kindergarten_portal.sheets.xlsx_out import (
    Sheet,
    fitted_widths,
    import_template,
    new_workbook,
    print_widths,
    workbook_bytes,
)

from .models import (
    Direction,
    Event,
    EventFormat,
    EventStatus,
    Level,
    Series,
)

# The portal's own layout: the template, the export and the import share it.
PLAN_COLUMNS = [
    Column(
        "title",
        gettext_lazy("Title"),
        required=True,
        aliases=(
            "Название",
            "Наименование",
            "Мероприятие",
            "Название мероприятия",
            "Наименование мероприятия",
            "Тема",
            "Тема мероприятия",
        ),
    ),
    Column(
        "format", gettext_lazy("Format"), aliases=("Форма", "Формат", "Форма мероприятия", "Вид мероприятия")
    ),
    Column("level", gettext_lazy("Level"), aliases=("Уровень", "Уровень мероприятия")),
    Column(
        "organizer",
        gettext_lazy("Organizer"),
        required=True,
        aliases=("Организатор", "Организаторы", "Проводит", "Кто проводит"),
    ),
    Column(
        "start",
        gettext_lazy("Start"),
        required=True,
        aliases=("Начало", "Дата и время", "Дата и время начала", "Дата и время проведения"),
    ),
    Column("end", gettext_lazy("End"), aliases=("Окончание", "Конец", "Дата и время окончания")),
    Column("place", gettext_lazy("Place"), aliases=("Место проведения", "Место", "Адрес")),
    Column("online_link", gettext_lazy("Online link"), aliases=("Ссылка", "Ссылка для подключения")),
    Column(
        "description", gettext_lazy("Description"), aliases=("Описание", "Содержание", "Краткое содержание")
    ),
    Column(
        "audience",
        gettext_lazy("Audience"),
        aliases=(
            "Целевая аудитория",
            "Аудитория",
            "Участники",
            "Категория участников",
            "Категория педагогов",
            "Для кого",
        ),
    ),
    Column("capacity", gettext_lazy("Capacity"), aliases=("Количество мест", "Кол-во мест", "Мест")),
    Column("signup_deadline", gettext_lazy("Sign-up deadline"), aliases=("Срок записи", "Запись до")),
    Column("is_open", gettext_lazy("Open to partners"), aliases=("Открыто для партнеров", "Открытое")),
    Column("series", gettext_lazy("Year-long series"), aliases=("Годовой семинар",)),
    Column("direction", gettext_lazy("Direction"), aliases=("Направление",)),
    Column(
        "responsible",
        gettext_lazy("Responsible person"),
        aliases=("Ответственный", "Ответственные", "Ответственный за проведение", "Ответственное лицо"),
    ),
]
# The plan's columns whose text wraps on paper (indexes in PLAN_COLUMNS).
PLAN_TEXT_COLUMNS = (0, 1, 2, 3, 6, 7, 8, 9, 13, 14, 15)
# The ИМЦ's layout adds the date and the time as columns of their own.
IMPORT_COLUMNS = [
    *PLAN_COLUMNS,
    Column("date", gettext_lazy("Date"), aliases=("Дата", "Дата проведения", "Число", "Сроки проведения")),
    Column("time", gettext_lazy("Time"), aliases=("Время", "Время проведения")),
]
# A required column is not missing when these stand in for it.
ALTERNATIVES = {"start": ("date",), "organizer": ("responsible",)}
# Filled from the file when it has the column; left as stored (or the default) when it has not.
OPTIONAL_TEXT = ("place", "online_link", "description", "audience")

YES = {"1", "yes", "y", "true", "да", "д", "открыто", "open"}
NO = {"", "0", "no", "n", "false", "нет", "н"}

FORMAT_SYNONYMS = {
    EventFormat.WORKSHOP: ["практикум", "практический семинар"],
    EventFormat.MASTER_CLASS: ["мастер-класс", "МК"],
    EventFormat.OPEN_SHOW: [
        "открытый показ",
        "открытый показ НОД",
        "открытый показ ООД",
        "открытый показ НОД/ООД",
        "открытый просмотр",
        "открытое занятие",
        "показ НОД",
        "показ ООД",
        "открытый показ образовательной деятельности",
    ],
    EventFormat.CONSULTATION: ["консультирование"],
    EventFormat.WEBINAR: ["онлайн-семинар"],
    EventFormat.CONFERENCE: ["научно-практическая конференция", "НПК"],
    EventFormat.AUCTION: ["аукцион", "аукцион педагогических идей"],
    EventFormat.MUTUAL_VISIT: ["взаимопосещения"],
    EventFormat.OPEN_DOOR_DAY: ["ДОД"],
    EventFormat.COMPETITION: ["смотр-конкурс"],
}
LEVEL_SYNONYMS = {
    Level.INSTITUTIONAL: [
        "ДОО",
        "ДОУ",
        "уровень ДОУ",
        "внутренний",
        "институциональный",
        "уровень учреждения",
    ],
    Level.MUNICIPAL: ["городской", "муниципальный", "районный", "город", "окружной"],
    Level.REGIONAL: ["региональный", "областной", "краевой", "республиканский"],
    Level.FEDERAL: ["федеральный", "всероссийский"],
    Level.INTERNATIONAL: ["международный"],
}


def _aware(value: datetime.datetime):
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _parse_datetime(value):
    """A cell with date and time; text as DD.MM.YYYY HH:MM. ValueError otherwise."""
    if isinstance(value, datetime.datetime):
        return _aware(value)
    text = cell_text(value)
    for fmt in ("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H.%M", "%Y-%m-%d %H:%M:%S", "%d.%m.%y %H:%M"):
        try:
            return _aware(datetime.datetime.strptime(text, fmt))
        except ValueError:
            continue
    raise ValueError(text)


def _at(day, moment):
    return _aware(datetime.datetime.combine(day, moment))


def _parse_end(value, start):
    """The end: a full date and time, or only a time on the start's day."""
    try:
        moment, _until = parse_time_range(value)
    except ValueError:
        return _parse_datetime(value)
    if moment is None:
        raise ValueError("")
    if isinstance(value, datetime.datetime) and value.date() > datetime.date(1900, 1, 1):
        return _aware(value)
    return _at(timezone.localtime(start).date(), moment)


def _parse_deadline(value):
    """A date and time, or a date alone meaning «until the end of that day»."""
    # Excel has no date-only cell: a date cell reads as a datetime at midnight, and means the whole day.
    if isinstance(value, datetime.datetime) and value.time() != datetime.time(0, 0):
        return _aware(value)
    try:
        day = parse_date(value)
    except ValueError:
        return _parse_datetime(value)
    return _at(day, datetime.time(23, 59))


def _names_lookup(queryset, *attrs):
    lookup = {}
    for obj in queryset:
        for attr in attrs:
            value = getattr(obj, attr)
            if value:
                lookup.setdefault(keyed(value), obj)
    return lookup


def event_import_template() -> bytes:
    """An empty plan workbook with the expected headers and one example row."""
    start = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=30), datetime.time(10, 0)
    )
    return import_template(
        title=_("Plan"),
        columns=PLAN_COLUMNS,
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
            "Иванова Мария Петровна, старший воспитатель",
        ],
        min_width=16,
        widths={"title": 50},
    )


def plan_workbook(events, *, kindergarten=None) -> bytes:
    """The events as a plan workbook in the import's own layout: importing it back changes nothing.
    `kindergarten` names whose plan it is (its properties and the foot of each printed page)."""
    rows = []
    for event in events:
        start = timezone.localtime(event.start)
        end = timezone.localtime(event.end) if event.end else None
        deadline = timezone.localtime(event.signup_deadline) if event.signup_deadline else None
        if deadline is not None and deadline.time() == datetime.time(23, 59):
            deadline = deadline.date()  # a date alone: sign-up until the end of that day
        rows.append(
            [
                event.title,
                str(event.get_format_display()),
                str(event.get_level_display()),
                event.organizer.name,
                start,
                "" if end is None else end.strftime("%H:%M") if end.date() == start.date() else end,
                event.place,
                event.online_link,
                event.description,
                event.audience,
                event.capacity,
                deadline,
                _("yes") if event.is_open else _("no"),
                event.series.theme if event.series_id else "",
                event.direction.name if event.direction_id else "",
                event.responsible,
            ]
        )
    headers = [str(c.label) for c in PLAN_COLUMNS]
    workbook = new_workbook(_("Plan"), kindergarten=kindergarten)
    # Sixteen columns print on two A4 landscape pages side by side, the title on each: the text
    # columns wrap to fit them.
    widths = print_widths(fitted_widths(headers, rows), headers, wrap=PLAN_TEXT_COLUMNS, rows=rows, pages=2)
    # The dates and figures are centred: beside the text that follows they would read as one.
    sheet = Sheet(workbook, _("Plan"), headers, widths, centered={4, 5, 10, 11})
    for row in rows:
        sheet.append(row)
    sheet.close_table()
    return workbook_bytes(workbook)


class _PlanReader:
    """Reads a plan sheet row by row into the values of an event, collecting errors in `result`."""

    def __init__(self, result, table):
        self.result = result
        self.table = table
        self.formats = choice_lookup(EventFormat, FORMAT_SYNONYMS)
        self.levels = choice_lookup(Level, LEVEL_SYNONYMS)
        self.organizations = _names_lookup(Organization.objects.all(), "name", "short_name")
        centres = list(Organization.objects.filter(kind=OrganizationKind.IMC))
        self.city_centre = centres[0] if len(centres) == 1 else None
        self.series = _names_lookup(Series.objects.order_by("-academic_year"), "theme")
        self.directions = _names_lookup(Direction.objects.all(), "name")
        # The longest names first, so «семинар-практикум …» is a workshop, not a seminar.
        self.format_prefixes = sorted(self.formats.items(), key=lambda item: -len(item[0]))

    def error(self, number, key, message):
        self.result.error(number, self.table.header_of(key), message)

    def format_from_title(self, title):
        words = keyed(title)
        for name, value in self.format_prefixes:
            if words == name or words.startswith(name + " "):
                return value
        return None

    def when(self, number, cells):
        """(start, end, notes) of the row; None after an error."""
        table = self.table
        key = "start" if table.has("start") else "date"
        value = cells.get(key)
        time_value = cells.get("time")
        start = until = None
        try:
            if isinstance(value, datetime.datetime) and value.time() != datetime.time(0, 0):
                start = _aware(value)
            elif isinstance(value, str) and not table.has("time"):
                start = _parse_datetime(value)
        except ValueError:
            start = None
        if start is None:
            try:
                day = parse_date(value)
            except ValueError:
                day = None
            if day is None:
                if not cell_text(value):
                    self.error(number, key, _("this field is required."))
                else:
                    self.error(
                        number,
                        key,
                        _("«%(value)s» is not a date and time; use DD.MM.YYYY HH:MM.")
                        % {"value": cell_text(value)},
                    )
                return None
            try:
                moment, until = parse_time_range(time_value)
            except ValueError:
                self.error(
                    number,
                    "time",
                    _("«%(value)s» is not a time; use HH:MM or a range HH:MM–HH:MM.")
                    % {"value": cell_text(time_value)},
                )
                return None
            if moment is None:
                self.error(
                    number,
                    "time" if table.has("time") else key,
                    _("the time is missing; write it as HH:MM or a range HH:MM–HH:MM."),
                )
                return None
            start = _at(day, moment)
        elif table.has("time") and cell_text(time_value):
            try:
                _moment, until = parse_time_range(time_value)
            except ValueError:
                until = None
        notes = []
        end_value = cells.get("end")
        if cell_text(end_value):
            try:
                end = _parse_end(end_value, start)
            except ValueError:
                self.error(
                    number,
                    "end",
                    _("«%(value)s» is not a time or a date and time; use HH:MM or DD.MM.YYYY HH:MM.")
                    % {"value": cell_text(end_value)},
                )
                return None
        elif until is not None:
            end = _at(timezone.localtime(start).date(), until)
        else:
            end = None  # a length nobody gave is not invented: no end, and no hours on a certificate
            notes.append(_("no end given: the event has no length"))
        return start, end, notes

    def organizer(self, number, cells):
        text = clean_name(cells.get("organizer"))
        if text:
            found = self.organizations.get(keyed(text))
            if found is None:
                self.error(
                    number,
                    "organizer",
                    _("unknown organization «%(value)s»; add it to the partners first.") % {"value": text},
                )
            return found
        responsible = keyed(cells.get("responsible"))
        if not responsible:
            self.error(
                number,
                "organizer" if self.table.has("organizer") else "responsible",
                _("this field is required."),
            )
            return None
        # «Иванова А. А., МБДОУ № 15»: the partner named in it, else the city methodological centre.
        for name, organization in sorted(self.organizations.items(), key=lambda item: -len(item[0])):
            if f" {name} " in f" {responsible} ":
                return organization
        if self.city_centre is None:
            self.error(
                number,
                "responsible",
                _(
                    "no partner is named here and the partners have no single city methodological centre; "
                    "add an «Organizer» column or the centre to the partners."
                ),
            )
        return self.city_centre

    def read(self, number, cells):
        """The event's values and notes of one row; None after an error."""
        table = self.table
        errors_before = self.result.error_count
        values = {"title": clean_name(cells.get("title"))}
        for key in OPTIONAL_TEXT:
            if table.has(key):
                values[key] = cell_text(cells.get(key))
        if table.has("responsible"):
            values["responsible"] = clean_name(cells.get("responsible"))
        if not values["title"]:
            self.error(number, "title", _("this field is required."))

        format_text = cell_text(cells.get("format"))
        values["format"] = choice_of(self.formats, format_text)
        if format_text and values["format"] is None:
            self.error(
                number,
                "format",
                accepted(_("unknown format «%(value)s».") % {"value": format_text}, EventFormat),
            )
        elif not format_text and values["title"]:
            values["format"] = self.format_from_title(values["title"])
            if values["format"] is None:
                self.error(
                    number,
                    "format",
                    _(
                        "the format is not given and the title does not begin with one; write it in a «Format» column."
                    ),
                )

        if table.has("level"):
            level_text = cell_text(cells.get("level"))
            values["level"] = choice_of(self.levels, level_text)
            if not level_text:
                self.error(number, "level", _("this field is required."))
            elif values["level"] is None:
                self.error(
                    number, "level", accepted(_("unknown level «%(value)s».") % {"value": level_text}, Level)
                )
        else:
            values["level"] = Level.MUNICIPAL

        values["organizer"] = self.organizer(number, cells)
        when = self.when(number, cells)
        notes = []
        if when is not None:
            values["start"], values["end"], notes = when

        if table.has("signup_deadline"):
            values["signup_deadline"] = None
            if cell_text(cells.get("signup_deadline")):
                try:
                    values["signup_deadline"] = _parse_deadline(cells.get("signup_deadline"))
                except ValueError:
                    self.error(
                        number,
                        "signup_deadline",
                        _("«%(value)s» is not a date; use DD.MM.YYYY.")
                        % {"value": cell_text(cells.get("signup_deadline"))},
                    )

        if table.has("capacity"):
            try:
                values["capacity"] = parse_whole_number(cells.get("capacity"))
                if values["capacity"] == 0:
                    raise ValueError
            except ValueError:
                self.error(
                    number,
                    "capacity",
                    _("«%(value)s» is not a positive whole number.")
                    % {"value": cell_text(cells.get("capacity"))},
                )

        if table.has("is_open"):
            open_text = keyed(cell_text(cells.get("is_open")))
            if open_text in YES or cell_text(cells.get("is_open")) == "+":
                values["is_open"] = True
            elif open_text in NO:
                values["is_open"] = False
            else:
                self.error(
                    number,
                    "is_open",
                    _("write «yes» or «no», not «%(value)s».") % {"value": cell_text(cells.get("is_open"))},
                )

        for key, lookup, message in (
            ("series", self.series, _("unknown year-long series «%(value)s».")),
            ("direction", self.directions, _("unknown direction «%(value)s».")),
        ):
            if not table.has(key):
                continue
            text = cell_text(cells.get(key))
            values[key] = lookup.get(keyed(text)) if text else None
            if text and values[key] is None:
                self.error(number, key, message % {"value": text})

        if self.result.error_count > errors_before:
            return None
        return values, notes


def event_import(*, file, dry_run: bool, organization=None) -> ImportResult:
    """Validate every row of a plan workbook; write all rows (status «planned») only if all are valid.

    A row with the same title (case, spaces and ё aside) and start as a stored event updates it;
    others create events; a row equal to the event changes nothing. Columns the file does not have
    leave what is stored. Returns an ImportResult whose `errors` name the row and column of each problem.
    """
    result = ImportResult(dry_run=dry_run)
    try:
        workbook = open_workbook(file)
    except ImportRefused as exc:
        result.error(None, "", str(exc))
        return result
    try:
        table = read_table(workbook.worksheets[0], IMPORT_COLUMNS, alternatives=ALTERNATIVES)
        for issue in table.issues:
            result.add(issue)
        result.ignore(table.ignored)
        if result.errors:
            return result
        reader = _PlanReader(result, table)
        read = []
        seen = {}
        for number, cells in table.rows():
            found = reader.read(number, cells)
            if found is None:
                continue
            values, notes = found
            identity = (norm(values["title"]), values["start"])
            if identity in seen:
                reader.error(
                    number, "title", _("the same event is already in row %(row)d.") % {"row": seen[identity]}
                )
                continue
            seen[identity] = number
            read.append((number, values, notes))
    finally:
        workbook.close()
    if not table.has("level"):
        result.notes.append(_("The plan has no level column: its events are taken as municipal."))

    stored = {}
    for event in Event.objects.filter(start__in={values["start"] for _n, values, _notes in read}):
        stored.setdefault((norm(event.title), event.start), event)
    labels = {c.key: table.header_of(c.key) for c in IMPORT_COLUMNS}
    for number, values, notes in read:
        existing = stored.get((norm(values["title"]), values["start"]))
        label = f"{timezone.localtime(values['start']):%d.%m.%Y %H:%M} {values['title']}"
        if existing is not None:
            values["title"] = existing.title  # the stored spelling is kept, as for people
            changed = [key for key, value in values.items() if getattr(existing, key) != value]
            if not changed:
                result.rows.append(
                    ImportRow(row=number, action=UNCHANGED, label=label, values=values, obj=existing)
                )
                continue
        candidate = existing or Event(status=EventStatus.PLANNED)
        for key, value in values.items():
            setattr(candidate, key, value)
        try:
            # Event.clean() states the check constraints; checking them in SQL would cost a query a row.
            candidate.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                result.error(number, labels.get(field_name, ""), " ".join(messages))
            continue
        row = ImportRow(
            row=number,
            action=UPDATE if existing else CREATE,
            label=label,
            values=values,
            obj=existing,
            notes=notes,
        )
        if existing is not None:
            row.changed = changed
            row.changed_labels = [labels[key] for key in changed]
        result.rows.append(row)

    if not result.rows and not result.errors:
        result.error(None, "", _("The sheet has no rows with data."))
    if result.errors or dry_run:
        return result

    with transaction.atomic():
        # The events of the plan are kept by the office's kindergarten (the portal's own while it serves one).
        host = organization or Organization.objects.own_or_create()
        for row in result.rows:
            if row.action == UNCHANGED:
                continue
            event = row.obj or Event(status=EventStatus.PLANNED, host=host)
            for key, value in row.values.items():
                setattr(event, key, value)
            event.save()
    result.written = True
    return result
